/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img measure: how large a new qcow2 or raw image file would be,
 * either for a virtual size (--size) or for the contents of an existing
 * image (its allocated data, found by block status).  The -o options are
 * checked as QEMU's option lists check them (names, then value types),
 * then the target format's rules apply in QEMU's order, so the figures
 * and the messages are QEMU 7.2's.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/host-utils.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/qcow2-format.h"
#include "qemu-img.h"
#include "qemu-img-snapshot.h"

enum {
    MEASURE_OPTION_SIZE = 512,
    MEASURE_OPTION_FORCE_SHARE,
};

typedef struct ImgMeasureInfo {
    uint64_t required;
    uint64_t fully_allocated;
    bool has_bitmaps;
    uint64_t bitmaps;
} ImgMeasureInfo;

typedef enum ImgOptType {
    IMG_OPT_STRING,
    IMG_OPT_BOOL,
    IMG_OPT_NUMBER,
    IMG_OPT_SIZE,
} ImgOptType;

typedef struct ImgOptDesc {
    const char *name;
    ImgOptType type;
} ImgOptDesc;

/* The creation options of each format plus those of the file protocol. */
static const ImgOptDesc img_measure_qcow2_opts[] = {
    { "size", IMG_OPT_SIZE },
    { "compat", IMG_OPT_STRING },
    { "backing_file", IMG_OPT_STRING },
    { "backing_fmt", IMG_OPT_STRING },
    { "data_file", IMG_OPT_STRING },
    { "data_file_raw", IMG_OPT_BOOL },
    { "encryption", IMG_OPT_BOOL },
    { "encrypt.format", IMG_OPT_STRING },
    { "encrypt.key-secret", IMG_OPT_STRING },
    { "encrypt.cipher-alg", IMG_OPT_STRING },
    { "encrypt.cipher-mode", IMG_OPT_STRING },
    { "encrypt.ivgen-alg", IMG_OPT_STRING },
    { "encrypt.ivgen-hash-alg", IMG_OPT_STRING },
    { "encrypt.hash-alg", IMG_OPT_STRING },
    { "encrypt.iter-time", IMG_OPT_NUMBER },
    { "cluster_size", IMG_OPT_SIZE },
    { "preallocation", IMG_OPT_STRING },
    { "lazy_refcounts", IMG_OPT_BOOL },
    { "refcount_bits", IMG_OPT_NUMBER },
    { "compression_type", IMG_OPT_STRING },
    { "extended_l2", IMG_OPT_BOOL },
    { "nocow", IMG_OPT_BOOL },
    { "extent_size_hint", IMG_OPT_SIZE },
    { NULL, 0 }
};

static const ImgOptDesc img_measure_raw_opts[] = {
    { "size", IMG_OPT_SIZE },
    { "preallocation", IMG_OPT_STRING },
    { "nocow", IMG_OPT_BOOL },
    { "extent_size_hint", IMG_OPT_SIZE },
    { NULL, 0 }
};

/* One option value, checked as QemuOpts checks its type. */
static bool img_measure_check_value(const ImgOptDesc *d, const char *v,
                                    Error **errp)
{
    uint64_t n;
    bool b;
    int ret;

    switch (d->type) {
    case IMG_OPT_BOOL:
        return qapi_bool_parse(d->name, v, &b, errp);
    case IMG_OPT_NUMBER:
        ret = qemu_strtou64(v, NULL, 0, &n);
        if (ret == -ERANGE) {
            error_setg(errp, "Value '%s' is too large for parameter '%s'",
                       v, d->name);
            return false;
        }
        if (ret < 0) {
            error_setg(errp, "Parameter '%s' expects a number", d->name);
            return false;
        }
        return true;
    case IMG_OPT_SIZE:
        ret = qemu_strtosz(v, NULL, &n);
        if (ret == -ERANGE) {
            error_setg(errp, "Value '%s' is out of range for parameter '%s'",
                       v, d->name);
            return false;
        }
        if (ret < 0) {
            error_setg(errp, "Parameter '%s' expects a non-negative number "
                       "below 2^64", d->name);
            error_append_hint(errp, "Optional suffix k, M, G, T, P or E "
                              "means kilo-, mega-, giga-, tera-, peta-\n"
                              "and exabytes, respectively.\n");
            return false;
        }
        return true;
    default:
        return true;
    }
}

