/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * block/io.c: alignment padding, max-transfer splitting, serialising
 * requests, drain, write-zeroes emulation, block status (also through a
 * backing chain), truncate and dirty marking.  A small in-memory driver
 * ("test") checks what reaches a driver.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/aio-wait.h"
#include "qemu/cutils.h"

#define TEST_SIZE (256 * KiB)

typedef struct TestReq {
    bool is_write;
    int64_t offset, bytes;
} TestReq;

typedef struct BDRVTestState {
    uint8_t data[TEST_SIZE];
    bool allocated[TEST_SIZE / 4096];
    GArray *log;             /* TestReq of every read and write */
    bool pause;              /* park requests in @paused */
    CoQueue paused;
    int npaused;
} BDRVTestState;

static BDRVTestState *last_state;

static int test_open(BlockDriverState *bs, QDict *options, int flags,
                     Error **errp)
{
    BDRVTestState *s = bs->opaque;

    qdict_del(options, "align");
    qdict_del(options, "max-transfer");
    qemu_co_queue_init(&s->paused);
    s->log = g_array_new(false, false, sizeof(TestReq));
    bdrv_open_child(NULL, options, "backing", bs, BDRV_CHILD_COW, true,
                    errp);
    last_state = s;
    return 0;
}

static void test_close(BlockDriverState *bs)
{
    BDRVTestState *s = bs->opaque;

    g_array_free(s->log, true);
}

static void test_refresh_limits(BlockDriverState *bs, Error **errp)
{
    QDict *o = bs->options;

    bs->bl.request_alignment = qdict_get_try_int(o, "align", 4096);
    bs->bl.max_transfer = qdict_get_try_int(o, "max-transfer", 0);
}

static int64_t test_getlength(BlockDriverState *bs)
{
    return TEST_SIZE;
}

static int coroutine_fn test_rw(BlockDriverState *bs, int64_t offset,
                                int64_t bytes, QEMUIOVector *qiov,
                                bool is_write)
{
    BDRVTestState *s = bs->opaque;
    TestReq r = { is_write, offset, bytes };
    int64_t i;

    g_assert_cmpint(offset % bs->bl.request_alignment, ==, 0);
    g_assert_cmpint(bytes % bs->bl.request_alignment, ==, 0);
    g_assert(!bs->bl.max_transfer || bytes <= bs->bl.max_transfer);
    g_assert_cmpint(qiov->size, ==, bytes);
    g_array_append_val(s->log, r);
    if (!is_write && bs->backing && !s->allocated[offset / 4096]) {
        /* Unallocated: the data comes from the backing node */
        return bdrv_co_preadv(bs->backing, offset, bytes, qiov, 0);
    }
    while (s->pause) {
        s->npaused++;
        qemu_co_queue_wait(&s->paused, NULL);
        s->npaused--;
    }
    if (offset + bytes > TEST_SIZE) {
        return -EIO;
    }
    if (is_write) {
        qemu_iovec_to_buf(qiov, 0, s->data + offset, bytes);
        for (i = offset / 4096; i < DIV_ROUND_UP(offset + bytes, 4096); i++) {
            s->allocated[i] = true;
        }
    } else {
        qemu_iovec_from_buf(qiov, 0, s->data + offset, bytes);
    }
    return 0;
}

static int coroutine_fn test_co_preadv(BlockDriverState *bs, int64_t offset,
                                       int64_t bytes, QEMUIOVector *qiov,
                                       BdrvRequestFlags flags)
{
    return test_rw(bs, offset, bytes, qiov, false);
}

static int coroutine_fn test_co_pwritev(BlockDriverState *bs, int64_t offset,
                                        int64_t bytes, QEMUIOVector *qiov,
                                        BdrvRequestFlags flags)
{
    return test_rw(bs, offset, bytes, qiov, true);
}

