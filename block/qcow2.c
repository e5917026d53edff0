/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 block driver: open an image (header, extensions, L1 table,
 * backing file), map guest requests through the L1/L2 tables and serve
 * them from the file child, the backing child, zeroes or inflated
 * compressed clusters.  This build reads images only; opening one
 * read-write is refused.  The on-disk format lives in qcow2-format.h.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qobject/qnull.h"
#include "block/qdict.h"
#include "qcow2.h"
#include "qcow2-format-int.h"

/* A hostile image may name itself as its backing file: stop somewhere. */
#define QCOW2_MAX_BACKING_DEPTH 64

static int qcow2_open_depth;

void qcow2_signal_corruption(BlockDriverState *bs, const char *fmt, ...)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree char *msg = NULL;
    va_list ap;

    if (s->corrupt) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    /* QEMU's words, without a program name as QEMU prints them */
    if (bs->read_only) {
        error_printf("qcow2: Image is corrupt: %s; further non-fatal "
                     "corruption events will be suppressed\n", msg);
    } else {
        error_printf("qcow2: Marking image as corrupt: %s; further "
                     "corruption events will be suppressed\n", msg);
    }
    s->corrupt = true;
    if (!bs->read_only) {
        /* Keep other users (and the next open) from writing too */
        s->header.incompatible_features |= QCOW2_INCOMPAT_CORRUPT;
        qcow2_update_header(bs);
    }
}

static int qcow2_probe(const uint8_t *buf, int buf_size, const char *filename)
{
    if (buf_size >= 8 && qcow2_ld32(buf) == QCOW_MAGIC &&
        qcow2_ld32(buf + 4) >= 2) {
        return 100;
    }
    return 0;
}

/* Read, unpack and validate the header and extensions (QEMU's order). */
static int qcow2_read_header(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    size_t len = MIN(s->file_size, 1ULL << QCOW2_MAX_CLUSTER_BITS);
    g_autofree uint8_t *buf = g_malloc0(MAX(len, 1));
    g_autoptr(Qcow2Extensions) names = NULL;
    int ret;

    ret = bdrv_pread(bs->file, 0, len, buf, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read qcow2 header");
        return ret;
    }
    if (!qcow2_header_unpack(buf, len, &s->header, errp)) {
        return -EINVAL;
    }
    if (s->header.magic != QCOW_MAGIC) {
        error_setg(errp, "Image is not in qcow2 format");
        return -EINVAL;
    }
    /* The first parse only lends feature names to the message */
    names = qcow2_extensions_unpack(&s->header, buf, len, NULL);
    if (!qcow2_header_validate(&s->header, names, s->file_size, errp)) {
        return -EINVAL;
    }
    s->ext = qcow2_extensions_unpack(&s->header, buf, len, errp);
    if (!s->ext) {
        return -EINVAL;
    }
    qcow2_geometry_init(&s->g, &s->header);
    if (!qcow2_read_backing_file_name(&s->header, buf, len,
                                      &s->backing_file, errp)) {
        return -EINVAL;
    }
    return 0;
}

/* Features this build cannot honour, refused as QEMU words it. */
static int qcow2_check_features(BlockDriverState *bs, int flags,
                                Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    if ((s->header.incompatible_features & QCOW2_INCOMPAT_DATA_FILE) ||
        s->ext->data_file) {
        error_setg(errp, "'data-file' is required for this image");
        return -EINVAL;
    }
    if (s->header.crypt_method != QCOW2_CRYPT_NONE) {
        error_setg(errp, "Encrypted qcow2 images are not supported in this "
                   "build");
        return -ENOTSUP;
    }
    if (!(flags & BDRV_O_RDWR)) {
        return 0;
    }
    if (s->header.incompatible_features & QCOW2_INCOMPAT_CORRUPT) {
        error_setg(errp, "qcow2: Image is corrupt; cannot be opened "
                   "read/write");
        return -EACCES;
    }
    if (s->g.extended_l2) {
        error_setg(errp, "qcow2 images with extended L2 entries can only be "
                   "opened read-only in this build");
        return -ENOTSUP;
    }
    if (s->header.incompatible_features & QCOW2_INCOMPAT_DIRTY) {
        /* Refcounts may be stale: allocating from them could lose data */
        error_setg(errp, "qcow2 images that were not closed cleanly can "
                   "only be opened read-only in this build");
        return -ENOTSUP;
    }
    return 0;
}

