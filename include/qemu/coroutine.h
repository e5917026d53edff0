/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Coroutines: cooperative threads of execution with their own stack, used
 * so that I/O code reads as straight-line code yet never blocks the event
 * loop.  A coroutine runs until it yields or terminates, then control goes
 * back to whoever entered it.  Locks for coroutines live here too.
 */
#ifndef QEMU_COROUTINE_H
#define QEMU_COROUTINE_H

#include "qemu/queue.h"

typedef struct Coroutine Coroutine;
typedef struct AioContext AioContext;

/* The function a coroutine runs; it terminates when this returns. */
typedef void coroutine_fn CoroutineEntry(void *opaque);

/**
 * qemu_coroutine_create:
 * @entry: function the coroutine runs
 * @opaque: argument passed to @entry
 *
 * Create a coroutine that starts running @entry the first time it is
 * entered.  The coroutine is freed (or recycled) once @entry returns.
 * Never fails (aborts if no stack can be mapped).
 */
Coroutine *qemu_coroutine_create(CoroutineEntry *entry, void *opaque);

/**
 * qemu_coroutine_enter:
 * @co: a coroutine that is not currently running
 *
 * Run @co until it yields or terminates, in the current AioContext.
 * May be called from the event loop or from another coroutine (which is
 * resumed when @co yields or terminates).
 */
void qemu_coroutine_enter(Coroutine *co);

/**
 * qemu_aio_coroutine_enter:
 * @ctx: the AioContext @co belongs to from now on (wake-ups go there)
 * @co: coroutine to run
 *
 * Like qemu_coroutine_enter() with an explicit AioContext.
 */
void qemu_aio_coroutine_enter(AioContext *ctx, Coroutine *co);

/**
 * qemu_coroutine_enter_if_inactive:
 * @co: coroutine
 *
 * Enter @co unless it is already running (it is on the call chain).
 */
void qemu_coroutine_enter_if_inactive(Coroutine *co);

/**
 * qemu_coroutine_yield:
 *
 * Suspend the current coroutine and return to whoever entered it.  It
 * continues when someone enters it again.
 */
void coroutine_fn qemu_coroutine_yield(void);

/**
 * qemu_coroutine_self:
 *
 * Return the running coroutine; outside any coroutine, a per-thread
 * object that stands for the thread's own stack.
 */
Coroutine *qemu_coroutine_self(void);

/**
 * qemu_in_coroutine:
 *
 * Return true when called from inside a coroutine.
 */
bool qemu_in_coroutine(void);

/**
 * qemu_coroutine_entered:
 * @co: coroutine
 *
 * Return true if @co is running or has entered another coroutine that is
 * running (it is on the current call chain), false if it is suspended or
 * not started yet.
 */
bool qemu_coroutine_entered(Coroutine *co);

/**
 * qemu_coroutine_get_aio_context:
 * @co: coroutine
 *
 * Return the AioContext @co was last entered in (NULL if never entered
 * with one).
 */
AioContext *qemu_coroutine_get_aio_context(Coroutine *co);

/**
 * qemu_coroutine_stats:
 * @live: set to the number of coroutines created and not yet finished
 * @pooled: set to the number of finished coroutines kept for reuse in
 *          this thread's pool
 *
 * Counters for tests and debugging.
 */
void qemu_coroutine_stats(unsigned *live, unsigned *pooled);

/* ---- Locks ---- */

/**
 * CoQueue: coroutines waiting for a condition, woken in FIFO order.
 * Protected by the lock passed to qemu_co_queue_wait() (or by running in
 * a single AioContext).
 */
typedef struct CoQueue {
    QSIMPLEQ_HEAD(, Coroutine) entries;
} CoQueue;

/**
 * CoMutex: a mutex for coroutines.  Waiters sleep (they never spin) and
 * get the lock in the order they asked for it: unlock hands the lock
 * directly to the first waiter.
 */
typedef struct CoMutex {
    GMutex guard;           /* protects the fields below, never held long */
    bool locked;
    Coroutine *holder;
    QSIMPLEQ_HEAD(, Coroutine) waiters;
} CoMutex;

typedef struct CoRwTicket CoRwTicket;

/**
 * CoRwlock: shared/exclusive lock for coroutines, fair: a request waits
 * behind every earlier waiting request, so writers are not starved.
 */
typedef struct CoRwlock {
    GMutex guard;           /* protects the fields below */
    int owners;             /* >0: that many readers, -1: one writer */
    QSIMPLEQ_HEAD(, CoRwTicket) tickets;
} CoRwlock;

/**
 * qemu_co_queue_init:
 * @queue: queue to initialise
 *
 * Initialise an empty CoQueue.
 */
void qemu_co_queue_init(CoQueue *queue);

/**
 * qemu_co_queue_wait:
 * @queue: queue to wait on
 * @mutex: CoMutex held by the caller, or NULL
 *
 * Add the current coroutine at the tail of @queue and yield; @mutex is
 * released while waiting and taken again before returning.  Return when
 * woken by qemu_co_queue_next(), qemu_co_queue_restart_all() or
 * qemu_co_enter_next().  Re-check the condition after waking.
 */
void coroutine_fn qemu_co_queue_wait(CoQueue *queue, CoMutex *mutex);

