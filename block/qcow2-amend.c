/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 amend: changing the compatibility level (upgrading to version 3;
 * downgrading to version 2, which turns zero clusters back into data or
 * unallocated clusters), lazy refcounts and the virtual size of an
 * existing image, in the order and with the checks QEMU 7.2 applies.
 * Changing the refcount width, an external data file or encryption is
 * refused.  Each step ends by rewriting the header in one write.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/main-loop.h"
#include "block/block-backend.h"
#include "qcow2.h"
#include "qcow2-format-int.h"

QemuOptsList qcow2_amend_opts = {
    .name = "qcow2-amend-opts",
    .desc = {
        { "size", QEMU_OPT_SIZE, "Virtual disk size" },
        { "compat", QEMU_OPT_STRING,
          "Compatibility level (v2 [0.10] or v3 [1.1])" },
        { "backing_file", QEMU_OPT_STRING, "File name of a base image" },
        { "backing_fmt", QEMU_OPT_STRING, "Image format of the base image" },
        { "data_file", QEMU_OPT_STRING,
          "File name of an external data file" },
        { "data_file_raw", QEMU_OPT_BOOL,
          "The external data file must stay valid as a raw image" },
        { "lazy_refcounts", QEMU_OPT_BOOL, "Postpone refcount updates" },
        { "refcount_bits", QEMU_OPT_NUMBER,
          "Width of a reference count entry in bits" },
        { "encrypt.keyslot", QEMU_OPT_NUMBER,
          "Select a single keyslot to modify explicitly" },
        { "encrypt.state", QEMU_OPT_STRING,
          "Select new state of affected keyslots (active/inactive)" },
        { "encrypt.old-secret", QEMU_OPT_STRING,
          "Select all keyslots that match this password" },
        { "encrypt.new-secret", QEMU_OPT_STRING,
          "New secret to set in the matching keyslots. Empty string to "
          "erase" },
        { "encrypt.iter-time", QEMU_OPT_NUMBER,
          "Time to spend in PBKDF in milliseconds" },
        { NULL }
    },
};

/* What the options ask for, with the current values where not given. */
typedef struct Qcow2AmendRequest {
    unsigned new_version;
    uint64_t new_size;              /* 0: unchanged */
    const char *backing_file;
    const char *backing_format;
    bool lazy_refcounts;
    uint64_t refcount_bits;
    bool encryption_update;
} Qcow2AmendRequest;

/* Read @opts in QEMU's order; the first bad option ends it. */
static int qcow2_amend_parse(BlockDriverState *bs, QemuOpts *opts,
                             Qcow2AmendRequest *r, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    const QemuOptDesc *desc;

    r->new_version = s->header.version;
    r->lazy_refcounts = s->header.compatible_features &
                        QCOW2_COMPAT_LAZY_REFCOUNTS;
    r->refcount_bits = 1ULL << s->header.refcount_order;
    for (desc = qcow2_amend_opts.desc; desc->name; desc++) {
        const char *v = qemu_opt_get(opts, desc->name);

        if (!v) {
            continue;
        }
        if (!strcmp(desc->name, "compat")) {
            if (!strcmp(v, "0.10") || !strcmp(v, "v2")) {
                r->new_version = 2;
            } else if (!strcmp(v, "1.1") || !strcmp(v, "v3")) {
                r->new_version = 3;
            } else {
                error_setg(errp, "Unknown compatibility level %s", v);
                return -EINVAL;
            }
        } else if (!strcmp(desc->name, "size")) {
            r->new_size = qemu_opt_get_size(opts, "size", 0);
        } else if (!strcmp(desc->name, "backing_file")) {
            r->backing_file = v;
        } else if (!strcmp(desc->name, "backing_fmt")) {
            r->backing_format = v;
        } else if (g_str_has_prefix(desc->name, "encrypt.")) {
            error_setg(errp, "Can't amend encryption options - encryption "
                       "not present");
            return -EINVAL;
        } else if (!strcmp(desc->name, "lazy_refcounts")) {
            r->lazy_refcounts = qemu_opt_get_bool(opts, desc->name,
                                                  r->lazy_refcounts);
        } else if (!strcmp(desc->name, "refcount_bits")) {
            r->refcount_bits = qemu_opt_get_number(opts, desc->name,
                                                   r->refcount_bits);
            if (r->refcount_bits == 0 || r->refcount_bits > 64 ||
                !is_power_of_2(r->refcount_bits)) {
                error_setg(errp, "Refcount width must be a power of two and "
                           "may not exceed 64 bits");
                return -EINVAL;
            }
        } else if (!strcmp(desc->name, "data_file")) {
            error_setg(errp, "data-file can only be set for images that use "
                       "an external data file");
            return -EINVAL;
        } else if (!strcmp(desc->name, "data_file_raw")) {
            if (qemu_opt_get_bool(opts, desc->name, false)) {
                error_setg(errp, "data-file-raw cannot be set on existing "
                           "images");
                return -EINVAL;
            }
        }
    }
    return 0;
}

