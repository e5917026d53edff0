/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one contract layer between callers and drivers: range and
 * permission checks, padding to request_alignment by read-modify-write,
 * tracked requests (serialising ones wait for overlaps), dirty marking,
 * splitting at max_transfer, and the defaults drivers may leave out.
 */
#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "block/block_int.h"
#include "block/aio-wait.h"

/* Chunk used when write-zeroes is emulated by writing a zero buffer */
#define BDRV_ZERO_BOUNCE_MAX (1 * MiB)

void *qemu_blockalign(BlockDriverState *bs, size_t size)
{
    size_t align = MAX(bs ? bs->bl.min_mem_alignment : 0, 4096);
    void *p = NULL;

    if (posix_memalign(&p, align, MAX(size, 1))) {
        abort();
    }
    return p;
}

void qemu_vfree(void *ptr)
{
    free(ptr);
}

static int bdrv_check_request(int64_t offset, int64_t bytes)
{
    if (offset < 0 || bytes < 0 || bytes > BDRV_REQUEST_MAX_BYTES ||
        offset > BDRV_MAX_LENGTH - bytes) {
        return -EIO;
    }
    return 0;
}

void bdrv_inc_in_flight(BlockDriverState *bs)
{
    qatomic_inc(&bs->in_flight);
}

void bdrv_dec_in_flight(BlockDriverState *bs)
{
    qatomic_dec(&bs->in_flight);
    aio_wait_kick();
}

unsigned bdrv_get_in_flight(BlockDriverState *bs)
{
    return qatomic_read(&bs->in_flight);
}

/* Tracked requests */

static void tracked_request_begin(BdrvTrackedRequest *req,
                                  BlockDriverState *bs, int64_t offset,
                                  int64_t bytes, bool is_write,
                                  bool serialising)
{
    *req = (BdrvTrackedRequest) {
        .bs = bs, .offset = offset, .bytes = bytes, .is_write = is_write,
        .serialising = serialising, .co = qemu_coroutine_self(),
    };
    qemu_co_queue_init(&req->wait_queue);
    QTAILQ_INSERT_TAIL(&bs->tracked_requests, req, list);
    bs->serialising_in_flight += serialising;
}

static void tracked_request_end(BdrvTrackedRequest *req)
{
    QTAILQ_REMOVE(&req->bs->tracked_requests, req, list);
    req->bs->serialising_in_flight -= req->serialising;
    qemu_co_queue_restart_all(&req->wait_queue);
}

static bool tracked_request_overlaps(BdrvTrackedRequest *a,
                                     BdrvTrackedRequest *b)
{
    return a->offset < b->offset + b->bytes &&
           b->offset < a->offset + a->bytes;
}

/*
 * Wait for earlier overlapping requests when either side is serialising.
 * Only earlier ones (nearer the list head) count, so two requests never
 * wait for each other.
 */
static void coroutine_fn tracked_request_wait(BdrvTrackedRequest *req)
{
    BdrvTrackedRequest *r;

    /* Without serialising requests (the usual case) the walk finds none. */
    if (!req->bs->serialising_in_flight) {
        return;
    }
retry:
    QTAILQ_FOREACH(r, &req->bs->tracked_requests, list) {
        if (r == req) {
            return;
        }
        if ((req->serialising || r->serialising) &&
            tracked_request_overlaps(req, r)) {
            qemu_co_queue_wait(&r->wait_queue, NULL);
            goto retry;
        }
    }
}

/* Driver calls, split at max_transfer */

static int64_t bdrv_max_transfer(BlockDriverState *bs)
{
    int64_t max = BDRV_REQUEST_MAX_BYTES;

    if (bs->bl.max_transfer) {
        max = MIN(max, bs->bl.max_transfer);
    }
    return MAX(QEMU_ALIGN_DOWN(max, bs->bl.request_alignment),
               bs->bl.request_alignment);
}

