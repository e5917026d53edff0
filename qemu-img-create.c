/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img create: raw images through the file protocol's own create, and
 * fresh qcow2 images laid out the way QEMU 7.2 lays them out (header,
 * refcount table, one refcount block, L1 table), built with the qcow2
 * format library and written in one go, since the driver cannot write.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/host-utils.h"
#include "qemu/error-report.h"
#include "block/block.h"
#include "block/block-backend.h"
#include "block/qcow2-format.h"
#include "qemu-img.h"

/* qcow2 creation parameters, parsed from -o. */
typedef struct Qcow2CreateParams {
    uint64_t size;
    unsigned cluster_bits;
    unsigned version;
    bool lazy_refcounts;
    bool extended_l2;
    unsigned refcount_order;
    const char *backing_file;
    const char *backing_fmt;
} Qcow2CreateParams;

/* Here rather than in qemu-img.c: the system binary links this file */
const char *img_opt_get(ImgOptList *opts, const char *name)
{
    guint i;

    for (i = opts->names->len; i > 0; i--) {
        if (!strcmp(g_ptr_array_index(opts->names, i - 1), name)) {
            return g_ptr_array_index(opts->values, i - 1);
        }
    }
    return NULL;
}

static bool img_parse_bool(const char *name, const char *value, bool *out,
                           Error **errp)
{
    return qapi_bool_parse(name, value, out, errp);
}

static bool qcow2_params_from_opts(ImgOptList *opts, Qcow2CreateParams *p,
                                   Error **errp)
{
    const char *v;
    uint64_t n;

    v = img_opt_get(opts, "cluster_size");
    if (v) {
        if (qemu_strtosz(v, NULL, &n) < 0 || !is_power_of_2(n) ||
            n < 512 || n > 2 * MiB) {
            error_setg(errp, "Cluster size must be a power of two between "
                       "512 and 2048k");
            return false;
        }
        p->cluster_bits = ctz64(n);
    }
    v = img_opt_get(opts, "compat");
    if (v) {
        if (!strcmp(v, "0.10") || !strcmp(v, "v2")) {
            p->version = 2;
        } else if (!strcmp(v, "1.1") || !strcmp(v, "v3")) {
            p->version = 3;
        } else {
            error_setg(errp, "Parameter 'version' does not accept value "
                       "'%s'", v);
            return false;
        }
    }
    v = img_opt_get(opts, "lazy_refcounts");
    if (v && !img_parse_bool("lazy_refcounts", v, &p->lazy_refcounts, errp)) {
        return false;
    }
    v = img_opt_get(opts, "extended_l2");
    if (v && !img_parse_bool("extended_l2", v, &p->extended_l2, errp)) {
        return false;
    }
    v = img_opt_get(opts, "refcount_bits");
    if (v) {
        if (qemu_strtou64(v, NULL, 10, &n) < 0 || !is_power_of_2(n) ||
            n > 64) {
            error_setg(errp, "Refcount width must be a power of two and "
                       "may not exceed 64 bits");
            return false;
        }
        p->refcount_order = ctz64(n);
    }
    v = img_opt_get(opts, "compression_type");
    if (v && strcmp(v, "zlib")) {
        error_setg(errp, "This tool creates only zlib-compressed qcow2 "
                   "images");
        return false;
    }
    v = img_opt_get(opts, "preallocation");
    if (v && strcmp(v, "off")) {
        error_setg(errp, "preallocation=%s is not supported for qcow2 yet",
                   v);
        return false;
    }
    if (img_opt_get(opts, "encryption") ||
        img_opt_get(opts, "encrypt.format")) {
        error_setg(errp, "Encrypted qcow2 images are not supported");
        return false;
    }
    if (img_opt_get(opts, "data_file") || img_opt_get(opts, "data_file_raw")) {
        error_setg(errp, "External data files are not supported");
        return false;
    }
    if (p->version < 3) {
        if (p->refcount_order != 4) {
            error_setg(errp, "Different refcount widths than 16 bits require "
                       "compatibility level 1.1 or above (use version=v3 or "
                       "greater)");
            return false;
        }
        if (p->lazy_refcounts) {
            error_setg(errp, "Lazy refcounts only supported with "
                       "compatibility level 1.1 and above (use version=v3 "
                       "or greater)");
            return false;
        }
        if (p->extended_l2) {
            error_setg(errp, "Extended L2 entries are only supported with "
                       "compatibility level 1.1 and above (use version=v3 "
                       "or greater)");
            return false;
        }
    }
    if (p->extended_l2 && p->cluster_bits < 14) {
        error_setg(errp, "Extended L2 entries are only supported with "
                   "cluster sizes of at least 16384 bytes");
        return false;
    }
    return true;
}

