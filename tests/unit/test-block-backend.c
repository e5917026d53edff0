/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * BlockBackend: names, attaching and detaching nodes, range checks,
 * statistics, and the probed-raw rule that protects sector 0.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "block/block_int.h"
#include "block/block-backend.h"

static char *tmp_img;

static BlockBackend *open_null(const char *node_name)
{
    QDict *o = qdict_new();

    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "size", "64k");
    if (node_name) {
        qdict_put_str(o, "node-name", node_name);
    }
    return blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
}

static void expect_name_error(BlockBackend *blk, const char *name,
                              const char *msg)
{
    Error *err = NULL;

    g_assert_false(blk_set_name(blk, name, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_names(void)
{
    BlockBackend *a = open_null("node0"), *b = open_null(NULL);
    Error *err = NULL;
    QDict *o;

    g_assert_cmpstr(blk_name(a), ==, "");
    g_assert_true(blk_set_name(a, "drive0", &error_abort));
    g_assert(blk_by_name("drive0") == a);
    g_assert(blk_next(NULL) == a);
    g_assert_null(blk_next(a));
    expect_name_error(b, "drive0", "Device with id 'drive0' already exists");
    expect_name_error(b, "node0", "Device name 'node0' conflicts with an "
                      "existing node name");
    expect_name_error(b, "0bad", "Invalid device name");
    /* Node names may not take a device's name either */
    o = qdict_new();
    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "node-name", "drive0");
    g_assert_null(bdrv_open(NULL, NULL, o, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "node-name=drive0 is "
                    "conflicting with a device id");
    error_free(err);
    blk_unref(a);
    g_assert_null(blk_by_name("drive0"));
    g_assert_null(bdrv_find_node("node0"));
    blk_unref(b);
}

static void test_insert_remove(void)
{
    BlockBackend *blk = open_null("n1");
    BlockDriverState *bs = blk_bs(blk);
    uint8_t buf[512];

    bdrv_ref(bs);
    blk_remove_bs(blk);
    g_assert_null(blk_bs(blk));
    g_assert_cmpint(blk_getlength(blk), ==, -ENOMEDIUM);
    g_assert_cmpint(blk_pread(blk, 0, 512, buf, 0), ==, -ENOMEDIUM);
    g_assert_cmpint(blk_insert_bs(blk, bs, &error_abort), ==, 0);
    bdrv_unref(bs);
    g_assert_cmpint(bdrv_get_refcnt(bs), ==, 1);
    g_assert_cmpint(blk_pread(blk, 0, 512, buf, 0), ==, 0);
    blk_unref(blk);
    g_assert_null(bdrv_find_node("n1"));
}

static void test_range_and_stats(void)
{
    BlockBackend *blk = open_null(NULL);
    BlockAcctStats *st = blk_get_stats(blk);
    uint8_t buf[4096] = { 0 };

    g_assert_cmpint(blk_pwrite(blk, 64 * KiB - 512, 1024, buf, 0), ==, -EIO);
    g_assert_cmpint(st->invalid_ops[BLOCK_ACCT_WRITE], ==, 1);
    g_assert_cmpint(st->failed_ops[BLOCK_ACCT_WRITE], ==, 0);
    blk_set_allow_write_beyond_eof(blk, true);
    g_assert_cmpint(blk_pwrite(blk, 64 * KiB - 512, 1024, buf, 0), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, 0, 4096, buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 0, 4096, buf, 0), ==, 0);
    g_assert_cmpint(blk_pwrite_zeroes(blk, 0, 4096, 0), ==, 0);
    g_assert_cmpint(st->nr_ops[BLOCK_ACCT_WRITE], ==, 3);
    g_assert_cmpint(st->nr_bytes[BLOCK_ACCT_WRITE], ==, 1024 + 2 * 4096);
    g_assert_cmpint(st->nr_bytes[BLOCK_ACCT_READ], ==, 4096);
    g_assert_cmpint(st->last_access_time_ns, >, 0);
    blk_unref(blk);
}

static void test_no_share(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    uint64_t perm, shared;

    qdict_put_str(o, "driver", "null-co");
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR | BDRV_O_NO_SHARE |
                       BDRV_O_RESIZE, &error_abort);
    blk_get_perm(blk, &perm, &shared);
    g_assert_cmphex(perm, ==, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE |
                    BLK_PERM_RESIZE);
    g_assert_cmphex(shared, ==, BLK_PERM_CONSISTENT_READ |
                    BLK_PERM_WRITE_UNCHANGED);
    blk_unref(blk);
}

/* A format that claims sectors starting with its magic */
static int magic_probe(const uint8_t *buf, int buf_size,
                       const char *filename)
{
    return buf_size >= 8 && !memcmp(buf, "MAGICFMT", 8) ? 100 : 0;
}

static int magic_open(BlockDriverState *bs, QDict *options, int flags,
                      Error **errp)
{
    error_setg(errp, "not really a format");
    return -EINVAL;
}

static BlockDriver bdrv_magic = {
    .format_name    = "magic",
    .bdrv_probe     = magic_probe,
    .bdrv_open      = magic_open,
};

static void test_probed_raw_sector0(void)
{
    BlockBackend *blk;
    uint8_t buf[512] = "MAGICFMT";
    int fd = open(tmp_img, O_RDWR | O_TRUNC);

    g_assert(fd >= 0 && ftruncate(fd, 64 * KiB) == 0);
    close(fd);
    g_autofree char *warning = NULL;
    g_autofree char *expect = NULL;

    blk = blk_new_open(tmp_img, NULL, NULL, BDRV_O_RDWR, &error_abort);
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)), ==, "raw");
    warning = bdrv_probe_warning(blk_bs(blk));
    expect = g_strdup_printf("WARNING: Image format was not specified for "
                             "'%s' and probing guessed raw.", tmp_img);
    g_assert_true(g_str_has_prefix(warning, expect));
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, -EPERM);
    g_assert_cmpint(blk_pwrite(blk, 0, 8, buf, 0), ==, -EPERM);
    g_assert_cmpint(blk_pwrite(blk, 512, 512, buf, 0), ==, 0);
    memset(buf, 0x11, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, 4, 4, buf, 0), ==, 0);
    blk_unref(blk);

    /* With the format given explicitly, anything goes */
    QDict *o = qdict_new();
    qdict_put_str(o, "driver", "raw");
    blk = blk_new_open(tmp_img, NULL, o, BDRV_O_RDWR, &error_abort);
    g_assert_null(bdrv_probe_warning(blk_bs(blk)));
    memcpy(buf, "MAGICFMT", 8);
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, 0);
    blk_unref(blk);
}

int main(int argc, char **argv)
{
    int fd, ret;

    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    bdrv_init();
    bdrv_register(&bdrv_magic);
    fd = g_file_open_tmp("test-block-backend-XXXXXX", &tmp_img, NULL);
    g_assert(fd >= 0);
    close(fd);

    g_test_add_func("/block-backend/names", test_names);
    g_test_add_func("/block-backend/insert-remove", test_insert_remove);
    g_test_add_func("/block-backend/range-and-stats", test_range_and_stats);
    g_test_add_func("/block-backend/no-share", test_no_share);
    g_test_add_func("/block-backend/probed-raw-sector0",
                    test_probed_raw_sector0);
    ret = g_test_run();
    unlink(tmp_img);
    g_free(tmp_img);
    return ret;
}
