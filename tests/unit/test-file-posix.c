/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file protocol driver: data through raw+file, holes and block
 * status, zeroing and discard, truncate and creation, O_DIRECT, and image
 * locking checked byte by byte and against the real qemu-io.
 */
#include "qemu/osdep.h"
#include <sys/wait.h>
#include "qemu/main-loop.h"
#include "qemu/cutils.h"
#include "block/block_int.h"
#include "block/block-backend.h"

#define QEMU_IO "/usr/bin/qemu-io"

static char *tmp_img;

static void make_image(int64_t size)
{
    int fd = open(tmp_img, O_RDWR | O_CREAT | O_TRUNC, 0644);

    g_assert(fd >= 0);
    g_assert(ftruncate(fd, size) == 0);
    close(fd);
}

static BlockBackend *open_raw(int flags, const char *key, const char *val)
{
    QDict *o = qdict_new();

    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file.driver", "file");
    qdict_put_str(o, "file.filename", tmp_img);
    if (key) {
        qdict_put_str(o, key, val);
    }
    return blk_new_open(NULL, NULL, o, flags, &error_abort);
}

static void test_rw(void)
{
    BlockBackend *blk;
    uint8_t buf[1000], back[1000];
    int fd;

    make_image(1 * MiB);
    blk = open_raw(BDRV_O_RDWR, NULL, NULL);
    memset(buf, 0x5a, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 3333, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    g_assert_cmpint(blk_pread(blk, 3333, sizeof(back), back, 0), ==, 0);
    g_assert(memcmp(buf, back, sizeof(buf)) == 0);
    fd = open(tmp_img, O_RDONLY);
    g_assert_cmpint(pread(fd, back, sizeof(back), 3333), ==, sizeof(back));
    close(fd);
    g_assert(memcmp(buf, back, sizeof(buf)) == 0);
    blk_unref(blk);
}

/* What we write, the real qemu-io reads back, and the other way round */
static void test_qemu_io_data(void)
{
    g_autofree char *out = NULL;
    BlockBackend *blk;
    uint8_t buf[1000], back[512];
    int status;

    if (!g_file_test(QEMU_IO, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("no " QEMU_IO);
        return;
    }
    make_image(1 * MiB);
    blk = open_raw(BDRV_O_RDWR, NULL, NULL);
    memset(buf, 0x5a, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 3333, sizeof(buf), buf, 0), ==, 0);
    blk_unref(blk);
    {
        const char *argv[] = { QEMU_IO, "-f", "raw", "-c",
                               "read -P 0x5a 3333 1000", "-c",
                               "write -P 0xa5 8192 512", tmp_img, NULL };
        g_assert(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                              &out, NULL, &status, NULL));
    }
    g_assert_cmpint(status, ==, 0);
    g_assert_null(strstr(out, "Pattern verification failed"));
    blk = open_raw(0, NULL, NULL);
    g_assert_cmpint(blk_pread(blk, 8192, 512, back, 0), ==, 0);
    g_assert_cmpint(back[0], ==, 0xa5);
    g_assert_cmpint(back[511], ==, 0xa5);
    blk_unref(blk);
}

/* raw offset/size: a window into the file */
static void test_raw_window(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    Error *err = NULL;
    uint8_t buf[512], back[512];
    int64_t pnum, map;
    int fd;

    make_image(1 * MiB);
    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "offset", "4096");
    qdict_put_str(o, "size", "8192");
    qdict_put_str(o, "file.driver", "file");
    qdict_put_str(o, "file.filename", tmp_img);
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR | BDRV_O_RESIZE,
                       &error_abort);
    g_assert_cmpint(blk_getlength(blk), ==, 8192);
    memset(buf, 0x42, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, 0);
    fd = open(tmp_img, O_RDONLY);
    g_assert_cmpint(pread(fd, back, 512, 4096), ==, 512);
    close(fd);
    g_assert(memcmp(buf, back, 512) == 0);
    g_assert_cmpint(blk_pwrite(blk, 8192 - 256, 512, buf, 0), ==, -EIO);
    bdrv_block_status(blk_bs(blk), 0, 8192, &pnum, &map, NULL);
    g_assert_cmpint(map, ==, 4096);
    g_assert_cmpint(blk_truncate(blk, 16384, true, PREALLOC_MODE_OFF, &err),
                    ==, -ENOTSUP);
    g_assert_cmpstr(error_get_pretty(err), ==, "Cannot resize fixed-size "
                    "raw disks");
    error_free(err);
    blk_unref(blk);
}

