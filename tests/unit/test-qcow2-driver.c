/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 driver against images the real QEMU writes: every byte read
 * through our driver is compared with qemu-img convert -O raw of the same
 * image, block status with qemu-img map --output=json, and damaged
 * images must fail cleanly.  Skips when /usr/bin/qemu-img is absent.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include <sys/wait.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qobject/qnull.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/aio-wait.h"
#include "block/qcow2.h"

#define QEMU_IMG "/usr/bin/qemu-img"
#define QEMU_IO "/usr/bin/qemu-io"

static char *tmpdir;
/* What the driver printed (error_printf), instead of stderr */
static GString *printed;

static void capture_print(void *opaque, const char *text)
{
    g_string_append(printed, text);
}

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

/* Run @argv; fail the test unless it exits 0.  Returns stdout. */
static char *run(const char *const *argv)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *err = NULL;
    char *out = NULL;
    int status;

    g_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL,
                          NULL, &out, &err, &status, &gerr));
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        g_error("%s failed: %s", argv[0], err);
    }
    return out;
}

static char *tmp_path(const char *name, const char *suffix)
{
    return g_strdup_printf("%s/%s.%s", tmpdir, name, suffix);
}

static void qemu_img_create(const char *path, const char *opts,
                            const char *backing, const char *size)
{
    if (backing) {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                      "-o", opts, "-b", backing, "-F",
                                      "qcow2", path, size, NULL }));
    } else {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                      "-o", opts, path, size, NULL }));
    }
}

static void qemu_io(const char *path, const char *fmt, const char *cmd)
{
    g_free(run((const char *[]) { QEMU_IO, "-f", fmt, "-c", cmd, path,
                                  NULL }));
}

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

/* The whole guest view according to the real qemu-img. */
static uint8_t *reference_contents(const char *path, gsize *len)
{
    g_autofree char *raw = g_strdup_printf("%s.ref", path);
    char *data = NULL;

    g_free(run((const char *[]) { QEMU_IMG, "convert", "-O", "raw", path,
                                  raw, NULL }));
    g_assert(g_file_get_contents(raw, &data, len, NULL));
    g_unlink(raw);
    return (uint8_t *)data;
}

