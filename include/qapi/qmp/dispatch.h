/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP command registry and dispatcher: commands are registered by name
 * (generated qmp_init_marshal()), and qmp_dispatch() validates a request,
 * runs the handler and builds the {"return": ...} or {"error": ...} reply.
 * The "id" member is the monitor's business, not the dispatcher's.
 */
#ifndef QAPI_QMP_DISPATCH_H
#define QAPI_QMP_DISPATCH_H

#include "qapi/error.h"
#include "qobject/qobject.h"

/* The monitor a command runs for; opaque to the QAPI runtime. */
typedef struct Monitor Monitor;

/* The signature of a generated qmp_marshal_FOO() function. */
typedef void (QmpCommandFunc)(QDict *args, QObject **ret, Error **errp);

typedef enum QmpCommandOptions {
    QCO_NO_OPTIONS            =  0x0,
    QCO_NO_SUCCESS_RESP       =  (1U << 0),
    QCO_ALLOW_OOB             =  (1U << 1),
    QCO_ALLOW_PRECONFIG       =  (1U << 2),
    QCO_COROUTINE             =  (1U << 3),
} QmpCommandOptions;

/* One registered command; read it through the accessors below. */
typedef struct QmpCommand QmpCommand;

/*
 * A set of commands.  A zero-initialised QmpCommandList (static storage
 * or g_new0) is a valid empty list, so no init call is needed; the
 * registry allocates its table on the first registration.
 */
typedef struct QmpCommandList {
    GHashTable *by_name;        /* name -> QmpCommand, owned */
    GPtrArray *order;           /* QmpCommand in registration order */
} QmpCommandList;

/**
 * qmp_command_list_init:
 * Make @cmds an empty list (same as zero-initialising it).
 */
void qmp_command_list_init(QmpCommandList *cmds);

/**
 * qmp_command_list_destroy:
 * Free every command of @cmds and leave it empty.
 */
void qmp_command_list_destroy(QmpCommandList *cmds);

/**
 * qmp_register_command:
 * Add command @name with handler @fn.  @special_features holds
 * QapiSpecialFeature bits (deprecated, unstable) checked against the
 * compat policy at dispatch.  Registering a name twice is a bug.
 */
void qmp_register_command(QmpCommandList *cmds, const char *name,
                          QmpCommandFunc *fn, QmpCommandOptions options,
                          unsigned special_features);

/**
 * qmp_find_command:
 * Return the command called @name, or NULL.
 */
const QmpCommand *qmp_find_command(const QmpCommandList *cmds,
                                   const char *name);

/**
 * qmp_disable_command:
 * Make @name fail with "The command NAME has been disabled for this
 * instance", or with @err_msg when it is not NULL.  Unknown names are
 * ignored.
 */
void qmp_disable_command(QmpCommandList *cmds, const char *name,
                         const char *err_msg);

/**
 * qmp_enable_command:
 * Undo qmp_disable_command().  Unknown names are ignored.
 */
void qmp_enable_command(QmpCommandList *cmds, const char *name);

/**
 * qmp_command_is_enabled:
 * Return whether @cmd may run.
 */
bool qmp_command_is_enabled(const QmpCommand *cmd);

/**
 * qmp_command_available:
 * Return whether @cmd may run and is allowed out of band when @oob.
 */
bool qmp_command_available(const QmpCommand *cmd, bool oob);

/**
 * qmp_command_name:
 * Return the name of @cmd.
 */
const char *qmp_command_name(const QmpCommand *cmd);

/**
 * qmp_has_success_response:
 * Return false for commands registered with QCO_NO_SUCCESS_RESP.
 */
bool qmp_has_success_response(const QmpCommand *cmd);

/**
 * qmp_command_options / qmp_command_special_features:
 * Return what @cmd was registered with.
 */
QmpCommandOptions qmp_command_options(const QmpCommand *cmd);
/** qmp_command_special_features: see qmp_command_options(). */
unsigned qmp_command_special_features(const QmpCommand *cmd);

typedef void (*qmp_cmd_callback_fn)(const QmpCommand *cmd, void *opaque);

/**
 * qmp_for_each_command:
 * Call @fn for every command of @cmds, in registration order.
 */
void qmp_for_each_command(const QmpCommandList *cmds, qmp_cmd_callback_fn fn,
                          void *opaque);

/**
 * qmp_build_error_object:
 * Return {"class": CLASS, "desc": MESSAGE} for @err (not freed).
 */
QDict *qmp_build_error_object(Error *err);

/**
 * qmp_error_response:
 * Return {"error": {"class": ..., "desc": ...}} and free @err.
 */
QDict *qmp_error_response(Error *err);

/**
 * qmp_is_oob:
 * Return whether the request @dict asks for out-of-band execution
 * (it has "exec-oob" instead of "execute").
 */
bool qmp_is_oob(const QDict *dict);

/**
 * qmp_dispatch:
 * Validate @request, run the command it names from @cmds and return the
 * reply: {"return": VALUE} ({} when the command returns nothing),
 * {"error": {...}}, or NULL for a successful command registered with
 * QCO_NO_SUCCESS_RESP.  "exec-oob" is accepted only when @allow_oob.
 * "id" is allowed in @request and is left for the caller to copy.
 * @cur_mon is made the current monitor while the command runs.
 */
QDict *qmp_dispatch(const QmpCommandList *cmds, QObject *request,
                    bool allow_oob, Monitor *cur_mon);

/**
 * qmp_dispatch_cur_mon:
 * Return the monitor passed to the qmp_dispatch() that is running now,
 * or NULL outside of dispatch.
 */
Monitor *qmp_dispatch_cur_mon(void);

#endif