/* Every option in the order given: a known name, a value of its type. */
static bool img_measure_check_opts(ImgOptList *o, const ImgOptDesc *descs,
                                   Error **errp)
{
    guint i;

    for (i = 0; i < o->names->len; i++) {
        const char *name = g_ptr_array_index(o->names, i);
        const ImgOptDesc *d;

        for (d = descs; d->name && strcmp(d->name, name); d++) {
            /* look the name up */
        }
        if (!d->name) {
            error_setg(errp, "Invalid parameter '%s'", name);
            return false;
        }
        if (!img_measure_check_value(d, g_ptr_array_index(o->values, i),
                                     errp)) {
            return false;
        }
    }
    return true;
}

/* Typed getters for options that passed img_measure_check_opts(). */
static uint64_t img_measure_size(ImgOptList *o, const char *name,
                                 uint64_t def)
{
    const char *v = img_opt_get(o, name);
    uint64_t n;

    return v && qemu_strtosz(v, NULL, &n) == 0 ? n : def;
}

static uint64_t img_measure_number(ImgOptList *o, const char *name,
                                   uint64_t def)
{
    const char *v = img_opt_get(o, name);
    uint64_t n;

    return v && qemu_strtou64(v, NULL, 0, &n) == 0 ? n : def;
}

static bool img_measure_bool(ImgOptList *o, const char *name)
{
    const char *v = img_opt_get(o, name);
    bool b = false;

    return v && qapi_bool_parse(name, v, &b, NULL) && b;
}

/* The qcow2 creation parameters measure looks at, in QEMU's order. */
typedef struct ImgQcow2Params {
    uint64_t cluster_size;
    bool extended_l2;
    unsigned version;
    unsigned refcount_order;
    bool prealloc_data;         /* falloc or full: data is allocated */
    bool has_backing_file;
} ImgQcow2Params;

static bool img_measure_qcow2_params(ImgOptList *o, ImgQcow2Params *p,
                                     Error **errp)
{
    const char *compat = img_opt_get(o, "compat");
    const char *prealloc = img_opt_get(o, "preallocation");
    const char *enc = img_opt_get(o, "encrypt.format");
    uint64_t bits;

    p->extended_l2 = img_measure_bool(o, "extended_l2");
    p->cluster_size = img_measure_size(o, "cluster_size", 64 * KiB);
    if (!is_power_of_2(p->cluster_size) || p->cluster_size < 512 ||
        p->cluster_size > 2 * MiB) {
        error_setg(errp, "Cluster size must be a power of two between 512 "
                   "and 2048k");
        return false;
    }
    if (p->extended_l2 && p->cluster_size < 16 * KiB) {
        error_setg(errp, "Extended L2 entries are only supported with "
                   "cluster sizes of at least 16384 bytes");
        return false;
    }
    if (!compat || !strcmp(compat, "1.1")) {
        p->version = 3;
    } else if (!strcmp(compat, "0.10")) {
        p->version = 2;
    } else {
        error_setg(errp, "Invalid compatibility level: '%s'", compat);
        return false;
    }
    bits = img_measure_number(o, "refcount_bits", 16);
    if (bits > 64 || !is_power_of_2(bits)) {
        error_setg(errp, "Refcount width must be a power of two and may not "
                   "exceed 64 bits");
        return false;
    }
    if (p->version < 3 && bits != 16) {
        error_setg(errp, "Different refcount widths than 16 bits require "
                   "compatibility level 1.1 or above (use compat=1.1 or "
                   "greater)");
        return false;
    }
    p->refcount_order = ctz64(bits);
    if (prealloc && strcmp(prealloc, "off") && strcmp(prealloc, "metadata") &&
        strcmp(prealloc, "falloc") && strcmp(prealloc, "full")) {
        error_setg(errp, "invalid parameter value: %s", prealloc);
        return false;
    }
    p->prealloc_data = prealloc && (!strcmp(prealloc, "falloc") ||
                                    !strcmp(prealloc, "full"));
    p->has_backing_file = img_opt_get(o, "backing_file");
    if (enc && !strcmp(enc, "luks")) {
        if (!img_opt_get(o, "encrypt.key-secret")) {
            error_setg(errp, "Parameter 'encrypt.key-secret' is required "
                       "for cipher");
        } else {
            error_setg(errp, "LUKS encrypted qcow2 images are not supported "
                       "in this build");
        }
        return false;
    }
    return true;
}