static BlockBackend *open_ro(const char *path, QDict *opts)
{
    Error *err = NULL;
    BlockBackend *blk = blk_new_open(path, NULL, opts, 0, &err);

    if (!blk) {
        g_error("open %s: %s", path, error_get_pretty(err));
    }
    return blk;
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

static bool have_qemu(void)
{
    if (!g_file_test(QEMU_IMG, G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test(QEMU_IO, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("needs " QEMU_IMG " and " QEMU_IO);
        return false;
    }
    return true;
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

static void test_read_write_refused(void)
{
    g_autofree char *path = tmp_path("rw", "qcow2");
    Error *err = NULL;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, "cluster_size=65536", NULL, "1M");
    g_assert_null(blk_new_open(path, NULL, NULL, BDRV_O_RDWR, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "qcow2 images can only be opened read-only in this "
                    "build");
    error_free(err);
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

typedef struct RefcountQuery {
    BlockDriverState *bs;
    uint64_t cluster;
    uint64_t refcount;
    int ret;
    bool done;
} RefcountQuery;

static void coroutine_fn co_refcount_entry(void *opaque)
{
    RefcountQuery *q = opaque;
    BDRVQcow2State *s = q->bs->opaque;

    qemu_co_mutex_lock(&s->lock);
    q->ret = qcow2_get_refcount(q->bs, q->cluster, &q->refcount);
    qemu_co_mutex_unlock(&s->lock);
    q->done = true;
}

/* The refcount of host cluster @cluster; the call's result in *@ret. */
static uint64_t refcount_of(BlockDriverState *bs, uint64_t cluster, int *ret)
{
    RefcountQuery q = { .bs = bs, .cluster = cluster };

    qemu_coroutine_enter(qemu_coroutine_create(co_refcount_entry, &q));
    while (!q.done) {
        aio_poll(qemu_get_aio_context(), true);
    }
    *ret = q.ret;
    return q.refcount;
}

/* The host cluster behind guest @offset (which must be allocated). */
static uint64_t host_cluster(BlockDriverState *bs, int64_t offset)
{
    int64_t pnum, map;
    BlockDriverState *file;
    int ret = bdrv_block_status(bs, offset, 4096, &pnum, &map, &file);

    g_assert(ret & BDRV_BLOCK_OFFSET_VALID);
    return map / 4096;
}

static void test_refcounts(gconstpointer opaque)
{
    const char *bits = opaque;
    g_autofree char *path = tmp_path(bits, "qcow2");
    g_autofree char *o = g_strdup_printf("cluster_size=4096,refcount_bits=%s",
                                         bits);
    BlockDriverState *bs;
    BlockBackend *blk;
    int ret;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(path, o, NULL, "1M");
    qemu_io(path, "qcow2", "write -P 1 0 64k");
    g_free(run((const char *[]) { QEMU_IMG, "snapshot", "-c", "s1", path,
                                  NULL }));
    qemu_io(path, "qcow2", "write -P 2 0 4k");
    blk = open_ro(path, NULL);
    bs = blk_bs(blk);
    /* The header cluster, referenced once */
    g_assert_cmpint(refcount_of(bs, 0, &ret), ==, 1);
    g_assert_cmpint(ret, ==, 0);
    if (strcmp(bits, "1")) {
        /* Shared with the snapshot (1-bit refcounts cannot snapshot) */
        g_assert_cmpint(refcount_of(bs, host_cluster(bs, 8192), &ret), ==,
                        2);
    }
    /* Rewritten after the snapshot: a private copy */
    g_assert_cmpint(refcount_of(bs, host_cluster(bs, 0), &ret), ==, 1);
    /* Far past the end of the file and of the refcount table */
    g_assert_cmpint(refcount_of(bs, 1ULL << 40, &ret), ==, 0);
    g_assert_cmpint(ret, ==, 0);
    blk_unref(blk);
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

static void st64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, 8);
}

/* A small image (4 KiB clusters) with data, zeroes and compression. */
static uint8_t *make_victim(const char *path, gsize *len)
{
    char *data = NULL;

    qemu_img_create(path, "cluster_size=4096", NULL, "1M");
    qemu_io(path, "qcow2", "write -P 1 0 8k");
    qemu_io(path, "qcow2", "write -c -P 2 8k 4k");
    qemu_io(path, "qcow2", "write -z 12k 4k");
    qemu_io(path, "qcow2", "write -P 3 600k 4k");
    g_assert(g_file_get_contents(path, &data, len, NULL));
    return (uint8_t *)data;
}

static void put_image(const char *path, const uint8_t *img, gsize len)
{
    g_assert(g_file_set_contents(path, (const char *)img, len, NULL));
}

/* Open must fail with a message containing @msg. */
static void expect_open_error(const char *path, const char *msg)
{
    Error *err = NULL;
    BlockBackend *blk = blk_new_open(path, NULL, NULL, 0, &err);

    g_assert_null(blk);
    g_assert_nonnull(err);
    if (!strstr(error_get_pretty(err), msg)) {
        g_error("'%s' does not contain '%s'", error_get_pretty(err), msg);
    }
    error_free(err);
}

/*
 * Reading the whole image must fail with -EIO, twice, and status too;
 * returns the one message printed.
 */
static char *expect_read_eio(const char *path)
{
    BlockBackend *blk = open_ro(path, NULL);
    g_autofree uint8_t *buf = g_malloc(MiB);
    int64_t pnum, map;
    BlockDriverState *file;

    g_string_truncate(printed, 0);
    g_assert_cmpint(blk_pread(blk, 0, MiB, buf, 0), ==, -EIO);
    g_assert(((BDRVQcow2State *)blk_bs(blk)->opaque)->corrupt);
    g_assert(g_str_has_prefix(printed->str, "qcow2: Image is corrupt: "));
    g_assert(g_str_has_suffix(printed->str, "; further non-fatal corruption "
                              "events will be suppressed\n"));
    /* Once corrupt, everything fails, even what was fine */
    g_assert_cmpint(blk_pread(blk, 600 * KiB, 4096, buf, 0), ==, -EIO);
    g_assert_cmpint(bdrv_block_status(blk_bs(blk), 0, MiB, &pnum, &map,
                                      &file), ==, -EIO);
    blk_unref(blk);
    return g_strdup(printed->str);
}

static void test_hostile_tables(void)
{
    g_autofree char *path = tmp_path("hostile", "qcow2");
    g_autofree uint8_t *orig = NULL;
    g_autofree uint8_t *img = NULL;
    uint64_t l1_off, l2_off, rt_off;
    BlockBackend *blk;
    char *msg;
    int ret;
    gsize len;

    if (!have_qemu()) {
        return;
    }
    orig = make_victim(path, &len);
    img = g_memdup2(orig, len);
    l1_off = ld64(orig + 40);
    l2_off = ld64(orig + l1_off) & 0x00fffffffffffe00ULL;
    g_assert_cmpint(l2_off, >, 0);
    g_assert_cmpint(l2_off + 4096, <=, len);

    /* L1 entry: L2 table past the end of the file */
    st64(img + l1_off, (1ULL << 63) | (len + 4096 * 16));
    put_image(path, img, len);
    g_free(expect_read_eio(path));

    /* L1 entry: unaligned L2 table */
    memcpy(img, orig, len);
    st64(img + l1_off, l2_off + 512);
    put_image(path, img, len);
    msg = expect_read_eio(path);
    /* As qemu-io -r prints it for the same image */
    g_assert_cmpstr(msg, ==, "qcow2: Image is corrupt: L2 table offset 0x4200 "
                    "unaligned (L1 index: 0); further non-fatal corruption "
                    "events will be suppressed\n");
    g_free(msg);

    /* L2 entry: data past the end of the file */
    memcpy(img, orig, len);
    st64(img + l2_off, (1ULL << 63) | QEMU_ALIGN_UP(len + 40960, 4096));
    put_image(path, img, len);
    g_free(expect_read_eio(path));

    /* L2 entry: unaligned data cluster, also as qemu-io says it */
    memcpy(img, orig, len);
    st64(img + l2_off, (1ULL << 63) | (ld64(orig + l2_off) + 512));
    put_image(path, img, len);
    msg = expect_read_eio(path);
    g_assert_cmpstr(msg, ==, "qcow2: Image is corrupt: Cluster allocation "
                    "offset 0x5200 unaligned (L2 offset: 0x4000, L2 index: "
                    "0); further non-fatal corruption events will be "
                    "suppressed\n");
    g_free(msg);

    /* L2 entry: reserved bits */
    memcpy(img, orig, len);
    st64(img + l2_off, ld64(orig + l2_off) | (1ULL << 56));
    put_image(path, img, len);
    g_free(expect_read_eio(path));

    /* L2 entry: compressed data inside the header cluster */
    memcpy(img, orig, len);
    st64(img + l2_off, (1ULL << 62) | 100);
    put_image(path, img, len);
    g_free(expect_read_eio(path));

    /* Compressed data that does not inflate */
    memcpy(img, orig, len);
    {
        /* Entry 2 is the compressed cluster; its data start is low bits */
        uint64_t e = ld64(orig + l2_off + 16);
        uint64_t data = e & ((1ULL << (62 - 4)) - 1);

        g_assert(e & (1ULL << 62));
        memset(img + data, 0xff, MIN(64, len - data));
    }
    put_image(path, img, len);
    g_free(expect_read_eio(path));

    /* Refcount table entry: unaligned refcount block */
    memcpy(img, orig, len);
    rt_off = ld64(orig + 48);
    st64(img + rt_off, ld64(orig + rt_off) + 512);
    put_image(path, img, len);
    blk = open_ro(path, NULL);
    g_string_truncate(printed, 0);
    refcount_of(blk_bs(blk), 0, &ret);
    g_assert_cmpint(ret, ==, -EIO);
    g_assert(strstr(printed->str, "Refblock offset"));
    g_assert(((BDRVQcow2State *)blk_bs(blk)->opaque)->corrupt);
    blk_unref(blk);
    put_image(path, orig, len);
}

static void test_hostile_header(void)
{
    g_autofree char *path = tmp_path("hostile-hdr", "qcow2");
    g_autofree uint8_t *orig = NULL;
    g_autofree uint8_t *img = NULL;
    gsize len;

    if (!have_qemu()) {
        return;
    }
    orig = make_victim(path, &len);
    img = g_memdup2(orig, len);

    /* Absurd virtual size */
    st64(img + 24, 1ULL << 62);
    put_image(path, img, len);
    expect_open_error(path, "");

    /* L1 table far past the end of the file */
    memcpy(img, orig, len);
    st64(img + 40, 1ULL << 40);
    put_image(path, img, len);
    expect_open_error(path, "");

    /* Unknown incompatible feature */
    memcpy(img, orig, len);
    st64(img + 72, ld64(orig + 72) | (1ULL << 40));
    put_image(path, img, len);
    expect_open_error(path, "Unsupported qcow2 feature(s)");

    /* External data file */
    memcpy(img, orig, len);
    st64(img + 72, ld64(orig + 72) | 4);
    put_image(path, img, len);
    expect_open_error(path, "data-file");

    /* Truncated in the middle of the header */
    put_image(path, orig, 50);
    expect_open_error(path, "");
    put_image(path, orig, len);
}

/* An image that names itself as its backing file must not recurse. */
static void test_backing_loop(void)
{
    g_autofree char *path = tmp_path("loop", "qcow2");
    g_autofree char *other = tmp_path("loop-b", "qcow2");

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(other, "cluster_size=65536", NULL, "1M");
    qemu_img_create(path, "cluster_size=65536", other, "1M");
    /* Now point it at itself by renaming the backing file over it */
    g_assert_cmpint(g_rename(path, other), ==, 0);
    expect_open_error(other, "too deep");
}

/* Random damage to the metadata: errors are fine, crashes are not. */
static void test_fuzz(void)
{
    g_autofree char *path = tmp_path("fuzz", "qcow2");
    g_autofree uint8_t *orig = NULL;
    g_autofree uint8_t *img = NULL;
    g_autofree uint8_t *buf = g_malloc(MiB);
    GRand *rand = g_rand_new_with_seed(6);
    gsize len, meta;
    int i, j;

    if (!have_qemu()) {
        return;
    }
    orig = make_victim(path, &len);
    img = g_malloc(len);
    /* Header, L1, refcounts, L2 live in the first clusters */
    meta = MIN(len, 6 * 4096);
    for (i = 0; i < 300; i++) {
        Error *err = NULL;
        BlockBackend *blk;

        memcpy(img, orig, len);
        for (j = g_rand_int_range(rand, 1, 8); j > 0; j--) {
            img[g_rand_int_range(rand, 0, meta)] ^=
                1 << g_rand_int_range(rand, 0, 8);
        }
        put_image(path, img, len);
        blk = blk_new_open(path, NULL, NULL, 0, &err);
        if (!blk) {
            error_free(err);
            continue;
        }
        (void)blk_pread(blk, 0, MIN(blk_getlength(blk), MiB), buf, 0);
        blk_unref(blk);
    }
    g_rand_free(rand);
}

static void remove_tmpdir(void)
{
    GDir *dir = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *p = g_build_filename(tmpdir, name, NULL);

        g_unlink(p);
    }
    if (dir) {
        g_dir_close(dir);
    }
    g_rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    int i, ret;

    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    bdrv_init();
    printed = g_string_new("");
    error_print_set_sink(capture_print, NULL);
    tmpdir = g_dir_make_tmp("test-qcow2-driver-XXXXXX", NULL);
    g_assert(tmpdir);
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
    g_test_add_data_func("/qcow2-driver/refcounts/16", "16", test_refcounts);
    g_test_add_data_func("/qcow2-driver/refcounts/2", "2", test_refcounts);
    g_test_add_data_func("/qcow2-driver/refcounts/64", "64", test_refcounts);
    g_test_add_func("/qcow2-driver/snapshots", test_snapshots);
    g_test_add_func("/qcow2-driver/backing-probed", test_backing_probed);
    g_test_add_func("/qcow2-driver/options", test_options);
    g_test_add_func("/qcow2-driver/concurrent-reads", test_concurrent_reads);
    g_test_add_func("/qcow2-driver/hostile/tables", test_hostile_tables);
    g_test_add_func("/qcow2-driver/hostile/header", test_hostile_header);
    g_test_add_func("/qcow2-driver/hostile/backing-loop", test_backing_loop);
    g_test_add_func("/qcow2-driver/hostile/fuzz", test_fuzz);
    ret = g_test_run();
    remove_tmpdir();
    g_free(tmpdir);
    g_string_free(printed, true);
    return ret;
}