static int qcow2_read_l1_table(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint32_t i, n = s->header.l1_size;
    int ret;

    if (n < qcow2_l1_size_needed(&s->g, s->header.size)) {
        error_setg(errp, "L1 table is too small");
        return -EINVAL;
    }
    s->l1_table = g_new0(uint64_t, MAX(n, 1));
    if (n == 0) {
        return 0;
    }
    ret = bdrv_pread(bs->file, s->header.l1_table_offset,
                     (int64_t)n * sizeof(uint64_t), s->l1_table, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read L1 table");
        return ret;
    }
    for (i = 0; i < n; i++) {
        s->l1_table[i] = GUINT64_FROM_BE(s->l1_table[i]);
    }
    return 0;
}

/*
 * Options that only matter once the image is written (discard passing,
 * lazy refcounts, overlap checks, cache cleaning) are checked and then
 * ignored, so configurations written for QEMU open here too.
 */
static int qcow2_take_write_opts(BlockDriverState *bs, QDict *options,
                                 int flags, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    static const char *const discard[] = {
        [QCOW2_DISCARD_REQUEST] = "pass-discard-request",
        [QCOW2_DISCARD_SNAPSHOT] = "pass-discard-snapshot",
        [QCOW2_DISCARD_OTHER] = "pass-discard-other",
    };
    /* QEMU's defaults: requests follow discard=unmap, snapshots pass */
    const bool discard_def[] = { flags & BDRV_O_UNMAP, true, false };
    static const char *const overlap[] = {
        "none", "constant", "cached", "all",
    };
    g_autofree char *mode = NULL;
    QDict *sub = NULL;
    uint64_t n;
    bool b;
    int i;

    if (!bdrv_opt_take_bool(options, "lazy-refcounts",
                            s->header.compatible_features &
                            QCOW2_COMPAT_LAZY_REFCOUNTS, &b, errp)) {
        return -EINVAL;
    }
    s->lazy_refcounts = b;
    for (i = 0; i < ARRAY_SIZE(discard); i++) {
        if (!bdrv_opt_take_bool(options, discard[i], discard_def[i],
                                &s->discard_passthrough[i], errp)) {
            return -EINVAL;
        }
    }
    if (!bdrv_opt_take_size(options, "cache-clean-interval", 0, &n, errp)) {
        return -EINVAL;
    }
    if (n > UINT_MAX) {
        error_setg(errp, "Cache clean interval too big");
        return -EINVAL;
    }
    mode = bdrv_opt_take_str(options, "overlap-check");
    for (i = 0; mode && i < ARRAY_SIZE(overlap); i++) {
        if (!strcmp(mode, overlap[i])) {
            break;
        }
    }
    if (mode && i == ARRAY_SIZE(overlap)) {
        error_setg(errp, "Unsupported value '%s' for qcow2 option "
                   "'overlap-check'. Allowed are any of the following: "
                   "none, constant, cached, all", mode);
        return -EINVAL;
    }
    /* The per-structure overlap-check.* switches */
    qdict_extract_subqdict(options, &sub, "overlap-check.");
    qobject_unref(sub);
    return 0;
}

