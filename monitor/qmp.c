/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QMP server: greet each client, parse the JSON it sends, refuse
 * everything but qmp_capabilities until it negotiates, dispatch commands
 * and send the replies with the request's "id" echoed.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "sysemu/runstate.h"

void monitor_qmp_send(MonitorQMP *mon, QDict *msg)
{
    g_autoptr(GString) json = qobject_to_json_pretty(QOBJECT(msg),
                                                     mon->pretty);

    g_string_append_c(json, '\n');
    monitor_write_crlf(&mon->common, json->str, json->len);
}

/* The greeting names the version and the capabilities on offer. */
static QDict *qmp_greeting(void)
{
    QDict *qemu = qdict_new();
    QDict *version = qdict_new();
    QDict *body = qdict_new();
    QDict *greeting = qdict_new();
    QList *caps = qlist_new();

    qdict_put_int(qemu, "major", QEMU_VERSION_MAJOR);
    qdict_put_int(qemu, "minor", QEMU_VERSION_MINOR);
    qdict_put_int(qemu, "micro", QEMU_VERSION_MICRO);
    qdict_put_obj(version, "qemu", QOBJECT(qemu));
    qdict_put_str(version, "package", QEMU_PKGVERSION);
    qlist_append_str(caps, "oob");
    qdict_put_obj(body, "version", QOBJECT(version));
    qdict_put_obj(body, "capabilities", QOBJECT(caps));
    qdict_put_obj(greeting, "QMP", QOBJECT(body));
    return greeting;
}

/*
 * Before negotiation only qmp_capabilities exists; say so instead of
 * calling every other command unknown.
 */
static void monitor_qmp_fix_negotiation_error(MonitorQMP *mon, QDict *rsp)
{
    QDict *error = qdict_get_qdict(rsp, "error");

    if (mon->commands != &qmp_cap_negotiation_commands || !error ||
        g_strcmp0(qdict_get_try_str(error, "class"), "CommandNotFound")) {
        return;
    }
    qdict_put_str(error, "desc",
                  "Expecting capabilities negotiation with "
                  "'qmp_capabilities'");
}

static void monitor_qmp_handle(MonitorQMP *mon, QObject *req)
{
    QDict *dict = qobject_to(QDict, req);
    QObject *id = dict ? qdict_get(dict, "id") : NULL;
    QDict *rsp;

    rsp = qmp_dispatch(mon->commands, req, mon->capab[QMP_CAPABILITY_OOB],
                       &mon->common);
    if (!rsp) {
        return;
    }
    monitor_qmp_fix_negotiation_error(mon, rsp);
    if (id) {
        qdict_put_obj(rsp, "id", qobject_ref(id));
    }
    monitor_qmp_send(mon, rsp);
    qobject_unref(rsp);
}

static void monitor_qmp_emit(void *opaque, QObject *req, Error *err)
{
    MonitorQMP *mon = opaque;

    /* After "quit", later requests are not run, as in QEMU. */
    if (qemu_shutdown_requested()) {
        qobject_unref(req);
        error_free(err);
        return;
    }
    if (err) {
        QDict *rsp = qmp_error_response(err);

        monitor_qmp_send(mon, rsp);
        qobject_unref(rsp);
        return;
    }
    monitor_qmp_handle(mon, req);
    qobject_unref(req);
}

static void monitor_qmp_read(void *opaque, const uint8_t *buf, int size)
{
    MonitorQMP *mon = opaque;

    json_message_parser_feed(&mon->parser, (const char *)buf, size);
}

/* Each connection starts afresh: new parser, greeting, negotiation. */
static void monitor_qmp_event(void *opaque, QEMUChrEvent event)
{
    MonitorQMP *mon = opaque;
    QDict *greeting;

    switch (event) {
    case CHR_EVENT_OPENED:
        mon->commands = &qmp_cap_negotiation_commands;
        memset(mon->capab, 0, sizeof(mon->capab));
        json_message_parser_destroy(&mon->parser);
        json_message_parser_init(&mon->parser, monitor_qmp_emit, mon, NULL);
        mon->connected = true;
        greeting = qmp_greeting();
        monitor_qmp_send(mon, greeting);
        qobject_unref(greeting);
        break;
    case CHR_EVENT_CLOSED:
        mon->connected = false;
        mon->commands = &qmp_cap_negotiation_commands;
        json_message_parser_destroy(&mon->parser);
        json_message_parser_init(&mon->parser, monitor_qmp_emit, mon, NULL);
        break;
    }
}

bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp)
{
    MonitorQMP *mon = g_new0(MonitorQMP, 1);

    if (!qemu_chr_fe_init(&mon->common.chr, chr, errp)) {
        g_free(mon);
        return false;
    }
    mon->common.is_qmp = true;
    mon->pretty = pretty;
    mon->commands = &qmp_cap_negotiation_commands;
    json_message_parser_init(&mon->parser, monitor_qmp_emit, mon, NULL);
    monitor_list_append(&mon->common);
    qemu_chr_fe_set_handlers(&mon->common.chr, monitor_qmp_read,
                             monitor_qmp_event, mon);
    return true;
}

void monitor_qmp_destroy(MonitorQMP *mon)
{
    json_message_parser_destroy(&mon->parser);
    g_free(mon);
}