static int coroutine_fn test_co_block_status(BlockDriverState *bs,
                                             int64_t offset, int64_t bytes,
                                             int64_t *pnum, int64_t *map,
                                             BlockDriverState **file)
{
    BDRVTestState *s = bs->opaque;
    bool alloc = s->allocated[offset / 4096];
    int64_t end = offset;

    while (end < offset + bytes && s->allocated[end / 4096] == alloc) {
        end = QEMU_ALIGN_DOWN(end, 4096) + 4096;
    }
    *pnum = MIN(end, offset + bytes) - offset;
    *map = offset;
    *file = bs;
    return alloc ? BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID : 0;
}

static int test_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    bdi->cluster_size = 4096;
    return 0;
}

static int coroutine_fn test_co_check(BlockDriverState *bs,
                                      BdrvCheckResult *res,
                                      BdrvCheckMode fix)
{
    g_assert_true(qemu_in_coroutine());
    res->leaks = 2;
    res->leaks_fixed = (fix & BDRV_FIX_LEAKS) ? 2 : 0;
    return 0;
}

static const char *const test_opts[] = { "align", "max-transfer", NULL };

static BlockDriver bdrv_test = {
    .format_name            = "test",
    .instance_size          = sizeof(BDRVTestState),
    .runtime_opts           = test_opts,
    .bdrv_open              = test_open,
    .bdrv_close             = test_close,
    .bdrv_refresh_limits    = test_refresh_limits,
    .bdrv_getlength         = test_getlength,
    .bdrv_co_preadv         = test_co_preadv,
    .bdrv_co_pwritev        = test_co_pwritev,
    .bdrv_co_block_status   = test_co_block_status,
    .bdrv_get_info          = test_get_info,
    .bdrv_co_check          = test_co_check,
};

/* The same driver without block status, for the core's default */
static BlockDriver bdrv_test_plain = {
    .format_name            = "test-plain",
    .instance_size          = sizeof(BDRVTestState),
    .bdrv_open              = test_open,
    .bdrv_close             = test_close,
    .bdrv_refresh_limits    = test_refresh_limits,
    .bdrv_getlength         = test_getlength,
    .bdrv_co_preadv         = test_co_preadv,
};

/* A backend on a "test" node, with option @key set to @val if given. */
static BlockBackend *open_test(const char *key, int64_t val)
{
    QDict *o = qdict_new();
    BlockBackend *blk;

    qdict_put_str(o, "driver", "test");
    if (key) {
        qdict_put_int(o, key, val);
    }
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR | BDRV_O_RESIZE,
                       &error_abort);
    return blk;
}

static void test_unaligned_rw(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    BDRVTestState *s = last_state;
    uint8_t buf[100], out[3];
    guint i;

    memset(s->data, 0xaa, TEST_SIZE);
    memset(buf, 0x55, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 5000, 100, buf, 0), ==, 0);
    g_assert_cmpint(s->data[4999], ==, 0xaa);
    g_assert_cmpint(s->data[5000], ==, 0x55);
    g_assert_cmpint(s->data[5099], ==, 0x55);
    g_assert_cmpint(s->data[5100], ==, 0xaa);
    /* One RMW read of the block, then one aligned write */
    g_assert_cmpint(s->log->len, ==, 2);
    g_assert_false(g_array_index(s->log, TestReq, 0).is_write);
    g_assert_true(g_array_index(s->log, TestReq, 1).is_write);
    g_assert_cmpint(g_array_index(s->log, TestReq, 1).offset, ==, 4096);
    /* A read across a block boundary */
    g_assert_cmpint(blk_pread(blk, 4095, 3, out, 0), ==, 0);
    g_assert_cmpint(out[0], ==, 0xaa);
    g_assert_cmpint(out[1], ==, 0xaa);
    for (i = 0; i < s->log->len; i++) {
        g_assert_cmpint(g_array_index(s->log, TestReq, i).offset % 4096,
                        ==, 0);
    }
    /* A write spanning two blocks reads both edges */
    g_array_set_size(s->log, 0);
    g_assert_cmpint(blk_pwrite(blk, 8150, 100, buf, 0), ==, 0);
    g_assert_cmpint(s->log->len, ==, 3);
    g_assert_cmpint(s->data[8149], ==, 0xaa);
    g_assert_cmpint(s->data[8249], ==, 0x55);
    g_assert_cmpint(s->data[8250], ==, 0xaa);
    blk_unref(blk);
}

