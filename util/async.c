/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AioContext life cycle, bottom halves, cross-thread notification, the
 * GSource glue for GLib's main loop, and coroutine wake-ups.
 *
 * BHs: a scheduled BH sits in a FIFO under bh_lock, so any thread may
 * schedule or cancel in O(1); aio_bh_poll() pops them one at a time and
 * runs only those scheduled before it started, so a BH that reschedules
 * itself cannot starve the loop.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/atomic.h"
#include "qemu/coroutine-int.h"
#include "block/aio.h"
#include "block/thread-pool.h"

struct QEMUBH {
    AioContext *ctx;
    QEMUBHFunc *cb;
    void *opaque;
    QTAILQ_ENTRY(QEMUBH) next;      /* in ctx->bh_list, under bh_lock */
    bool scheduled;                 /* under bh_lock */
    bool oneshot;                   /* freed after it ran */
};

static AioContext *main_aio_context;
static __thread AioContext *my_aio_context;
static __thread bool is_main_thread;

AioContext *qemu_get_aio_context(void)
{
    return main_aio_context;
}

void aio_context_set_main(AioContext *ctx)
{
    main_aio_context = ctx;
    is_main_thread = ctx != NULL;
}

AioContext *qemu_get_current_aio_context(void)
{
    if (my_aio_context) {
        return my_aio_context;
    }
    return is_main_thread ? main_aio_context : NULL;
}

AioContext *aio_context_set_current(AioContext *ctx)
{
    AioContext *old = my_aio_context;

    my_aio_context = ctx;
    return old;
}

/* ---- Notification ---- */

void aio_notify(AioContext *ctx)
{
    /*
     * Pairs with the barrier in aio_poll()/aio_ctx_prepare(): either the
     * poller sees our work before it sleeps, or we see notify_me set and
     * write the notifier.
     */
    smp_mb();
    if (qatomic_read(&ctx->notify_me) &&
        !qatomic_xchg(&ctx->notified, true)) {
        event_notifier_set(&ctx->notifier);
    }
}

void aio_notify_accept(AioContext *ctx)
{
    /* Read first, then clear: a notify in between finds work later. */
    event_notifier_test_and_clear(&ctx->notifier);
    qatomic_set(&ctx->notified, false);
    smp_mb();
}

static void aio_context_notifier_cb(EventNotifier *e)
{
    aio_notify_accept(container_of(e, AioContext, notifier));
}

static void aio_timerlist_notify(void *opaque, QEMUClockType type)
{
    aio_notify(opaque);
}

/* ---- Bottom halves ---- */

QEMUBH *aio_bh_new(AioContext *ctx, QEMUBHFunc *cb, void *opaque)
{
    QEMUBH *bh = g_new0(QEMUBH, 1);

    bh->ctx = ctx;
    bh->cb = cb;
    bh->opaque = opaque;
    return bh;
}

QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque)
{
    return aio_bh_new(qemu_get_aio_context(), cb, opaque);
}

void qemu_bh_schedule(QEMUBH *bh)
{
    AioContext *ctx = bh->ctx;

    g_mutex_lock(&ctx->bh_lock);
    if (!bh->scheduled) {
        bh->scheduled = true;
        QTAILQ_INSERT_TAIL(&ctx->bh_list, bh, next);
    }
    g_mutex_unlock(&ctx->bh_lock);
    aio_notify(ctx);
}

void qemu_bh_cancel(QEMUBH *bh)
{
    AioContext *ctx = bh->ctx;

    g_mutex_lock(&ctx->bh_lock);
    if (bh->scheduled) {
        bh->scheduled = false;
        QTAILQ_REMOVE(&ctx->bh_list, bh, next);
    }
    g_mutex_unlock(&ctx->bh_lock);
}

void qemu_bh_delete(QEMUBH *bh)
{
    if (bh) {
        qemu_bh_cancel(bh);
        g_free(bh);
    }
}

void aio_bh_schedule_oneshot(AioContext *ctx, QEMUBHFunc *cb, void *opaque)
{
    QEMUBH *bh = aio_bh_new(ctx, cb, opaque);

    bh->oneshot = true;
    qemu_bh_schedule(bh);
}