/* Lay the header cluster out: header, extensions, backing file name. */
static bool qcow2_build_header(const Qcow2CreateParams *p, uint64_t l1_size,
                               uint8_t *buf, size_t cs, Error **errp)
{
    g_autoptr(Qcow2Extensions) ext = qcow2_extensions_new();
    QCowHeader h = {
        .magic = QCOW_MAGIC,
        .version = p->version,
        .cluster_bits = p->cluster_bits,
        .size = p->size,
        .l1_size = l1_size,
        /* An empty disk has no L1 table at all. */
        .l1_table_offset = l1_size ? 3 * cs : 0,
        .refcount_table_offset = cs,
        .refcount_table_clusters = 1,
        .refcount_order = p->refcount_order,
        .header_length = p->version >= 3 ? 112 : QCOW2_V2_HEADER_LENGTH,
    };
    int64_t ext_len;
    int hlen;

    if (p->extended_l2) {
        h.incompatible_features |= QCOW2_INCOMPAT_EXTL2;
    }
    if (p->lazy_refcounts) {
        h.compatible_features |= QCOW2_COMPAT_LAZY_REFCOUNTS;
    }
    if (p->backing_fmt &&
        !qcow2_extensions_set(ext, QCOW2_EXT_BACKING_FORMAT, p->backing_fmt,
                              strlen(p->backing_fmt), errp)) {
        return false;
    }
    if (p->version >= 3 && cs > 4096) {
        qcow2_extensions_set_feature_table(ext);
    }
    hlen = h.header_length;
    ext_len = qcow2_extensions_pack(ext, buf + hlen, cs - hlen, errp);
    if (ext_len < 0) {
        return false;
    }
    if (p->backing_file) {
        size_t blen = strlen(p->backing_file);

        if (blen > QCOW2_MAX_BACKING_FILE_NAME ||
            hlen + ext_len + blen > cs) {
            error_setg(errp, "Backing file name too long");
            return false;
        }
        h.backing_file_offset = hlen + ext_len;
        h.backing_file_size = blen;
        memcpy(buf + hlen + ext_len, p->backing_file, blen);
    }
    return qcow2_header_pack(&h, buf, cs, errp) >= 0;
}

/* Build the whole fresh image in memory; *len is its file size. */
static uint8_t *qcow2_build_image(const Qcow2CreateParams *p, size_t *len,
                                  Error **errp)
{
    size_t cs = (size_t)1 << p->cluster_bits;
    unsigned entry_size = p->extended_l2 ? 16 : 8;
    uint64_t l2_cover = (uint64_t)(cs / entry_size) * cs;
    uint64_t l1_size = DIV_ROUND_UP(p->size, l2_cover);
    uint64_t l1_bytes = l1_size * 8;
    uint64_t l1_clusters = DIV_ROUND_UP(l1_bytes, cs);
    uint64_t used = 3 + l1_clusters;
    uint64_t entries = cs * 8 >> p->refcount_order;
    g_autofree uint8_t *img = NULL;
    uint64_t reftable_entry;
    uint64_t i;

    if (l1_bytes > QCOW2_MAX_L1_SIZE || used > entries) {
        error_setg(errp, "The image size is too large for file format "
                   "'qcow2' (try using a larger cluster size)");
        return NULL;
    }
    *len = 3 * cs + l1_bytes;
    img = g_malloc0(MAX(*len, 3 * cs));
    if (!qcow2_build_header(p, l1_size, img, cs, errp)) {
        return NULL;
    }
    reftable_entry = GUINT64_TO_BE((uint64_t)2 * cs);
    memcpy(img + cs, &reftable_entry, sizeof(reftable_entry));
    for (i = 0; i < used; i++) {
        if (!qcow2_refcount_set(img + 2 * cs, i, p->refcount_order, 1,
                                errp)) {
            return NULL;
        }
    }
    return g_steal_pointer(&img);
}

