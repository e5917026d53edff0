/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img check for qcow2 images, read-only: the image file is read into
 * memory and walked by the format library's qcow2_check_image_buffer(),
 * which counts corruptions, leaks and cluster statistics the way QEMU
 * does.  Reading the whole file bounds the image size (CHECK_MAX_FILE);
 * repairs (-r) need writes and are refused.
 * Exit status: 0 clean, 1 check failed, 2 corrupt, 3 leaks, 63 no checks.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/qcow2-format.h"
#include "qemu-img.h"

#define CHECK_MAX_FILE (4 * GiB)

/* Read the file under the qcow2 node @bs and check it. */
static bool check_qcow2(BlockDriverState *bs, Qcow2CheckResult *res,
                        Error **errp)
{
    int64_t len = bdrv_getlength(bs->file->bs);
    g_autofree uint8_t *img = NULL;
    int ret;

    if (len < 0) {
        error_setg_errno(errp, -len, "Could not get the image file size");
        return false;
    }
    if (len > CHECK_MAX_FILE) {
        error_setg(errp, "Image files larger than 4 GiB cannot be checked "
                   "yet");
        return false;
    }
    img = g_try_malloc(MAX(len, 1));
    if (!img) {
        error_setg(errp, "Not enough memory to check the image");
        return false;
    }
    ret = bdrv_pread(bs->file, 0, len, img, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read the image");
        return false;
    }
    return qcow2_check_image_buffer(img, len, res, errp);
}

static void check_print_human(const Qcow2CheckResult *r)
{
    if (!r->corruptions && !r->leaks && !r->check_errors) {
        printf("No errors were found on the image.\n");
    } else {
        if (r->corruptions) {
            printf("\n%" PRIu64 " errors were found on the image.\n"
                   "Data may be corrupted, or further writes to the image "
                   "may corrupt it.\n", r->corruptions);
        }
        if (r->leaks) {
            printf("\n%" PRIu64 " leaked clusters were found on the image.\n"
                   "This means waste of disk space, but no harm to data.\n",
                   r->leaks);
        }
        if (r->check_errors) {
            printf("\n%" PRIu64 " internal errors have occurred during the "
                   "check.\n", r->check_errors);
        }
    }
    if (r->total_clusters && r->allocated_clusters) {
        printf("%" PRIu64 "/%" PRIu64 " = %0.2f%% allocated, "
               "%0.2f%% fragmented, %0.2f%% compressed clusters\n",
               r->allocated_clusters, r->total_clusters,
               r->allocated_clusters * 100.0 / r->total_clusters,
               r->fragmented_clusters * 100.0 / r->allocated_clusters,
               r->compressed_clusters * 100.0 / r->allocated_clusters);
    }
    if (r->image_end_offset) {
        printf("Image end offset: %" PRIu64 "\n", r->image_end_offset);
    }
}

/* QEMU's ImageCheck: optional counters appear only when not zero. */
static void check_print_json(const Qcow2CheckResult *r, const char *filename)
{
    g_autoptr(QDict) d = qdict_new();
    g_autoptr(GString) s = NULL;
    static const struct {
        const char *key;
        size_t off;
    } opt[] = {
        { "image-end-offset", offsetof(Qcow2CheckResult, image_end_offset) },
        { "corruptions", offsetof(Qcow2CheckResult, corruptions) },
        { "leaks", offsetof(Qcow2CheckResult, leaks) },
        { "total-clusters", offsetof(Qcow2CheckResult, total_clusters) },
        { "allocated-clusters",
          offsetof(Qcow2CheckResult, allocated_clusters) },
        { "fragmented-clusters",
          offsetof(Qcow2CheckResult, fragmented_clusters) },
        { "compressed-clusters",
          offsetof(Qcow2CheckResult, compressed_clusters) },
    };
    size_t i;

    qdict_put_str(d, "filename", filename);
    qdict_put_str(d, "format", "qcow2");
    qdict_put_int(d, "check-errors", r->check_errors);
    for (i = 0; i < G_N_ELEMENTS(opt); i++) {
        uint64_t v = *(const uint64_t *)((const char *)r + opt[i].off);

        if (v) {
            qdict_put_int(d, opt[i].key, v);
        }
    }
    s = qobject_to_json_pretty(QOBJECT(d), true);
    printf("%s\n", s->str);
}

int img_check(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "repair", required_argument, NULL, 'r' },
        { "output", required_argument, NULL, IMG_OPTION_OUTPUT },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 }
    };
    const char *fmt = NULL, *output = NULL, *filename;
    Qcow2CheckResult res = { 0 };
    Error *err = NULL;
    BlockBackend *blk;
    bool json, quiet = false, ok;
    int c;

    for (;;) {
        c = getopt_long(argc, argv, ":hf:r:T:qU", long_options, NULL);
        if (c == -1) {
            break;
        }
        if (img_read_only_option(c, argv, &fmt, &output)) {
            continue;
        }
        switch (c) {
        case 'r':
            if (strcmp(optarg, "leaks") && strcmp(optarg, "all")) {
                error_exit("Unknown option value for -r "
                           "(expecting 'leaks' or 'all'): %s", optarg);
            }
            error_report("Repairing images is not supported: this "
                         "qemu-img opens images read-only");
            return 1;
        case 'q':
            quiet = true;
            break;
        case 'T':
            break;
        default:
            error_report("This option is not supported yet");
            return 1;
        }
    }
    filename = img_single_image(argc, argv, output, &json);
    if (!filename) {
        return 1;
    }
    /* QEMU opens the backing chain too, and fails if it is missing. */
    blk = img_open_reported(filename, fmt, true);
    if (!blk) {
        return 1;
    }
    if (strcmp(bdrv_get_format_name(blk_bs(blk)), "qcow2")) {
        blk_unref(blk);
        error_report("This image format does not support checks");
        return 63;
    }
    ok = check_qcow2(blk_bs(blk), &res, &err);
    blk_unref(blk);
    if (!ok) {
        error_reportf_err(err, "Check failed: ");
        return 1;
    }
    if (json) {
        check_print_json(&res, filename);
    } else if (!quiet) {
        check_print_human(&res);
    }
    if (res.check_errors) {
        return 1;
    }
    return res.corruptions ? 2 : res.leaks ? 3 : 0;
}
