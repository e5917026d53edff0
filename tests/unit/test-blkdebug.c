/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * blkdebug: errors injected on events (from raw, from block/io.c's
 * read-modify-write and flush), by sector, I/O type and once; the
 * alignment it imposes; and its option errors.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "block/block_int.h"
#include "block/block-backend.h"

/* raw over blkdebug over null-co, with extra "key=value" blkdebug options */
static BlockBackend *open_chain(const char *const *kv, Error **errp)
{
    QDict *o = qdict_new();
    int i;

    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file.driver", "blkdebug");
    qdict_put_str(o, "file.image.driver", "null-co");
    qdict_put_str(o, "file.image.size", "1M");
    qdict_put_str(o, "file.image.read-zeroes", "on");
    for (i = 0; kv && kv[i]; i += 2) {
        g_autofree char *key = g_strdup_printf("file.%s", kv[i]);
        qdict_put_str(o, key, kv[i + 1]);
    }
    return blk_new_open(NULL, NULL, o, BDRV_O_RDWR, errp);
}

static void test_read_aio_once(void)
{
    const char *const kv[] = {
        "inject-error.0.event", "read_aio",
        "inject-error.0.once", "on",
        NULL,
    };
    BlockBackend *blk = open_chain(kv, &error_abort);
    uint8_t buf[512];

    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 0, 512, buf, 0), ==, -EIO);
    g_assert_cmpint(blk_pread(blk, 0, 512, buf, 0), ==, 0);
    blk_unref(blk);
}

static void test_sector_and_iotype(void)
{
    const char *const kv[] = {
        "inject-error.0.event", "none",
        "inject-error.0.iotype.0", "write",
        "inject-error.0.sector", "8",
        "inject-error.0.errno", "28",
        NULL,
    };
    BlockBackend *blk = open_chain(kv, &error_abort);
    uint8_t buf[1024] = { 0 };

    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, 8 * 512 - 512, 1024, buf, 0), ==,
                    -ENOSPC);
    g_assert_cmpint(blk_pwrite(blk, 9 * 512, 512, buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 8 * 512, 512, buf, 0), ==, 0);
    /* Not once: it keeps failing */
    g_assert_cmpint(blk_pwrite(blk, 8 * 512, 512, buf, 0), ==, -ENOSPC);
    blk_unref(blk);
}

static void test_align_and_rmw_event(void)
{
    const char *const kv[] = {
        "align", "4096",
        "inject-error.0.event", "pwritev_rmw_head",
        "inject-error.0.iotype.0", "read",
        NULL,
    };
    BlockBackend *blk = open_chain(kv, &error_abort);
    uint8_t buf[4096] = { 0 };

    g_assert_cmpint(blk_bs(blk)->file->bs->bl.request_alignment, ==, 4096);
    g_assert_cmpint(blk_pwrite(blk, 0, 4096, buf, 0), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, 100, 512, buf, 0), ==, -EIO);
    blk_unref(blk);
}

static void test_flush(void)
{
    const char *const kv[] = {
        "inject-error.0.event", "flush_to_disk",
        "inject-error.0.iotype.0", "flush",
        NULL,
    };
    BlockBackend *blk = open_chain(kv, &error_abort);

    g_assert_cmpint(blk_flush(blk), ==, -EIO);
    blk_unref(blk);
}

static void expect_error(const char *const *kv, const char *msg)
{
    Error *err = NULL;

    g_assert_null(open_chain(kv, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
    g_assert_null(bdrv_next_node(NULL));
}

static void test_option_errors(void)
{
    const char *const bad_event[] = { "inject-error.0.event", "foo", NULL };
    const char *const bad_iotype[] = {
        "inject-error.0.event", "none", "inject-error.0.iotype.0", "x", NULL,
    };
    const char *const bad_key[] = {
        "inject-error.0.event", "none", "inject-error.0.what", "1", NULL,
    };
    const char *const bad_align[] = { "align", "3", NULL };

    expect_error(bad_event, "Invalid parameter 'foo'");
    expect_error(bad_iotype, "Invalid parameter 'x'");
    expect_error(bad_key, "Invalid parameter 'what'");
    expect_error(bad_align, "Cannot meet constraints with align 3");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    bdrv_init();
    g_test_add_func("/blkdebug/read-aio-once", test_read_aio_once);
    g_test_add_func("/blkdebug/sector-and-iotype", test_sector_and_iotype);
    g_test_add_func("/blkdebug/align-and-rmw-event",
                    test_align_and_rmw_event);
    g_test_add_func("/blkdebug/flush", test_flush);
    g_test_add_func("/blkdebug/option-errors", test_option_errors);
    return g_test_run();
}
