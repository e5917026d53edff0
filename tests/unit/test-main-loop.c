/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for util/main-loop.c: GLib sources and the main AioContext
 * run from the same loop.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "qapi/error.h"
#include "qemu/main-loop.h"

typedef struct Log {
    GString *s;
    int bh_runs;
    bool timer_fired;
    bool io_seen;
} Log;

static gboolean idle_cb(gpointer opaque)
{
    Log *log = opaque;

    g_string_append(log->s, "idle ");
    return G_SOURCE_REMOVE;
}

static void bh_cb(void *opaque)
{
    Log *log = opaque;

    g_string_append(log->s, "bh ");
    log->bh_runs++;
}

static void test_bh_and_idle(void)
{
    Log log = { .s = g_string_new("") };
    QEMUBH *bh = qemu_bh_new(bh_cb, &log);

    g_idle_add(idle_cb, &log);
    qemu_bh_schedule(bh);
    while (log.bh_runs < 1 || !strstr(log.s->str, "idle")) {
        main_loop_wait(false);
    }
    g_assert_cmpint(log.bh_runs, ==, 1);
    g_assert_nonnull(strstr(log.s->str, "bh "));
    g_assert_nonnull(strstr(log.s->str, "idle "));
    qemu_bh_delete(bh);
    g_string_free(log.s, true);
}

static gboolean glib_timeout_cb(gpointer opaque)
{
    Log *log = opaque;

    g_string_append(log->s, "glib-timeout ");
    return G_SOURCE_REMOVE;
}

static void qemu_timer_cb(void *opaque)
{
    Log *log = opaque;

    g_string_append(log->s, "qemu-timer ");
    log->timer_fired = true;
}

/* A QEMU timer wakes the GLib loop; a GLib timeout runs beside it. */
static void test_timers(void)
{
    Log log = { .s = g_string_new("") };
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_REALTIME, qemu_timer_cb, &log);

    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 5);
    g_timeout_add(30, glib_timeout_cb, &log);
    while (!strstr(log.s->str, "glib-timeout")) {
        main_loop_wait(false);
    }
    g_assert_cmpstr(log.s->str, ==, "qemu-timer glib-timeout ");
    timer_free(t);
    g_string_free(log.s, true);
}

static gboolean channel_cb(GIOChannel *ch, GIOCondition cond, gpointer opaque)
{
    Log *log = opaque;
    char c;

    g_assert_cmpint(read(g_io_channel_unix_get_fd(ch), &c, 1), ==, 1);
    log->io_seen = true;
    return G_SOURCE_REMOVE;
}

static void pipe_read_cb(void *opaque)
{
    int *fds = opaque;
    char c;

    g_assert_cmpint(read(fds[0], &c, 1), ==, 1);
    aio_set_fd_handler(qemu_get_aio_context(), fds[0], NULL, NULL, NULL);
    fds[2] = 1;
}

/* A GIOChannel watch and an AioContext fd handler in one loop. */
static void test_fds(void)
{
    Log log = { 0 };
    int gfds[2], afds[3] = { 0 };
    GIOChannel *ch;

    g_assert_cmpint(pipe(gfds), ==, 0);
    g_assert_cmpint(pipe(afds), ==, 0);
    afds[2] = 0;
    ch = g_io_channel_unix_new(gfds[0]);
    g_io_add_watch(ch, G_IO_IN, channel_cb, &log);
    aio_set_fd_handler(qemu_get_aio_context(), afds[0], pipe_read_cb, NULL,
                       afds);
    g_assert_cmpint(write(gfds[1], "g", 1), ==, 1);
    g_assert_cmpint(write(afds[1], "a", 1), ==, 1);
    while (!log.io_seen || !afds[2]) {
        main_loop_wait(false);
    }
    g_io_channel_unref(ch);
    for (int i = 0; i < 2; i++) {
        close(gfds[i]);
        close(afds[i]);
    }
}

static gpointer notify_thread(gpointer opaque)
{
    g_usleep(20000);
    qemu_bh_schedule(opaque);
    return NULL;
}

/* A BH scheduled by another thread wakes a blocked main loop. */
static void test_bh_from_thread(void)
{
    Log log = { .s = g_string_new("") };
    QEMUBH *bh = qemu_bh_new(bh_cb, &log);
    GThread *th = g_thread_new("notify", notify_thread, bh);

    while (!log.bh_runs) {
        main_loop_wait(false);
    }
    g_thread_join(th);
    qemu_bh_delete(bh);
    g_string_free(log.s, true);
}

static gboolean sigusr1_cb(gpointer opaque)
{
    *(bool *)opaque = true;
    return G_SOURCE_REMOVE;
}

static void test_unix_signal(void)
{
    bool got = false;

    g_unix_signal_add(SIGUSR1, sigusr1_cb, &got);
    kill(getpid(), SIGUSR1);
    while (!got) {
        main_loop_wait(false);
    }
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    g_assert_true(qemu_init_main_loop(&error_abort));   /* idempotent */

    g_test_add_func("/main-loop/bh-and-idle", test_bh_and_idle);
    g_test_add_func("/main-loop/timers", test_timers);
    g_test_add_func("/main-loop/fds", test_fds);
    g_test_add_func("/main-loop/bh-from-thread", test_bh_from_thread);
    g_test_add_func("/main-loop/unix-signal", test_unix_signal);
    ret = g_test_run();
    qemu_cleanup_main_loop();
    return ret;
}
