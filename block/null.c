/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * null-co: a node of a given size that discards writes and reads either
 * garbage-free zeroes (read-zeroes=on) or leaves the buffer untouched;
 * latency-ns delays each request.  Used for tests and benchmarks.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qemu/cutils.h"
#include "block/block_int.h"

typedef struct BDRVNullState {
    int64_t length;
    int64_t latency_ns;
    bool read_zeroes;
} BDRVNullState;

static int null_open(BlockDriverState *bs, QDict *options, int flags,
                     Error **errp)
{
    BDRVNullState *s = bs->opaque;
    g_autofree char *filename = bdrv_opt_take_str(options, "filename");
    uint64_t size, latency;

    if (!bdrv_opt_take_size(options, "size", 1 * GiB, &size, errp) ||
        !bdrv_opt_take_size(options, "latency-ns", 0, &latency, errp) ||
        !bdrv_opt_take_bool(options, "read-zeroes", false, &s->read_zeroes,
                            errp)) {
        return -EINVAL;
    }
    if (filename && strcmp(filename, "null-co://")) {
        error_setg(errp, "The only allowed filename for this driver is "
                   "'null-co://'");
        return -EINVAL;
    }
    if (size > BDRV_MAX_LENGTH || latency > INT64_MAX) {
        error_setg(errp, "Parameter 'size' is out of range");
        return -EINVAL;
    }
    s->length = size;
    s->latency_ns = latency;
    pstrcpy(bs->filename, sizeof(bs->filename), "null-co://");
    return 0;
}

static int64_t null_getlength(BlockDriverState *bs)
{
    BDRVNullState *s = bs->opaque;

    return s->length;
}

static void coroutine_fn null_delay(BlockDriverState *bs)
{
    BDRVNullState *s = bs->opaque;

    if (s->latency_ns) {
        qemu_co_sleep_ns(QEMU_CLOCK_REALTIME, s->latency_ns);
    }
}

static int coroutine_fn null_co_preadv(BlockDriverState *bs, int64_t offset,
                                       int64_t bytes, QEMUIOVector *qiov,
                                       BdrvRequestFlags flags)
{
    BDRVNullState *s = bs->opaque;

    if (s->read_zeroes) {
        qemu_iovec_memset(qiov, 0, 0, bytes);
    }
    null_delay(bs);
    return 0;
}

static int coroutine_fn null_co_pwritev(BlockDriverState *bs,
                                        int64_t offset, int64_t bytes,
                                        QEMUIOVector *qiov,
                                        BdrvRequestFlags flags)
{
    null_delay(bs);
    return 0;
}

static int coroutine_fn null_co_pwrite_zeroes(BlockDriverState *bs,
                                              int64_t offset, int64_t bytes,
                                              BdrvRequestFlags flags)
{
    null_delay(bs);
    return 0;
}

static int coroutine_fn null_co_flush(BlockDriverState *bs)
{
    null_delay(bs);
    return 0;
}

static int coroutine_fn null_co_block_status(BlockDriverState *bs,
                                             int64_t offset, int64_t bytes,
                                             int64_t *pnum, int64_t *map,
                                             BlockDriverState **file)
{
    BDRVNullState *s = bs->opaque;

    *pnum = bytes;
    *map = offset;
    *file = bs;
    return BDRV_BLOCK_OFFSET_VALID | (s->read_zeroes ? BDRV_BLOCK_ZERO : 0);
}

static int64_t null_get_allocated_file_size(BlockDriverState *bs)
{
    return 0;
}

static int null_has_zero_init(BlockDriverState *bs)
{
    return ((BDRVNullState *)bs->opaque)->read_zeroes;
}

static const char *const null_runtime_opts[] = {
    "size", "latency-ns", "read-zeroes", "filename", NULL,
};

BlockDriver bdrv_null_co = {
    .format_name            = "null-co",
    .protocol_name          = "null-co",
    .instance_size          = sizeof(BDRVNullState),
    .runtime_opts           = null_runtime_opts,
    .bdrv_open              = null_open,
    .bdrv_getlength         = null_getlength,
    .bdrv_get_allocated_file_size = null_get_allocated_file_size,
    .bdrv_has_zero_init     = null_has_zero_init,
    .bdrv_co_preadv         = null_co_preadv,
    .bdrv_co_pwritev        = null_co_pwritev,
    .bdrv_co_pwrite_zeroes  = null_co_pwrite_zeroes,
    .bdrv_co_flush          = null_co_flush,
    .bdrv_co_block_status   = null_co_block_status,
};
