/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file: the POSIX file protocol driver.  Blocking system calls run in the
 * thread pool; O_DIRECT (cache.direct=on) probes its alignment at open and
 * bounces misaligned buffers; holes come from SEEK_DATA/SEEK_HOLE and
 * fallocate.  Node permissions become OFD byte-range locks laid out as the
 * real QEMU lays them out (byte 100+bit: permission held, 200+bit:
 * permission not shared), so the two refuse each other's conflicts.
 */
#include "qemu/osdep.h"
#include <sys/uio.h>
#include <linux/falloc.h>
#include "qemu/cutils.h"
#include "block/block_int.h"
#include "block/thread-pool.h"

#define RAW_LOCK_PERM_BASE   100
#define RAW_LOCK_SHARED_BASE 200
#define RAW_MAX_ALIGN        4096

typedef struct BDRVRawState {
    int fd;
    bool use_lock;
    /* Lock state: what the bytes say now, and before the last check */
    uint64_t locked_perm, locked_unshared;
    uint64_t old_perm, old_unshared;
} BDRVRawState;

typedef enum { RAW_READ, RAW_WRITE, RAW_FLUSH, RAW_FALLOC, RAW_TRUNCATE }
    RawOp;

typedef struct RawWork {
    RawOp op;
    int fd;
    int64_t offset, bytes;
    struct iovec *iov;
    int niov;
    int falloc_mode;
} RawWork;

/* Locking */

static int raw_lock_byte(int fd, int64_t byte, short type, bool test)
{
    struct flock fl = {
        .l_whence = SEEK_SET, .l_start = byte, .l_len = 1, .l_type = type,
    };

    if (fcntl(fd, test ? F_OFD_GETLK : F_OFD_SETLK, &fl) < 0) {
        return -errno;
    }
    return test && fl.l_type != F_UNLCK ? -EAGAIN : 0;
}

/* Make the lock bytes say exactly @perm held and @unshared not shared. */
static int raw_apply_locks(BDRVRawState *s, uint64_t perm, uint64_t unshared)
{
    int i, ret;

    for (i = 0; i < BLK_PERM_COUNT; i++) {
        uint64_t bit = 1ULL << i;

        if ((perm ^ s->locked_perm) & bit) {
            ret = raw_lock_byte(s->fd, RAW_LOCK_PERM_BASE + i,
                                perm & bit ? F_RDLCK : F_UNLCK, false);
            if (ret < 0) {
                return ret;
            }
            s->locked_perm ^= bit;
        }
        if ((unshared ^ s->locked_unshared) & bit) {
            ret = raw_lock_byte(s->fd, RAW_LOCK_SHARED_BASE + i,
                                unshared & bit ? F_RDLCK : F_UNLCK, false);
            if (ret < 0) {
                return ret;
            }
            s->locked_unshared ^= bit;
        }
    }
    return 0;
}

/* Does anybody else hold what we want, or want what we do not share? */
static int raw_check_locks(BlockDriverState *bs, uint64_t perm,
                           uint64_t unshared, Error **errp)
{
    BDRVRawState *s = bs->opaque;
    int i;

    for (i = 0; i < BLK_PERM_COUNT; i++) {
        uint64_t bit = 1ULL << i;

        g_autofree char *name = bdrv_perm_names(bit);

        if ((perm & bit) && raw_lock_byte(s->fd, RAW_LOCK_SHARED_BASE + i,
                                          F_WRLCK, true) < 0) {
            error_setg(errp, "Failed to get \"%s\" lock", name);
            goto fail;
        }
        if ((unshared & bit) && raw_lock_byte(s->fd, RAW_LOCK_PERM_BASE + i,
                                              F_WRLCK, true) < 0) {
            error_setg(errp, "Failed to get shared \"%s\" lock", name);
            goto fail;
        }
    }
    return 0;

fail:
    error_append_hint(errp, "Is another process using the image [%s]?\n",
                      bs->filename);
    return -EAGAIN;
}

static int raw_check_perm(BlockDriverState *bs, uint64_t perm,
                          uint64_t shared, Error **errp)
{
    BDRVRawState *s = bs->opaque;
    uint64_t unshared = ~shared & BLK_PERM_ALL;
    int ret;

    if (!s->use_lock) {
        return 0;
    }
    s->old_perm = s->locked_perm;
    s->old_unshared = s->locked_unshared;
    /* Take the union first so no one slips in between check and set */
    ret = raw_apply_locks(s, perm | s->old_perm, unshared | s->old_unshared);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Failed to lock byte");
    } else {
        ret = raw_check_locks(bs, perm, unshared, errp);
    }
    if (ret < 0) {
        raw_apply_locks(s, s->old_perm, s->old_unshared);
    }
    return ret;
}

