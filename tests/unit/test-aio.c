/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for AioContext (util/async.c, util/aio-posix.c), timers
 * (util/qemu-timer.c), EventNotifier and AIO_WAIT_WHILE.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "block/aio-wait.h"

static AioContext *ctx;

/* ---- fd handlers ---- */

typedef struct PipeData {
    int fds[2];
    int reads;
    int writes;
    char last;
} PipeData;

static void pipe_read_cb(void *opaque)
{
    PipeData *d = opaque;

    g_assert_cmpint(read(d->fds[0], &d->last, 1), ==, 1);
    d->reads++;
}

static void pipe_write_cb(void *opaque)
{
    PipeData *d = opaque;

    d->writes++;
    /* One-shot: stop watching for writability from inside the handler. */
    aio_set_fd_handler(ctx, d->fds[1], NULL, NULL, NULL);
}

static void test_fd_handler(void)
{
    PipeData d = { 0 };

    g_assert_cmpint(pipe2(d.fds, O_NONBLOCK), ==, 0);
    aio_set_fd_handler(ctx, d.fds[0], pipe_read_cb, NULL, &d);
    g_assert_false(aio_poll(ctx, false));
    g_assert_cmpint(d.reads, ==, 0);

    g_assert_cmpint(write(d.fds[1], "x", 1), ==, 1);
    g_assert_true(aio_poll(ctx, true));
    g_assert_cmpint(d.reads, ==, 1);
    g_assert_cmpint(d.last, ==, 'x');

    /* A pipe with room is writable at once. */
    aio_set_fd_handler(ctx, d.fds[1], NULL, pipe_write_cb, &d);
    g_assert_true(aio_poll(ctx, true));
    g_assert_cmpint(d.writes, ==, 1);
    g_assert_false(aio_poll(ctx, false));
    g_assert_cmpint(d.writes, ==, 1);

    /* Removed: data stays unread. */
    aio_set_fd_handler(ctx, d.fds[0], NULL, NULL, NULL);
    g_assert_cmpint(write(d.fds[1], "y", 1), ==, 1);
    g_assert_false(aio_poll(ctx, false));
    g_assert_cmpint(d.reads, ==, 1);
    close(d.fds[0]);
    close(d.fds[1]);
}

/* ---- Bottom halves ---- */

typedef struct BHData {
    QEMUBH *bh;
    int n;
    int max;
    GString *log;
} BHData;

static void bh_count_cb(void *opaque)
{
    BHData *d = opaque;

    d->n++;
    if (d->n < d->max) {
        qemu_bh_schedule(d->bh);
    }
}

static void test_bh_schedule(void)
{
    BHData d = { .max = 1 };

    d.bh = aio_bh_new(ctx, bh_count_cb, &d);
    g_assert_false(aio_poll(ctx, false));
    qemu_bh_schedule(d.bh);
    qemu_bh_schedule(d.bh);     /* twice before it runs: runs once */
    g_assert_true(aio_poll(ctx, true));
    g_assert_cmpint(d.n, ==, 1);
    g_assert_false(aio_poll(ctx, false));

    /* Cancelled: does not run. */
    qemu_bh_schedule(d.bh);
    qemu_bh_cancel(d.bh);
    g_assert_false(aio_poll(ctx, false));
    g_assert_cmpint(d.n, ==, 1);
    qemu_bh_delete(d.bh);
}

static void test_bh_reschedule_from_bh(void)
{
    BHData d = { .max = 10 };

    d.bh = aio_bh_new(ctx, bh_count_cb, &d);
    qemu_bh_schedule(d.bh);
    /* A BH rescheduled by itself runs in the next iteration only. */
    for (int i = 1; i <= 10; i++) {
        g_assert_true(aio_poll(ctx, false));
        g_assert_cmpint(d.n, ==, i);
    }
    g_assert_false(aio_poll(ctx, false));
    qemu_bh_delete(d.bh);
}

static void bh_delete_self_cb(void *opaque)
{
    BHData *d = opaque;

    d->n++;
    qemu_bh_delete(d->bh);
}

