/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 driver against images the real QEMU writes: every byte read
 * through our driver is compared with qemu-img convert -O raw of the same
 * image, block status with qemu-img map --output=json; options and
 * backing files as QEMU takes them.  Damaged images and refcounts are
 * in test-qcow2-metadata.  Skips when /usr/bin/qemu-img is absent.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include "qemu/cutils.h"
#include "qemu/main-loop.h"
#include "block/aio-wait.h"
#include "block/qcow2.h"
#include "qcow2-test-util.h"

typedef struct DriverCase {
    const char *name;
    const char *create;         /* qemu-img create -o options */
    const char *size;
    const char *io[6];          /* qemu-io commands */
    bool convert_compressed;    /* rewrite with qemu-img convert -c */
    int backing_depth;          /* images below this one (0..2) */
} DriverCase;

static const DriverCase cases[] = {
    { "v3-64k", "cluster_size=65536", "8M",
      { "write -P 0xaa 0 64k", "write -z 1M 64k", "write -P 0xbb 2M 192k",
        "write -z -u 3M 128k", "write -P 0x12 5000 3000",
        "discard 2M 64k" } },
    { "v2", "compat=0.10", "8M",
      { "write -P 0xaa 0 64k", "write -z 1M 64k", "write -P 1 5M 4k",
        "write -P 2 7340000 1000" } },
    { "c512", "cluster_size=512", "2M",
      { "write -P 0xaa 0 64k", "write -z 100k 2k", "write -P 3 1M 7k",
        "write -P 4 1500 700", "discard 8k 4k" } },
    { "c4k", "cluster_size=4096", "4M",
      { "write -P 0xaa 0 1M", "write -P 9 3M 8k", "write -z 512k 12k" } },
    { "c2m", "cluster_size=2M", "16M",
      { "write -P 0xaa 0 64k", "write -P 5 6M 3M", "write -z 12M 2M" } },
    { "compressed", "cluster_size=65536", "8M",
      { "write -P 0xaa 0 1M", "write -P 0x55 2M 100k",
        "write -P 0x56 3000000 77777" }, true },
    { "compressed-io", "cluster_size=4096", "4M",
      { "write -c -P 0xcc 0 4k", "write -c -P 0xdd 8k 4k",
        "write -P 1 64k 4k" } },
    { "compressed-2m", "cluster_size=2M", "8M",
      { "write -c -P 0xcc 0 2M", "write -P 1 4M 4k" } },
    { "extl2", "extended_l2=on", "8M",
      { "write -P 0xaa 0 4k", "write -z 64k 4k", "write -P 1 200k 8k",
        "write -c -P 2 1M 64k", "write -P 3 2M 64k", "write -z 2M 2k" } },
    { "extl2-c32k", "extended_l2=on,cluster_size=32k", "4M",
      { "write -P 0xaa 1k 1k", "write -P 4 40k 3k", "write -z 100k 1k" } },
    { "backing1", "cluster_size=65536", "8M",
      { "write -P 0x11 64k 64k", "write -z 1M 64k", "write -P 3 1200k 5k" },
      false, 1 },
    { "backing2", "cluster_size=4096", "6M",
      { "write -P 0x21 8k 4k", "write -P 0x22 3M 1M" }, false, 2 },
    { "backing-extl2", "extended_l2=on", "4M",
      { "write -P 0x31 0 2k", "write -z 4k 2k", "write -P 0x32 70k 1k" },
      false, 2 },
};

/* Backing layers under @c: base (3M, 2 patterns), mid (5M). */
static char *make_backing(const DriverCase *c)
{
    g_autofree char *base = tmp_path(c->name, "base.qcow2");
    char *mid;

    if (!c->backing_depth) {
        return NULL;
    }
    /* Shorter than the top, so reads past its end must give zeroes */
    qemu_img_create(base, "cluster_size=65536", NULL, "3M");
    qemu_io(base, "qcow2", "write -P 0x77 0 3M");
    qemu_io(base, "qcow2", "write -z 64k 64k");
    if (c->backing_depth == 1) {
        return g_steal_pointer(&base);
    }
    mid = tmp_path(c->name, "mid.qcow2");
    /* A relative name: opened from the image's directory */
    qemu_img_create(mid, "cluster_size=4096", base, "5M");
    qemu_io(mid, "qcow2", "write -P 0x88 1M 100k");
    qemu_io(mid, "qcow2", "write -z 2M 8k");
    return mid;
}