/*
 * Bytes of data clusters a copy of @bs needs: every cluster holding
 * allocated data anywhere in the chain, as QEMU counts them (the run's
 * offset into its first cluster is added, the run is extended to the end
 * of its last cluster).
 */
static bool img_measure_data(BlockDriverState *bs, int64_t size,
                             uint64_t cluster_size, uint64_t *required,
                             Error **errp)
{
    int64_t offset, pnum;

    for (offset = 0; offset < size; offset += pnum) {
        int ret = bdrv_block_status_above(bs, NULL, offset, size - offset,
                                          &pnum, NULL, NULL);

        if (ret < 0) {
            error_setg_errno(errp, -ret, "Unable to get block status");
            return false;
        }
        if (pnum <= 0) {
            break;              /* past the end of a short file */
        }
        if (ret & BDRV_BLOCK_ZERO) {
            continue;
        }
        if ((ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED)) ==
            (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED)) {
            pnum = ROUND_UP(offset + pnum, cluster_size) - offset;
            *required += offset % cluster_size + pnum;
        }
    }
    return true;
}

/*
 * What the persistent bitmaps of the qcow2 image @bs would take in a new
 * image of @cluster_size clusters: each bitmap fully allocated, its
 * table, and the directory.  Read from the image's bitmap directory.
 */
static bool img_measure_bitmaps(BlockDriverState *bs, int64_t disk_size,
                                uint64_t cluster_size, uint64_t *total,
                                Error **errp)
{
    g_autoptr(Qcow2Extensions) ext = NULL;
    g_autofree uint8_t *first = NULL, *dir = NULL;
    uint64_t dir_size = 0, pos = 0;
    QCowHeader h;
    uint32_t i;
    size_t cs;

    *total = 0;
    first = g_malloc0(QCOW2_V3_HEADER_LENGTH);
    if (bdrv_pread(bs->file, 0, QCOW2_V3_HEADER_LENGTH, first, 0) < 0 ||
        !qcow2_header_unpack(first, QCOW2_V3_HEADER_LENGTH, &h, errp)) {
        error_setg(errp, "Could not read the qcow2 header");
        return false;
    }
    if (!(h.autoclear_features & QCOW2_AUTOCLEAR_BITMAPS)) {
        return true;
    }
    cs = (size_t)1 << MIN(h.cluster_bits, QCOW2_MAX_CLUSTER_BITS);
    g_free(first);
    first = g_malloc0(cs);
    if (bdrv_pread(bs->file, 0, MIN((int64_t)cs,
                                    bdrv_getlength(bs->file->bs)),
                   first, 0) < 0) {
        error_setg(errp, "Could not read the qcow2 header");
        return false;
    }
    ext = qcow2_extensions_unpack(&h, first, cs, errp);
    if (!ext) {
        return false;
    }
    if (!ext->has_bitmaps) {
        return true;
    }
    dir = g_malloc0(ext->bitmap_directory_size + 1);
    if (bdrv_pread(bs->file, ext->bitmap_directory_offset,
                   ext->bitmap_directory_size, dir, 0) < 0) {
        error_setg(errp, "Could not read the bitmap directory");
        return false;
    }
    for (i = 0; i < ext->nb_bitmaps; i++) {
        uint64_t granularity, bytes, clusters, entry;
        uint32_t extra;
        uint16_t name_len;

        if (pos + 24 > ext->bitmap_directory_size) {
            error_setg(errp, "Bitmap directory is truncated");
            return false;
        }
        granularity = 1ULL << MIN(dir[pos + 17], 63);
        name_len = (uint16_t)dir[pos + 18] << 8 | dir[pos + 19];
        extra = (uint32_t)dir[pos + 20] << 24 | dir[pos + 21] << 16 |
                dir[pos + 22] << 8 | dir[pos + 23];
        bytes = DIV_ROUND_UP(DIV_ROUND_UP((uint64_t)disk_size, granularity),
                             8);
        clusters = DIV_ROUND_UP(bytes, cluster_size);
        *total += clusters * cluster_size +
                  ROUND_UP(clusters * 8, cluster_size);
        /* A copy's directory entry has no extra data. */
        dir_size += ROUND_UP(24 + name_len, 8);
        entry = ROUND_UP(24 + (uint64_t)name_len + extra, 8);
        pos += entry;
    }
    *total += ROUND_UP(dir_size, cluster_size);
    return true;
}

