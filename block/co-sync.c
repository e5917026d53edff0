/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one poll loop behind the synchronous block-layer wrappers: start
 * the coroutine, then run the event loop until it has returned.
 */
#include "qemu/osdep.h"
#include "qemu/coroutine.h"
#include "block/aio-wait.h"
#include "block/co-sync.h"

typedef struct CoSyncState {
    CoSyncFn *fn;
    void *opaque;
    int ret;
    bool done;
} CoSyncState;

static void coroutine_fn co_run_sync_entry(void *opaque)
{
    CoSyncState *s = opaque;

    s->ret = s->fn(s->opaque);
    s->done = true;
    /* The waiter may poll another context than the one we finished in */
    aio_wait_kick();
}

int co_run_sync(AioContext *ctx, CoSyncFn *fn, void *opaque)
{
    CoSyncState s = { .fn = fn, .opaque = opaque };

    if (qemu_in_coroutine()) {
        return fn(opaque);
    }
    qemu_coroutine_enter(qemu_coroutine_create(co_run_sync_entry, &s));
    AIO_WAIT_WHILE(ctx, !s.done);
    return s.ret;
}