static void raw_set_perm(BlockDriverState *bs, uint64_t perm,
                         uint64_t shared)
{
    BDRVRawState *s = bs->opaque;

    if (s->use_lock) {
        raw_apply_locks(s, perm, ~shared & BLK_PERM_ALL);
    }
}

static void raw_abort_perm_update(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;

    if (s->use_lock) {
        raw_apply_locks(s, s->old_perm, s->old_unshared);
    }
}

/* Open and close */

static int raw_open_flags(int flags)
{
    return O_CLOEXEC | ((flags & BDRV_O_RDWR) ? O_RDWR : O_RDONLY) |
           ((flags & BDRV_O_NOCACHE) ? O_DIRECT : 0);
}

static bool raw_parse_locking(QDict *options, bool *use_lock, Error **errp)
{
    g_autofree char *locking = bdrv_opt_take_str(options, "locking");

    if (!locking || !strcmp(locking, "auto") || !strcmp(locking, "on")) {
        *use_lock = true;
    } else if (!strcmp(locking, "off")) {
        *use_lock = false;
    } else {
        error_setg(errp, "invalid parameter value: %s", locking);
        return false;
    }
    return true;
}

/* With O_DIRECT, find the smallest request size the file accepts. */
static void raw_probe_alignment(BlockDriverState *bs, int fd)
{
    void *buf = qemu_blockalign(NULL, RAW_MAX_ALIGN);
    size_t align;

    bs->bl.request_alignment = RAW_MAX_ALIGN;
    for (align = 512; align <= RAW_MAX_ALIGN; align <<= 1) {
        if (pread(fd, buf, align, 0) >= 0) {
            bs->bl.request_alignment = align;
            break;
        }
    }
    bs->bl.min_mem_alignment = RAW_MAX_ALIGN;
    qemu_vfree(buf);
}

static int raw_open(BlockDriverState *bs, QDict *options, int flags,
                    Error **errp)
{
    BDRVRawState *s = bs->opaque;
    g_autofree char *filename = bdrv_opt_take_str(options, "filename");
    g_autofree char *aio = bdrv_opt_take_str(options, "aio");
    int oflags = raw_open_flags(flags);

    if (!raw_parse_locking(options, &s->use_lock, errp)) {
        return -EINVAL;
    }
    if (!filename) {
        error_setg(errp, "The 'file' block driver requires a file name");
        return -EINVAL;
    }
    if (aio && strcmp(aio, "threads")) {
        error_setg(errp, "Invalid aio option '%s'", aio);
        return -EINVAL;
    }
    pstrcpy(bs->filename, sizeof(bs->filename), filename);
    s->fd = RETRY_ON_EINTR(open(filename, oflags));
    if (s->fd < 0) {
        int err = errno;
        error_setg_errno(errp, err, "Could not open '%s'", filename);
        return -err;
    }
    return 0;
}

/* Reopen: a new descriptor with the new mode; the locks move at commit */
static int raw_reopen_prepare(BDRVReopenState *state, Error **errp)
{
    int fd = RETRY_ON_EINTR(open(state->bs->filename,
                                 raw_open_flags(state->flags)));

    if (fd < 0) {
        int err = errno;
        error_setg_errno(errp, err, "Could not reopen file");
        return -err;
    }
    state->opaque = g_memdup2(&fd, sizeof(fd));
    return 0;
}

static void raw_reopen_commit(BDRVReopenState *state)
{
    BDRVRawState *s = state->bs->opaque;
    uint64_t perm = s->locked_perm, unshared = s->locked_unshared;
    int old_fd = s->fd;

    /* Our locks are all shared ones, so old and new never conflict */
    s->fd = *(int *)state->opaque;
    s->locked_perm = s->locked_unshared = 0;
    if (s->use_lock) {
        raw_apply_locks(s, perm, unshared);
    }
    close(old_fd);
    g_free(state->opaque);
}

static void raw_reopen_abort(BDRVReopenState *state)
{
    close(*(int *)state->opaque);
    g_free(state->opaque);
}

static void raw_refresh_limits(BlockDriverState *bs, Error **errp)
{
    BDRVRawState *s = bs->opaque;

    if (bs->open_flags & BDRV_O_NOCACHE) {
        raw_probe_alignment(bs, s->fd);
    }
}

