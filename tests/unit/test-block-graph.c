/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Opening nodes from options, node names, references, children and the
 * permission update of the block graph.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/qdict.h"

static char *tmp_img;

static QDict *opts_raw_file(void)
{
    QDict *o = qdict_new();

    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file.driver", "file");
    qdict_put_str(o, "file.filename", tmp_img);
    return o;
}

static int count_nodes(void)
{
    BlockDriverState *bs = NULL;
    int n = 0;

    while ((bs = bdrv_next_node(bs))) {
        n++;
    }
    return n;
}

/* Open with options and expect @msg as the error. */
static void expect_open_error(QDict *o, const char *msg)
{
    Error *err = NULL;
    int before = count_nodes();

    g_assert_null(bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
    g_assert_cmpint(count_nodes(), ==, before);
}

static void test_open_options(void)
{
    QDict *o = opts_raw_file();
    BlockDriverState *bs, *file;

    qdict_put_str(o, "node-name", "fmt0");
    qdict_put_str(o, "file.node-name", "proto0");
    bs = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    g_assert(bs == bdrv_find_node("fmt0"));
    file = bdrv_find_node("proto0");
    g_assert(bs->file->bs == file);
    g_assert_cmpstr(bdrv_get_format_name(bs), ==, "raw");
    g_assert_cmpstr(bdrv_get_format_name(file), ==, "file");
    g_assert_cmpint(bdrv_getlength(bs), ==, 1 * MiB);
    g_assert_false(bdrv_is_read_only(bs));
    g_assert_cmpstr(bs->filename, ==, tmp_img);
    g_assert_cmpstr(file->filename, ==, tmp_img);
    g_assert_cmpint(count_nodes(), ==, 2);
    bdrv_unref(bs);
    g_assert_null(bdrv_find_node("fmt0"));
    g_assert_null(bdrv_find_node("proto0"));
    g_assert_cmpint(count_nodes(), ==, 0);
}

/* Nested dictionaries with typed values, as blockdev-add passes them */
static void test_open_qmp_style(void)
{
    QDict *o = qdict_new(), *file = qdict_new(), *cache = qdict_new();
    BlockDriverState *bs;

    qdict_put_str(file, "driver", "file");
    qdict_put_str(file, "filename", tmp_img);
    qdict_put_bool(cache, "no-flush", true);
    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "node-name", "qmp0");
    qdict_put_bool(o, "read-only", true);
    qdict_put_int(o, "offset", 4096);
    qdict_put_int(o, "size", 8192);
    qdict_put(o, "file", file);
    qdict_put(o, "cache", cache);
    bs = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    g_assert_true(bdrv_is_read_only(bs));
    g_assert_true(bdrv_is_read_only(bs->file->bs));
    g_assert_true(bs->file->bs->open_flags & BDRV_O_NO_FLUSH);
    g_assert_cmpint(bdrv_getlength(bs), ==, 8192);
    g_assert_cmpstr(qdict_get_str(bs->options, "file.filename"), ==,
                    tmp_img);
    bdrv_unref(bs);
}

static void test_generated_names(void)
{
    BlockDriverState *bs = bdrv_open(NULL, NULL, opts_raw_file(),
                                     BDRV_O_RDWR, &error_abort);

    g_assert(g_str_has_prefix(bdrv_get_node_name(bs), "#block"));
    g_assert(g_str_has_prefix(bdrv_get_node_name(bs->file->bs), "#block"));
    g_assert_cmpstr(bdrv_get_node_name(bs), !=,
                    bdrv_get_node_name(bs->file->bs));
    g_assert(bdrv_find_node(bdrv_get_node_name(bs)) == bs);
    bdrv_unref(bs);
}

