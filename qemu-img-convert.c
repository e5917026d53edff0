/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img convert: the command line.  Options are checked in the order
 * QEMU 7.2 checks them, so the same mistake gets the same message; the
 * sources are opened, the target created (unless -n) and opened, and
 * the copy is left to qemu-img-convert-copy.c.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "qemu-img-convert.h"

#define CONVERT_BUF_SIZE (2 * MiB)
#define CONVERT_MAX_SPARSE (16 * 1024 * 1024)
#define CONVERT_MAX_COROUTINES 16
/* The request flag for compressed writes; 0 while there is none. */
#define CONVERT_COMPRESS_FLAG 0

enum {
    OPTION_TARGET_IMAGE_OPTS = 300,
    OPTION_SALVAGE,
    OPTION_TARGET_IS_ZERO,
    OPTION_BITMAPS,
    OPTION_SKIP_BROKEN,
};

typedef struct ConvertArgs {
    const char *fmt, *out_fmt, *backing, *backing_fmt;
    const char *cache, *src_cache, *snapshot;
    ImgOptList opts;
    bool have_opts;
    bool image_opts, target_image_opts, force_share;
    bool skip_create, target_is_zero, quiet, progress;
    bool bitmaps, skip_broken, copy_range, explicit_sparse;
    int64_t min_sparse;
    int num_coroutines;
    bool out_of_order, compressed;
    uint64_t rate_limit;
} ConvertArgs;

static void QEMU_NORETURN convert_fail(const char *msg)
{
    error_report("%s", msg);
    exit(EXIT_FAILURE);
}

static void convert_parse_sparse(ConvertArgs *a, const char *arg)
{
    uint64_t sval;

    if (qemu_strtosz(arg, NULL, &sval) < 0 || sval % BDRV_SECTOR_SIZE ||
        sval > CONVERT_MAX_SPARSE) {
        error_report("Invalid buffer size for sparse output specified. "
                     "Valid sizes are multiples of 512 up to %d. Select 0 "
                     "to disable sparse detection (fully allocates "
                     "output).", CONVERT_MAX_SPARSE);
        exit(EXIT_FAILURE);
    }
    a->min_sparse = sval;
    a->explicit_sparse = true;
}

static void convert_parse_option(ConvertArgs *a, int c, char **argv)
{
    Error *err = NULL;
    int64_t n;

    switch (c) {
    case ':':
    case '?':
        img_bad_option(c, argv);
    case 'h':
        img_help();
    case 'f':
        a->fmt = optarg;
        break;
    case 'O':
        a->out_fmt = optarg;
        break;
    case 'B':
        a->backing = optarg;
        break;
    case 'F':
        a->backing_fmt = optarg;
        break;
    case 'c':
        a->compressed = true;
        break;
    case 'o':
        if (!img_opts_parse(&a->opts, optarg, &err)) {
            error_report_err(err);
            exit(EXIT_FAILURE);
        }
        a->have_opts = true;
        break;
    case 'l':
    case 's':
        a->snapshot = optarg;
        break;
    case 'S':
        convert_parse_sparse(a, optarg);
        break;
    case 'p':
        a->progress = true;
        break;
    case 't':
        a->cache = optarg;
        break;
    case 'T':
        a->src_cache = optarg;
        break;
    case 'q':
        a->quiet = true;
        break;
    case 'n':
        a->skip_create = true;
        break;
    case 'm':
        if (qemu_strtoi64(optarg, NULL, 0, &n) < 0 || n < 1 ||
            n > CONVERT_MAX_COROUTINES) {
            error_report("Invalid number of coroutines. Allowed number of "
                         "coroutines is between 1 and %d",
                         CONVERT_MAX_COROUTINES);
            exit(EXIT_FAILURE);
        }
        a->num_coroutines = n;
        break;
    case 'W':
        a->out_of_order = true;
        break;
    case 'U':
        a->force_share = true;
        break;
    case 'r':
        if (qemu_strtosz(optarg, NULL, &a->rate_limit) < 0) {
            error_report("Invalid rate limit specified. You may use k, M, "
                         "G, T, P or E suffixes for");
            error_report("kilobytes, megabytes, gigabytes, terabytes, "
                         "petabytes and exabytes.");
            exit(EXIT_FAILURE);
        }
        break;
    case 'C':
        a->copy_range = true;
        break;
    case IMG_OPTION_OBJECT:
        convert_fail("--object is not supported");
    case IMG_OPTION_IMAGE_OPTS:
        a->image_opts = true;
        break;
    case OPTION_TARGET_IMAGE_OPTS:
        a->target_image_opts = true;
        break;
    case OPTION_SALVAGE:
        break;
    case OPTION_TARGET_IS_ZERO:
        a->target_is_zero = true;
        break;
    case OPTION_BITMAPS:
        a->bitmaps = true;
        break;
    case OPTION_SKIP_BROKEN:
        a->skip_broken = true;
        break;
    }
}