static void test_block_status_holes(void)
{
    BlockBackend *blk;
    BlockDriverState *file;
    g_autofree uint8_t *buf = g_malloc(64 * KiB);
    int64_t pnum, map;
    int ret;

    make_image(1 * MiB);
    blk = open_raw(BDRV_O_RDWR, "discard", "unmap");
    memset(buf, 1, 64 * KiB);
    g_assert_cmpint(blk_pwrite(blk, 256 * KiB, 64 * KiB, buf, 0), ==, 0);
    g_assert_cmpint(bdrv_get_allocated_file_size(blk_bs(blk)), >=, 64 * KiB);
    ret = bdrv_block_status(blk_bs(blk), 0, 1 * MiB, &pnum, &map, &file);
    g_assert_cmphex(ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO |
                           BDRV_BLOCK_OFFSET_VALID), ==,
                    BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID);
    g_assert_cmpint(pnum, ==, 256 * KiB);
    g_assert(file == blk_bs(blk)->file->bs);
    ret = bdrv_block_status(blk_bs(blk), 256 * KiB, 1 * MiB, &pnum, &map,
                            NULL);
    g_assert_true(ret & BDRV_BLOCK_DATA);
    g_assert_cmpint(pnum, ==, 64 * KiB);
    g_assert_cmpint(map, ==, 256 * KiB);
    ret = bdrv_block_status(blk_bs(blk), 320 * KiB, 1 * MiB, &pnum, NULL,
                            NULL);
    g_assert_true(ret & BDRV_BLOCK_ZERO);
    g_assert_cmpint(pnum, ==, 1 * MiB - 320 * KiB);

    /* Zeroing with unmap punches the hole again */
    g_assert_cmpint(blk_pwrite_zeroes(blk, 256 * KiB, 64 * KiB,
                                      BDRV_REQ_MAY_UNMAP), ==, 0);
    ret = bdrv_block_status(blk_bs(blk), 0, 1 * MiB, &pnum, NULL, NULL);
    g_assert_true(ret & BDRV_BLOCK_ZERO);
    g_assert_cmpint(pnum, ==, 1 * MiB);
    g_assert_cmpint(blk_pread(blk, 256 * KiB, 64 * KiB, buf, 0), ==, 0);
    g_assert(buffer_is_zero(buf, 64 * KiB));
    g_assert_cmpint(bdrv_get_allocated_file_size(blk_bs(blk)), <, 64 * KiB);
    g_assert_true(bdrv_has_zero_init(blk_bs(blk)));
    /* Discard does too */
    memset(buf, 1, 64 * KiB);
    g_assert_cmpint(blk_pwrite(blk, 0, 64 * KiB, buf, 0), ==, 0);
    g_assert_cmpint(blk_pdiscard(blk, 0, 64 * KiB), ==, 0);
    ret = bdrv_block_status(blk_bs(blk), 0, 1 * MiB, &pnum, NULL, NULL);
    g_assert_true(ret & BDRV_BLOCK_ZERO);
    g_assert_cmpint(blk_get_stats(blk)->nr_ops[BLOCK_ACCT_UNMAP], ==, 1);
    blk_unref(blk);
}

/* detect-zeroes=unmap turns a zero buffer into a hole; off does not */
static void test_detect_zeroes(void)
{
    g_autofree uint8_t *buf = g_malloc(64 * KiB);
    BlockBackend *blk;
    QDict *o;
    int64_t pnum;
    int ret, i;

    for (i = 0; i < 2; i++) {
        make_image(1 * MiB);
        o = qdict_new();
        qdict_put_str(o, "driver", "raw");
        qdict_put_str(o, "discard", "unmap");
        qdict_put_str(o, "detect-zeroes", i ? "unmap" : "off");
        qdict_put_str(o, "file.driver", "file");
        qdict_put_str(o, "file.filename", tmp_img);
        blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
        memset(buf, 1, 64 * KiB);
        g_assert_cmpint(blk_pwrite(blk, 0, 64 * KiB, buf, 0), ==, 0);
        memset(buf, 0, 64 * KiB);
        g_assert_cmpint(blk_pwrite(blk, 0, 64 * KiB, buf, 0), ==, 0);
        ret = bdrv_block_status(blk_bs(blk), 0, 64 * KiB, &pnum, NULL,
                                NULL);
        g_assert_cmpint(!!(ret & BDRV_BLOCK_ZERO), ==, i);
        g_assert_cmpint(!!(ret & BDRV_BLOCK_DATA), ==, !i);
        blk_unref(blk);
    }
}

