/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AioContext: an event loop for file descriptor handlers, bottom halves,
 * timers and coroutines.  Everything attached to a context runs in the
 * thread that polls it (aio_poll(), or GLib's main loop for the main
 * context); other threads may schedule BHs and coroutines into it and
 * kick it with aio_notify().
 */
#ifndef QEMU_AIO_H
#define QEMU_AIO_H

#include "qemu/queue.h"
#include "qemu/event_notifier.h"
#include "qemu/timer.h"
#include "qemu/coroutine.h"

typedef struct Error Error;
typedef struct AioHandler AioHandler;
typedef struct QEMUBH QEMUBH;
typedef struct ThreadPool ThreadPool;

typedef void IOHandler(void *opaque);
typedef void QEMUBHFunc(void *opaque);
/* Completion of an asynchronous request: @ret is >= 0 or a -errno. */
typedef void BlockCompletionFunc(void *opaque, int ret);

struct AioContext {
    /* First member: the context is a GSource for GLib's main loop. */
    GSource source;

    /* Count of aio_context_acquire(); this tree has no real lock. */
    GRecMutex lock;

    /* fd handlers; changed only by the thread that runs the context. */
    QLIST_HEAD(, AioHandler) aio_handlers;
    /* Dispatches in progress; deleted handlers are freed at depth 0. */
    int walking_handlers;

    /* Scheduled BHs in FIFO order, protected by bh_lock (any thread). */
    GMutex bh_lock;
    QTAILQ_HEAD(, QEMUBH) bh_list;

    /*
     * Set while the polling thread may block; aio_notify() only writes
     * the notifier then.  'notified' avoids repeated writes.
     */
    int notify_me;
    bool notified;
    EventNotifier notifier;

    /* Coroutines handed over by aio_co_schedule(), under bh_lock. */
    QSIMPLEQ_HEAD(, Coroutine) scheduled_coroutines;
    QEMUBH *co_schedule_bh;

    ThreadPool *thread_pool;
    QEMUTimerListGroup tlg;
};

/**
 * aio_context_new:
 * @errp: error object
 *
 * Create a new AioContext.  Return NULL and set @errp if the notifier
 * descriptor cannot be created.  Drop it with aio_context_unref().
 */
AioContext *aio_context_new(Error **errp);

/**
 * aio_context_ref:
 * @ctx: context
 *
 * Take a reference on @ctx.
 */
void aio_context_ref(AioContext *ctx);

/**
 * aio_context_unref:
 * @ctx: context
 *
 * Drop a reference; the last one frees @ctx, which must have no fd
 * handlers or armed timers left.
 */
void aio_context_unref(AioContext *ctx);

/**
 * aio_context_acquire:
 * @ctx: context
 *
 * Take @ctx's recursive lock (kept for code written in QEMU's style).
 */
void aio_context_acquire(AioContext *ctx);

/**
 * aio_context_release:
 * @ctx: context
 *
 * Release @ctx's recursive lock.
 */
void aio_context_release(AioContext *ctx);

/**
 * qemu_get_aio_context:
 *
 * Return the main loop's AioContext (NULL before qemu_init_main_loop()).
 */
AioContext *qemu_get_aio_context(void);

/**
 * qemu_get_current_aio_context:
 *
 * Return the context this thread is running: the one being polled or
 * dispatched, else the main context.
 */
AioContext *qemu_get_current_aio_context(void);

/**
 * aio_context_set_main:
 * @ctx: context (the main loop's), or NULL
 *
 * Make @ctx what qemu_get_aio_context() returns.  qemu_init_main_loop()
 * calls this; tests may too.
 */
void aio_context_set_main(AioContext *ctx);

/**
 * aio_notify:
 * @ctx: context
 *
 * Wake the thread polling @ctx so it notices new work.  Any thread.
 */
void aio_notify(AioContext *ctx);

/**
 * aio_set_fd_handler:
 * @ctx: context
 * @fd: descriptor
 * @io_read: called when @fd is readable (or NULL)
 * @io_write: called when @fd is writable (or NULL)
 * @opaque: passed to the handlers
 *
 * Install, change or (both handlers NULL) remove the handlers for @fd.
 * Call from the thread that runs @ctx.
 */
void aio_set_fd_handler(AioContext *ctx, int fd, IOHandler *io_read,
                        IOHandler *io_write, void *opaque);

/**
 * aio_set_event_notifier:
 * @ctx: context
 * @notifier: notifier
 * @io_read: called (with @notifier) when it is set, or NULL to remove
 *
 * Watch @notifier in @ctx.  The handler clears it itself.
 */
void aio_set_event_notifier(AioContext *ctx, EventNotifier *notifier,
                            void (*io_read)(EventNotifier *));

/**
 * aio_poll:
 * @ctx: context
 * @blocking: wait for an event if nothing is ready
 *
 * Run ready BHs, fd handlers and expired timers once.  With @blocking,
 * first wait until something is ready (it returns at once if nothing
 * could ever become ready: no handlers, BHs or timers).  Return true if
 * any callback made progress.  Call from @ctx's thread only.
 */
