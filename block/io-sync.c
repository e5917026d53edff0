/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synchronous forms of the block/io.c requests for callers outside
 * coroutines (tools, monitor handlers).  Each packs its arguments, and
 * co_run_sync() runs the coroutine version and polls until it is done;
 * inside a coroutine the coroutine version is called directly.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "block/co-sync.h"

/* Arguments of the child requests (read, write, zeroes, discard, truncate) */
typedef struct BdrvChildReq {
    BdrvChild *child;
    int64_t offset, bytes;
    QEMUIOVector *qiov;
    BdrvRequestFlags flags;
    bool exact;
    PreallocMode prealloc;
    Error **errp;
} BdrvChildReq;

/* Arguments of the node queries (flush, block status) */
typedef struct BdrvNodeReq {
    BlockDriverState *bs, *base, **file;
    bool include_base;
    int64_t offset, bytes, *pnum, *map;
} BdrvNodeReq;

static int coroutine_fn bdrv_pread_co(void *opaque)
{
    BdrvChildReq *r = opaque;

    return bdrv_co_preadv(r->child, r->offset, r->bytes, r->qiov, r->flags);
}

int bdrv_pread(BdrvChild *child, int64_t offset, int64_t bytes, void *buf,
               BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    BdrvChildReq r = { .child = child, .offset = offset, .bytes = bytes,
                       .qiov = &qiov, .flags = flags };

    qemu_iovec_init_buf(&qiov, buf, bytes);
    return co_run_sync(NULL, bdrv_pread_co, &r);
}

static int coroutine_fn bdrv_pwrite_co(void *opaque)
{
    BdrvChildReq *r = opaque;

    return bdrv_co_pwritev(r->child, r->offset, r->bytes, r->qiov, r->flags);
}

int bdrv_pwrite(BdrvChild *child, int64_t offset, int64_t bytes,
                const void *buf, BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    BdrvChildReq r = { .child = child, .offset = offset, .bytes = bytes,
                       .qiov = &qiov, .flags = flags };

    qemu_iovec_init_buf(&qiov, (void *)buf, bytes);
    return co_run_sync(NULL, bdrv_pwrite_co, &r);
}

static int coroutine_fn bdrv_pwrite_zeroes_co(void *opaque)
{
    BdrvChildReq *r = opaque;

    return bdrv_co_pwrite_zeroes(r->child, r->offset, r->bytes, r->flags);
}

int bdrv_pwrite_zeroes(BdrvChild *child, int64_t offset, int64_t bytes,
                       BdrvRequestFlags flags)
{
    BdrvChildReq r = { .child = child, .offset = offset, .bytes = bytes,
                       .flags = flags };

    return co_run_sync(NULL, bdrv_pwrite_zeroes_co, &r);
}

static int coroutine_fn bdrv_pdiscard_co(void *opaque)
{
    BdrvChildReq *r = opaque;

    return bdrv_co_pdiscard(r->child, r->offset, r->bytes);
}

int bdrv_pdiscard(BdrvChild *child, int64_t offset, int64_t bytes)
{
    BdrvChildReq r = { .child = child, .offset = offset, .bytes = bytes };

    return co_run_sync(NULL, bdrv_pdiscard_co, &r);
}

static int coroutine_fn bdrv_truncate_co(void *opaque)
{
    BdrvChildReq *r = opaque;

    return bdrv_co_truncate(r->child, r->offset, r->exact, r->prealloc,
                            r->errp);
}

int bdrv_truncate(BdrvChild *child, int64_t offset, bool exact,
                  PreallocMode prealloc, Error **errp)
{
    BdrvChildReq r = { .child = child, .offset = offset, .exact = exact,
                       .prealloc = prealloc, .errp = errp };

    return co_run_sync(NULL, bdrv_truncate_co, &r);
}

static int coroutine_fn bdrv_flush_co(void *opaque)
{
    BdrvNodeReq *r = opaque;

    return bdrv_co_flush(r->bs);
}

int bdrv_flush(BlockDriverState *bs)
{
    BdrvNodeReq r = { .bs = bs };

    return co_run_sync(NULL, bdrv_flush_co, &r);
}

static int coroutine_fn bdrv_block_status_co(void *opaque)
{
    BdrvNodeReq *r = opaque;

    return bdrv_co_block_status(r->bs, r->offset, r->bytes, r->pnum, r->map,
                                r->file);
}

int bdrv_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      int64_t *pnum, int64_t *map, BlockDriverState **file)
{
    BdrvNodeReq r = { .bs = bs, .offset = offset, .bytes = bytes,
                      .pnum = pnum, .map = map, .file = file };

    return co_run_sync(NULL, bdrv_block_status_co, &r);
}

static int coroutine_fn bdrv_block_status_above_co(void *opaque)
{
    BdrvNodeReq *r = opaque;

    return bdrv_co_block_status_above(r->bs, r->base, r->offset, r->bytes,
                                      r->pnum, r->map, r->file);
}

int bdrv_block_status_above(BlockDriverState *bs, BlockDriverState *base,
                            int64_t offset, int64_t bytes, int64_t *pnum,
                            int64_t *map, BlockDriverState **file)
{
    BdrvNodeReq r = { .bs = bs, .base = base, .offset = offset,
                      .bytes = bytes, .pnum = pnum, .map = map,
                      .file = file };

    return co_run_sync(NULL, bdrv_block_status_above_co, &r);
}

static int coroutine_fn bdrv_is_allocated_above_co(void *opaque)
{
    BdrvNodeReq *r = opaque;

    return bdrv_co_is_allocated_above(r->bs, r->base, r->include_base,
                                      r->offset, r->bytes, r->pnum);
}

int bdrv_is_allocated_above(BlockDriverState *top, BlockDriverState *base,
                            bool include_base, int64_t offset,
                            int64_t bytes, int64_t *pnum)
{
    BdrvNodeReq r = { .bs = top, .base = base, .include_base = include_base,
                      .offset = offset, .bytes = bytes, .pnum = pnum };

    return co_run_sync(NULL, bdrv_is_allocated_above_co, &r);
}