/* The version of the qcow2 image @bs (0 if unreadable). */
static unsigned img_qcow2_version(BlockDriverState *bs)
{
    uint8_t v[4];

    if (!bs->file || bdrv_pread(bs->file, 4, 4, v, 0) < 0) {
        return 0;
    }
    return (uint32_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3];
}

static bool img_measure_qcow2(ImgOptList *o, BlockDriverState *in,
                              ImgMeasureInfo *info, Error **errp)
{
    ImgQcow2Params p;
    uint64_t virtual_size, required = 0, l2_tables;
    unsigned l2e_size;

    if (!img_measure_qcow2_params(o, &p, errp)) {
        return false;
    }
    l2e_size = p.extended_l2 ? 16 : 8;
    virtual_size = ROUND_UP(img_measure_size(o, "size", 0), p.cluster_size);
    l2_tables = DIV_ROUND_UP(virtual_size / p.cluster_size,
                             p.cluster_size / l2e_size);
    if (l2_tables > QCOW2_MAX_L1_SIZE / 8) {
        error_setg(errp, "The image size is too large (try using a larger "
                   "cluster size)");
        return false;
    }
    if (in) {
        int64_t ssize = bdrv_getlength(in);

        if (ssize < 0) {
            error_setg_errno(errp, -ssize, "Unable to get image virtual_size");
            return false;
        }
        /* QEMU counts whole sectors. */
        ssize = ROUND_UP(ssize, BDRV_SECTOR_SIZE);
        virtual_size = ROUND_UP(ssize, p.cluster_size);
        if (p.has_backing_file) {
            /* What the new backing file shares is unknown: assume none. */
            required = virtual_size;
        } else if (!img_measure_data(in, ssize, p.cluster_size, &required,
                                     errp)) {
            return false;
        }
    }
    if (p.prealloc_data) {
        required = virtual_size;
    }
    info->fully_allocated = virtual_size +
        qcow2_calc_metadata_size(virtual_size, ctz64(p.cluster_size),
                                 p.refcount_order, p.extended_l2);
    /* Metadata is counted as if fully allocated: an overestimate. */
    info->required = info->fully_allocated - virtual_size + required;
    info->has_bitmaps = p.version >= 3 && in && in->drv &&
                        !strcmp(in->drv->format_name, "qcow2") &&
                        img_qcow2_version(in) >= 3;
    if (info->has_bitmaps &&
        !img_measure_bitmaps(in, bdrv_getlength(in), p.cluster_size,
                             &info->bitmaps, errp)) {
        return false;
    }
    return true;
}

static bool img_measure_raw(ImgOptList *o, BlockDriverState *in,
                            ImgMeasureInfo *info, Error **errp)
{
    if (in) {
        int64_t len = bdrv_getlength(in);

        if (len < 0) {
            error_setg_errno(errp, -len, "Unable to get image size");
            return false;
        }
        info->required = ROUND_UP(len, BDRV_SECTOR_SIZE);
    } else {
        info->required = ROUND_UP(img_measure_size(o, "size", 0),
                                  BDRV_SECTOR_SIZE);
    }
    /* Unallocated sectors take room in a raw file too. */
    info->fully_allocated = info->required;
    return true;
}