static void test_max_transfer(void)
{
    BlockBackend *blk = open_test("max-transfer", 8192);
    BDRVTestState *s = last_state;
    g_autofree uint8_t *buf = g_malloc(32768);
    guint i;

    memset(buf, 7, 32768);
    g_assert_cmpint(blk_pwrite(blk, 0, 32768, buf, 0), ==, 0);
    g_assert_cmpint(s->log->len, ==, 4);
    for (i = 0; i < 4; i++) {
        TestReq *r = &g_array_index(s->log, TestReq, i);
        g_assert_cmpint(r->offset, ==, i * 8192);
        g_assert_cmpint(r->bytes, ==, 8192);
    }
    memset(buf, 0, 32768);
    g_assert_cmpint(blk_pread(blk, 0, 32768, buf, 0), ==, 0);
    g_assert_cmpint(buf[32767], ==, 7);
    g_assert_cmpint(s->log->len, ==, 8);
    blk_unref(blk);
}

typedef struct CoReq {
    BlockBackend *blk;
    bool is_write;
    int64_t offset, bytes;
    uint8_t buf[8192];
    int ret;
    bool done;
} CoReq;

static void coroutine_fn co_req_entry(void *opaque)
{
    CoReq *r = opaque;
    QEMUIOVector q;

    qemu_iovec_init_buf(&q, r->buf, r->bytes);
    r->ret = r->is_write ?
        blk_co_pwritev(r->blk, r->offset, r->bytes, &q, 0) :
        blk_co_preadv(r->blk, r->offset, r->bytes, &q, 0);
    r->done = true;
}

static void co_req_start(CoReq *r)
{
    qemu_coroutine_enter(qemu_coroutine_create(co_req_entry, r));
}

static void release_paused(void *opaque)
{
    BDRVTestState *s = opaque;

    s->pause = false;
    qemu_co_queue_restart_all(&s->paused);
}

static void test_serialising(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    BDRVTestState *s = last_state;
    CoReq a = { .blk = blk, .is_write = true, .offset = 5000, .bytes = 100 };
    CoReq b = { .blk = blk, .offset = 4096, .bytes = 512 };
    CoReq c = { .blk = blk, .offset = 65536, .bytes = 4096 };

    s->pause = true;
    co_req_start(&a);       /* parks in its read-modify-write read */
    g_assert_cmpint(s->npaused, ==, 1);
    co_req_start(&b);       /* overlaps a serialising write: waits */
    g_assert_cmpint(s->npaused, ==, 1);
    g_assert_cmpint(s->log->len, ==, 1);
    co_req_start(&c);       /* elsewhere: goes straight to the driver */
    g_assert_cmpint(s->npaused, ==, 2);
    g_assert_cmpint(bdrv_get_in_flight(blk_bs(blk)), >, 0);
    g_assert_cmpint(blk_bs(blk)->serialising_in_flight, ==, 1);
    release_paused(s);
    AIO_WAIT_WHILE(NULL, !a.done || !b.done || !c.done);
    /* Back to zero, so plain requests skip the overlap walk again. */
    g_assert_cmpint(blk_bs(blk)->serialising_in_flight, ==, 0);
    g_assert_cmpint(a.ret | b.ret | c.ret, ==, 0);
    /* b ran after a's write: it saw a's data */
    g_assert_cmpint(g_array_index(s->log, TestReq, 3).is_write, ==, false);
    g_assert_cmpint(g_array_index(s->log, TestReq, 2).is_write, ==, true);
    g_assert_cmpint(bdrv_get_in_flight(blk_bs(blk)), ==, 0);
    blk_unref(blk);
}