/* Size the L2 cache from the options, defaulting as QEMU does. */
static int qcow2_init_cache(BlockDriverState *bs, QDict *options,
                            Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t span = s->g.l2_size * s->g.cluster_size;
    uint64_t needed = DIV_ROUND_UP(s->header.size, span) * s->g.cluster_size;
    bool has_l2 = qdict_haskey(options, "l2-cache-size");
    bool has_all = qdict_haskey(options, "cache-size");
    bool has_rc = qdict_haskey(options, "refcount-cache-size");
    uint64_t l2_size, all_size, rc_size, entry_size, nb;

    if (!bdrv_opt_take_size(options, "l2-cache-entry-size",
                            s->g.cluster_size, &entry_size, errp)) {
        return -EINVAL;
    }
    /* Our cache always holds whole tables; the size is only checked */
    if (entry_size < 512 || entry_size > s->g.cluster_size ||
        !is_power_of_2(entry_size)) {
        error_setg(errp, "L2 cache entry size must be a power of two "
                   "between %d and the cluster size (%" PRIu64 ")", 512,
                   s->g.cluster_size);
        return -EINVAL;
    }
    if (!bdrv_opt_take_size(options, "l2-cache-size", 0, &l2_size, errp) ||
        !bdrv_opt_take_size(options, "cache-size", 0, &all_size, errp) ||
        !bdrv_opt_take_size(options, "refcount-cache-size", 0, &rc_size,
                            errp)) {
        return -EINVAL;
    }
    if (has_l2 && has_all && has_rc) {
        error_setg(errp, "cache-size, l2-cache-size and "
                   "refcount-cache-size may not be set at the same time");
        return -EINVAL;
    }
    if (has_all && has_l2 && l2_size > all_size) {
        error_setg(errp, "l2-cache-size may not exceed cache-size");
        return -EINVAL;
    }
    if (has_all && has_rc && rc_size > all_size) {
        error_setg(errp, "refcount-cache-size may not exceed cache-size");
        return -EINVAL;
    }
    if (!has_l2) {
        l2_size = has_all ? MIN(all_size - (has_rc ? rc_size : 0), needed)
                          : MIN(QCOW2_DEFAULT_L2_CACHE_MAX_SIZE, needed);
    }
    if (l2_size > INT_MAX) {
        error_setg(errp, "L2 cache size too big");
        return -EINVAL;
    }
    nb = MAX(l2_size / s->g.cluster_size, QCOW2_MIN_L2_CACHE_TABLES);
    s->l2_cache = qcow2_cache_create(nb, s->g.cluster_size);
    if (!has_rc && has_all) {
        rc_size = all_size - MIN(all_size, l2_size);
    }
    if (rc_size > INT_MAX) {
        error_setg(errp, "Refcount cache size too big");
        return -EINVAL;
    }
    nb = MAX(rc_size / s->g.cluster_size, QCOW2_MIN_REFCOUNT_CACHE_TABLES);
    s->refcount_cache = qcow2_cache_create(nb, s->g.cluster_size);
    return 0;
}

/*
 * The backing file name, relative to the image's directory.  Built the
 * way QEMU builds it (no "./" for an image in the current directory),
 * because the name shows up in qemu-img map and in error messages.
 */
static char *qcow2_backing_path(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    if (strstr(s->backing_file, "://")) {
        return g_strdup(s->backing_file);
    }
    return path_combine(bs->file->bs->filename, s->backing_file);
}

/*
 * Open the backing child: none with "backing": null (or ""), the node
 * named by a string "backing", else the header's file, with "backing.*"
 * options on top and its format from the backing format extension.
 */
static int qcow2_open_backing(BlockDriverState *bs, QDict *options,
                              Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    QObject *opt = qdict_get(options, "backing");
    g_autofree char *path = NULL;
    BlockDriverState *child;
    QDict *sub = NULL;
    bool named_file;
    BdrvChild *c;

    if (opt && (qobject_type(opt) == QTYPE_QNULL ||
                (qobject_type(opt) == QTYPE_QSTRING &&
                 !*qdict_get_str(options, "backing")))) {
        qdict_del(options, "backing");
        return 0;
    }
    if (opt) {
        c = bdrv_open_child(NULL, options, "backing", bs, BDRV_CHILD_COW,
                            false, errp);
        return c ? 0 : -EINVAL;
    }
    qdict_extract_subqdict(options, &sub, "backing.");
    named_file = qdict_haskey(sub, "file") ||
                 qdict_haskey(sub, "file.filename");
    if (!s->backing_file && !qdict_size(sub)) {
        qobject_unref(sub);
        return 0;
    }
    if (s->backing_file && !named_file) {
        path = qcow2_backing_path(bs);
    }
    if (s->ext->backing_format && !qdict_haskey(sub, "driver")) {
        qdict_put_str(sub, "driver", s->ext->backing_format);
    }
    child = bdrv_open(path, NULL, sub,
                      bs->open_flags & (BDRV_O_NOCACHE | BDRV_O_NO_FLUSH),
                      errp);
    if (!child) {
        error_prepend(errp, "Could not open backing file: ");
        return -EINVAL;
    }
    c = bdrv_attach_child(bs, child, "backing", BDRV_CHILD_COW, errp);
    bdrv_unref(child);
    return c ? 0 : -EINVAL;
}

