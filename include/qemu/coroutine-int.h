/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The coroutine object and the switch backend's interface.  Only the
 * runtime (util/) includes this: everyone else sees Coroutine as opaque.
 */
#ifndef QEMU_COROUTINE_INT_H
#define QEMU_COROUTINE_INT_H

#include "qemu/coroutine.h"

/* Why control goes from one coroutine to another. */
typedef enum CoroutineAction {
    COROUTINE_SET_UP = 0,      /* bootstrap finished (sigsetjmp result 0) */
    COROUTINE_YIELD = 1,
    COROUTINE_TERMINATE = 2,
    COROUTINE_ENTER = 3,
} CoroutineAction;

struct Coroutine {
    CoroutineEntry *entry;
    void *entry_arg;
    Coroutine *caller;          /* who entered us; NULL while suspended */
    AioContext *ctx;            /* where wake-ups are delivered */
    size_t locks_held;          /* CoMutex/CoRwlock holds, for asserts */

    /* Non-NULL (the scheduler's name) while in a context's schedule list. */
    const char *scheduled;

    /* Link in a CoQueue, CoMutex waiter list or a co_queue_wakeup. */
    QSIMPLEQ_ENTRY(Coroutine) co_queue_next;
    /* Coroutines woken by us, entered as soon as we yield or finish. */
    QSIMPLEQ_HEAD(, Coroutine) co_queue_wakeup;
    /* Link in AioContext.scheduled_coroutines. */
    QSIMPLEQ_ENTRY(Coroutine) co_scheduled_next;
    /* Link in the free pool. */
    QSLIST_ENTRY(Coroutine) pool_next;
};

/* Backend: allocate a coroutine with a fresh stack (entry unset). */
Coroutine *qemu_coroutine_new(void);
/* Backend: release a coroutine and its stack. */
void qemu_coroutine_delete(Coroutine *co);
/* Backend: stop running @from, run @to; returns why @from was resumed. */
CoroutineAction qemu_coroutine_switch(Coroutine *from, Coroutine *to,
                                      CoroutineAction action);

#endif
