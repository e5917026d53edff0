/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver-facing side of the block layer: the BlockDriver table every
 * driver fills, the node (BlockDriverState), the edge (BdrvChild) and
 * the limits and request structures block/io.c works with.
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "block/block.h"
#include "block/blkdebug-event.h"
#include "block/snapshot.h"
#include "block/amend.h"
#include "qemu/queue.h"

/* Roles of an edge, combinable as in QEMU. */
typedef enum BdrvChildRole {
    BDRV_CHILD_DATA      = 1 << 0,  /* guest data lives in the child */
    BDRV_CHILD_METADATA  = 1 << 1,  /* image metadata lives there */
    BDRV_CHILD_FILTERED  = 1 << 2,  /* the parent is a filter over it */
    BDRV_CHILD_COW       = 1 << 3,  /* backing file for copy-on-write */
    BDRV_CHILD_PRIMARY   = 1 << 4,  /* the parent's primary child */
    BDRV_CHILD_IMAGE     = BDRV_CHILD_DATA | BDRV_CHILD_METADATA,
} BdrvChildRole;

/* detect-zeroes: turn writes of zero buffers into zero writes */
enum {
    BDRV_DETECT_ZEROES_OFF,
    BDRV_DETECT_ZEROES_ON,
    BDRV_DETECT_ZEROES_UNMAP,      /* ... that may also unmap */
};

/* Limits a node answers once at open (0 means "no limit / default"). */
typedef struct BlockLimits {
    uint32_t request_alignment;   /* power of two, >= 1 */
    int64_t max_transfer;         /* multiple of request_alignment, or 0 */
    int64_t opt_transfer;
    int64_t pdiscard_alignment;
    int64_t max_pdiscard;
    int64_t pwrite_zeroes_alignment;
    int64_t max_pwrite_zeroes;
    size_t min_mem_alignment;     /* buffer alignment for O_DIRECT */
} BlockLimits;

/* One node's part in a reopen: what it becomes, and the driver's state */
typedef struct BDRVReopenState {
    BlockDriverState *bs;
    int flags;                     /* new BDRV_O_* flags */
    bool read_only;
    void *opaque;                  /* the driver's prepared resources */
} BDRVReopenState;

struct BlockDriver {
    const char *format_name;
    int instance_size;                 /* size of bs->opaque */
    const char *protocol_name;         /* set for protocol drivers */
    bool is_filter;
    /* Options this driver accepts besides the common ones. */
    const char *const *runtime_opts;

    /* Score 0..100 that @buf (first bytes of the file) is this format. */
    int (*bdrv_probe)(const uint8_t *buf, int buf_size,
                      const char *filename);
    /*
     * Open: consume this driver's keys from @options (the core rejects
     * whatever is left).  Children are opened with bdrv_open_child().
     */
    int (*bdrv_open)(BlockDriverState *bs, QDict *options, int flags,
                     Error **errp);
    void (*bdrv_close)(BlockDriverState *bs);
    /*
     * Reopen with new flags: prepare may fail and must leave the node
     * working as before; then exactly one of commit or abort follows.
     */
    int (*bdrv_reopen_prepare)(BDRVReopenState *state, Error **errp);
    void (*bdrv_reopen_commit)(BDRVReopenState *state);
    void (*bdrv_reopen_abort)(BDRVReopenState *state);
    void (*bdrv_refresh_limits)(BlockDriverState *bs, Error **errp);
    int64_t (*bdrv_getlength)(BlockDriverState *bs);
    /* Host bytes in use; formats without it sum their children's */
    int64_t (*bdrv_get_allocated_file_size)(BlockDriverState *bs);
    /* New images read as zeroes; formats without it ask their file */
    int (*bdrv_has_zero_init)(BlockDriverState *bs);

    /* Permissions the node needs on @c given what its parents need. */
    void (*bdrv_child_perm)(BlockDriverState *bs, BdrvChild *c,
                            BdrvChildRole role, uint64_t perm,
                            uint64_t shared, uint64_t *nperm,
                            uint64_t *nshared);
    /* Permission transaction of the node itself (file locking). */
    int (*bdrv_check_perm)(BlockDriverState *bs, uint64_t perm,
                           uint64_t shared, Error **errp);
    void (*bdrv_set_perm)(BlockDriverState *bs, uint64_t perm,
                          uint64_t shared);
    void (*bdrv_abort_perm_update)(BlockDriverState *bs);