static void raw_close(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;

    if (s->fd >= 0) {
        close(s->fd);   /* also drops the OFD locks */
        s->fd = -1;
    }
}

static int64_t raw_getlength(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;
    struct stat st;

    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    return st.st_size;
}

static int64_t raw_get_allocated_file_size(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;
    struct stat st;

    if (fstat(s->fd, &st) < 0) {
        return -errno;
    }
    return (int64_t)st.st_blocks * 512;
}

static int raw_has_zero_init(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;
    struct stat st;

    /* Only regular files are known to start out as zeroes */
    return fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* Work run in the thread pool */

static ssize_t raw_work_call(RawWork *w, struct iovec *iov, int niov,
                             int64_t offset)
{
    ssize_t n;

    do {
        n = w->op == RAW_READ ? preadv(w->fd, iov, niov, offset) :
                                pwritev(w->fd, iov, niov, offset);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

/* Finish a transfer whose first @done bytes went through. */
static int raw_work_rw_rest(RawWork *w, int64_t done)
{
    struct iovec *iov = g_memdup2(w->iov, w->niov * sizeof(*iov));
    struct iovec *cur = iov;
    int left = w->niov, ret = 0;
    ssize_t n = done;

    for (;;) {
        while (left && (size_t)n >= cur->iov_len) {
            n -= cur->iov_len;
            cur++;
            left--;
        }
        if (left) {
            cur->iov_base = (char *)cur->iov_base + n;
            cur->iov_len -= n;
        }
        if (done >= w->bytes) {
            break;
        }
        n = raw_work_call(w, cur, left, w->offset + done);
        if (n < 0) {
            ret = n;
            break;
        }
        if (n == 0 && w->op == RAW_WRITE) {
            ret = -EIO;
            break;
        }
        if (n == 0) {
            /* End of file: the rest of a read is zeroes */
            iov_memset(cur, left, 0, 0, w->bytes - done);
            break;
        }
        done += n;
    }
    g_free(iov);
    return ret;
}

static int raw_work_rw(RawWork *w)
{
    ssize_t n = raw_work_call(w, w->iov, w->niov, w->offset);

    if (n < 0) {
        return n;
    }
    /* Short transfers are rare: only then copy the vector to advance it */
    return n == w->bytes ? 0 : raw_work_rw_rest(w, n);
}

static int raw_work_func(void *opaque)
{
    RawWork *w = opaque;
    int ret;

    switch (w->op) {
    case RAW_READ:
    case RAW_WRITE:
        return raw_work_rw(w);
    case RAW_FLUSH:
        ret = fdatasync(w->fd);
        break;
    case RAW_FALLOC:
        ret = fallocate(w->fd, w->falloc_mode, w->offset, w->bytes);
        if (ret < 0 && (errno == EOPNOTSUPP || errno == ENOSYS)) {
            return -ENOTSUP;
        }
        break;
    case RAW_TRUNCATE:
        ret = ftruncate(w->fd, w->offset);
        break;
    default:
        g_assert_not_reached();
    }
    return ret < 0 ? -errno : 0;
}

static bool raw_qiov_aligned(QEMUIOVector *qiov, size_t align)
{
    int i;

    for (i = 0; i < qiov->niov; i++) {
        if ((uintptr_t)qiov->iov[i].iov_base % align ||
            qiov->iov[i].iov_len % align) {
            return false;
        }
    }
    return true;
}

static int coroutine_fn raw_co_rw(BlockDriverState *bs, int64_t offset,
                                  int64_t bytes, QEMUIOVector *qiov,
                                  RawOp op)
{
    BDRVRawState *s = bs->opaque;
    RawWork w = { .op = op, .fd = s->fd, .offset = offset, .bytes = bytes,
                  .iov = qiov->iov, .niov = qiov->niov };
    void *bounce = NULL;
    struct iovec biov;
    int ret;

    if ((bs->open_flags & BDRV_O_NOCACHE) &&
        !raw_qiov_aligned(qiov, bs->bl.min_mem_alignment)) {
        /* O_DIRECT needs aligned memory: go through a bounce buffer */
        bounce = qemu_blockalign(bs, bytes);
        if (op == RAW_WRITE) {
            qemu_iovec_to_buf(qiov, 0, bounce, bytes);
        }
        biov = (struct iovec) { .iov_base = bounce, .iov_len = bytes };
        w.iov = &biov;
        w.niov = 1;
    }
    ret = thread_pool_submit_co(raw_work_func, &w);
    if (bounce && op == RAW_READ && ret == 0) {
        qemu_iovec_from_buf(qiov, 0, bounce, bytes);
    }
    qemu_vfree(bounce);
    return ret;
}

static int coroutine_fn raw_co_preadv(BlockDriverState *bs, int64_t offset,
                                      int64_t bytes, QEMUIOVector *qiov,
                                      BdrvRequestFlags flags)
{
    return raw_co_rw(bs, offset, bytes, qiov, RAW_READ);
}

static int coroutine_fn raw_co_pwritev(BlockDriverState *bs, int64_t offset,
                                       int64_t bytes, QEMUIOVector *qiov,
                                       BdrvRequestFlags flags)
{
    return raw_co_rw(bs, offset, bytes, qiov, RAW_WRITE);
}

static int coroutine_fn raw_co_flush(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;
    RawWork w = { .op = RAW_FLUSH, .fd = s->fd };

    return thread_pool_submit_co(raw_work_func, &w);
}

static int coroutine_fn raw_co_falloc(BlockDriverState *bs, int mode,
                                      int64_t offset, int64_t bytes)
{
    BDRVRawState *s = bs->opaque;
    RawWork w = { .op = RAW_FALLOC, .fd = s->fd, .offset = offset,
                  .bytes = bytes, .falloc_mode = mode };

    return thread_pool_submit_co(raw_work_func, &w);
}

static int coroutine_fn raw_co_pwrite_zeroes(BlockDriverState *bs,
                                             int64_t offset, int64_t bytes,
                                             BdrvRequestFlags flags)
{
    int64_t len = raw_getlength(bs);

    if ((flags & BDRV_REQ_MAY_UNMAP) && len >= offset + bytes) {
        int ret = raw_co_falloc(bs, FALLOC_FL_PUNCH_HOLE |
                                FALLOC_FL_KEEP_SIZE, offset, bytes);
        if (ret != -ENOTSUP) {
            return ret;
        }
    }
    return raw_co_falloc(bs, FALLOC_FL_ZERO_RANGE, offset, bytes);
}

static int coroutine_fn raw_co_pdiscard(BlockDriverState *bs,
                                        int64_t offset, int64_t bytes)
{
    return raw_co_falloc(bs, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                         offset, bytes);
}

static int coroutine_fn raw_co_block_status(BlockDriverState *bs,
                                            int64_t offset, int64_t bytes,
                                            int64_t *pnum, int64_t *map,
                                            BlockDriverState **file)
{
    BDRVRawState *s = bs->opaque;
    off_t data, hole;
    int ret = BDRV_BLOCK_DATA;

    *map = offset;
    *file = bs;
    *pnum = bytes;
    data = lseek(s->fd, offset, SEEK_DATA);
    if (data < 0 && errno == ENXIO) {
        ret = BDRV_BLOCK_ZERO;      /* a hole up to the end of the file */
    } else if (data > offset) {
        ret = BDRV_BLOCK_ZERO;
        *pnum = MIN(bytes, data - offset);
    } else if (data == offset) {
        hole = lseek(s->fd, offset, SEEK_HOLE);
        if (hole > offset) {
            *pnum = MIN(bytes, hole - offset);
        }
    }
    /* Under O_DIRECT the answer must stay whole alignment blocks */
    if (*pnum < bytes && *pnum % bs->bl.request_alignment) {
        *pnum = MIN(bytes, ROUND_UP(*pnum, bs->bl.request_alignment));
        ret = BDRV_BLOCK_DATA;
    }
    return ret | BDRV_BLOCK_OFFSET_VALID;
}

/* Grow the file to @len from @old_len as @prealloc says. */
static int coroutine_fn raw_co_prealloc(BlockDriverState *bs,
                                        int64_t old_len, int64_t len,
                                        PreallocMode prealloc, Error **errp)
{
    int ret = 0;

    if (prealloc == PREALLOC_MODE_FALLOC) {
        ret = raw_co_falloc(bs, 0, old_len, len - old_len);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not preallocate new data");
        }
    } else if (prealloc == PREALLOC_MODE_FULL) {
        int64_t chunk = 1 * MiB;
        g_autofree void *buf = g_malloc0(chunk);

        for (; old_len < len && ret == 0; old_len += chunk) {
            QEMUIOVector q;
            qemu_iovec_init_buf(&q, buf, MIN(chunk, len - old_len));
            ret = raw_co_rw(bs, old_len, q.size, &q, RAW_WRITE);
        }
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not write zeros for "
                             "preallocation");
        }
    }
    return ret;
}

