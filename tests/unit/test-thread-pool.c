/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for util/thread-pool.c. */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "block/aio-wait.h"
#include "block/thread-pool.h"

static AioContext *ctx;

typedef struct Work {
    int n;                  /* input */
    int ret;                /* result seen by the submitter */
    bool done;
    GThread *ran_in;
} Work;

static int square_fn(void *opaque)
{
    Work *w = opaque;

    w->ran_in = g_thread_self();
    return w->n * w->n;
}

static void work_done_cb(void *opaque, int ret)
{
    Work *w = opaque;

    /* Completions come back in the submitter's (main) thread. */
    g_assert_true(qemu_get_current_aio_context() == ctx);
    w->ret = ret;
    w->done = true;
}

static void test_submit_aio(void)
{
    Work w = { .n = 7 };

    thread_pool_submit_aio(square_fn, &w, work_done_cb, &w);
    g_assert_false(w.done);     /* never completes inside the call */
    AIO_WAIT_WHILE(ctx, !w.done);
    g_assert_cmpint(w.ret, ==, 49);
    g_assert_true(w.ran_in != g_thread_self());
}

static int errno_fn(void *opaque)
{
    return -ENOSPC;
}

typedef struct CoWork {
    Work w;
    int finished;
} CoWork;

static int *finished_count;

static void coroutine_fn co_submit(void *opaque)
{
    Work *w = opaque;

    w->ret = thread_pool_submit_co(square_fn, w);
    w->done = true;
    (*finished_count)++;
}

/* Many coroutines at once: each gets its own result. */
static void test_submit_co_many(void)
{
    enum { N = 2000 };
    g_autofree Work *w = g_new0(Work, N);
    int finished = 0;

    finished_count = &finished;
    for (int i = 0; i < N; i++) {
        w[i].n = i;
        qemu_coroutine_enter(qemu_coroutine_create(co_submit, &w[i]));
    }
    AIO_WAIT_WHILE(ctx, finished < N);
    for (int i = 0; i < N; i++) {
        g_assert_true(w[i].done);
        g_assert_cmpint(w[i].ret, ==, i * i);
    }
    g_assert_cmpint(thread_pool_get_thread_count(aio_get_thread_pool(ctx)),
                    <=, 64);
}

static void coroutine_fn co_submit_errno(void *opaque)
{
    Work *w = opaque;

    w->ret = thread_pool_submit_co(errno_fn, w);
    w->done = true;
}

static void test_submit_co_errno(void)
{
    Work w = { 0 };

    qemu_coroutine_enter(qemu_coroutine_create(co_submit_errno, &w));
    AIO_WAIT_WHILE(ctx, !w.done);
    g_assert_cmpint(w.ret, ==, -ENOSPC);
}

static gint blockers_running;
static gint release_blockers;

static int blocking_fn(void *opaque)
{
    g_atomic_int_inc(&blockers_running);
    while (!g_atomic_int_get(&release_blockers)) {
        g_usleep(1000);
    }
    return 0;
}

static void count_cb(void *opaque, int ret)
{
    (*(int *)opaque)++;
}

/* Wait (as an event, with a generous bound) for workers to exit. */
static void wait_thread_count_at_most(ThreadPool *pool, int n)
{
    gint64 give_up = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;

    while (thread_pool_get_thread_count(pool) > n &&
           g_get_monotonic_time() < give_up) {
        g_usleep(2000);
    }
    g_assert_cmpint(thread_pool_get_thread_count(pool), <=, n);
}

/* The worker count is bounded; blocked workers leave the rest queued. */
static void test_max_threads(void)
{
    ThreadPool *pool = aio_get_thread_pool(ctx);
    int done = 0;

    /* Idle workers above the new limit leave. */
    thread_pool_set_max_threads(pool, 3);
    wait_thread_count_at_most(pool, 3);
    for (int i = 0; i < 8; i++) {
        thread_pool_submit_aio(blocking_fn, NULL, count_cb, &done);
    }
    while (g_atomic_int_get(&blockers_running) < 3) {
        g_usleep(1000);
    }
    g_assert_cmpint(thread_pool_get_thread_count(pool), <=, 3);
    g_assert_cmpint(g_atomic_int_get(&blockers_running), ==, 3);
    g_atomic_int_set(&release_blockers, 1);
    AIO_WAIT_WHILE(ctx, done < 8);
    g_assert_cmpint(g_atomic_int_get(&blockers_running), ==, 8);
    thread_pool_set_max_threads(pool, 64);
}

/* Idle workers exit: waited for as an event, with a generous bound. */
static void test_idle_exit(void)
{
    ThreadPool *pool = aio_get_thread_pool(ctx);
    Work w = { .n = 3 };

    thread_pool_set_idle_timeout_ms(pool, 10);
    thread_pool_submit_aio(square_fn, &w, work_done_cb, &w);
    AIO_WAIT_WHILE(ctx, !w.done);
    g_assert_cmpint(thread_pool_get_thread_count(pool), >=, 1);
    wait_thread_count_at_most(pool, 0);

    /* And the pool still works afterwards. */
    w.done = false;
    thread_pool_submit_aio(square_fn, &w, work_done_cb, &w);
    AIO_WAIT_WHILE(ctx, !w.done);
    g_assert_cmpint(w.ret, ==, 9);
    thread_pool_set_idle_timeout_ms(pool, 10000);
}

static void set_flag_bh(void *opaque)
{
    *(bool *)opaque = true;
}

static int pread_fn(void *opaque)
{
    int *fds = opaque;
    char c;

    return read(fds[0], &c, 1) == 1 ? c : -errno;
}

/* Real blocking I/O: the loop keeps running while a worker blocks. */
static void test_blocking_io(void)
{
    int fds[2];
    Work w = { 0 };
    bool bh_ran = false;

    g_assert_cmpint(pipe(fds), ==, 0);
    thread_pool_submit_aio(pread_fn, fds, work_done_cb, &w);
    aio_bh_schedule_oneshot(ctx, set_flag_bh, &bh_ran);
    AIO_WAIT_WHILE(ctx, !bh_ran);
    g_assert_false(w.done);
    g_assert_cmpint(write(fds[1], "A", 1), ==, 1);
    AIO_WAIT_WHILE(ctx, !w.done);
    g_assert_cmpint(w.ret, ==, 'A');
    close(fds[0]);
    close(fds[1]);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    ctx = qemu_get_aio_context();

    g_test_add_func("/thread-pool/submit-aio", test_submit_aio);
    g_test_add_func("/thread-pool/submit-co-many", test_submit_co_many);
    g_test_add_func("/thread-pool/submit-co-errno", test_submit_co_errno);
    g_test_add_func("/thread-pool/max-threads", test_max_threads);
    g_test_add_func("/thread-pool/idle-exit", test_idle_exit);
    g_test_add_func("/thread-pool/blocking-io", test_blocking_io);
    ret = g_test_run();
    qemu_cleanup_main_loop();
    return ret;
}
