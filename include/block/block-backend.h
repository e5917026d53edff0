/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BlockBackend: the attachment point of every user of the block layer (a
 * named one per drive, anonymous ones for jobs, tools and exports).  It
 * owns the "root" edge to a node, checks request ranges and counts I/O
 * statistics.
 */
#ifndef BLOCK_BLOCK_BACKEND_H
#define BLOCK_BLOCK_BACKEND_H

#include "block/block.h"
#include "block/aio.h"

typedef struct BlockBackend BlockBackend;

/* I/O statistics kinds, as QEMU's accounting names them */
enum BlockAcctType {
    BLOCK_ACCT_NONE = 0,
    BLOCK_ACCT_READ,
    BLOCK_ACCT_WRITE,
    BLOCK_ACCT_FLUSH,
    BLOCK_ACCT_UNMAP,
    BLOCK_MAX_IOTYPE,
};

/* Counters for query-blockstats, per request kind */
typedef struct BlockAcctStats {
    uint64_t nr_bytes[BLOCK_MAX_IOTYPE];
    uint64_t nr_ops[BLOCK_MAX_IOTYPE];
    uint64_t failed_ops[BLOCK_MAX_IOTYPE];   /* the request failed */
    uint64_t invalid_ops[BLOCK_MAX_IOTYPE];  /* refused: bad range */
    uint64_t total_time_ns[BLOCK_MAX_IOTYPE];
    int64_t last_access_time_ns;   /* 0 before the first request */
    uint64_t wr_highest_offset;    /* end of the highest successful write */
} BlockAcctStats;

/**
 * blk_new: a backend with no node that will hold @perm and share
 * @shared_perm once a node is inserted.  @ctx may be NULL (main context).
 */
BlockBackend *blk_new(AioContext *ctx, uint64_t perm, uint64_t shared_perm);

/**
 * blk_new_open: open a node like bdrv_open() and attach a new backend.
 * Takes CONSISTENT_READ, WRITE if BDRV_O_RDWR, RESIZE if BDRV_O_RESIZE;
 * shares everything unless BDRV_O_NO_SHARE.  Consumes @options.
 */
BlockBackend *blk_new_open(const char *filename, const char *reference,
                           QDict *options, int flags, Error **errp);

/** blk_ref: take a reference on @blk. */
void blk_ref(BlockBackend *blk);

/** blk_unref: drop a reference; the last removes the node and frees. */
void blk_unref(BlockBackend *blk);

/**
 * blk_insert_bs: attach @bs as the root of @blk with the backend's
 * permissions.  Fails, leaving everything unchanged, on a conflict.
 */
int blk_insert_bs(BlockBackend *blk, BlockDriverState *bs, Error **errp);

/** blk_remove_bs: detach the root node, if any. */
void blk_remove_bs(BlockBackend *blk);

/** blk_bs: the root node, or NULL. */
BlockDriverState *blk_bs(BlockBackend *blk);

/** blk_root: the root edge, or NULL. */
BdrvChild *blk_root(BlockBackend *blk);

/** blk_set_perm: change the backend's permissions; unchanged on error. */
int blk_set_perm(BlockBackend *blk, uint64_t perm, uint64_t shared_perm,
                 Error **errp);

/** blk_get_perm: the permissions the backend holds and shares. */
void blk_get_perm(BlockBackend *blk, uint64_t *perm, uint64_t *shared_perm);

/**
 * blk_set_name: name the backend (a drive id).  The name must be well
 * formed and unique among backends and node names.
 */
bool blk_set_name(BlockBackend *blk, const char *name, Error **errp);

/**
 * blk_set_attached_dev_id: record the device using @blk (its id or QOM
 * path, e.g. "/machine/peripheral/d1/virtio-backend"), which permission
 * errors name when the backend itself has no name; NULL detaches.
 */
void blk_set_attached_dev_id(BlockBackend *blk, const char *dev_id);

/** blk_get_attached_dev_id: the attached device's id, "" if none. */
const char *blk_get_attached_dev_id(BlockBackend *blk);

/** blk_name: the backend's name, "" if anonymous. */
const char *blk_name(const BlockBackend *blk);

/** blk_by_name: the backend named @name, or NULL. */
BlockBackend *blk_by_name(const char *name);

/** blk_next: iterate over named backends; NULL gives the first. */
BlockBackend *blk_next(BlockBackend *blk);

/** blk_set_allow_write_beyond_eof: let writes grow the node (tools). */
void blk_set_allow_write_beyond_eof(BlockBackend *blk, bool allow);

/**
 * blk_set_enable_write_cache: with @wce false (cache=writethrough,
 * directsync) every write is made stable before it completes (FUA).
 */
void blk_set_enable_write_cache(BlockBackend *blk, bool wce);

/** blk_enable_write_cache: whether the write cache is on (the default). */
bool blk_enable_write_cache(BlockBackend *blk);

/** blk_get_stats: the backend's I/O counters. */
BlockAcctStats *blk_get_stats(BlockBackend *blk);

/** blk_getlength: size of the root node, or -ENOMEDIUM / -errno. */
int64_t blk_getlength(BlockBackend *blk);

/* Coroutine I/O: 0 or -errno; ranges past the end give -EIO. */

/** blk_co_preadv: read @bytes at @offset into @qiov. */
int coroutine_fn blk_co_preadv(BlockBackend *blk, int64_t offset,
                               int64_t bytes, QEMUIOVector *qiov,
                               BdrvRequestFlags flags);
/** blk_co_pwritev: write @qiov to @bytes at @offset. */
int coroutine_fn blk_co_pwritev(BlockBackend *blk, int64_t offset,
                                int64_t bytes, QEMUIOVector *qiov,
                                BdrvRequestFlags flags);
/** blk_co_pwrite_zeroes: zero @bytes at @offset. */
int coroutine_fn blk_co_pwrite_zeroes(BlockBackend *blk, int64_t offset,
                                      int64_t bytes, BdrvRequestFlags flags);
/** blk_co_pdiscard: discard @bytes at @offset. */
int coroutine_fn blk_co_pdiscard(BlockBackend *blk, int64_t offset,
                                 int64_t bytes);
/** blk_co_flush: flush the root node and its subtree. */
int coroutine_fn blk_co_flush(BlockBackend *blk);
/** blk_co_truncate: resize the root node. */
int coroutine_fn blk_co_truncate(BlockBackend *blk, int64_t offset,
                                 bool exact, PreallocMode prealloc,
                                 Error **errp);

/* Synchronous forms */

/** blk_pread: synchronous blk_co_preadv() into @buf. */
int blk_pread(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf,
              BdrvRequestFlags flags);
/** blk_pwrite: synchronous blk_co_pwritev() from @buf. */
int blk_pwrite(BlockBackend *blk, int64_t offset, int64_t bytes,
               const void *buf, BdrvRequestFlags flags);
/** blk_pwrite_zeroes: synchronous blk_co_pwrite_zeroes(). */
int blk_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BdrvRequestFlags flags);
/** blk_pdiscard: synchronous blk_co_pdiscard(). */
int blk_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes);
/** blk_flush: synchronous blk_co_flush(). */
int blk_flush(BlockBackend *blk);
/** blk_truncate: synchronous blk_co_truncate(). */
int blk_truncate(BlockBackend *blk, int64_t offset, bool exact,
                 PreallocMode prealloc, Error **errp);

#endif
