/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 guest-to-host mapping: walk L1 and (cached) L2 tables to say what
 * a run of guest bytes is, and read compressed clusters.  Every entry is
 * decoded by the format library; anything it refuses, or that points
 * outside the file, marks the image corrupt instead of being trusted.
 */
#include "qemu/osdep.h"
#include <zlib.h>
#include "qcow2.h"
#include "qcow2-format-int.h"

/* Where guest unit (cluster or subcluster) @sc of entry @e points. */
static void qcow2_unit_mapping(BDRVQcow2State *s, const Qcow2L2Entry *e,
                               unsigned sc, Qcow2Mapping *m)
{
    memset(m, 0, sizeof(*m));
    m->type = e->type;
    if (e->type == QCOW2_CLUSTER_COMPRESSED) {
        m->compressed_offset = e->host_offset;
        m->compressed_size = e->compressed_size;
        return;
    }
    if (e->host_offset) {
        m->host_offset = e->host_offset + sc * s->subcluster_size;
    }
    if (!s->g.extended_l2) {
        return;
    }
    /* Extended L2: the bitmaps, not the entry, say what a unit is */
    if (e->zero_bitmap & (1U << sc)) {
        m->type = e->host_offset ? QCOW2_CLUSTER_ZERO_ALLOC
                                 : QCOW2_CLUSTER_ZERO_PLAIN;
    } else if (e->alloc_bitmap & (1U << sc)) {
        m->type = QCOW2_CLUSTER_NORMAL;
    } else {
        /* Unallocated, perhaps inside an allocated cluster */
        m->type = QCOW2_CLUSTER_UNALLOCATED;
    }
}

/* Whether unit @next continues run @m, @done bytes after its start. */
static bool qcow2_mapping_continues(const Qcow2Mapping *m,
                                    const Qcow2Mapping *next, uint64_t done)
{
    if (next->type != m->type || m->type == QCOW2_CLUSTER_COMPRESSED) {
        return false;
    }
    if (!m->host_offset) {
        return !next->host_offset;
    }
    return next->host_offset == m->host_offset + done;
}

/* Decode L2 entry @index of @table, checking it against the file. */
static int qcow2_decode_l2(BlockDriverState *bs, const uint8_t *table,
                           uint64_t l2_offset, uint64_t index,
                           Qcow2L2Entry *e)
{
    BDRVQcow2State *s = bs->opaque;
    Error *err = NULL;
    uint64_t entry, bitmap;

    qcow2_l2_entry_at(&s->g, table, index, &entry, &bitmap);
    if (!qcow2_l2_entry_decode(&s->g, entry, bitmap, e, &err)) {
        qcow2_signal_corruption(bs, "%s (L2 offset: %#" PRIx64
                                ", L2 index: %#" PRIx64 ")",
                                error_get_pretty(err), l2_offset, index);
        error_free(err);
        return -EIO;
    }
    if (e->type == QCOW2_CLUSTER_COMPRESSED) {
        if (e->host_offset < s->g.cluster_size ||
            e->host_offset >= s->file_size) {
            qcow2_signal_corruption(bs, "Compressed cluster offset %#"
                                    PRIx64 " outside the image file "
                                    "(L2 offset: %#" PRIx64 ", L2 index: %#"
                                    PRIx64 ")", e->host_offset, l2_offset,
                                    index);
            return -EIO;
        }
    } else if (e->host_offset >= s->file_size) {
        /*
         * Only the start is checked: with subclusters the last cluster
         * of the file may be written in part, and the rest reads as 0.
         */
        qcow2_signal_corruption(bs, "Cluster offset %#" PRIx64 " points "
                                "past the end of the image file (L2 offset: "
                                "%#" PRIx64 ", L2 index: %#" PRIx64 ")",
                                e->host_offset, l2_offset, index);
        return -EIO;
    }
    return 0;
}