static void test_bh_delete_from_cb(void)
{
    BHData d = { 0 };

    d.bh = aio_bh_new(ctx, bh_delete_self_cb, &d);
    qemu_bh_schedule(d.bh);
    g_assert_true(aio_poll(ctx, false));
    g_assert_cmpint(d.n, ==, 1);
}

static void bh_log_cb(void *opaque)
{
    BHData *d = opaque;

    g_string_append_printf(d->log, "%d ", d->n++);
}

static void test_bh_oneshot(void)
{
    BHData d = { .log = g_string_new("") };

    aio_bh_schedule_oneshot(ctx, bh_log_cb, &d);
    aio_bh_schedule_oneshot(ctx, bh_log_cb, &d);
    aio_bh_schedule_oneshot(ctx, bh_log_cb, &d);
    g_assert_true(aio_poll(ctx, false));
    g_assert_cmpstr(d.log->str, ==, "0 1 2 ");
    g_assert_false(aio_poll(ctx, false));
    g_string_free(d.log, true);
}

/* ---- Timers ---- */

typedef struct TimerData {
    GString *log;
    const char *name;
} TimerData;

static void timer_log_cb(void *opaque)
{
    TimerData *td = opaque;

    g_string_append_printf(td->log, "%s ", td->name);
}

static void test_timers_realtime_order(void)
{
    g_autoptr(GString) log = g_string_new("");
    TimerData td[3] = { { log, "a" }, { log, "b" }, { log, "c" } };
    QEMUTimer *t[3];
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

    for (int i = 0; i < 3; i++) {
        t[i] = aio_timer_new(ctx, QEMU_CLOCK_REALTIME, SCALE_US,
                             timer_log_cb, &td[i]);
    }
    /* Armed out of order; deadlines c < a < b, all within 3 ms. */
    timer_mod(t[0], now / SCALE_US + 2000);
    timer_mod(t[1], now / SCALE_US + 3000);
    timer_mod(t[2], now / SCALE_US + 1000);
    g_assert_true(timer_pending(t[0]));
    g_assert_cmpint(timer_expire_time_ns(t[0]), ==,
                    (now / SCALE_US + 2000) * SCALE_US);

    AIO_WAIT_WHILE(ctx, timer_pending(t[1]));
    g_assert_cmpstr(log->str, ==, "c a b ");
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_REALTIME), >=,
                    now + 3 * SCALE_MS);
    g_assert_cmpint(timer_expire_time_ns(t[1]), ==, -1);

    /* timer_del disarms; timer_mod_anticipate only moves earlier. */
    timer_mod(t[0], now / SCALE_US + 100000000);
    timer_mod_anticipate(t[0], now / SCALE_US + 200000000);
    g_assert_cmpint(timer_expire_time_ns(t[0]), ==,
                    (now / SCALE_US + 100000000) * SCALE_US);
    timer_mod_anticipate(t[0], now / SCALE_US);
    g_assert_cmpint(timer_expire_time_ns(t[0]), ==,
                    now / SCALE_US * SCALE_US);
    timer_del(t[0]);
    g_assert_false(timer_pending(t[0]));
    g_assert_false(aio_poll(ctx, false));
    g_assert_cmpstr(log->str, ==, "c a b ");
    for (int i = 0; i < 3; i++) {
        timer_free(t[i]);
    }
}