/* Pop the first scheduled BH, or NULL. */
static QEMUBH *aio_bh_dequeue(AioContext *ctx)
{
    QEMUBH *bh;

    g_mutex_lock(&ctx->bh_lock);
    bh = QTAILQ_FIRST(&ctx->bh_list);
    if (bh) {
        QTAILQ_REMOVE(&ctx->bh_list, bh, next);
        bh->scheduled = false;
    }
    g_mutex_unlock(&ctx->bh_lock);
    return bh;
}

bool aio_bh_poll(AioContext *ctx)
{
    QEMUBH *last;
    bool progress = false;

    g_mutex_lock(&ctx->bh_lock);
    last = QTAILQ_LAST(&ctx->bh_list);
    g_mutex_unlock(&ctx->bh_lock);
    if (!last) {
        return false;
    }

    for (;;) {
        QEMUBH *bh = aio_bh_dequeue(ctx);
        bool done, oneshot;

        if (!bh) {
            break;
        }
        /* @last may have been cancelled: stop at it or at an empty list. */
        done = bh == last;
        oneshot = bh->oneshot;
        bh->cb(bh->opaque);     /* may delete @bh */
        if (oneshot) {
            g_free(bh);
        }
        progress = true;
        if (done) {
            break;
        }
    }
    return progress;
}

static bool aio_bh_pending(AioContext *ctx)
{
    return qatomic_read(&ctx->bh_list.tqh_first) != NULL;
}

int64_t aio_compute_timeout(AioContext *ctx)
{
    if (aio_bh_pending(ctx)) {
        return 0;
    }
    return timerlistgroup_deadline_ns(&ctx->tlg);
}

/* ---- GSource glue ---- */

static gboolean aio_ctx_prepare(GSource *source, gint *timeout)
{
    AioContext *ctx = (AioContext *)source;
    int64_t ns;

    qatomic_add(&ctx->notify_me, 2);
    smp_mb();
    ns = aio_compute_timeout(ctx);
    if (ns == 0) {
        /* GLib skips check() for a ready source: undo notify_me here. */
        qatomic_sub(&ctx->notify_me, 2);
        *timeout = 0;
        return true;
    }
    *timeout = ns < 0 ? -1 : (gint)MIN(DIV_ROUND_UP(ns, SCALE_MS), G_MAXINT);
    return false;
}

static gboolean aio_ctx_check(GSource *source)
{
    AioContext *ctx = (AioContext *)source;

    qatomic_sub(&ctx->notify_me, 2);
    return aio_bh_pending(ctx) || aio_pending(ctx) ||
           timerlistgroup_deadline_ns(&ctx->tlg) == 0;
}

static gboolean aio_ctx_dispatch(GSource *source, GSourceFunc callback,
                                 gpointer user_data)
{
    AioContext *ctx = (AioContext *)source;
    AioContext *prev = aio_context_set_current(ctx);

    aio_dispatch_handlers(ctx);
    aio_bh_poll(ctx);
    timerlistgroup_run_timers(&ctx->tlg);
    aio_context_set_current(prev);
    return G_SOURCE_CONTINUE;
}

static void aio_ctx_finalize(GSource *source)
{
    AioContext *ctx = (AioContext *)source;
    QEMUBH *bh;

    thread_pool_free(ctx->thread_pool);
    qemu_bh_delete(ctx->co_schedule_bh);
    assert(QSIMPLEQ_EMPTY(&ctx->scheduled_coroutines));
    /* Only one-shot BHs belong to us; others are their owners' to free. */
    while ((bh = aio_bh_dequeue(ctx)) != NULL) {
        if (bh->oneshot) {
            g_free(bh);
        }
    }
    aio_set_event_notifier(ctx, &ctx->notifier, NULL);
    event_notifier_cleanup(&ctx->notifier);
    aio_handlers_free_all(ctx);
    if (ctx->tlg.tl[0]) {
        timerlistgroup_deinit(&ctx->tlg);
    }
    g_mutex_clear(&ctx->bh_lock);
    g_rec_mutex_clear(&ctx->lock);
}