/* The L2 table offset of L1 entry @l1_index, 0 if unallocated. */
static int qcow2_l2_offset(BlockDriverState *bs, uint64_t l1_index,
                           uint64_t *l2_offset)
{
    BDRVQcow2State *s = bs->opaque;
    Error *err = NULL;
    bool copied;

    *l2_offset = 0;
    if (l1_index >= s->header.l1_size) {
        return 0;
    }
    if (!qcow2_l1_entry_decode(&s->g, s->l1_table[l1_index], l2_offset,
                               &copied, &err)) {
        qcow2_signal_corruption(bs, "%s (L1 index: %#" PRIx64 ")",
                                error_get_pretty(err), l1_index);
        error_free(err);
        return -EIO;
    }
    if (*l2_offset && *l2_offset + s->g.cluster_size > s->file_size) {
        qcow2_signal_corruption(bs, "L2 table offset %#" PRIx64 " points "
                                "past the end of the image file (L1 index: "
                                "%#" PRIx64 ")", *l2_offset, l1_index);
        return -EIO;
    }
    return 0;
}

int coroutine_fn qcow2_get_host_offset(BlockDriverState *bs, uint64_t offset,
                                       uint64_t *bytes, Qcow2Mapping *m)
{
    BDRVQcow2State *s = bs->opaque;
    unsigned span_bits = s->g.l2_bits + s->g.cluster_bits;
    uint64_t l1_index = offset >> span_bits;
    uint64_t span_end = (l1_index + 1) << span_bits;
    uint64_t unit = s->subcluster_size;
    uint64_t pos, done, l2_offset, cur_index = UINT64_MAX;
    uint8_t *table = NULL;
    Qcow2L2Entry e;
    Qcow2Mapping next;
    int ret;

    *bytes = MIN(*bytes, span_end - offset);
    ret = qcow2_l2_offset(bs, l1_index, &l2_offset);
    if (ret < 0 || !l2_offset) {
        memset(m, 0, sizeof(*m));
        m->type = QCOW2_CLUSTER_UNALLOCATED;
        return ret;
    }
    ret = qcow2_cache_get(s->l2_cache, bs->file, l2_offset, (void **)&table);
    if (ret < 0) {
        return ret;
    }
    /* Walk unit by unit; done counts bytes from @offset */
    for (pos = QEMU_ALIGN_DOWN(offset, unit), done = 0;
         offset + done < offset + *bytes; pos += unit) {
        uint64_t index = (pos >> s->g.cluster_bits) & (s->g.l2_size - 1);
        unsigned sc = (pos & (s->g.cluster_size - 1)) / unit;
        uint64_t in_unit = offset > pos ? offset - pos : 0;

        if (index != cur_index) {
            ret = qcow2_decode_l2(bs, table, l2_offset, index, &e);
            if (ret < 0) {
                goto out;
            }
            cur_index = index;
        }
        qcow2_unit_mapping(s, &e, sc, &next);
        if (next.host_offset) {
            next.host_offset += in_unit;
        }
        if (done == 0) {
            *m = next;
            if (next.type == QCOW2_CLUSTER_COMPRESSED) {
                /* A compressed cluster is one unit however it is split */
                done = QEMU_ALIGN_UP(offset + 1, s->g.cluster_size) - offset;
                break;
            }
        } else if (!qcow2_mapping_continues(m, &next, done)) {
            break;
        }
        done += unit - in_unit;
    }
    *bytes = MIN(*bytes, done);
out:
    qcow2_cache_put(s->l2_cache, (void **)&table);
    return ret;
}

