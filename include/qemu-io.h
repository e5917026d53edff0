/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qemu-io command set: one implementation of the disk exerciser's
 * commands ("read", "write", "map", ...), driven by the qemu-io tool and
 * meant to be shared with the monitor's "qemu-io" command.  Commands print
 * their results on stdout in QEMU 7.2's formats.
 */
#ifndef QEMU_IO_H
#define QEMU_IO_H

#include "block/block-backend.h"

/* The command needs no open image (help, open, quit, sleep). */
#define CMD_FLAG_GLOBAL ((int)0x80000000)

typedef int (*CmdFunc)(BlockBackend *blk, int argc, char **argv);
typedef void (*HelpFunc)(void);

/* One command: its names, argument bounds and help texts. */
typedef struct CmdInfo {
    const char *name;
    const char *altname;
    CmdFunc cfunc;
    int argmin;            /* fewest arguments after the options */
    int argmax;            /* most arguments, -1 for no limit */
    int canpush;
    int flags;             /* CMD_FLAG_GLOBAL */
    const char *args;      /* option synopsis, NULL if none */
    const char *oneline;   /* summary for "help" */
    HelpFunc help;         /* extended help, or NULL */
    uint64_t perm;         /* BLK_PERM_* the command must hold */
} CmdInfo;

/**
 * qemuio_add_command: register @ci (kept by pointer, must stay valid) in
 * the command table, which is kept sorted by name.  Tools add their own
 * commands (open, close, quit) this way.
 */
void qemuio_add_command(const CmdInfo *ci);

/**
 * qemuio_command: split @cmd at blanks and run the named command on @blk
 * (may be NULL when no image is open).  Output goes to stdout, diagnostics
 * to stderr.  Returns 0 on success, a negative errno if the command failed.
 */
int qemuio_command(BlockBackend *blk, const char *cmd);

/**
 * qemuio_command_usage: print @ci's one-line synopsis on stdout; returns
 * -EINVAL so a command can "return qemuio_command_usage(ci)".
 */
int qemuio_command_usage(const CmdInfo *ci);

/**
 * qemuio_complete_aio: wait until every aio_read/aio_write request that
 * the commands started has completed and printed its result.
 */
void qemuio_complete_aio(void);

/** qemuio_set_misalign: give I/O buffers an odd offset from alignment. */
void qemuio_set_misalign(bool misalign);

#endif
