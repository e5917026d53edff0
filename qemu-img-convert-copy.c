/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The copy engine of qemu-img convert.  The target is cut into chunks;
 * block status classifies each as data, zeroes or "leave to the backing
 * file" without reading it, and only data chunks are read.  Zeroes found
 * inside data (in -S sized granules) are skipped when the target starts
 * out zeroed and written as zeroes otherwise.  N coroutines (-m) each
 * take the next chunk; without -W they write in chunk order, so reads
 * overlap but the target fills front to back as QEMU's does.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/ratelimit.h"
#include "qemu/timer.h"
#include "block/block.h"
#include "block/block-backend.h"
#include "qemu-img-convert.h"

/* Zero chunks may be far larger than a buffer: they cost no I/O. */
#define CONVERT_MAX_ZERO_CHUNK (1 * GiB)

typedef enum {
    CHUNK_DATA,
    CHUNK_ZERO,
    CHUNK_BACKING,   /* unallocated on top: the target's backing has it */
} ChunkKind;

typedef struct ConvertRun {
    ConvertJob *job;
    int64_t next_offset;    /* first byte not yet handed out */
    uint64_t next_seq;      /* sequence number of the next chunk */
    uint64_t write_seq;     /* chunk whose turn it is to write */
    CoQueue write_queue;
    int running;
    int ret;
    int64_t done_bytes;     /* progress, counted as allocated_bytes is */
    RateLimit limit;
} ConvertRun;

/* The source holding target offset @offset, and the offset inside it. */
static int convert_find_source(ConvertJob *job, int64_t offset,
                               int64_t *local)
{
    int i;

    for (i = 0; i < job->src_num; i++) {
        if (offset < job->src[i].start + job->src[i].size) {
            *local = offset - job->src[i].start;
            return i;
        }
    }
    g_assert_not_reached();
}

/*
 * Data of a format node whose clusters lie in a hole of the image file
 * read as zeroes; QEMU's block status looks through to the file for
 * this, and so do we, so that such clusters are neither read nor
 * counted by -p.
 */
static int coroutine_fn convert_recurse(int ret, int64_t map,
                                        BlockDriverState *file,
                                        int64_t *pnum)
{
    int64_t fnum;
    int fret;

    if (!(ret & BDRV_BLOCK_DATA) || !(ret & BDRV_BLOCK_OFFSET_VALID) ||
        !file || (ret & BDRV_BLOCK_ZERO)) {
        return ret;
    }
    fret = bdrv_co_block_status(file, map, *pnum, &fnum, NULL, NULL);
    if (fret < 0) {
        return ret;
    }
    if ((fret & BDRV_BLOCK_ZERO) && fnum > 0) {
        *pnum = fnum;
        return ret | BDRV_BLOCK_ZERO;
    }
    return ret;
}

/*
 * Classify the chunk at @offset (at most @max bytes) and return its
 * length in *@len, or -errno.
 */
static int coroutine_fn convert_classify(ConvertJob *job, int64_t offset,
                                         int64_t max, int64_t *len,
                                         ChunkKind *kind)
{
    int64_t local, pnum, map = 0;
    int i = convert_find_source(job, offset, &local);
    BlockDriverState *bs = blk_bs(job->src[i].blk), *file = NULL;
    int64_t n = MIN(max, job->src[i].size - local);
    int ret;

    if (job->target_has_backing) {
        ret = bdrv_co_block_status(bs, local, n, &pnum, &map, &file);
    } else {
        ret = bdrv_co_block_status_above(bs, NULL, local, n, &pnum, &map,
                                         &file);
    }
    if (ret < 0) {
        return ret;
    }
    ret = convert_recurse(ret, map, file, &pnum);
    if (ret < 0) {
        return ret;
    }
    if (pnum == 0) {
        /* The tail of a last partial sector: QEMU reads zeroes there. */
        *len = n;
        *kind = CHUNK_ZERO;
        return 0;
    }
    *len = pnum;
    if (ret & BDRV_BLOCK_ZERO) {
        *kind = CHUNK_ZERO;
    } else if (ret & BDRV_BLOCK_DATA) {
        *kind = CHUNK_DATA;
    } else if (job->target_has_backing && !(ret & BDRV_BLOCK_ALLOCATED)) {
        *kind = CHUNK_BACKING;
    } else {
        *kind = CHUNK_DATA;
    }
    if (job->min_sparse == 0 && *kind == CHUNK_ZERO) {
        /* -S 0: the target is to be fully allocated. */
        *kind = CHUNK_DATA;
    }
    return 0;
}

