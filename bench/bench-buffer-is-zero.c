/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark of buffer_is_zero() on the buffer sizes convert and backup
 * test (4 KiB to 2 MiB, all zero, so the whole buffer is read), against
 * two baselines: a byte loop and memcmp() with a zero buffer.
 * Prints figures; never fails on speed.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

static double now_s(void)
{
    return g_get_monotonic_time() / 1e6;
}

static bool byte_loop_is_zero(const void *buf, size_t len)
{
    const volatile unsigned char *p = buf;
    size_t i;

    for (i = 0; i < len; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

static const unsigned char *zero_ref;

static bool memcmp_is_zero(const void *buf, size_t len)
{
    return memcmp(buf, zero_ref, len) == 0;
}

/* Scan about 4 GiB in @len-byte calls; return GiB/s. */
static double measure(bool (*fn)(const void *, size_t),
                      const unsigned char *buf, size_t len)
{
    size_t iters = (4 * GiB) / len;
    size_t i, hits = 0;
    double t = now_s();

    for (i = 0; i < iters; i++) {
        /* make the buffer look changed so no call is hoisted */
        asm volatile("" : : "r"(buf) : "memory");
        hits += fn(buf, len);
    }
    t = now_s() - t;
    g_assert(hits == iters);
    return (double)iters * len / GiB / t;
}

int main(void)
{
    static const size_t sizes[] = { 4 * KiB, 64 * KiB, 2 * MiB };
    unsigned char *buf = g_malloc0(2 * MiB);
    int i;

    zero_ref = g_malloc0(2 * MiB);
    printf("%-10s %14s %14s %14s %8s\n", "size", "buffer_is_zero",
           "memcmp", "byte loop", "ratio");
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        double fast = measure(buffer_is_zero, buf, sizes[i]);
        double ref = measure(memcmp_is_zero, buf, sizes[i]);
        double slow = measure(byte_loop_is_zero, buf, sizes[i]);

        printf("%-10zu %9.2f GiB/s %9.2f GiB/s %9.2f GiB/s %7.2fx\n",
               sizes[i], fast, ref, slow, fast / ref);
    }
    printf("ratio: buffer_is_zero over memcmp with a zero buffer\n");
    g_free((void *)zero_ref);
    g_free(buf);
    return 0;
}
