/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private state of the qcow2 driver, shared by block/qcow2.c (open,
 * requests), block/qcow2-cluster.c (guest offset to host mapping) and
 * block/qcow2-cache.c (the L2 table cache).  The on-disk format itself is
 * block/qcow2-format.h; this file only holds what the driver keeps.
 */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include "block/block_int.h"
#include "block/qcow2-format.h"

/* QEMU's ceiling for the default L2 cache (it is also capped by need). */
#define QCOW2_DEFAULT_L2_CACHE_MAX_SIZE (32 * MiB)
/* The cache always holds at least this many tables. */
#define QCOW2_MIN_L2_CACHE_TABLES 2
/* QEMU's default (and minimum) refcount cache, in refcount blocks. */
#define QCOW2_MIN_REFCOUNT_CACHE_TABLES 4

typedef struct Qcow2Cache Qcow2Cache;

/* Largest run of clusters one allocating write takes at a time. */
#define QCOW2_MAX_ALLOC_BYTES (32 * MiB)

/* Guest clusters whose allocation is under way (their L2 entries old). */
typedef struct Qcow2Inflight {
    uint64_t first;             /* guest cluster index */
    uint64_t nb;
} Qcow2Inflight;

/*
 * Where the next piece of a write goes, from qcow2_prepare_write(): in
 * place, or (alloc) into new clusters that replace old L2 entries once
 * the data is written, copying what the request leaves uncovered.
 */
typedef struct Qcow2WriteRun {
    uint64_t host_offset;       /* host offset of the request's byte */
    uint64_t bytes;             /* request bytes this run covers */
    bool alloc;
    uint64_t guest_start;       /* alloc: guest offset of the first cluster */
    uint64_t host_start;        /* alloc: the new clusters */
    uint64_t nb_clusters;
    uint64_t *old_entries;      /* alloc: the L2 entries being replaced */
    Qcow2Inflight inflight;
} Qcow2WriteRun;

typedef struct BDRVQcow2State {
    QCowHeader header;
    Qcow2Geometry g;
    Qcow2Extensions *ext;
    uint64_t *l1_table;         /* host order, header.l1_size entries */
    uint64_t file_size;         /* of the file child, at open */
    Qcow2Cache *l2_cache;
    uint64_t *refcount_table;   /* host order */
    uint64_t refcount_table_size;   /* entries */
    Qcow2Cache *refcount_cache;
    CoMutex lock;               /* metadata lookups (the cache) */
    uint64_t subcluster_size;   /* == cluster size without extended L2 */
    bool corrupt;               /* found bad metadata: refuse requests */
    char *backing_file;         /* as named in the header, or NULL */
    char *backing_format;

    /* Write side (qcow2-write.c, qcow2-refcount.c, qcow2-cluster.c) */
    uint64_t free_cluster_index;    /* no free cluster below this one */
    uint64_t alloc_end;         /* clusters at or past this one are free */
    bool lazy_refcounts;        /* compat bit set and the option allows */
    bool discard_passthrough[3];    /* QCOW2_DISCARD_* */
    bool writes_refused;        /* a feature this build cannot write */
    CoQueue alloc_queue;        /* waiting for an in-flight allocation */
    GSList *inflight;           /* Qcow2Inflight * (guest clusters) */
} BDRVQcow2State;

/* Why clusters are freed, for the pass-discard-* options. */
enum {
    QCOW2_DISCARD_REQUEST,
    QCOW2_DISCARD_SNAPSHOT,
    QCOW2_DISCARD_OTHER,
};

/*
 * What one run of guest bytes is, as qcow2_get_host_offset() answers it:
 * one of the QCow2ClusterType values, for subclusters when extended L2
 * entries are in use.
 */
typedef struct Qcow2Mapping {
    QCow2ClusterType type;
    uint64_t host_offset;       /* of the first byte (normal, zero-alloc) */
    uint64_t compressed_offset; /* compressed: the data's start ... */
    uint64_t compressed_size;   /* ... and its length in the file */
} Qcow2Mapping;

/* qcow2-cache.c */

