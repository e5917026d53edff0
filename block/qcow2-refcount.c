/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 refcounts: the refcount table is loaded at open, the refcount
 * blocks go through their own cache.  Clusters are allocated first fit
 * from a hint (the lowest cluster that may be free), so a scan costs
 * O(clusters skipped) and the hint keeps it amortised O(1) for an image
 * that only grows.  New refcount blocks and a grown table are placed
 * together in free space and written before anything points at them.
 */
#include "qemu/osdep.h"
#include "qcow2.h"
#include "qcow2-format-int.h"

int qcow2_refcount_init(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t i, n = ((uint64_t)s->header.refcount_table_clusters *
                     s->g.cluster_size) / sizeof(uint64_t);
    int ret;

    /* The header validator bounds the table (QCOW2_MAX_REFTABLE_SIZE) */
    s->refcount_table_size = n;
    s->refcount_table = g_new0(uint64_t, MAX(n, 1));
    ret = bdrv_pread(bs->file, s->header.refcount_table_offset,
                     n * sizeof(uint64_t), s->refcount_table, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read refcount table");
        return ret;
    }
    for (i = 0; i < n; i++) {
        s->refcount_table[i] = GUINT64_FROM_BE(s->refcount_table[i]);
    }
    return 0;
}

void qcow2_refcount_close(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    g_free(s->refcount_table);
    s->refcount_table = NULL;
    qcow2_cache_destroy(s->refcount_cache);
    s->refcount_cache = NULL;
}

/* The refcount block covering table index @i, 0 if none; -EIO if bad. */
static int qcow2_refblock_offset(BlockDriverState *bs, uint64_t i,
                                 uint64_t *offset)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t entry = s->refcount_table[i];

    *offset = entry & QCOW2_REFT_OFFSET_MASK;
    if (entry & QCOW2_REFT_RESERVED_MASK ||
        (*offset & (s->g.cluster_size - 1))) {
        qcow2_signal_corruption(bs, "Refblock offset %#" PRIx64
                                " unaligned (reftable index: %#" PRIx64 ")",
                                *offset, i);
        return -EIO;
    }
    if (*offset && *offset + s->g.cluster_size > s->file_size) {
        qcow2_signal_corruption(bs, "Refblock at %#" PRIx64 " is past the "
                                "end of the image file (reftable index: %#"
                                PRIx64 ")", *offset, i);
        return -EIO;
    }
    return 0;
}

int coroutine_fn qcow2_get_refcount(BlockDriverState *bs,
                                    uint64_t cluster_index,
                                    uint64_t *refcount)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t i = cluster_index / s->g.refcount_block_entries;
    uint64_t block_offset;
    void *block;
    int ret;

    *refcount = 0;
    if (i >= s->refcount_table_size) {
        return 0;
    }
    ret = qcow2_refblock_offset(bs, i, &block_offset);
    if (ret < 0 || !block_offset) {
        return ret;
    }
    ret = qcow2_cache_get(s->refcount_cache, bs->file, block_offset, &block);
    if (ret < 0) {
        return ret;
    }
    *refcount = qcow2_refcount_get(block,
                                   cluster_index %
                                   s->g.refcount_block_entries,
                                   s->g.refcount_order);
    qcow2_cache_put(s->refcount_cache, &block);
    return 0;
}

/* ---- write side ---- */

/* The refcount block entries one refcount table cluster covers. */
static uint64_t qcow2_reftable_per_cluster(BDRVQcow2State *s)
{
    return s->g.cluster_size / sizeof(uint64_t);
}

/* Whether refcount table index @i has a refcount block. */
static bool qcow2_has_refblock(BDRVQcow2State *s, uint64_t i)
{
    return i < s->refcount_table_size &&
           (s->refcount_table[i] & QCOW2_REFT_OFFSET_MASK);
}

/* Note that the file now reaches cluster @end (exclusive). */
static void qcow2_note_file_end(BDRVQcow2State *s, uint64_t end)
{
    s->file_size = MAX(s->file_size, end << s->g.cluster_bits);
}

