/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 writes: guest writes (in place, or into new clusters with the
 * uncovered parts copied from the old contents), flush, the overlap
 * check that keeps data off metadata, and header updates.  The header
 * cluster is rebuilt from the state kept in memory (fixed fields, every
 * header extension in file order, the backing file name) and written in
 * one piece, so a crash leaves either the old or the new header.
 *
 * Ordering, so that a crash leaks clusters at worst: a new cluster's
 * refcount and data reach the disk before the L2 entry that points at
 * it (the L2 cache writes back only after the refcount cache and a
 * flush), and a cluster loses a reference only after the L2 table that
 * dropped it is on disk.
 */
#include "qemu/osdep.h"
#include "qcow2.h"

/* Build the header cluster into @buf (cluster size, zeroed). */
static int qcow2_build_header_cluster(BlockDriverState *bs, uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    size_t cs = s->g.cluster_size;
    QCowHeader h = s->header;
    Error *err = NULL;
    size_t hlen = h.version < 3 ? QCOW2_V2_HEADER_LENGTH : h.header_length;
    size_t name_len = s->backing_file ? strlen(s->backing_file) : 0;
    int64_t ext_len;

    ext_len = qcow2_extensions_pack(s->ext, buf + hlen, cs - hlen, &err);
    if (ext_len < 0) {
        error_free(err);
        return -ENOSPC;
    }
    if (hlen + ext_len + name_len > cs) {
        return -ENOSPC;
    }
    h.backing_file_offset = name_len ? hlen + ext_len : 0;
    h.backing_file_size = name_len;
    if (name_len) {
        memcpy(buf + hlen + ext_len, s->backing_file, name_len);
    }
    if (qcow2_header_pack(&h, buf, cs, &err) < 0) {
        error_free(err);
        return -EINVAL;
    }
    s->header.backing_file_offset = h.backing_file_offset;
    s->header.backing_file_size = h.backing_file_size;
    return 0;
}

int qcow2_update_header(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *buf = g_malloc0(s->g.cluster_size);
    int ret;

    if (bs->read_only) {
        return -EACCES;
    }
    ret = qcow2_build_header_cluster(bs, buf);
    if (ret < 0) {
        return ret;
    }
    return bdrv_pwrite(bs->file, 0, s->g.cluster_size, buf, 0);
}

/*
 * Point the backing format extension at @fmt (NULL drops it).  QEMU
 * writes it as the first extension, so a new one goes in front.
 */
static void qcow2_set_backing_format_ext(BDRVQcow2State *s, const char *fmt)
{
    bool had = s->ext->backing_format != NULL;
    GPtrArray *list = s->ext->list;

    if (!fmt) {
        qcow2_extensions_remove(s->ext, QCOW2_EXT_BACKING_FORMAT);
        return;
    }
    qcow2_extensions_set(s->ext, QCOW2_EXT_BACKING_FORMAT, fmt, strlen(fmt),
                         &error_abort);
    if (!had && list->len > 1) {
        gpointer e = g_ptr_array_steal_index(list, list->len - 1);

        g_ptr_array_insert(list, 0, e);
    }
}

int qcow2_change_backing_file(BlockDriverState *bs, const char *backing_file,
                              const char *backing_fmt)
{
    BDRVQcow2State *s = bs->opaque;
    char *old_file = s->backing_file;
    g_autofree char *old_fmt = g_strdup(s->ext->backing_format);
    int ret;

    if (backing_file && strlen(backing_file) > QCOW2_MAX_BACKING_FILE_NAME) {
        return -EINVAL;
    }
    if (backing_fmt && (!backing_file ||
                        strlen(backing_fmt) >= QCOW2_MAX_BACKING_FORMAT)) {
        return -EINVAL;
    }
    s->backing_file = backing_file && *backing_file ? g_strdup(backing_file)
                                                    : NULL;
    qcow2_set_backing_format_ext(s, s->backing_file ? backing_fmt : NULL);
    ret = qcow2_update_header(bs);
    if (ret < 0) {
        /* Put the old names back: the header on disk still has them */
        g_free(s->backing_file);
        s->backing_file = old_file;
        qcow2_set_backing_format_ext(s, old_fmt);
        return ret;
    }
    g_free(old_file);
    return 0;
}