/* Inflate raw deflate data @src into exactly @dst_len bytes of @dst. */
static bool qcow2_inflate(uint8_t *dst, size_t dst_len, const uint8_t *src,
                          size_t src_len)
{
    z_stream strm = { 0 };
    bool ok;
    int ret;

    if (inflateInit2(&strm, -12) != Z_OK) {
        return false;
    }
    strm.next_in = (Bytef *)src;
    strm.avail_in = src_len;
    strm.next_out = dst;
    strm.avail_out = dst_len;
    ret = inflate(&strm, Z_FINISH);
    /*
     * The stored size is rounded up to sectors, so input may be left
     * over; what matters is a full cluster of output.
     */
    ok = (ret == Z_STREAM_END || ret == Z_BUF_ERROR || ret == Z_OK) &&
         strm.avail_out == 0;
    inflateEnd(&strm);
    return ok;
}

int coroutine_fn qcow2_read_compressed(BlockDriverState *bs,
                                       const Qcow2Mapping *m, uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *in = NULL;
    QEMUIOVector qiov;
    uint64_t len = m->compressed_size;
    int ret;

    if (s->header.compression_type != QCOW2_COMPRESSION_ZLIB) {
        /* No zstd library in this build */
        return -ENOTSUP;
    }
    /* The last sector may lie past the end of the file; it reads as 0 */
    in = g_malloc(len);
    qemu_iovec_init_buf(&qiov, in, len);
    ret = bdrv_co_preadv(bs->file, m->compressed_offset, len, &qiov, 0);
    if (ret < 0) {
        return ret;
    }
    if (!qcow2_inflate(buf, s->g.cluster_size, in, len)) {
        return -EIO;
    }
    return 0;
}

/* ---- write side ---- */

/* Write L1 entry @l1_index through to the image and flush it. */
static int coroutine_fn qcow2_write_l1_entry(BlockDriverState *bs,
                                             uint64_t l1_index)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t be = GUINT64_TO_BE(s->l1_table[l1_index]);
    QEMUIOVector qiov;
    int ret;

    qemu_iovec_init_buf(&qiov, &be, sizeof(be));
    ret = bdrv_co_pwritev(bs->file, s->header.l1_table_offset +
                          l1_index * sizeof(uint64_t), sizeof(be), &qiov, 0);
    if (ret < 0) {
        return ret;
    }
    return bdrv_co_flush(bs->file->bs);
}

/*
 * Give L1 entry @l1_index a table of its own: a new zeroed one if there
 * is none, else a copy of the one shared with snapshots.  The table and
 * its refcount reach the disk before the L1 entry does; the old table
 * loses our reference only after that.
 */
static int coroutine_fn qcow2_l2_allocate(BlockDriverState *bs,
                                          uint64_t l1_index,
                                          uint64_t old_offset)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t old_entry = s->l1_table[l1_index];
    g_autofree uint8_t *buf = g_malloc0(s->g.cluster_size);
    void *table = NULL;
    QEMUIOVector qiov;
    int64_t offset;
    int ret;

    if (old_offset) {
        ret = qcow2_cache_get(s->l2_cache, bs->file, old_offset, &table);
        if (ret < 0) {
            return ret;
        }
        memcpy(buf, table, s->g.cluster_size);
        qcow2_cache_put(s->l2_cache, &table);
    }
    offset = qcow2_alloc_clusters(bs, 1);
    if (offset < 0) {
        return offset;
    }
    ret = qcow2_check_metadata_write(bs, offset, s->g.cluster_size);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_cache_flush(s->refcount_cache, bs->file);
    if (ret < 0) {
        return ret;
    }
    qemu_iovec_init_buf(&qiov, buf, s->g.cluster_size);
    ret = bdrv_co_pwritev(bs->file, offset, s->g.cluster_size, &qiov, 0);
    if (ret == 0) {
        ret = bdrv_co_flush(bs->file->bs);
    }
    if (ret < 0) {
        return ret;
    }
    /* The cache may hold a stale copy of a cluster freed earlier */
    qcow2_cache_discard(s->l2_cache, offset);
    s->l1_table[l1_index] = qcow2_l1_entry_encode(offset, true);
    ret = qcow2_write_l1_entry(bs, l1_index);
    if (ret < 0) {
        s->l1_table[l1_index] = old_entry;
        return ret;
    }
    if (old_offset) {
        return qcow2_free_clusters(bs, old_offset, s->g.cluster_size,
                                   QCOW2_DISCARD_SNAPSHOT);
    }
    return 0;
}