/* Rewrite the header; on failure put back the fields in @saved. */
static int qcow2_amend_write_header(BlockDriverState *bs,
                                    const QCowHeader *saved, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = qcow2_update_header(bs);

    if (ret < 0) {
        s->header = *saved;
        error_setg_errno(errp, -ret, "Failed to update the image header");
    }
    return ret;
}

static int qcow2_upgrade(BlockDriverState *bs, unsigned version,
                         BlockDriverAmendStatusCB *cb, void *opaque,
                         Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    QCowHeader saved = s->header;
    uint32_t i;

    /* Two steps as QEMU counts them: the snapshot table, the header. */
    if (cb) {
        cb(bs, 0, 2, opaque);
    }
    /* Version 3 wants each snapshot's extra data to hold the disk size. */
    for (i = 0; i < s->header.nb_snapshots; i++) {
        if (s->snapshots[i].extra_data_size < 16) {
            error_setg(errp, "Upgrading an image whose snapshot table lacks "
                       "the version 3 fields is not supported in this "
                       "build");
            return -ENOTSUP;
        }
    }
    if (cb) {
        cb(bs, 1, 2, opaque);
    }
    s->header.version = version;
    s->header.header_length = sizeof(struct qcow2_header_disk);
    s->header.refcount_order = 4;
    s->header.compression_type = QCOW2_COMPRESSION_ZLIB;
    if (s->g.cluster_size > 4096) {
        qcow2_extensions_set_feature_table(s->ext);
    }
    if (qcow2_amend_write_header(bs, &saved, errp) < 0) {
        return -EIO;
    }
    s->g.version = version;
    if (cb) {
        cb(bs, 2, 2, opaque);
    }
    return 0;
}

/*
 * Downgrading: version 2 has no zero flag.  Each zero cluster becomes a
 * cluster that reads as zeroes without one: unallocated when there is no
 * backing file, else a zeroed host cluster (its own, if no other table
 * shares it, or a new one).  Every L2 table of the image and of its
 * snapshots is visited once; progress is counted in L1 entries, as QEMU
 * counts it.  Runs in a coroutine, under s->lock.
 */
typedef struct Qcow2Expand {
    BlockDriverState *bs;
    BlockDriverAmendStatusCB *cb;
    void *opaque;
    GHashTable *done;           /* L2 tables already expanded */
    GArray *unref;              /* host clusters to drop a reference from */
    uint8_t *table;
    uint64_t visited, total;
    Error *err;
    int ret;
    bool finished;
} Qcow2Expand;

/* A zeroed host cluster with @refs references for a table entry. */
static int64_t coroutine_fn qcow2_expand_new_cluster(Qcow2Expand *x,
                                                     uint64_t refs)
{
    BDRVQcow2State *s = x->bs->opaque;
    int64_t off = qcow2_alloc_clusters(x->bs, 1);
    int ret;

    if (off < 0) {
        return off;
    }
    ret = bdrv_pwrite_zeroes(x->bs->file, off, s->g.cluster_size, 0);
    if (ret >= 0 && refs > 1) {
        ret = qcow2_update_refcount(x->bs, off >> s->g.cluster_bits,
                                    refs - 1, NULL);
    }
    return ret < 0 ? ret : off;
}

