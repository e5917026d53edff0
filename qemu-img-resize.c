/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img resize: set an image's virtual size, absolutely or by a
 * "+"/"-" delta.  Shrinking needs --shrink, as in QEMU 7.2, which also
 * words the messages and the order in which they are checked.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "block/block.h"
#include "block/block-backend.h"
#include "qemu-img.h"

enum {
    OPTION_PREALLOCATION = 300,
    OPTION_SHRINK,
};

static const char *const resize_prealloc_names[] = {
    "off", "metadata", "falloc", "full", NULL
};

typedef struct ResizeArgs {
    const char *fmt;
    bool image_opts, quiet, shrink;
    PreallocMode prealloc;
    int64_t size;           /* the new size or the delta */
    int relative;           /* 0, +1 or -1 */
} ResizeArgs;

static void QEMU_NORETURN resize_bad_size(void)
{
    error_report("Parameter 'size' expects a non-negative number below "
                 "2^64");
    error_printf("Optional suffix k, M, G, T, P or E means kilo-, mega-, "
                 "giga-, tera-, peta-\nand exabytes, respectively.\n");
    exit(EXIT_FAILURE);
}

static void resize_parse_size(ResizeArgs *a, const char *arg)
{
    uint64_t n;

    if (arg[0] == '+' || arg[0] == '-') {
        a->relative = arg[0] == '+' ? 1 : -1;
        arg++;
    }
    if (qemu_strtosz(arg, NULL, &n) < 0 || n > INT64_MAX) {
        resize_bad_size();
    }
    a->size = n;
}

static void resize_parse_prealloc(ResizeArgs *a, const char *arg)
{
    int i;

    for (i = 0; resize_prealloc_names[i]; i++) {
        if (!strcmp(arg, resize_prealloc_names[i])) {
            a->prealloc = i;
            return;
        }
    }
    error_report("Invalid preallocation mode '%s'", arg);
    exit(EXIT_FAILURE);
}

static const char *resize_parse_args(ResizeArgs *a, int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "preallocation", required_argument, NULL, OPTION_PREALLOCATION },
        { "shrink", no_argument, NULL, OPTION_SHRINK },
        { NULL, 0, NULL, 0 }
    };
    const char *size;
    int c;

    /* The size comes last and may start with '-': take it before getopt. */
    if (argc < 3) {
        error_exit("Not enough arguments");
    }
    size = argv[--argc];
    while ((c = getopt_long(argc, argv, ":f:hq", long_options,
                            NULL)) != -1) {
        switch (c) {
        case ':':
        case '?':
            img_bad_option(c, argv);
        case 'h':
            img_help();
        case 'f':
            a->fmt = optarg;
            break;
        case 'q':
            a->quiet = true;
            break;
        case IMG_OPTION_OBJECT:
            error_report("--object is not supported");
            exit(EXIT_FAILURE);
        case IMG_OPTION_IMAGE_OPTS:
            a->image_opts = true;
            break;
        case OPTION_PREALLOCATION:
            resize_parse_prealloc(a, optarg);
            break;
        case OPTION_SHRINK:
            a->shrink = true;
            break;
        }
    }
    if (optind != argc - 1) {
        error_exit("Expecting image file name and size");
    }
    resize_parse_size(a, size);
    return argv[optind];
}

int img_resize(int argc, char **argv)
{
    ResizeArgs a = { 0 };
    const char *filename = resize_parse_args(&a, argc, argv);
    Error *err = NULL;
    BlockBackend *blk;
    int64_t current, total;
    int ret = 1;

    if (a.image_opts && a.fmt) {
        error_report("--image-opts and --format are mutually exclusive");
        return 1;
    }
    blk = img_open_ext(filename, a.fmt, a.image_opts,
                       BDRV_O_RDWR | BDRV_O_RESIZE | BDRV_O_NO_SHARE, NULL,
                       false, &err);
    if (!blk) {
        error_reportf_err(err, "Could not open '%s': ", filename);
        return 1;
    }
    img_print_probe_warning(blk);
    current = img_getlength(blk);
    if (current < 0) {
        error_report("Failed to inquire current image length: %s",
                     strerror(-current));
        goto out;
    }
    total = a.relative ? current + a.relative * a.size : a.size;
    if (total <= 0) {
        error_report("New image size must be positive");
        goto out;
    }
    if (total < current && !a.shrink) {
        error_report("Use the --shrink option to perform a shrink "
                     "operation.");
        warn_report("Shrinking an image will delete all data beyond the "
                    "shrunken image's end. Before performing such an "
                    "operation, make sure there is no important data "
                    "there.");
        goto out;
    }
    if (total < current && a.prealloc != PREALLOC_MODE_OFF) {
        error_report("Preallocation can only be used for growing images");
        goto out;
    }
    if (blk_truncate(blk, total, false, a.prealloc, &err) < 0) {
        error_report_err(err);
        goto out;
    }
    if (!a.quiet) {
        printf("Image resized.\n");
    }
    ret = 0;
out:
    blk_unref(blk);
    return ret;
}
