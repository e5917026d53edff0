/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_co_sleep_ns(): a timer in the coroutine's AioContext whose
 * callback wakes the coroutine.
 */
#include "qemu/osdep.h"
#include "qemu/coroutine.h"
#include "block/aio.h"

typedef struct CoSleep {
    Coroutine *co;
    bool done;
} CoSleep;

static void co_sleep_cb(void *opaque)
{
    CoSleep *s = opaque;

    s->done = true;
    aio_co_wake(s->co);
}

void coroutine_fn qemu_co_sleep_ns(QEMUClockType type, int64_t ns)
{
    AioContext *ctx = qemu_get_current_aio_context();
    CoSleep s = { .co = qemu_coroutine_self() };
    QEMUTimer ts;

    assert(qemu_in_coroutine() && ctx);
    aio_timer_init(ctx, &ts, type, SCALE_NS, co_sleep_cb, &s);
    timer_mod_ns(&ts, qemu_clock_get_ns(type) + ns);
    while (!s.done) {
        qemu_coroutine_yield();
    }
    timer_deinit(&ts);
}
