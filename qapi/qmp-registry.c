/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The table of QMP commands: name -> handler, options and state.
 *
 * Design: a hash table for lookup by name (every request does one) and
 * an array keeping registration order for qmp_for_each_command(), so
 * listings such as query-commands come out in a stable order.  The
 * array owns the commands.  A zeroed QmpCommandList is valid and empty;
 * the containers are created on first registration.
 */
#include "qemu/osdep.h"
#include "qmp-command.h"

static void qmp_command_free(gpointer p)
{
    QmpCommand *cmd = p;

    g_free(cmd->name);
    g_free(cmd->disable_reason);
    g_free(cmd);
}

void qmp_command_list_init(QmpCommandList *cmds)
{
    cmds->by_name = NULL;
    cmds->order = NULL;
}

void qmp_command_list_destroy(QmpCommandList *cmds)
{
    if (cmds->by_name) {
        g_hash_table_destroy(cmds->by_name);
        g_ptr_array_free(cmds->order, true);
    }
    qmp_command_list_init(cmds);
}

void qmp_register_command(QmpCommandList *cmds, const char *name,
                          QmpCommandFunc *fn, QmpCommandOptions options,
                          unsigned special_features)
{
    QmpCommand *cmd = g_new0(QmpCommand, 1);

    /* QCO_COROUTINE with QCO_ALLOW_OOB makes no sense: OOB never yields. */
    assert(!((options & QCO_COROUTINE) && (options & QCO_ALLOW_OOB)));
    if (!cmds->by_name) {
        cmds->by_name = g_hash_table_new(g_str_hash, g_str_equal);
        cmds->order = g_ptr_array_new_with_free_func(qmp_command_free);
    }
    assert(!g_hash_table_contains(cmds->by_name, name));
    cmd->name = g_strdup(name);
    cmd->fn = fn;
    cmd->options = options;
    cmd->special_features = special_features;
    cmd->enabled = true;
    g_hash_table_insert(cmds->by_name, cmd->name, cmd);
    g_ptr_array_add(cmds->order, cmd);
}

const QmpCommand *qmp_find_command(const QmpCommandList *cmds,
                                   const char *name)
{
    if (!cmds->by_name) {
        return NULL;
    }
    return g_hash_table_lookup(cmds->by_name, name);
}

/* The mutable command called @name, or NULL. */
static QmpCommand *qmp_lookup_mutable(QmpCommandList *cmds,
                                      const char *name)
{
    return (QmpCommand *)qmp_find_command(cmds, name);
}

void qmp_disable_command(QmpCommandList *cmds, const char *name,
                         const char *err_msg)
{
    QmpCommand *cmd = qmp_lookup_mutable(cmds, name);

    if (cmd) {
        cmd->enabled = false;
        g_free(cmd->disable_reason);
        cmd->disable_reason = g_strdup(err_msg);
    }
}

void qmp_enable_command(QmpCommandList *cmds, const char *name)
{
    QmpCommand *cmd = qmp_lookup_mutable(cmds, name);

    if (cmd) {
        cmd->enabled = true;
        g_free(cmd->disable_reason);
        cmd->disable_reason = NULL;
    }
}

bool qmp_command_is_enabled(const QmpCommand *cmd)
{
    return cmd->enabled;
}

bool qmp_command_available(const QmpCommand *cmd, bool oob)
{
    return cmd->enabled && (!oob || (cmd->options & QCO_ALLOW_OOB));
}

const char *qmp_command_name(const QmpCommand *cmd)
{
    return cmd->name;
}

bool qmp_has_success_response(const QmpCommand *cmd)
{
    return !(cmd->options & QCO_NO_SUCCESS_RESP);
}

QmpCommandOptions qmp_command_options(const QmpCommand *cmd)
{
    return cmd->options;
}

unsigned qmp_command_special_features(const QmpCommand *cmd)
{
    return cmd->special_features;
}

void qmp_for_each_command(const QmpCommandList *cmds, qmp_cmd_callback_fn fn,
                          void *opaque)
{
    guint i;

    if (!cmds->order) {
        return;
    }
    for (i = 0; i < cmds->order->len; i++) {
        fn(g_ptr_array_index(cmds->order, i), opaque);
    }
}