static int coroutine_fn bdrv_driver_rw(BlockDriverState *bs, bool is_write,
                                       int64_t offset, int64_t bytes,
                                       QEMUIOVector *qiov,
                                       BdrvRequestFlags flags)
{
    BlockDriver *drv = bs->drv;
    int64_t max = bdrv_max_transfer(bs), done = 0;
    int ret = 0;

    if (!(is_write ? drv->bdrv_co_pwritev : drv->bdrv_co_preadv)) {
        return -ENOTSUP;
    }
    while (done < bytes && ret == 0) {
        int64_t num = MIN(bytes - done, max);
        QEMUIOVector local, *q = qiov;

        if (num != bytes) {
            qemu_iovec_init(&local, qiov->niov);
            qemu_iovec_concat(&local, qiov, done, num);
            q = &local;
        }
        ret = is_write ?
            drv->bdrv_co_pwritev(bs, offset + done, num, q, flags) :
            drv->bdrv_co_preadv(bs, offset + done, num, q, flags);
        assert(ret <= 0);
        if (q != qiov) {
            qemu_iovec_destroy(&local);
        }
        done += num;
    }
    return ret;
}

/* Aligned read; what lies beyond the end of the node reads as zeroes. */
static int coroutine_fn bdrv_aligned_preadv(BlockDriverState *bs,
                                            int64_t offset, int64_t bytes,
                                            QEMUIOVector *qiov,
                                            BdrvRequestFlags flags)
{
    int64_t len = bdrv_getlength(bs), max_bytes;
    int ret = 0;

    if (len < 0) {
        return len;
    }
    max_bytes = ROUND_UP(MAX(0, len - offset), bs->bl.request_alignment);
    if (max_bytes > 0) {
        ret = bdrv_driver_rw(bs, false, offset, MIN(bytes, max_bytes), qiov,
                             flags);
    }
    if (ret == 0 && bytes > max_bytes) {
        qemu_iovec_memset(qiov, MAX(max_bytes, 0), 0, bytes - max_bytes);
    }
    return ret;
}

/* Padding to request_alignment */

typedef struct BdrvPad {
    uint8_t *buf;
    QEMUIOVector qiov;
    bool used;
} BdrvPad;

static void bdrv_pad_range(BlockDriverState *bs, int64_t *offset,
                           int64_t *bytes)
{
    int64_t align = bs->bl.request_alignment;
    int64_t end = ROUND_UP(*offset + *bytes, align);

    *offset = QEMU_ALIGN_DOWN(*offset, align);
    *bytes = end - *offset;
}

/*
 * Wrap @qiov for the request at @offset in head and tail buffers that
 * fill it out to whole alignment blocks; for writes read those blocks
 * first.  The caller holds a serialising tracked request over the range.
 */
static int coroutine_fn bdrv_pad_request(BlockDriverState *bs,
                                         int64_t offset, int64_t bytes,
                                         QEMUIOVector *qiov, bool is_write,
                                         BdrvPad *pad)
{
    int64_t align = bs->bl.request_alignment;
    int64_t head = offset % align, tail = (offset + bytes) % align;
    int64_t head_blk = offset - head;
    int64_t tail_blk = offset + bytes - tail;
    bool shared = head && tail && head_blk == tail_blk;
    uint8_t *tail_buf;
    int ret = 0;

    pad->used = head || tail;
    if (!pad->used) {
        return 0;
    }
    pad->buf = qemu_blockalign(bs, 2 * align);
    tail_buf = shared || !head ? pad->buf : pad->buf + align;
    if (is_write && head) {
        QEMUIOVector q;
        qemu_iovec_init_buf(&q, pad->buf, align);
        bdrv_debug_event(bs, BLKDBG_PWRITEV_RMW_HEAD);
        ret = bdrv_aligned_preadv(bs, head_blk, align, &q, 0);
        bdrv_debug_event(bs, BLKDBG_PWRITEV_RMW_AFTER_HEAD);
    }
    if (is_write && tail && !shared && ret == 0) {
        QEMUIOVector q;
        qemu_iovec_init_buf(&q, tail_buf, align);
        bdrv_debug_event(bs, BLKDBG_PWRITEV_RMW_TAIL);
        ret = bdrv_aligned_preadv(bs, tail_blk, align, &q, 0);
        bdrv_debug_event(bs, BLKDBG_PWRITEV_RMW_AFTER_TAIL);
    }
    qemu_iovec_init(&pad->qiov, qiov->niov + 2);
    if (head) {
        qemu_iovec_add(&pad->qiov, pad->buf, head);
    }
    qemu_iovec_concat(&pad->qiov, qiov, 0, bytes);
    if (tail) {
        qemu_iovec_add(&pad->qiov, tail_buf + tail, align - tail);
    }
    return ret;
}