static void test_open_errors(void)
{
    QDict *o;

    o = opts_raw_file();
    qdict_put_str(o, "foo", "1");
    expect_open_error(o, "Block format 'raw' does not support the option "
                      "'foo'");
    o = opts_raw_file();
    qdict_put_str(o, "file.foo", "1");
    expect_open_error(o, "Block protocol 'file' doesn't support the option "
                      "'foo'");
    o = opts_raw_file();
    qdict_put_str(o, "driver", "foo");
    expect_open_error(o, "Unknown driver 'foo'");
    o = opts_raw_file();
    qdict_put_str(o, "node-name", "1abc");
    expect_open_error(o, "Invalid node-name: '1abc'");
    o = opts_raw_file();
    qdict_put_str(o, "node-name", "a234567890123456789012345678901234");
    expect_open_error(o, "Node name too long");
    o = opts_raw_file();
    qdict_put_str(o, "read-only", "maybe");
    expect_open_error(o, "Parameter 'read-only' expects 'on' or 'off'");
    o = opts_raw_file();
    qdict_put_str(o, "detect-zeroes", "x");
    expect_open_error(o, "invalid parameter value: x");
    o = opts_raw_file();
    qdict_put_str(o, "discard", "x");
    expect_open_error(o, "Invalid discard option");
    o = opts_raw_file();
    qdict_put_str(o, "offset", "2M");
    expect_open_error(o, "Offset (2097152) cannot be greater than size of "
                      "the containing file (1048576)");
    o = opts_raw_file();
    qdict_put_str(o, "force-share", "on");
    expect_open_error(o, "force-share=on can only be used with read-only "
                      "images");
    o = qdict_new();
    qdict_put_str(o, "driver", "raw");
    expect_open_error(o, "A block device must be specified for \"file\"");
    o = qdict_new();
    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file", "nosuch");
    expect_open_error(o, "Cannot find device='nosuch' nor "
                      "node-name='nosuch'");
    o = qdict_new();
    qdict_put_str(o, "driver", "file");
    qdict_put_str(o, "filename", "/nonexistent/x.img");
    expect_open_error(o, "Could not open '/nonexistent/x.img': No such file "
                      "or directory");
    o = qdict_new();
    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "size", "abc");
    expect_open_error(o, "Parameter 'size' expects a non-negative number "
                      "below 2^64");
}

static void test_duplicate_node_name(void)
{
    QDict *o = qdict_new();
    BlockDriverState *bs;

    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "node-name", "n0");
    bs = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    /* A failure in the child leaves no half-opened parent behind */
    o = opts_raw_file();
    qdict_put_str(o, "node-name", "f1");
    qdict_put_str(o, "file.node-name", "n0");
    expect_open_error(o, "Duplicate nodes with node-name='n0'");
    o = qdict_new();
    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "node-name", "n0");
    expect_open_error(o, "Duplicate nodes with node-name='n0'");
    g_assert_cmpint(count_nodes(), ==, 1);
    g_assert_cmpint(bdrv_get_refcnt(bs), ==, 1);
    bdrv_unref(bs);
}

