/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Public API of the block layer: opening nodes from option dictionaries,
 * the node graph, and byte-based I/O (coroutine and synchronous forms).
 * Driver-facing structures live in block/block_int.h.
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "qemu/coroutine.h"
#include "qemu/iov.h"
#include "qemu/hbitmap.h"
#include "block/prealloc.h"
#include "qobject/qdict.h"
#include "qapi/error.h"

typedef struct BlockDriver BlockDriver;
typedef struct BlockDriverState BlockDriverState;
typedef struct BdrvChild BdrvChild;
typedef struct BdrvChildClass BdrvChildClass;

/* Open flags (bdrv_open() @flags) */
#define BDRV_O_NO_SHARE    0x0001 /* blk_new_open: share only reads */
#define BDRV_O_RDWR        0x0002
#define BDRV_O_RESIZE      0x0004 /* blk_new_open: take the resize perm */
#define BDRV_O_NOCACHE     0x0020 /* cache.direct=on: O_DIRECT */
#define BDRV_O_NO_FLUSH    0x0200 /* cache.no-flush=on: flush is a no-op */
#define BDRV_O_PROTOCOL    0x8000 /* open a protocol driver, no probing */
#define BDRV_O_UNMAP       0x4000 /* discard=unmap */

/* Request flags */
typedef enum {
    BDRV_REQ_COPY_ON_READ = 0x1,   /* store what came from the backing */
    BDRV_REQ_ZERO_WRITE   = 0x2,
    BDRV_REQ_MAY_UNMAP    = 0x4,
    BDRV_REQ_FUA          = 0x10,
    BDRV_REQ_WRITE_UNCHANGED = 0x40, /* data the node already reads */
    BDRV_REQ_SERIALISING  = 0x80,
    BDRV_REQ_NO_FALLBACK  = 0x100,
    BDRV_REQ_MASK         = 0x3ff,
} BdrvRequestFlags;

/* Block status answer bits */
#define BDRV_BLOCK_DATA         0x01
#define BDRV_BLOCK_ZERO         0x02
#define BDRV_BLOCK_OFFSET_VALID 0x04
#define BDRV_BLOCK_RAW          0x08
#define BDRV_BLOCK_ALLOCATED    0x10
#define BDRV_BLOCK_EOF          0x20
#define BDRV_BLOCK_RECURSE      0x40

/* Permissions held and shared by the users of a node (bits 0 to 3). */
enum {
    BLK_PERM_CONSISTENT_READ = 0x01,
    BLK_PERM_WRITE           = 0x02,
    BLK_PERM_WRITE_UNCHANGED = 0x04,
    BLK_PERM_RESIZE          = 0x08,
    BLK_PERM_ALL             = 0x0f,
};
#define BLK_PERM_COUNT 4

/* What bdrv_get_info() reports about an image format */
typedef struct BlockDriverInfo {
    int cluster_size;              /* 0 if the format has no clusters */
    int64_t vm_state_offset;
    bool is_dirty;                 /* the image was not closed cleanly */
} BlockDriverInfo;

/* Cluster counts of an image, filled in by a check */
typedef struct BlockFragInfo {
    uint64_t allocated_clusters;
    uint64_t total_clusters;
    uint64_t fragmented_clusters;
    uint64_t compressed_clusters;
} BlockFragInfo;

/* Result of bdrv_check(), the fields qemu-img check prints */
typedef struct BdrvCheckResult {
    int corruptions;
    int leaks;
    int check_errors;
    int corruptions_fixed;
    int leaks_fixed;
    int64_t image_end_offset;
    BlockFragInfo bfi;
} BdrvCheckResult;

/* What bdrv_check() may repair */
typedef enum {
    BDRV_FIX_LEAKS    = 1,
    BDRV_FIX_ERRORS   = 2,
} BdrvCheckMode;

