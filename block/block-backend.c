/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BlockBackend: one root edge, a name, range checks, statistics, and the
 * drain gate (requests wait while the root node is quiesced, before they
 * count as in flight, so drain never waits for them).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/timer.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/aio-wait.h"
#include "block/co-sync.h"

struct BlockBackend {
    char *name;
    char *dev_id;                /* the attached device, for messages */
    int refcnt;
    BdrvChild *root;
    AioContext *ctx;
    uint64_t perm;
    uint64_t shared_perm;
    bool allow_write_beyond_eof;
    bool writethrough;           /* write cache off: every write is FUA */
    BlockAcctStats stats;
    QTAILQ_ENTRY(BlockBackend) link;        /* in named_backends */
};

static QTAILQ_HEAD(, BlockBackend) named_backends =
    QTAILQ_HEAD_INITIALIZER(named_backends);

static char *blk_root_get_parent_desc(BdrvChild *c)
{
    BlockBackend *blk = c->opaque;

    if (blk->name) {
        return g_strdup_printf("block device '%s'", blk->name);
    }
    if (blk->dev_id) {
        return g_strdup_printf("block device '%s'", blk->dev_id);
    }
    return g_strdup("an unnamed block device");
}

static const BdrvChildClass child_root = {
    .parent_is_bds = false,
    .get_parent_desc = blk_root_get_parent_desc,
};

BlockBackend *blk_new(AioContext *ctx, uint64_t perm, uint64_t shared_perm)
{
    BlockBackend *blk = g_new0(BlockBackend, 1);

    blk->refcnt = 1;
    blk->ctx = ctx ? ctx : qemu_get_aio_context();
    blk->perm = perm;
    blk->shared_perm = shared_perm;
    return blk;
}

BlockBackend *blk_new_open(const char *filename, const char *reference,
                           QDict *options, int flags, Error **errp)
{
    uint64_t perm = BLK_PERM_CONSISTENT_READ, shared = BLK_PERM_ALL;
    BlockDriverState *bs;
    BlockBackend *blk;
    int ret;

    if (flags & BDRV_O_RDWR) {
        perm |= BLK_PERM_WRITE;
    }
    if (flags & BDRV_O_RESIZE) {
        perm |= BLK_PERM_RESIZE;
    }
    if (flags & BDRV_O_NO_SHARE) {
        shared = BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED;
    }
    bs = bdrv_open(filename, reference, options, flags, errp);
    if (!bs) {
        return NULL;
    }
    blk = blk_new(NULL, perm, shared);
    ret = blk_insert_bs(blk, bs, errp);
    bdrv_unref(bs);
    if (ret < 0) {
        blk_unref(blk);
        return NULL;
    }
    return blk;
}

void blk_ref(BlockBackend *blk)
{
    blk->refcnt++;
}

void blk_unref(BlockBackend *blk)
{
    if (!blk || --blk->refcnt > 0) {
        return;
    }
    blk_remove_bs(blk);
    if (blk->name) {
        QTAILQ_REMOVE(&named_backends, blk, link);
        g_free(blk->name);
    }
    g_free(blk->dev_id);
    g_free(blk);
}

int blk_insert_bs(BlockBackend *blk, BlockDriverState *bs, Error **errp)
{
    assert(!blk->root);
    blk->root = bdrv_root_attach_child(bs, "root", &child_root,
                                       BDRV_CHILD_FILTERED |
                                       BDRV_CHILD_PRIMARY,
                                       blk->perm, blk->shared_perm, blk,
                                       errp);
    return blk->root ? 0 : -EPERM;
}

void blk_remove_bs(BlockBackend *blk)
{
    BdrvChild *root = blk->root;

    if (!root) {
        return;
    }
    bdrv_drained_begin(root->bs);
    bdrv_drained_end(root->bs);
    blk->root = NULL;
    bdrv_root_unref_child(root);
}

BlockDriverState *blk_bs(BlockBackend *blk)
{
    return blk->root ? blk->root->bs : NULL;
}

BdrvChild *blk_root(BlockBackend *blk)
{
    return blk->root;
}

int blk_set_perm(BlockBackend *blk, uint64_t perm, uint64_t shared_perm,
                 Error **errp)
{
    if (blk->root &&
        bdrv_child_try_set_perm(blk->root, perm, shared_perm, errp) < 0) {
        return -EPERM;
    }
    blk->perm = perm;
    blk->shared_perm = shared_perm;
    return 0;
}

void blk_get_perm(BlockBackend *blk, uint64_t *perm, uint64_t *shared_perm)
{
    *perm = blk->perm;
    *shared_perm = blk->shared_perm;
}

bool blk_set_name(BlockBackend *blk, const char *name, Error **errp)
{
    assert(!blk->name);
    if (!id_wellformed(name)) {
        error_setg(errp, "Invalid device name");
        return false;
    }
    if (blk_by_name(name)) {
        error_setg(errp, "Device with id '%s' already exists", name);
        return false;
    }
    if (bdrv_find_node(name)) {
        error_setg(errp, "Device name '%s' conflicts with an existing node "
                   "name", name);
        return false;
    }
    blk->name = g_strdup(name);
    QTAILQ_INSERT_TAIL(&named_backends, blk, link);
    return true;
}

