/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Human-readable error output: "PROG: [LOC: ]MESSAGE", to stderr or to
 * the sink a running monitor command installed.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"

static ErrorPrintSink *print_sink;
static void *print_sink_opaque;
static char *location;

void error_print_set_sink(ErrorPrintSink *sink, void *opaque)
{
    print_sink = sink;
    print_sink_opaque = opaque;
}

void error_location_set(const char *loc)
{
    g_free(location);
    location = g_strdup(loc);
}

void error_vprintf(const char *fmt, va_list ap)
{
    if (print_sink) {
        g_autofree char *text = g_strdup_vprintf(fmt, ap);
        print_sink(print_sink_opaque, text);
    } else {
        vfprintf(stderr, fmt, ap);
    }
}

void error_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vprintf(fmt, ap);
    va_end(ap);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    const char *prog = g_get_prgname();
    GString *line = g_string_new(NULL);

    /* Inside a monitor command the program name is not printed. */
    if (prog && !print_sink) {
        g_string_append_printf(line, "%s: ", prog);
    }
    if (location) {
        g_string_append_printf(line, "%s: ", location);
    }
    if (kind) {
        g_string_append(line, kind);
    }
    g_string_append_vprintf(line, fmt, ap);
    g_string_append_c(line, '\n');
    error_printf("%s", line->str);
    g_string_free(line, true);
}

void error_vreport(const char *fmt, va_list ap)
{
    vreport(NULL, fmt, ap);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
}

void warn_vreport(const char *fmt, va_list ap)
{
    vreport("warning: ", fmt, ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("info: ", fmt, ap);
    va_end(ap);
}