static int coroutine_fn raw_co_truncate(BlockDriverState *bs, int64_t offset,
                                        bool exact, PreallocMode prealloc,
                                        Error **errp)
{
    BDRVRawState *s = bs->opaque;
    RawWork w = { .op = RAW_TRUNCATE, .fd = s->fd, .offset = offset };
    int64_t old_len = raw_getlength(bs);
    int ret;

    if (prealloc == PREALLOC_MODE_METADATA) {
        error_setg(errp, "Unsupported preallocation mode: metadata");
        return -ENOTSUP;
    }
    if (prealloc != PREALLOC_MODE_OFF && offset > old_len) {
        ret = raw_co_prealloc(bs, old_len, offset, prealloc, errp);
        if (ret < 0) {
            return ret;
        }
    }
    ret = thread_pool_submit_co(raw_work_func, &w);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Failed to resize the file");
    }
    return ret;
}

static int coroutine_fn raw_co_create_opts(BlockDriver *drv,
                                           const char *filename,
                                           QDict *options, Error **errp)
{
    g_autofree char *mode = bdrv_opt_take_str(options, "preallocation");
    static const char *const modes[] = { "off", "metadata", "falloc", "full" };
    PreallocMode prealloc = PREALLOC_MODE_OFF;
    uint64_t size;
    BlockDriverState *bs;
    int ret;

    if (!bdrv_opt_take_size(options, "size", 0, &size, errp)) {
        return -EINVAL;
    }
    for (; mode && prealloc < ARRAY_SIZE(modes); prealloc++) {
        if (!strcmp(modes[prealloc], mode)) {
            break;
        }
    }
    if (prealloc == PREALLOC_MODE_METADATA || prealloc >= ARRAY_SIZE(modes)) {
        error_setg(errp, "Invalid preallocation mode: '%s'", mode);
        return -EINVAL;
    }
    int fd = RETRY_ON_EINTR(open(filename, O_RDWR | O_CREAT | O_TRUNC |
                                 O_CLOEXEC, 0644));
    if (fd < 0) {
        ret = -errno;
        error_setg_errno(errp, -ret, "Could not create '%s'", filename);
        return ret;
    }
    close(fd);
    bs = g_new0(BlockDriverState, 1);
    bs->opaque = g_new0(BDRVRawState, 1);
    bs->open_flags = BDRV_O_RDWR;
    bs->bl.request_alignment = 1;
    ((BDRVRawState *)bs->opaque)->fd = open(filename, O_RDWR | O_CLOEXEC);
    ret = raw_co_truncate(bs, size, true, prealloc, errp);
    raw_close(bs);
    g_free(bs->opaque);
    g_free(bs);
    return ret;
}

