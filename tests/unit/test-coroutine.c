/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for coroutines (util/qemu-coroutine.c and the switch
 * backend) and the coroutine locks and sleep.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/coroutine.h"
#include "qemu/main-loop.h"
#include "block/aio-wait.h"
#include "qemu/lockable.h"

/* ---- Basics ---- */

static void coroutine_fn set_and_exit(void *opaque)
{
    bool *done = opaque;

    g_assert_true(qemu_in_coroutine());
    *done = true;
}

static void test_create_enter(void)
{
    bool done = false;
    Coroutine *co = qemu_coroutine_create(set_and_exit, &done);

    g_assert_nonnull(co);
    g_assert_false(qemu_in_coroutine());
    qemu_coroutine_enter(co);
    g_assert_true(done);
}

static void coroutine_fn check_self(void *opaque)
{
    Coroutine **co = opaque;

    g_assert_true(qemu_coroutine_self() == *co);
    g_assert_true(qemu_coroutine_entered(*co));
}

static void test_self(void)
{
    Coroutine *co = qemu_coroutine_create(check_self, &co);

    g_assert_false(qemu_coroutine_entered(co));
    qemu_coroutine_enter(co);
}

static void coroutine_fn count_yields(void *opaque)
{
    int *i = opaque;

    for (*i = 0; *i < 5; (*i)++) {
        qemu_coroutine_yield();
    }
}

static void test_yield(void)
{
    int i = -1, entered = 0;
    Coroutine *co = qemu_coroutine_create(count_yields, &i);

    /* Each enter resumes exactly one step; the sixth finishes it. */
    for (;;) {
        qemu_coroutine_enter(co);
        entered++;
        if (i == 5) {
            break;
        }
        g_assert_cmpint(i, ==, entered - 1);
        g_assert_false(qemu_coroutine_entered(co));
    }
    g_assert_cmpint(entered, ==, 6);
}

typedef struct NestData {
    unsigned n_enter;
    unsigned n_return;
    unsigned max;
} NestData;

static void coroutine_fn nest(void *opaque)
{
    NestData *nd = opaque;

    nd->n_enter++;
    if (nd->n_enter < nd->max) {
        Coroutine *child = qemu_coroutine_create(nest, nd);
        qemu_coroutine_enter(child);
    }
    nd->n_return++;
}

static void test_nesting(void)
{
    NestData nd = { .max = 128 };
    Coroutine *root = qemu_coroutine_create(nest, &nd);

    qemu_coroutine_enter(root);
    g_assert_cmpint(nd.n_enter, ==, nd.max);
    g_assert_cmpint(nd.n_return, ==, nd.max);
}

/* A yielding callee returns control to its caller coroutine. */
static void coroutine_fn child_yields(void *opaque)
{
    GString *log = opaque;

    g_string_append(log, "c1 ");
    qemu_coroutine_yield();
    g_string_append(log, "c2 ");
}

static void coroutine_fn parent(void *opaque)
{
    GString *log = opaque;
    Coroutine *child = qemu_coroutine_create(child_yields, log);

    g_string_append(log, "p1 ");
    qemu_coroutine_enter(child);        /* child yields back to us */
    g_string_append(log, "p2 ");
    qemu_coroutine_enter(child);        /* child terminates */
    g_string_append(log, "p3 ");
}

static void test_enter_from_coroutine(void)
{
    g_autoptr(GString) log = g_string_new("");

    qemu_coroutine_enter(qemu_coroutine_create(parent, log));
    g_assert_cmpstr(log->str, ==, "p1 c1 p2 c2 p3 ");
}

static void coroutine_fn yield_once(void *opaque)
{
    qemu_coroutine_yield();
}

/* Resident set size in bytes, from /proc (0 if unavailable). */
static uint64_t rss_bytes(void)
{
    g_autofree char *statm = NULL;
    unsigned long size, resident;

    if (!g_file_get_contents("/proc/self/statm", &statm, NULL, NULL) ||
        sscanf(statm, "%lu %lu", &size, &resident) != 2) {
        return 0;
    }
    return (uint64_t)resident * getpagesize();
}