static void convert_parse_args(ConvertArgs *a, int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force-share", no_argument, NULL, 'U' },
        { "target-image-opts", no_argument, NULL, OPTION_TARGET_IMAGE_OPTS },
        { "salvage", no_argument, NULL, OPTION_SALVAGE },
        { "target-is-zero", no_argument, NULL, OPTION_TARGET_IS_ZERO },
        { "bitmaps", no_argument, NULL, OPTION_BITMAPS },
        { "skip-broken-bitmaps", no_argument, NULL, OPTION_SKIP_BROKEN },
        { NULL, 0, NULL, 0 }
    };
    int c;

    a->min_sparse = 8 * BDRV_SECTOR_SIZE;
    a->num_coroutines = 8;
    a->cache = "unsafe";
    a->src_cache = "writeback";
    img_opts_init(&a->opts);
    while ((c = getopt_long(argc, argv, ":hf:O:B:Ccl:S:pt:T:qnm:WUr:o:F:",
                            long_options, NULL)) != -1) {
        convert_parse_option(a, c, argv);
    }
    if (!a->out_fmt && !a->target_image_opts) {
        a->out_fmt = "raw";
    }
}

/* The checks QEMU makes before it opens anything. */
static void convert_check_args(ConvertArgs *a)
{
    if (a->skip_broken && !a->bitmaps) {
        convert_fail("Use of --skip-broken-bitmaps requires --bitmaps");
    }
    if (a->compressed && a->copy_range) {
        convert_fail("Cannot enable copy offloading when -c is used");
    }
    if (a->explicit_sparse && a->copy_range) {
        convert_fail("Cannot enable copy offloading when -S is used");
    }
    if (a->target_image_opts && !a->skip_create) {
        convert_fail("--target-image-opts requires use of -n flag");
    }
    if (a->skip_create && a->have_opts) {
        convert_fail("-o has no effect when skipping image creation");
    }
    if (a->target_is_zero && !a->skip_create) {
        convert_fail("--target-is-zero requires use of -n flag");
    }
}

static bool convert_known_format(const char *fmt)
{
    return !strcmp(fmt, "raw") || !strcmp(fmt, "qcow2");
}

/* Open every source and lay them end to end. */
static ConvertJob *convert_open_sources(ConvertArgs *a, int argc,
                                        char **argv)
{
    ConvertJob *job = g_new0(ConvertJob, 1);
    int i;

    job->src_num = argc - optind - 1;
    job->src = g_new0(ConvertSource, job->src_num);
    if (a->image_opts && a->fmt) {
        convert_fail("--image-opts and --format are mutually exclusive");
    }
    for (i = 0; i < job->src_num; i++) {
        const char *name = argv[optind + i];
        Error *err = NULL;
        BlockBackend *blk;
        int64_t len;

        blk = img_open_ext(name, a->fmt, a->image_opts,
                           a->force_share ? 0 : BDRV_O_NO_SHARE,
                           a->src_cache, a->force_share, &err);
        if (!blk) {
            error_reportf_err(err, "Could not open '%s': ", name);
            exit(EXIT_FAILURE);
        }
        len = img_getlength(blk);
        if (len < 0) {
            error_report("Could not get size of %s: %s", name,
                         strerror(-len));
            exit(EXIT_FAILURE);
        }
        job->src[i].blk = blk;
        job->src[i].size = len;
        job->src[i].start = job->total_size;
        job->total_size += len;
    }
    return job;
}

static void convert_check_snapshot(ConvertArgs *a, ConvertJob *job)
{
    if (!a->snapshot) {
        return;
    }
    if (job->src_num > 1) {
        convert_fail("No support for concatenating multiple snapshot");
    }
    error_report("Failed to load snapshot: Block format '%s' used by device "
                 "'' does not support temporarily loading internal "
                 "snapshots",
                 bdrv_get_format_name(blk_bs(job->src[0].blk)));
    exit(EXIT_FAILURE);
}