/* Largest request, in bytes, that the block layer accepts. */
#define BDRV_REQUEST_MAX_BYTES  (INT_MAX & ~511)
#define BDRV_SECTOR_SIZE 512
#define BDRV_SECTOR_BITS 9
/* Images may not be larger than this (as QEMU limits them). */
#define BDRV_MAX_LENGTH (QEMU_ALIGN_DOWN(INT64_MAX, BDRV_REQUEST_MAX_BYTES))

/** bdrv_init: register the built-in drivers; idempotent. */
void bdrv_init(void);

/**
 * bdrv_find_format: the registered driver named @format_name, or NULL.
 */
BlockDriver *bdrv_find_format(const char *format_name);

/**
 * bdrv_open: open a node (and the children its options describe).
 * @filename: legacy file name, or NULL; with no "driver" option the format
 *            is probed from the file's first bytes.
 * @reference: name of an existing node to take a new reference on, or NULL.
 * @options: options, flattened ("file.filename") or nested as QMP gives
 *           them, values as strings or typed QObjects (consumed: the
 *           caller's reference is taken).
 * @flags: BDRV_O_* flags.
 * Returns the node with one reference held for the caller, or NULL.
 */
BlockDriverState *bdrv_open(const char *filename, const char *reference,
                            QDict *options, int flags, Error **errp);

/**
 * bdrv_create: create the image @filename with driver @drv from flattened
 * creation options @opts (not consumed), e.g. "size", "preallocation".
 * Returns 0 or -errno.
 */
int bdrv_create(BlockDriver *drv, const char *filename, QDict *opts,
                Error **errp);

/**
 * bdrv_probe_warning: for a node whose format was probed as raw, the
 * warning QEMU's tools print about it (lines joined by newlines, no
 * trailing newline); NULL otherwise.  Free with g_free().
 */
char *bdrv_probe_warning(BlockDriverState *bs);

/**
 * bdrv_reopen_set_read_only: switch @bs and the nodes under it that hold
 * its data (not backing files) between read-only and read-write.  Fails,
 * changing nothing, if a parent still writes or a driver cannot reopen.
 */
int bdrv_reopen_set_read_only(BlockDriverState *bs, bool read_only,
                              Error **errp);

/** bdrv_ref: take a reference on @bs. */
void bdrv_ref(BlockDriverState *bs);

/** bdrv_unref: drop a reference; the last one closes and frees @bs. */
void bdrv_unref(BlockDriverState *bs);

/** bdrv_find_node: the node named @node_name, or NULL. */
BlockDriverState *bdrv_find_node(const char *node_name);

/**
 * bdrv_next_node: iterate over all nodes in creation order; pass NULL to
 * get the first.  Returns NULL after the last.
 */
BlockDriverState *bdrv_next_node(BlockDriverState *bs);

/** bdrv_get_node_name: the node's name (user-given or #blockNNN). */
const char *bdrv_get_node_name(const BlockDriverState *bs);

/** bdrv_get_format_name: the driver's format name, or NULL. */
const char *bdrv_get_format_name(BlockDriverState *bs);

/** bdrv_is_read_only: whether the node was opened read-only. */
bool bdrv_is_read_only(BlockDriverState *bs);

/**
 * bdrv_getlength: the node's size in bytes (cached: refreshed at open,
 * truncate and growing writes), or -ENOMEDIUM.
 */
int64_t bdrv_getlength(BlockDriverState *bs);

/**
 * bdrv_get_allocated_file_size: host bytes the image occupies (qemu-img
 * info's "disk size"), summed over the data children of formats, or
 * -ENOTSUP / -errno.
 */
int64_t bdrv_get_allocated_file_size(BlockDriverState *bs);

/**
 * bdrv_has_zero_init: whether a freshly created image of this node reads
 * as zeroes (a regular file does; a block device need not).
 */
bool bdrv_has_zero_init(BlockDriverState *bs);

/** bdrv_get_refcnt: number of references held on @bs (for tests). */
int bdrv_get_refcnt(BlockDriverState *bs);