bool aio_poll(AioContext *ctx, bool blocking);

/**
 * aio_bh_new:
 * @ctx: context
 * @cb: function to run
 * @opaque: passed to @cb
 *
 * Create a bottom half: a callback run once by @ctx's thread each time
 * it is scheduled.  Free it with qemu_bh_delete().
 */
QEMUBH *aio_bh_new(AioContext *ctx, QEMUBHFunc *cb, void *opaque);

/**
 * qemu_bh_new:
 * @cb: function to run
 * @opaque: passed to @cb
 *
 * Create a bottom half in the main context.
 */
QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque);

/**
 * qemu_bh_schedule:
 * @bh: bottom half
 *
 * Arrange for @bh to run once soon; scheduling twice before it runs runs
 * it once.  Any thread.
 */
void qemu_bh_schedule(QEMUBH *bh);

/**
 * qemu_bh_cancel:
 * @bh: bottom half
 *
 * Undo a pending qemu_bh_schedule().
 */
void qemu_bh_cancel(QEMUBH *bh);

/**
 * qemu_bh_delete:
 * @bh: bottom half (may be the one running now)
 *
 * Cancel and free @bh.
 */
void qemu_bh_delete(QEMUBH *bh);

/**
 * aio_bh_schedule_oneshot:
 * @ctx: context
 * @cb: function to run
 * @opaque: passed to @cb
 *
 * Run @cb once in @ctx's thread, soon; nothing to free.  Any thread.
 */
void aio_bh_schedule_oneshot(AioContext *ctx, QEMUBHFunc *cb, void *opaque);

/**
 * aio_bh_poll:
 * @ctx: context
 *
 * Run the BHs scheduled so far (not those scheduled while running).
 * Return true if any ran.
 */
bool aio_bh_poll(AioContext *ctx);

/**
 * aio_timer_new:
 * @ctx: context
 * @type: clock
 * @scale: nanoseconds per unit of timer_mod()
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Allocate a timer that fires in @ctx; free it with timer_free().
 */
static inline QEMUTimer *aio_timer_new(AioContext *ctx, QEMUClockType type,
                                       int scale, QEMUTimerCB *cb,
                                       void *opaque)
{
    return timer_new_full(&ctx->tlg, type, scale, cb, opaque);
}

/**
 * aio_timer_init:
 * @ctx: context
 * @ts: caller-allocated timer
 * @type: clock
 * @scale: nanoseconds per unit
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Initialise @ts to fire in @ctx.
 */
static inline void aio_timer_init(AioContext *ctx, QEMUTimer *ts,
                                  QEMUClockType type, int scale,
                                  QEMUTimerCB *cb, void *opaque)
{
    timer_init_full(ts, &ctx->tlg, type, scale, cb, opaque);
}

/**
 * aio_compute_timeout:
 * @ctx: context
 *
 * Return how long (ns) a blocking poll of @ctx may sleep: 0 with BHs
 * pending, -1 for no limit.
 */
int64_t aio_compute_timeout(AioContext *ctx);

/**
 * aio_co_schedule:
 * @ctx: context
 * @co: suspended coroutine
 *
 * Enter @co from a BH of @ctx.  Any thread.  Scheduling a coroutine
 * twice before it runs aborts.
 */
void aio_co_schedule(AioContext *ctx, Coroutine *co);

/**
 * aio_co_wake:
 * @co: suspended coroutine
 *
 * Resume @co in the context it last ran in: at once (when called from
 * that context outside coroutines), after the current coroutine yields
 * (inside one), or via aio_co_schedule() (from another thread).
 */
void aio_co_wake(Coroutine *co);

/**
 * aio_co_enter:
 * @ctx: context @co should run in
 * @co: coroutine
 *
 * Like aio_co_wake() with an explicit context.
 */
void aio_co_enter(AioContext *ctx, Coroutine *co);

/**
 * aio_get_thread_pool:
 * @ctx: context
 *
 * Return @ctx's thread pool, creating it on first use.
 */
ThreadPool *aio_get_thread_pool(AioContext *ctx);

/**
 * aio_get_g_source:
 * @ctx: context
 *
 * Return @ctx as a GSource with a new reference, for g_source_attach().
 */
GSource *aio_get_g_source(AioContext *ctx);

/* ---- Private to util/: shared by async.c and aio-posix.c ---- */

/* Dispatch fd handlers whose revents are set; true if any ran. */
bool aio_dispatch_handlers(AioContext *ctx);
/* Register each handler's GPollFD with the context's GSource. */
void aio_handlers_free_all(AioContext *ctx);
/* True if any handler's revents match its interest. */
bool aio_pending(AioContext *ctx);
/* Clear ctx->notified after reading the notifier. */
void aio_notify_accept(AioContext *ctx);
/* Make @ctx the current context of this thread; returns the previous. */
AioContext *aio_context_set_current(AioContext *ctx);

#endif