/* -B, -F, -o backing_file=...: settle the target's backing file. */
static const char *convert_backing(ConvertArgs *a, ConvertJob *job)
{
    const char *backing = a->backing;
    const char *opt = img_opt_get(&a->opts, "backing_file");

    if (!a->skip_create && !strcmp(a->out_fmt, "raw")) {
        if (backing || opt) {
            convert_fail("Backing file not supported for file format "
                         "'raw'");
        }
        if (a->backing_fmt || img_opt_get(&a->opts, "backing_fmt")) {
            convert_fail("Backing file format not supported for file "
                         "format 'raw'");
        }
    }
    if (opt) {
        backing = opt;
    }
    if (!a->backing_fmt) {
        a->backing_fmt = img_opt_get(&a->opts, "backing_fmt");
    }
    job->target_has_backing = backing != NULL;
    if (a->target_is_zero && backing) {
        /* QEMU reports this but still exits with status 0. */
        error_report("Cannot use --target-is-zero when the destination "
                     "image has a backing file");
        exit(EXIT_SUCCESS);
    }
    if (job->src_num > 1 && backing) {
        convert_fail("Having a backing file for the target makes no sense "
                     "when concatenating multiple input images");
    }
    if (opt && !a->backing_fmt && !a->skip_create) {
        convert_fail("Use of backing file requires explicit backing "
                     "format");
    }
    return backing;
}

static void convert_check_compression(ConvertArgs *a, ConvertJob *job)
{
    const char *prealloc = img_opt_get(&a->opts, "preallocation");
    BlockDriver *drv;

    if (!a->compressed) {
        return;
    }
    /*
     * No driver writes compressed clusters yet (the qcow2 write path will
     * add a request flag for them); until then QEMU's refusal for formats
     * without compression is what every target gets.
     */
    drv = a->out_fmt ? bdrv_find_format(a->out_fmt) : NULL;
    if (!drv || strcmp(a->out_fmt, "qcow2") || !CONVERT_COMPRESS_FLAG) {
        convert_fail("Compression not supported for this file format");
    }
    if (img_opt_get(&a->opts, "encrypt.format") ||
        img_opt_get(&a->opts, "encryption")) {
        convert_fail("Compression and encryption not supported at the same "
                     "time");
    }
    if (prealloc && strcmp(prealloc, "off")) {
        convert_fail("Compression and preallocation not supported at the "
                     "same time");
    }
    job->compressed = true;
    job->compress_flag = CONVERT_COMPRESS_FLAG;
}

static void convert_check_bitmaps(ConvertArgs *a, ConvertJob *job)
{
    if (!a->bitmaps) {
        return;
    }
    if (job->src_num > 1) {
        convert_fail("Copying bitmaps only possible with single source");
    }
    if (strcmp(bdrv_get_format_name(blk_bs(job->src[0].blk)), "qcow2")) {
        convert_fail("Source lacks bitmap support");
    }
    if (!a->out_fmt || strcmp(a->out_fmt, "qcow2")) {
        error_report("Format driver '%s' does not support bitmaps",
                     a->out_fmt ? a->out_fmt : "raw");
        exit(EXIT_FAILURE);
    }
    convert_fail("--bitmaps is not supported yet: persistent dirty bitmaps "
                 "cannot be copied");
}

/*
 * Creating an image truncates it; like QEMU, first take the write lock
 * of an existing file, so converting an image onto itself (or onto one
 * in use) fails before its data is lost.
 */
static bool convert_may_overwrite(const char *filename, Error **errp)
{
    QDict *o;
    BlockBackend *blk;

    if (access(filename, F_OK) < 0) {
        return true;
    }
    o = qdict_new();
    qdict_put_str(o, "driver", "file");
    blk = blk_new_open(filename, NULL, o,
                       BDRV_O_RDWR | BDRV_O_NO_SHARE | BDRV_O_PROTOCOL,
                       errp);
    if (!blk) {
        return false;
    }
    blk_unref(blk);
    return true;
}

static void convert_create(ConvertArgs *a, ConvertJob *job,
                           const char *out_filename, const char *backing)
{
    Error *err = NULL;
    bool ok;

    if (!img_create_check_opts(a->out_fmt, &a->opts, &err)) {
        error_report_err(err);
        exit(EXIT_FAILURE);
    }
    if (!convert_may_overwrite(out_filename, &err)) {
        error_reportf_err(err, "%s: error while converting %s: ",
                          out_filename, a->out_fmt);
        exit(EXIT_FAILURE);
    }
    if (!strcmp(a->out_fmt, "raw")) {
        ok = img_create_raw(out_filename, &a->opts, job->total_size, &err);
    } else {
        ok = img_create_qcow2(out_filename, &a->opts, job->total_size,
                              backing, a->backing_fmt, &err);
    }
    if (!ok) {
        error_reportf_err(err, "%s: error while converting %s: ",
                          out_filename, a->out_fmt);
        exit(EXIT_FAILURE);
    }
}