static void bdrv_pad_free(BdrvPad *pad)
{
    if (pad->used) {
        qemu_iovec_destroy(&pad->qiov);
        qemu_vfree(pad->buf);
    }
}

/* Reads */

static int coroutine_fn bdrv_driver_write(BlockDriverState *bs,
                                          int64_t offset, int64_t bytes,
                                          QEMUIOVector *qiov,
                                          BdrvRequestFlags flags);

/*
 * Copy-on-read: read the aligned range piece by piece as block status
 * splits it, and write the pieces @bs does not hold itself (they came
 * from its backing chain) into @bs.  The guest-visible data is the same,
 * so nothing is marked dirty.
 */
static int coroutine_fn bdrv_co_copy_on_readv(BlockDriverState *bs,
                                              int64_t offset, int64_t bytes,
                                              QEMUIOVector *qiov)
{
    int64_t done = 0, pnum;
    int ret = 0;

    while (done < bytes && ret == 0) {
        QEMUIOVector local;
        int status = bdrv_co_block_status(bs, offset + done, bytes - done,
                                          &pnum, NULL, NULL);

        if (status < 0) {
            return status;
        }
        if (pnum == 0) {
            /* Past the end: the plain read fills in zeroes */
            pnum = bytes - done;
            status = BDRV_BLOCK_ALLOCATED;
        }
        pnum = ROUND_UP(pnum, bs->bl.request_alignment);
        pnum = MIN(pnum, bytes - done);
        qemu_iovec_init(&local, qiov->niov);
        qemu_iovec_concat(&local, qiov, done, pnum);
        ret = bdrv_aligned_preadv(bs, offset + done, pnum, &local, 0);
        if (ret == 0 && !(status & BDRV_BLOCK_ALLOCATED)) {
            bdrv_debug_event(bs, BLKDBG_COR_WRITE);
            ret = bdrv_driver_write(bs, offset + done, pnum, &local,
                                    BDRV_REQ_WRITE_UNCHANGED);
        }
        qemu_iovec_destroy(&local);
        done += pnum;
    }
    return ret;
}

int coroutine_fn bdrv_co_preadv(BdrvChild *child, int64_t offset,
                                int64_t bytes, QEMUIOVector *qiov,
                                BdrvRequestFlags flags)
{
    BlockDriverState *bs = child->bs;
    BdrvTrackedRequest req;
    int64_t p_off = offset, p_bytes = bytes;
    BdrvPad pad;
    int ret;

    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    ret = bdrv_check_request(offset, bytes);
    if (ret < 0 || bytes == 0) {
        return ret;
    }
    bdrv_inc_in_flight(bs);
    bdrv_pad_range(bs, &p_off, &p_bytes);
    tracked_request_begin(&req, bs, p_off, p_bytes, false,
                          flags & (BDRV_REQ_SERIALISING |
                                   BDRV_REQ_COPY_ON_READ));
    tracked_request_wait(&req);
    ret = bdrv_pad_request(bs, offset, bytes, qiov, false, &pad);
    if (ret == 0 && (flags & BDRV_REQ_COPY_ON_READ)) {
        ret = bdrv_co_copy_on_readv(bs, p_off, p_bytes,
                                    pad.used ? &pad.qiov : qiov);
    } else if (ret == 0) {
        ret = bdrv_aligned_preadv(bs, p_off, p_bytes,
                                  pad.used ? &pad.qiov : qiov,
                                  flags & ~BDRV_REQ_SERIALISING);
    }
    bdrv_pad_free(&pad);
    tracked_request_end(&req);
    bdrv_dec_in_flight(bs);
    return ret;
}

/* Writes */