static void test_truncate(void)
{
    BlockBackend *blk;
    Error *err = NULL;
    struct stat st;

    make_image(1 * MiB);
    blk = open_raw(BDRV_O_RDWR | BDRV_O_RESIZE, NULL, NULL);
    g_assert_cmpint(blk_truncate(blk, 3 * MiB, true, PREALLOC_MODE_OFF,
                                 &error_abort), ==, 0);
    g_assert_cmpint(blk_getlength(blk), ==, 3 * MiB);
    g_assert_cmpint(blk_truncate(blk, 4 * MiB, true, PREALLOC_MODE_FULL,
                                 &error_abort), ==, 0);
    g_assert(stat(tmp_img, &st) == 0);
    g_assert_cmpint(st.st_size, ==, 4 * MiB);
    g_assert_cmpint(st.st_blocks * 512, >=, 1 * MiB);
    g_assert_cmpint(blk_truncate(blk, 512 * KiB, true, PREALLOC_MODE_OFF,
                                 &error_abort), ==, 0);
    g_assert_cmpint(blk_getlength(blk), ==, 512 * KiB);
    g_assert_cmpint(blk_truncate(blk, -1, true, PREALLOC_MODE_OFF, &err),
                    <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Image size cannot be "
                    "negative");
    error_free(err);
    err = NULL;
    /* Without the resize permission: an error, not a crash */
    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                 BLK_PERM_ALL, &error_abort);
    g_assert_cmpint(blk_truncate(blk, 1 * MiB, true, PREALLOC_MODE_OFF,
                                 &err), ==, -EPERM);
    error_free(err);
    g_assert_cmpint(blk_getlength(blk), ==, 512 * KiB);
    blk_unref(blk);
}

static void test_create(void)
{
    BlockDriver *drv = bdrv_find_format("file");
    QDict *o = qdict_new();
    struct stat st;
    int ret;

    unlink(tmp_img);
    qdict_put_str(o, "size", "2M");
    qdict_put_str(o, "preallocation", "falloc");
    ret = bdrv_create(drv, tmp_img, o, &error_abort);
    qobject_unref(o);
    g_assert_cmpint(ret, ==, 0);
    g_assert(stat(tmp_img, &st) == 0);
    g_assert_cmpint(st.st_size, ==, 2 * MiB);
    g_assert_cmpint(st.st_blocks * 512, >=, 2 * MiB);
}

static void test_direct(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    Error *err = NULL;
    uint8_t buf[100], back[100];

    make_image(1 * MiB);
    qdict_put_str(o, "driver", "file");
    qdict_put_str(o, "filename", tmp_img);
    qdict_put_str(o, "cache.direct", "on");
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &err);
    if (!blk) {
        g_test_skip("O_DIRECT not supported here");
        error_free(err);
        return;
    }
    g_assert_cmpint(blk_bs(blk)->bl.request_alignment, >=, 512);
    memset(buf, 0x33, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 1001, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 1001, sizeof(back), back, 0), ==, 0);
    g_assert(memcmp(buf, back, sizeof(buf)) == 0);
    blk_unref(blk);
}

/* O_DIRECT on a file whose end is not aligned: the tail reads short */
static void test_direct_short_tail(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    Error *err = NULL;
    uint8_t data[1000], back[1000];
    int fd, i;

    for (i = 0; i < 1000; i++) {
        data[i] = i % 251;
    }
    fd = open(tmp_img, O_RDWR | O_TRUNC);
    g_assert(fd >= 0);
    g_assert_cmpint(pwrite(fd, data, sizeof(data), 0), ==, sizeof(data));
    close(fd);
    qdict_put_str(o, "driver", "file");
    qdict_put_str(o, "filename", tmp_img);
    qdict_put_str(o, "cache.direct", "on");
    blk = blk_new_open(NULL, NULL, o, 0, &err);
    if (!blk) {
        g_test_skip("O_DIRECT not supported here");
        error_free(err);
        return;
    }
    /* QEMU counts whole sectors: the node is 1024 bytes long */
    g_assert_cmpint(blk_getlength(blk), ==, 1024);
    memset(back, 0xff, sizeof(back));
    g_assert_cmpint(blk_pread(blk, 0, 1000, back, 0), ==, 0);
    g_assert(memcmp(data, back, sizeof(data)) == 0);
    g_assert_cmpint(blk_pread(blk, 700, 300, back, 0), ==, 0);
    g_assert(memcmp(data + 700, back, 300) == 0);
    /* ... and the tail of the last sector reads as zeroes */
    memset(back, 0xff, sizeof(back));
    g_assert_cmpint(blk_pread(blk, 1000, 24, back, 0), ==, 0);
    g_assert(buffer_is_zero(back, 24));
    blk_unref(blk);
}

