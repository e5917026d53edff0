/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The monitors: QMP (JSON commands and events for management software)
 * and HMP (a human command line), each attached to a chardev.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "chardev/char.h"
#include "qapi/qmp/dispatch.h"

/**
 * monitor_init_globals:
 * Register the QMP commands; call once before creating monitors.
 */
void monitor_init_globals(void);

/**
 * monitor_init_qmp:
 * Run a QMP monitor on @chr: each client gets a greeting and must
 * negotiate capabilities before other commands are accepted.
 */
bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp);

/**
 * monitor_init_hmp:
 * Run the human monitor (prompt "(qemu) ") on @chr.
 */
bool monitor_init_hmp(Chardev *chr, Error **errp);

/**
 * monitor_cur:
 * Return the monitor whose command is running, or NULL.
 */
Monitor *monitor_cur(void);

/**
 * monitor_set_cur:
 * Make @mon the current monitor (for HMP commands); return the old one.
 */
Monitor *monitor_set_cur(Monitor *mon);

/**
 * monitor_printf:
 * Print to the human monitor @mon ("\n" becomes "\r\n" as on a terminal).
 * Returns the number of bytes formatted, or -1 if @mon is a QMP monitor.
 */
int monitor_printf(Monitor *mon, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/**
 * monitor_puts:
 * Like monitor_printf() without formatting.
 */
int monitor_puts(Monitor *mon, const char *str);

/**
 * monitor_flush_all:
 * Write out what every monitor has queued; used before exit.
 */
void monitor_flush_all(void);

/**
 * monitor_cleanup:
 * Destroy every monitor.
 */
void monitor_cleanup(void);

#endif