static void test_drain(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    BlockDriverState *bs = blk_bs(blk);
    BDRVTestState *s = last_state;
    CoReq a = { .blk = blk, .offset = 0, .bytes = 4096 };
    CoReq b = { .blk = blk, .is_write = true, .offset = 0, .bytes = 4096 };

    s->pause = true;
    co_req_start(&a);
    g_assert_cmpint(bdrv_get_in_flight(bs), >, 0);
    aio_bh_schedule_oneshot(qemu_get_aio_context(), release_paused, s);
    bdrv_drained_begin(bs);
    g_assert_true(a.done);
    g_assert_cmpint(bdrv_get_in_flight(bs), ==, 0);
    /* New requests wait at the backend until the drain ends */
    co_req_start(&b);
    aio_poll(qemu_get_aio_context(), false);
    g_assert_false(b.done);
    g_assert_cmpint(s->log->len, ==, 1);
    bdrv_drained_end(bs);
    AIO_WAIT_WHILE(NULL, !b.done);
    g_assert_cmpint(b.ret, ==, 0);
    g_assert_cmpint(s->log->len, ==, 2);

    bdrv_drain_all_begin();
    g_assert_cmpint(bs->quiesce_counter, ==, 1);
    bdrv_drain_all_end();
    g_assert_cmpint(bs->quiesce_counter, ==, 0);
    blk_unref(blk);
}

typedef struct CoDrain {
    BlockDriverState *bs;
    unsigned in_flight_after;
    bool done;
} CoDrain;

static void coroutine_fn co_drain_entry(void *opaque)
{
    CoDrain *d = opaque;

    bdrv_drained_begin(d->bs);
    d->in_flight_after = bdrv_get_in_flight(d->bs);
    bdrv_drained_end(d->bs);
    d->done = true;
}

static void test_drain_in_coroutine(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    BDRVTestState *s = last_state;
    CoReq a = { .blk = blk, .offset = 0, .bytes = 4096 };
    CoDrain d = { .bs = blk_bs(blk), .in_flight_after = 99 };

    s->pause = true;
    co_req_start(&a);
    qemu_coroutine_enter(qemu_coroutine_create(co_drain_entry, &d));
    g_assert_false(d.done);
    aio_bh_schedule_oneshot(qemu_get_aio_context(), release_paused, s);
    AIO_WAIT_WHILE(NULL, !d.done);
    g_assert_true(a.done);
    g_assert_cmpint(d.in_flight_after, ==, 0);
    blk_unref(blk);
}

static void test_zeroes_emulated(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    BDRVTestState *s = last_state;
    int64_t i;

    memset(s->data, 0xff, TEST_SIZE);
    g_assert_cmpint(blk_pwrite_zeroes(blk, 1000, 10000, 0), ==, 0);
    g_assert_cmpint(s->data[999], ==, 0xff);
    for (i = 1000; i < 11000; i++) {
        g_assert_cmpint(s->data[i], ==, 0);
    }
    g_assert_cmpint(s->data[11000], ==, 0xff);
    g_assert_cmpint(blk_pwrite_zeroes(blk, 0, 4096, BDRV_REQ_NO_FALLBACK),
                    ==, -ENOTSUP);
    blk_unref(blk);
}

static void test_range_and_perm(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    uint8_t buf[512];

    g_assert_cmpint(blk_pread(blk, TEST_SIZE - 256, 512, buf, 0), ==, -EIO);
    g_assert_cmpint(blk_pread(blk, -1, 1, buf, 0), ==, -EIO);
    g_assert_cmpint(blk_pwrite(blk, TEST_SIZE, 1, buf, 0), ==, -EIO);
    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL, &error_abort);
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, -EPERM);
    /* WRITE_UNCHANGED is enough for a write flagged as unchanged data */
    blk_set_perm(blk, BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED,
                 BLK_PERM_ALL, &error_abort);
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, -EPERM);
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, BDRV_REQ_WRITE_UNCHANGED),
                    ==, 0);
    g_assert_cmpint(blk_get_stats(blk)->invalid_ops[BLOCK_ACCT_READ], ==, 2);
    g_assert_cmpint(blk_get_stats(blk)->failed_ops[BLOCK_ACCT_WRITE], ==, 2);
    blk_unref(blk);
}