/* Create+terminate and switch a million times; nothing may pile up. */
static void test_lifecycle_bounded(void)
{
    unsigned live0, pooled, live, max_pooled = 0;
    uint64_t rss0;
    Coroutine *co;

    qemu_coroutine_stats(&live0, &pooled);
    rss0 = rss_bytes();
    for (int i = 0; i < 1000000; i++) {
        co = qemu_coroutine_create(yield_once, NULL);
        qemu_coroutine_enter(co);
        qemu_coroutine_enter(co);
        if (i % 1000 == 0) {
            qemu_coroutine_stats(&live, &pooled);
            g_assert_cmpuint(live, ==, live0);
            max_pooled = MAX(max_pooled, pooled);
        }
    }
    /* Recycled stacks only: the pool stays within its bound. */
    g_assert_cmpuint(max_pooled, <=, 128);
    g_assert_cmpuint(rss_bytes(), <, rss0 + 16 * MiB);

    /* A finished coroutine is what the next create hands out. */
    co = qemu_coroutine_create(yield_once, NULL);
    qemu_coroutine_enter(co);
    qemu_coroutine_enter(co);
    g_assert_true(qemu_coroutine_create(yield_once, NULL) == co);
    qemu_coroutine_enter(co);
    qemu_coroutine_enter(co);

    /* Many at once: the pool keeps a bounded number afterwards. */
    {
        Coroutine *many[300];

        for (int i = 0; i < 300; i++) {
            many[i] = qemu_coroutine_create(yield_once, NULL);
            qemu_coroutine_enter(many[i]);
        }
        qemu_coroutine_stats(&live, &pooled);
        g_assert_cmpuint(live, ==, live0 + 300);
        for (int i = 0; i < 300; i++) {
            qemu_coroutine_enter(many[i]);
        }
        qemu_coroutine_stats(&live, &pooled);
        g_assert_cmpuint(live, ==, live0);
        g_assert_cmpuint(pooled, <=, 128);
    }
}

static void coroutine_fn overflow(void *opaque)
{
    volatile char buf[4096];
    int *depth = opaque;

    buf[0] = (char)(*depth)++;
    /* 1 MiB of stack is gone long before this bound. */
    if (*depth < 1000000) {
        overflow(opaque);
    }
    buf[1] = buf[0];
}

/* Running off the stack hits the guard page and kills the process. */
static void test_stack_guard(void)
{
    if (g_test_subprocess()) {
        int depth = 0;

        qemu_coroutine_enter(qemu_coroutine_create(overflow, &depth));
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT);
    g_test_trap_assert_failed();
}

typedef struct WakeOrder {
    Coroutine *sleeper;
    GString *log;
} WakeOrder;

static void coroutine_fn wake_sleeper(void *opaque)
{
    WakeOrder *wo = opaque;

    qemu_coroutine_yield();
    g_string_append(wo->log, "sleeper ");
}

static void coroutine_fn waker(void *opaque)
{
    WakeOrder *wo = opaque;

    aio_co_wake(wo->sleeper);
    /* The woken coroutine waits for us to yield: no nested entry. */
    g_string_append(wo->log, "waker ");
}

static void test_wake_deferred(void)
{
    WakeOrder wo = { .log = g_string_new("") };

    wo.sleeper = qemu_coroutine_create(wake_sleeper, &wo);
    qemu_coroutine_enter(wo.sleeper);
    qemu_coroutine_enter(qemu_coroutine_create(waker, &wo));
    g_assert_cmpstr(wo.log->str, ==, "waker sleeper ");
    g_string_free(wo.log, true);
}

/* ---- Locks ---- */

/* Let everyone else run: come back from the event loop. */
static void coroutine_fn yield_to_loop(void)
{
    aio_co_schedule(qemu_get_current_aio_context(), qemu_coroutine_self());
    qemu_coroutine_yield();
}