    int coroutine_fn (*bdrv_co_preadv)(BlockDriverState *bs, int64_t offset,
                                       int64_t bytes, QEMUIOVector *qiov,
                                       BdrvRequestFlags flags);
    int coroutine_fn (*bdrv_co_pwritev)(BlockDriverState *bs, int64_t offset,
                                        int64_t bytes, QEMUIOVector *qiov,
                                        BdrvRequestFlags flags);
    int coroutine_fn (*bdrv_co_pwrite_zeroes)(BlockDriverState *bs,
                                              int64_t offset, int64_t bytes,
                                              BdrvRequestFlags flags);
    int coroutine_fn (*bdrv_co_pdiscard)(BlockDriverState *bs,
                                         int64_t offset, int64_t bytes);
    int coroutine_fn (*bdrv_co_flush)(BlockDriverState *bs);
    int coroutine_fn (*bdrv_co_block_status)(BlockDriverState *bs,
                                             int64_t offset, int64_t bytes,
                                             int64_t *pnum, int64_t *map,
                                             BlockDriverState **file);
    int coroutine_fn (*bdrv_co_truncate)(BlockDriverState *bs,
                                         int64_t offset, bool exact,
                                         PreallocMode prealloc,
                                         Error **errp);
    /* Format facts; only formats with clusters or a dirty flag. */
    int (*bdrv_get_info)(BlockDriverState *bs, BlockDriverInfo *bdi);
    /* Metadata check and repair, as qemu-img check runs it */
    int coroutine_fn (*bdrv_co_check)(BlockDriverState *bs,
                                      BdrvCheckResult *res,
                                      BdrvCheckMode fix);
    /* Create an image named @filename from flattened @options. */
    int coroutine_fn (*bdrv_co_create_opts)(BlockDriver *drv,
                                            const char *filename,
                                            QDict *options, Error **errp);

    /*
     * Rewrite the image's backing file name and format (NULL: none) in
     * its metadata; the graph is not touched.  0 or -errno.
     */
    int (*bdrv_change_backing_file)(BlockDriverState *bs,
                                    const char *backing_file,
                                    const char *backing_fmt);

    /* blkdebug: an event happened at this node */
    void (*bdrv_debug_event)(BlockDriverState *bs, BlkdebugEvent event);

    /* Internal snapshots (block/snapshot.c has the contracts). */
    int (*bdrv_snapshot_list)(BlockDriverState *bs,
                              QEMUSnapshotInfo **psn_info);
    int (*bdrv_snapshot_load_tmp)(BlockDriverState *bs,
                                  const char *snapshot_id, const char *name,
                                  Error **errp);
    /* qemu-img amend (block/amend.h): the options and the change. */
    QemuOptsList *amend_opts;
    int (*bdrv_amend_options)(BlockDriverState *bs, QemuOpts *opts,
                              BlockDriverAmendStatusCB *status_cb,
                              void *cb_opaque, bool force, Error **errp);

    /* Request flags the driver honours itself. */
    BdrvRequestFlags supported_write_flags;
    BdrvRequestFlags supported_zero_flags;

    QLIST_ENTRY(BlockDriver) list;
};

/* Callbacks that make the parent of an edge a node or something else. */
struct BdrvChildClass {
    bool parent_is_bds;
    /* "node 'x'" or "block device 'y'", for permission errors */
    char *(*get_parent_desc)(BdrvChild *c);
};

/* The class of edges whose parent is a BlockDriverState. */
extern const BdrvChildClass child_of_bds;

struct BdrvChild {
    BlockDriverState *bs;          /* the child node */
    char *name;                    /* "file", "backing", "root"... */
    const BdrvChildClass *klass;
    BdrvChildRole role;
    void *opaque;                  /* the parent */
    uint64_t perm;                 /* BLK_PERM_* held */
    uint64_t shared_perm;          /* BLK_PERM_* others may hold */
    QLIST_ENTRY(BdrvChild) next;         /* in the parent's children */
    QLIST_ENTRY(BdrvChild) next_parent;  /* in the child's parents */
};