static void convert_open_target(ConvertArgs *a, ConvertJob *job,
                                const char *out_filename)
{
    int flags = BDRV_O_RDWR | BDRV_O_NO_SHARE;
    Error *err = NULL;
    int64_t len;

    if (!img_cache_mode_valid(a->cache)) {
        error_report("Invalid cache option: %s", a->cache);
        exit(EXIT_FAILURE);
    }
    if (a->min_sparse) {
        flags |= BDRV_O_UNMAP;
    }
    job->target = img_open_ext(out_filename,
                               a->target_image_opts ? NULL : a->out_fmt,
                               a->target_image_opts, flags, a->cache, false,
                               &err);
    if (!job->target) {
        error_reportf_err(err, "Could not open '%s': ", out_filename);
        exit(EXIT_FAILURE);
    }
    if (a->skip_create) {
        len = img_getlength(job->target);
        if (len < 0) {
            error_report("Failed to get size for '%s'", out_filename);
            exit(EXIT_FAILURE);
        }
        if (len < job->total_size) {
            convert_fail("output file is smaller than input file");
        }
    }
}

/* Chunk size: 2 MiB, or the target's cluster size if larger. */
static void convert_setup_job(ConvertArgs *a, ConvertJob *job)
{
    BlockDriverInfo bdi = { 0 };
    BlockDriverState *bs = blk_bs(job->target);

    job->buf_size = CONVERT_BUF_SIZE;
    job->alignment = 1;
    if (bdrv_get_info(bs, &bdi) == 0 && bdi.cluster_size > 0) {
        job->alignment = bdi.cluster_size;
        job->buf_size = MAX(job->buf_size, bdi.cluster_size);
        if (job->compressed) {
            job->buf_size = bdi.cluster_size;
        }
    }
    job->min_sparse = a->min_sparse;
    job->num_coroutines = a->num_coroutines;
    job->out_of_order = a->out_of_order;
    job->rate_limit = a->rate_limit;
    if (a->target_is_zero) {
        job->has_zero_init = true;
    } else {
        job->has_zero_init = !a->skip_create && a->min_sparse &&
                             !job->target_has_backing &&
                             bdrv_has_zero_init(bs);
    }
}

static void convert_free(ConvertJob *job)
{
    int i;

    for (i = 0; i < job->src_num; i++) {
        blk_unref(job->src[i].blk);
    }
    if (job->target) {
        blk_unref(job->target);
    }
    g_free(job->src);
    g_free(job);
}

int img_convert(int argc, char **argv)
{
    ConvertArgs a = { 0 };
    ConvertJob *job;
    const char *out_filename, *backing;
    int ret;

    convert_parse_args(&a, argc, argv);
    convert_check_args(&a);
    out_filename = argc - optind >= 2 ? argv[argc - 1] : NULL;
    if (img_opt_get(&a.opts, "help") || img_opt_get(&a.opts, "?")) {
        if (a.out_fmt && !convert_known_format(a.out_fmt)) {
            error_report("Unknown file format '%s'", a.out_fmt);
            exit(EXIT_FAILURE);
        }
        if (a.out_fmt) {
            img_create_help(a.out_fmt, out_filename);
        }
        img_opts_free(&a.opts);
        return 0;
    }
    if (!out_filename) {
        convert_fail("Must specify image file name");
    }
    if (!img_cache_mode_valid(a.src_cache)) {
        error_report("Invalid source cache option: %s", a.src_cache);
        exit(EXIT_FAILURE);
    }

    job = convert_open_sources(&a, argc, argv);
    convert_check_snapshot(&a, job);
    if (!a.target_image_opts && !convert_known_format(a.out_fmt)) {
        error_report("Unknown file format '%s'", a.out_fmt);
        exit(EXIT_FAILURE);
    }
    backing = convert_backing(&a, job);
    convert_check_compression(&a, job);
    convert_check_bitmaps(&a, job);
    if (!a.skip_create) {
        convert_create(&a, job, out_filename, backing);
    }
    convert_open_target(&a, job, out_filename);
    convert_setup_job(&a, job);

    img_progress_init(a.progress && !a.quiet);
    job->allocated_bytes = a.progress && !a.quiet ?
                           convert_count_allocated(job) : 0;
    ret = job->allocated_bytes < 0 ? (int)job->allocated_bytes
                                   : convert_copy(job);
    if (ret == 0) {
        img_progress_end();
    }
    convert_free(job);
    img_opts_free(&a.opts);
    return ret < 0 ? 1 : 0;
}
