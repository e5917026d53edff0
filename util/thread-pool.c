/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thread pool.  Requests wait in a FIFO under the pool lock.  Up to
 * THREAD_POOL_EAGER_THREADS workers start as soon as requests outnumber
 * idle workers; more (up to max_threads) only when a timer of the pool's
 * context finds the oldest request waiting for THREAD_POOL_SPAWN_DELAY_NS
 * and either no worker took a request for THREAD_POOL_STALL_NS (all are
 * blocked) or most recent requests took THREAD_POOL_SLOW_NS or more (they
 * block, so more threads mean more parallel I/O).  Both tests shrug off
 * workers that are merely preempted on a busy CPU, which a mean service
 * time or a short stall window would not.  Fast requests (page cache
 * hits) are thus served by a few warm workers, without the lock and
 * scheduler thrashing of one thread per request, and a busy CPU alone
 * does not grow the pool; requests that block still get a worker each
 * within a few delays, as the pool doubles per check.
 *
 * Finished requests go to a done list and a BH of the pool's context runs
 * their callbacks, so completions always arrive in the submitter's
 * thread.  Idle workers exit after idle_timeout so an idle process has
 * no threads.
 *
 * Costs: the round trip is dominated by futex wake-ups, so each is
 * avoided where it cannot help.  A submit wakes an idle worker only if
 * none is already on its way (wake_pending counts signals not yet taken
 * up; GLib's g_cond_signal() is a syscall even with no waiter), and a
 * finished request schedules the BH only when the done list goes from
 * empty to non-empty, since one BH run drains the whole list.  Elements
 * are recycled through a small free list owned by the home thread.
 */
#include "qemu/osdep.h"
#include "qemu/coroutine.h"
#include "block/thread-pool.h"

#define THREAD_POOL_MAX_THREADS 64
#define THREAD_POOL_IDLE_TIMEOUT_MS 10000
#define THREAD_POOL_FREE_MAX 128
#define THREAD_POOL_EAGER_THREADS 4
#define THREAD_POOL_SPAWN_DELAY_NS (500 * SCALE_US)
#define THREAD_POOL_SLOW_NS (50 * SCALE_US)
#define THREAD_POOL_STALL_NS (5 * SCALE_MS)

typedef struct ThreadPoolElement {
    ThreadPoolFunc *func;
    void *arg;
    BlockCompletionFunc *cb;
    void *opaque;
    int ret;
    int64_t queued_ns;          /* QEMU_CLOCK_REALTIME at submission */
    QSIMPLEQ_ENTRY(ThreadPoolElement) next;
} ThreadPoolElement;

struct ThreadPool {
    AioContext *ctx;
    QEMUBH *completion_bh;
    QEMUTimer *spawn_timer;     /* home thread: grows a starved pool */

    GMutex lock;                /* protects everything below */
    GCond request_cond;         /* signalled when a request is queued */
    GCond worker_stopped;       /* signalled when a worker exits */
    QSIMPLEQ_HEAD(, ThreadPoolElement) request_list;
    QSIMPLEQ_HEAD(, ThreadPoolElement) done_list;
    int pending;                /* requests in request_list */
    int cur_threads;
    int idle_threads;           /* workers waiting on request_cond */
    int wake_pending;           /* signals sent, not yet taken up */
    int max_threads;
    int64_t idle_timeout_ms;
    bool stopping;
    uint64_t taken;             /* requests workers have dequeued */
    uint64_t taken_at_check;    /* ... when the spawn timer last looked */
    int64_t progress_ns;        /* when the timer last saw taken move */
    int slow_share;             /* moving share of slow requests, of 1024 */

    /* Recycled elements; home thread only, so no lock. */
    QSIMPLEQ_HEAD(, ThreadPoolElement) free_list;
    int free_count;
};

/* Wait for a request; NULL when the worker should exit.  Lock held. */
static ThreadPoolElement *worker_next_request(ThreadPool *pool)
{
    ThreadPoolElement *req;

    while (QSIMPLEQ_EMPTY(&pool->request_list) && !pool->stopping) {
        if (pool->cur_threads > pool->max_threads) {
            return NULL;    /* the limit was lowered: shed this worker */
        }
        gint64 end = g_get_monotonic_time() +
                     pool->idle_timeout_ms * G_TIME_SPAN_MILLISECOND;
        bool woken;

        pool->idle_threads++;
        woken = g_cond_wait_until(&pool->request_cond, &pool->lock, end);
        pool->idle_threads--;
        /* Take up one signal; never count more signals than sleepers. */
        if (pool->wake_pending > 0) {
            pool->wake_pending--;
        }
        pool->wake_pending = MIN(pool->wake_pending, pool->idle_threads);
        if (!woken && QSIMPLEQ_EMPTY(&pool->request_list)) {
            return NULL;
        }
    }
    req = QSIMPLEQ_FIRST(&pool->request_list);
    if (req) {
        QSIMPLEQ_REMOVE_HEAD(&pool->request_list, next);
        pool->pending--;
        pool->taken++;
    }
    return req;
}

static gpointer worker_thread(gpointer opaque)
{
    ThreadPool *pool = opaque;
    ThreadPoolElement *req;

    g_mutex_lock(&pool->lock);
    while ((req = worker_next_request(pool)) != NULL) {
        int64_t start, took;

        g_mutex_unlock(&pool->lock);
        start = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
        req->ret = req->func(req->arg);
        took = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - start;
        g_mutex_lock(&pool->lock);
        pool->slow_share += ((took >= THREAD_POOL_SLOW_NS ? 1024 : 0) -
                             pool->slow_share) / 16;
        if (QSIMPLEQ_EMPTY(&pool->done_list)) {
            /* Otherwise the BH is already due and will see @req too. */
            qemu_bh_schedule(pool->completion_bh);
        }
        QSIMPLEQ_INSERT_TAIL(&pool->done_list, req, next);
    }
    pool->cur_threads--;
    g_cond_broadcast(&pool->worker_stopped);
    g_mutex_unlock(&pool->lock);
    return NULL;
}

static ThreadPoolElement *thread_pool_alloc_element(ThreadPool *pool)
{
    ThreadPoolElement *req = QSIMPLEQ_FIRST(&pool->free_list);

    if (!req) {
        return g_new(ThreadPoolElement, 1);
    }
    QSIMPLEQ_REMOVE_HEAD(&pool->free_list, next);
    pool->free_count--;
    return req;
}

static void thread_pool_free_element(ThreadPool *pool, ThreadPoolElement *req)
{
    if (pool->free_count >= THREAD_POOL_FREE_MAX) {
        g_free(req);
        return;
    }
    QSIMPLEQ_INSERT_HEAD(&pool->free_list, req, next);
    pool->free_count++;
}

static void thread_pool_completion_bh(void *opaque)
{
    ThreadPool *pool = opaque;
    QSIMPLEQ_HEAD(, ThreadPoolElement) done =
        QSIMPLEQ_HEAD_INITIALIZER(done);
    ThreadPoolElement *req;

    g_mutex_lock(&pool->lock);
    QSIMPLEQ_CONCAT(&done, &pool->done_list);
    g_mutex_unlock(&pool->lock);

    while ((req = QSIMPLEQ_FIRST(&done)) != NULL) {
        QSIMPLEQ_REMOVE_HEAD(&done, next);
        req->cb(req->opaque, req->ret);
        thread_pool_free_element(pool, req);
    }
}

static void thread_pool_spawn_locked(ThreadPool *pool);

/*
 * If requests have waited too long for a worker and the workers are
 * blocked (no progress, or slow requests), start as many again (capped by
 * the backlog and the limit).  Look again later while a backlog remains.
 */
static void thread_pool_spawn_timer_cb(void *opaque)
{
    ThreadPool *pool = opaque;
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    ThreadPoolElement *head;
    int64_t next = -1;
    bool starved;

    g_mutex_lock(&pool->lock);
    head = QSIMPLEQ_FIRST(&pool->request_list);
    if (pool->taken != pool->taken_at_check) {
        pool->taken_at_check = pool->taken;
        pool->progress_ns = now;
    }
    starved = now - pool->progress_ns >= THREAD_POOL_STALL_NS ||
              pool->slow_share >= 512;
    if (head && now - head->queued_ns >= THREAD_POOL_SPAWN_DELAY_NS &&
        starved) {
        int n = MIN(pool->pending - pool->idle_threads,
                    MAX(pool->cur_threads, 1));

        n = MIN(n, pool->max_threads - pool->cur_threads);
        while (n-- > 0) {
            thread_pool_spawn_locked(pool);
        }
        next = now + THREAD_POOL_SPAWN_DELAY_NS;
    } else if (head) {
        next = MAX(head->queued_ns, now) + THREAD_POOL_SPAWN_DELAY_NS;
    }
    g_mutex_unlock(&pool->lock);
    if (next >= 0) {
        timer_mod_ns(pool->spawn_timer, next);
    }
}

ThreadPool *thread_pool_new(AioContext *ctx)
{
    ThreadPool *pool = g_new0(ThreadPool, 1);

    pool->ctx = ctx;
    pool->completion_bh = aio_bh_new(ctx, thread_pool_completion_bh, pool);
    pool->spawn_timer = aio_timer_new(ctx, QEMU_CLOCK_REALTIME, SCALE_NS,
                                      thread_pool_spawn_timer_cb, pool);
    g_mutex_init(&pool->lock);
    g_cond_init(&pool->request_cond);
    g_cond_init(&pool->worker_stopped);
    QSIMPLEQ_INIT(&pool->request_list);
    QSIMPLEQ_INIT(&pool->done_list);
    QSIMPLEQ_INIT(&pool->free_list);
    pool->max_threads = THREAD_POOL_MAX_THREADS;
    pool->idle_timeout_ms = THREAD_POOL_IDLE_TIMEOUT_MS;
    return pool;
}

void thread_pool_free(ThreadPool *pool)
{
    if (!pool) {
        return;
    }
    g_mutex_lock(&pool->lock);
    assert(QSIMPLEQ_EMPTY(&pool->request_list));
    pool->stopping = true;
    g_cond_broadcast(&pool->request_cond);
    while (pool->cur_threads > 0) {
        g_cond_wait(&pool->worker_stopped, &pool->lock);
    }
    g_mutex_unlock(&pool->lock);

    /* Results nobody collected yet still get their callbacks. */
    thread_pool_completion_bh(pool);
    qemu_bh_delete(pool->completion_bh);
    timer_free(pool->spawn_timer);
    while (!QSIMPLEQ_EMPTY(&pool->free_list)) {
        ThreadPoolElement *req = QSIMPLEQ_FIRST(&pool->free_list);

        QSIMPLEQ_REMOVE_HEAD(&pool->free_list, next);
        g_free(req);
    }
    g_cond_clear(&pool->worker_stopped);
    g_cond_clear(&pool->request_cond);
    g_mutex_clear(&pool->lock);
    g_free(pool);
}

static void thread_pool_spawn_locked(ThreadPool *pool)
{
    GThread *thread;

    pool->cur_threads++;
    thread = g_thread_new("worker", worker_thread, pool);
    /* Detached: an idle worker exits on its own. */
    g_thread_unref(thread);
}

void thread_pool_submit_aio(ThreadPoolFunc *func, void *arg,
                            BlockCompletionFunc *cb, void *opaque)
{
    AioContext *ctx = qemu_get_current_aio_context();
    ThreadPool *pool;
    ThreadPoolElement *req;
    bool backlog = false;

    assert(ctx);
    pool = aio_get_thread_pool(ctx);
    req = thread_pool_alloc_element(pool);
    req->ret = 0;
    req->queued_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    req->func = func;
    req->arg = arg;
    req->cb = cb;
    req->opaque = opaque;

    g_mutex_lock(&pool->lock);
    QSIMPLEQ_INSERT_TAIL(&pool->request_list, req, next);
    pool->pending++;
    if (pool->idle_threads > pool->wake_pending) {
        /* A sleeper nobody has woken yet: wake exactly one. */
        pool->wake_pending++;
        g_cond_signal(&pool->request_cond);
    } else if (pool->pending > pool->idle_threads &&
               pool->cur_threads < pool->max_threads) {
        if (pool->cur_threads < THREAD_POOL_EAGER_THREADS) {
            thread_pool_spawn_locked(pool);
        } else {
            backlog = true;
        }
    }
    g_mutex_unlock(&pool->lock);
    if (backlog && !timer_pending(pool->spawn_timer)) {
        /* A new backlog: stalls count from now, not from long ago. */
        g_mutex_lock(&pool->lock);
        pool->progress_ns = req->queued_ns;
        g_mutex_unlock(&pool->lock);
        timer_mod_ns(pool->spawn_timer,
                     req->queued_ns + THREAD_POOL_SPAWN_DELAY_NS);
    }
}

typedef struct ThreadPoolCo {
    Coroutine *co;
    int ret;
    bool done;
} ThreadPoolCo;

static void thread_pool_co_cb(void *opaque, int ret)
{
    ThreadPoolCo *tpc = opaque;

    tpc->ret = ret;
    tpc->done = true;
    aio_co_wake(tpc->co);
}

int coroutine_fn thread_pool_submit_co(ThreadPoolFunc *func, void *arg)
{
    ThreadPoolCo tpc = { .co = qemu_coroutine_self() };

    assert(qemu_in_coroutine());
    thread_pool_submit_aio(func, arg, thread_pool_co_cb, &tpc);
    while (!tpc.done) {
        qemu_coroutine_yield();
    }
    return tpc.ret;
}

void thread_pool_set_max_threads(ThreadPool *pool, int max)
{
    assert(max >= 1);
    g_mutex_lock(&pool->lock);
    pool->max_threads = max;
    /* Idle workers above the limit notice it and exit. */
    g_cond_broadcast(&pool->request_cond);
    g_mutex_unlock(&pool->lock);
}

void thread_pool_set_idle_timeout_ms(ThreadPool *pool, int64_t ms)
{
    g_mutex_lock(&pool->lock);
    pool->idle_timeout_ms = ms;
    /* Let idle workers pick up the new timeout. */
    g_cond_broadcast(&pool->request_cond);
    g_mutex_unlock(&pool->lock);
}

int thread_pool_get_thread_count(ThreadPool *pool)
{
    int n;

    g_mutex_lock(&pool->lock);
    n = pool->cur_threads;
    g_mutex_unlock(&pool->lock);
    return n;
}