static int qcow2_open_image(BlockDriverState *bs, QDict *options, int flags,
                            Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t file_size;
    int ret;

    bs->file = bdrv_open_child(NULL, options, "file", bs,
                               BDRV_CHILD_IMAGE | BDRV_CHILD_PRIMARY, false,
                               errp);
    if (!bs->file) {
        return -EINVAL;
    }
    file_size = bdrv_getlength(bs->file->bs);
    if (file_size < 0) {
        error_setg_errno(errp, -file_size, "Could not get image size");
        return file_size;
    }
    s->file_size = file_size;
    ret = qcow2_read_header(bs, errp);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_check_features(bs, flags, errp);
    if (ret < 0) {
        return ret;
    }
    s->subcluster_size = s->g.cluster_size >> (s->g.extended_l2 ? 5 : 0);
    ret = qcow2_read_l1_table(bs, errp);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_refcount_init(bs, errp);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_take_write_opts(bs, options, flags, errp);
    if (ret < 0) {
        return ret;
    }
    ret = qcow2_init_cache(bs, options, errp);
    if (ret < 0) {
        return ret;
    }
    qcow2_cache_set_dependency(s->l2_cache, s->refcount_cache);
    if (qcow2_open_depth >= QCOW2_MAX_BACKING_DEPTH) {
        error_setg(errp, "Backing file chain is too deep (more than %d "
                   "images)", QCOW2_MAX_BACKING_DEPTH);
        return -EINVAL;
    }
    qcow2_open_depth++;
    ret = qcow2_open_backing(bs, options, errp);
    qcow2_open_depth--;
    return ret;
}

static void qcow2_free_state(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    qcow2_extensions_free(s->ext);
    g_free(s->l1_table);
    qcow2_cache_destroy(s->l2_cache);
    qcow2_refcount_close(bs);
    g_free(s->backing_file);
    memset(s, 0, sizeof(*s));
}

static int qcow2_open(BlockDriverState *bs, QDict *options, int flags,
                      Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    qemu_co_mutex_init(&s->lock);
    qemu_co_queue_init(&s->alloc_queue);
    ret = qcow2_open_image(bs, options, flags, errp);
    if (ret < 0) {
        /* The core detaches the children */
        qcow2_free_state(bs);
    }
    return ret;
}

static void qcow2_close(BlockDriverState *bs)
{
    qcow2_free_state(bs);
}

static int64_t qcow2_getlength(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    return s->header.size;
}

static void qcow2_refresh_limits(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    bs->bl.request_alignment = 1;
    bs->bl.opt_transfer = s->g.cluster_size;
    bs->bl.pdiscard_alignment = s->g.cluster_size;
}

/* Unallocated bytes: the backing file's, zeroes past its end or none. */
static int coroutine_fn qcow2_read_backing(BlockDriverState *bs,
                                           uint64_t offset, uint64_t bytes,
                                           QEMUIOVector *qiov,
                                           size_t qiov_offset)
{
    int64_t blen = bs->backing ? bdrv_getlength(bs->backing->bs) : 0;
    uint64_t from_backing;
    QEMUIOVector sub;
    int ret = 0;

    if (blen < 0) {
        return blen;
    }
    from_backing = offset < (uint64_t)blen ? MIN(bytes, blen - offset) : 0;
    if (from_backing) {
        qemu_iovec_init(&sub, qiov->niov);
        qemu_iovec_concat(&sub, qiov, qiov_offset, from_backing);
        ret = bdrv_co_preadv(bs->backing, offset, from_backing, &sub, 0);
        qemu_iovec_destroy(&sub);
    }
    qemu_iovec_memset(qiov, qiov_offset + from_backing, 0,
                      bytes - from_backing);
    return ret;
}

static int coroutine_fn qcow2_read_compressed_part(BlockDriverState *bs,
                                                   const Qcow2Mapping *m,
                                                   uint64_t offset,
                                                   uint64_t bytes,
                                                   QEMUIOVector *qiov,
                                                   size_t qiov_offset)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *buf = g_malloc(s->g.cluster_size);
    int ret = qcow2_read_compressed(bs, m, buf);

    if (ret == -EIO) {
        qcow2_signal_corruption(bs, "Compressed cluster at %#" PRIx64
                                " does not inflate", m->compressed_offset);
    }
    if (ret < 0) {
        return ret;
    }
    qemu_iovec_from_buf(qiov, qiov_offset,
                        buf + (offset & (s->g.cluster_size - 1)), bytes);
    return 0;
}

