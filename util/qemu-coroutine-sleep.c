/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Coroutine sleeps: a timer in the coroutine's AioContext whose callback
 * wakes it, and a QemuCoSleep handle through which others may wake it
 * early (how a job's sleep is cut short by pause, cancel or complete).
 */
#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/coroutine.h"
#include "block/aio.h"

void qemu_co_sleep_wake(QemuCoSleep *w)
{
    /* Whoever takes to_wake wakes it: the timer or an early waker. */
    Coroutine *co = qatomic_xchg(&w->to_wake, NULL);

    if (co) {
        aio_co_wake(co);
    }
}

static void co_sleep_cb(void *opaque)
{
    qemu_co_sleep_wake(opaque);
}

void coroutine_fn qemu_co_sleep(QemuCoSleep *w)
{
    Coroutine *self = qemu_coroutine_self();

    assert(qemu_in_coroutine());
    assert(!w->to_wake);
    qatomic_set(&w->to_wake, self);
    /* Someone else entering us early does not end the sleep. */
    do {
        qemu_coroutine_yield();
    } while (qatomic_read(&w->to_wake) == self);
}

void coroutine_fn qemu_co_sleep_ns_wakeable(QemuCoSleep *w,
                                            QEMUClockType type, int64_t ns)
{
    AioContext *ctx = qemu_get_current_aio_context();
    QEMUTimer ts;

    assert(ctx);
    aio_timer_init(ctx, &ts, type, SCALE_NS, co_sleep_cb, w);
    timer_mod_ns(&ts, qemu_clock_get_ns(type) + ns);
    qemu_co_sleep(w);
    timer_deinit(&ts);      /* still armed if woken early */
}

void coroutine_fn qemu_co_sleep_ns(QEMUClockType type, int64_t ns)
{
    QemuCoSleep w = { 0 };

    qemu_co_sleep_ns_wakeable(&w, type, ns);
}