/* The new value of zero cluster entry @entry of a table @l2_refs use. */
static int coroutine_fn qcow2_expand_entry(Qcow2Expand *x, uint64_t entry,
                                           uint64_t l2_refs, uint64_t *out)
{
    BDRVQcow2State *s = x->bs->opaque;
    uint64_t host = entry & QCOW2_L2E_OFFSET_MASK, refs = 0;
    int64_t off;
    int ret;

    if (host) {
        ret = qcow2_get_refcount(x->bs, host >> s->g.cluster_bits, &refs);
        if (ret < 0) {
            return ret;
        }
        if (refs <= l2_refs) {
            /* Only this entry uses the cluster: zero it in place. */
            ret = bdrv_pwrite_zeroes(x->bs->file, host, s->g.cluster_size,
                                     0);
            *out = host | (refs == 1 ? QCOW2_OFLAG_COPIED : 0);
            return ret;
        }
        /* Shared with another table: leave its data alone. */
        g_array_append_val(x->unref, host);
        g_array_append_val(x->unref, l2_refs);
    }
    if (!x->bs->backing) {
        *out = 0;
        return 0;
    }
    off = qcow2_expand_new_cluster(x, l2_refs);
    if (off < 0) {
        return off;
    }
    *out = off | (l2_refs == 1 ? QCOW2_OFLAG_COPIED : 0);
    return 0;
}

static int coroutine_fn qcow2_expand_table(Qcow2Expand *x, uint64_t l2_offset)
{
    BDRVQcow2State *s = x->bs->opaque;
    uint64_t i, l2_refs = 1;
    bool dirty = false;
    int ret;

    ret = bdrv_pread(x->bs->file, l2_offset, s->g.cluster_size, x->table, 0);
    if (ret >= 0) {
        ret = qcow2_get_refcount(x->bs, l2_offset >> s->g.cluster_bits,
                                 &l2_refs);
    }
    for (i = 0; ret >= 0 && i < s->g.l2_size; i++) {
        uint64_t entry = qcow2_ld64(x->table + i * 8), out = entry;

        if ((entry & QCOW2_OFLAG_COMPRESSED) || !(entry & QCOW2_OFLAG_ZERO)) {
            continue;
        }
        ret = qcow2_expand_entry(x, entry, MAX(l2_refs, 1), &out);
        if (ret >= 0) {
            qcow2_st64(x->table + i * 8, out);
            dirty = true;
        }
    }
    if (ret < 0 || !dirty) {
        return ret;
    }
    /* New data and refcounts are stable before any entry points there. */
    ret = qcow2_cache_flush(s->refcount_cache, x->bs->file);
    if (ret >= 0) {
        ret = bdrv_flush(x->bs->file->bs);
    }
    if (ret >= 0) {
        ret = bdrv_pwrite(x->bs->file, l2_offset, s->g.cluster_size,
                          x->table, 0);
    }
    qcow2_cache_discard(s->l2_cache, l2_offset);
    return ret;
}

/* Expand the L2 tables of one L1 table (@n entries, host order). */
static int coroutine_fn qcow2_expand_l1(Qcow2Expand *x, const uint64_t *l1,
                                        uint32_t n)
{
    uint32_t i;
    int ret;

    for (i = 0; i < n; i++) {
        uint64_t l2 = l1[i] & QCOW2_L1E_OFFSET_MASK;
        gpointer key = GSIZE_TO_POINTER(l2);

        if (l2 && !g_hash_table_contains(x->done, key)) {
            g_hash_table_add(x->done, key);
            ret = qcow2_expand_table(x, l2);
            if (ret < 0) {
                return ret;
            }
        }
        x->visited++;
        if (x->cb) {
            x->cb(x->bs, x->visited, x->total, x->opaque);
        }
    }
    return 0;
}