static void make_image(const DriverCase *c, const char *path)
{
    g_autofree char *raw = tmp_path(c->name, "src.raw");
    g_autofree char *backing = make_backing(c);
    const char *target = c->convert_compressed ? raw : path;
    int i;

    if (c->convert_compressed) {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "raw",
                                      raw, c->size, NULL }));
    } else {
        qemu_img_create(path, c->create, backing, c->size);
    }
    for (i = 0; i < ARRAY_SIZE(c->io) && c->io[i]; i++) {
        qemu_io(target, c->convert_compressed ? "raw" : "qcow2", c->io[i]);
    }
    if (c->convert_compressed) {
        g_autofree char *o = g_strdup_printf("%s", c->create);

        g_free(run((const char *[]) { QEMU_IMG, "convert", "-c", "-f", "raw",
                                      "-O", "qcow2", "-o", o, raw, path,
                                      NULL }));
    }
}

/* Read everything in odd-sized pieces, then random ranges; compare. */
static void compare_reads(BlockBackend *blk, const uint8_t *ref, gsize len)
{
    g_autofree uint8_t *buf = g_malloc(len);
    GRand *rand = g_rand_new_with_seed(len);
    gsize off = 0, n;
    int i;

    g_assert_cmpint(blk_getlength(blk), ==, len);
    while (off < len) {
        n = MIN(len - off, 1000003);
        g_assert_cmpint(blk_pread(blk, off, n, buf + off, 0), ==, 0);
        off += n;
    }
    g_assert(memcmp(buf, ref, len) == 0);
    for (i = 0; i < 200; i++) {
        gsize start = g_rand_int_range(rand, 0, len);

        n = g_rand_int_range(rand, 1, MIN(len - start, 300000) + 1);
        memset(buf, 0x5a, n);
        g_assert_cmpint(blk_pread(blk, start, n, buf, 0), ==, 0);
        g_assert(memcmp(buf, ref + start, n) == 0);
    }
    g_rand_free(rand);
}

/* One map entry, as qemu-img map walks the chain. */
typedef struct MapEntry {
    int64_t start, length, offset;
    int depth;
    bool present, zero, data, has_offset;
} MapEntry;

static void map_at(BlockDriverState *bs, int64_t pos, int64_t bytes,
                   MapEntry *e)
{
    BlockDriverState *file;
    int64_t pnum, map;
    int ret;

    memset(e, 0, sizeof(*e));
    e->start = pos;
    for (;;) {
        ret = bdrv_block_status(bs, pos, bytes, &pnum, &map, &file);
        g_assert_cmpint(ret, >=, 0);
        g_assert_cmpint(pnum, >, 0);
        bytes = pnum;
        if ((ret & BDRV_BLOCK_ALLOCATED) || !bs->backing ||
            pos >= bdrv_getlength(bs->backing->bs)) {
            break;
        }
        bs = bs->backing->bs;
        e->depth++;
    }
    e->length = bytes;
    e->present = ret & BDRV_BLOCK_ALLOCATED;
    /* Past the end of the backing file the data reads as zeroes */
    e->zero = (ret & BDRV_BLOCK_ZERO) || !e->present;
    e->data = ret & BDRV_BLOCK_DATA;
    e->has_offset = ret & BDRV_BLOCK_OFFSET_VALID;
    e->offset = map;
}

static bool map_merges(const MapEntry *a, const MapEntry *b)
{
    return a->depth == b->depth && a->present == b->present &&
           a->zero == b->zero && a->data == b->data &&
           a->has_offset == b->has_offset &&
           (!a->has_offset || a->offset + a->length == b->offset);
}