static int coroutine_fn bdrv_emulate_zeroes(BlockDriverState *bs,
                                            int64_t offset, int64_t bytes,
                                            BdrvRequestFlags flags)
{
    int64_t chunk = MIN(bytes, MIN(bdrv_max_transfer(bs),
                                   BDRV_ZERO_BOUNCE_MAX));
    void *buf = qemu_blockalign(bs, chunk);
    int ret = 0;

    memset(buf, 0, chunk);
    while (bytes > 0 && ret == 0) {
        int64_t num = MIN(bytes, chunk);
        QEMUIOVector q;

        qemu_iovec_init_buf(&q, buf, num);
        ret = bdrv_driver_rw(bs, true, offset, num, &q,
                             flags & BDRV_REQ_FUA);
        offset += num;
        bytes -= num;
    }
    qemu_vfree(buf);
    return ret;
}

static int coroutine_fn bdrv_driver_zeroes(BlockDriverState *bs,
                                           int64_t offset, int64_t bytes,
                                           BdrvRequestFlags flags)
{
    BlockDriver *drv = bs->drv;
    int64_t max = bs->bl.max_pwrite_zeroes ?: BDRV_REQUEST_MAX_BYTES;
    int ret = -ENOTSUP;

    max = MAX(QEMU_ALIGN_DOWN(max, bs->bl.request_alignment),
              bs->bl.request_alignment);
    if (!(bs->open_flags & BDRV_O_UNMAP)) {
        flags &= ~BDRV_REQ_MAY_UNMAP;
    }
    if (drv->bdrv_co_pwrite_zeroes) {
        int64_t done = 0;
        BdrvRequestFlags zflags = flags & (drv->supported_zero_flags |
                                           BDRV_REQ_NO_FALLBACK);

        ret = 0;
        while (done < bytes && ret == 0) {
            int64_t num = MIN(bytes - done, max);
            ret = drv->bdrv_co_pwrite_zeroes(bs, offset + done, num, zflags);
            assert(ret <= 0);
            done += num;
        }
    }
    if (ret == -ENOTSUP && !(flags & BDRV_REQ_NO_FALLBACK)) {
        ret = bdrv_emulate_zeroes(bs, offset, bytes, flags);
    }
    return ret;
}

static int coroutine_fn bdrv_driver_write(BlockDriverState *bs,
                                          int64_t offset, int64_t bytes,
                                          QEMUIOVector *qiov,
                                          BdrvRequestFlags flags)
{
    BlockDriver *drv = bs->drv;
    bool emulate_fua = (flags & BDRV_REQ_FUA) &&
                       !(drv->supported_write_flags & BDRV_REQ_FUA);
    int ret;

    if (flags & BDRV_REQ_ZERO_WRITE) {
        ret = bdrv_driver_zeroes(bs, offset, bytes, flags);
    } else {
        ret = bdrv_driver_rw(bs, true, offset, bytes, qiov,
                             flags & drv->supported_write_flags);
    }
    if (ret == 0 && emulate_fua && drv->bdrv_co_flush &&
        !(bs->open_flags & BDRV_O_NO_FLUSH)) {
        ret = drv->bdrv_co_flush(bs);
    }
    return ret;
}

static int bdrv_check_write(BdrvChild *child, int64_t offset, int64_t bytes,
                            BdrvRequestFlags flags)
{
    BlockDriverState *bs = child->bs;
    uint64_t need = BLK_PERM_WRITE;

    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    /* Rewriting what is already there needs less than a real write */
    if (flags & BDRV_REQ_WRITE_UNCHANGED) {
        need |= BLK_PERM_WRITE_UNCHANGED;
    }
    if (bs->read_only || !(child->perm & need)) {
        return -EPERM;
    }
    return bdrv_check_request(offset, bytes);
}