typedef struct LockTest {
    CoMutex mutex;
    CoRwlock rwlock;
    CoQueue queue;
    int inside;             /* coroutines in the critical section */
    int readers;
    int writers;
    int max_readers;
    GString *log;
    int done;
} LockTest;

typedef struct LockWorker {
    LockTest *t;
    int id;
} LockWorker;

static LockTest *lock_test_new(void)
{
    LockTest *t = g_new0(LockTest, 1);

    qemu_co_mutex_init(&t->mutex);
    qemu_co_rwlock_init(&t->rwlock);
    qemu_co_queue_init(&t->queue);
    t->log = g_string_new("");
    return t;
}

static void lock_test_free(LockTest *t)
{
    g_string_free(t->log, true);
    g_free(t);
}

/* Start @n coroutines running @fn and poll until all of them finished. */
static void run_workers(LockTest *t, CoroutineEntry *fn, int n)
{
    g_autofree LockWorker *w = g_new(LockWorker, n);

    for (int i = 0; i < n; i++) {
        w[i] = (LockWorker) { t, i };
        qemu_coroutine_enter(qemu_coroutine_create(fn, &w[i]));
    }
    AIO_WAIT_WHILE(NULL, t->done < n);
}

static void coroutine_fn mutex_worker(void *opaque)
{
    LockWorker *w = opaque;
    LockTest *t = w->t;

    for (int round = 0; round < 3; round++) {
        qemu_co_mutex_lock(&t->mutex);
        qemu_co_mutex_assert_locked(&t->mutex);
        g_assert_cmpint(t->inside, ==, 0);
        t->inside++;
        g_string_append_printf(t->log, "%d ", w->id);
        yield_to_loop();            /* hold the lock across a yield */
        t->inside--;
        qemu_co_mutex_unlock(&t->mutex);
        yield_to_loop();
    }
    t->done++;
}

static void test_co_mutex(void)
{
    enum { N = 100 };
    LockTest *t = lock_test_new();
    g_autoptr(GString) expect = g_string_new("");

    run_workers(t, mutex_worker, N);
    /* FIFO hand-off: every round serves all N in arrival order. */
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            g_string_append_printf(expect, "%d ", i);
        }
    }
    g_assert_cmpstr(t->log->str, ==, expect->str);
    g_assert_false(t->mutex.locked);
    lock_test_free(t);
}

static void coroutine_fn queue_waiter(void *opaque)
{
    LockWorker *w = opaque;
    LockTest *t = w->t;

    qemu_co_mutex_lock(&t->mutex);
    qemu_co_queue_wait(&t->queue, &t->mutex);
    /* The mutex is ours again after waking. */
    qemu_co_mutex_assert_locked(&t->mutex);
    g_string_append_printf(t->log, "%d ", w->id);
    qemu_co_mutex_unlock(&t->mutex);
    t->done++;
}

static void test_co_queue(void)
{
    LockTest *t = lock_test_new();
    LockWorker w[4];

    g_assert_true(qemu_co_queue_empty(&t->queue));
    for (int i = 0; i < 4; i++) {
        w[i] = (LockWorker) { t, i };
        qemu_coroutine_enter(qemu_coroutine_create(queue_waiter, &w[i]));
    }
    g_assert_false(qemu_co_queue_empty(&t->queue));
    g_assert_cmpstr(t->log->str, ==, "");

    g_assert_true(qemu_co_queue_next(&t->queue));
    AIO_WAIT_WHILE(NULL, t->done < 1);
    g_assert_cmpstr(t->log->str, ==, "0 ");

    g_assert_true(qemu_co_enter_next(&t->queue, NULL));
    g_assert_cmpstr(t->log->str, ==, "0 1 ");

    qemu_co_queue_restart_all(&t->queue);
    AIO_WAIT_WHILE(NULL, t->done < 4);
    g_assert_cmpstr(t->log->str, ==, "0 1 2 3 ");
    g_assert_true(qemu_co_queue_empty(&t->queue));
    g_assert_false(qemu_co_queue_next(&t->queue));
    lock_test_free(t);
}

