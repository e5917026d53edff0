/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to monitor/: the monitor objects and the helpers the QMP and
 * HMP halves share.
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "monitor/monitor.h"
#include "qemu/queue.h"
#include "qobject/json-parser.h"
#include "qapi/qapi-types-control.h"
#include "readline.h"

struct Monitor {
    CharBackend chr;
    bool is_qmp;
    GString *capture;           /* HMP output goes here when not NULL */
    QTAILQ_ENTRY(Monitor) entry;
};

typedef struct MonitorQMP {
    Monitor common;
    JSONMessageParser parser;
    bool pretty;
    bool connected;
    bool capab[QMP_CAPABILITY__MAX];    /* enabled by qmp_capabilities */
    const QmpCommandList *commands;     /* negotiation or full set */
} MonitorQMP;

typedef struct MonitorHMP {
    Monitor common;
    ReadLineState rs;           /* unused by human-monitor-command */
} MonitorHMP;

typedef QTAILQ_HEAD(, Monitor) MonitorList;
extern MonitorList mon_list;

/* All commands, and the one command allowed before negotiation. */
extern QmpCommandList qmp_commands;
extern QmpCommandList qmp_cap_negotiation_commands;

void monitor_list_append(Monitor *mon);
int monitor_write(Monitor *mon, const char *buf, size_t len);
void monitor_write_crlf(Monitor *mon, const char *str, size_t len);
/* Send one JSON message to the client of @mon. */
void monitor_qmp_send(MonitorQMP *mon, QDict *msg);
void monitor_qmp_destroy(MonitorQMP *mon);
void monitor_hmp_destroy(MonitorHMP *mon);

/* Run one HMP command line on @mon. */
void handle_hmp_command(MonitorHMP *mon, const char *cmdline);
/* Print the greeting/prompt of an interactive HMP. */
void monitor_hmp_print_prompt(MonitorHMP *mon);

#endif
