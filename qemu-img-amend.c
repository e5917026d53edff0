/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img amend: change the options of an existing image in place.  The
 * command line, the option checks (with QEMU's hint for options that
 * only creation takes), -o help and the progress line follow QEMU 7.2;
 * the change itself is the format driver's bdrv_amend_options().
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/error-report.h"
#include "qemu/option.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/amend.h"
#include "qemu-img.h"
#include "qemu-img-snapshot.h"

enum {
    AMEND_OPTION_FORCE = 768,
};

/* qcow2 creation options that amend does not take, for QEMU's hint. */
static QemuOptsList img_qcow2_create_only_opts = {
    .name = "qcow2-create-only-opts",
    .desc = {
        { "cluster_size", QEMU_OPT_SIZE },
        { "preallocation", QEMU_OPT_STRING },
        { "extended_l2", QEMU_OPT_BOOL },
        { "compression_type", QEMU_OPT_STRING },
        { "encryption", QEMU_OPT_BOOL },
        { "encrypt.format", QEMU_OPT_STRING },
        { "encrypt.key-secret", QEMU_OPT_STRING },
        { "encrypt.cipher-alg", QEMU_OPT_STRING },
        { "encrypt.cipher-mode", QEMU_OPT_STRING },
        { "encrypt.ivgen-alg", QEMU_OPT_STRING },
        { "encrypt.ivgen-hash-alg", QEMU_OPT_STRING },
        { "encrypt.hash-alg", QEMU_OPT_STRING },
        { NULL }
    },
};

/* Whether the option list asks for help ("help" or "?" alone). */
static bool img_amend_wants_help(const char *options)
{
    g_auto(GStrv) parts = g_strsplit(options, ",", -1);
    size_t i;

    for (i = 0; parts[i]; i++) {
        if (is_help_option(parts[i])) {
            return true;
        }
    }
    return false;
}

static int img_amend_print_help(const char *fmt)
{
    BlockDriver *drv = bdrv_find_format(fmt);

    if (!drv) {
        error_report("Unknown file format '%s'", fmt);
        return 1;
    }
    if (!drv->bdrv_amend_options) {
        error_report("Format driver '%s' does not support option amendment",
                     fmt);
        return 1;
    }
    printf("Amend options for '%s':\n", fmt);
    qemu_opts_print_help(drv->amend_opts, false);
    return 0;
}

/*
 * Parse @options against the driver's amend options.  On failure, QEMU
 * tries again with the creation options too and, if that works, adds
 * that the option is for creation only.
 */
static QemuOpts *img_amend_parse(BlockDriver *drv, const char *options)
{
    QemuOpts *opts = qemu_opts_create(drv->amend_opts, NULL, 0,
                                      &error_abort);
    QemuOptsList *all;
    QemuOpts *probe;
    Error *err = NULL;

    if (qemu_opts_do_parse(opts, options, NULL, &err)) {
        return opts;
    }
    qemu_opts_del(opts);
    if (!strcmp(drv->format_name, "qcow2")) {
        all = qemu_opts_append(NULL, drv->amend_opts);
        all = qemu_opts_append(all, &img_qcow2_create_only_opts);
        probe = qemu_opts_create(all, NULL, 0, &error_abort);
        if (qemu_opts_do_parse(probe, options, NULL, NULL)) {
            error_append_hint(&err, "This option is only supported for "
                              "image creation\n");
        }
        qemu_opts_del(probe);
        qemu_opts_free(all);
    }
    error_report_err(err);
    return NULL;
}

static void img_amend_status_cb(BlockDriverState *bs, int64_t offset,
                                int64_t total_work_size, void *opaque)
{
    img_progress_print(100.f * offset / total_work_size);
}

typedef struct ImgAmendArgs {
    const char *fmt;
    const char *cache;
    GString *options;
    bool progress;
    bool quiet;
    bool image_opts;
    bool force;
} ImgAmendArgs;

static void img_amend_parse_args(int argc, char **argv, ImgAmendArgs *a)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force", no_argument, NULL, AMEND_OPTION_FORCE },
        { NULL, 0, NULL, 0 }
    };
    int c;

    while ((c = getopt_long(argc, argv, ":ho:f:t:pq", long_options,
                            NULL)) != -1) {
        switch (c) {
        case ':':
        case '?':
            img_bad_option(c, argv);
            break;
        case 'h':
            img_help();
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
        case 'f':
            a->fmt = optarg;
            break;
        case 't':
            a->cache = optarg;
            break;
        case 'p':
            a->progress = true;
            break;
        case 'q':
            a->quiet = true;
            break;
        case IMG_OPTION_OBJECT:
            img_object_add(optarg);
            break;
        case IMG_OPTION_IMAGE_OPTS:
            a->image_opts = true;
            break;
        case AMEND_OPTION_FORCE:
            a->force = true;
            break;
        }
    }
}

/* Open, check the options, amend; the exit status. */
static int img_amend_image(const char *filename, ImgAmendArgs *a)
{
    Error *err = NULL;
    BlockBackend *blk;
    BlockDriverState *bs;
    QemuOpts *opts;
    int ret;

    if (a->cache && !img_cache_mode_valid(a->cache)) {
        error_report("Invalid cache option: %s", a->cache);
        return 1;
    }
    blk = img_open_ext(filename, a->fmt, a->image_opts, BDRV_O_RDWR,
                       a->cache, false, &err);
    if (!blk) {
        error_reportf_err(err, "Could not open '%s': ", filename);
        return 1;
    }
    bs = blk_bs(blk);
    if (img_amend_wants_help(a->options->str)) {
        ret = img_amend_print_help(bs->drv->format_name);
        blk_unref(blk);
        return ret;
    }
    if (!bs->drv->bdrv_amend_options) {
        error_report("Format driver '%s' does not support option amendment",
                     bs->drv->format_name);
        blk_unref(blk);
        return 1;
    }
    opts = img_amend_parse(bs->drv, a->options->str);
    if (!opts) {
        blk_unref(blk);
        return 1;
    }
    /* img_progress_init() drew 0% already, as QEMU's first report does. */
    ret = bdrv_amend_options(bs, opts, img_amend_status_cb, NULL,
                             a->force, &err);
    img_progress_print(100);
    qemu_opts_del(opts);
    blk_unref(blk);
    if (ret < 0) {
        error_report_err(err);
        return 1;
    }
    return 0;
}

int img_amend(int argc, char **argv)
{
    ImgAmendArgs a = { 0 };
    int ret;

    a.options = g_string_new(NULL);
    img_amend_parse_args(argc, argv, &a);
    if (!a.options->len) {
        error_exit("Must specify options (-o)");
    }
    img_progress_init(a.progress && !a.quiet);
    if (a.fmt && img_amend_wants_help(a.options->str)) {
        ret = img_amend_print_help(a.fmt);
    } else if (optind != argc - 1) {
        error_report("Expecting one image file name");
        ret = 1;
    } else {
        ret = img_amend_image(argv[optind], &a);
    }
    /* QEMU ends the line without drawing it again. */
    if (a.progress && !a.quiet) {
        printf("\n");
    }
    g_string_free(a.options, true);
    return ret;
}