/* Whether [@a, @a + @alen) meets the @bytes at @b. */
static bool qcow2_overlaps(uint64_t a, uint64_t alen, uint64_t b,
                           uint64_t bytes)
{
    return alen && bytes && a < b + bytes && b < a + alen;
}

/* The metadata structure [@offset, +@bytes) hits, or NULL. */
static const char *qcow2_metadata_overlap(BlockDriverState *bs,
                                          uint64_t offset, uint64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->g.cluster_size;
    uint64_t i, o;

    if (offset < cs) {
        return "qcow2_header";
    }
    if (qcow2_overlaps(s->header.l1_table_offset,
                       (uint64_t)s->header.l1_size * sizeof(uint64_t),
                       offset, bytes)) {
        return "active L1 table";
    }
    if (qcow2_overlaps(s->header.refcount_table_offset,
                       (uint64_t)s->header.refcount_table_clusters * cs,
                       offset, bytes)) {
        return "refcount table";
    }
    if (s->header.nb_snapshots &&
        qcow2_overlaps(s->header.snapshots_offset, cs, offset, bytes)) {
        return "snapshot table";
    }
    for (i = 0; i < s->refcount_table_size; i++) {
        o = s->refcount_table[i] & QCOW2_REFT_OFFSET_MASK;
        if (qcow2_overlaps(o, cs, offset, bytes)) {
            return "refcount block";
        }
    }
    for (i = 0; i < s->header.l1_size; i++) {
        o = s->l1_table[i] & QCOW2_L1E_OFFSET_MASK;
        if (qcow2_overlaps(o, cs, offset, bytes)) {
            return "active L2 table";
        }
    }
    return NULL;
}

int coroutine_fn qcow2_check_metadata_write(BlockDriverState *bs,
                                            uint64_t offset, uint64_t bytes)
{
    const char *what = qcow2_metadata_overlap(bs, offset, bytes);

    if (!what) {
        return 0;
    }
    qcow2_signal_corruption(bs, "Preventing invalid write on metadata "
                            "(overlaps with %s)", what);
    return -EIO;
}

/*
 * Fill @buf with the current guest contents of [@offset, +@bytes): the
 * old data a partial write into a new cluster must keep.
 */
static int coroutine_fn qcow2_cow_read(BlockDriverState *bs, uint64_t offset,
                                       uint64_t bytes, uint8_t *buf)
{
    QEMUIOVector qiov;

    if (!bytes) {
        return 0;
    }
    qemu_iovec_init_buf(&qiov, buf, bytes);
    return qcow2_co_preadv(bs, offset, bytes, &qiov, 0);
}

/* Write the data of @run: in place, or whole new clusters with COW. */
static int coroutine_fn qcow2_write_run(BlockDriverState *bs,
                                        const Qcow2WriteRun *run,
                                        uint64_t offset, QEMUIOVector *qiov,
                                        size_t qiov_offset)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t head, tail, total;
    g_autofree uint8_t *head_buf = NULL, *tail_buf = NULL;
    QEMUIOVector v;
    int ret;

    qemu_iovec_init(&v, qiov->niov + 2);
    if (!run->alloc) {
        qemu_iovec_concat(&v, qiov, qiov_offset, run->bytes);
        ret = bdrv_co_pwritev(bs->file, run->host_offset, run->bytes, &v, 0);
        qemu_iovec_destroy(&v);
        return ret;
    }
    total = run->nb_clusters * s->g.cluster_size;
    head = offset - run->guest_start;
    tail = total - head - run->bytes;
    head_buf = g_malloc(MAX(head, 1));
    tail_buf = g_malloc(MAX(tail, 1));
    ret = qcow2_cow_read(bs, run->guest_start, head, head_buf);
    if (ret == 0) {
        ret = qcow2_cow_read(bs, offset + run->bytes, tail, tail_buf);
    }
    if (ret < 0) {
        qemu_iovec_destroy(&v);
        return ret;
    }
    if (head) {
        qemu_iovec_add(&v, head_buf, head);
    }
    qemu_iovec_concat(&v, qiov, qiov_offset, run->bytes);
    if (tail) {
        qemu_iovec_add(&v, tail_buf, tail);
    }
    ret = bdrv_co_pwritev(bs->file, run->host_start, total, &v, 0);
    qemu_iovec_destroy(&v);
    return ret;
}

