/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One way for code outside coroutines to call a coroutine_fn and wait:
 * every synchronous wrapper of the block layer (bdrv_pread, blk_flush,
 * bdrv_create, ...) packs its arguments and goes through here.
 */
#ifndef BLOCK_CO_SYNC_H
#define BLOCK_CO_SYNC_H

#include "block/aio.h"

/*
 * A coroutine body with one opaque argument and an int result (0 or a
 * negative errno, or whatever the wrapped function returns).
 */
typedef int coroutine_fn CoSyncFn(void *opaque);

/**
 * co_run_sync:
 * @ctx: the context whose event loop completes the request, or NULL for
 *       the main one
 * @fn: the coroutine body to run
 * @opaque: its argument, usually a struct of the wrapped call's arguments
 *
 * Run @fn(@opaque) to completion and return its result.  Outside a
 * coroutine a new coroutine runs it while @ctx is polled; inside one @fn
 * is called directly, since nesting a poll loop there would deadlock.
 */
int co_run_sync(AioContext *ctx, CoSyncFn *fn, void *opaque);

#endif