static GSourceFuncs aio_source_funcs = {
    .prepare = aio_ctx_prepare,
    .check = aio_ctx_check,
    .dispatch = aio_ctx_dispatch,
    .finalize = aio_ctx_finalize,
};

/* ---- Coroutine wake-ups ---- */

static void co_schedule_bh_cb(void *opaque)
{
    AioContext *ctx = opaque;
    QSIMPLEQ_HEAD(, Coroutine) todo = QSIMPLEQ_HEAD_INITIALIZER(todo);
    Coroutine *co;

    g_mutex_lock(&ctx->bh_lock);
    QSIMPLEQ_CONCAT(&todo, &ctx->scheduled_coroutines);
    g_mutex_unlock(&ctx->bh_lock);

    while ((co = QSIMPLEQ_FIRST(&todo)) != NULL) {
        QSIMPLEQ_REMOVE_HEAD(&todo, co_scheduled_next);
        qatomic_set(&co->scheduled, NULL);
        qemu_aio_coroutine_enter(ctx, co);
    }
}

void aio_co_schedule(AioContext *ctx, Coroutine *co)
{
    const char *scheduled = qatomic_cmpxchg(&co->scheduled, NULL, __func__);

    if (scheduled) {
        fprintf(stderr, "%s: Co-routine was already scheduled in '%s'\n",
                __func__, scheduled);
        abort();
    }
    g_mutex_lock(&ctx->bh_lock);
    QSIMPLEQ_INSERT_TAIL(&ctx->scheduled_coroutines, co, co_scheduled_next);
    g_mutex_unlock(&ctx->bh_lock);
    qemu_bh_schedule(ctx->co_schedule_bh);
}

void aio_co_enter(AioContext *ctx, Coroutine *co)
{
    AioContext *current = qemu_get_current_aio_context();

    if (ctx && ctx != current) {
        aio_co_schedule(ctx, co);
        return;
    }
    if (qemu_in_coroutine()) {
        Coroutine *self = qemu_coroutine_self();

        assert(self != co);
        QSIMPLEQ_INSERT_TAIL(&self->co_queue_wakeup, co, co_queue_next);
        return;
    }
    qemu_aio_coroutine_enter(ctx ? ctx : current, co);
}

void aio_co_wake(Coroutine *co)
{
    /* Pairs with the barrier in qemu_aio_coroutine_enter(). */
    smp_rmb();
    aio_co_enter(qatomic_read(&co->ctx), co);
}

/* ---- Life cycle ---- */

AioContext *aio_context_new(Error **errp)
{
    AioContext *ctx;
    int ret;

    ctx = (AioContext *)g_source_new(&aio_source_funcs, sizeof(AioContext));
    g_rec_mutex_init(&ctx->lock);
    g_mutex_init(&ctx->bh_lock);
    QLIST_INIT(&ctx->aio_handlers);
    QTAILQ_INIT(&ctx->bh_list);
    QSIMPLEQ_INIT(&ctx->scheduled_coroutines);

    ret = event_notifier_init(&ctx->notifier, false);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Failed to initialize event notifier");
        g_source_unref(&ctx->source);
        return NULL;
    }
    g_source_set_can_recurse(&ctx->source, true);
    aio_set_event_notifier(ctx, &ctx->notifier, aio_context_notifier_cb);
    ctx->co_schedule_bh = aio_bh_new(ctx, co_schedule_bh_cb, ctx);
    timerlistgroup_init(&ctx->tlg, aio_timerlist_notify, ctx);
    return ctx;
}

void aio_context_ref(AioContext *ctx)
{
    g_source_ref(&ctx->source);
}

void aio_context_unref(AioContext *ctx)
{
    g_source_unref(&ctx->source);
}

void aio_context_acquire(AioContext *ctx)
{
    g_rec_mutex_lock(&ctx->lock);
}

void aio_context_release(AioContext *ctx)
{
    g_rec_mutex_unlock(&ctx->lock);
}

GSource *aio_get_g_source(AioContext *ctx)
{
    aio_context_ref(ctx);
    return &ctx->source;
}

ThreadPool *aio_get_thread_pool(AioContext *ctx)
{
    if (!ctx->thread_pool) {
        ctx->thread_pool = thread_pool_new(ctx);
    }
    return ctx->thread_pool;
}
