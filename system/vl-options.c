/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The option table of qemu-system-x86_64.  Options take one or two
 * leading dashes, as in QEMU.
 */
#include "qemu/osdep.h"
#include "vl-options.h"

static const VLOption vl_options[] = {
    { "h", false, VL_OPT_HELP, "-h or -help      display this help and exit" },
    { "help", false, VL_OPT_HELP, NULL },
    { "version", false, VL_OPT_VERSION,
      "-version         display version information and exit" },
    { "machine", true, VL_OPT_MACHINE,
      "-machine [type=]name[,accel=accel1[:accel2...]]\n"
      "                 selects emulated machine ('-machine help' for list)" },
    { "M", true, VL_OPT_MACHINE, NULL },
    { "accel", true, VL_OPT_ACCEL,
      "-accel qtest|tcg|kvm  select accelerator (only qtest has an effect)" },
    { "m", true, VL_OPT_MEMORY,
      "-m [size=]megs   configure guest RAM size (accepted, not used)" },
    { "display", true, VL_OPT_DISPLAY,
      "-display none    no display (the only one)" },
    { "vga", true, VL_OPT_VGA, "-vga none        no VGA card" },
    { "serial", true, VL_OPT_SERIAL,
      "-serial none|null  no serial port" },
    { "S", false, VL_OPT_S, "-S               freeze CPU at startup" },
    { "name", true, VL_OPT_NAME, "-name string     set the name of the guest" },
    { "pidfile", true, VL_OPT_PIDFILE,
      "-pidfile file    write PID to 'file'" },
    { "daemonize", false, VL_OPT_DAEMONIZE,
      "-daemonize       daemonize QEMU after initializing" },
    { "chardev", true, VL_OPT_CHARDEV,
      "-chardev socket,id=id[,path=path|host=host,port=port]"
      "[,server=on|off][,wait=on|off]\n"
      "-chardev stdio,id=id" },
    { "mon", true, VL_OPT_MON,
      "-mon [chardev=]name[,mode=readline|control][,pretty=on|off]" },
    { "qmp", true, VL_OPT_QMP,
      "-qmp dev         like -monitor but opens in 'control' mode" },
    { "qmp-pretty", true, VL_OPT_QMP_PRETTY,
      "-qmp-pretty dev  like -qmp but uses pretty JSON formatting" },
    { "monitor", true, VL_OPT_MONITOR,
      "-monitor dev     redirect the monitor to char device 'dev'" },
    { "qtest", true, VL_OPT_QTEST,
      "-qtest dev       serve the qtest protocol on 'dev'" },
    { "nodefaults", false, VL_OPT_NODEFAULTS,
      "-nodefaults      don't create default devices" },
    { "nodefconfig", false, VL_OPT_NODEFCONFIG, NULL },
    { "drive", true, VL_OPT_DRIVE, NULL },
    { "blockdev", true, VL_OPT_BLOCKDEV, NULL },
    { "device", true, VL_OPT_BLOCK, NULL },
};

const VLOption *vl_find_option(const char *arg)
{
    size_t i;

    if (arg[0] != '-') {
        return NULL;
    }
    arg += arg[1] == '-' ? 2 : 1;
    for (i = 0; i < G_N_ELEMENTS(vl_options); i++) {
        if (!strcmp(vl_options[i].name, arg)) {
            return &vl_options[i];
        }
    }
    return NULL;
}

void vl_print_option_help(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(vl_options); i++) {
        if (vl_options[i].help) {
            printf("%s\n", vl_options[i].help);
        }
    }
}
