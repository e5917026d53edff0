/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HMP command table and its handlers, and human-monitor-command,
 * which runs an HMP line for a QMP client and returns what it printed.
 * Help texts are the ones QEMU prints, so scripts see the same lines.
 */
#include "qemu/osdep.h"
#include "hmp.h"
#include "sysemu/runstate.h"
#include "qapi/qapi-commands-control.h"
#include "qapi/qapi-commands-misc.h"
#include "qapi/qapi-commands-run-state.h"

/* Sorted by name, as QEMU's help lists them. */
const HMPCommand hmp_info_cmds[] = {
    {
        .name = "block", .args_type = "nodes:-n,verbose:-v,device:B?",
        .params = "[-n] [-v] [device]",
        .help = "show info of one block device or all block devices "
                "(-n: show named nodes; -v: show details)",
        .cmd = hmp_info_block,
    }, {
        .name = "status", .args_type = "", .params = "",
        .help = "show the current VM status (running|paused)",
        .cmd = hmp_info_status,
    }, {
        .name = "version", .args_type = "", .params = "",
        .help = "show the version of QEMU",
        .cmd = hmp_info_version,
    },
    { NULL },
};

const HMPCommand hmp_cmds[] = {
    {
        .name = "cont|c", .args_type = "", .params = "",
        .help = "resume emulation",
        .cmd = hmp_cont,
    }, {
        .name = "help|?", .args_type = "name:S?", .params = "[cmd]",
        .help = "show the help",
        .cmd = hmp_help,
    }, {
        .name = "info", .args_type = "item:s?", .params = "[subcommand]",
        .help = "show various information about the system state",
        .cmd = hmp_info_help,
        .sub_table = hmp_info_cmds,
    }, {
        .name = "qemu-io", .args_type = "qdev:-d,device:s,command:s",
        .params = "[-d] [device] \"[command]\"",
        .help = "run a qemu-io command on a block device\n\t\t\t"
                "-d: [device] is a device ID rather than a drive ID or "
                "node name",
        .cmd = hmp_qemu_io,
    }, {
        .name = "quit|q", .args_type = "", .params = "",
        .help = "quit the emulator",
        .cmd = hmp_quit,
    }, {
        .name = "stop|s", .args_type = "", .params = "",
        .help = "stop emulation",
        .cmd = hmp_stop,
    },
    { NULL },
};

void hmp_help(Monitor *mon, const QDict *qdict)
{
    hmp_help_cmd(mon, qdict_get_try_str(qdict, "name"));
}

void hmp_info_help(Monitor *mon, const QDict *qdict)
{
    hmp_help_cmd(mon, "info");
}

void hmp_info_status(Monitor *mon, const QDict *qdict)
{
    g_autoptr(StatusInfo) info = qmp_query_status(NULL);

    monitor_printf(mon, "VM status: %s",
                   info->running ? "running" : "paused");
    if (!info->running && info->status != RUN_STATE_PAUSED) {
        monitor_printf(mon, " (%s)", RunState_str(info->status));
    }
    monitor_printf(mon, "\n");
}

void hmp_info_version(Monitor *mon, const QDict *qdict)
{
    g_autoptr(VersionInfo) info = qmp_query_version(NULL);

    /* QEMU prints the package right after the micro number. */
    monitor_printf(mon, "%" PRId64 ".%" PRId64 ".%" PRId64 "%s\n",
                   info->qemu->major, info->qemu->minor, info->qemu->micro,
                   info->package);
}

void hmp_quit(Monitor *mon, const QDict *qdict)
{
    qmp_quit(NULL);
}

void hmp_stop(Monitor *mon, const QDict *qdict)
{
    qmp_stop(NULL);
}

void hmp_cont(Monitor *mon, const QDict *qdict)
{
    qmp_cont(NULL);
}

char *qmp_human_monitor_command(const char *command_line, bool has_cpu_index,
                                int64_t cpu_index, Error **errp)
{
    MonitorHMP hmp = { 0 };

    hmp.common.capture = g_string_new(NULL);
    handle_hmp_command(&hmp, command_line);
    return g_string_free(hmp.common.capture, false);
}
