/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thread pool: run blocking work (preadv, fsync, fallocate...) on worker
 * threads so the event loop never blocks, and deliver the result back in
 * the submitter's AioContext.  One pool per AioContext.
 */
#ifndef QEMU_THREAD_POOL_H
#define QEMU_THREAD_POOL_H

#include "block/aio.h"

/* Work run in a worker thread; returns >= 0 or a negative errno. */
typedef int ThreadPoolFunc(void *opaque);

/**
 * thread_pool_new:
 * @ctx: context where completions are delivered
 *
 * Create a pool with no threads yet; workers start on demand.
 */
ThreadPool *thread_pool_new(AioContext *ctx);

/**
 * thread_pool_free:
 * @pool: a pool with no request in flight, or NULL
 *
 * Stop the workers and free @pool.
 */
void thread_pool_free(ThreadPool *pool);

/**
 * thread_pool_submit_aio:
 * @func: work to run in a worker thread
 * @arg: passed to @func
 * @cb: called in the current AioContext with @func's result
 * @opaque: passed to @cb
 *
 * Queue @func in the current AioContext's pool.  @cb runs from a BH of
 * that context, never from inside this call.
 */
void thread_pool_submit_aio(ThreadPoolFunc *func, void *arg,
                            BlockCompletionFunc *cb, void *opaque);

/**
 * thread_pool_submit_co:
 * @func: work to run in a worker thread
 * @arg: passed to @func
 *
 * Run @func in a worker and yield until it finished.  Return its result.
 */
int coroutine_fn thread_pool_submit_co(ThreadPoolFunc *func, void *arg);

/**
 * thread_pool_set_max_threads:
 * @pool: pool
 * @max: upper bound on worker threads (>= 1); the default is 64
 *
 * Change how many workers @pool may run at once.
 */
void thread_pool_set_max_threads(ThreadPool *pool, int max);

/**
 * thread_pool_set_idle_timeout_ms:
 * @pool: pool
 * @ms: how long a worker waits for work before it exits (default 10 s)
 *
 * Change the idle timeout of @pool's workers (for tests and tuning).
 */
void thread_pool_set_idle_timeout_ms(ThreadPool *pool, int64_t ms);

/**
 * thread_pool_get_thread_count:
 * @pool: pool
 *
 * Return how many worker threads are alive now.
 */
int thread_pool_get_thread_count(ThreadPool *pool);

#endif