int coroutine_fn qcow2_get_l2_for_write(BlockDriverState *bs,
                                        uint64_t l1_index,
                                        uint64_t *l2_offset, void **table)
{
    BDRVQcow2State *s = bs->opaque;
    Error *err = NULL;
    bool copied;
    int ret;

    if (l1_index >= s->header.l1_size) {
        return -EINVAL;
    }
    ret = qcow2_l2_offset(bs, l1_index, l2_offset);
    if (ret < 0) {
        return ret;
    }
    qcow2_l1_entry_decode(&s->g, s->l1_table[l1_index], l2_offset, &copied,
                          &err);
    error_free(err);
    if (!*l2_offset || !copied) {
        ret = qcow2_l2_allocate(bs, l1_index, *l2_offset);
        if (ret < 0) {
            return ret;
        }
        *l2_offset = s->l1_table[l1_index] & QCOW2_L1E_OFFSET_MASK;
    }
    return qcow2_cache_get(s->l2_cache, bs->file, *l2_offset, table);
}

/* Whether guest cluster @index of @table can take data in place. */
static bool qcow2_entry_in_place(const Qcow2L2Entry *e)
{
    return e->type == QCOW2_CLUSTER_NORMAL && e->copied;
}

/* Whether guest clusters [@first, @first + @n) meet an allocation. */
static Qcow2Inflight *qcow2_find_inflight(BDRVQcow2State *s, uint64_t first,
                                          uint64_t n)
{
    GSList *l;

    for (l = s->inflight; l; l = l->next) {
        Qcow2Inflight *f = l->data;

        if (first < f->first + f->nb && f->first < first + n) {
            return f;
        }
    }
    return NULL;
}

int coroutine_fn qcow2_prepare_write(BlockDriverState *bs, uint64_t offset,
                                     uint64_t bytes, Qcow2WriteRun *run)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->g.cluster_size;
    uint64_t l1_index = offset >> (s->g.l2_bits + s->g.cluster_bits);
    uint64_t index = (offset >> s->g.cluster_bits) & (s->g.l2_size - 1);
    uint64_t in_cluster = offset & (cs - 1);
    uint64_t first = offset >> s->g.cluster_bits;
    uint64_t want = DIV_ROUND_UP(in_cluster + bytes, cs);
    uint64_t max = MIN(want, s->g.l2_size - index);
    uint64_t l2_offset, n, bitmap;
    Qcow2L2Entry e, next;
    Qcow2Inflight *f;
    void *table;
    int64_t host;
    int ret;

    memset(run, 0, sizeof(*run));
    f = qcow2_find_inflight(s, first, 1);
    if (f) {
        return -EAGAIN;
    }
    ret = qcow2_get_l2_for_write(bs, l1_index, &l2_offset, &table);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_decode_l2(bs, table, l2_offset, index, &e);
    if (ret < 0) {
        goto out;
    }
    if (qcow2_entry_in_place(&e)) {
        /* Contiguous clusters of our own: write in place */
        for (n = 1; n < max; n++) {
            ret = qcow2_decode_l2(bs, table, l2_offset, index + n, &next);
            if (ret < 0) {
                goto out;
            }
            if (!qcow2_entry_in_place(&next) ||
                next.host_offset != e.host_offset + n * cs) {
                break;
            }
        }
        run->host_offset = e.host_offset + in_cluster;
        run->bytes = MIN(bytes, n * cs - in_cluster);
        goto out;
    }
    /* Clusters to allocate, stopping at one in place or in flight */
    max = MIN(max, s->g.refcount_block_entries - 1);
    max = MIN(max, QCOW2_MAX_ALLOC_BYTES / cs);
    run->old_entries = g_new(uint64_t, MAX(max, 1));
    for (n = 0; n < MAX(max, 1); n++) {
        if (n > 0) {
            ret = qcow2_decode_l2(bs, table, l2_offset, index + n, &next);
            if (ret < 0) {
                goto out;
            }
            if (qcow2_entry_in_place(&next) ||
                qcow2_find_inflight(s, first + n, 1)) {
                break;
            }
        }
        qcow2_l2_entry_at(&s->g, table, index + n, &run->old_entries[n],
                          &bitmap);
    }
    host = qcow2_alloc_clusters(bs, n);
    if (host < 0) {
        ret = host;
        goto out;
    }
    ret = qcow2_check_metadata_write(bs, host, n * cs);
    if (ret < 0) {
        goto out;
    }
    run->alloc = true;
    run->nb_clusters = n;
    run->host_start = host;
    run->guest_start = first * cs;
    run->host_offset = host + in_cluster;
    run->bytes = MIN(bytes, n * cs - in_cluster);
    run->inflight.first = first;
    run->inflight.nb = n;
    s->inflight = g_slist_prepend(s->inflight, &run->inflight);