int coroutine_fn qcow2_co_preadv(BlockDriverState *bs, int64_t offset,
                                 int64_t bytes, QEMUIOVector *qiov,
                                 BdrvRequestFlags flags)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t done = 0, n;
    QEMUIOVector sub;
    Qcow2Mapping m;
    int ret = 0;

    while (ret == 0 && done < (uint64_t)bytes) {
        if (s->corrupt) {
            return -EIO;
        }
        n = bytes - done;
        qemu_co_mutex_lock(&s->lock);
        ret = qcow2_get_host_offset(bs, offset + done, &n, &m);
        qemu_co_mutex_unlock(&s->lock);
        if (ret < 0) {
            break;
        }
        switch (m.type) {
        case QCOW2_CLUSTER_UNALLOCATED:
            ret = qcow2_read_backing(bs, offset + done, n, qiov, done);
            break;
        case QCOW2_CLUSTER_ZERO_PLAIN:
        case QCOW2_CLUSTER_ZERO_ALLOC:
            qemu_iovec_memset(qiov, done, 0, n);
            break;
        case QCOW2_CLUSTER_NORMAL:
            qemu_iovec_init(&sub, qiov->niov);
            qemu_iovec_concat(&sub, qiov, done, n);
            ret = bdrv_co_preadv(bs->file, m.host_offset, n, &sub, 0);
            qemu_iovec_destroy(&sub);
            break;
        case QCOW2_CLUSTER_COMPRESSED:
            ret = qcow2_read_compressed_part(bs, &m, offset + done, n, qiov,
                                             done);
            break;
        }
        done += n;
    }
    return ret;
}

static int coroutine_fn qcow2_co_block_status(BlockDriverState *bs,
                                              int64_t offset, int64_t bytes,
                                              int64_t *pnum, int64_t *map,
                                              BlockDriverState **file)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t n = bytes;
    Qcow2Mapping m;
    int ret, status = 0;

    if (s->corrupt) {
        return -EIO;
    }
    qemu_co_mutex_lock(&s->lock);
    ret = qcow2_get_host_offset(bs, offset, &n, &m);
    qemu_co_mutex_unlock(&s->lock);
    if (ret < 0) {
        return ret;
    }
    *pnum = n;
    if (m.host_offset && m.type != QCOW2_CLUSTER_COMPRESSED) {
        *map = m.host_offset;
        *file = bs->file->bs;
        status |= BDRV_BLOCK_OFFSET_VALID;
    }
    if (m.type == QCOW2_CLUSTER_ZERO_PLAIN ||
        m.type == QCOW2_CLUSTER_ZERO_ALLOC) {
        status |= BDRV_BLOCK_ZERO;
    } else if (m.type != QCOW2_CLUSTER_UNALLOCATED) {
        status |= BDRV_BLOCK_DATA;
    }
    return status;
}

static int qcow2_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t span = s->g.l2_size * s->g.cluster_size;

    bdi->cluster_size = s->g.cluster_size;
    bdi->vm_state_offset = QEMU_ALIGN_UP(s->header.size, span);
    bdi->is_dirty = s->header.incompatible_features & QCOW2_INCOMPAT_DIRTY;
    return 0;
}

static const char *const qcow2_runtime_opts[] = {
    "l2-cache-size", "l2-cache-entry-size", "cache-size",
    "refcount-cache-size", "cache-clean-interval", "lazy-refcounts",
    "pass-discard-request", "pass-discard-snapshot", "pass-discard-other",
    "overlap-check", NULL,
};

BlockDriver bdrv_qcow2 = {
    .format_name            = "qcow2",
    .instance_size          = sizeof(BDRVQcow2State),
    .runtime_opts           = qcow2_runtime_opts,
    .bdrv_probe             = qcow2_probe,
    .bdrv_open              = qcow2_open,
    .bdrv_close             = qcow2_close,
    .bdrv_getlength         = qcow2_getlength,
    .bdrv_refresh_limits    = qcow2_refresh_limits,
    .bdrv_child_perm        = bdrv_default_perms,
    .bdrv_co_preadv         = qcow2_co_preadv,
    .bdrv_co_pwritev        = qcow2_co_pwritev,
    .bdrv_co_flush          = qcow2_co_flush,
    .bdrv_co_pwrite_zeroes  = qcow2_co_pwrite_zeroes,
    .bdrv_co_pdiscard       = qcow2_co_pdiscard,
    .supported_zero_flags   = BDRV_REQ_MAY_UNMAP,
    .bdrv_co_block_status   = qcow2_co_block_status,
    .bdrv_get_info          = qcow2_get_info,
    .bdrv_change_backing_file = qcow2_change_backing_file,
};