static void map_print(GString *s, const MapEntry *e)
{
    g_string_append_printf(s, "%s{ \"start\": %" PRId64 ", \"length\": %"
                           PRId64 ", \"depth\": %d, \"present\": %s, "
                           "\"zero\": %s, \"data\": %s", s->len ? ",\n" : "[",
                           e->start, e->length, e->depth,
                           e->present ? "true" : "false",
                           e->zero ? "true" : "false",
                           e->data ? "true" : "false");
    if (e->has_offset) {
        g_string_append_printf(s, ", \"offset\": %" PRId64, e->offset);
    }
    g_string_append(s, "}");
}

/* Our block status in the format of qemu-img map --output=json. */
static char *our_map(BlockBackend *blk)
{
    BlockDriverState *bs = blk_bs(blk);
    int64_t len = bdrv_getlength(bs), pos = 0;
    GString *s = g_string_new("");
    MapEntry cur, next;

    map_at(bs, 0, len, &cur);
    pos = cur.length;
    while (pos < len) {
        map_at(bs, pos, len - pos, &next);
        if (map_merges(&cur, &next)) {
            cur.length += next.length;
        } else {
            map_print(s, &cur);
            cur = next;
        }
        pos += next.length;
    }
    map_print(s, &cur);
    g_string_append(s, "]\n");
    return g_string_free(s, false);
}

static void compare_map(BlockBackend *blk, const char *path)
{
    g_autofree char *theirs = run((const char *[]) { QEMU_IMG, "map",
                                                     "--output=json", path,
                                                     NULL });
    g_autofree char *ours = our_map(blk);

    g_assert_cmpstr(ours, ==, theirs);
}

static void test_image(gconstpointer opaque)
{
    const DriverCase *c = opaque;
    g_autofree char *path = tmp_path(c->name, "qcow2");
    g_autofree uint8_t *ref = NULL;
    BlockDriverInfo bdi;
    BlockBackend *blk;
    gsize len;

    if (!have_qemu()) {
        return;
    }
    make_image(c, path);
    ref = reference_contents(path, &len);
    /* Probed, as qemu-img would: the format must come out as qcow2 */
    blk = open_ro(path, NULL);
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)), ==, "qcow2");
    g_assert_cmpint(bdrv_get_info(blk_bs(blk), &bdi), ==, 0);
    g_assert_cmpint(bdi.cluster_size, >=, 512);
    compare_reads(blk, ref, len);
    compare_map(blk, path);
    blk_unref(blk);
}

/* A two-table cache must evict and still read correctly. */
static void test_small_cache(void)
{
    const DriverCase *c = &cases[3];
    g_autofree char *path = tmp_path("small-cache", "qcow2");
    g_autofree uint8_t *ref = NULL;
    BDRVQcow2State *s;
    BlockBackend *blk;
    QDict *opts = qdict_new();
    gsize len;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "cluster_size=512", NULL, "4M");
    qemu_io(path, "qcow2", "write -P 1 0 4M");
    qemu_io(path, "qcow2", c->io[2]);
    ref = reference_contents(path, &len);
    qdict_put_str(opts, "l2-cache-size", "1");
    blk = open_ro(path, opts);
    s = blk_bs(blk)->opaque;
    g_assert_cmpint(qcow2_cache_nb_tables(s->l2_cache), ==, 2);
    compare_reads(blk, ref, len);
    blk_unref(blk);

    /* The default: enough to cover the disk (64 tables of 64 entries) */
    blk = open_ro(path, NULL);
    s = blk_bs(blk)->opaque;
    g_assert_cmpint(qcow2_cache_nb_tables(s->l2_cache), ==, 128);
    blk_unref(blk);
}

/* A 1 TiB sparse image: far offsets, cheap to read around. */
static void test_huge_sparse(void)
{
    g_autofree char *path = tmp_path("huge", "qcow2");
    static const int64_t offs[] = {
        0, 512 * GiB - 3000, 1024 * GiB - 64 * KiB,
    };
    uint8_t buf[128 * 1024];
    BlockBackend *blk;
    int i, j;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "cluster_size=65536", NULL, "1T");
    for (i = 0; i < ARRAY_SIZE(offs); i++) {
        g_autofree char *cmd = g_strdup_printf("write -P %d %" PRId64 " 64k",
                                               i + 1, offs[i]);
        qemu_io(path, "qcow2", cmd);
    }
    blk = open_ro(path, NULL);
    g_assert_cmpint(blk_getlength(blk), ==, 1024 * GiB);
    for (i = 0; i < ARRAY_SIZE(offs); i++) {
        int64_t start = MAX(0, offs[i] - 32 * KiB);
        int64_t n = MIN((int64_t)sizeof(buf), 1024 * GiB - start);

        g_assert_cmpint(blk_pread(blk, start, n, buf, 0), ==, 0);
        for (j = 0; j < n; j++) {
            int64_t pos = start + j;
            bool in = pos >= offs[i] && pos < offs[i] + 64 * KiB;

            g_assert_cmpint(buf[j], ==, in ? i + 1 : 0);
        }
    }
    compare_map(blk, path);
    blk_unref(blk);
}