static void coroutine_fn rw_check_enter(LockTest *t, bool write)
{
    if (write) {
        g_assert_cmpint(t->readers, ==, 0);
        g_assert_cmpint(t->writers, ==, 0);
        t->writers++;
    } else {
        g_assert_cmpint(t->writers, ==, 0);
        t->readers++;
        t->max_readers = MAX(t->max_readers, t->readers);
    }
}

static void coroutine_fn rw_check_leave(LockTest *t, bool write)
{
    if (write) {
        t->writers--;
    } else {
        t->readers--;
    }
}

/* Even ids read, every third is a writer; some readers upgrade. */
static void coroutine_fn rwlock_worker(void *opaque)
{
    LockWorker *w = opaque;
    LockTest *t = w->t;

    for (int round = 0; round < 5; round++) {
        bool write = w->id % 3 == 0;

        if (write) {
            qemu_co_rwlock_wrlock(&t->rwlock);
        } else {
            qemu_co_rwlock_rdlock(&t->rwlock);
        }
        rw_check_enter(t, write);
        yield_to_loop();
        if (!write && w->id % 4 == 1) {
            rw_check_leave(t, false);
            qemu_co_rwlock_upgrade(&t->rwlock);
            rw_check_enter(t, true);
            yield_to_loop();
            rw_check_leave(t, true);
            qemu_co_rwlock_downgrade(&t->rwlock);
            rw_check_enter(t, false);
            yield_to_loop();
        }
        rw_check_leave(t, write);
        qemu_co_rwlock_unlock(&t->rwlock);
        yield_to_loop();
    }
    t->done++;
}

static void test_co_rwlock(void)
{
    LockTest *t = lock_test_new();

    run_workers(t, rwlock_worker, 30);
    /* Exclusion was asserted all along; readers did share. */
    g_assert_cmpint(t->max_readers, >, 1);
    g_assert_cmpint(t->rwlock.owners, ==, 0);
    lock_test_free(t);
}

static void coroutine_fn rw_order_worker(void *opaque)
{
    LockWorker *w = opaque;
    LockTest *t = w->t;
    bool write = w->id == 1;

    if (write) {
        qemu_co_rwlock_wrlock(&t->rwlock);
    } else {
        qemu_co_rwlock_rdlock(&t->rwlock);
    }
    g_string_append_printf(t->log, "%c%d ", write ? 'w' : 'r', w->id);
    yield_to_loop();
    qemu_co_rwlock_unlock(&t->rwlock);
    t->done++;
}

/* A waiting writer is not overtaken by readers that come later. */
static void test_co_rwlock_fair(void)
{
    LockTest *t = lock_test_new();

    run_workers(t, rw_order_worker, 4);
    g_assert_cmpstr(t->log->str, ==, "r0 w1 r2 r3 ");
    lock_test_free(t);
}

static void coroutine_fn sleeper(void *opaque)
{
    LockWorker *w = opaque;

    qemu_co_sleep_ns(QEMU_CLOCK_VIRTUAL, w->id * 1000);
    g_string_append_printf(w->t->log, "%d@%" PRId64 " ", w->id,
                           qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    w->t->done++;
}

static void test_co_sleep_virtual(void)
{
    LockTest *t = lock_test_new();
    LockWorker w[3] = { { t, 3 }, { t, 1 }, { t, 2 } };

    qtest_set_virtual_clock_mode(true);
    for (int i = 0; i < 3; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(sleeper, &w[i]));
    }
    /* Time stands still: polling alone wakes nobody. */
    while (aio_poll(qemu_get_aio_context(), false)) {
        /* drain */
    }
    g_assert_cmpint(t->done, ==, 0);

    g_assert_cmpint(qemu_clock_step_virtual(1500), ==, 1500);
    g_assert_cmpstr(t->log->str, ==, "1@1000 ");
    g_assert_cmpint(qemu_clock_set_virtual(5000), ==, 5000);
    g_assert_cmpstr(t->log->str, ==, "1@1000 2@2000 3@3000 ");
    g_assert_cmpint(t->done, ==, 3);
    qtest_set_virtual_clock_mode(false);
    lock_test_free(t);
}