/* A write of data, or of zeroes when @qiov is NULL (then aligned). */
static int coroutine_fn bdrv_co_do_write(BdrvChild *child, int64_t offset,
                                         int64_t bytes, QEMUIOVector *qiov,
                                         BdrvRequestFlags flags)
{
    BlockDriverState *bs = child->bs;
    BdrvTrackedRequest req;
    int64_t p_off = offset, p_bytes = bytes;
    BdrvPad pad = { .used = false };
    int ret;

    bdrv_inc_in_flight(bs);
    bdrv_pad_range(bs, &p_off, &p_bytes);
    tracked_request_begin(&req, bs, p_off, p_bytes, true,
                          p_bytes != bytes || (flags & BDRV_REQ_SERIALISING));
    tracked_request_wait(&req);
    ret = qiov ? bdrv_pad_request(bs, offset, bytes, qiov, true, &pad) : 0;
    if (ret == 0) {
        bdrv_debug_event(bs, qiov ? BLKDBG_PWRITEV : BLKDBG_PWRITEV_ZERO);
        ret = bdrv_driver_write(bs, p_off, p_bytes,
                                pad.used ? &pad.qiov : qiov,
                                flags & ~BDRV_REQ_SERIALISING);
        bdrv_debug_event(bs, BLKDBG_PWRITEV_DONE);
    }
    bdrv_set_dirty(bs, offset, bytes);
    if (ret == 0 && p_off + p_bytes > bs->total_bytes) {
        /* The write may have grown the node */
        bdrv_refresh_total_bytes(bs, p_off + p_bytes);
    }
    bdrv_pad_free(&pad);
    tracked_request_end(&req);
    bdrv_dec_in_flight(bs);
    return ret;
}

int coroutine_fn bdrv_co_pwritev(BdrvChild *child, int64_t offset,
                                 int64_t bytes, QEMUIOVector *qiov,
                                 BdrvRequestFlags flags)
{
    int ret = bdrv_check_write(child, offset, bytes, flags);

    if (ret < 0 || bytes == 0) {
        return ret;
    }
    if (!(flags & BDRV_REQ_ZERO_WRITE) &&
        child->bs->detect_zeroes != BDRV_DETECT_ZEROES_OFF &&
        qemu_iovec_is_zero(qiov, 0, bytes)) {
        flags |= BDRV_REQ_ZERO_WRITE;
        if (child->bs->detect_zeroes == BDRV_DETECT_ZEROES_UNMAP) {
            flags |= BDRV_REQ_MAY_UNMAP;
        }
    }
    if (flags & BDRV_REQ_ZERO_WRITE) {
        return bdrv_co_pwrite_zeroes(child, offset, bytes, flags);
    }
    return bdrv_co_do_write(child, offset, bytes, qiov, flags);
}

/* Unaligned edges of a zero write become ordinary RMW writes of zeroes. */
static int coroutine_fn bdrv_zero_edge(BdrvChild *child, int64_t offset,
                                       int64_t bytes, BdrvRequestFlags flags)
{
    g_autofree void *buf = g_malloc0(bytes);
    QEMUIOVector q;

    if (bytes == 0) {
        return 0;
    }
    qemu_iovec_init_buf(&q, buf, bytes);
    return bdrv_co_do_write(child, offset, bytes, &q,
                            flags & ~(BDRV_REQ_ZERO_WRITE |
                                      BDRV_REQ_MAY_UNMAP |
                                      BDRV_REQ_NO_FALLBACK));
}

int coroutine_fn bdrv_co_pwrite_zeroes(BdrvChild *child, int64_t offset,
                                       int64_t bytes, BdrvRequestFlags flags)
{
    int64_t align = child->bs ? child->bs->bl.request_alignment : 1;
    int64_t start, end;
    int ret = bdrv_check_write(child, offset, bytes, flags);

    if (ret < 0 || bytes == 0) {
        return ret;
    }
    flags |= BDRV_REQ_ZERO_WRITE;
    start = ROUND_UP(offset, align);
    end = QEMU_ALIGN_DOWN(offset + bytes, align);
    if (start >= end) {
        if (flags & BDRV_REQ_NO_FALLBACK) {
            return -ENOTSUP;
        }
        return bdrv_zero_edge(child, offset, bytes, flags);
    }
    ret = bdrv_zero_edge(child, offset, start - offset, flags);
    if (ret == 0) {
        ret = bdrv_co_do_write(child, start, end - start, NULL, flags);
    }
    if (ret == 0) {
        ret = bdrv_zero_edge(child, end, offset + bytes - end, flags);
    }
    return ret;
}

/* Discard, flush, truncate */