static void img_measure_print(const ImgMeasureInfo *info, bool json)
{
    if (json) {
        QDict *d = qdict_new();
        g_autoptr(GString) s = NULL;

        if (info->has_bitmaps) {
            qdict_put_int(d, "bitmaps", info->bitmaps);
        }
        qdict_put_int(d, "required", info->required);
        qdict_put_int(d, "fully-allocated", info->fully_allocated);
        s = qobject_to_json_pretty(QOBJECT(d), true);
        printf("%s\n", s->str);
        qobject_unref(d);
        return;
    }
    printf("required size: %" PRIu64 "\n", info->required);
    printf("fully allocated size: %" PRIu64 "\n", info->fully_allocated);
    if (info->has_bitmaps) {
        printf("bitmaps size: %" PRIu64 "\n", info->bitmaps);
    }
}

/* QEMU refuses an empty list and one that starts or ends with a comma. */
bool img_option_list_valid(const char *s)
{
    size_t len = strlen(s), i;

    if (!len || s[0] == ',') {
        return false;
    }
    for (i = 0; i < len; i++) {
        if (s[i] == ',' && s[i + 1] == ',') {
            i++;
        } else if (s[i] == ',' && !s[i + 1]) {
            return false;
        }
    }
    return true;
}

/* --size: QEMU's messages for a bad size. */
static bool img_measure_parse_size(const char *str, uint64_t *size)
{
    int ret = qemu_strtosz(str, NULL, size);

    if (ret == -ERANGE || (ret == 0 && *size > INT64_MAX)) {
        error_report("Invalid image size specified. Must be between 0 and "
                     "%" PRId64 ".", INT64_MAX);
        return false;
    }
    if (ret < 0) {
        error_report("Invalid image size specified. You may use k, M, G, T, "
                     "P or E suffixes for");
        error_report("kilobytes, megabytes, gigabytes, terabytes, petabytes "
                     "and exabytes.");
        return false;
    }
    return true;
}

typedef struct ImgMeasureArgs {
    const char *fmt;
    const char *out_fmt;
    const char *snapshot;       /* -l: an id or a name, or NULL */
    const char *snapshot_param; /* -l snapshot.id=...,snapshot.name=... */
    bool image_opts;
    bool force_share;
    bool json;
    bool has_size;
    uint64_t size;
    GString *options;
} ImgMeasureArgs;

static void img_measure_parse_args(int argc, char **argv, ImgMeasureArgs *a)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "output", required_argument, NULL, IMG_OPTION_OUTPUT },
        { "size", required_argument, NULL, MEASURE_OPTION_SIZE },
        { "force-share", no_argument, NULL, MEASURE_OPTION_FORCE_SHARE },
        { NULL, 0, NULL, 0 }
    };
    int c;

    while ((c = getopt_long(argc, argv, ":hf:O:o:l:U", long_options,
                            NULL)) != -1) {
        switch (c) {
        case ':':
        case '?':
            img_bad_option(c, argv);
            break;
        case 'h':
            img_help();
            break;
        case 'f':
            a->fmt = optarg;
            break;
        case 'O':
            a->out_fmt = optarg;
            break;
        case 'o':
            if (!img_option_list_valid(optarg)) {
                error_report("Invalid option list: %s", optarg);
                exit(EXIT_FAILURE);
            }
            if (a->options->len) {
                g_string_append_c(a->options, ',');
            }
            g_string_append(a->options, optarg);
            break;
        case 'l':
            if (g_str_has_prefix(optarg, "snapshot.")) {
                if (!img_snapshot_param_valid(optarg)) {
                    exit(EXIT_FAILURE);
                }
                a->snapshot_param = optarg;
            } else {
                a->snapshot = optarg;
            }
            break;
        case 'U':
        case MEASURE_OPTION_FORCE_SHARE:
            a->force_share = true;
            break;
        case IMG_OPTION_OBJECT:
            img_object_add(optarg);
            break;
        case IMG_OPTION_IMAGE_OPTS:
            a->image_opts = true;
            break;
        case IMG_OPTION_OUTPUT:
            if (!img_parse_output(optarg, &a->json)) {
                exit(EXIT_FAILURE);
            }
            break;
        case MEASURE_OPTION_SIZE:
            if (!img_measure_parse_size(optarg, &a->size)) {
                exit(EXIT_FAILURE);
            }
            a->has_size = true;
            break;
        }
    }
}