/* Plan the next piece under the lock, waiting out other allocations. */
static int coroutine_fn qcow2_plan_piece(BlockDriverState *bs,
                                         uint64_t offset, uint64_t bytes,
                                         Qcow2WriteRun *run)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    do {
        if (s->corrupt) {
            return -EIO;
        }
        ret = qcow2_prepare_write(bs, offset, bytes, run);
        if (ret == -EAGAIN) {
            qemu_co_queue_wait(&s->alloc_queue, &s->lock);
        }
    } while (ret == -EAGAIN);
    return ret;
}

int coroutine_fn qcow2_co_pwritev(BlockDriverState *bs, int64_t offset,
                                  int64_t bytes, QEMUIOVector *qiov,
                                  BdrvRequestFlags flags)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t done = 0;
    Qcow2WriteRun run;
    int ret = 0;

    if (s->writes_refused) {
        return -ENOTSUP;
    }
    while (done < (uint64_t)bytes) {
        qemu_co_mutex_lock(&s->lock);
        ret = qcow2_plan_piece(bs, offset + done, bytes - done, &run);
        qemu_co_mutex_unlock(&s->lock);
        if (ret < 0) {
            break;
        }
        ret = qcow2_write_run(bs, &run, offset + done, qiov, done);
        if (run.alloc) {
            qemu_co_mutex_lock(&s->lock);
            if (ret < 0) {
                qcow2_abort_write(bs, &run);
            } else {
                ret = qcow2_finish_write(bs, &run);
            }
            qemu_co_mutex_unlock(&s->lock);
        }
        if (ret < 0) {
            break;
        }
        done += run.bytes;
    }
    return ret;
}

int coroutine_fn qcow2_co_flush(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    qemu_co_mutex_lock(&s->lock);
    ret = qcow2_cache_flush(s->l2_cache, bs->file);
    if (ret == 0) {
        ret = qcow2_cache_flush(s->refcount_cache, bs->file);
    }
    qemu_co_mutex_unlock(&s->lock);
    return ret;
}

/* Clear whole clusters [@offset, +@bytes) under @mode, in pieces. */
static int coroutine_fn qcow2_clear_range(BlockDriverState *bs,
                                          uint64_t offset, uint64_t bytes,
                                          int mode)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t n = DIV_ROUND_UP(bytes, s->g.cluster_size), done;
    int ret = 0;

    qemu_co_mutex_lock(&s->lock);
    while (n > 0) {
        if (s->corrupt) {
            ret = -EIO;
            break;
        }
        ret = qcow2_clear_clusters(bs, offset, n, mode, &done);
        if (ret == -EAGAIN) {
            qemu_co_queue_wait(&s->alloc_queue, &s->lock);
            continue;
        }
        if (ret < 0) {
            break;
        }
        offset += done * s->g.cluster_size;
        n -= done;
    }
    qemu_co_mutex_unlock(&s->lock);
    return ret;
}

/* Write zeroes the plain way into part of a cluster. */
static int coroutine_fn qcow2_write_zero_buffer(BlockDriverState *bs,
                                                uint64_t offset,
                                                uint64_t bytes)
{
    g_autofree uint8_t *buf = NULL;
    QEMUIOVector qiov;

    if (!bytes) {
        return 0;
    }
    buf = g_malloc0(bytes);
    qemu_iovec_init_buf(&qiov, buf, bytes);
    return qcow2_co_pwritev(bs, offset, bytes, &qiov, 0);
}

/*
 * Whether the guest cluster at @offset reads as zeroes whatever the
 * request leaves of it, so that the whole cluster can become a zero one
 * (as QEMU does for unaligned zero writes).
 */
