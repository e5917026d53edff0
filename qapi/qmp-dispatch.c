/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP request dispatch: check the shape of a request, find the command,
 * apply the availability rules (disabled, out-of-band, -compat policy),
 * run the handler and wrap its result or error as a QMP reply.
 */
#include "qemu/osdep.h"
#include "qapi/compat-policy.h"
#include "qapi/qmp/dispatch.h"
#include "qapi/qmp/qerror.h"
#include "qobject/qdict.h"
#include "qobject/qstring.h"
#include "qmp-command.h"

/* The monitor of the command running in this thread, if any. */
static __thread Monitor *qmp_cur_mon;

Monitor *qmp_dispatch_cur_mon(void)
{
    return qmp_cur_mon;
}

QDict *qmp_build_error_object(Error *err)
{
    QDict *obj = qdict_new();

    qdict_put_str(obj, "class",
                  error_class_name(error_get_class(err)));
    qdict_put_str(obj, "desc", error_get_pretty(err));
    return obj;
}

QDict *qmp_error_response(Error *err)
{
    QDict *rsp = qdict_new();

    qdict_put(rsp, "error", qmp_build_error_object(err));
    error_free(err);
    return rsp;
}

bool qmp_is_oob(const QDict *dict)
{
    return qdict_haskey(dict, "exec-oob") && !qdict_haskey(dict, "execute");
}

/* Check that member @key of a request is a string; @value may be NULL. */
static bool qmp_check_string(const char *key, QObject *value, Error **errp)
{
    if (!qobject_to(QString, value)) {
        error_setg(errp, QERR_QMP_BAD_INPUT_OBJECT_MEMBER, key, "a string");
        return false;
    }
    return true;
}

/* Check one member of the request object. */
static bool qmp_check_member(const char *key, QObject *value,
                             bool allow_oob, Error **errp)
{
    if (!strcmp(key, "execute")) {
        return qmp_check_string(key, value, errp);
    }
    if (!strcmp(key, "exec-oob") && allow_oob) {
        return qmp_check_string(key, value, errp);
    }
    if (!strcmp(key, "arguments")) {
        if (!qobject_to(QDict, value)) {
            error_setg(errp, QERR_QMP_BAD_INPUT_OBJECT_MEMBER, key,
                       "an object");
            return false;
        }
        return true;
    }
    if (!strcmp(key, "id")) {
        /* Any JSON value; the monitor echoes it back. */
        return true;
    }
    error_setg(errp, QERR_QMP_EXTRA_MEMBER, key);
    return false;
}

/*
 * Check the shape of @request and return it as a dict, or NULL with
 * @errp set.  Members are checked in the dict's order, so the first
 * bad one is the one reported.
 */
static QDict *qmp_check_request(QObject *request, bool allow_oob,
                                Error **errp)
{
    QDict *dict = qobject_to(QDict, request);
    const QDictEntry *e;
    bool has_exec, has_oob;

    if (!dict) {
        error_setg(errp, "QMP input must be a JSON object");
        return NULL;
    }
    for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        if (!qmp_check_member(qdict_entry_key(e), qdict_entry_value(e),
                              allow_oob, errp)) {
            return NULL;
        }
    }
    has_exec = qdict_haskey(dict, "execute");
    has_oob = qdict_haskey(dict, "exec-oob");
    if (has_exec && has_oob) {
        error_setg(errp, "QMP input member 'execute' clashes with "
                   "'exec-oob'");
        return NULL;
    }
    if (!has_exec && !has_oob) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return NULL;
    }
    return dict;
}

/* Find the command @name and check that it may run now. */
static const QmpCommand *qmp_check_command(const QmpCommandList *cmds,
                                           const char *name, bool oob,
                                           Error **errp)
{
    const QmpCommand *cmd = qmp_find_command(cmds, name);

    if (!cmd) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (!compat_policy_input_ok(cmd->special_features, &compat_policy,
                                ERROR_CLASS_COMMAND_NOT_FOUND,
                                "command", name, errp)) {
        return NULL;
    }
    if (!cmd->enabled) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Command %s has been disabled%s%s", name,
                  cmd->disable_reason ? ": " : "",
                  cmd->disable_reason ? cmd->disable_reason : "");
        return NULL;
    }
    if (oob && !(cmd->options & QCO_ALLOW_OOB)) {
        error_setg(errp, "The command %s does not support OOB", name);
        return NULL;
    }
    return cmd;
}

/* Run @cmd with @args (a borrowed dict) as @cur_mon; wrap the outcome. */
static QDict *qmp_run_command(const QmpCommand *cmd, QDict *args,
                              Monitor *cur_mon)
{
    Monitor *saved_mon = qmp_cur_mon;
    QObject *ret = NULL;
    Error *err = NULL;
    QDict *rsp;

    qmp_cur_mon = cur_mon;
    cmd->fn(args, &ret, &err);
    qmp_cur_mon = saved_mon;

    if (err) {
        /* A handler that fails must not also return a value. */
        assert(!ret);
        return qmp_error_response(err);
    }
    if (!qmp_has_success_response(cmd)) {
        assert(!ret);
        return NULL;
    }
    rsp = qdict_new();
    qdict_put_obj(rsp, "return", ret ? ret : QOBJECT(qdict_new()));
    return rsp;
}

QDict *qmp_dispatch(const QmpCommandList *cmds, QObject *request,
                    bool allow_oob, Monitor *cur_mon)
{
    Error *err = NULL;
    const QmpCommand *cmd;
    const char *name;
    QDict *dict, *args;
    QDict *rsp;
    bool oob;

    dict = qmp_check_request(request, allow_oob, &err);
    if (!dict) {
        return qmp_error_response(err);
    }
    oob = qmp_is_oob(dict);
    name = qdict_get_str(dict, oob ? "exec-oob" : "execute");
    cmd = qmp_check_command(cmds, name, oob, &err);
    if (!cmd) {
        return qmp_error_response(err);
    }
    args = qdict_get_qdict(dict, "arguments");
    args = args ? qobject_ref(args) : qdict_new();
    rsp = qmp_run_command(cmd, args, cur_mon);
    qobject_unref(args);
    return rsp;
}
