/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img map: where each guest byte range lives, walking the backing
 * chain node by node so every range also says how deep it was found.
 * Adjacent ranges that agree on everything are merged before printing,
 * as QEMU prints them.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "qemu-img.h"

typedef struct MapEntry {
    int64_t start;
    int64_t length;
    int depth;
    bool present, zero, data, has_offset;
    int64_t offset;
    const char *filename;       /* borrowed from the node; NULL if none */
} MapEntry;

/* Status of the range at @offset: from the first node that knows it. */
static int img_map_status(BlockDriverState *bs, int64_t offset,
                          int64_t bytes, MapEntry *e)
{
    BlockDriverState *file = NULL;
    int64_t map = 0, pnum = 0, backing_len;
    int depth = 0;
    int ret;

    for (;;) {
        ret = bdrv_block_status(bs, offset, bytes, &pnum, &map, &file);
        if (ret < 0) {
            return ret;
        }
        if (pnum == 0) {
            /*
             * The rest of a file's last partial sector: QEMU counts whole
             * sectors and reports it as zeroes stored in place.
             */
            pnum = bytes;
            map = offset;
            file = bs->file ? bs->file->bs : bs;
            ret = BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED |
                  BDRV_BLOCK_OFFSET_VALID;
        }
        bytes = pnum;
        if (ret & (BDRV_BLOCK_ZERO | BDRV_BLOCK_DATA)) {
            break;
        }
        if (!bs->backing) {
            ret = 0;
            break;
        }
        /*
         * Past the end of a shorter backing file the image reads as
         * zeroes and QEMU reports them at this depth; before it, the
         * range must not run past the backing file's end.
         */
        backing_len = bdrv_getlength(bs->backing->bs);
        if (backing_len >= 0 && offset >= backing_len) {
            ret = BDRV_BLOCK_ZERO;
            break;
        }
        if (backing_len >= 0) {
            bytes = MIN(bytes, backing_len - offset);
        }
        bs = bs->backing->bs;
        depth++;
    }
    *e = (MapEntry) {
        .start = offset,
        .length = bytes,
        .depth = depth,
        .present = ret & BDRV_BLOCK_ALLOCATED,
        .zero = ret & BDRV_BLOCK_ZERO,
        .data = ret & BDRV_BLOCK_DATA,
        .has_offset = ret & BDRV_BLOCK_OFFSET_VALID,
        .offset = map,
        .filename = file ? file->filename : NULL,
    };
    return 0;
}

static bool img_map_mergeable(const MapEntry *a, const MapEntry *b)
{
    if (a->present != b->present || a->zero != b->zero ||
        a->data != b->data || a->depth != b->depth ||
        a->has_offset != b->has_offset) {
        return false;
    }
    if (!!a->filename != !!b->filename ||
        (a->filename && strcmp(a->filename, b->filename))) {
        return false;
    }
    return !a->has_offset || a->offset + a->length == b->offset;
}

static void img_map_print(const MapEntry *e, bool json, bool first,
                          bool last)
{
    if (!json) {
        if (e->data && e->has_offset) {
            printf("%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64 "%s\n",
                   (uint64_t)e->start, (uint64_t)e->length,
                   (uint64_t)e->offset, e->filename ? e->filename : "");
        }
        return;
    }
    printf("%s{ \"start\": %" PRId64 ", \"length\": %" PRId64 ", "
           "\"depth\": %d, \"present\": %s, \"zero\": %s, \"data\": %s",
           first ? "[" : "", e->start, e->length, e->depth,
           e->present ? "true" : "false", e->zero ? "true" : "false",
           e->data ? "true" : "false");
    if (e->has_offset) {
        printf(", \"offset\": %" PRId64, e->offset);
    }
    printf("}%s\n", last ? "]" : ",");
}

int img_map(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, IMG_OPTION_OUTPUT },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 }
    };
    const char *fmt = NULL, *output = NULL, *filename;
    MapEntry cur = { 0 }, next;
    BlockBackend *blk;
    int64_t length, offset = 0;
    bool json, first = true;
    int c, ret = 0;

    for (;;) {
        c = getopt_long(argc, argv, ":f:hU", long_options, NULL);
        if (c == -1) {
            break;
        }
        if (!img_read_only_option(c, argv, &fmt, &output)) {
            error_report("This option is not supported yet");
            return 1;
        }
    }
    filename = img_single_image(argc, argv, output, &json);
    if (!filename) {
        return 1;
    }
    blk = img_open_reported(filename, fmt, true);
    if (!blk) {
        return 1;
    }
    length = img_getlength(blk);
    if (length < 0) {
        error_report("Failed to get size for '%s'", filename);
        blk_unref(blk);
        return 1;
    }
    if (!json) {
        printf("%-16s%-16s%-16s%s\n", "Offset", "Length", "Mapped to",
               "File");
    }
    while (offset < length) {
        int64_t n = MIN(1 << 30, length - offset);

        ret = img_map_status(blk_bs(blk), offset, n, &next);
        if (ret < 0) {
            error_report("Could not read file metadata: %s", strerror(-ret));
            break;
        }
        if (next.length == 0) {
            break;      /* no progress: never loop forever */
        }
        offset += next.length;
        if (cur.length && img_map_mergeable(&cur, &next)) {
            cur.length += next.length;
            continue;
        }
        if (cur.length) {
            img_map_print(&cur, json, first, false);
            first = false;
        }
        cur = next;
    }
    if (ret >= 0 && cur.length) {
        img_map_print(&cur, json, first, true);
    } else if (ret >= 0 && json) {
        /* QEMU describes an empty image with one empty range. */
        img_map_print(&cur, json, true, true);
    }
    blk_unref(blk);
    return ret < 0;
}
