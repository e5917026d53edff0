/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line option table of qemu-system-x86_64: names, whether
 * each takes an argument, and its help line.
 */
#ifndef SYSTEM_VL_OPTIONS_H
#define SYSTEM_VL_OPTIONS_H

typedef enum VLOptionIndex {
    VL_OPT_HELP,
    VL_OPT_VERSION,
    VL_OPT_MACHINE,
    VL_OPT_ACCEL,
    VL_OPT_MEMORY,
    VL_OPT_DISPLAY,
    VL_OPT_VGA,
    VL_OPT_SERIAL,
    VL_OPT_S,
    VL_OPT_NAME,
    VL_OPT_PIDFILE,
    VL_OPT_DAEMONIZE,
    VL_OPT_CHARDEV,
    VL_OPT_MON,
    VL_OPT_QMP,
    VL_OPT_QMP_PRETTY,
    VL_OPT_MONITOR,
    VL_OPT_QTEST,
    VL_OPT_NODEFAULTS,
    VL_OPT_NODEFCONFIG,
    VL_OPT_DRIVE,               /* -drive if=none */
    VL_OPT_BLOCKDEV,
    VL_OPT_BLOCK,               /* -device: guest device stubs */
} VLOptionIndex;

typedef struct VLOption {
    const char *name;           /* without the leading dash */
    bool has_arg;
    VLOptionIndex index;
    const char *help;           /* NULL: not listed by -h */
} VLOption;

/**
 * vl_find_option:
 * Return the option @arg ("-m", "--m", "-machine") names, or NULL.
 */
const VLOption *vl_find_option(const char *arg);

/**
 * vl_print_option_help:
 * Print the -h option list on stdout.
 */
void vl_print_option_help(void);

#endif