void blk_set_attached_dev_id(BlockBackend *blk, const char *dev_id)
{
    g_free(blk->dev_id);
    blk->dev_id = g_strdup(dev_id);
}

const char *blk_get_attached_dev_id(BlockBackend *blk)
{
    return blk->dev_id ?: "";
}

const char *blk_name(const BlockBackend *blk)
{
    return blk->name ?: "";
}

BlockBackend *blk_by_name(const char *name)
{
    BlockBackend *blk;

    QTAILQ_FOREACH(blk, &named_backends, link) {
        if (!strcmp(blk->name, name)) {
            return blk;
        }
    }
    return NULL;
}

BlockBackend *blk_next(BlockBackend *blk)
{
    return blk ? QTAILQ_NEXT(blk, link) : QTAILQ_FIRST(&named_backends);
}

void blk_set_allow_write_beyond_eof(BlockBackend *blk, bool allow)
{
    blk->allow_write_beyond_eof = allow;
}

void blk_set_enable_write_cache(BlockBackend *blk, bool wce)
{
    blk->writethrough = !wce;
}

bool blk_enable_write_cache(BlockBackend *blk)
{
    return !blk->writethrough;
}

BlockAcctStats *blk_get_stats(BlockBackend *blk)
{
    return &blk->stats;
}

int64_t blk_getlength(BlockBackend *blk)
{
    if (!blk->root) {
        return -ENOMEDIUM;
    }
    return bdrv_getlength(blk->root->bs);
}

/* Requests */

static int blk_check_byte_request(BlockBackend *blk, int64_t offset,
                                  int64_t bytes, bool is_write)
{
    int64_t len;

    if (!blk->root) {
        return -ENOMEDIUM;
    }
    if (offset < 0 || bytes < 0) {
        return -EIO;
    }
    if (is_write && blk->allow_write_beyond_eof) {
        return 0;
    }
    len = blk_getlength(blk);
    if (len < 0) {
        return len;
    }
    if (offset > len || len - offset < bytes) {
        return -EIO;
    }
    return 0;
}

/* Hold requests back while the root is drained; then count them. */
static void coroutine_fn blk_request_begin(BlockBackend *blk)
{
    BlockDriverState *bs = blk->root->bs;

    while (bs->quiesce_counter > 0) {
        qemu_co_queue_wait(&bs->drain_queue, NULL);
    }
    bdrv_inc_in_flight(bs);
}

static void blk_account(BlockBackend *blk, enum BlockAcctType type,
                        int64_t offset, int64_t bytes, int64_t start_ns,
                        int ret)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

    if (ret < 0) {
        blk->stats.failed_ops[type]++;
        return;
    }
    blk->stats.nr_ops[type]++;
    blk->stats.nr_bytes[type] += bytes;
    blk->stats.total_time_ns[type] += now - start_ns;
    blk->stats.last_access_time_ns = now;
    if (type == BLOCK_ACCT_WRITE) {
        blk->stats.wr_highest_offset = MAX(blk->stats.wr_highest_offset,
                                           offset + bytes);
    }
}

typedef enum {
    BLK_OP_READ, BLK_OP_WRITE, BLK_OP_ZEROES, BLK_OP_DISCARD, BLK_OP_FLUSH,
} BlkOp;

static enum BlockAcctType blk_op_acct(BlkOp op)
{
    switch (op) {
    case BLK_OP_READ:
        return BLOCK_ACCT_READ;
    case BLK_OP_DISCARD:
        return BLOCK_ACCT_UNMAP;
    case BLK_OP_FLUSH:
        return BLOCK_ACCT_FLUSH;
    default:
        return BLOCK_ACCT_WRITE;
    }
}

static int coroutine_fn blk_co_request(BlockBackend *blk, BlkOp op,
                                       int64_t offset, int64_t bytes,
                                       QEMUIOVector *qiov,
                                       BdrvRequestFlags flags)
{
    int64_t start = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    BlockDriverState *bs;
    int ret = 0;

    if (op != BLK_OP_FLUSH) {
        ret = blk_check_byte_request(blk, offset, bytes, op != BLK_OP_READ);
    } else if (!blk->root) {
        ret = -ENOMEDIUM;
    }
    if (ret < 0) {
        blk->stats.invalid_ops[blk_op_acct(op)]++;
        return ret;
    }
    if (blk->writethrough && op != BLK_OP_READ && op != BLK_OP_FLUSH &&
        op != BLK_OP_DISCARD) {
        flags |= BDRV_REQ_FUA;
    }
    blk_request_begin(blk);
    bs = blk->root->bs;
    switch (op) {
    case BLK_OP_READ:
        ret = bdrv_co_preadv(blk->root, offset, bytes, qiov, flags);
        break;
    case BLK_OP_WRITE:
        ret = bdrv_co_pwritev(blk->root, offset, bytes, qiov, flags);
        break;
    case BLK_OP_ZEROES:
        ret = bdrv_co_pwrite_zeroes(blk->root, offset, bytes, flags);
        break;
    case BLK_OP_DISCARD:
        ret = bdrv_co_pdiscard(blk->root, offset, bytes);
        break;
    case BLK_OP_FLUSH:
        ret = bdrv_co_flush(bs);
        break;
    }
    bdrv_dec_in_flight(bs);
    blk_account(blk, blk_op_acct(op), offset, bytes, start, ret);
    return ret;
}

