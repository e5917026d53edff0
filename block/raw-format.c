/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * raw: the format without metadata.  Passes requests to its "file" child,
 * optionally as a window (offset, size) of it.  When the format was
 * probed, writes that would make sector 0 look like another format are
 * refused, so a guest cannot turn a raw image into, say, qcow2.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"

typedef struct BDRVRawState {
    uint64_t offset;
    uint64_t size;
    bool has_size;
} BDRVRawState;

static int raw_probe(const uint8_t *buf, int buf_size, const char *filename)
{
    /* Anything is raw, so say so as weakly as possible */
    return 1;
}

static int raw_check_window(BlockDriverState *bs, BDRVRawState *s,
                            Error **errp)
{
    int64_t file_len = bdrv_getlength(bs->file->bs);

    if (file_len < 0) {
        error_setg_errno(errp, -file_len, "Could not get image size");
        return file_len;
    }
    if (s->offset > file_len) {
        error_setg(errp, "Offset (%" PRIu64 ") cannot be greater than size "
                   "of the containing file (%" PRId64 ")", s->offset,
                   file_len);
        return -EINVAL;
    }
    if (s->has_size && file_len - s->offset < s->size) {
        error_setg(errp, "The sum of offset (%" PRIu64 ") and size (%"
                   PRIu64 ") has to be smaller or equal to the  actual size "
                   "of the containing file (%" PRId64 ")", s->offset,
                   s->size, file_len);
        return -EINVAL;
    }
    return 0;
}

static int raw_open(BlockDriverState *bs, QDict *options, int flags,
                    Error **errp)
{
    BDRVRawState *s = bs->opaque;
    BdrvChildRole role;

    s->has_size = qdict_haskey(options, "size");
    if (!bdrv_opt_take_size(options, "offset", 0, &s->offset, errp) ||
        !bdrv_opt_take_size(options, "size", 0, &s->size, errp)) {
        return -EINVAL;
    }
    /* A window into the file is data; the whole file is a plain filter */
    role = (s->offset || s->has_size) ? BDRV_CHILD_DATA : BDRV_CHILD_FILTERED;
    bs->file = bdrv_open_child(NULL, options, "file", bs,
                               role | BDRV_CHILD_PRIMARY, false, errp);
    if (!bs->file) {
        return -EINVAL;
    }
    return raw_check_window(bs, s, errp);
}

static int64_t raw_getlength(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;
    int64_t len;

    if (s->has_size) {
        return s->size;
    }
    len = bdrv_getlength(bs->file->bs);
    if (len < 0) {
        return len;
    }
    return MAX(0, len - (int64_t)s->offset);
}

static void raw_refresh_limits(BlockDriverState *bs, Error **errp)
{
    bs->bl.request_alignment = 1;
}

/* Would this write make a probed image look like another format? */
static bool coroutine_fn raw_write_changes_format(BlockDriverState *bs,
                                                  int64_t offset,
                                                  int64_t bytes,
                                                  QEMUIOVector *qiov)
{
    BDRVRawState *s = bs->opaque;
    uint8_t buf[BDRV_SECTOR_SIZE];
    QEMUIOVector head;

    if (!bs->probed || offset >= BDRV_SECTOR_SIZE) {
        return false;
    }
    if (offset != 0 || bytes < BDRV_SECTOR_SIZE) {
        /* Judge the whole first sector as it would be after the write */
        qemu_iovec_init_buf(&head, buf, sizeof(buf));
        if (bdrv_co_preadv(bs->file, s->offset, sizeof(buf), &head, 0) < 0) {
            return true;
        }
    }
    qemu_iovec_to_buf(qiov, 0, buf + offset,
                      MIN(bytes, BDRV_SECTOR_SIZE - offset));
    return bdrv_probe_all(buf, sizeof(buf), NULL) != bs->drv;
}

static int coroutine_fn raw_co_preadv(BlockDriverState *bs, int64_t offset,
                                      int64_t bytes, QEMUIOVector *qiov,
                                      BdrvRequestFlags flags)
{
    BDRVRawState *s = bs->opaque;

    BLKDBG_EVENT(bs->file, BLKDBG_READ_AIO);
    return bdrv_co_preadv(bs->file, offset + s->offset, bytes, qiov, flags);
}