out:
    qcow2_cache_put(s->l2_cache, &table);
    if (ret < 0) {
        g_free(run->old_entries);
        run->old_entries = NULL;
    }
    return ret;
}

/* Drop the run from the in-flight list and wake whoever waits on it. */
static void qcow2_end_inflight(BlockDriverState *bs, Qcow2WriteRun *run)
{
    BDRVQcow2State *s = bs->opaque;

    s->inflight = g_slist_remove(s->inflight, &run->inflight);
    qemu_co_queue_restart_all(&s->alloc_queue);
    g_free(run->old_entries);
    run->old_entries = NULL;
}

/* Release what old entry @entry held, now that nothing points there. */
static int coroutine_fn qcow2_free_old_entry(BlockDriverState *bs,
                                             uint64_t entry, int type)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2L2Entry e;
    Error *err = NULL;

    if (!qcow2_l2_entry_decode(&s->g, entry, 0, &e, &err)) {
        /* Checked when the run was planned; a leak is all we risk */
        error_free(err);
        return 0;
    }
    switch (e.type) {
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        return qcow2_free_clusters(bs, e.host_offset, s->g.cluster_size,
                                   type);
    case QCOW2_CLUSTER_COMPRESSED:
        return qcow2_free_clusters(bs, e.host_offset & ~511ULL,
                                   e.compressed_end -
                                   (e.host_offset & ~511ULL), type);
    default:
        return 0;
    }
}

int coroutine_fn qcow2_finish_write(BlockDriverState *bs, Qcow2WriteRun *run)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cs = s->g.cluster_size;
    uint64_t index = run->inflight.first & (s->g.l2_size - 1);
    uint64_t l1_index = run->inflight.first >> s->g.l2_bits;
    uint64_t l2_offset, k;
    void *table;
    int ret;

    ret = qcow2_get_l2_for_write(bs, l1_index, &l2_offset, &table);
    if (ret < 0) {
        qcow2_abort_write(bs, run);
        return ret;
    }
    for (k = 0; k < run->nb_clusters; k++) {
        qcow2_st64((uint8_t *)table + (index + k) * sizeof(uint64_t),
                   qcow2_l2_entry_encode(&s->g, QCOW2_CLUSTER_NORMAL,
                                         run->host_start + k * cs, 0, true));
    }
    qcow2_cache_mark_dirty(s->l2_cache, table);
    qcow2_cache_put(s->l2_cache, &table);
    for (k = 0; k < run->nb_clusters && ret == 0; k++) {
        ret = qcow2_free_old_entry(bs, run->old_entries[k],
                                   QCOW2_DISCARD_OTHER);
    }
    qcow2_end_inflight(bs, run);
    return ret;
}