static int coroutine_fn qcow2_cluster_is_zero(BlockDriverState *bs,
                                              uint64_t offset)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t n = s->g.cluster_size;
    Qcow2Mapping m;
    int ret;

    qemu_co_mutex_lock(&s->lock);
    ret = qcow2_get_host_offset(bs, offset, &n, &m);
    qemu_co_mutex_unlock(&s->lock);
    if (ret < 0) {
        return ret;
    }
    if (n < s->g.cluster_size) {
        return 0;
    }
    return m.type == QCOW2_CLUSTER_ZERO_PLAIN ||
           m.type == QCOW2_CLUSTER_ZERO_ALLOC ||
           (m.type == QCOW2_CLUSTER_UNALLOCATED && !bs->backing);
}

/*
 * The unaligned edge [@offset, +@bytes) of a zero write, inside the
 * cluster at @cluster: widen *@start or *@end over the whole cluster if
 * it reads as zero anyway, else write zeroes into it.
 */
static int coroutine_fn qcow2_zero_edge(BlockDriverState *bs,
                                        uint64_t cluster, uint64_t offset,
                                        uint64_t bytes, uint64_t *widen,
                                        uint64_t to)
{
    int ret;

    if (!bytes) {
        return 0;
    }
    ret = qcow2_cluster_is_zero(bs, cluster);
    if (ret < 0) {
        return ret;
    }
    if (ret) {
        *widen = to;
        return 0;
    }
    return qcow2_write_zero_buffer(bs, offset, bytes);
}

int coroutine_fn qcow2_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                                        int64_t bytes, BdrvRequestFlags flags)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->g.cluster_size;
    uint64_t end = offset + bytes;
    uint64_t disk_end = QEMU_ALIGN_UP(s->header.size, cs);
    uint64_t start = QEMU_ALIGN_UP(offset, cs);
    uint64_t aligned_end = QEMU_ALIGN_DOWN(end, cs);
    int ret;

    if (s->writes_refused) {
        return -ENOTSUP;
    }
    if (s->g.version < 3 && bs->backing) {
        /* No zero flag: the block layer writes zeroes instead */
        return -ENOTSUP;
    }
    /* The disk's last cluster counts as whole even if the disk ends early */
    if (end == s->header.size) {
        end = aligned_end = disk_end;
    }
    if (start > aligned_end) {
        /* Inside one cluster */
        ret = qcow2_cluster_is_zero(bs, aligned_end);
        if (ret <= 0) {
            return ret < 0 ? ret : qcow2_write_zero_buffer(bs, offset, bytes);
        }
        start = aligned_end;
        aligned_end += cs;
    } else {
        ret = qcow2_zero_edge(bs, start - cs, offset, start - offset, &start,
                              start - cs);
        if (ret == 0) {
            ret = qcow2_zero_edge(bs, aligned_end, aligned_end,
                                  end - aligned_end, &aligned_end,
                                  aligned_end + cs);
        }
        if (ret < 0) {
            return ret;
        }
    }
    if (start >= aligned_end) {
        return 0;
    }
    return qcow2_clear_range(bs, start, aligned_end - start,
                             (flags & BDRV_REQ_MAY_UNMAP) ?
                             QCOW2_CLEAR_ZERO_UNMAP : QCOW2_CLEAR_ZERO);
}

int coroutine_fn qcow2_co_pdiscard(BlockDriverState *bs, int64_t offset,
                                   int64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->g.cluster_size;

    if (s->writes_refused) {
        return -ENOTSUP;
    }
    if (s->g.version < 3 && bs->backing) {
        /* Unallocated would show the backing file: QEMU leaves it be */
        return -ENOTSUP;
    }
    if ((offset & (cs - 1)) ||
        ((bytes & (cs - 1)) && offset + bytes != (int64_t)s->header.size)) {
        return -ENOTSUP;
    }
    return qcow2_clear_range(bs, offset, bytes, QCOW2_CLEAR_DISCARD);
}