typedef struct WakeableSleep {
    QemuCoSleep w;
    bool done;
} WakeableSleep;

static void coroutine_fn wakeable_sleeper(void *opaque)
{
    WakeableSleep *s = opaque;

    qemu_co_sleep_ns_wakeable(&s->w, QEMU_CLOCK_VIRTUAL, 1000000);
    s->done = true;
}

static void test_co_sleep_wake_early(void)
{
    WakeableSleep s = { 0 };
    Coroutine *co = qemu_coroutine_create(wakeable_sleeper, &s);

    qtest_set_virtual_clock_mode(true);
    qemu_coroutine_enter(co);
    g_assert_false(s.done);

    /* Another enter is not a wake-up: the sleep goes on. */
    qemu_coroutine_enter(co);
    g_assert_false(s.done);

    qemu_co_sleep_wake(&s.w);
    g_assert_true(s.done);
    qemu_co_sleep_wake(&s.w);   /* nobody sleeps: no-op */
    /* The timer was disarmed: stepping past it wakes nothing. */
    g_assert_cmpint(qemu_clock_step_virtual(2000000), ==, 2000000);
    qtest_set_virtual_clock_mode(false);
}

static int coroutine_fn guarded_return(CoMutex *m)
{
    QEMU_LOCK_GUARD(m);
    qemu_co_mutex_assert_locked(m);
    return 42;
}

static void coroutine_fn lock_guard_co(void *opaque)
{
    CoMutex *m = opaque;

    g_assert_cmpint(guarded_return(m), ==, 42);
    g_assert_false(m->locked);
    WITH_QEMU_LOCK_GUARD(m) {
        qemu_co_mutex_assert_locked(m);
        break;
    }
    g_assert_false(m->locked);
    WITH_QEMU_LOCK_GUARD(m) {
        g_assert_true(m->locked);
    }
    g_assert_false(m->locked);
}

static void test_lock_guard(void)
{
    CoMutex m;
    GMutex gm;

    qemu_co_mutex_init(&m);
    qemu_coroutine_enter(qemu_coroutine_create(lock_guard_co, &m));
    g_assert_false(m.locked);

    g_mutex_init(&gm);
    WITH_QEMU_LOCK_GUARD(&gm) {
        g_assert_false(g_mutex_trylock(&gm));
    }
    g_assert_true(g_mutex_trylock(&gm));
    g_mutex_unlock(&gm);
    g_mutex_clear(&gm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    g_test_add_func("/coroutine/create-enter", test_create_enter);
    g_test_add_func("/coroutine/self", test_self);
    g_test_add_func("/coroutine/yield", test_yield);
    g_test_add_func("/coroutine/nesting", test_nesting);
    g_test_add_func("/coroutine/enter-from-coroutine",
                    test_enter_from_coroutine);
    g_test_add_func("/coroutine/lifecycle-bounded", test_lifecycle_bounded);
    g_test_add_func("/coroutine/stack-guard", test_stack_guard);
    g_test_add_func("/coroutine/wake-deferred", test_wake_deferred);
    g_test_add_func("/coroutine/co-mutex", test_co_mutex);
    g_test_add_func("/coroutine/co-queue", test_co_queue);
    g_test_add_func("/coroutine/co-rwlock", test_co_rwlock);
    g_test_add_func("/coroutine/co-rwlock-fair", test_co_rwlock_fair);
    g_test_add_func("/coroutine/co-sleep-virtual", test_co_sleep_virtual);
    g_test_add_func("/coroutine/co-sleep-wake-early",
                    test_co_sleep_wake_early);
    g_test_add_func("/coroutine/lock-guard", test_lock_guard);
    return g_test_run();
}
