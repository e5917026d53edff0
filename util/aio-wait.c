/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aio_wait_kick(): a no-op BH in the main context, so that a blocking
 * aio_poll() inside AIO_WAIT_WHILE() returns and re-checks its condition.
 */
#include "qemu/osdep.h"
#include "block/aio-wait.h"

AioWait global_aio_wait;

static void dummy_bh_cb(void *opaque)
{
    /* Waking the poller is all that is needed. */
}

void aio_wait_kick(void)
{
    /* Pairs with the increment in AIO_WAIT_WHILE: see it or be seen. */
    smp_mb();
    if (qatomic_read(&global_aio_wait.num_waiters) &&
        qemu_get_aio_context()) {
        aio_bh_schedule_oneshot(qemu_get_aio_context(), dummy_bh_cb, NULL);
    }
}