/* "backing": null cuts the chain; a string names an existing node. */
static void test_backing_option(void)
{
    const DriverCase *c = &cases[10];
    g_autofree char *path = tmp_path("backing-opt", "qcow2");
    g_autofree char *base = tmp_path(c->name, "base.qcow2");
    uint8_t buf[4096];
    BlockBackend *blk, *bblk;
    QDict *opts = qdict_new();

    if (!have_qemu()) {
        return;
    }
    make_image(c, path);
    qdict_put_null(opts, "backing");
    blk = open_ro(path, opts);
    g_assert_null(blk_bs(blk)->backing);
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf, 0), ==, 0);
    g_assert(buffer_is_zero(buf, sizeof(buf)));
    blk_unref(blk);

    opts = qdict_new();
    qdict_put_str(opts, "node-name", "mybase");
    bblk = open_ro(base, opts);
    opts = qdict_new();
    qdict_put_str(opts, "backing", "mybase");
    blk = open_ro(path, opts);
    g_assert(blk_bs(blk)->backing->bs == blk_bs(bblk));
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(buf[0], ==, 0x77);
    blk_unref(blk);
    blk_unref(bblk);

    /* backing.* options apply to the file the header names */
    opts = qdict_new();
    qdict_put_str(opts, "backing.node-name", "fromheader");
    blk = open_ro(path, opts);
    g_assert(blk_bs(blk)->backing->bs == bdrv_find_node("fromheader"));
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)->backing->bs), ==,
                    "qcow2");
    blk_unref(blk);
}

/* Without a backing format extension the backing file is probed. */
static void test_backing_probed(void)
{
    const DriverCase *c = &cases[10];
    g_autofree char *path = tmp_path("backing-probed", "qcow2");
    g_autofree uint8_t *ref = NULL;
    g_autofree char *img = NULL;
    BlockBackend *blk;
    gsize len, img_len, i;

    if (!have_qemu()) {
        return;
    }
    make_image(c, path);
    ref = reference_contents(path, &len);
    g_assert(g_file_get_contents(path, &img, &img_len, NULL));
    /* Turn the extension into an unknown one, which readers skip */
    for (i = 72; i + 4 <= 4096; i++) {
        if (!memcmp(img + i, "\xe2\x79\x2a\xca", 4)) {
            memcpy(img + i, "\x0b\xad\xf0\x0d", 4);
            break;
        }
    }
    g_assert_cmpint(i + 4, <=, 4096);
    g_assert(g_file_set_contents(path, img, img_len, NULL));
    blk = open_ro(path, NULL);
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)->backing->bs), ==,
                    "qcow2");
    compare_reads(blk, ref, len);
    blk_unref(blk);
}