int coroutine_fn bdrv_co_pdiscard(BdrvChild *child, int64_t offset,
                                  int64_t bytes)
{
    BlockDriverState *bs = child->bs;
    BdrvTrackedRequest req;
    int64_t align, start, end, max;
    int ret = bdrv_check_write(child, offset, bytes, 0);

    if (ret < 0 || bytes == 0) {
        return ret;
    }
    if (!(bs->open_flags & BDRV_O_UNMAP) || !bs->drv->bdrv_co_pdiscard) {
        return 0;
    }
    align = MAX(bs->bl.pdiscard_alignment, bs->bl.request_alignment);
    start = ROUND_UP(offset, align);
    end = QEMU_ALIGN_DOWN(offset + bytes, align);
    max = bs->bl.max_pdiscard ?: BDRV_REQUEST_MAX_BYTES;
    max = MAX(QEMU_ALIGN_DOWN(max, align), align);
    if (start >= end) {
        return 0;
    }
    bdrv_inc_in_flight(bs);
    tracked_request_begin(&req, bs, start, end - start, true, false);
    tracked_request_wait(&req);
    for (; start < end && ret == 0; start += max) {
        ret = bs->drv->bdrv_co_pdiscard(bs, start, MIN(end - start, max));
        if (ret == -ENOTSUP) {
            ret = 0;    /* discard is advisory */
        }
        assert(ret <= 0);
    }
    bdrv_set_dirty(bs, offset, bytes);
    tracked_request_end(&req);
    bdrv_dec_in_flight(bs);
    return ret;
}

int coroutine_fn bdrv_co_flush(BlockDriverState *bs)
{
    BdrvChild *c;
    int ret = 0;

    if (!bs->drv) {
        return 0;
    }
    bdrv_inc_in_flight(bs);
    if (!bs->read_only && bs->drv->bdrv_co_flush &&
        !(bs->open_flags & BDRV_O_NO_FLUSH)) {
        bdrv_debug_event(bs, BLKDBG_FLUSH_TO_DISK);
        ret = bs->drv->bdrv_co_flush(bs);
    }
    QLIST_FOREACH(c, &bs->children, next) {
        int r = bdrv_co_flush(c->bs);
        ret = ret < 0 ? ret : r;
    }
    bdrv_dec_in_flight(bs);
    return ret;
}

static void bdrv_truncate_bitmaps(BlockDriverState *bs, int64_t len)
{
    guint i;

    for (i = 0; i < bs->dirty_bitmaps->len; i++) {
        hbitmap_truncate(g_ptr_array_index(bs->dirty_bitmaps, i), len);
    }
}

int coroutine_fn bdrv_co_truncate(BdrvChild *child, int64_t offset,
                                  bool exact, PreallocMode prealloc,
                                  Error **errp)
{
    BlockDriverState *bs = child->bs;
    BdrvTrackedRequest req;
    int64_t old_len;
    int ret;

    if (!bs->drv) {
        error_setg(errp, "No medium inserted");
        return -ENOMEDIUM;
    }
    if (offset < 0) {
        error_setg(errp, "Image size cannot be negative");
        return -EINVAL;
    }
    if (offset > BDRV_MAX_LENGTH) {
        error_setg(errp, "Image size too large");
        return -EFBIG;
    }
    if (bs->read_only) {
        error_setg(errp, "Image is read-only");
        return -EACCES;
    }
    if (!(child->perm & BLK_PERM_RESIZE)) {
        error_setg(errp, "Resizing the node requires the 'resize' "
                   "permission");
        return -EPERM;
    }
    if (!bs->drv->bdrv_co_truncate) {
        error_setg(errp, "Image format driver does not support resize");
        return -ENOTSUP;
    }
    old_len = bdrv_getlength(bs);
    if (old_len < 0) {
        error_setg_errno(errp, -old_len, "Failed to get old image size");
        return old_len;
    }
    bdrv_inc_in_flight(bs);
    tracked_request_begin(&req, bs, MIN(old_len, offset),
                          BDRV_MAX_LENGTH - MIN(old_len, offset), true,
                          true);
    tracked_request_wait(&req);
    ret = bs->drv->bdrv_co_truncate(bs, offset, exact, prealloc, errp);
    if (ret == 0) {
        bdrv_refresh_total_bytes(bs, offset);
        bdrv_truncate_bitmaps(bs, offset);
        bdrv_set_dirty(bs, MIN(old_len, offset),
                       MAX(old_len, offset) - MIN(old_len, offset));
    }
    tracked_request_end(&req);
    bdrv_dec_in_flight(bs);
    return ret;
}

