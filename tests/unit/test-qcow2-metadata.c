/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 driver's metadata against images the real QEMU writes:
 * refcounts read back as qemu-img stored them, and damaged tables,
 * headers and backing chains fail with errors (and the corruption
 * notice QEMU prints), never a crash.  Skips without /usr/bin/qemu-img.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include "qemu/main-loop.h"
#include "block/aio-wait.h"
#include "block/qcow2.h"
#include "qcow2-test-util.h"

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

/* A dirty image (not closed cleanly) still opens read-only, as in QEMU. */
static void test_dirty(void)
{
    g_autofree char *path = tmp_path("dirty", "qcow2");
    g_autofree uint8_t *img = NULL;
    BlockDriverInfo bdi;
    BlockBackend *blk;
    uint8_t buf[4096];
    gsize len;

    if (!have_qemu()) {
        return;
    }
    img = make_victim(path, &len);
    st64(img + 72, ld64(img + 72) | 1);
    put_image(path, img, len);
    blk = open_ro(path, NULL);
    g_assert_cmpint(bdrv_get_info(blk_bs(blk), &bdi), ==, 0);
    g_assert_true(bdi.is_dirty);
    g_assert_cmpint(bdi.cluster_size, ==, 4096);
    g_assert_cmpint(blk_pread(blk, 600 * KiB, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(buf[0], ==, 3);
    blk_unref(blk);
}

int main(int argc, char **argv)
{
    qcow2_test_init(&argc, &argv, "test-qcow2-metadata");
    g_test_add_data_func("/qcow2-metadata/refcounts/16", "16",
                         test_refcounts);
    g_test_add_data_func("/qcow2-metadata/refcounts/2", "2", test_refcounts);
    g_test_add_data_func("/qcow2-metadata/refcounts/64", "64",
                         test_refcounts);
    g_test_add_func("/qcow2-metadata/dirty", test_dirty);
    g_test_add_func("/qcow2-metadata/hostile/tables", test_hostile_tables);
    g_test_add_func("/qcow2-metadata/hostile/header", test_hostile_header);
    g_test_add_func("/qcow2-metadata/hostile/backing-loop",
                    test_backing_loop);
    g_test_add_func("/qcow2-metadata/hostile/fuzz", test_fuzz);
    return qcow2_test_run();
}
