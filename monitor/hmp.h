/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to monitor/: the HMP command table.  A block layer command
 * joins by adding a row to hmp_cmds[] or hmp_info_cmds[] in hmp-cmds.c.
 */
#ifndef MONITOR_HMP_H
#define MONITOR_HMP_H

#include "monitor-internal.h"
#include "qobject/qdict.h"

typedef struct HMPCommand {
    const char *name;           /* "stop|s": name and aliases */
    /*
     * Arguments, comma separated "key:T" with T one of
     *   s  one word (double quotes group words),
     *   S  the rest of the line,
     *   -X a flag "-X" that may come first (the key is set to "on");
     * a trailing '?' makes the argument optional.
     */
    const char *args_type;
    const char *params;         /* shown by help */
    const char *help;
    void (*cmd)(Monitor *mon, const QDict *qdict);
    const struct HMPCommand *sub_table;   /* "info" */
} HMPCommand;

extern const HMPCommand hmp_cmds[];
extern const HMPCommand hmp_info_cmds[];

/* Print help for @name (a command path such as "info status"), or all. */
void hmp_help_cmd(Monitor *mon, const char *name);

void hmp_help(Monitor *mon, const QDict *qdict);
void hmp_info_help(Monitor *mon, const QDict *qdict);
void hmp_info_status(Monitor *mon, const QDict *qdict);
void hmp_info_version(Monitor *mon, const QDict *qdict);
void hmp_quit(Monitor *mon, const QDict *qdict);
void hmp_stop(Monitor *mon, const QDict *qdict);
void hmp_cont(Monitor *mon, const QDict *qdict);
/* qemu-io [-d] DEVICE "COMMAND": run a qemu-io command (hmp-qemu-io.c) */
void hmp_qemu_io(Monitor *mon, const QDict *qdict);
void hmp_info_block(Monitor *mon, const QDict *qdict);

#endif