static void test_reference(void)
{
    QDict *o = qdict_new();
    BlockDriverState *file, *bs;
    Error *err = NULL;

    qdict_put_str(o, "driver", "file");
    qdict_put_str(o, "filename", tmp_img);
    qdict_put_str(o, "node-name", "proto");
    file = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    o = qdict_new();
    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file", "proto");
    bs = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    g_assert(bs->file->bs == file);
    g_assert_cmpint(bdrv_get_refcnt(file), ==, 2);
    bdrv_unref(bs);
    o = qdict_new();
    qdict_put_str(o, "read-only", "on");
    g_assert_null(bdrv_open(NULL, "proto", o, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Cannot reference an "
                    "existing block device with additional options or a "
                    "new filename");
    error_free(err);
    g_assert_cmpint(bdrv_get_refcnt(file), ==, 1);
    g_assert(bdrv_find_node("proto") == file);
    bdrv_unref(file);
}

static void test_legacy_filename_probe(void)
{
    BlockDriverState *bs = bdrv_open(tmp_img, NULL, NULL, BDRV_O_RDWR,
                                     &error_abort);
    Error *err = NULL;

    g_assert_cmpstr(bdrv_get_format_name(bs), ==, "raw");
    g_assert_true(bs->probed);
    g_assert_cmpstr(bdrv_get_format_name(bs->file->bs), ==, "file");
    bdrv_unref(bs);
    g_assert_cmpint(count_nodes(), ==, 0);
    g_assert_null(bdrv_open("/nonexistent/y.img", NULL, NULL, BDRV_O_RDWR,
                            &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Could not open "
                    "'/nonexistent/y.img': No such file or directory");
    error_free(err);
}

static void test_perm_names(void)
{
    g_autofree char *a = bdrv_perm_names(BLK_PERM_WRITE);
    g_autofree char *b = bdrv_perm_names(BLK_PERM_ALL);

    g_assert_cmpstr(a, ==, "write");
    g_assert_cmpstr(b, ==, "consistent read, write, write unchanged, "
                    "resize");
}

/* Two raw nodes on one file node, each used by an exclusive writer */
static void test_perm_conflict(void)
{
    QDict *o = qdict_new();
    BlockDriverState *file, *r0, *r1;
    BlockBackend *b0, *b1;
    Error *err = NULL;
    uint64_t shared = BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED |
                      BLK_PERM_RESIZE;

    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "node-name", "f0");
    file = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    o = qdict_new();
    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file", "f0");
    qdict_put_str(o, "node-name", "r0");
    r0 = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    o = qdict_new();
    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file", "f0");
    qdict_put_str(o, "node-name", "r1");
    r1 = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);

    b0 = blk_new(NULL, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE, shared);
    b1 = blk_new(NULL, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE, shared);
    g_assert_cmpint(blk_insert_bs(b0, r0, &error_abort), ==, 0);
    g_assert_cmphex(file->cumulative_perm, ==,
                    BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE);
    g_assert_cmpint(blk_insert_bs(b1, r1, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Permission conflict on node "
                    "'f0': permissions 'write' are both required by node "
                    "'r0' (uses node 'f0' as 'file' child) and unshared by "
                    "node 'r1' (uses node 'f0' as 'file' child).");
    error_free(err);
    err = NULL;
    g_assert_null(blk_bs(b1));
    g_assert_true(QLIST_EMPTY(&r1->parents));
    /* A read-only user may join; then the writer may not drop sharing */
    blk_set_perm(b1, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL, &error_abort);
    g_assert_cmpint(blk_insert_bs(b1, r1, &error_abort), ==, 0);
    g_assert_cmpint(blk_set_perm(b0, BLK_PERM_CONSISTENT_READ |
                                 BLK_PERM_WRITE, 0, &err), <, 0);
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_cmphex(r0->parents.lh_first->shared_perm, ==, shared);

    /* Two backends on the same node */
    blk_unref(b1);
    b1 = blk_new(NULL, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE, shared);
    g_assert(blk_set_name(b1, "d2", &error_abort));
    g_assert_cmpint(blk_insert_bs(b1, r0, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Permission conflict on node "
                    "'r0': permissions 'write' are both required by an "
                    "unnamed block device (uses node 'r0' as 'root' child) "
                    "and unshared by block device 'd2' (uses node 'r0' as "
                    "'root' child).");
    error_free(err);
    err = NULL;
    /* As qemu-system-x86_64 words it for two devices */
    blk_set_attached_dev_id(b0, "/machine/peripheral/d1/virtio-backend");
    g_assert_cmpint(blk_insert_bs(b1, r0, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Permission conflict on node "
                    "'r0': permissions 'write' are both required by block "
                    "device '/machine/peripheral/d1/virtio-backend' (uses "
                    "node 'r0' as 'root' child) and unshared by block "
                    "device 'd2' (uses node 'r0' as 'root' child).");
    error_free(err);
    blk_unref(b0);
    blk_unref(b1);
    g_assert_cmphex(file->cumulative_perm, ==, 0);
    bdrv_unref(r0);
    bdrv_unref(r1);
    bdrv_unref(file);
    g_assert_cmpint(count_nodes(), ==, 0);
}

static void test_read_only_node(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    BlockDriverState *bs;
    Error *err = NULL;

    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "read-only", "on");
    bs = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    g_assert_true(bdrv_is_read_only(bs));
    blk = blk_new(NULL, BLK_PERM_WRITE, BLK_PERM_ALL);
    g_assert_cmpint(blk_insert_bs(blk, bs, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Block node is read-only");
    error_free(err);
    blk_unref(blk);
    bdrv_unref(bs);
}

static BlockDriverState *open_null(const char *name)
{
    QDict *o = qdict_new();

    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "node-name", name);
    return bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
}

static void test_replace_node(void)
{
    BlockDriverState *a = open_null("a"), *b = open_null("b");
    BlockBackend *blk = blk_new(NULL, BLK_PERM_CONSISTENT_READ |
                                BLK_PERM_WRITE, BLK_PERM_CONSISTENT_READ);
    BlockBackend *other = blk_new(NULL, BLK_PERM_CONSISTENT_READ,
                                  BLK_PERM_CONSISTENT_READ);
    Error *err = NULL;

    blk_insert_bs(blk, a, &error_abort);
    g_assert_cmpint(bdrv_replace_node(a, b, &error_abort), ==, 0);
    g_assert(blk_bs(blk) == b);
    g_assert_true(QLIST_EMPTY(&a->parents));
    g_assert_cmpint(bdrv_get_refcnt(a), ==, 1);
    g_assert_cmpint(bdrv_get_refcnt(b), ==, 2);
    g_assert_cmphex(a->cumulative_perm, ==, 0);
    g_assert_cmphex(b->cumulative_perm, ==,
                    BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE);

    /* A reader of @a that does not share writes blocks the way back */
    blk_insert_bs(other, a, &error_abort);
    g_assert_cmpint(bdrv_replace_node(b, a, &err), <, 0);
    g_assert_nonnull(err);
    error_free(err);
    g_assert(blk_bs(blk) == b);
    g_assert_cmpint(bdrv_get_refcnt(b), ==, 2);
    g_assert_cmphex(a->cumulative_perm, ==, BLK_PERM_CONSISTENT_READ);
    blk_unref(other);
    blk_unref(blk);
    bdrv_unref(a);
    bdrv_unref(b);
    g_assert_cmpint(count_nodes(), ==, 0);
}

static void test_set_backing(void)
{
    BlockDriverState *top = open_null("top"), *base = open_null("base");
    BlockDriverState *base2 = open_null("base2");
    Error *err = NULL;

    g_assert_cmpint(bdrv_set_backing_hd(top, base, &error_abort), ==, 0);
    g_assert(bdrv_backing_bs(top) == base);
    g_assert_cmpint(bdrv_get_refcnt(base), ==, 2);
    g_assert_cmphex(top->backing->perm, ==, BLK_PERM_CONSISTENT_READ);
    g_assert_cmpint(bdrv_set_backing_hd(top, base2, &error_abort), ==, 0);
    g_assert(bdrv_backing_bs(top) == base2);
    g_assert_cmpint(bdrv_get_refcnt(base), ==, 1);
    /* No cycles, whichever way they would close */
    g_assert_cmpint(bdrv_set_backing_hd(base2, top, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Making 'top' a backing "
                    "child of 'base2' would create a cycle");
    error_free(err);
    err = NULL;
    g_assert_cmpint(bdrv_set_backing_hd(top, top, &err), <, 0);
    error_free(err);
    err = NULL;
    g_assert_null(bdrv_backing_bs(base2));
    g_assert(bdrv_backing_bs(top) == base2);
    g_assert_cmpint(bdrv_set_backing_hd(base, top, &error_abort), ==, 0);
    /* base -> top -> base2: pointing top at base instead would loop */
    g_assert_cmpint(bdrv_replace_node(base2, base, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Making 'base' a backing "
                    "child of 'top' would create a cycle");
    error_free(err);
    g_assert(bdrv_backing_bs(base) == top);
    g_assert(bdrv_backing_bs(top) == base2);
    g_assert_cmpint(bdrv_set_backing_hd(base, NULL, &error_abort), ==, 0);
    g_assert_cmpint(bdrv_set_backing_hd(top, NULL, &error_abort), ==, 0);
    g_assert_null(bdrv_backing_bs(top));
    g_assert_cmpint(bdrv_get_refcnt(base2), ==, 1);
    bdrv_unref(top);
    bdrv_unref(base);
    bdrv_unref(base2);
}

/* Random mixes of known option keys and odd values: errors, no crash */
static void test_random_options(void)
{
    static const char *const keys[] = {
        "driver", "node-name", "read-only", "cache.direct",
        "cache.no-flush", "discard", "force-share", "offset", "size",
        "file", "file.driver", "file.filename", "file.locking",
        "file.node-name", "read-zeroes", "latency-ns", "backing",
    };
    static const char *const vals[] = {
        "raw", "file", "null-co", "on", "off", "x", "-1", "1M", "",
        "#block000", "unmap", "99999999999999999999",
    };
    GRand *r = g_rand_new_with_seed(42);
    int i, j, opened = 0;

    for (i = 0; i < 2000; i++) {
        QDict *o = qdict_new();
        BlockDriverState *bs;
        Error *err = NULL;
        int n = g_rand_int_range(r, 0, 6);

        qdict_put_str(o, "driver", vals[g_rand_int_range(r, 0, 3)]);
        for (j = 0; j < n; j++) {
            qdict_put_str(o, keys[g_rand_int_range(r, 0, G_N_ELEMENTS(keys))],
                          vals[g_rand_int_range(r, 0, G_N_ELEMENTS(vals))]);
        }
        if (g_rand_boolean(r)) {
            qdict_put_str(o, "file.filename", tmp_img);
        }
        bs = bdrv_open(NULL, NULL, o, BDRV_O_RDWR, &err);
        g_assert((bs == NULL) == (err != NULL));
        opened += !!bs;
        error_free(err);
        bdrv_unref(bs);
        g_assert_cmpint(count_nodes(), ==, 0);
    }
    /* Both paths were taken many times */
    g_assert_cmpint(opened, >, 100);
    g_assert_cmpint(opened, <, 1900);
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    int fd, ret;

    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    bdrv_init();
    fd = g_file_open_tmp("test-block-graph-XXXXXX", &tmp_img, NULL);
    g_assert(fd >= 0);
    g_assert(ftruncate(fd, 1 * MiB) == 0);
    close(fd);

    g_test_add_func("/block-graph/open-options", test_open_options);
    g_test_add_func("/block-graph/open-qmp-style", test_open_qmp_style);
    g_test_add_func("/block-graph/generated-names", test_generated_names);
    g_test_add_func("/block-graph/open-errors", test_open_errors);
    g_test_add_func("/block-graph/duplicate-node-name",
                    test_duplicate_node_name);
    g_test_add_func("/block-graph/reference", test_reference);
    g_test_add_func("/block-graph/legacy-probe", test_legacy_filename_probe);
    g_test_add_func("/block-graph/perm-names", test_perm_names);
    g_test_add_func("/block-graph/perm-conflict", test_perm_conflict);
    g_test_add_func("/block-graph/read-only-node", test_read_only_node);
    g_test_add_func("/block-graph/replace-node", test_replace_node);
    g_test_add_func("/block-graph/set-backing", test_set_backing);
    g_test_add_func("/block-graph/random-options", test_random_options);
    ret = g_test_run();
    unlink(tmp_img);
    g_free(tmp_img);
    return ret;
}