int coroutine_fn qcow2_update_refcount(BlockDriverState *bs,
                                       uint64_t cluster_index, int64_t delta,
                                       uint64_t *new_refcount)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t i = cluster_index / s->g.refcount_block_entries;
    uint64_t idx = cluster_index % s->g.refcount_block_entries;
    uint64_t block_offset;
    Error *err = NULL;
    void *block;
    int ret;

    if (!qcow2_has_refblock(s, i)) {
        qcow2_signal_corruption(bs, "Refcount of cluster %#" PRIx64
                                " changed without a refcount block",
                                cluster_index << s->g.cluster_bits);
        return -EIO;
    }
    ret = qcow2_refblock_offset(bs, i, &block_offset);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_cache_get(s->refcount_cache, bs->file, block_offset, &block);
    if (ret < 0) {
        return ret;
    }
    if (!qcow2_refcount_add(block, idx, s->g.refcount_order, delta, &err)) {
        qcow2_cache_put(s->refcount_cache, &block);
        if (delta < 0) {
            qcow2_signal_corruption(bs, "Freeing cluster %#" PRIx64
                                    " whose refcount is 0",
                                    cluster_index << s->g.cluster_bits);
            ret = -EIO;
        } else {
            ret = -ERANGE;
        }
        error_free(err);
        return ret;
    }
    if (new_refcount) {
        *new_refcount = qcow2_refcount_get(block, idx, s->g.refcount_order);
    }
    qcow2_cache_mark_dirty(s->refcount_cache, block);
    qcow2_cache_put(s->refcount_cache, &block);
    return 0;
}

/*
 * The first run of @n clusters with refcount 0 at or after @from (no
 * refcount block counts as 0).  Advances the search hint past used
 * clusters when @from is the hint.
 */
static int coroutine_fn qcow2_find_free(BlockDriverState *bs, uint64_t from,
                                        uint64_t n, uint64_t *start)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t i = from, begin = from, run = 0, first_free = UINT64_MAX;
    uint64_t rc;
    int ret;

    while (run < n) {
        uint64_t ri = i / s->g.refcount_block_entries;

        if (!qcow2_has_refblock(s, ri)) {
            /* A whole range without a refcount block is free */
            uint64_t range_end = (ri + 1) * s->g.refcount_block_entries;

            first_free = MIN(first_free, i);
            run += range_end - i;
            i = range_end;
            continue;
        }
        ret = qcow2_get_refcount(bs, i, &rc);
        if (ret < 0) {
            return ret;
        }
        i++;
        if (rc == 0) {
            first_free = MIN(first_free, i - 1);
            run++;
        } else {
            begin = i;
            run = 0;
        }
        if (i >= (1ULL << (63 - s->g.cluster_bits))) {
            return -EFBIG;
        }
    }
    *start = begin;
    if (from == s->free_cluster_index && first_free != UINT64_MAX) {
        s->free_cluster_index = first_free == begin ? begin + n : first_free;
    }
    return 0;
}

/* Add the refcount ranges [@a, @a + @n) touches without a block to @set. */
static void qcow2_missing_ranges(BDRVQcow2State *s, uint64_t a, uint64_t n,
                                 GArray *set)
{
    uint64_t e = s->g.refcount_block_entries, r, j;

    if (!n) {
        return;
    }
    for (r = a / e; r <= (a + n - 1) / e; r++) {
        if (qcow2_has_refblock(s, r)) {
            continue;
        }
        for (j = 0; j < set->len; j++) {
            if (g_array_index(set, uint64_t, j) == r) {
                break;
            }
        }
        if (j == set->len) {
            g_array_append_val(set, r);
        }
    }
}

/* Write the 8-byte refcount table entry @i (in place). */
static int coroutine_fn qcow2_write_reftable_entry(BlockDriverState *bs,
                                                   uint64_t i)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t be = GUINT64_TO_BE(s->refcount_table[i]);
    QEMUIOVector qiov;

    qemu_iovec_init_buf(&qiov, &be, sizeof(be));
    return bdrv_co_pwritev(bs->file, s->header.refcount_table_offset +
                           i * sizeof(uint64_t), sizeof(be), &qiov, 0);
}

/* Layout of new refcount structures, see qcow2_grow_refcounts(). */
typedef struct Qcow2RefGrowth {
    uint64_t area;              /* first cluster */
    uint64_t len;               /* clusters reserved */
    GArray *ranges;             /* uint64_t: new refcount block indexes */
    uint64_t table_clusters;    /* 0: the table stays where it is */
} Qcow2RefGrowth;