void coroutine_fn qcow2_abort_write(BlockDriverState *bs, Qcow2WriteRun *run)
{
    if (run->alloc) {
        /* Nothing points at the new clusters: give them back */
        qcow2_free_clusters(bs, run->host_start,
                            run->nb_clusters * ((BDRVQcow2State *)
                                                bs->opaque)->g.cluster_size,
                            QCOW2_DISCARD_OTHER);
        qcow2_end_inflight(bs, run);
    }
}

/*
 * The entry replacing @e under @mode; *@free_old says whether the old
 * entry's clusters lose their reference.
 */
static uint64_t qcow2_cleared_entry(BlockDriverState *bs,
                                    const Qcow2L2Entry *e, int mode,
                                    bool *free_old)
{
    BDRVQcow2State *s = bs->opaque;
    bool owned = (e->type == QCOW2_CLUSTER_NORMAL ||
                  e->type == QCOW2_CLUSTER_ZERO_ALLOC) && e->copied;

    *free_old = e->type == QCOW2_CLUSTER_NORMAL ||
                e->type == QCOW2_CLUSTER_ZERO_ALLOC ||
                e->type == QCOW2_CLUSTER_COMPRESSED;
    if (s->g.version < 3) {
        /* No zero flag: unallocated reads as zero without a backing file */
        return 0;
    }
    if (mode == QCOW2_CLEAR_ZERO && owned) {
        /* Preallocated zero cluster: the data cluster stays ours */
        *free_old = false;
        return qcow2_l2_entry_encode(&s->g, QCOW2_CLUSTER_ZERO_ALLOC,
                                     e->host_offset, 0, true);
    }
    if (mode == QCOW2_CLEAR_DISCARD && !bs->backing &&
        e->type == QCOW2_CLUSTER_UNALLOCATED) {
        return 0;
    }
    return QCOW2_OFLAG_ZERO;
}

int coroutine_fn qcow2_clear_clusters(BlockDriverState *bs, uint64_t offset,
                                      uint64_t nb_clusters, int mode,
                                      uint64_t *done)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = offset >> s->g.cluster_bits;
    uint64_t index = first & (s->g.l2_size - 1);
    uint64_t l1_index = first >> s->g.l2_bits;
    uint64_t n = MIN(nb_clusters, s->g.l2_size - index);
    uint64_t l2_offset, k, entry, bitmap, *old;
    Qcow2L2Entry e;
    bool free_old;
    void *table;
    int ret;

    *done = n;
    if (qcow2_find_inflight(s, first, n)) {
        return -EAGAIN;
    }
    assert(s->g.version >= 3 || !bs->backing);
    if (!(s->l1_table[l1_index] & QCOW2_L1E_OFFSET_MASK) &&
        (mode == QCOW2_CLEAR_DISCARD || s->g.version < 3) && !bs->backing) {
        /* Nothing there, and nothing under it to hide */
        return 0;
    }
    ret = qcow2_get_l2_for_write(bs, l1_index, &l2_offset, &table);
    if (ret < 0) {
        return ret;
    }
    old = g_new0(uint64_t, n);
    for (k = 0; k < n; k++) {
        ret = qcow2_decode_l2(bs, table, l2_offset, index + k, &e);
        if (ret < 0) {
            break;
        }
        entry = qcow2_cleared_entry(bs, &e, mode, &free_old);
        if (free_old) {
            qcow2_l2_entry_at(&s->g, table, index + k, &old[k], &bitmap);
        }
        qcow2_st64((uint8_t *)table + (index + k) * sizeof(uint64_t), entry);
    }
    qcow2_cache_mark_dirty(s->l2_cache, table);
    qcow2_cache_put(s->l2_cache, &table);
    for (k = 0; k < n && ret == 0; k++) {
        if (old[k]) {
            ret = qcow2_free_old_entry(bs, old[k],
                                       mode == QCOW2_CLEAR_DISCARD ?
                                       QCOW2_DISCARD_REQUEST :
                                       QCOW2_DISCARD_OTHER);
        }
    }
    g_free(old);
    return ret;
}
