/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 read throughput: read a fully allocated image (made by the real
 * qemu-img, given on the command line or created in /tmp) sequentially
 * through our driver in 64 KiB and 1 MiB requests, and randomly in 4 KiB
 * requests.  Prints MiB/s; never fails on speed.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include "qemu/main-loop.h"
#include "block/block-backend.h"

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

static void bench_seq(BlockBackend *blk, int64_t len, int64_t chunk)
{
    g_autofree uint8_t *buf = g_malloc(chunk);
    double t = now();
    int64_t off;

    for (off = 0; off < len; off += chunk) {
        g_assert(blk_pread(blk, off, MIN(chunk, len - off), buf, 0) == 0);
    }
    t = now() - t;
    printf("sequential %6" PRId64 " KiB requests: %8.1f MiB/s\n",
           chunk / 1024, len / (double)MiB / t);
}

static void bench_random(BlockBackend *blk, int64_t len)
{
    uint8_t buf[4096];
    GRand *r = g_rand_new_with_seed(1);
    double t = now();
    int i, n = 20000;

    for (i = 0; i < n; i++) {
        int64_t off = g_rand_int_range(r, 0, len / 4096) * (int64_t)4096;

        g_assert(blk_pread(blk, off, sizeof(buf), buf, 0) == 0);
    }
    t = now() - t;
    printf("random 4 KiB reads: %8.0f IOPS\n", n / t);
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_autofree char *path = NULL;
    BlockBackend *blk;
    int64_t len;

    qemu_init_main_loop(&error_abort);
    bdrv_init();
    if (argc > 1) {
        path = g_strdup(argv[1]);
    } else {
        int fd = g_file_open_tmp("bench-qcow2-XXXXXX", &path, NULL);
        g_autofree char *cmd = NULL;

        g_assert(fd >= 0);
        close(fd);
        cmd = g_strdup_printf("qemu-img create -q -f qcow2 %s 256M && "
                              "qemu-io -c 'write -P 1 0 256M' %s >/dev/null",
                              path, path);
        if (system(cmd) != 0) {
            printf("needs qemu-img and qemu-io\n");
            return 0;
        }
    }
    blk = blk_new_open(path, NULL, NULL, 0, &error_abort);
    len = blk_getlength(blk);
    bench_seq(blk, len, 64 * KiB);
    bench_seq(blk, len, MiB);
    bench_random(blk, len);
    blk_unref(blk);
    if (argc <= 1) {
        g_unlink(path);
    }
    return 0;
}