/**
 * qemu_co_queue_next:
 * @queue: queue
 *
 * Wake the first waiter of @queue (through its AioContext).  Return true
 * if there was one.
 */
bool qemu_co_queue_next(CoQueue *queue);

/**
 * qemu_co_queue_restart_all:
 * @queue: queue
 *
 * Wake every waiter of @queue, in FIFO order.
 */
void qemu_co_queue_restart_all(CoQueue *queue);

/**
 * qemu_co_enter_next:
 * @queue: queue
 * @lock: a GMutex that protects @queue and is held, or NULL
 *
 * Usable outside coroutines: wake the first waiter of @queue, dropping
 * @lock around the wake-up since the waiter may run at once.  Return true
 * if there was a waiter.
 */
bool qemu_co_enter_next(CoQueue *queue, GMutex *lock);

/**
 * qemu_co_queue_empty:
 * @queue: queue
 *
 * Return true if nobody waits on @queue.
 */
bool qemu_co_queue_empty(CoQueue *queue);

/**
 * qemu_co_mutex_init:
 * @mutex: mutex to initialise
 *
 * Initialise an unlocked CoMutex.
 */
void qemu_co_mutex_init(CoMutex *mutex);

/**
 * qemu_co_mutex_lock:
 * @mutex: mutex
 *
 * Take @mutex, yielding while another coroutine holds it.
 */
void coroutine_fn qemu_co_mutex_lock(CoMutex *mutex);

/**
 * qemu_co_mutex_unlock:
 * @mutex: mutex held by the current coroutine
 *
 * Release @mutex, handing it to the longest waiter if any.
 */
void coroutine_fn qemu_co_mutex_unlock(CoMutex *mutex);

/**
 * qemu_co_mutex_assert_locked:
 * @mutex: mutex
 *
 * Abort unless the current coroutine holds @mutex.
 */
void qemu_co_mutex_assert_locked(CoMutex *mutex);

/**
 * qemu_co_rwlock_init:
 * @lock: lock to initialise
 *
 * Initialise an unlocked CoRwlock.
 */
void qemu_co_rwlock_init(CoRwlock *lock);

/**
 * qemu_co_rwlock_rdlock:
 * @lock: lock
 *
 * Take @lock shared; yield while a writer holds it or anyone waits.
 */
void coroutine_fn qemu_co_rwlock_rdlock(CoRwlock *lock);

/**
 * qemu_co_rwlock_wrlock:
 * @lock: lock
 *
 * Take @lock exclusive; yield while anyone holds it or waits.
 */
void coroutine_fn qemu_co_rwlock_wrlock(CoRwlock *lock);

/**
 * qemu_co_rwlock_unlock:
 * @lock: lock held (shared or exclusive) by the caller
 *
 * Release @lock and wake the waiters that can now run.
 */
void coroutine_fn qemu_co_rwlock_unlock(CoRwlock *lock);

/**
 * qemu_co_rwlock_upgrade:
 * @lock: lock held shared by the caller
 *
 * Turn the caller's shared hold into an exclusive one.  If other readers
 * hold the lock, wait in line like a writer (other writers may run
 * first, so re-check anything read under the shared lock).
 */
void coroutine_fn qemu_co_rwlock_upgrade(CoRwlock *lock);

/**
 * qemu_co_rwlock_downgrade:
 * @lock: lock held exclusive by the caller
 *
 * Turn the caller's exclusive hold into a shared one without releasing
 * it, and let waiting readers at the head of the line in.
 */
void coroutine_fn qemu_co_rwlock_downgrade(CoRwlock *lock);

#include "qemu/timer.h"

/**
 * qemu_co_sleep_ns:
 * @type: clock to sleep on
 * @ns: how long, in nanoseconds of that clock
 *
 * Yield the current coroutine until @ns have passed on clock @type.  On
 * the virtual clock in qtest mode that is when the clock is stepped past
 * the deadline.
 */
void coroutine_fn qemu_co_sleep_ns(QEMUClockType type, int64_t ns);

/* A sleep that another party may cut short; zero-initialise it. */
typedef struct QemuCoSleep {
    Coroutine *to_wake;     /* the sleeper, NULL when nobody sleeps */
} QemuCoSleep;

/**
 * qemu_co_sleep_ns_wakeable:
 * @w: sleep handle, not in use by another sleeper
 * @type: clock to sleep on
 * @ns: how long, in nanoseconds of that clock
 *
 * Like qemu_co_sleep_ns(), but qemu_co_sleep_wake(@w) ends the sleep
 * early.
 */
void coroutine_fn qemu_co_sleep_ns_wakeable(QemuCoSleep *w,
                                            QEMUClockType type, int64_t ns);

/**
 * qemu_co_sleep:
 * @w: sleep handle, not in use by another sleeper
 *
 * Yield until qemu_co_sleep_wake(@w); no timer.
 */
void coroutine_fn qemu_co_sleep(QemuCoSleep *w);

/**
 * qemu_co_sleep_wake:
 * @w: sleep handle
 *
 * Wake the coroutine sleeping on @w, if any (through its AioContext);
 * a no-op when nobody sleeps on it.  Any thread.
 */
void qemu_co_sleep_wake(QemuCoSleep *w);

#endif