/* Open the input image (and, with -l, its snapshot); NULL on error. */
static BlockBackend *img_measure_open(const char *filename, ImgMeasureArgs *a)
{
    Error *err = NULL;
    BlockBackend *blk;

    if (a->image_opts && a->fmt) {
        error_report("--image-opts and --format are mutually exclusive");
        return NULL;
    }
    blk = img_open_ext(filename, a->fmt, a->image_opts, 0, NULL,
                       a->force_share, &err);
    if (!blk) {
        error_reportf_err(err, "Could not open '%s': ", filename);
        return NULL;
    }
    if ((a->snapshot || a->snapshot_param) &&
        !img_snapshot_load_tmp(blk_bs(blk), a->snapshot, a->snapshot_param,
                               &err)) {
        error_report_err(err);
        blk_unref(blk);
        return NULL;
    }
    return blk;
}

/* Check -o against the target format, then measure. */
static bool img_measure_target(ImgMeasureArgs *a, BlockDriverState *in,
                               ImgMeasureInfo *info)
{
    Error *err = NULL;
    ImgOptList o;
    bool ok;

    if (!bdrv_find_format(a->out_fmt)) {
        error_report("Unknown file format '%s'", a->out_fmt);
        return false;
    }
    if (strcmp(a->out_fmt, "qcow2") && strcmp(a->out_fmt, "raw") &&
        strcmp(a->out_fmt, "file")) {
        error_report("Format driver '%s' does not support image creation",
                     a->out_fmt);
        return false;
    }
    img_opts_init(&o);
    ok = img_opts_parse(&o, a->options->str, &err) &&
         img_measure_check_opts(&o, strcmp(a->out_fmt, "qcow2")
                                    ? img_measure_raw_opts
                                    : img_measure_qcow2_opts, &err);
    if (!ok) {
        error_report_err(err);
        error_report("Invalid options for file format '%s'", a->out_fmt);
        img_opts_free(&o);
        return false;
    }
    if (a->has_size) {
        g_autofree char *v = g_strdup_printf("%" PRIu64, a->size);

        img_opt_set(&o, "size", v);
    }
    if (!strcmp(a->out_fmt, "qcow2")) {
        ok = img_measure_qcow2(&o, in, info, &err);
    } else if (!strcmp(a->out_fmt, "raw")) {
        ok = img_measure_raw(&o, in, info, &err);
    } else {
        error_setg(&err, "Block driver '%s' does not support size "
                   "measurement", a->out_fmt);
        ok = false;
    }
    img_opts_free(&o);
    if (!ok) {
        error_report_err(err);
    }
    return ok;
}

int img_measure(int argc, char **argv)
{
    ImgMeasureArgs a = { .out_fmt = "raw" };
    ImgMeasureInfo info = { 0 };
    const char *filename = NULL;
    BlockBackend *in = NULL;
    int ret = 1;

    a.options = g_string_new(NULL);
    img_measure_parse_args(argc, argv, &a);
    if (argc - optind > 1) {
        error_report("At most one filename argument is allowed.");
        goto out;
    } else if (argc - optind == 1) {
        filename = argv[optind];
    }
    if (!filename && (a.image_opts || a.fmt || a.snapshot ||
                      a.snapshot_param)) {
        error_report("--image-opts, -f, and -l require a filename "
                     "argument.");
        goto out;
    }
    if (filename && a.has_size) {
        error_report("--size N cannot be used together with a filename.");
        goto out;
    }
    if (!filename && !a.has_size) {
        error_report("Either --size N or one filename must be specified.");
        goto out;
    }
    if (filename) {
        in = img_measure_open(filename, &a);
        if (!in) {
            goto out;
        }
    }
    if (img_measure_target(&a, in ? blk_bs(in) : NULL, &info)) {
        img_measure_print(&info, a.json);
        ret = 0;
    }
out:
    blk_unref(in);
    g_string_free(a.options, true);
    return ret;
}
