/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark of the block request path: 4 KiB reads at queue depth 64
 * through a BlockBackend, on null-co (the core's own overhead) and on
 * raw+file (with the thread pool), against the real "qemu-img bench"
 * doing the same in the same run.  Prints figures; never fails on speed.
 * Like for like: qemu-img gets the same image options plus "-t writeback
 * -i threads", which is what our file driver does (page cache, preadv on
 * the thread pool).  "bench-block-io null" or "file" runs one case only.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "block/block-backend.h"
#include "block/aio-wait.h"
#include "block/thread-pool.h"

#define REQ_SIZE 4096
#define DEPTH    64

static int workers;     /* thread-pool workers at the end of a run */

typedef struct Bench {
    BlockBackend *blk;
    int64_t len;
    int64_t next, count, done;
    int active;
} Bench;

static void coroutine_fn bench_worker(void *opaque)
{
    Bench *b = opaque;
    g_autofree uint8_t *buf = g_malloc(REQ_SIZE);
    QEMUIOVector qiov;

    qemu_iovec_init_buf(&qiov, buf, REQ_SIZE);
    while (b->next < b->count) {
        int64_t off = (b->next++ * REQ_SIZE) % b->len;
        if (blk_co_preadv(b->blk, off, REQ_SIZE, &qiov, 0) < 0) {
            abort();
        }
        b->done++;
    }
    b->active--;
    aio_wait_kick();
}

/* Seconds for @count reads on a backend opened from @opts_str. */
static double run_ours(const char *opts_str, int64_t count)
{
    QDict *o = qdict_new();
    g_auto(GStrv) kv = g_strsplit(opts_str, ",", -1);
    Bench b = { .count = count, .active = DEPTH };
    gint64 t0;
    int i;

    for (i = 0; kv[i]; i++) {
        g_auto(GStrv) p = g_strsplit(kv[i], "=", 2);
        qdict_put_str(o, p[0], p[1]);
    }
    b.blk = blk_new_open(NULL, NULL, o, 0, &error_abort);
    b.len = blk_getlength(b.blk);
    t0 = g_get_monotonic_time();
    for (i = 0; i < DEPTH; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(bench_worker, &b));
    }
    AIO_WAIT_WHILE(NULL, b.active > 0);
    workers = thread_pool_get_thread_count(
        aio_get_thread_pool(qemu_get_aio_context()));
    blk_unref(b.blk);
    return (g_get_monotonic_time() - t0) / 1e6;
}

/* Seconds the real qemu-img bench reports, or -1 if unavailable. */
static double run_qemu(const char *opts_str, int64_t count)
{
    g_autofree char *cnt = g_strdup_printf("%" PRId64, count);
    g_autofree char *out = NULL;
    const char *argv[] = { "/usr/bin/qemu-img", "bench", "-c", cnt,
                           "-d", "64", "-s", "4k", "-t", "writeback",
                           "-i", "threads", "--image-opts",
                           opts_str, NULL };
    const char *p;
    int status;

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &out, NULL, &status, NULL) || status) {
        return -1;
    }
    p = strstr(out, "Run completed in ");
    return p ? g_ascii_strtod(p + strlen("Run completed in "), NULL) : -1;
}

static void report(const char *name, const char *opts, int64_t count)
{
    double ours = run_ours(opts, count);
    double theirs = getenv("BENCH_NO_QEMU") ? -1 : run_qemu(opts, count);

    printf("%-10s %8" PRId64 " reads: ours %.3f s (%.0f kIOPS)", name,
           count, ours, count / ours / 1000);
    if (theirs > 0) {
        printf(", qemu-img bench %.3f s, ratio ours/qemu %.2f\n", theirs,
               ours / theirs);
    } else {
        printf(", qemu-img bench unavailable\n");
    }
    printf("%-10s thread-pool workers at the end: %d\n", "", workers);
}

int main(int argc, char **argv)
{
    g_autofree char *img = NULL;
    g_autofree char *file_opts = NULL;
    const char *only = argc > 1 ? argv[1] : NULL;
    int fd;

    qemu_init_main_loop(&error_abort);
    fd = g_file_open_tmp("bench-block-io-XXXXXX", &img, NULL);
    if (fd < 0 || ftruncate(fd, 64 * MiB) < 0) {
        return 1;
    }
    close(fd);
    file_opts = g_strdup_printf("driver=raw,file.driver=file,"
                                "file.filename=%s", img);
    printf("4 KiB reads, depth 64; qemu-img bench -t writeback -i threads "
           "(same cache mode and aio as ours)\n");
    if (!only || !strcmp(only, "null")) {
        report("null-co", "driver=null-co,size=1G", 400000);
    }
    if (!only || !strcmp(only, "file")) {
        report("raw+file", file_opts, 100000);
    }
    unlink(img);
    return 0;
}