/* A cache of @nb_tables tables of @table_size bytes. */
Qcow2Cache *qcow2_cache_create(int nb_tables, size_t table_size);
void qcow2_cache_destroy(Qcow2Cache *c);
int qcow2_cache_nb_tables(const Qcow2Cache *c);
/*
 * Point *@table at the table stored at @offset of @child, reading it on a
 * miss; the table stays put until qcow2_cache_put().  0 or -errno.
 */
int coroutine_fn qcow2_cache_get(Qcow2Cache *c, BdrvChild *child,
                                 uint64_t offset, void **table);
/*
 * Like qcow2_cache_get() for a table about to be filled by the caller
 * (a new one): nothing is read, the contents are undefined.
 */
int coroutine_fn qcow2_cache_get_empty(Qcow2Cache *c, BdrvChild *child,
                                       uint64_t offset, void **table);
/* Release a table from qcow2_cache_get(); *@table becomes NULL. */
void qcow2_cache_put(Qcow2Cache *c, void **table);
/* The table (still held) was changed: write it back some time. */
void qcow2_cache_mark_dirty(Qcow2Cache *c, void *table);
/* Write back every dirty table (after @c's dependency).  0 or -errno. */
int coroutine_fn qcow2_cache_flush(Qcow2Cache *c, BdrvChild *child);
/* Whether some table awaits write-back. */
bool qcow2_cache_is_dirty(const Qcow2Cache *c);
/* Write back @depends (and flush the file) before any table of @c. */
void qcow2_cache_set_dependency(Qcow2Cache *c, Qcow2Cache *depends);
/* Forget the (unused) table at @offset, dirty or not: it was freed. */
void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset);

/* qcow2-cluster.c */

/*
 * Map guest @offset: fill @m for the longest run of up to *@bytes bytes
 * that maps alike (same type, contiguous host offsets), and shorten
 * *@bytes to it.  Bad metadata marks the image corrupt and gives -EIO.
 * Call with s->lock held.
 */
int coroutine_fn qcow2_get_host_offset(BlockDriverState *bs, uint64_t offset,
                                       uint64_t *bytes, Qcow2Mapping *m);

/*
 * Read and inflate the compressed cluster of @m into @buf (one cluster).
 * 0 or -errno (-EIO for bad data, -ENOTSUP for zstd).
 */
int coroutine_fn qcow2_read_compressed(BlockDriverState *bs,
                                       const Qcow2Mapping *m, uint8_t *buf);

/*
 * The L2 table of L1 entry @l1_index, ready to be changed: allocated if
 * missing, copied if shared with a snapshot.  Held in the cache (put it
 * back with qcow2_cache_put()).  Call with s->lock held.
 */
int coroutine_fn qcow2_get_l2_for_write(BlockDriverState *bs,
                                        uint64_t l1_index,
                                        uint64_t *l2_offset, void **table);
/*
 * Plan the first piece of a write of @bytes at guest @offset into @run:
 * in place, or into newly allocated clusters registered as in flight.
 * -EAGAIN: the first cluster is being allocated by another request;
 * wait on s->alloc_queue and retry.  Call with s->lock held.
 */
int coroutine_fn qcow2_prepare_write(BlockDriverState *bs, uint64_t offset,
                                     uint64_t bytes, Qcow2WriteRun *run);
/*
 * After the data of an allocating @run is written: point the L2 entries
 * at the new clusters, free what the old ones held, end the in-flight
 * state.  Call with s->lock held.
 */
int coroutine_fn qcow2_finish_write(BlockDriverState *bs, Qcow2WriteRun *run);
/* The data write of @run failed: free its clusters, end in-flight. */
void coroutine_fn qcow2_abort_write(BlockDriverState *bs, Qcow2WriteRun *run);

/* qcow2_clear_clusters() modes */
enum {
    QCOW2_CLEAR_ZERO,           /* read as zero, keep owned clusters */
    QCOW2_CLEAR_ZERO_UNMAP,     /* read as zero, free the clusters */
    QCOW2_CLEAR_DISCARD,        /* guest discard, as QEMU does it */
};
/*
 * Make whole guest clusters from @offset (aligned) zero or discarded, at
 * most @nb_clusters and at most to the end of their L2 table; *@done
 * gets how many were covered.  -EAGAIN: one is being allocated; wait
 * on s->alloc_queue and retry.  Call with s->lock held.
 */