/* Does this chunk count towards the -p progress? */
static bool convert_counts(ChunkKind kind)
{
    return kind == CHUNK_DATA;
}

/*
 * Trim a data chunk of @len bytes at @offset to one buffer; if it then
 * ends inside a target cluster, end it at the cluster's start instead
 * so that no cluster is written by two chunks.
 */
static int64_t convert_trim_data(ConvertJob *job, int64_t offset,
                                 int64_t len)
{
    int64_t end;

    if (len <= job->buf_size) {
        return len;
    }
    len = job->buf_size;
    if (job->alignment > 1) {
        end = QEMU_ALIGN_DOWN(offset + len, job->alignment);
        if (end > offset) {
            len = end - offset;
        }
    }
    return len;
}

/* A run of zeroes in the target: skip it or write it as zeroes. */
static int coroutine_fn convert_write_zeroes(ConvertJob *job, int64_t offset,
                                             int64_t len)
{
    int64_t done;

    if (job->has_zero_init) {
        return 0;
    }
    for (done = 0; done < len; ) {
        int64_t n = MIN(len - done, BDRV_REQUEST_MAX_BYTES & ~(MiB - 1));
        int ret = blk_co_pwrite_zeroes(job->target, offset + done, n,
                                       job->min_sparse ? BDRV_REQ_MAY_UNMAP
                                                       : 0);

        if (ret < 0) {
            return ret;
        }
        done += n;
    }
    return 0;
}

static int coroutine_fn convert_write_buf(ConvertJob *job, int64_t offset,
                                          int64_t len, uint8_t *buf)
{
    QEMUIOVector qiov;
    int ret;

    qemu_iovec_init_buf(&qiov, buf, len);
    ret = blk_co_pwritev(job->target, offset, len, &qiov,
                         job->compressed ? job->compress_flag : 0);
    return ret;
}

/*
 * Write a data chunk, looking for zeroes in granules of -S bytes that
 * are aligned to the target offset, so zero clusters stay unallocated.
 */
static int coroutine_fn convert_write_data(ConvertJob *job, int64_t offset,
                                           int64_t len, uint8_t *buf)
{
    int64_t pos = 0;

    if (job->min_sparse == 0 || job->compressed) {
        if (job->compressed && buffer_is_zero(buf, len)) {
            return convert_write_zeroes(job, offset, len);
        }
        return convert_write_buf(job, offset, len, buf);
    }
    while (pos < len) {
        int64_t end = pos;
        bool zero = false;
        int ret;

        /* Extend a run of granules that are all zero or all not. */
        while (end < len) {
            int64_t g = MIN(len - end,
                            job->min_sparse - (offset + end) %
                            job->min_sparse);
            bool z = buffer_is_zero(buf + end, g);

            if (end > pos && z != zero) {
                break;
            }
            zero = z;
            end += g;
        }
        if (zero) {
            ret = convert_write_zeroes(job, offset + pos, end - pos);
        } else {
            ret = convert_write_buf(job, offset + pos, end - pos, buf + pos);
        }
        if (ret < 0) {
            return ret;
        }
        pos = end;
    }
    return 0;
}

static int coroutine_fn convert_read(ConvertJob *job, int64_t offset,
                                     int64_t len, uint8_t *buf)
{
    while (len > 0) {
        int64_t local;
        int i = convert_find_source(job, offset, &local);
        int64_t n = MIN(len, job->src[i].size - local);
        QEMUIOVector qiov;
        int ret;

        qemu_iovec_init_buf(&qiov, buf, n);
        ret = blk_co_preadv(job->src[i].blk, local, n, &qiov, 0);
            if (ret < 0) {
            return ret;
        }
        offset += n;
        buf += n;
        len -= n;
    }
    return 0;
}

static void convert_report_progress(ConvertRun *r, int64_t len)
{
    ConvertJob *job = r->job;

    r->done_bytes += len;
    if (job->allocated_bytes > 0) {
        img_progress_print(100.0 * r->done_bytes / job->allocated_bytes);
    }
}