/* Images this build must not write are refused read-write, readable. */
static void test_read_write_refused(void)
{
    g_autofree char *path = tmp_path("rw", "qcow2");
    g_autofree char *xpath = tmp_path("rw-extl2", "qcow2");
    uint8_t corrupt = 0x02;
    Error *err = NULL;
    BlockBackend *blk;
    FILE *f;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "cluster_size=65536", NULL, "1M");
    /* The corrupt bit: last byte of incompatible_features */
    f = fopen(path, "r+b");
    g_assert(f && fseek(f, 79, SEEK_SET) == 0);
    g_assert(fwrite(&corrupt, 1, 1, f) == 1);
    fclose(f);
    g_assert_null(blk_new_open(path, NULL, NULL, BDRV_O_RDWR, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "qcow2: Image is corrupt; cannot be opened read/write");
    error_free(err);
    err = NULL;
    blk_unref(open_ro(path, NULL));

    qemu_img_create(xpath, "extended_l2=on", NULL, "1M");
    g_assert_null(blk_new_open(xpath, NULL, NULL, BDRV_O_RDWR, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "qcow2 images with extended L2 entries can only be "
                    "opened read-only in this build");
    error_free(err);
    blk = blk_new_open(path, NULL, NULL, 0, &error_abort);
    blk_unref(blk);
}

/* zstd needs a library this build lacks: refuse those clusters only. */
static void test_zstd(void)
{
    g_autofree char *path = tmp_path("zstd", "qcow2");
    uint8_t buf[4096];
    BlockBackend *blk;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "compression_type=zstd", NULL, "4M");
    qemu_io(path, "qcow2", "write -c -P 7 0 64k");
    qemu_io(path, "qcow2", "write -P 8 1M 4k");
    blk = open_ro(path, NULL);
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf, 0), ==, -ENOTSUP);
    g_assert_false(((BDRVQcow2State *)blk_bs(blk)->opaque)->corrupt);
    g_assert_cmpint(blk_pread(blk, MiB, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(buf[0], ==, 8);
    blk_unref(blk);
}

typedef struct CoRead {
    BlockBackend *blk;
    int64_t offset, bytes;
    uint8_t *buf;
    int ret;
    bool done;
} CoRead;

static void coroutine_fn co_read_entry(void *opaque)
{
    CoRead *r = opaque;
    QEMUIOVector q;

    qemu_iovec_init_buf(&q, r->buf, r->bytes);
    r->ret = blk_co_preadv(r->blk, r->offset, r->bytes, &q, 0);
    r->done = true;
}

/* Many reads in flight at once, through a two-table cache. */
static void test_concurrent_reads(void)
{
    g_autofree char *path = tmp_path("concurrent", "qcow2");
    g_autofree uint8_t *ref = NULL;
    CoRead r[16];
    BlockBackend *blk;
    QDict *opts = qdict_new();
    gsize len;
    int i;
    bool all_done;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "cluster_size=512", NULL, "2M");
    /* QEMU compresses only into unallocated clusters: those first */
    qemu_io(path, "qcow2", "write -c -P 2 64k 512");
    qemu_io(path, "qcow2", "write -c -P 3 600k 512");
    qemu_io(path, "qcow2", "write -P 1 0 64k");
    qemu_io(path, "qcow2", "write -P 4 700k 1300k");
    qemu_io(path, "qcow2", "write -z 1M 128k");
    ref = reference_contents(path, &len);
    qdict_put_str(opts, "l2-cache-size", "1k");
    blk = open_ro(path, opts);
    for (i = 0; i < ARRAY_SIZE(r); i++) {
        /* Each spans several L2 tables (32 KiB each) */
        r[i] = (CoRead) { .blk = blk, .offset = i * 123457 % (len - 200000),
                          .bytes = 100000 + i * 777 };
        r[i].buf = g_malloc(r[i].bytes);
        qemu_coroutine_enter(qemu_coroutine_create(co_read_entry, &r[i]));
    }
    do {
        all_done = true;
        for (i = 0; i < ARRAY_SIZE(r); i++) {
            all_done &= r[i].done;
        }
        if (!all_done) {
            aio_poll(qemu_get_aio_context(), true);
        }
    } while (!all_done);
    for (i = 0; i < ARRAY_SIZE(r); i++) {
        g_assert_cmpint(r[i].ret, ==, 0);
        g_assert(memcmp(r[i].buf, ref + r[i].offset, r[i].bytes) == 0);
        g_free(r[i].buf);
    }
    blk_unref(blk);
}