/* Is byte @byte of the image locked by an open file other than ours? */
static bool byte_locked(int64_t byte)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
                        .l_start = byte, .l_len = 1 };
    int fd = open(tmp_img, O_RDONLY);

    g_assert(fd >= 0);
    g_assert(fcntl(fd, F_OFD_GETLK, &fl) == 0);
    close(fd);
    return fl.l_type != F_UNLCK;
}

static void test_lock_bytes(void)
{
    BlockBackend *blk;
    uint64_t dev_shared = BLK_PERM_CONSISTENT_READ |
                          BLK_PERM_WRITE_UNCHANGED | BLK_PERM_RESIZE;

    make_image(1 * MiB);
    /* As qemu-io: read-write, sharing everything: bytes 100 and 101 */
    blk = open_raw(BDRV_O_RDWR, NULL, NULL);
    g_assert_true(byte_locked(100));
    g_assert_true(byte_locked(101));
    g_assert_false(byte_locked(102));
    g_assert_false(byte_locked(201));
    /* As a guest device: write not shared, byte 201 too */
    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE, dev_shared,
                 &error_abort);
    g_assert_true(byte_locked(201));
    g_assert_false(byte_locked(200));
    blk_unref(blk);
    g_assert_false(byte_locked(100));
    g_assert_false(byte_locked(201));

    /* Read-only: byte 100 only */
    blk = open_raw(0, NULL, NULL);
    g_assert_true(byte_locked(100));
    g_assert_false(byte_locked(101));
    blk_unref(blk);
    /* locking=off takes nothing */
    blk = open_raw(BDRV_O_RDWR, "file.locking", "off");
    g_assert_false(byte_locked(100));
    blk_unref(blk);
}

static void test_lock_conflict_in_process(void)
{
    BlockBackend *a, *b;
    Error *err = NULL;
    QDict *o = qdict_new();

    make_image(1 * MiB);
    a = open_raw(BDRV_O_RDWR, NULL, NULL);
    blk_set_perm(a, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                 BLK_PERM_CONSISTENT_READ, &error_abort);
    qdict_put_str(o, "driver", "raw");
    qdict_put_str(o, "file.driver", "file");
    qdict_put_str(o, "file.filename", tmp_img);
    b = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &err);
    g_assert_null(b);
    g_assert_cmpstr(error_get_pretty(err), ==, "Failed to get \"write\" "
                    "lock");
    g_assert_nonnull(strstr(error_get_hint(err), "Is another process using "
                            "the image ["));
    error_free(err);
    blk_unref(a);
}

/* Run qemu-io -c @cmd on the image; stderr into *@err_out. */
static int run_qemu_io(const char *cmd, char **err_out)
{
    const char *argv[] = { QEMU_IO, "-f", "raw", "-c", cmd, tmp_img, NULL };
    int status;

    g_assert(g_spawn_sync(NULL, (char **)argv, NULL,
                          G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                          err_out, &status, NULL));
    return status;
}

static void test_lock_qemu_io_refused(void)
{
    g_autofree char *err = NULL;
    g_autofree char *expect = NULL;
    BlockBackend *blk;

    if (!g_file_test(QEMU_IO, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("no " QEMU_IO);
        return;
    }
    make_image(1 * MiB);
    blk = open_raw(BDRV_O_RDWR, NULL, NULL);
    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                 BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED |
                 BLK_PERM_RESIZE, &error_abort);
    g_assert_cmpint(run_qemu_io("write 0 512", &err), !=, 0);
    expect = g_strdup_printf("qemu-io: can't open device %s: Failed to get "
                             "\"write\" lock\nIs another process using the "
                             "image [%s]?\n", tmp_img, tmp_img);
    g_assert_cmpstr(err, ==, expect);
    g_free(err);
    /* Sharing writes lets it in */
    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                 BLK_PERM_ALL, &error_abort);
    g_assert_cmpint(run_qemu_io("write 0 512", &err), ==, 0);
    blk_unref(blk);
}

static void test_lock_qemu_io_holds(void)
{
    const char *argv[] = { QEMU_IO, "-f", "raw", tmp_img, NULL };
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    BlockBackend *blk;
    Error *err = NULL;
    GPid pid;
    int in_fd, status;

    if (!g_file_test(QEMU_IO, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("no " QEMU_IO);
        return;
    }
    make_image(1 * MiB);
    g_assert(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                      G_SPAWN_DO_NOT_REAP_CHILD |
                                      G_SPAWN_STDOUT_TO_DEV_NULL,
                                      NULL, NULL, &pid, &in_fd, NULL, NULL,
                                      NULL));
    /* Wait (bounded) until qemu-io has the image open and locked */
    while (!byte_locked(101)) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(10 * 1000);
    }
    blk = open_raw(BDRV_O_RDWR, NULL, NULL);
    g_assert_cmpint(blk_set_perm(blk, BLK_PERM_CONSISTENT_READ |
                                 BLK_PERM_WRITE,
                                 BLK_PERM_CONSISTENT_READ, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Failed to get shared "
                    "\"write\" lock");
    error_free(err);
    /* Refused without leaving the unshared lock behind */
    close(in_fd);
    g_assert(waitpid(pid, &status, 0) == pid);
    g_spawn_close_pid(pid);
    g_assert_false(byte_locked(201));
    blk_unref(blk);
}