static void test_timers_virtual_step(void)
{
    g_autoptr(GString) log = g_string_new("");
    TimerData td[4] = {
        { log, "v30" }, { log, "v10" }, { log, "v20" }, { log, "v20b" }
    };
    int64_t deadline[4] = { 30, 10, 20, 20 };
    QEMUTimer *t[4];

    qtest_set_virtual_clock_mode(true);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, 0);
    for (int i = 0; i < 4; i++) {
        t[i] = aio_timer_new(ctx, QEMU_CLOCK_VIRTUAL, SCALE_NS,
                             timer_log_cb, &td[i]);
        timer_mod(t[i], deadline[i]);
    }
    /* Manual clock: nothing is due however long we poll. */
    g_assert_cmpint(aio_compute_timeout(ctx), ==, -1);
    g_assert_false(aio_poll(ctx, false));

    g_assert_cmpint(qemu_clock_step_virtual(9), ==, 9);
    g_assert_cmpstr(log->str, ==, "");
    g_assert_cmpint(qemu_clock_step_virtual(1), ==, 10);
    g_assert_cmpstr(log->str, ==, "v10 ");
    /* Equal deadlines fire in the order they were armed. */
    g_assert_cmpint(qemu_clock_step_virtual(15), ==, 25);
    g_assert_cmpstr(log->str, ==, "v10 v20 v20b ");
    g_assert_true(timer_pending(t[0]));
    g_assert_cmpint(qemu_clock_set_virtual(100), ==, 100);
    g_assert_cmpstr(log->str, ==, "v10 v20 v20b v30 ");
    /* The clock never goes back. */
    g_assert_cmpint(qemu_clock_set_virtual(50), ==, 100);
    qtest_set_virtual_clock_mode(false);
    for (int i = 0; i < 4; i++) {
        timer_free(t[i]);
    }
}

static void test_timers_virtual_host_clock(void)
{
    g_autoptr(GString) log = g_string_new("");
    TimerData td = { log, "v" };
    QEMUTimer *t;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int64_t host = get_clock();

    /* Outside qtest mode the virtual clock follows the host. */
    g_assert_false(qtest_virtual_clock_is_manual());
    g_assert_cmpint(now, <=, host);
    g_assert_cmpint(host - now, <, NANOSECONDS_PER_SECOND);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_HOST), >, 0);
    t = aio_timer_new(ctx, QEMU_CLOCK_VIRTUAL, SCALE_MS, timer_log_cb, &td);
    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + 1);
    AIO_WAIT_WHILE(ctx, timer_pending(t));
    g_assert_cmpstr(log->str, ==, "v ");
    timer_free(t);
}

/* ---- Cross-thread wake-up ---- */

typedef struct KickData {
    EventNotifier e;
    int fired;
    bool bh_ran;
} KickData;

static void kick_read_cb(EventNotifier *e)
{
    KickData *k = container_of(e, KickData, e);

    g_assert_true(event_notifier_test_and_clear(e));
    k->fired++;
}

static gpointer kick_thread(gpointer opaque)
{
    KickData *k = opaque;

    g_usleep(20000);    /* let the main thread block first (not timing) */
    event_notifier_set(&k->e);
    return NULL;
}

static void test_event_notifier_wakes_poll(void)
{
    KickData k = { 0 };
    GThread *th;

    g_assert_cmpint(event_notifier_init(&k.e, false), ==, 0);
    g_assert_false(event_notifier_test_and_clear(&k.e));
    aio_set_event_notifier(ctx, &k.e, kick_read_cb);
    th = g_thread_new("kick", kick_thread, &k);
    /* Blocks: no timer, no BH; only the other thread can end it. */
    while (!k.fired) {
        aio_poll(ctx, true);
    }
    g_thread_join(th);
    g_assert_cmpint(k.fired, ==, 1);
    aio_set_event_notifier(ctx, &k.e, NULL);
    event_notifier_cleanup(&k.e);

    /* Starting active works too. */
    g_assert_cmpint(event_notifier_init(&k.e, true), ==, 0);
    g_assert_true(event_notifier_test_and_clear(&k.e));
    g_assert_false(event_notifier_test_and_clear(&k.e));
    event_notifier_cleanup(&k.e);
}

static void set_flag_bh(void *opaque)
{
    *(bool *)opaque = true;
}

static gpointer schedule_thread(gpointer opaque)
{
    KickData *k = opaque;

    g_usleep(20000);
    aio_bh_schedule_oneshot(ctx, set_flag_bh, &k->bh_ran);
    return NULL;
}

static void test_bh_from_thread(void)
{
    KickData k = { 0 };
    GThread *th = g_thread_new("sched", schedule_thread, &k);

    /* AIO_WAIT_WHILE blocks in aio_poll until the BH from the thread. */
    g_assert_true(AIO_WAIT_WHILE(ctx, !k.bh_ran));
    g_thread_join(th);
    g_assert_false(AIO_WAIT_WHILE(ctx, !k.bh_ran));
}

