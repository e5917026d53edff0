/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 refcounts, read side: the refcount table is loaded at open, the
 * refcount blocks go through their own cache.  Writes will build on this
 * (allocation at the end of the file needs to know what is free); for
 * now it answers "how many references does host cluster N have".
 */
#include "qemu/osdep.h"
#include "qcow2.h"

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
