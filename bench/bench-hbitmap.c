/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark of util/hbitmap.c over a bitmap shaped like a dirty bitmap of
 * a 1 TiB disk at 64 KiB granularity: set/reset throughput, iteration,
 * next_dirty_area.  Searches are also timed on a flat one-level bitmap
 * scanned word by word, the baseline the summary levels must beat.
 * Prints figures; never fails on speed.
 */
#include "qemu/osdep.h"
#include "qemu/hbitmap.h"
#include "qemu/host-utils.h"

#define DISK_SIZE (1ULL << 40)
#define GRAN_BITS 16
#define GRANULE (1ULL << GRAN_BITS)
#define NGRANULES (DISK_SIZE >> GRAN_BITS)

typedef struct Rng {
    uint64_t state;
} Rng;

static uint64_t rng_next(Rng *r)
{
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return r->state * 0x2545F4914F6CDD1DULL;
}

static double now_s(void)
{
    return g_get_monotonic_time() / 1e6;
}

static void report(const char *what, double count, const char *unit,
                   double secs)
{
    printf("%-44s %10.3g %s/s  (%.3f s)\n", what, count / secs, unit, secs);
}

/* Sequential: cover the whole disk in @chunk-byte writes. */
static void bench_set_sequential(uint64_t chunk)
{
    HBitmap *hb = hbitmap_alloc(DISK_SIZE, GRAN_BITS);
    g_autofree char *sz = g_format_size_full(chunk, G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *what = g_strdup_printf("set sequential, %s ranges", sz);
    double t = now_s();
    uint64_t off;

    for (off = 0; off < DISK_SIZE; off += chunk) {
        hbitmap_set(hb, off, chunk);
    }
    t = now_s() - t;
    g_assert(hbitmap_count(hb) == DISK_SIZE);
    report(what, NGRANULES, "bits", t);
    hbitmap_free(hb);
}

/* Random: @ops writes of 64 KiB to 1 MiB at random offsets. */
static void bench_set_random(int ops)
{
    HBitmap *hb = hbitmap_alloc(DISK_SIZE, GRAN_BITS);
    Rng r = { 42 };
    uint64_t bits = 0;
    double t = now_s();
    int i;

    for (i = 0; i < ops; i++) {
        uint64_t v = rng_next(&r);
        uint64_t len = GRANULE * (1 + (v & 15));

        hbitmap_set(hb, (v >> 20) % DISK_SIZE, len);
        bits += len >> GRAN_BITS;
    }
    t = now_s() - t;
    report("set random, 64 KiB-1 MiB ranges", ops, "ops", t);
    report("  same, as bits", bits, "bits", t);

    t = now_s();
    r.state = 42;
    for (i = 0; i < ops; i++) {
        uint64_t v = rng_next(&r);
        uint64_t len = GRANULE * (1 + (v & 15));

        /* One granule more: the unaligned set touched len + 1 of them. */
        hbitmap_reset(hb, ((v >> 20) % DISK_SIZE) & ~(GRANULE - 1),
                      len + GRANULE);
    }
    t = now_s() - t;
    g_assert(hbitmap_is_empty(hb));
    report("reset random, same ranges", ops, "ops", t);
    hbitmap_free(hb);
}

/* Mark one granule in every @stride, plus the flat copy of that. */
static HBitmap *make_strided(uint64_t stride, uint64_t **flat)
{
    HBitmap *hb = hbitmap_alloc(DISK_SIZE, GRAN_BITS);
    uint64_t b;

    *flat = g_new0(uint64_t, NGRANULES / 64);
    for (b = 0; b < NGRANULES; b += stride) {
        hbitmap_set(hb, b << GRAN_BITS, 1);
        (*flat)[b / 64] |= 1ULL << (b % 64);
    }
    return hb;
}

/*
 * The baseline: visit set bits of a flat bitmap by scanning every word.
 * Both sides sum the items they visit so neither loop can be optimised
 * into a mere population count.
 */
static uint64_t flat_iterate(const uint64_t *flat, uint64_t *sum)
{
    uint64_t w, n = 0;

    for (w = 0; w < NGRANULES / 64; w++) {
        uint64_t word = flat[w];

        while (word) {
            *sum += (w * 64 + ctz64(word)) << GRAN_BITS;
            n++;
            word &= word - 1;
        }
    }
    return n;
}

static void bench_iterate(const char *name, uint64_t stride, int rounds)
{
    uint64_t *flat;
    HBitmap *hb = make_strided(stride, &flat);
    uint64_t n = 0, expect = DIV_ROUND_UP(NGRANULES, stride);
    uint64_t sum = 0, flat_sum = 0;
    int64_t item;
    g_autofree char *what = NULL;
    double t, t_flat;
    int i;

    t = now_s();
    for (i = 0; i < rounds; i++) {
        HBitmapIter hbi;

        hbitmap_iter_init(&hbi, hb, 0);
        while ((item = hbitmap_iter_next(&hbi)) >= 0) {
            sum += item;
            n++;
        }
    }
    t = now_s() - t;
    g_assert(n == expect * rounds);

    t_flat = now_s();
    n = 0;
    for (i = 0; i < rounds; i++) {
        n += flat_iterate(flat, &flat_sum);
    }
    t_flat = now_s() - t_flat;
    g_assert(n == expect * rounds && sum == flat_sum);

    what = g_strdup_printf("iterate %s", name);
    report(what, (double)expect * rounds, "items", t);
    printf("  %-42s %10.3g disk bytes/s, %.2fx the flat scan\n", "",
           (double)DISK_SIZE * rounds / t, t_flat / t);
    hbitmap_free(hb);
    g_free(flat);
}

/* Walk the whole disk in dirty areas of at most @max bytes. */
static void bench_dirty_area(const char *name, uint64_t stride, int run,
                             int64_t max)
{
    HBitmap *hb = hbitmap_alloc(DISK_SIZE, GRAN_BITS);
    g_autofree char *what = g_strdup_printf("next_dirty_area %s", name);
    int64_t pos = 0, s, c;
    uint64_t areas = 0, b;
    double t;

    for (b = 0; b < NGRANULES; b += stride) {
        hbitmap_set(hb, b << GRAN_BITS, run * GRANULE);
    }
    t = now_s();
    while (hbitmap_next_dirty_area(hb, pos, DISK_SIZE, max, &s, &c)) {
        pos = s + c;
        areas++;
    }
    t = now_s() - t;
    report(what, areas, "areas", t);
    hbitmap_free(hb);
}

int main(int argc, char **argv)
{
    printf("HBitmap over 1 TiB at 64 KiB granularity (%" PRIu64
           " bits)\n", (uint64_t)NGRANULES);
    bench_set_sequential(64 * KiB);
    bench_set_sequential(1 * MiB);
    bench_set_sequential(1 * GiB);
    bench_set_random(2000000);
    bench_iterate("very sparse (1 in 2^20 set)", 1 << 20, 2000);
    bench_iterate("sparse (1 in 4096 set)", 4096, 200);
    bench_iterate("sparse (1 in 64 set)", 64, 10);
    bench_iterate("dense (all set)", 1, 5);
    bench_dirty_area("runs of 16 every 64, max 1 GiB", 64, 16, GiB);
    bench_dirty_area("all dirty, max 1 GiB", 1, 1, GiB);
    bench_dirty_area("all dirty, max 64 KiB", 1, 1, 64 * KiB);
    return 0;
}
