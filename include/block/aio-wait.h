/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Waiting outside coroutines: run an AioContext's event loop until a
 * condition turns false.  Code that changes the condition from another
 * context or thread calls aio_wait_kick() so the waiter re-checks.
 */
#ifndef QEMU_AIO_WAIT_H
#define QEMU_AIO_WAIT_H

#include "qemu/atomic.h"
#include "block/aio.h"

typedef struct AioWait {
    unsigned num_waiters;   /* AIO_WAIT_WHILE loops in progress */
} AioWait;

extern AioWait global_aio_wait;

/**
 * AIO_WAIT_WHILE:
 * @ctx: context to poll, or NULL for the main one
 * @cond: expression re-evaluated after every aio_poll()
 *
 * Block in aio_poll(@ctx, true) while @cond is true.  Evaluates to true
 * if it polled at least once.  Never call it from a coroutine (yield
 * there instead).
 */
#define AIO_WAIT_WHILE(ctx, cond) ({ \
        bool waited_ = false; \
        AioContext *ctx_ = (ctx) ? (ctx) : qemu_get_aio_context(); \
        assert(!qemu_in_coroutine()); \
        qatomic_inc(&global_aio_wait.num_waiters); \
        while ((cond)) { \
            aio_poll(ctx_, true); \
            waited_ = true; \
        } \
        qatomic_dec(&global_aio_wait.num_waiters); \
        waited_; \
    })

/**
 * aio_wait_kick:
 *
 * Wake every AIO_WAIT_WHILE() of the main context so it re-evaluates its
 * condition.  Call after changing such a condition; any thread.
 */
void aio_wait_kick(void);

#endif