static void test_reopen(void)
{
    BlockBackend *blk;
    BlockDriverState *bs;
    Error *err = NULL;
    uint8_t buf[512], back[512];
    int fd;

    make_image(1 * MiB);
    blk = open_raw(0, NULL, NULL);
    bs = blk_bs(blk);
    g_assert_true(bdrv_is_read_only(bs));
    g_assert_cmpint(bdrv_reopen_set_read_only(bs, false, &error_abort), ==,
                    0);
    g_assert_false(bdrv_is_read_only(bs));
    g_assert_false(bdrv_is_read_only(bs->file->bs));
    g_assert_true(byte_locked(100));
    g_assert_false(byte_locked(101));
    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE,
                 BLK_PERM_ALL, &error_abort);
    g_assert_true(byte_locked(101));
    /* The new descriptor really is writable */
    memset(buf, 0x77, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 4096, 512, buf, 0), ==, 0);
    fd = open(tmp_img, O_RDONLY);
    g_assert_cmpint(pread(fd, back, 512, 4096), ==, 512);
    close(fd);
    g_assert(memcmp(buf, back, 512) == 0);

    /* Not while a parent writes */
    g_assert_cmpint(bdrv_reopen_set_read_only(bs, true, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Block node is read-only");
    error_free(err);
    err = NULL;
    g_assert_false(bdrv_is_read_only(bs));
    g_assert_cmpint(blk_pwrite(blk, 4096, 512, buf, 0), ==, 0);
    g_assert_true(byte_locked(101));

    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL, &error_abort);
    g_assert_cmpint(bdrv_reopen_set_read_only(bs, true, &error_abort), ==,
                    0);
    g_assert_true(bdrv_is_read_only(bs->file->bs));
    g_assert_true(byte_locked(100));
    g_assert_false(byte_locked(101));
    /* A driver that cannot prepare leaves everything as it was */
    g_assert(unlink(tmp_img) == 0);
    g_assert_cmpint(bdrv_reopen_set_read_only(bs, false, &err), <, 0);
    g_assert_cmpstr(error_get_pretty(err), ==, "Could not reopen file: No "
                    "such file or directory");
    error_free(err);
    g_assert_true(bdrv_is_read_only(bs));
    g_assert_true(bdrv_is_read_only(bs->file->bs));
    g_assert_cmpint(blk_pread(blk, 4096, 512, back, 0), ==, 0);
    g_assert(memcmp(buf, back, 512) == 0);
    blk_unref(blk);
}

int main(int argc, char **argv)
{
    int fd, ret;

    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    bdrv_init();
    fd = g_file_open_tmp("test-file-posix-XXXXXX", &tmp_img, NULL);
    g_assert(fd >= 0);
    close(fd);

    g_test_add_func("/file-posix/rw", test_rw);
    g_test_add_func("/file-posix/qemu-io-data", test_qemu_io_data);
    g_test_add_func("/file-posix/raw-window", test_raw_window);
    g_test_add_func("/file-posix/block-status-holes",
                    test_block_status_holes);
    g_test_add_func("/file-posix/detect-zeroes", test_detect_zeroes);
    g_test_add_func("/file-posix/truncate", test_truncate);
    g_test_add_func("/file-posix/create", test_create);
    g_test_add_func("/file-posix/direct", test_direct);
    g_test_add_func("/file-posix/direct-short-tail",
                    test_direct_short_tail);
    g_test_add_func("/file-posix/lock-bytes", test_lock_bytes);
    g_test_add_func("/file-posix/reopen", test_reopen);
    g_test_add_func("/file-posix/lock-conflict-in-process",
                    test_lock_conflict_in_process);
    g_test_add_func("/file-posix/lock-qemu-io-refused",
                    test_lock_qemu_io_refused);
    g_test_add_func("/file-posix/lock-qemu-io-holds",
                    test_lock_qemu_io_holds);
    ret = g_test_run();
    unlink(tmp_img);
    g_free(tmp_img);
    return ret;
}