static void test_dirty_bitmap(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    HBitmap *hb = hbitmap_alloc(TEST_SIZE, 12);
    uint8_t buf[100] = { 0 };

    bdrv_add_dirty_hbitmap(blk_bs(blk), hb);
    g_assert_cmpint(blk_pwrite(blk, 9000, 100, buf, 0), ==, 0);
    g_assert_true(hbitmap_get(hb, 9000));
    g_assert_false(hbitmap_get(hb, 0));
    g_assert_cmpint(hbitmap_count(hb), ==, 4096);
    g_assert_cmpint(blk_pwrite_zeroes(blk, 65536, 8192, 0), ==, 0);
    g_assert_cmpint(hbitmap_count(hb), ==, 3 * 4096);
    bdrv_remove_dirty_hbitmap(blk_bs(blk), hb);
    hbitmap_free(hb);
    blk_unref(blk);
}

static void test_block_status_backing(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    BlockDriverState *top, *base;
    int64_t pnum;
    uint8_t buf[4096] = { 1 };
    int ret;

    qdict_put_str(o, "driver", "test");
    qdict_put_str(o, "backing.driver", "test");
    qdict_put_str(o, "backing.node-name", "base");
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    top = blk_bs(blk);
    base = bdrv_find_node("base");
    g_assert(bdrv_backing_bs(top) == base);
    ((BDRVTestState *)base->opaque)->allocated[0] = true;
    g_assert_cmpint(blk_pwrite(blk, 8192, 4096, buf, 0), ==, 0);

    ret = bdrv_block_status_above(top, NULL, 0, TEST_SIZE, &pnum, NULL,
                                  NULL);
    g_assert_cmphex(ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED), ==,
                    BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED);
    g_assert_cmpint(pnum, ==, 4096);
    ret = bdrv_block_status_above(top, NULL, 4096, TEST_SIZE, &pnum, NULL,
                                  NULL);
    g_assert_cmphex(ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO |
                           BDRV_BLOCK_ALLOCATED), ==, BDRV_BLOCK_ZERO);
    g_assert_cmpint(pnum, ==, 4096);
    ret = bdrv_block_status(top, 8192, TEST_SIZE, &pnum, NULL, NULL);
    g_assert_true(ret & BDRV_BLOCK_ALLOCATED);
    g_assert_cmpint(pnum, ==, 4096);

    g_assert_cmpint(bdrv_is_allocated_above(top, NULL, false, 0, 8192,
                                            &pnum), ==, 1);
    g_assert_cmpint(pnum, ==, 4096);
    g_assert_cmpint(bdrv_is_allocated_above(top, base, false, 0, 8192,
                                            &pnum), ==, 0);
    g_assert_cmpint(pnum, ==, 8192);
    g_assert_cmpint(bdrv_is_allocated_above(top, base, true, 0, 8192,
                                            &pnum), ==, 1);
    blk_unref(blk);
    g_assert_null(bdrv_find_node("base"));
}

/*
 * Past the end of a shorter backing file an unallocated range reads as
 * zeroes, reported ZERO but not ALLOCATED in the overlay, as in QEMU.
 */
static void test_block_status_short_backing(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    BlockDriverState *top;
    int64_t pnum;
    int ret;

    qdict_put_str(o, "driver", "test");
    qdict_put_str(o, "backing.driver", "null-co");
    qdict_put_str(o, "backing.size", "65536");
    qdict_put_str(o, "backing.read-zeroes", "on");
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    top = blk_bs(blk);

    ret = bdrv_block_status(top, 65536, TEST_SIZE, &pnum, NULL, NULL);
    g_assert_cmphex(ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO |
                           BDRV_BLOCK_ALLOCATED), ==, BDRV_BLOCK_ZERO);
    /* Before the backing file's end the overlay defers to it */
    ret = bdrv_block_status(top, 0, 4096, &pnum, NULL, NULL);
    g_assert_cmphex(ret & (BDRV_BLOCK_DATA | BDRV_BLOCK_ZERO |
                           BDRV_BLOCK_ALLOCATED), ==, 0);
    ret = bdrv_block_status_above(top, NULL, 131072, 4096, &pnum, NULL,
                                  NULL);
    g_assert_true(ret & BDRV_BLOCK_ZERO);
    g_assert_cmpint(pnum, ==, 4096);
    g_assert_cmpint(bdrv_is_allocated_above(top, NULL, false, 131072, 4096,
                                            &pnum), ==, 0);
    blk_unref(blk);
}

