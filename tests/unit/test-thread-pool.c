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

typedef struct Order {
    int next;               /* index the next callback must carry */
    int resubmit;           /* callbacks still to submit a new request */
    int done;
} Order;

static Order order;
static int order_idx[200];

static int index_fn(void *opaque)
{
    return *(int *)opaque;
}

static void order_cb(void *opaque, int ret)
{
    g_assert_cmpint(ret, ==, order.next);
    order.next++;
    order.done++;
    if (order.resubmit > 0) {
        /* Reuses the element just freed while the BH is still draining. */
        int i = 200 - order.resubmit--;

        order_idx[i] = i;
        thread_pool_submit_aio(index_fn, &order_idx[i], order_cb, NULL);
    }
}

/*
 * One worker finishes requests in submission order; the batched
 * completion BH must hand them back in that same order, also when
 * callbacks submit new requests while a batch is being drained.
 */
static void test_completion_order(void)
{
    ThreadPool *pool = aio_get_thread_pool(ctx);

    thread_pool_set_max_threads(pool, 1);
    wait_thread_count_at_most(pool, 1);
    order = (Order) { .resubmit = 100 };
    for (int i = 0; i < 100; i++) {
        order_idx[i] = i;
        thread_pool_submit_aio(index_fn, &order_idx[i], order_cb, NULL);
    }
    AIO_WAIT_WHILE(ctx, order.done < 200);
    g_assert_cmpint(order.next, ==, 200);
    thread_pool_set_max_threads(pool, 64);
}

typedef struct Depth {
    int left;               /* requests still to submit */
    int active;             /* coroutines still running */
} Depth;

static void coroutine_fn co_fast_loop(void *opaque)
{
    Depth *d = opaque;
    Work w = { .n = 5 };

    while (d->left > 0) {
        d->left--;
        g_assert_cmpint(thread_pool_submit_co(square_fn, &w), ==, 25);
    }
    d->active--;
}

/*
 * 64 fast requests in flight, as a guest at queue depth 64 on the page
 * cache: a few warm workers keep up, so the pool must not start one
 * worker per request (the limit, 64, is what eager spawning reached).
 * Growth needs requests starved for a spawn delay, so a loaded machine
 * may add some; half the limit is far from both.
 */
static void test_fast_depth_few_workers(void)
{
    ThreadPool *pool = aio_get_thread_pool(ctx);
    Depth d = { .left = 20000, .active = 64 };

    /*
     * How many workers a burst of fast requests needs depends on how the
     * host schedules threads: on a loaded machine the pool may rightly
     * grow.  It is a speed property, so it runs only with -m slow (or
     * thorough) and never decides a CI run.
     */
    if (!g_test_slow() && !g_test_thorough()) {
        g_test_skip("timing-dependent; run with -m slow");
        return;
    }
    thread_pool_set_idle_timeout_ms(pool, 10);
    wait_thread_count_at_most(pool, 0);
    thread_pool_set_idle_timeout_ms(pool, 10000);
    for (int i = 0; i < 64; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(co_fast_loop, &d));
    }
    AIO_WAIT_WHILE(ctx, d.active > 0);
    g_assert_cmpint(thread_pool_get_thread_count(pool), <=, 32);
}

typedef struct Gate {
    GMutex lock;
    GCond cond;
    int arrived;
    int want;
} Gate;

/* Wait until @want requests are running at once (or time out). */
static int gate_fn(void *opaque)
{
    Gate *g = opaque;
    gint64 end = g_get_monotonic_time() + 10 * G_TIME_SPAN_SECOND;
    int ret;

    g_mutex_lock(&g->lock);
    g->arrived++;
    g_cond_broadcast(&g->cond);
    while (g->arrived < g->want && g_get_monotonic_time() < end) {
        g_cond_wait_until(&g->cond, &g->lock, end);
    }
    ret = g->arrived >= g->want ? 0 : -ETIMEDOUT;
    g_mutex_unlock(&g->lock);
    return ret;
}

static void gate_cb(void *opaque, int ret)
{
    int *bad_or_done = opaque;

    bad_or_done[0] += ret != 0;
    bad_or_done[1]++;
}

/*
 * Requests that block need as many workers as requests: a burst of
 * blocking requests must get them all running together, however the
 * pool decides to start and wake workers.
 */
static void test_blocking_burst(void)
{
    enum { N = 24 };
    Gate g = { .want = N };
    int res[2] = { 0, 0 };

    g_mutex_init(&g.lock);
    g_cond_init(&g.cond);
    for (int i = 0; i < N; i++) {
        thread_pool_submit_aio(gate_fn, &g, gate_cb, res);
    }
    AIO_WAIT_WHILE(ctx, res[1] < N);
    g_assert_cmpint(res[0], ==, 0);
    g_assert_cmpint(thread_pool_get_thread_count(aio_get_thread_pool(ctx)),
                    >=, N);
    g_cond_clear(&g.cond);
    g_mutex_clear(&g.lock);
}

static int slow_fn(void *opaque)
{
    g_usleep(1000);     /* stands for a slow disk, not for synchronisation */
    return 0;
}

/*
 * Slow requests that keep completing (so the pool never looks stalled)
 * still grow the pool past the few eager workers: with I/O that blocks,
 * more workers mean more requests in flight.
 */
static void test_slow_requests_grow(void)
{
    ThreadPool *pool = aio_get_thread_pool(ctx);
    int res[2] = { 0, 0 };

    thread_pool_set_idle_timeout_ms(pool, 10);
    wait_thread_count_at_most(pool, 0);
    thread_pool_set_idle_timeout_ms(pool, 10000);
    for (int i = 0; i < 400; i++) {
        thread_pool_submit_aio(slow_fn, NULL, gate_cb, res);
    }
    AIO_WAIT_WHILE(ctx, res[1] < 400);
    g_assert_cmpint(res[0], ==, 0);
    g_assert_cmpint(thread_pool_get_thread_count(pool), >, 4);
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
    g_test_add_func("/thread-pool/completion-order", test_completion_order);
    g_test_add_func("/thread-pool/fast-depth-few-workers",
                    test_fast_depth_few_workers);
    g_test_add_func("/thread-pool/blocking-burst", test_blocking_burst);
    g_test_add_func("/thread-pool/slow-requests-grow",
                    test_slow_requests_grow);
    ret = g_test_run();
    qemu_cleanup_main_loop();
    return ret;
}
