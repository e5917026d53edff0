/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtest line protocol.  There is no guest memory or I/O space here,
 * so only the clock commands are served; anything else gets a FAIL line
 * and the connection stays usable.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/timer.h"
#include "sysemu/qtest.h"

typedef struct QTestState {
    CharBackend chr;
    GString *inbuf;             /* input up to the next newline */
} QTestState;

static QTestState *qtest;

static void qtest_send(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void qtest_send(const char *fmt, ...)
{
    g_autofree char *line = NULL;
    va_list ap;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_chr_fe_write_all(&qtest->chr, (const uint8_t *)line, strlen(line));
}

static bool qtest_parse_ns(const char *str, int64_t *ns)
{
    return qemu_strtoi64(str, NULL, 0, ns) == 0 && *ns >= 0;
}

static void qtest_clock_step(char **words)
{
    int64_t ns;

    if (!words[1]) {
        /* Without an argument: up to the next virtual timer. */
        ns = qemu_clock_deadline_ns_all(QEMU_CLOCK_VIRTUAL);
        if (ns < 0) {
            ns = 0;
        }
    } else if (!qtest_parse_ns(words[1], &ns)) {
        qtest_send("FAIL invalid number '%s'\n", words[1]);
        return;
    }
    qtest_send("OK %" PRId64 "\n", qemu_clock_step_virtual(ns));
}

static void qtest_clock_set(char **words)
{
    int64_t ns;

    if (!words[1] || !qtest_parse_ns(words[1], &ns)) {
        qtest_send("FAIL clock_set needs a time in nanoseconds\n");
        return;
    }
    qtest_send("OK %" PRId64 "\n", qemu_clock_set_virtual(ns));
}

static void qtest_process_line(const char *line)
{
    g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
    char **w = words;

    while (*w && !**w) {
        w++;
    }
    if (!*w) {
        return;
    }
    if (!strcmp(w[0], "clock_step")) {
        qtest_clock_step(w);
    } else if (!strcmp(w[0], "clock_set")) {
        qtest_clock_set(w);
    } else {
        qtest_send("FAIL Unknown command '%s'\n", w[0]);
    }
}

static void qtest_read(void *opaque, const uint8_t *buf, int size)
{
    char *nl;

    g_string_append_len(qtest->inbuf, (const char *)buf, size);
    while ((nl = strchr(qtest->inbuf->str, '\n'))) {
        g_autofree char *line = g_strndup(qtest->inbuf->str,
                                          nl - qtest->inbuf->str);

        g_string_erase(qtest->inbuf, 0, nl - qtest->inbuf->str + 1);
        g_strchomp(line);
        qtest_process_line(line);
    }
}

static void qtest_event(void *opaque, QEMUChrEvent event)
{
    if (event == CHR_EVENT_CLOSED) {
        g_string_truncate(qtest->inbuf, 0);
    }
}

bool qtest_server_init(Chardev *chr, Error **errp)
{
    qtest = g_new0(QTestState, 1);
    if (!qemu_chr_fe_init(&qtest->chr, chr, errp)) {
        g_free(qtest);
        qtest = NULL;
        return false;
    }
    qtest->inbuf = g_string_new(NULL);
    qemu_chr_fe_set_handlers(&qtest->chr, qtest_read, qtest_event, NULL);
    return true;
}

void qtest_server_cleanup(void)
{
    if (qtest) {
        g_string_free(qtest->inbuf, true);
        g_free(qtest);
        qtest = NULL;
    }
}