static int coroutine_fn raw_co_pwritev(BlockDriverState *bs, int64_t offset,
                                       int64_t bytes, QEMUIOVector *qiov,
                                       BdrvRequestFlags flags)
{
    BDRVRawState *s = bs->opaque;

    if (raw_write_changes_format(bs, offset, bytes, qiov)) {
        return -EPERM;
    }
    if (s->has_size && offset + bytes > s->size) {
        return -ENOSPC;
    }
    BLKDBG_EVENT(bs->file, BLKDBG_WRITE_AIO);
    return bdrv_co_pwritev(bs->file, offset + s->offset, bytes, qiov, flags);
}

static int coroutine_fn raw_co_pwrite_zeroes(BlockDriverState *bs,
                                             int64_t offset, int64_t bytes,
                                             BdrvRequestFlags flags)
{
    BDRVRawState *s = bs->opaque;

    if (bs->probed && offset < BDRV_SECTOR_SIZE) {
        return -EPERM;
    }
    return bdrv_co_pwrite_zeroes(bs->file, offset + s->offset, bytes, flags);
}

static int coroutine_fn raw_co_pdiscard(BlockDriverState *bs,
                                        int64_t offset, int64_t bytes)
{
    BDRVRawState *s = bs->opaque;

    return bdrv_co_pdiscard(bs->file, offset + s->offset, bytes);
}

static int coroutine_fn raw_co_block_status(BlockDriverState *bs,
                                            int64_t offset, int64_t bytes,
                                            int64_t *pnum, int64_t *map,
                                            BlockDriverState **file)
{
    BDRVRawState *s = bs->opaque;

    *pnum = bytes;
    *map = offset + s->offset;
    *file = bs->file->bs;
    return BDRV_BLOCK_RAW | BDRV_BLOCK_OFFSET_VALID;
}

static int coroutine_fn raw_co_truncate(BlockDriverState *bs, int64_t offset,
                                        bool exact, PreallocMode prealloc,
                                        Error **errp)
{
    BDRVRawState *s = bs->opaque;

    if (s->has_size) {
        error_setg(errp, "Cannot resize fixed-size raw disks");
        return -ENOTSUP;
    }
    return bdrv_co_truncate(bs->file, offset + s->offset, exact, prealloc,
                            errp);
}

static void raw_child_perm(BlockDriverState *bs, BdrvChild *c,
                           BdrvChildRole role, uint64_t perm,
                           uint64_t shared, uint64_t *nperm,
                           uint64_t *nshared)
{
    bdrv_default_perms(bs, c, role, perm, shared, nperm, nshared);
    if (((BDRVRawState *)bs->opaque)->has_size) {
        /* A fixed window never resizes the file, and tolerates others */
        *nperm &= ~BLK_PERM_RESIZE;
        *nshared |= BLK_PERM_RESIZE;
    }
}

/* A raw image has no clusters and no VM state: qemu-io "info" prints 0s. */
static int raw_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    return 0;
}

static const char *const raw_runtime_opts[] = {
    "offset", "size", NULL,
};

BlockDriver bdrv_raw = {
    .format_name            = "raw",
    .instance_size          = sizeof(BDRVRawState),
    .runtime_opts           = raw_runtime_opts,
    .bdrv_probe             = raw_probe,
    .bdrv_open              = raw_open,
    .bdrv_getlength         = raw_getlength,
    .bdrv_refresh_limits    = raw_refresh_limits,
    .bdrv_child_perm        = raw_child_perm,
    .bdrv_co_preadv         = raw_co_preadv,
    .bdrv_co_pwritev        = raw_co_pwritev,
    .bdrv_co_pwrite_zeroes  = raw_co_pwrite_zeroes,
    .bdrv_co_pdiscard       = raw_co_pdiscard,
    .bdrv_co_block_status   = raw_co_block_status,
    .bdrv_get_info          = raw_get_info,
    .bdrv_co_truncate       = raw_co_truncate,
    .supported_write_flags  = BDRV_REQ_FUA,
    .supported_zero_flags   = BDRV_REQ_MAY_UNMAP | BDRV_REQ_FUA |
                              BDRV_REQ_NO_FALLBACK,
};
