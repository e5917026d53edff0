/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img dd: copy part of an image into a new one, dd style
 * ("if=", "of=", "bs=", "count=", "skip=").  As in QEMU 7.2 the target
 * gets min(count * bs, input size) - skip * bs bytes, read from
 * skip * bs on, and is fully written (no sparse detection).
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "block/block.h"
#include "block/block-backend.h"
#include "qemu-img.h"

#define DD_CHUNK (1 * MiB)

typedef struct DdArgs {
    const char *fmt, *out_fmt, *in_name, *out_name;
    bool image_opts, force_share;
    int64_t bs, count, skip;
    bool have_count;
} DdArgs;

static void QEMU_NORETURN dd_bad_number(const char *what)
{
    error_report("Invalid %s specified. You may use k, M, G, T, P or E "
                 "suffixes for", what);
    error_report("kilobytes, megabytes, gigabytes, terabytes, petabytes "
                 "and exabytes.");
    exit(EXIT_FAILURE);
}

static int64_t dd_parse_number(const char *what, const char *arg)
{
    uint64_t n;

    if (qemu_strtosz(arg, NULL, &n) < 0 || n > INT64_MAX) {
        dd_bad_number(what);
    }
    return n;
}

static void dd_parse_operand(DdArgs *a, const char *arg)
{
    const char *eq = strchr(arg, '=');
    g_autofree char *key = eq ? g_strndup(arg, eq - arg) : g_strdup(arg);
    const char *val = eq ? eq + 1 : NULL;

    if (!val) {
        error_report("unrecognized operand %s", arg);
        exit(EXIT_FAILURE);
    }
    if (!strcmp(key, "if")) {
        a->in_name = val;
    } else if (!strcmp(key, "of")) {
        a->out_name = val;
    } else if (!strcmp(key, "bs")) {
        a->bs = dd_parse_number("bs", val);
        if (a->bs == 0 || a->bs > INT_MAX) {
            error_report("Invalid bs specified. Must be between 1 and %d.",
                         INT_MAX);
            exit(EXIT_FAILURE);
        }
    } else if (!strcmp(key, "count")) {
        a->count = dd_parse_number("count", val);
        a->have_count = true;
    } else if (!strcmp(key, "skip")) {
        a->skip = dd_parse_number("skip", val);
    } else {
        error_report("unrecognized operand %s", key);
        exit(EXIT_FAILURE);
    }
}

static void dd_parse_args(DdArgs *a, int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 }
    };
    int c;

    a->bs = 512;
    a->out_fmt = "raw";
    while ((c = getopt_long(argc, argv, ":hf:O:U", long_options,
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
        case 'O':
            a->out_fmt = optarg;
            break;
        case 'U':
            a->force_share = true;
            break;
        case IMG_OPTION_OBJECT:
            error_report("--object is not supported");
            exit(EXIT_FAILURE);
        case IMG_OPTION_IMAGE_OPTS:
            a->image_opts = true;
            break;
        }
    }
    for (; optind < argc; optind++) {
        dd_parse_operand(a, argv[optind]);
    }
    if (!a->in_name || !a->out_name) {
        error_report("Must specify both input and output files");
        exit(EXIT_FAILURE);
    }
}

static bool dd_create(DdArgs *a, int64_t size)
{
    Error *err = NULL;
    ImgOptList opts;
    bool ok;

    if (strcmp(a->out_fmt, "raw") && strcmp(a->out_fmt, "qcow2")) {
        error_report("Unknown file format '%s'", a->out_fmt);
        return false;
    }
    img_opts_init(&opts);
    if (!strcmp(a->out_fmt, "raw")) {
        ok = img_create_raw(a->out_name, &opts, size, &err);
    } else {
        ok = img_create_qcow2(a->out_name, &opts, size, NULL, NULL, &err);
    }
    img_opts_free(&opts);
    if (!ok) {
        error_reportf_err(err, "%s: error while creating output image: ",
                          a->out_name);
    }
    return ok;
}

/*
 * Read @n bytes at @offset; what lies past the end of a file whose size
 * is not a whole number of sectors reads as zeroes, as in QEMU.
 */
static int dd_read(BlockBackend *in, int64_t offset, int64_t n, uint8_t *buf)
{
    int64_t len = blk_getlength(in);
    int64_t avail = len < 0 ? n : MAX(MIN(n, len - offset), 0);

    memset(buf + avail, 0, n - avail);
    return avail ? blk_pread(in, offset, avail, buf, 0) : 0;
}

/* Copy @size bytes from @in at @in_pos to the start of @out. */
static int dd_copy(BlockBackend *in, BlockBackend *out, int64_t in_pos,
                   int64_t size, int64_t bs)
{
    int64_t chunk = bs >= DD_CHUNK ? bs : QEMU_ALIGN_DOWN(DD_CHUNK, bs);
    uint8_t *buf = qemu_blockalign(blk_bs(in), chunk);
    int64_t done;
    int ret = 0;

    for (done = 0; done < size; done += chunk) {
        int64_t n = MIN(chunk, size - done);

        ret = dd_read(in, in_pos + done, n, buf);
        if (ret < 0) {
            error_report("error while reading from input image file: %s",
                         strerror(-ret));
            break;
        }
        ret = blk_pwrite(out, done, n, buf, 0);
        if (ret < 0) {
            error_report("error while writing to output image file: %s",
                         strerror(-ret));
            break;
        }
    }
    qemu_vfree(buf);
    return ret;
}

int img_dd(int argc, char **argv)
{
    DdArgs a = { 0 };
    Error *err = NULL;
    BlockBackend *in, *out;
    int64_t in_size, size, in_pos;
    int ret;

    dd_parse_args(&a, argc, argv);
    if (a.image_opts && a.fmt) {
        error_report("--image-opts and --format are mutually exclusive");
        return 1;
    }
    in = img_open_ext(a.in_name, a.fmt, a.image_opts,
                      a.force_share ? 0 : BDRV_O_NO_SHARE, NULL,
                      a.force_share, &err);
    if (!in) {
        error_reportf_err(err, "Could not open '%s': ", a.in_name);
        return 1;
    }
    in_size = img_getlength(in);
    if (in_size < 0) {
        error_report("Failed to get size for '%s'", a.in_name);
        blk_unref(in);
        return 1;
    }
    size = in_size;
    if (a.have_count && a.count <= in_size / a.bs) {
        size = a.count * a.bs;
    }
    in_pos = a.skip > in_size / a.bs ? in_size + 1 : a.skip * a.bs;
    size = MAX(size - in_pos, 0);
    if (!dd_create(&a, size)) {
        blk_unref(in);
        return 1;
    }
    out = img_open_ext(a.out_name, a.out_fmt, false,
                       BDRV_O_RDWR | BDRV_O_NO_SHARE, NULL, false, &err);
    if (!out) {
        error_reportf_err(err, "Could not open '%s': ", a.out_name);
        blk_unref(in);
        return 1;
    }
    ret = 0;
    if (in_pos > in_size) {
        /* QEMU reports this but still succeeds, with an empty target. */
        error_report("%s: cannot skip to specified offset", a.in_name);
    } else {
        ret = dd_copy(in, out, in_pos, size, a.bs) < 0;
    }
    blk_unref(out);
    blk_unref(in);
    return ret;
}
