/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synchronous forms of the block/io.c requests for callers outside
 * coroutines (tools, monitor handlers): run the coroutine version and
 * poll the main context until it is done.  Inside a coroutine they call
 * the coroutine version directly.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "block/aio-wait.h"

typedef enum {
    BDRV_OP_READ, BDRV_OP_WRITE, BDRV_OP_ZEROES, BDRV_OP_DISCARD,
    BDRV_OP_FLUSH, BDRV_OP_TRUNCATE, BDRV_OP_STATUS, BDRV_OP_STATUS_ABOVE,
    BDRV_OP_ALLOCATED_ABOVE,
} BdrvSyncOp;

typedef struct BdrvSyncCo {
    BdrvSyncOp op;
    BdrvChild *child;
    BlockDriverState *bs, *base, **file;
    int64_t offset, bytes, *pnum, *map;
    QEMUIOVector *qiov;
    BdrvRequestFlags flags;
    bool exact;
    PreallocMode prealloc;
    Error **errp;
    int ret;
    bool done;
} BdrvSyncCo;

static int coroutine_fn bdrv_sync_dispatch(BdrvSyncCo *s)
{
    switch (s->op) {
    case BDRV_OP_READ:
        return bdrv_co_preadv(s->child, s->offset, s->bytes, s->qiov,
                              s->flags);
    case BDRV_OP_WRITE:
        return bdrv_co_pwritev(s->child, s->offset, s->bytes, s->qiov,
                               s->flags);
    case BDRV_OP_ZEROES:
        return bdrv_co_pwrite_zeroes(s->child, s->offset, s->bytes,
                                     s->flags);
    case BDRV_OP_DISCARD:
        return bdrv_co_pdiscard(s->child, s->offset, s->bytes);
    case BDRV_OP_FLUSH:
        return bdrv_co_flush(s->bs);
    case BDRV_OP_TRUNCATE:
        return bdrv_co_truncate(s->child, s->offset, s->exact, s->prealloc,
                                s->errp);
    case BDRV_OP_STATUS:
        return bdrv_co_block_status(s->bs, s->offset, s->bytes, s->pnum,
                                    s->map, s->file);
    case BDRV_OP_STATUS_ABOVE:
        return bdrv_co_block_status_above(s->bs, s->base, s->offset,
                                          s->bytes, s->pnum, s->map,
                                          s->file);
    case BDRV_OP_ALLOCATED_ABOVE:
        return bdrv_co_is_allocated_above(s->bs, s->base, s->exact,
                                          s->offset, s->bytes, s->pnum);
    }
    g_assert_not_reached();
}

static void coroutine_fn bdrv_sync_entry(void *opaque)
{
    BdrvSyncCo *s = opaque;

    s->ret = bdrv_sync_dispatch(s);
    s->done = true;
    aio_wait_kick();
}

static int bdrv_sync_run(BdrvSyncCo *s)
{
    if (qemu_in_coroutine()) {
        return bdrv_sync_dispatch(s);
    }
    qemu_coroutine_enter(qemu_coroutine_create(bdrv_sync_entry, s));
    AIO_WAIT_WHILE(NULL, !s->done);
    return s->ret;
}

int bdrv_pread(BdrvChild *child, int64_t offset, int64_t bytes, void *buf,
               BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    BdrvSyncCo s = { .op = BDRV_OP_READ, .child = child, .offset = offset,
                     .bytes = bytes, .qiov = &qiov, .flags = flags };

    qemu_iovec_init_buf(&qiov, buf, bytes);
    return bdrv_sync_run(&s);
}

int bdrv_pwrite(BdrvChild *child, int64_t offset, int64_t bytes,
                const void *buf, BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    BdrvSyncCo s = { .op = BDRV_OP_WRITE, .child = child, .offset = offset,
                     .bytes = bytes, .qiov = &qiov, .flags = flags };

    qemu_iovec_init_buf(&qiov, (void *)buf, bytes);
    return bdrv_sync_run(&s);
}

int bdrv_pwrite_zeroes(BdrvChild *child, int64_t offset, int64_t bytes,
                       BdrvRequestFlags flags)
{
    BdrvSyncCo s = { .op = BDRV_OP_ZEROES, .child = child, .offset = offset,
                     .bytes = bytes, .flags = flags };

    return bdrv_sync_run(&s);
}

int bdrv_pdiscard(BdrvChild *child, int64_t offset, int64_t bytes)
{
    BdrvSyncCo s = { .op = BDRV_OP_DISCARD, .child = child,
                     .offset = offset, .bytes = bytes };

    return bdrv_sync_run(&s);
}

int bdrv_flush(BlockDriverState *bs)
{
    BdrvSyncCo s = { .op = BDRV_OP_FLUSH, .bs = bs };

    return bdrv_sync_run(&s);
}

int bdrv_truncate(BdrvChild *child, int64_t offset, bool exact,
                  PreallocMode prealloc, Error **errp)
{
    BdrvSyncCo s = { .op = BDRV_OP_TRUNCATE, .child = child,
                     .offset = offset, .exact = exact,
                     .prealloc = prealloc, .errp = errp };

    return bdrv_sync_run(&s);
}

int bdrv_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      int64_t *pnum, int64_t *map, BlockDriverState **file)
{
    BdrvSyncCo s = { .op = BDRV_OP_STATUS, .bs = bs, .offset = offset,
                     .bytes = bytes, .pnum = pnum, .map = map,
                     .file = file };

    return bdrv_sync_run(&s);
}

int bdrv_block_status_above(BlockDriverState *bs, BlockDriverState *base,
                            int64_t offset, int64_t bytes, int64_t *pnum,
                            int64_t *map, BlockDriverState **file)
{
    BdrvSyncCo s = { .op = BDRV_OP_STATUS_ABOVE, .bs = bs, .base = base,
                     .offset = offset, .bytes = bytes, .pnum = pnum,
                     .map = map, .file = file };

    return bdrv_sync_run(&s);
}

int bdrv_is_allocated_above(BlockDriverState *top, BlockDriverState *base,
                            bool include_base, int64_t offset,
                            int64_t bytes, int64_t *pnum)
{
    BdrvSyncCo s = { .op = BDRV_OP_ALLOCATED_ABOVE, .bs = top,
                     .base = base, .exact = include_base, .offset = offset,
                     .bytes = bytes, .pnum = pnum };

    return bdrv_sync_run(&s);
}
