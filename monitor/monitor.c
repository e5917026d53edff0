/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every monitor shares: the list of monitors, output, the current
 * monitor, and the broadcast of QAPI events to negotiated QMP clients.
 */
#include "qemu/osdep.h"
#include "monitor-internal.h"
#include "qobject/qjson.h"
#include "qapi/qapi-emit-events.h"
#include "qapi/qapi-init-commands.h"
#include "qapi/qapi-commands-control.h"
#include "qapi/qapi-commands-introspect.h"

MonitorList mon_list = QTAILQ_HEAD_INITIALIZER(mon_list);
QmpCommandList qmp_commands;
QmpCommandList qmp_cap_negotiation_commands;

/* HMP commands run outside QMP dispatch keep their monitor here. */
static Monitor *hmp_cur_mon;

void monitor_init_globals(void)
{
    qmp_init_marshal(&qmp_commands);
    /* Hand-written (gen: false) commands are registered by their owner. */
    qmp_register_command(&qmp_commands, "query-qmp-schema",
                         qmp_query_qmp_schema, QCO_ALLOW_PRECONFIG, 0);
    qmp_register_command(&qmp_cap_negotiation_commands, "qmp_capabilities",
                         qmp_marshal_qmp_capabilities, QCO_ALLOW_PRECONFIG,
                         0);
}

Monitor *monitor_cur(void)
{
    return hmp_cur_mon ? hmp_cur_mon : qmp_dispatch_cur_mon();
}

Monitor *monitor_set_cur(Monitor *mon)
{
    Monitor *old = hmp_cur_mon;

    hmp_cur_mon = mon;
    return old;
}

void monitor_list_append(Monitor *mon)
{
    QTAILQ_INSERT_TAIL(&mon_list, mon, entry);
}

int monitor_write(Monitor *mon, const char *buf, size_t len)
{
    if (mon->capture) {
        g_string_append_len(mon->capture, buf, len);
        return len;
    }
    return qemu_chr_fe_write_all(&mon->chr, (const uint8_t *)buf, len);
}

/* Like a terminal, and like QEMU on every monitor: "\n" goes out as "\r\n". */
void monitor_write_crlf(Monitor *mon, const char *str, size_t len)
{
    g_autoptr(GString) out = g_string_sized_new(len + 16);
    size_t i;

    for (i = 0; i < len; i++) {
        if (str[i] == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, str[i]);
    }
    monitor_write(mon, out->str, out->len);
}

int monitor_puts(Monitor *mon, const char *str)
{
    if (mon->is_qmp) {
        return -1;
    }
    monitor_write_crlf(mon, str, strlen(str));
    return strlen(str);
}

int monitor_printf(Monitor *mon, const char *fmt, ...)
{
    g_autofree char *str = NULL;
    va_list ap;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return monitor_puts(mon, str);
}

void qapi_event_emit(QAPIEvent event, QDict *qdict)
{
    Monitor *mon;

    QTAILQ_FOREACH(mon, &mon_list, entry) {
        MonitorQMP *qmp = (MonitorQMP *)mon;

        if (!mon->is_qmp || !qmp->connected ||
            qmp->commands != &qmp_commands) {
            continue;
        }
        monitor_qmp_send(qmp, qdict);
    }
}

void monitor_flush_all(void)
{
    Monitor *mon;

    QTAILQ_FOREACH(mon, &mon_list, entry) {
        qemu_chr_fe_flush(&mon->chr);
    }
}

void monitor_cleanup(void)
{
    Monitor *mon, *next;

    QTAILQ_FOREACH_SAFE(mon, &mon_list, entry, next) {
        QTAILQ_REMOVE(&mon_list, mon, entry);
        if (mon->is_qmp) {
            monitor_qmp_destroy((MonitorQMP *)mon);
        } else {
            monitor_hmp_destroy((MonitorHMP *)mon);
        }
    }
    qmp_command_list_destroy(&qmp_commands);
    qmp_command_list_destroy(&qmp_cap_negotiation_commands);
}