/* Sizes count whole 512-byte sectors, as QEMU's do */
static void test_length_rounded(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    uint8_t buf[512];

    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "size", "1000");
    qdict_put_str(o, "read-zeroes", "on");
    blk = blk_new_open(NULL, NULL, o, 0, &error_abort);
    g_assert_cmpint(blk_getlength(blk), ==, 1024);
    g_assert_cmpint(bdrv_getlength(blk_bs(blk)), ==, 1024);
    g_assert_cmpint(blk_pread(blk, 512, 512, buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 1024, 1, buf, 0), ==, -EIO);
    blk_unref(blk);
}

static void test_copy_on_read(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    BDRVTestState *top_s, *base_s;
    uint8_t buf[8192];
    int64_t pnum;

    qdict_put_str(o, "driver", "test");
    qdict_put_str(o, "backing.driver", "test");
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    top_s = blk_bs(blk)->opaque;
    base_s = bdrv_backing_bs(blk_bs(blk))->opaque;
    memset(base_s->data, 0x3c, 4096);
    base_s->allocated[0] = true;

    /* A plain read leaves the top unallocated */
    g_assert_cmpint(blk_pread(blk, 100, 100, buf, 0), ==, 0);
    g_assert_cmpint(buf[0], ==, 0x3c);
    g_assert_false(top_s->allocated[0]);
    g_assert_cmpint(blk_pread(blk, 100, 8000, buf, BDRV_REQ_COPY_ON_READ),
                    ==, 0);
    g_assert_cmpint(buf[0], ==, 0x3c);
    g_assert_cmpint(buf[4095 - 100], ==, 0x3c);
    g_assert_true(top_s->allocated[0]);
    g_assert_true(top_s->allocated[1]);
    g_assert_cmpint(top_s->data[0], ==, 0x3c);
    g_assert_cmpint(top_s->data[4096], ==, 0);
    g_assert_cmpint(bdrv_is_allocated_above(blk_bs(blk), NULL, false, 0,
                                            8192, &pnum), ==, 1);
    g_assert_cmpint(pnum, ==, 8192);
    blk_unref(blk);
}

static void test_null_co(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    uint8_t buf[512];
    int64_t pnum, start;
    int ret;

    qdict_put_str(o, "driver", "null-co");
    qdict_put_str(o, "size", "1M");
    qdict_put_str(o, "read-zeroes", "on");
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(blk_getlength(blk), ==, 1 * MiB);
    memset(buf, 0xcc, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 0, 512, buf, 0), ==, 0);
    g_assert(buffer_is_zero(buf, sizeof(buf)));
    ret = bdrv_block_status(blk_bs(blk), 0, 1 * MiB, &pnum, NULL, NULL);
    g_assert_cmphex(ret & (BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED), ==,
                    BDRV_BLOCK_ZERO | BDRV_BLOCK_ALLOCATED);
    g_assert_cmpint(pnum, ==, 1 * MiB);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    g_assert_cmpint(blk_get_stats(blk)->nr_bytes[BLOCK_ACCT_WRITE], ==, 512);
    g_assert_cmpint(blk_get_stats(blk)->nr_ops[BLOCK_ACCT_READ], ==, 1);
    g_assert_cmpint(blk_get_stats(blk)->nr_ops[BLOCK_ACCT_FLUSH], ==, 1);
    blk_unref(blk);

    /* latency-ns delays each request by at least that much */
    o = qdict_new();
    qdict_put_str(o, "driver", "null-co");
    qdict_put_int(o, "latency-ns", 2 * 1000 * 1000);
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    start = g_get_monotonic_time();
    g_assert_cmpint(blk_pread(blk, 0, 512, buf, 0), ==, 0);
    g_assert_cmpint(g_get_monotonic_time() - start, >=, 2000);
    blk_unref(blk);
}