/* Size and place the new structures until the layout covers itself. */
static int coroutine_fn qcow2_plan_growth(BlockDriverState *bs, uint64_t c,
                                          uint64_t n, Qcow2RefGrowth *g)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t epc = qcow2_reftable_per_cluster(s);
    uint64_t old_clusters = s->header.refcount_table_clusters;
    uint64_t j, max_r, need;
    int iter, ret;

    g->len = 1;
    for (iter = 0; iter < 64; iter++) {
        ret = qcow2_find_free(bs, c + n, g->len, &g->area);
        if (ret < 0) {
            return ret;
        }
        g_array_set_size(g->ranges, 0);
        qcow2_missing_ranges(s, c, n, g->ranges);
        qcow2_missing_ranges(s, g->area, g->len, g->ranges);
        max_r = 0;
        for (j = 0; j < g->ranges->len; j++) {
            max_r = MAX(max_r, g_array_index(g->ranges, uint64_t, j));
        }
        g->table_clusters = 0;
        if (max_r >= s->refcount_table_size) {
            /* Grow by half again, so growth stays rare */
            need = DIV_ROUND_UP(max_r + 1, epc);
            g->table_clusters = MAX(need, old_clusters + old_clusters / 2 + 1);
            if (g->table_clusters * s->g.cluster_size >
                QCOW2_MAX_REFTABLE_SIZE) {
                return -EFBIG;
            }
        }
        if (g->ranges->len + g->table_clusters <= g->len) {
            return 0;
        }
        g->len = g->ranges->len + g->table_clusters;
    }
    return -EIO;
}

/* Write one new refcount block for range @r, counting @g's clusters. */
static int coroutine_fn qcow2_write_new_refblock(BlockDriverState *bs,
                                                 const Qcow2RefGrowth *g,
                                                 uint64_t r, uint64_t at)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t e = s->g.refcount_block_entries;
    g_autofree uint8_t *block = g_malloc0(s->g.cluster_size);
    uint64_t k, used = g->ranges->len + g->table_clusters;
    QEMUIOVector qiov;

    for (k = g->area; k < g->area + used; k++) {
        if (k / e == r) {
            qcow2_refcount_set(block, k % e, s->g.refcount_order, 1,
                               &error_abort);
        }
    }
    qemu_iovec_init_buf(&qiov, block, s->g.cluster_size);
    return bdrv_co_pwritev(bs->file, at << s->g.cluster_bits,
                           s->g.cluster_size, &qiov, 0);
}

/* Write a refcount table of @g->table_clusters at the end of the area. */
static int coroutine_fn qcow2_install_new_table(BlockDriverState *bs,
                                                const Qcow2RefGrowth *g)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t size = g->table_clusters * qcow2_reftable_per_cluster(s);
    uint64_t at = (g->area + g->ranges->len) << s->g.cluster_bits;
    g_autofree uint64_t *table = g_new0(uint64_t, size);
    uint64_t old_offset = s->header.refcount_table_offset;
    uint64_t old_clusters = s->header.refcount_table_clusters;
    uint8_t hdr[12];
    QEMUIOVector qiov;
    uint64_t j;
    int ret;

    memcpy(table, s->refcount_table,
           s->refcount_table_size * sizeof(uint64_t));
    for (j = 0; j < g->ranges->len; j++) {
        table[g_array_index(g->ranges, uint64_t, j)] =
            (g->area + j) << s->g.cluster_bits;
    }
    for (j = 0; j < size; j++) {
        table[j] = GUINT64_TO_BE(table[j]);
    }
    qemu_iovec_init_buf(&qiov, table, size * sizeof(uint64_t));
    ret = bdrv_co_pwritev(bs->file, at, size * sizeof(uint64_t), &qiov, 0);
    if (ret == 0) {
        ret = bdrv_co_flush(bs->file->bs);
    }
    if (ret < 0) {
        return ret;
    }
    /* The switch: refcount_table_offset and _clusters, one write */
    qcow2_st64(hdr, at);
    qcow2_st32(hdr + 8, g->table_clusters);
    qemu_iovec_init_buf(&qiov, hdr, sizeof(hdr));
    ret = bdrv_co_pwritev(bs->file, offsetof(struct qcow2_header_disk,
                                             refcount_table_offset),
                          sizeof(hdr), &qiov, 0);
    if (ret == 0) {
        ret = bdrv_co_flush(bs->file->bs);
    }
    if (ret < 0) {
        return ret;
    }
    for (j = 0; j < size; j++) {
        table[j] = GUINT64_FROM_BE(table[j]);
    }
    g_free(s->refcount_table);
    s->refcount_table = g_steal_pointer(&table);
    s->refcount_table_size = size;
    s->header.refcount_table_offset = at;
    s->header.refcount_table_clusters = g->table_clusters;
    /* Nothing points at the old table any more */
    return qcow2_free_clusters(bs, old_offset,
                               old_clusters << s->g.cluster_bits,
                               QCOW2_DISCARD_OTHER);
}