/* Drop the references of clusters that stopped being used (L2s first). */
static int coroutine_fn qcow2_expand_unref(Qcow2Expand *x)
{
    BDRVQcow2State *s = x->bs->opaque;
    guint i;
    int ret = bdrv_flush(x->bs->file->bs);

    for (i = 0; ret >= 0 && i + 1 < x->unref->len; i += 2) {
        uint64_t host = g_array_index(x->unref, uint64_t, i);
        uint64_t n = g_array_index(x->unref, uint64_t, i + 1);

        ret = qcow2_update_refcount(x->bs, host >> s->g.cluster_bits,
                                    -(int64_t)n, NULL);
    }
    if (ret >= 0) {
        ret = qcow2_cache_flush(s->refcount_cache, x->bs->file);
    }
    return ret;
}

static int coroutine_fn qcow2_expand_snapshots(Qcow2Expand *x)
{
    BDRVQcow2State *s = x->bs->opaque;
    uint32_t i, j;
    int ret;

    for (i = 0; i < s->header.nb_snapshots; i++) {
        const QCowSnapshot *sn = &s->snapshots[i];
        g_autofree uint64_t *l1 = g_new0(uint64_t, MAX(sn->l1_size, 1));

        ret = bdrv_pread(x->bs->file, sn->l1_table_offset,
                         (int64_t)sn->l1_size * 8, l1, 0);
        if (ret < 0) {
            return ret;
        }
        for (j = 0; j < sn->l1_size; j++) {
            l1[j] = GUINT64_FROM_BE(l1[j]);
        }
        ret = qcow2_expand_l1(x, l1, sn->l1_size);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

static void coroutine_fn qcow2_expand_entry_point(void *opaque)
{
    Qcow2Expand *x = opaque;
    BDRVQcow2State *s = x->bs->opaque;

    qemu_co_mutex_lock(&s->lock);
    x->ret = qcow2_expand_l1(x, s->l1_table, s->header.l1_size);
    if (x->ret >= 0) {
        x->ret = qcow2_expand_snapshots(x);
    }
    if (x->ret >= 0) {
        x->ret = qcow2_expand_unref(x);
    }
    qemu_co_mutex_unlock(&s->lock);
    x->finished = true;
}

static int qcow2_expand_zero_clusters(BlockDriverState *bs,
                                      BlockDriverAmendStatusCB *cb,
                                      void *opaque, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    g_autoptr(GHashTable) done = g_hash_table_new(NULL, NULL);
    g_autoptr(GArray) unref = g_array_new(false, false, sizeof(uint64_t));
    g_autofree uint8_t *table = g_malloc(s->g.cluster_size);
    Qcow2Expand x = {
        .bs = bs, .cb = cb, .opaque = opaque, .done = done,
        .unref = unref, .table = table, .total = s->header.l1_size,
    };
    uint32_t i;

    for (i = 0; i < s->header.nb_snapshots; i++) {
        if (!qcow2_snapshot_validate(&s->g, &s->snapshots[i], errp)) {
            return -EINVAL;
        }
        x.total += s->snapshots[i].l1_size;
    }
    qemu_coroutine_enter(qemu_coroutine_create(qcow2_expand_entry_point,
                                               &x));
    while (!x.finished) {
        aio_poll(qemu_get_aio_context(), true);
    }
    if (x.ret < 0) {
        error_setg_errno(errp, -x.ret, "Failed to turn zero into data "
                         "clusters");
    }
    return x.ret;
}

static int qcow2_downgrade(BlockDriverState *bs, unsigned version,
                           BlockDriverAmendStatusCB *cb, void *opaque,
                           Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    QCowHeader saved = s->header;
    int ret;

    if (s->header.refcount_order != 4) {
        error_setg(errp, "compat=0.10 requires refcount_bits=16");
        return -ENOTSUP;
    }
    /* Like QEMU, drop the compression type with the version 3 fields. */
    if (s->header.incompatible_features & ~QCOW2_INCOMPAT_COMPRESSION) {
        error_setg(errp, "Cannot downgrade an image with incompatible "
                   "features %#" PRIx64 " set",
                   s->header.incompatible_features);
        return -ENOTSUP;
    }
    ret = qcow2_expand_zero_clusters(bs, cb, opaque, errp);
    if (ret < 0) {
        return ret;
    }
    /* Compatible and autoclear features may simply be dropped. */
    s->header.incompatible_features = 0;
    s->header.compatible_features = 0;
    s->header.autoclear_features = 0;
    s->header.compression_type = QCOW2_COMPRESSION_ZLIB;
    s->header.version = version;
    s->header.header_length = QCOW2_V2_HEADER_LENGTH;
    qcow2_extensions_remove(s->ext, QCOW2_EXT_FEATURE_TABLE);
    ret = qcow2_amend_write_header(bs, &saved, errp);
    if (ret < 0) {
        return ret;
    }
    s->g.version = version;
    return 0;
}

static int qcow2_amend_lazy_refcounts(BlockDriverState *bs, bool on,
                                      unsigned version, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    QCowHeader saved = s->header;

    if (on && version < 3) {
        error_setg(errp, "Lazy refcounts only supported with compatibility "
                   "level 1.1 and above (use compat=1.1 or greater)");
        return -EINVAL;
    }
    /* Images open read-write only when clean, so nothing needs flushing. */
    if (on) {
        s->header.compatible_features |= QCOW2_COMPAT_LAZY_REFCOUNTS;
    } else {
        s->header.compatible_features &= ~QCOW2_COMPAT_LAZY_REFCOUNTS;
    }
    return qcow2_amend_write_header(bs, &saved, errp);
}

static int qcow2_amend_size(BlockDriverState *bs, uint64_t size,
                            Error **errp)
{
    BlockBackend *blk;
    int ret;

    if (size == (uint64_t)bdrv_getlength(bs)) {
        return 0;
    }
    blk = blk_new(qemu_get_aio_context(), BLK_PERM_RESIZE, BLK_PERM_ALL);
    if (blk_insert_bs(blk, bs, errp) < 0) {
        blk_unref(blk);
        return -EPERM;
    }
    ret = blk_truncate(blk, size, true, PREALLOC_MODE_OFF, errp);
    blk_unref(blk);
    return ret;
}

int qcow2_amend_options(BlockDriverState *bs, QemuOpts *opts,
                        BlockDriverAmendStatusCB *status_cb, void *cb_opaque,
                        bool force, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2AmendRequest r = { 0 };
    int ret = qcow2_amend_parse(bs, opts, &r, errp);

    if (ret < 0) {
        return ret;
    }
    if (r.new_version > s->header.version) {
        ret = qcow2_upgrade(bs, r.new_version, status_cb, cb_opaque, errp);
        if (ret < 0) {
            return ret;
        }
    }
    if (r.refcount_bits != 1ULL << s->header.refcount_order) {
        if (r.new_version < 3 && r.refcount_bits != 16) {
            error_setg(errp, "Refcount widths other than 16 bits require "
                       "compatibility level 1.1 or above (use compat=1.1 or "
                       "greater)");
            return -EINVAL;
        }
        error_setg(errp, "Changing the refcount width is not supported in "
                   "this build");
        return -ENOTSUP;
    }
    /* As QEMU: naming the backing file at all means naming it whole. */
    if ((r.backing_file || r.backing_format) &&
        (g_strcmp0(r.backing_file, s->backing_file) ||
         g_strcmp0(r.backing_format, s->ext->backing_format))) {
        error_setg(errp, "Cannot amend the backing file");
        error_append_hint(errp, "You can use 'qemu-img rebase' instead.\n");
        return -EINVAL;
    }
    if (r.lazy_refcounts != !!(s->header.compatible_features &
                               QCOW2_COMPAT_LAZY_REFCOUNTS)) {
        ret = qcow2_amend_lazy_refcounts(bs, r.lazy_refcounts, r.new_version,
                                         errp);
        if (ret < 0) {
            return ret;
        }
    }
    if (r.new_size) {
        ret = qcow2_amend_size(bs, r.new_size, errp);
        if (ret < 0) {
            return ret;
        }
    }
    if (r.new_version < s->header.version) {
        return qcow2_downgrade(bs, r.new_version, status_cb, cb_opaque, errp);
    }
    return 0;
}