/* Block status */

int coroutine_fn bdrv_co_block_status(BlockDriverState *bs, int64_t offset,
                                      int64_t bytes, int64_t *pnum,
                                      int64_t *map, BlockDriverState **file)
{
    int64_t len = bdrv_getlength(bs), local_map = 0;
    BlockDriverState *local_file = NULL;
    int ret;

    *pnum = 0;
    if (len < 0) {
        return len;
    }
    if (offset < 0 || bytes < 0) {
        return -EINVAL;
    }
    if (offset >= len) {
        return BDRV_BLOCK_EOF;
    }
    if (bytes == 0) {
        return 0;
    }
    bytes = MIN(bytes, len - offset);
    if (!bs->drv->bdrv_co_block_status) {
        *pnum = bytes;
        ret = BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED;
        if (bs->drv->protocol_name) {
            ret |= BDRV_BLOCK_OFFSET_VALID;
            local_map = offset;
            local_file = bs;
        }
    } else {
        bdrv_inc_in_flight(bs);
        ret = bs->drv->bdrv_co_block_status(bs, offset, bytes, pnum,
                                            &local_map, &local_file);
        bdrv_dec_in_flight(bs);
        if (ret < 0) {
            *pnum = 0;
            return ret;
        }
        assert(*pnum > 0 && *pnum <= bytes);
    }
    if (ret & BDRV_BLOCK_RAW) {
        assert(local_file);
        return bdrv_co_block_status(local_file, local_map, *pnum, pnum, map,
                                    file);
    }
    if (ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO)) {
        ret |= BDRV_BLOCK_ALLOCATED;
    } else if (!bs->backing) {
        /* Nothing below: unallocated space reads as zeroes */
        ret |= BDRV_BLOCK_ZERO;
    } else if (offset >= bdrv_getlength(bs->backing->bs)) {
        /*
         * Past the end of a shorter backing file: zeroes, still not
         * allocated in this node (as QEMU reports it).
         */
        ret |= BDRV_BLOCK_ZERO;
    }
    if (offset + *pnum == len) {
        ret |= BDRV_BLOCK_EOF;
    }
    if (map) {
        *map = local_map;
    }
    if (file) {
        *file = local_file;
    }
    return ret;
}

int coroutine_fn bdrv_co_block_status_above(BlockDriverState *bs,
                                            BlockDriverState *base,
                                            int64_t offset, int64_t bytes,
                                            int64_t *pnum, int64_t *map,
                                            BlockDriverState **file)
{
    BlockDriverState *p;
    int64_t n;
    int ret = 0;

    *pnum = bytes;
    for (p = bs; p && p != base; p = bdrv_backing_bs(p)) {
        ret = bdrv_co_block_status(p, offset, bytes, &n, map, file);
        if (ret < 0) {
            return ret;
        }
        if (n == 0 && (ret & BDRV_BLOCK_EOF) && p != bs) {
            /* Past the end of a shorter backing file: zeroes */
            return BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED;
        }
        if (p == bs) {
            *pnum = n;
            bytes = n;
        } else {
            *pnum = MIN(*pnum, n);
            bytes = *pnum;
        }
        if (ret & BDRV_BLOCK_ALLOCATED || n == 0) {
            return ret;
        }
    }
    return ret & ~BDRV_BLOCK_EOF;
}

