/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img compare: do two images read the same?  Ranges both images
 * know to be zero are skipped by block status; everything else is read
 * in chunks of at most 2 MiB and compared 512-byte sector by sector, so
 * a mismatch is reported at the start of its sector as QEMU reports it.
 * Exit status: 0 identical, 1 different, 2 error.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "block/block.h"
#include "block/block-backend.h"
#include "qemu-img.h"

#define CMP_BUF_SIZE (2 * MiB)
#define CMP_STATUS_MASK (BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO | \
                         BDRV_BLOCK_ALLOCATED)

typedef struct CmpState {
    BlockBackend *blk[2];
    const char *name[2];
    uint8_t *buf[2];
    bool quiet;
} CmpState;

static void G_GNUC_PRINTF(2, 3) cmp_print(CmpState *s, const char *fmt, ...)
{
    va_list ap;

    if (!s->quiet) {
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
}

static int cmp_read(CmpState *s, int i, int64_t offset, int64_t bytes)
{
    int ret = blk_pread(s->blk[i], offset, bytes, s->buf[i], 0);

    if (ret < 0) {
        error_report("Error while reading offset %" PRId64 " of %s: %s",
                     offset, s->name[i], strerror(-ret));
        return 2;
    }
    return 0;
}

/* Offset of the first sector of @bytes at @a and @b that differs, or -1. */
static int64_t cmp_first_diff(const uint8_t *a, const uint8_t *b,
                              int64_t bytes)
{
    int64_t i;

    for (i = 0; i < bytes; i += BDRV_SECTOR_SIZE) {
        int64_t n = MIN(BDRV_SECTOR_SIZE, bytes - i);

        if (b ? memcmp(a + i, b + i, n) : !buffer_is_zero(a + i, n)) {
            return i;
        }
    }
    return -1;
}

/* Check that image @i reads as zeroes in [@offset, @offset + @bytes). */
static int cmp_check_zero(CmpState *s, int i, int64_t offset, int64_t bytes)
{
    int64_t at;
    int ret = cmp_read(s, i, offset, bytes);

    if (ret) {
        return ret;
    }
    at = cmp_first_diff(s->buf[i], NULL, bytes);
    if (at >= 0) {
        cmp_print(s, "Content mismatch at offset %" PRId64 "!\n",
                  offset + at);
        return 1;
    }
    return 0;
}

static int cmp_status(CmpState *s, int i, int64_t offset, int64_t bytes,
                      int64_t *pnum)
{
    int ret = bdrv_block_status_above(blk_bs(s->blk[i]), NULL, offset, bytes,
                                      pnum, NULL, NULL);

    if (ret < 0) {
        error_report("Sector allocation test failed for %s", s->name[i]);
        return ret;
    }
    if (*pnum == 0) {
        /* The tail of a file's last partial sector reads as zeroes. */
        *pnum = bytes;
        return BDRV_BLOCK_ZERO;
    }
    return ret & CMP_STATUS_MASK;
}

/* Compare the range both images have; 0, 1 (different) or 2 (error). */
static int cmp_common(CmpState *s, int64_t size, bool strict)
{
    int64_t offset, chunk, pnum[2];

    for (offset = 0; offset < size; offset += chunk) {
        int64_t want = MIN(size - offset, CMP_BUF_SIZE);
        int st[2], i, ret;

        for (i = 0; i < 2; i++) {
            st[i] = cmp_status(s, i, offset, want, &pnum[i]);
            if (st[i] < 0) {
                return 2;
            }
        }
        chunk = MIN(pnum[0], pnum[1]);
        if (strict && st[0] != st[1]) {
            cmp_print(s, "Strict mode: Offset %" PRId64
                      " block status mismatch!\n", offset);
            return 1;
        }
        if ((st[0] & BDRV_BLOCK_ZERO) && (st[1] & BDRV_BLOCK_ZERO)) {
            continue;
        }
        if ((st[0] & BDRV_BLOCK_ALLOCATED) != (st[1] & BDRV_BLOCK_ALLOCATED)) {
            i = (st[0] & BDRV_BLOCK_ALLOCATED) ? 0 : 1;
            ret = cmp_check_zero(s, i, offset, chunk);
        } else if (st[0] & BDRV_BLOCK_ALLOCATED) {
            int64_t at;

            ret = cmp_read(s, 0, offset, chunk);
            ret = ret ? ret : cmp_read(s, 1, offset, chunk);
            if (!ret) {
                at = cmp_first_diff(s->buf[0], s->buf[1], chunk);
                if (at >= 0) {
                    cmp_print(s, "Content mismatch at offset %" PRId64 "!\n",
                              offset + at);
                    ret = 1;
                }
            }
        } else {
            ret = 0;
        }
        if (ret) {
            return ret;
        }
    }
    return 0;
}

/* The part only the larger image @i has must read as zeroes. */
static int cmp_tail(CmpState *s, int i, int64_t from, int64_t to)
{
    int64_t offset, chunk;

    for (offset = from; offset < to; offset += chunk) {
        int st = cmp_status(s, i, offset, MIN(to - offset, CMP_BUF_SIZE),
                            &chunk);
        int ret;

        if (st < 0) {
            return 2;
        }
        if ((st & BDRV_BLOCK_ALLOCATED) && !(st & BDRV_BLOCK_ZERO)) {
            ret = cmp_check_zero(s, i, offset, chunk);
            if (ret) {
                return ret;
            }
        }
    }
    return 0;
}

static int cmp_images(CmpState *s, bool strict)
{
    int64_t size[2];
    int i, ret;

    for (i = 0; i < 2; i++) {
        size[i] = img_getlength(s->blk[i]);
        if (size[i] < 0) {
            error_report("Can't get size of %s: %s", s->name[i],
                         strerror(-size[i]));
            return 4;
        }
    }
    if (size[0] != size[1] && strict) {
        cmp_print(s, "Strict mode: Image size mismatch!\n");
        return 1;
    }
    ret = cmp_common(s, MIN(size[0], size[1]), strict);
    if (!ret && size[0] != size[1]) {
        /* QEMU warns only once the common part has matched. */
        cmp_print(s, "Warning: Image size mismatch!\n");
        i = size[0] > size[1] ? 0 : 1;
        ret = cmp_tail(s, i, size[!i], size[i]);
    }
    if (!ret) {
        cmp_print(s, "Images are identical.\n");
    }
    return ret;
}

int img_compare(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 }
    };
    const char *fmt[2] = { NULL, NULL };
    CmpState s = { 0 };
    bool strict = false;
    int c, i, ret = 0;

    for (;;) {
        c = getopt_long(argc, argv, ":hf:F:T:pqsU", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case ':':
        case '?':
            img_bad_option(c, argv);
            break;
        case 'h':
            img_help();
            break;
        case 'f':
            fmt[0] = optarg;
            break;
        case 'F':
            fmt[1] = optarg;
            break;
        case 'q':
            s.quiet = true;
            break;
        case 's':
            strict = true;
            break;
        case 'T':
        case 'p':
        case 'U':
            break;
        default:
            error_report("This option is not supported yet");
            return 2;
        }
    }
    if (optind != argc - 2) {
        error_exit("Expecting two image file names");
    }
    for (i = 0; i < 2; i++) {
        Error *err = NULL;

        s.name[i] = argv[optind + i];
        s.blk[i] = img_open(s.name[i], fmt[i], true, &err);
        if (!s.blk[i]) {
            error_reportf_err(err, "Could not open '%s': ", s.name[i]);
            ret = 2;
            goto out;
        }
        s.buf[i] = g_malloc(CMP_BUF_SIZE);
    }
    ret = cmp_images(&s, strict);
out:
    for (i = 0; i < 2; i++) {
        if (s.blk[i]) {
            blk_unref(s.blk[i]);
        }
        g_free(s.buf[i]);
    }
    return ret;
}