/**
 * bdrv_get_info: format facts (cluster size, dirty flag) of @bs.
 * Returns 0, or -ENOTSUP if the driver has none, or -errno.
 */
int bdrv_get_info(BlockDriverState *bs, BlockDriverInfo *bdi);

/**
 * bdrv_check: check the image's metadata, repairing what @fix allows;
 * @res is zeroed first.  Returns 0 (the counts say what was found),
 * -ENOTSUP if the format cannot be checked, or -errno.
 */
int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res, BdrvCheckMode fix);

/**
 * bdrv_change_backing_file: write @backing_file (NULL or "" for none) and
 * @backing_fmt (NULL: unnamed) into the image's metadata, as rebase,
 * stream and commit do after changing the chain.  The graph itself is
 * not changed.  Returns 0, or -errno with @errp set (-ENOTSUP if the
 * format has no backing file field).
 */
int bdrv_change_backing_file(BlockDriverState *bs, const char *backing_file,
                             const char *backing_fmt, Error **errp);

/** bdrv_perm_names: "write, resize" style list of the bits in @perm. */
char *bdrv_perm_names(uint64_t perm);

/* I/O, coroutine forms: return 0 or -errno. */

/** bdrv_co_preadv: read @bytes at @offset of @child's node into @qiov. */
int coroutine_fn bdrv_co_preadv(BdrvChild *child, int64_t offset,
                                int64_t bytes, QEMUIOVector *qiov,
                                BdrvRequestFlags flags);
/** bdrv_co_pwritev: write @qiov to @bytes at @offset of @child's node. */
int coroutine_fn bdrv_co_pwritev(BdrvChild *child, int64_t offset,
                                 int64_t bytes, QEMUIOVector *qiov,
                                 BdrvRequestFlags flags);
/** bdrv_co_pwrite_zeroes: make @bytes at @offset read as zeroes. */
int coroutine_fn bdrv_co_pwrite_zeroes(BdrvChild *child, int64_t offset,
                                       int64_t bytes, BdrvRequestFlags flags);
/** bdrv_co_pdiscard: tell the node @bytes at @offset are unused. */
int coroutine_fn bdrv_co_pdiscard(BdrvChild *child, int64_t offset,
                                  int64_t bytes);
/** bdrv_co_flush: make written data stable, down the whole subtree. */
int coroutine_fn bdrv_co_flush(BlockDriverState *bs);
/**
 * bdrv_co_truncate: resize the node to @offset bytes.  @exact: fail if the
 * node cannot be exactly that size.  @prealloc: how to fill new space.
 */
int coroutine_fn bdrv_co_truncate(BdrvChild *child, int64_t offset,
                                  bool exact, PreallocMode prealloc,
                                  Error **errp);
/**
 * bdrv_co_block_status: status of the range at @offset of @bs alone.
 * Returns BDRV_BLOCK_* bits or -errno; *@pnum gets the length with that
 * status (>0 unless at end of file), *@map the host offset if
 * BDRV_BLOCK_OFFSET_VALID, *@file the node holding the data.
 */
int coroutine_fn bdrv_co_block_status(BlockDriverState *bs, int64_t offset,
                                      int64_t bytes, int64_t *pnum,
                                      int64_t *map, BlockDriverState **file);
/**
 * bdrv_co_block_status_above: like bdrv_co_block_status(), through the
 * backing chain of @bs down to (not including) @base.  Unallocated ranges
 * of the whole chain read as zeroes.
 */
int coroutine_fn bdrv_co_block_status_above(BlockDriverState *bs,
                                            BlockDriverState *base,
                                            int64_t offset, int64_t bytes,
                                            int64_t *pnum, int64_t *map,
                                            BlockDriverState **file);

/** bdrv_co_is_allocated_above: see bdrv_is_allocated_above(). */
int coroutine_fn bdrv_co_is_allocated_above(BlockDriverState *top,
                                            BlockDriverState *base,
                                            bool include_base,
                                            int64_t offset, int64_t bytes,
                                            int64_t *pnum);