/* Open @path with one option and expect QEMU's message for it. */
static void expect_option_error(const char *path, const char *k1,
                                const char *v1, const char *k2,
                                const char *v2, const char *k3,
                                const char *v3, const char *msg)
{
    QDict *opts = qdict_new();
    Error *err = NULL;

    qdict_put_str(opts, k1, v1);
    if (k2) {
        qdict_put_str(opts, k2, v2);
    }
    if (k3) {
        qdict_put_str(opts, k3, v3);
    }
    g_assert_null(blk_new_open(path, NULL, opts, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

/* QEMU's other qcow2 options are accepted; bad values as QEMU words. */
static void test_options(void)
{
    g_autofree char *path = tmp_path("options", "qcow2");
    BlockBackend *blk;
    QDict *opts = qdict_new();

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "cluster_size=4096", NULL, "1M");
    qdict_put_str(opts, "lazy-refcounts", "on");
    qdict_put_str(opts, "pass-discard-other", "on");
    qdict_put_str(opts, "cache-clean-interval", "5");
    qdict_put_str(opts, "overlap-check", "all");
    qdict_put_str(opts, "overlap-check.template", "cached");
    qdict_put_str(opts, "l2-cache-entry-size", "1024");
    blk = open_ro(path, opts);
    blk_unref(blk);

    expect_option_error(path, "l2-cache-entry-size", "300", NULL, NULL,
                        NULL, NULL, "L2 cache entry size must be a power of "
                        "two between 512 and the cluster size (4096)");
    expect_option_error(path, "overlap-check", "foo", NULL, NULL, NULL, NULL,
                        "Unsupported value 'foo' for qcow2 option "
                        "'overlap-check'. Allowed are any of the following: "
                        "none, constant, cached, all");
    expect_option_error(path, "l2-cache-size", "1M", "refcount-cache-size",
                        "1M", "cache-size", "1M", "cache-size, l2-cache-size "
                        "and refcount-cache-size may not be set at the same "
                        "time");
    expect_option_error(path, "l2-cache-size", "2M", "cache-size", "1M",
                        NULL, NULL, "l2-cache-size may not exceed "
                        "cache-size");
    expect_option_error(path, "refcount-cache-size", "2M", "cache-size",
                        "1M", NULL, NULL, "refcount-cache-size may not "
                        "exceed cache-size");
    expect_option_error(path, "no-such-option", "1", NULL, NULL, NULL, NULL,
                        "Block format 'qcow2' does not support the option "
                        "'no-such-option'");
}

/* Clusters shared with an internal snapshot read like any other. */
static void test_snapshots(void)
{
    g_autofree char *path = tmp_path("snapshots", "qcow2");
    g_autofree uint8_t *ref = NULL;
    BlockBackend *blk;
    gsize len;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "cluster_size=4096", NULL, "2M");
    qemu_io(path, "qcow2", "write -P 1 0 1M");
    g_free(run((const char *[]) { QEMU_IMG, "snapshot", "-c", "s1", path,
                                  NULL }));
    qemu_io(path, "qcow2", "write -P 2 100k 10k");
    qemu_io(path, "qcow2", "write -z 300k 8k");
    g_free(run((const char *[]) { QEMU_IMG, "snapshot", "-c", "s2", path,
                                  NULL }));
    qemu_io(path, "qcow2", "write -P 3 1500k 10k");
    ref = reference_contents(path, &len);
    blk = open_ro(path, NULL);
    compare_reads(blk, ref, len);
    compare_map(blk, path);
    blk_unref(blk);
}

int main(int argc, char **argv)
{
    int i;

    qcow2_test_init(&argc, &argv, "test-qcow2-driver");
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *name = g_strdup_printf("/qcow2-driver/image/%s",
                                                cases[i].name);
        g_test_add_data_func(name, &cases[i], test_image);
    }
    g_test_add_func("/qcow2-driver/small-cache", test_small_cache);
    g_test_add_func("/qcow2-driver/huge-sparse", test_huge_sparse);
    g_test_add_func("/qcow2-driver/backing-option", test_backing_option);
    g_test_add_func("/qcow2-driver/read-write-refused",
                    test_read_write_refused);
    g_test_add_func("/qcow2-driver/zstd", test_zstd);
    g_test_add_func("/qcow2-driver/snapshots", test_snapshots);
    g_test_add_func("/qcow2-driver/backing-probed", test_backing_probed);
    g_test_add_func("/qcow2-driver/options", test_options);
    g_test_add_func("/qcow2-driver/concurrent-reads", test_concurrent_reads);
    return qcow2_test_run();
}
