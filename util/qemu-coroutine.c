/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Coroutine life cycle, independent of the switch backend: creation from
 * a per-thread pool of finished coroutines, entering (with the wake-up
 * queue that keeps nesting shallow), yielding and termination.
 */
#include "qemu/osdep.h"
#include <pthread.h>
#include "qemu/atomic.h"
#include "qemu/coroutine-int.h"
#include "block/aio.h"

/*
 * Finished coroutines kept per thread for reuse.  A pooled coroutine
 * keeps its mapped stack (only touched pages are resident), so the bound
 * caps address space at POOL_MAX_SIZE stacks per thread.
 */
#define POOL_MAX_SIZE 128

static __thread QSLIST_HEAD(, Coroutine) pool;
static __thread unsigned pool_size;
static unsigned live_coroutines;

static pthread_key_t pool_key;
static pthread_once_t pool_key_once = PTHREAD_ONCE_INIT;

static void coroutine_pool_drain(void)
{
    Coroutine *co;

    while ((co = QSLIST_FIRST(&pool)) != NULL) {
        QSLIST_REMOVE_HEAD(&pool, pool_next);
        pool_size--;
        qemu_coroutine_delete(co);
    }
}

static void coroutine_pool_thread_exit(void *unused)
{
    coroutine_pool_drain();
}

static void coroutine_pool_key_init(void)
{
    pthread_key_create(&pool_key, coroutine_pool_thread_exit);
}

static void __attribute__((destructor)) coroutine_pool_process_exit(void)
{
    /* The main thread runs no key destructor; free its pool here. */
    coroutine_pool_drain();
}

Coroutine *qemu_coroutine_create(CoroutineEntry *entry, void *opaque)
{
    Coroutine *co = QSLIST_FIRST(&pool);

    if (co) {
        QSLIST_REMOVE_HEAD(&pool, pool_next);
        pool_size--;
    } else {
        pthread_once(&pool_key_once, coroutine_pool_key_init);
        /* Any non-NULL value makes the key's destructor run. */
        pthread_setspecific(pool_key, &pool);
        co = qemu_coroutine_new();
    }
    co->entry = entry;
    co->entry_arg = opaque;
    co->caller = NULL;
    co->ctx = NULL;
    co->locks_held = 0;
    co->scheduled = NULL;
    QSIMPLEQ_INIT(&co->co_queue_wakeup);
    qatomic_inc(&live_coroutines);
    return co;
}

static void coroutine_release(Coroutine *co)
{
    assert(co->locks_held == 0);
    qatomic_dec(&live_coroutines);
    if (pool_size < POOL_MAX_SIZE) {
        QSLIST_INSERT_HEAD(&pool, co, pool_next);
        pool_size++;
        return;
    }
    qemu_coroutine_delete(co);
}

void qemu_aio_coroutine_enter(AioContext *ctx, Coroutine *co)
{
    QSIMPLEQ_HEAD(, Coroutine) pending = QSIMPLEQ_HEAD_INITIALIZER(pending);
    Coroutine *from = qemu_coroutine_self();

    QSIMPLEQ_INSERT_TAIL(&pending, co, co_queue_next);

    /*
     * Coroutines woken while @co ran are entered here, one after the
     * other, instead of from inside @co: the stack depth stays bounded.
     */
    while (!QSIMPLEQ_EMPTY(&pending)) {
        Coroutine *to = QSIMPLEQ_FIRST(&pending);
        CoroutineAction ret;

        QSIMPLEQ_REMOVE_HEAD(&pending, co_queue_next);
        if (to->caller) {
            fprintf(stderr, "Co-routine re-entered recursively\n");
            abort();
        }
        if (to->scheduled) {
            fprintf(stderr, "%s: Co-routine was already scheduled in '%s'\n",
                    __func__, to->scheduled);
            abort();
        }
        to->caller = from;
        qatomic_set(&to->ctx, ctx);
        /* Publish ctx before @to can be woken from another thread. */
        smp_wmb();

        ret = qemu_coroutine_switch(from, to, COROUTINE_ENTER);

        QSIMPLEQ_PREPEND(&pending, &to->co_queue_wakeup);
        switch (ret) {
        case COROUTINE_YIELD:
            break;
        case COROUTINE_TERMINATE:
            coroutine_release(to);
            break;
        default:
            abort();
        }
    }
}

void qemu_coroutine_enter(Coroutine *co)
{
    qemu_aio_coroutine_enter(qemu_get_current_aio_context(), co);
}

void qemu_coroutine_enter_if_inactive(Coroutine *co)
{
    if (!qemu_coroutine_entered(co)) {
        qemu_coroutine_enter(co);
    }
}

void coroutine_fn qemu_coroutine_yield(void)
{
    Coroutine *self = qemu_coroutine_self();
    Coroutine *to = self->caller;

    if (!to) {
        fprintf(stderr, "Co-routine is yielding to no one\n");
        abort();
    }
    self->caller = NULL;
    qemu_coroutine_switch(self, to, COROUTINE_YIELD);
}

bool qemu_coroutine_entered(Coroutine *co)
{
    return co->caller != NULL;
}

AioContext *qemu_coroutine_get_aio_context(Coroutine *co)
{
    return qatomic_read(&co->ctx);
}

void qemu_coroutine_stats(unsigned *live, unsigned *pooled)
{
    *live = qatomic_read(&live_coroutines);
    *pooled = pool_size;
}
