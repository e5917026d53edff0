/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP commands about QMP itself: capabilities negotiation, the version,
 * the command list and the schema.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qapi/qapi-commands-control.h"
#include "qapi/qapi-commands-introspect.h"
#include "qapi/qapi-introspect.h"

static MonitorQMP *qmp_cur(void)
{
    Monitor *cur = monitor_cur();

    assert(cur && cur->is_qmp);
    return container_of(cur, MonitorQMP, common);
}

void qmp_qmp_capabilities(bool has_enable, QMPCapabilityList *enable,
                          Error **errp)
{
    MonitorQMP *mon = qmp_cur();
    QMPCapabilityList *cap;

    if (mon->commands == &qmp_commands) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Capabilities negotiation is already complete, command "
                  "ignored");
        return;
    }
    /* Every capability there is ("oob") is on offer. */
    for (cap = has_enable ? enable : NULL; cap; cap = cap->next) {
        mon->capab[cap->value] = true;
    }
    mon->commands = &qmp_commands;
}

VersionInfo *qmp_query_version(Error **errp)
{
    VersionInfo *info = g_new0(VersionInfo, 1);

    info->qemu = g_new0(VersionTriple, 1);
    info->qemu->major = QEMU_VERSION_MAJOR;
    info->qemu->minor = QEMU_VERSION_MINOR;
    info->qemu->micro = QEMU_VERSION_MICRO;
    info->package = g_strdup(QEMU_PKGVERSION);
    return info;
}

static void query_commands_cb(const QmpCommand *cmd, void *opaque)
{
    CommandInfoList **list = opaque;
    CommandInfo *info;
    CommandInfoList *elem;

    if (!qmp_command_is_enabled(cmd)) {
        return;
    }
    info = g_new0(CommandInfo, 1);
    info->name = g_strdup(qmp_command_name(cmd));
    elem = g_new0(CommandInfoList, 1);
    elem->value = info;
    elem->next = *list;
    *list = elem;
}

CommandInfoList *qmp_query_commands(Error **errp)
{
    CommandInfoList *list = NULL;

    qmp_for_each_command(qmp_cur()->commands, query_commands_cb, &list);
    return list;
}

void qmp_query_qmp_schema(QDict *args, QObject **ret, Error **errp)
{
    *ret = qmp_schema_qobject();
}
