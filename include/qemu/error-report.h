/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Human-readable error output for the tools and the monitor:
 * "PROGNAME: [LOCATION: ]MESSAGE" on stderr, or on the current monitor
 * when a monitor command is running.
 */
#ifndef QEMU_ERROR_REPORT_H
#define QEMU_ERROR_REPORT_H

/*
 * Where the message is printed instead of stderr while a monitor command
 * runs; NULL restores stderr.  The sink receives complete text fragments.
 */
typedef void ErrorPrintSink(void *opaque, const char *text);
void error_print_set_sink(ErrorPrintSink *sink, void *opaque);

/*
 * The location prefix for error_report(), e.g. "-drive file=x" while the
 * command line is parsed, or NULL for none.  The string is copied.
 */
void error_location_set(const char *loc);

void error_vprintf(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
void error_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* "PROG: [LOC: ]MESSAGE\n" */
void error_vreport(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* "PROG: [LOC: ]warning: MESSAGE\n" */
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void warn_vreport(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
/* "PROG: [LOC: ]info: MESSAGE\n", as QEMU prints it */
void info_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