/* An in-flight request, kept so overlapping serialising ones can wait. */
typedef struct BdrvTrackedRequest {
    BlockDriverState *bs;
    int64_t offset;
    int64_t bytes;
    bool is_write;
    bool serialising;
    Coroutine *co;
    CoQueue wait_queue;            /* requests waiting for this one */
    QTAILQ_ENTRY(BdrvTrackedRequest) list;
} BdrvTrackedRequest;

struct BlockDriverState {
    BlockDriver *drv;
    void *opaque;                  /* drv->instance_size bytes */
    char node_name[32];
    char filename[4096];           /* what was opened, for messages */
    QDict *options;                /* flattened open options */
    int open_flags;                /* BDRV_O_* */
    bool read_only;
    bool probed;                   /* format guessed: protect sector 0 */
    bool force_share;              /* share every permission (read-only) */
    int detect_zeroes;             /* BDRV_DETECT_ZEROES_* */
    int64_t total_bytes;           /* cached size, see bdrv_getlength() */
    BlockLimits bl;
    int refcnt;

    QLIST_HEAD(, BdrvChild) children;
    QLIST_HEAD(, BdrvChild) parents;
    BdrvChild *file;               /* the "file" child, if any */
    BdrvChild *backing;            /* the "backing" child, if any */

    /* Permissions all parents hold / share, from the last update. */
    uint64_t cumulative_perm;
    uint64_t cumulative_shared_perm;

    QTAILQ_HEAD(, BdrvTrackedRequest) tracked_requests;
    /* Serialising ones among them: none means nobody has to wait. */
    int serialising_in_flight;
    unsigned in_flight;
    int quiesce_counter;           /* > 0 while drained */
    CoQueue drain_queue;           /* requests held back by drain */
    GPtrArray *dirty_bitmaps;      /* HBitmap *, marked on every write */

    QTAILQ_ENTRY(BlockDriverState) node_list;
};

/** bdrv_register: make @drv known by its format_name. */
void bdrv_register(BlockDriver *drv);

/**
 * bdrv_open_child: open the child called @name from the "@name.*" keys of
 * @options (or the node named by the string option @name) and attach it
 * to @parent with @role.  Returns the edge, or NULL (with @errp set, or
 * silently when @allow_none and no such option exists).
 */
BdrvChild *bdrv_open_child(const char *filename, QDict *options,
                           const char *name, BlockDriverState *parent,
                           BdrvChildRole role, bool allow_none,
                           Error **errp);

/**
 * bdrv_attach_child: add an edge from @parent_bs to @child_bs, taking a
 * new reference on @child_bs; permissions follow the parent's driver.
 * Returns NULL (graph unchanged) if permissions conflict.
 */
BdrvChild *bdrv_attach_child(BlockDriverState *parent_bs,
                             BlockDriverState *child_bs,
                             const char *child_name, BdrvChildRole role,
                             Error **errp);

/**
 * bdrv_root_attach_child: add an edge from a non-node parent (@opaque
 * with @klass) to @child_bs with explicit @perm and @shared_perm.
 */
BdrvChild *bdrv_root_attach_child(BlockDriverState *child_bs,
                                  const char *child_name,
                                  const BdrvChildClass *klass,
                                  BdrvChildRole role, uint64_t perm,
                                  uint64_t shared_perm, void *opaque,
                                  Error **errp);

/** bdrv_root_unref_child: remove a non-node edge and unref its child. */
void bdrv_root_unref_child(BdrvChild *child);

/** bdrv_unref_child: remove an edge of @parent and unref the child. */
void bdrv_unref_child(BlockDriverState *parent, BdrvChild *child);

/**
 * bdrv_child_try_set_perm: change what the edge holds and shares,
 * updating the subtree; unchanged on failure.
 */
int bdrv_child_try_set_perm(BdrvChild *c, uint64_t perm, uint64_t shared,
                            Error **errp);

/**
 * bdrv_refresh_perms: recompute permissions of @bs and its subtree from
 * its parents' edges.  On failure nothing changes.
 */
int bdrv_refresh_perms(BlockDriverState *bs, Error **errp);

/**
 * bdrv_default_perms: child permissions of a format or filter node: what
 * its parents need passes down, plus what the role implies (a writable
 * format node writes and resizes its file child; metadata needs
 * consistent reads).
 */