static void test_info_and_check(void)
{
    BlockBackend *blk = open_test(NULL, 0);
    BlockDriverInfo bdi;
    BdrvCheckResult res;
    QDict *o = qdict_new();
    BlockDriverState *null_bs;

    g_assert_cmpint(bdrv_get_info(blk_bs(blk), &bdi), ==, 0);
    g_assert_cmpint(bdi.cluster_size, ==, 4096);
    g_assert_cmpint(bdrv_check(blk_bs(blk), &res, BDRV_FIX_LEAKS), ==, 0);
    g_assert_cmpint(res.leaks, ==, 2);
    g_assert_cmpint(res.leaks_fixed, ==, 2);
    blk_unref(blk);

    qdict_put_str(o, "driver", "null-co");
    null_bs = bdrv_open(NULL, NULL, o, 0, &error_abort);
    g_assert_cmpint(bdrv_get_info(null_bs, &bdi), ==, -ENOTSUP);
    g_assert_cmpint(bdrv_check(null_bs, &res, 0), ==, -ENOTSUP);
    bdrv_unref(null_bs);
}

static void test_default_status_and_readonly_driver(void)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    uint8_t buf[512] = { 0 };
    int64_t pnum, map = -1;
    int ret;

    qdict_put_str(o, "driver", "test-plain");
    blk = blk_new_open(NULL, NULL, o, BDRV_O_RDWR, &error_abort);
    ret = bdrv_block_status(blk_bs(blk), 4096, TEST_SIZE, &pnum, &map, NULL);
    g_assert_cmphex(ret & ~BDRV_BLOCK_EOF, ==,
                    BDRV_BLOCK_DATA | BDRV_BLOCK_ALLOCATED);
    g_assert_cmpint(pnum, ==, TEST_SIZE - 4096);
    /* No write callback: the core answers, the driver is never called */
    g_assert_cmpint(blk_pwrite(blk, 0, 512, buf, 0), ==, -ENOTSUP);
    /* A zero write falls back to writes, which fail the same way */
    g_assert_cmpint(blk_pwrite_zeroes(blk, 0, 4096, 0), ==, -ENOTSUP);
    blk_unref(blk);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    bdrv_init();
    bdrv_register(&bdrv_test);
    bdrv_register(&bdrv_test_plain);

    g_test_add_func("/block-io/unaligned-rw", test_unaligned_rw);
    g_test_add_func("/block-io/max-transfer", test_max_transfer);
    g_test_add_func("/block-io/serialising", test_serialising);
    g_test_add_func("/block-io/drain", test_drain);
    g_test_add_func("/block-io/drain-in-coroutine",
                    test_drain_in_coroutine);
    g_test_add_func("/block-io/zeroes-emulated", test_zeroes_emulated);
    g_test_add_func("/block-io/range-and-perm", test_range_and_perm);
    g_test_add_func("/block-io/dirty-bitmap", test_dirty_bitmap);
    g_test_add_func("/block-io/block-status-backing",
                    test_block_status_backing);
    g_test_add_func("/block-io/block-status-short-backing",
                    test_block_status_short_backing);
    g_test_add_func("/block-io/length-rounded", test_length_rounded);
    g_test_add_func("/block-io/copy-on-read", test_copy_on_read);
    g_test_add_func("/block-io/null-co", test_null_co);
    g_test_add_func("/block-io/info-and-check", test_info_and_check);
    g_test_add_func("/block-io/default-status",
                    test_default_status_and_readonly_driver);
    return g_test_run();
}