/* Create an empty file of @len bytes and write @buf over it. */
static bool img_write_file(const char *filename, const uint8_t *buf,
                           size_t len, Error **errp)
{
    BlockDriver *file = bdrv_find_format("file");
    g_autoptr(QDict) copts = qdict_new();
    QDict *oopts = qdict_new();
    BlockBackend *blk;
    int ret;

    qdict_put_int(copts, "size", 0);
    if (bdrv_create(file, filename, copts, errp) < 0) {
        qobject_unref(oopts);
        return false;
    }
    qdict_put_str(oopts, "driver", "file");
    blk = blk_new_open(filename, NULL, oopts,
                       BDRV_O_RDWR | BDRV_O_RESIZE | BDRV_O_PROTOCOL, errp);
    if (!blk) {
        return false;
    }
    blk_set_allow_write_beyond_eof(blk, true);
    ret = blk_pwrite(blk, 0, len, buf, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not write the image");
    } else {
        ret = blk_flush(blk);
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not flush the image");
        }
    }
    blk_unref(blk);
    return ret >= 0;
}

bool img_create_qcow2(const char *filename, ImgOptList *opts, uint64_t size,
                      const char *backing_file, const char *backing_fmt,
                      Error **errp)
{
    Qcow2CreateParams p = {
        /* qcow2 stores whole sectors, as QEMU rounds the size up. */
        .size = QEMU_ALIGN_UP(size, BDRV_SECTOR_SIZE),
        .cluster_bits = 16,
        .version = 3,
        .refcount_order = 4,
        .backing_file = backing_file,
        .backing_fmt = backing_fmt,
    };
    g_autofree uint8_t *img = NULL;
    size_t len;

    if (!qcow2_params_from_opts(opts, &p, errp)) {
        return false;
    }
    img = qcow2_build_image(&p, &len, errp);
    return img && img_write_file(filename, img, len, errp);
}

/*
 * QEMU writes zeroes over the first block of a sparse raw image (so the
 * alignment of O_DIRECT can be probed later); doing the same keeps the
 * allocation map and disk usage of our images equal to its images'.
 */
static void img_create_allocate_first_block(const char *filename,
                                            uint64_t size)
{
    uint8_t zeroes[4096] = { 0 };
    int fd = open(filename, O_WRONLY | O_CLOEXEC);

    if (fd < 0) {
        return;
    }
    if (pwrite(fd, zeroes, MIN(size, sizeof(zeroes)), 0) < 0) {
        /* Only the allocation differs: the contents are zeroes anyway. */
    }
    close(fd);
}

bool img_create_raw(const char *filename, ImgOptList *opts, uint64_t size,
                    Error **errp)
{
    BlockDriver *file = bdrv_find_format("file");
    g_autoptr(QDict) copts = qdict_new();
    const char *prealloc = img_opt_get(opts, "preallocation");

    if (prealloc && strcmp(prealloc, "off") && strcmp(prealloc, "falloc") &&
        strcmp(prealloc, "full")) {
        /* QEMU has created the (empty) file by the time it refuses. */
        qdict_put_int(copts, "size", 0);
        bdrv_create(file, filename, copts, NULL);
        error_setg(errp, "Unsupported preallocation mode: %s", prealloc);
        return false;
    }
    /* QEMU creates raw images in whole sectors. */
    size = QEMU_ALIGN_UP(size, BDRV_SECTOR_SIZE);
    qdict_put_int(copts, "size", size);
    if (prealloc) {
        qdict_put_str(copts, "preallocation", prealloc);
    }
    if (bdrv_create(file, filename, copts, errp) < 0) {
        return false;
    }
    if (!prealloc || !strcmp(prealloc, "off")) {
        img_create_allocate_first_block(filename, size);
    }
    return true;
}