static gint flag_set;

static gpointer kick_waiter_thread(gpointer opaque)
{
    g_usleep(20000);
    g_atomic_int_set(&flag_set, 1);
    aio_wait_kick();
    return NULL;
}

static void test_aio_wait_kick(void)
{
    GThread *th = g_thread_new("kick", kick_waiter_thread, NULL);

    AIO_WAIT_WHILE(NULL, !g_atomic_int_get(&flag_set));
    g_thread_join(th);
    g_assert_cmpint(flag_set, ==, 1);
}

/* ---- Coroutine wake-ups ---- */

static void coroutine_fn co_wait_for_wake(void *opaque)
{
    int *step = opaque;

    (*step)++;
    qemu_coroutine_yield();
    (*step)++;
}

static void test_co_schedule(void)
{
    int step = 0;
    Coroutine *co = qemu_coroutine_create(co_wait_for_wake, &step);

    qemu_coroutine_enter(co);
    g_assert_cmpint(step, ==, 1);
    g_assert_true(qemu_coroutine_get_aio_context(co) == ctx);
    aio_co_schedule(ctx, co);
    g_assert_cmpint(step, ==, 1);       /* not before the BH runs */
    g_assert_true(aio_poll(ctx, false));
    g_assert_cmpint(step, ==, 2);

    /* aio_co_wake from the event loop enters at once. */
    step = 0;
    co = qemu_coroutine_create(co_wait_for_wake, &step);
    qemu_coroutine_enter(co);
    aio_co_wake(co);
    g_assert_cmpint(step, ==, 2);
}

typedef struct OtherCtx {
    AioContext *other;
    Coroutine *co;
    int step;
} OtherCtx;

static void coroutine_fn co_in_other(void *opaque)
{
    OtherCtx *o = opaque;

    g_assert_true(qemu_get_current_aio_context() == o->other);
    o->step++;
    qemu_coroutine_yield();
    g_assert_true(qemu_get_current_aio_context() == o->other);
    o->step++;
}

static void start_in_other_bh(void *opaque)
{
    OtherCtx *o = opaque;

    o->co = qemu_coroutine_create(co_in_other, o);
    qemu_coroutine_enter(o->co);
}

/* A coroutine woken from the main context runs in its own context. */
static void test_second_context(void)
{
    OtherCtx o = { .other = aio_context_new(&error_abort) };

    aio_bh_schedule_oneshot(o.other, start_in_other_bh, &o);
    g_assert_true(aio_poll(o.other, false));
    g_assert_cmpint(o.step, ==, 1);
    aio_co_wake(o.co);          /* we are in the main context */
    g_assert_cmpint(o.step, ==, 1);
    g_assert_true(aio_poll(o.other, false));
    g_assert_cmpint(o.step, ==, 2);
    aio_context_unref(o.other);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    ctx = qemu_get_aio_context();

    g_test_add_func("/aio/fd-handler", test_fd_handler);
    g_test_add_func("/aio/bh/schedule", test_bh_schedule);
    g_test_add_func("/aio/bh/reschedule-from-bh", test_bh_reschedule_from_bh);
    g_test_add_func("/aio/bh/delete-from-cb", test_bh_delete_from_cb);
    g_test_add_func("/aio/bh/oneshot", test_bh_oneshot);
    g_test_add_func("/aio/bh/from-thread", test_bh_from_thread);
    g_test_add_func("/aio/timer/realtime-order", test_timers_realtime_order);
    g_test_add_func("/aio/timer/virtual-step", test_timers_virtual_step);
    g_test_add_func("/aio/timer/virtual-follows-host",
                    test_timers_virtual_host_clock);
    g_test_add_func("/aio/event-notifier-wakes-poll",
                    test_event_notifier_wakes_poll);
    g_test_add_func("/aio/wait-kick", test_aio_wait_kick);
    g_test_add_func("/aio/co-schedule", test_co_schedule);
    g_test_add_func("/aio/second-context", test_second_context);
    return g_test_run();
}