void bdrv_default_perms(BlockDriverState *bs, BdrvChild *c,
                        BdrvChildRole role, uint64_t perm, uint64_t shared,
                        uint64_t *nperm, uint64_t *nshared);

/** bdrv_backing_bs: the node of the "backing" child, or NULL. */
BlockDriverState *bdrv_backing_bs(BlockDriverState *bs);

/** bdrv_get_parent_desc: description of the parent of @c for messages. */
char *bdrv_child_parent_desc(BdrvChild *c);

/** bdrv_inc_in_flight: count a request (or work) on @bs for drain. */
void bdrv_inc_in_flight(BlockDriverState *bs);
/** bdrv_dec_in_flight: end of bdrv_inc_in_flight(); wakes drain. */
void bdrv_dec_in_flight(BlockDriverState *bs);

/**
 * bdrv_parse_discard_flags: set BDRV_O_UNMAP in *@flags for "unmap"/"on",
 * clear it for "ignore"/"off"; other values are an error.
 */
bool bdrv_parse_discard_flags(const char *mode, int *flags, Error **errp);

/** bdrv_probe_all: the driver whose probe scores @buf highest. */
BlockDriver *bdrv_probe_all(const uint8_t *buf, int buf_size,
                            const char *filename);

/**
 * bdrv_unref_child_noperm: remove the edge @c of @parent without updating
 * permissions or dropping the child's reference (rollback helper).
 */
void bdrv_unref_child_noperm(BlockDriverState *parent, BdrvChild *c);

/**
 * bdrv_replace_node: make every parent of @from (except @to itself, when
 * @to is a filter above @from) point at @to instead.  Run it drained.
 * Returns 0, or -EPERM with the graph unchanged if @to cannot grant the
 * parents' permissions.
 */
int bdrv_replace_node(BlockDriverState *from, BlockDriverState *to,
                      Error **errp);

/**
 * bdrv_set_backing_hd: make @backing_hd (or nothing, if NULL) the
 * "backing" child of @bs, replacing the old one.  Unchanged on failure.
 */
int bdrv_set_backing_hd(BlockDriverState *bs, BlockDriverState *backing_hd,
                        Error **errp);

/**
 * bdrv_refresh_total_bytes: re-read the node's size, cached in
 * bs->total_bytes, from the driver; a driver without bdrv_getlength
 * takes @hint (if >= 0) or its file child's size.  0 or -errno.
 */
int bdrv_refresh_total_bytes(BlockDriverState *bs, int64_t hint);

/**
 * bdrv_debug_event: tell @bs's driver (a blkdebug node, if it is one) that
 * @event happened; formats raise events on their file child with
 * BLKDBG_EVENT().  No-op for NULL or other drivers.
 */
void bdrv_debug_event(BlockDriverState *bs, BlkdebugEvent event);

#define BLKDBG_EVENT(child, evt) \
    do { \
        if (child) { \
            bdrv_debug_event((child)->bs, evt); \
        } \
    } while (0)

/**
 * bdrv_node_list_move_before: move @bs just before @before in the list
 * of nodes, so that the listing order (query-named-block-nodes) is
 * QEMU's, where a format's file node comes before the format node.
 */
void bdrv_node_list_move_before(BlockDriverState *bs,
                                BlockDriverState *before);

/** bdrv_close_children: detach and unref every child of @bs. */
void bdrv_close_children(BlockDriverState *bs);

/**
 * bdrv_opt_take_bool: read the bool option @key ("on"/"off" or a QBool)
 * into *@out (or @def when absent) and remove it from @opts.
 */
bool bdrv_opt_take_bool(QDict *opts, const char *key, bool def, bool *out,
                        Error **errp);

/**
 * bdrv_opt_take_size: read the size option @key (a number or a string
 * with an optional k/M/G/T/P/E suffix) into *@out and remove it.
 */
bool bdrv_opt_take_size(QDict *opts, const char *key, uint64_t def,
                        uint64_t *out, Error **errp);

/** bdrv_opt_take_str: remove the string option @key; a copy or NULL. */
char *bdrv_opt_take_str(QDict *opts, const char *key);

#endif