int coroutine_fn bdrv_co_is_allocated_above(BlockDriverState *top,
                                            BlockDriverState *base,
                                            bool include_base,
                                            int64_t offset, int64_t bytes,
                                            int64_t *pnum)
{
    BlockDriverState *p = top;
    int64_t n;

    *pnum = bytes;
    for (; p; p = bdrv_backing_bs(p)) {
        if (p == base && !include_base) {
            break;
        }
        int ret = bdrv_co_block_status(p, offset, *pnum, &n, NULL, NULL);
        if (ret < 0) {
            return ret;
        }
        if (ret & BDRV_BLOCK_ALLOCATED) {
            *pnum = n;
            return 1;
        }
        if (n > 0) {
            *pnum = MIN(*pnum, n);
        }
        if (p == base) {
            break;
        }
    }
    return 0;
}

/* Drain */

static void bdrv_quiesce(BlockDriverState *bs, int delta)
{
    BdrvChild *c;

    bs->quiesce_counter += delta;
    assert(bs->quiesce_counter >= 0);
    if (bs->quiesce_counter == 0) {
        qemu_co_queue_restart_all(&bs->drain_queue);
    }
    /* Parents must stop sending requests too */
    QLIST_FOREACH(c, &bs->parents, next_parent) {
        if (c->klass->parent_is_bds) {
            bdrv_quiesce(c->opaque, delta);
        }
    }
}

static bool bdrv_drain_poll(BlockDriverState *bs)
{
    BdrvChild *c;

    if (qatomic_read(&bs->in_flight)) {
        return true;
    }
    QLIST_FOREACH(c, &bs->parents, next_parent) {
        if (c->klass->parent_is_bds && bdrv_drain_poll(c->opaque)) {
            return true;
        }
    }
    return false;
}

typedef struct BdrvCoDrain {
    BlockDriverState *bs;
    Coroutine *co;
} BdrvCoDrain;

static void bdrv_co_drain_bh(void *opaque)
{
    BdrvCoDrain *d = opaque;

    AIO_WAIT_WHILE(NULL, bdrv_drain_poll(d->bs));
    aio_co_wake(d->co);
}

void bdrv_drained_begin(BlockDriverState *bs)
{
    bdrv_quiesce(bs, 1);
    if (qemu_in_coroutine()) {
        /* A coroutine cannot poll: wait from a BH, outside of it */
        BdrvCoDrain d = { .bs = bs, .co = qemu_coroutine_self() };

        aio_bh_schedule_oneshot(qemu_get_current_aio_context(),
                                bdrv_co_drain_bh, &d);
        qemu_coroutine_yield();
    } else {
        AIO_WAIT_WHILE(NULL, bdrv_drain_poll(bs));
    }
}

void bdrv_drained_end(BlockDriverState *bs)
{
    bdrv_quiesce(bs, -1);
}

static bool bdrv_drain_all_poll(void)
{
    BlockDriverState *bs = NULL;

    while ((bs = bdrv_next_node(bs))) {
        if (qatomic_read(&bs->in_flight)) {
            return true;
        }
    }
    return false;
}

void bdrv_drain_all_begin(void)
{
    BlockDriverState *bs = NULL;

    while ((bs = bdrv_next_node(bs))) {
        bs->quiesce_counter++;
    }
    AIO_WAIT_WHILE(NULL, bdrv_drain_all_poll());
}

void bdrv_drain_all_end(void)
{
    BlockDriverState *bs = NULL;

    while ((bs = bdrv_next_node(bs))) {
        /* Nodes opened during the drain were never counted */
        if (bs->quiesce_counter > 0 && --bs->quiesce_counter == 0) {
            qemu_co_queue_restart_all(&bs->drain_queue);
        }
    }
}

/* Dirty tracking */

void bdrv_add_dirty_hbitmap(BlockDriverState *bs, HBitmap *hb)
{
    g_ptr_array_add(bs->dirty_bitmaps, hb);
}

void bdrv_remove_dirty_hbitmap(BlockDriverState *bs, HBitmap *hb)
{
    g_ptr_array_remove(bs->dirty_bitmaps, hb);
}

void bdrv_set_dirty(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    guint i;

    for (i = 0; i < bs->dirty_bitmaps->len; i++) {
        HBitmap *hb = g_ptr_array_index(bs->dirty_bitmaps, i);
        uint64_t size = hbitmap_size(hb);

        if (offset < size) {
            hbitmap_set(hb, offset, MIN(bytes, size - offset));
        }
    }
}