/* A plain file has no format facts; zeroes, as QEMU reports them. */
static int raw_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    return 0;
}

static const char *const raw_runtime_opts[] = {
    "filename", "locking", "aio", NULL,
};

BlockDriver bdrv_file = {
    .format_name            = "file",
    .protocol_name          = "file",
    .instance_size          = sizeof(BDRVRawState),
    .runtime_opts           = raw_runtime_opts,
    .bdrv_open              = raw_open,
    .bdrv_close             = raw_close,
    .bdrv_reopen_prepare    = raw_reopen_prepare,
    .bdrv_reopen_commit     = raw_reopen_commit,
    .bdrv_reopen_abort      = raw_reopen_abort,
    .bdrv_refresh_limits    = raw_refresh_limits,
    .bdrv_getlength         = raw_getlength,
    .bdrv_get_allocated_file_size = raw_get_allocated_file_size,
    .bdrv_has_zero_init     = raw_has_zero_init,
    .bdrv_check_perm        = raw_check_perm,
    .bdrv_set_perm          = raw_set_perm,
    .bdrv_abort_perm_update = raw_abort_perm_update,
    .bdrv_co_preadv         = raw_co_preadv,
    .bdrv_co_pwritev        = raw_co_pwritev,
    .bdrv_co_pwrite_zeroes  = raw_co_pwrite_zeroes,
    .bdrv_co_pdiscard       = raw_co_pdiscard,
    .bdrv_co_flush          = raw_co_flush,
    .bdrv_co_block_status   = raw_co_block_status,
    .bdrv_get_info          = raw_get_info,
    .bdrv_co_truncate       = raw_co_truncate,
    .bdrv_co_create_opts    = raw_co_create_opts,
    .supported_zero_flags   = BDRV_REQ_MAY_UNMAP,
};