/*
 * Give every refcount range that [@c, @c + @n) touches a refcount block.
 * New blocks (and, when the table must grow, a new table) go into one
 * free area after the run, laid out so that they count themselves:
 * every area cluster in a range that has a block already is counted
 * there first, the new blocks are written with the area's clusters in
 * their ranges counted, and only then do the table entries (or, for a
 * new table, the header) point at them.  A crash at any step leaks
 * clusters at worst.
 */
static int coroutine_fn qcow2_grow_refcounts(BlockDriverState *bs,
                                             uint64_t c, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2RefGrowth g = { .ranges = g_array_new(false, false,
                                               sizeof(uint64_t)) };
    uint64_t e = s->g.refcount_block_entries, k, j, used;
    int ret;

    ret = qcow2_plan_growth(bs, c, n, &g);
    if (ret < 0) {
        goto out;
    }
    used = g.ranges->len + g.table_clusters;
    qcow2_note_file_end(s, g.area + used);
    for (k = g.area; k < g.area + used; k++) {
        if (qcow2_has_refblock(s, k / e)) {
            ret = qcow2_update_refcount(bs, k, 1, NULL);
            if (ret < 0) {
                goto out;
            }
        }
    }
    for (j = 0; j < g.ranges->len; j++) {
        ret = qcow2_write_new_refblock(bs, &g,
                                       g_array_index(g.ranges, uint64_t, j),
                                       g.area + j);
        if (ret < 0) {
            goto out;
        }
    }
    ret = qcow2_cache_flush(s->refcount_cache, bs->file);
    if (ret == 0) {
        ret = bdrv_co_flush(bs->file->bs);
    }
    if (ret < 0) {
        goto out;
    }
    if (g.table_clusters) {
        ret = qcow2_install_new_table(bs, &g);
        goto out;
    }
    for (j = 0; j < g.ranges->len; j++) {
        uint64_t r = g_array_index(g.ranges, uint64_t, j);

        s->refcount_table[r] = (g.area + j) << s->g.cluster_bits;
        ret = qcow2_write_reftable_entry(bs, r);
        if (ret < 0) {
            s->refcount_table[r] = 0;
            goto out;
        }
    }
out:
    g_array_free(g.ranges, true);
    return ret;
}

int64_t coroutine_fn qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t e = s->g.refcount_block_entries;
    uint64_t c, k, r;
    int ret;

    assert(n > 0);
    ret = qcow2_find_free(bs, s->free_cluster_index, n, &c);
    if (ret < 0) {
        return ret;
    }
    for (r = c / e; r <= (c + n - 1) / e; r++) {
        if (!qcow2_has_refblock(s, r)) {
            ret = qcow2_grow_refcounts(bs, c, n);
            if (ret < 0) {
                return ret;
            }
            break;
        }
    }
    for (k = 0; k < n; k++) {
        ret = qcow2_update_refcount(bs, c + k, 1, NULL);
        if (ret < 0) {
            /* Leave the counted ones counted: a leak, not a double use */
            return ret;
        }
    }
    qcow2_note_file_end(s, c + n);
    return c << s->g.cluster_bits;
}

int coroutine_fn qcow2_free_clusters(BlockDriverState *bs, uint64_t offset,
                                     uint64_t bytes, int type)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first = offset >> s->g.cluster_bits;
    uint64_t last = (offset + bytes - 1) >> s->g.cluster_bits;
    uint64_t k, rc;
    int ret;

    if (!bytes) {
        return 0;
    }
    /*
     * Whatever stopped pointing at the clusters must be on disk first
     * (L1 entries are written through and flushed by their writers).
     */
    if (qcow2_cache_is_dirty(s->l2_cache)) {
        ret = qcow2_cache_flush(s->l2_cache, bs->file);
        if (ret == 0) {
            ret = bdrv_co_flush(bs->file->bs);
        }
        if (ret < 0) {
            return ret;
        }
    }
    for (k = first; k <= last; k++) {
        ret = qcow2_update_refcount(bs, k, -1, &rc);
        if (ret < 0) {
            return ret;
        }
        if (rc) {
            continue;
        }
        s->free_cluster_index = MIN(s->free_cluster_index, k);
        qcow2_cache_discard(s->l2_cache, k << s->g.cluster_bits);
        if (s->discard_passthrough[type]) {
            bdrv_co_pdiscard(bs->file, k << s->g.cluster_bits,
                             s->g.cluster_size);
        }
    }
    return 0;
}