int coroutine_fn blk_co_preadv(BlockBackend *blk, int64_t offset,
                               int64_t bytes, QEMUIOVector *qiov,
                               BdrvRequestFlags flags)
{
    return blk_co_request(blk, BLK_OP_READ, offset, bytes, qiov, flags);
}

int coroutine_fn blk_co_pwritev(BlockBackend *blk, int64_t offset,
                                int64_t bytes, QEMUIOVector *qiov,
                                BdrvRequestFlags flags)
{
    return blk_co_request(blk, BLK_OP_WRITE, offset, bytes, qiov, flags);
}

int coroutine_fn blk_co_pwrite_zeroes(BlockBackend *blk, int64_t offset,
                                      int64_t bytes, BdrvRequestFlags flags)
{
    return blk_co_request(blk, BLK_OP_ZEROES, offset, bytes, NULL, flags);
}

int coroutine_fn blk_co_pdiscard(BlockBackend *blk, int64_t offset,
                                 int64_t bytes)
{
    return blk_co_request(blk, BLK_OP_DISCARD, offset, bytes, NULL, 0);
}

int coroutine_fn blk_co_flush(BlockBackend *blk)
{
    return blk_co_request(blk, BLK_OP_FLUSH, 0, 0, NULL, 0);
}

int coroutine_fn blk_co_truncate(BlockBackend *blk, int64_t offset,
                                 bool exact, PreallocMode prealloc,
                                 Error **errp)
{
    int ret;

    if (!blk->root) {
        error_setg(errp, "No medium inserted");
        return -ENOMEDIUM;
    }
    blk_request_begin(blk);
    ret = bdrv_co_truncate(blk->root, offset, exact, prealloc, errp);
    bdrv_dec_in_flight(blk->root->bs);
    return ret;
}

/*
 * Synchronous forms: pack the arguments, co_run_sync() runs the coroutine
 * version and polls the backend's context until it has returned.
 */

typedef struct BlkReq {
    BlockBackend *blk;
    BlkOp op;
    int64_t offset, bytes;
    QEMUIOVector *qiov;
    BdrvRequestFlags flags;
    bool exact;
    PreallocMode prealloc;
    Error **errp;
} BlkReq;

static int coroutine_fn blk_request_co(void *opaque)
{
    BlkReq *r = opaque;

    return blk_co_request(r->blk, r->op, r->offset, r->bytes, r->qiov,
                          r->flags);
}

static int blk_request_sync(BlockBackend *blk, BlkOp op, int64_t offset,
                            int64_t bytes, void *buf, BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    BlkReq r = { .blk = blk, .op = op, .offset = offset, .bytes = bytes,
                 .flags = flags };

    if (buf) {
        qemu_iovec_init_buf(&qiov, buf, bytes);
        r.qiov = &qiov;
    }
    return co_run_sync(blk->ctx, blk_request_co, &r);
}

int blk_pread(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf,
              BdrvRequestFlags flags)
{
    return blk_request_sync(blk, BLK_OP_READ, offset, bytes, buf, flags);
}

int blk_pwrite(BlockBackend *blk, int64_t offset, int64_t bytes,
               const void *buf, BdrvRequestFlags flags)
{
    return blk_request_sync(blk, BLK_OP_WRITE, offset, bytes, (void *)buf,
                            flags);
}

int blk_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BdrvRequestFlags flags)
{
    return blk_request_sync(blk, BLK_OP_ZEROES, offset, bytes, NULL, flags);
}

int blk_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes)
{
    return blk_request_sync(blk, BLK_OP_DISCARD, offset, bytes, NULL, 0);
}

int blk_flush(BlockBackend *blk)
{
    return blk_request_sync(blk, BLK_OP_FLUSH, 0, 0, NULL, 0);
}

static int coroutine_fn blk_truncate_co(void *opaque)
{
    BlkReq *r = opaque;

    return blk_co_truncate(r->blk, r->offset, r->exact, r->prealloc,
                           r->errp);
}

int blk_truncate(BlockBackend *blk, int64_t offset, bool exact,
                 PreallocMode prealloc, Error **errp)
{
    BlkReq r = { .blk = blk, .offset = offset, .exact = exact,
                 .prealloc = prealloc, .errp = errp };

    return co_run_sync(blk->ctx, blk_truncate_co, &r);
}