int coroutine_fn qcow2_clear_clusters(BlockDriverState *bs, uint64_t offset,
                                      uint64_t nb_clusters, int mode,
                                      uint64_t *done);

/* qcow2-refcount.c */

/* Load the refcount table (the cache is made by qcow2.c). 0 or -errno. */
int qcow2_refcount_init(BlockDriverState *bs, Error **errp);
/* Free the refcount table and cache. */
void qcow2_refcount_close(BlockDriverState *bs);
/*
 * The refcount of host cluster @cluster_index into *@refcount (0 past the
 * table or where no refcount block exists).  Bad refcount table entries
 * mark the image corrupt and give -EIO.  Call with s->lock held.
 */
int coroutine_fn qcow2_get_refcount(BlockDriverState *bs,
                                    uint64_t cluster_index,
                                    uint64_t *refcount);

/*
 * Add @delta to the refcount of host cluster @cluster_index, whose
 * refcount block must exist; the new value in *@new_refcount (may be
 * NULL).  -ERANGE on overflow; -EIO (image marked corrupt) on
 * underflow or a missing block.  Call with s->lock held.
 */
int coroutine_fn qcow2_update_refcount(BlockDriverState *bs,
                                       uint64_t cluster_index, int64_t delta,
                                       uint64_t *new_refcount);
/*
 * Allocate @n contiguous host clusters (refcount 1, growing the refcount
 * structures as needed).  Returns the host offset or -errno.  Call with
 * s->lock held.
 */
int64_t coroutine_fn qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n);
/*
 * Drop one reference from every cluster @bytes at host @offset touch,
 * after writing back the L2 tables (whatever stopped referencing them
 * must be on disk first).  Clusters that become free are discarded in
 * the file if pass-discard option @type says so.  Call with s->lock held.
 */
int coroutine_fn qcow2_free_clusters(BlockDriverState *bs, uint64_t offset,
                                     uint64_t bytes, int type);

/* qcow2-write.c */

/* The driver's write and flush callbacks. */
int coroutine_fn qcow2_co_pwritev(BlockDriverState *bs, int64_t offset,
                                  int64_t bytes, QEMUIOVector *qiov,
                                  BdrvRequestFlags flags);
int coroutine_fn qcow2_co_flush(BlockDriverState *bs);
int coroutine_fn qcow2_co_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                                        int64_t bytes, BdrvRequestFlags flags);
int coroutine_fn qcow2_co_pdiscard(BlockDriverState *bs, int64_t offset,
                                   int64_t bytes);

/*
 * Refuse (marking the image corrupt) a write of @bytes at host @offset
 * that would land on metadata: the header, the active L1 table, the
 * refcount table or blocks, active L2 tables or the snapshot table.
 * 0 or -EIO.  Call with s->lock held.
 */
int coroutine_fn qcow2_check_metadata_write(BlockDriverState *bs,
                                            uint64_t offset, uint64_t bytes);

/*
 * Rewrite the header cluster from s->header, s->ext (unknown extensions
 * and the bitmaps extension kept byte for byte) and s->backing_file.
 * 0 or -errno; -ENOSPC if it no longer fits one cluster.
 */
int qcow2_update_header(BlockDriverState *bs);
/* The BlockDriver callback behind bdrv_change_backing_file(). */
int qcow2_change_backing_file(BlockDriverState *bs, const char *backing_file,
                              const char *backing_fmt);

/* qcow2.c */

/* The driver's read callback, also used to read what COW keeps. */
int coroutine_fn qcow2_co_preadv(BlockDriverState *bs, int64_t offset,
                                 int64_t bytes, QEMUIOVector *qiov,
                                 BdrvRequestFlags flags);

/*
 * Report bad metadata (@fmt, as QEMU words it) once and mark the image
 * corrupt in memory, so every later request fails with -EIO.
 */
void qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

#endif