/* Synchronous forms, for callers outside coroutines. */

/** bdrv_pread: read @bytes at @offset into @buf; 0 or -errno. */
int bdrv_pread(BdrvChild *child, int64_t offset, int64_t bytes, void *buf,
               BdrvRequestFlags flags);
/** bdrv_pwrite: write @bytes of @buf at @offset; 0 or -errno. */
int bdrv_pwrite(BdrvChild *child, int64_t offset, int64_t bytes,
                const void *buf, BdrvRequestFlags flags);
/** bdrv_pwrite_zeroes: synchronous bdrv_co_pwrite_zeroes(). */
int bdrv_pwrite_zeroes(BdrvChild *child, int64_t offset, int64_t bytes,
                       BdrvRequestFlags flags);
/** bdrv_pdiscard: synchronous bdrv_co_pdiscard(). */
int bdrv_pdiscard(BdrvChild *child, int64_t offset, int64_t bytes);
/** bdrv_flush: synchronous bdrv_co_flush(). */
int bdrv_flush(BlockDriverState *bs);
/** bdrv_truncate: synchronous bdrv_co_truncate(). */
int bdrv_truncate(BdrvChild *child, int64_t offset, bool exact,
                  PreallocMode prealloc, Error **errp);
/** bdrv_block_status: synchronous bdrv_co_block_status(). */
int bdrv_block_status(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      int64_t *pnum, int64_t *map, BlockDriverState **file);
/** bdrv_block_status_above: synchronous bdrv_co_block_status_above(). */
int bdrv_block_status_above(BlockDriverState *bs, BlockDriverState *base,
                            int64_t offset, int64_t bytes, int64_t *pnum,
                            int64_t *map, BlockDriverState **file);
/**
 * bdrv_is_allocated_above: 1 if the range at @offset is allocated in some
 * node from @top down to (not including) @base, 0 if not, -errno on error;
 * *@pnum gets the length with the same answer.  @include_base: count @base
 * too.
 */
int bdrv_is_allocated_above(BlockDriverState *top, BlockDriverState *base,
                            bool include_base, int64_t offset,
                            int64_t bytes, int64_t *pnum);

/* Drain: wait for requests to finish and keep new ones out. */

/**
 * bdrv_drained_begin: quiesce @bs and its node ancestors and wait for
 * their requests.  From a coroutine it yields until they are done; the
 * caller must not itself be a request on @bs.
 */
void bdrv_drained_begin(BlockDriverState *bs);
/** bdrv_drained_end: let requests to @bs run again. */
void bdrv_drained_end(BlockDriverState *bs);
/** bdrv_drain_all_begin: quiesce every node. */
void bdrv_drain_all_begin(void);
/** bdrv_drain_all_end: end bdrv_drain_all_begin(). */
void bdrv_drain_all_end(void);
/** bdrv_get_in_flight: requests of @bs still running (for tests). */
unsigned bdrv_get_in_flight(BlockDriverState *bs);

/* Dirty tracking: every write to the node marks each registered bitmap. */

/** bdrv_add_dirty_hbitmap: mark @hb (byte-granular items) on writes. */
void bdrv_add_dirty_hbitmap(BlockDriverState *bs, HBitmap *hb);
/** bdrv_remove_dirty_hbitmap: stop marking @hb. */
void bdrv_remove_dirty_hbitmap(BlockDriverState *bs, HBitmap *hb);
/** bdrv_set_dirty: mark @bytes at @offset in every registered bitmap. */
void bdrv_set_dirty(BlockDriverState *bs, int64_t offset, int64_t bytes);

/**
 * qemu_blockalign: @size bytes aligned for direct I/O on @bs (at least
 * 4096); free with qemu_vfree().
 */
void *qemu_blockalign(BlockDriverState *bs, size_t size);
/** qemu_vfree: free memory from qemu_blockalign(); NULL is ignored. */
void qemu_vfree(void *ptr);

#endif
