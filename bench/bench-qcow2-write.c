/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 write throughput against the real QEMU in the same run: random
 * 4 KiB writes (a large prime step over the disk, as qemu-img bench -S
 * walks it) into a fresh image and again over the now allocated one,
 * and sequential 1 MiB writes into a fresh image.  Each figure is timed
 * for our driver and for the real "qemu-img bench -w" on an identical
 * image, and printed with the ratio.  Never fails on speed.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include "qemu/main-loop.h"
#include "block/block-backend.h"

#define IMG_SIZE (256 * MiB)
#define RANDOM_COUNT 20000
#define RANDOM_STEP (4096 * 7919)     /* prime: visits every 4 KiB block */

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

static bool create_image(const char *path)
{
    g_autofree char *cmd = g_strdup_printf("qemu-img create -q -f qcow2 %s "
                                           "%" PRIu64, path,
                                           (uint64_t)IMG_SIZE);

    g_unlink(path);
    return system(cmd) == 0;
}

/* Our driver: @count writes of @size bytes, @step apart (wrapping). */
static double ours(const char *path, int count, int64_t size, int64_t step)
{
    g_autofree uint8_t *buf = g_malloc(size);
    BlockBackend *blk;
    int64_t off = 0;
    double t;
    int i;

    memset(buf, 0xa5, size);
    blk = blk_new_open(path, NULL, NULL, BDRV_O_RDWR, &error_abort);
    t = now();
    for (i = 0; i < count; i++) {
        g_assert(blk_pwrite(blk, off, size, buf, 0) == 0);
        off = (off + step) % IMG_SIZE;
    }
    /* qemu-img bench stops its clock before the flush at close too */
    t = now() - t;
    g_assert(blk_flush(blk) == 0);
    blk_unref(blk);
    return t;
}

/* The real qemu-img bench -w with the same pattern; its own timing. */
static double real(const char *path, int count, int64_t size, int64_t step)
{
    g_autofree char *cmd = g_strdup_printf(
        "qemu-img bench -w -c %d -d 1 -s %" PRId64 " -S %" PRId64
        " -t writeback -f qcow2 %s 2>&1", count, size, step, path);
    FILE *p = popen(cmd, "r");
    char line[256];
    double t = -1;

    while (p && fgets(line, sizeof(line), p)) {
        sscanf(line, "Run completed in %lf seconds.", &t);
    }
    if (p) {
        pclose(p);
    }
    return t;
}

static void report(const char *what, int count, int64_t size, double o,
                   double r)
{
    printf("%-34s ours %8.0f ops/s %7.1f MiB/s | real %8.0f ops/s "
           "| ratio %.2fx\n", what, count / o, count * (double)size / MiB / o,
           count / r, o / r);
}

/*
 * One case, best of three runs each (the machine is noisy): ours, then
 * the real one, each on a fresh image if @fresh, else on the image the
 * previous case left.
 */
static void run_case(const char *mine, const char *theirs, const char *what,
                     bool fresh, int count, int64_t size, int64_t step)
{
    double o = 1e9, r = 1e9, t;
    int i;

    for (i = 0; i < 3; i++) {
        if (fresh && (!create_image(mine) || !create_image(theirs))) {
            printf("needs qemu-img\n");
            exit(0);
        }
        o = MIN(o, ours(mine, count, size, step));
        t = real(theirs, count, size, step);
        if (t <= 0) {
            printf("needs qemu-img bench\n");
            exit(0);
        }
        r = MIN(r, t);
    }
    report(what, count, size, o, r);
}

int main(int argc, char **argv)
{
    g_autofree char *mine = NULL, *theirs = NULL;
    int fd;

    qemu_init_main_loop(&error_abort);
    bdrv_init();
    fd = g_file_open_tmp("bench-qcow2-w-XXXXXX", &mine, NULL);
    g_assert(fd >= 0);
    close(fd);
    theirs = g_strdup_printf("%s.real", mine);

    /* An argument picks one case, for profiling */
    if (argc < 2 || strchr(argv[1], '1')) {
        run_case(mine, theirs, "random 4 KiB, allocating", true,
                 RANDOM_COUNT, 4096, RANDOM_STEP);
    }
    if (argc < 2 || strchr(argv[1], '2')) {
        run_case(mine, theirs, "random 4 KiB, allocated", false,
                 RANDOM_COUNT, 4096, RANDOM_STEP);
    }
    if (argc < 2 || strchr(argv[1], '3')) {
        run_case(mine, theirs, "sequential 1 MiB, allocating", true,
                 IMG_SIZE / MiB, MiB, MiB);
    }
    if (argc < 2 || strchr(argv[1], '4')) {
        run_case(mine, theirs, "sequential 1 MiB, allocated", false,
                 IMG_SIZE / MiB, MiB, MiB);
    }
    g_unlink(mine);
    g_unlink(theirs);
    return 0;
}