static void coroutine_fn convert_co_worker(void *opaque)
{
    ConvertRun *r = opaque;
    ConvertJob *job = r->job;
    uint8_t *buf = qemu_blockalign(blk_bs(job->target), job->buf_size);

    while (r->ret == 0 && r->next_offset < job->total_size) {
        int64_t offset = r->next_offset, len, max;
        uint64_t seq = r->next_seq++;
        ChunkKind kind;
        int ret;

        max = MIN(job->total_size - offset, CONVERT_MAX_ZERO_CHUNK);
        ret = convert_classify(job, offset, max, &len, &kind);
        if (ret < 0) {
            error_report("error while reading block status at offset %"
                         PRId64 ": %s", offset, strerror(-ret));
            r->ret = ret;
            break;
        }
        if (kind == CHUNK_DATA) {
            len = convert_trim_data(job, offset, len);
        }
        r->next_offset = offset + len;

        if (kind == CHUNK_DATA) {
            ret = convert_read(job, offset, len, buf);
            if (ret < 0) {
                error_report("error while reading at byte %" PRId64 ": %s",
                             offset, strerror(-ret));
                r->ret = ret;
                break;
            }
        }
        while (!job->out_of_order && r->write_seq != seq && r->ret == 0) {
            qemu_co_queue_wait(&r->write_queue, NULL);
        }
        if (r->ret) {
            break;
        }
        if (kind != CHUNK_BACKING && job->rate_limit) {
            int64_t delay = ratelimit_calculate_delay(&r->limit, len);

            if (delay > 0) {
                qemu_co_sleep_ns(QEMU_CLOCK_REALTIME, delay);
            }
        }
        if (kind == CHUNK_DATA) {
            ret = convert_write_data(job, offset, len, buf);
        } else if (kind == CHUNK_ZERO) {
            ret = convert_write_zeroes(job, offset, len);
        }
        if (ret < 0) {
            error_report("error while writing at byte %" PRId64 ": %s",
                         offset, strerror(-ret));
            r->ret = ret;
        }
        if (convert_counts(kind)) {
            convert_report_progress(r, len);
        }
        r->write_seq++;
        qemu_co_queue_restart_all(&r->write_queue);
    }
    qemu_vfree(buf);
    r->running--;
    qemu_co_queue_restart_all(&r->write_queue);
}

int convert_copy(ConvertJob *job)
{
    ConvertRun r = { .job = job };
    int i;

    qemu_co_queue_init(&r.write_queue);
    ratelimit_init(&r.limit);
    if (job->rate_limit) {
        ratelimit_set_speed(&r.limit, job->rate_limit,
                            100 * SCALE_MS);
    }
    r.running = job->num_coroutines;
    for (i = 0; i < job->num_coroutines; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(convert_co_worker, &r));
    }
    while (r.running > 0) {
        aio_poll(qemu_get_aio_context(), true);
    }
    return r.ret;
}

/* ---- the block status pass for -p, outside coroutines ---- */

typedef struct ClassifyCo {
    ConvertJob *job;
    int64_t offset, max, len;
    ChunkKind kind;
    int ret;
    bool done;
} ClassifyCo;

static void coroutine_fn convert_classify_entry(void *opaque)
{
    ClassifyCo *c = opaque;

    c->ret = convert_classify(c->job, c->offset, c->max, &c->len, &c->kind);
    c->done = true;
}

static int convert_classify_sync(ConvertJob *job, int64_t offset,
                                 int64_t max, int64_t *len, ChunkKind *kind)
{
    ClassifyCo c = { .job = job, .offset = offset, .max = max };

    qemu_coroutine_enter(qemu_coroutine_create(convert_classify_entry, &c));
    while (!c.done) {
        aio_poll(qemu_get_aio_context(), true);
    }
    *len = c.len;
    *kind = c.kind;
    return c.ret;
}

int64_t convert_count_allocated(ConvertJob *job)
{
    int64_t offset = 0, total = 0;

    while (offset < job->total_size) {
        int64_t len;
        ChunkKind kind;
        int ret = convert_classify_sync(job, offset,
                                        job->total_size - offset, &len,
                                        &kind);

        if (ret < 0) {
            return ret;
        }
        if (convert_counts(kind)) {
            total += len;
        }
        offset += len;
    }
    return total;
}
