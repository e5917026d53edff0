/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for util/hbitmap.c: targeted tests of each function, and a
 * seeded random differential test against a naive model that keeps one
 * byte per granule and answers every query by scanning.
 */
#include "qemu/osdep.h"
#include "qemu/hbitmap.h"
#include "qapi/error.h"

/* xorshift64*: a fixed, platform-independent random sequence. */
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

/* A number in [0, n); n > 0. */
static uint64_t rng_below(Rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/*
 * The reference model: one byte per granule.  Item queries map items to
 * granules the obvious way and scan.
 */
typedef struct Model {
    uint64_t size;
    int g;
    uint64_t nbits;
    uint8_t *bits;
} Model;

static uint64_t model_granules(uint64_t size, int g)
{
    return (size + (1ULL << g) - 1) >> g;
}

static void model_init(Model *m, uint64_t size, int g)
{
    m->size = size;
    m->g = g;
    m->nbits = model_granules(size, g);
    m->bits = g_malloc0(m->nbits + 1);
}

static void model_destroy(Model *m)
{
    g_free(m->bits);
}

static void model_fill(Model *m, uint64_t start, uint64_t count, int value)
{
    uint64_t b;

    if (start >= m->size || count == 0) {
        return;
    }
    count = MIN(count, m->size - start);
    for (b = start >> m->g; b <= (start + count - 1) >> m->g; b++) {
        m->bits[b] = value;
    }
}

static uint64_t model_count(const Model *m)
{
    uint64_t items = 0, b;

    /* Whole granules, even one sticking out past the end, as QEMU. */
    for (b = 0; b < m->nbits; b++) {
        if (m->bits[b]) {
            items += 1ULL << m->g;
        }
    }
    return items;
}

/* First item in [start, start + count) whose granule is @value, or -1. */
static int64_t model_next(const Model *m, int64_t start, int64_t count,
                          int value)
{
    uint64_t end, item;

    if ((uint64_t)start >= m->size || count == 0) {
        return -1;
    }
    end = count < 0 || (uint64_t)count > m->size - start ?
          m->size : start + count;
    for (item = start; item < end; item = ((item >> m->g) + 1) << m->g) {
        if (!!m->bits[item >> m->g] == value) {
            return item;
        }
    }
    return -1;
}

static void model_truncate(Model *m, uint64_t size)
{
    uint64_t nbits = model_granules(size, m->g);

    m->bits = g_realloc(m->bits, nbits + 1);
    if (nbits > m->nbits) {
        memset(m->bits + m->nbits, 0, nbits + 1 - m->nbits);
    }
    m->nbits = nbits;
    m->size = size;
}

/* Compare every observable of @hb with @m. */
static void check_equal(const HBitmap *hb, const Model *m, Rng *r)
{
    HBitmapIter hbi;
    uint64_t b, first;
    int64_t item, expect;

    g_assert_cmpuint(hbitmap_size(hb), ==, m->size);
    g_assert_cmpuint(hbitmap_count(hb), ==, model_count(m));
    g_assert_cmpint(hbitmap_is_empty(hb), ==, model_count(m) == 0);
    for (b = 0; b < m->nbits; b++) {
        g_assert_cmpint(hbitmap_get(hb, b << m->g), ==, m->bits[b]);
    }
    if (m->size) {
        g_assert_cmpint(hbitmap_get(hb, m->size - 1), ==,
                        m->bits[m->nbits - 1]);
    }

    first = m->size ? rng_below(r, m->size) : 0;
    hbitmap_iter_init(&hbi, hb, first);
    expect = model_next(m, first, -1, 1);
    while ((item = hbitmap_iter_next(&hbi)) >= 0) {
        g_assert_cmpint(item, ==, expect);
        expect = model_next(m, ((item >> m->g) + 1) << m->g, -1, 1);
    }
    g_assert_cmpint(expect, ==, -1);
}

/* A random range length: a few granules, about a word, about a level. */
static uint64_t rand_granules(Rng *r, uint64_t nbits)
{
    switch (rng_below(r, 5)) {
    case 0:
        return 1 + rng_below(r, 3);
    case 1:
        return 60 + rng_below(r, 10);
    case 2:
        return 4090 + rng_below(r, 12);
    case 3:
        return nbits;
    default:
        return 1 + rng_below(r, nbits);
    }
}

static void random_set(HBitmap *hb, Model *m, Rng *r)
{
    uint64_t start = rng_below(r, m->size);
    uint64_t count = rand_granules(r, m->nbits) << m->g;

    count -= rng_below(r, 1ULL << m->g);
    hbitmap_set(hb, start, count);
    model_fill(m, start, count, 1);
}

static void random_reset(HBitmap *hb, Model *m, Rng *r)
{
    uint64_t start = rng_below(r, m->nbits) << m->g;
    uint64_t count = rand_granules(r, m->nbits) << m->g;

    if (rng_below(r, 4) == 0) {
        /* Up to the exact end, possibly ending in a partial granule. */
        count = m->size - start;
    }
    hbitmap_reset(hb, start, count);
    model_fill(m, start, count, 0);
}

static void random_queries(HBitmap *hb, Model *m, Rng *r)
{
    int64_t start = rng_below(r, m->size);
    int64_t count = (rand_granules(r, m->nbits) << m->g) -
                    rng_below(r, 1ULL << m->g);
    int64_t end = start + count;
    int64_t max = 1 + rng_below(r, count);
    int64_t ds = -2, dc = -2, pnum = -2, e_start, e_count, e_pnum;
    bool found, e_dirty;

    g_assert_cmpint(hbitmap_next_dirty(hb, start, count), ==,
                    model_next(m, start, count, 1));
    g_assert_cmpint(hbitmap_next_zero(hb, start, count), ==,
                    model_next(m, start, count, 0));

    e_start = model_next(m, start, end - start, 1);
    found = hbitmap_next_dirty_area(hb, start, end, max, &ds, &dc);
    g_assert_cmpint(found, ==, e_start >= 0);
    if (found) {
        int64_t zero;

        e_count = MIN(MIN(end, (int64_t)m->size) - e_start, max);
        zero = model_next(m, e_start, e_count, 0);
        e_count = zero < 0 ? e_count : zero - e_start;
        g_assert_cmpint(ds, ==, e_start);
        g_assert_cmpint(dc, ==, e_count);
    }

    e_dirty = m->bits[start >> m->g];
    e_pnum = model_next(m, start, count, !e_dirty);
    if (e_pnum < 0) {
        e_pnum = MIN((uint64_t)end, m->size);
    }
    e_pnum -= start;
    g_assert_cmpint(hbitmap_status(hb, start, count, &pnum), ==, e_dirty);
    g_assert_cmpint(pnum, ==, e_pnum);
}

static void random_truncate(HBitmap **hb, Model *m, Rng *r, uint64_t max)
{
    uint64_t size = 1 + rng_below(r, max);

    hbitmap_truncate(*hb, size);
    model_truncate(m, size);
}

/* Run @ops random operations on a bitmap of @nbits granules. */
static void run_random(uint64_t nbits, int g, int ops, Rng *r)
{
    uint64_t size = (nbits << g) - rng_below(r, 1ULL << g);
    HBitmap *hb = hbitmap_alloc(size, g);
    Model m;
    int i;

    model_init(&m, size, g);
    for (i = 0; i < ops; i++) {
        uint64_t op = rng_below(r, 100);

        if (op < 40) {
            random_set(hb, &m, r);
        } else if (op < 70) {
            random_reset(hb, &m, r);
        } else if (op < 97) {
            random_queries(hb, &m, r);
        } else if (op < 98) {
            random_truncate(&hb, &m, r, 2 * (nbits << g));
        } else if (op < 99) {
            hbitmap_reset_all(hb);
            model_fill(&m, 0, m.size, 0);
        } else {
            check_equal(hb, &m, r);
        }
        g_assert_cmpuint(hbitmap_count(hb), ==, model_count(&m));
    }
    check_equal(hb, &m, r);
    hbitmap_free(hb);
    model_destroy(&m);
}

static const int test_granularities[] = { 0, 1, 3, 9, 16 };

static void test_random_ops(void)
{
    static const uint64_t granule_counts[] = {
        1, 2, 63, 64, 65, 130, 4095, 4096, 4097, 9000, 64 * 64 * 64 + 3,
    };
    Rng r = { 0x5eed1234abcdULL };
    size_t i, j;

    for (i = 0; i < ARRAY_SIZE(test_granularities); i++) {
        for (j = 0; j < ARRAY_SIZE(granule_counts); j++) {
            uint64_t nbits = granule_counts[j];
            int ops = nbits > 10000 ? 800 : 5000;

            run_random(nbits, test_granularities[i], ops, &r);
        }
    }
}

/*
 * Iterate while ranges are set and reset between steps, as block-copy
 * does: each step must return the first dirty item after the previous
 * one, in the bitmap as it is at that moment.
 */
static void test_random_iter_changes(void)
{
    Rng r = { 0x17e4a7e5ULL };
    int i;

    for (i = 0; i < 100; i++) {
        int g = test_granularities[rng_below(&r, 5)];
        uint64_t nbits = 1 + rng_below(&r, 20000);
        uint64_t size = (nbits << g) - rng_below(&r, 1ULL << g);
        uint64_t first = rng_below(&r, size);
        HBitmap *hb = hbitmap_alloc(size, g);
        HBitmapIter hbi;
        int64_t item, expect;
        Model m;

        model_init(&m, size, g);
        random_set(hb, &m, &r);
        random_set(hb, &m, &r);
        hbitmap_iter_init(&hbi, hb, first);
        expect = model_next(&m, first, -1, 1);
        while ((item = hbitmap_iter_next(&hbi)) >= 0) {
            uint64_t next = ((item >> g) + 1) << g;

            g_assert_cmpint(item, ==, expect);
            if (rng_below(&r, 2)) {
                random_set(hb, &m, &r);
            } else {
                random_reset(hb, &m, &r);
            }
            expect = next < size ? model_next(&m, next, -1, 1) : -1;
        }
        g_assert_cmpint(expect, ==, -1);
        hbitmap_free(hb);
        model_destroy(&m);
    }
}

/* Fill @hb and @m with the same random runs. */
static void random_fill(HBitmap *hb, Model *m, Rng *r, int runs)
{
    int i;

    for (i = 0; i < runs; i++) {
        random_set(hb, m, r);
        if (rng_below(r, 2)) {
            random_reset(hb, m, r);
        }
    }
}

/* The model of a merge: a dirty item dirties its result granule. */
static void model_merge_into(Model *res, const Model *src)
{
    uint64_t b;

    for (b = 0; b < src->nbits; b++) {
        if (src->bits[b]) {
            model_fill(res, b << src->g, 1ULL << src->g, 1);
        }
    }
}

static void test_random_merge(void)
{
    Rng r = { 0x3e6e6e6eULL };
    int i;

    for (i = 0; i < 200; i++) {
        uint64_t size = 1 + rng_below(&r, 300000);
        int ga = test_granularities[rng_below(&r, 5)];
        int gb = rng_below(&r, 3) ? ga : test_granularities[rng_below(&r, 5)];
        int gr = rng_below(&r, 3) ? ga : test_granularities[rng_below(&r, 5)];
        int alias = rng_below(&r, 3);
        HBitmap *a = hbitmap_alloc(size, ga);
        HBitmap *b = hbitmap_alloc(size, gb);
        HBitmap *res;
        Model ma, mb, mr;

        model_init(&ma, size, ga);
        model_init(&mb, size, gb);
        random_fill(a, &ma, &r, 4);
        random_fill(b, &mb, &r, 4);
        if (alias == 1) {
            gr = ga;
            res = a;
        } else {
            res = hbitmap_alloc(size, gr);
            /* Old contents of a separate result must be discarded. */
            hbitmap_set(res, 0, size);
        }
        model_init(&mr, size, gr);
        model_merge_into(&mr, &ma);
        model_merge_into(&mr, &mb);

        g_assert_true(hbitmap_can_merge(a, b));
        hbitmap_merge(a, b, res);
        check_equal(res, &mr, &r);

        if (res != a) {
            hbitmap_free(res);
        }
        hbitmap_free(a);
        hbitmap_free(b);
        model_destroy(&ma);
        model_destroy(&mb);
        model_destroy(&mr);
    }
}

/* Serialize @hb in chunks of @chunk items into one buffer. */
static uint8_t *serialize_all(const HBitmap *hb, uint64_t chunk,
                              uint64_t *len)
{
    uint64_t size = hbitmap_size(hb);
    uint8_t *buf = g_malloc0(hbitmap_serialization_size(hb, 0, size) + 8);
    uint64_t start, off = 0;

    for (start = 0; start < size; start += chunk) {
        uint64_t n = MIN(chunk, size - start);

        g_assert_cmpuint(off, ==, hbitmap_serialization_size(hb, 0, start));
        hbitmap_serialize_part(hb, buf + off, start, n);
        off += hbitmap_serialization_size(hb, start, n);
    }
    g_assert_cmpuint(off, ==, hbitmap_serialization_size(hb, 0, size));
    *len = off;
    return buf;
}

/* The serialized form is exactly qcow2's: granule i is bit i % 8 of byte
 * i / 8, and padding bits are zero. */
static void check_serial_format(const uint8_t *buf, uint64_t len,
                                const Model *m)
{
    uint64_t i;

    g_assert_cmpuint(len, ==, ROUND_UP(m->nbits, 64) / 8);
    for (i = 0; i < len * 8; i++) {
        int bit = (buf[i / 8] >> (i % 8)) & 1;

        g_assert_cmpint(bit, ==, i < m->nbits ? m->bits[i] : 0);
    }
}

static void deserialize_chunk(HBitmap *hb, const uint8_t *buf,
                              uint64_t start, uint64_t n, bool finish,
                              Rng *r)
{
    uint64_t off = hbitmap_serialization_size(hb, 0, start);
    uint64_t len = hbitmap_serialization_size(hb, start, n);
    bool zero = true, ones = true;
    g_autofree uint8_t *copy = g_malloc(len);
    uint64_t nbits = ((start + n - 1) >> hbitmap_granularity(hb)) -
                     (start >> hbitmap_granularity(hb)) + 1;
    uint64_t i;

    memcpy(copy, buf + off, len);
    for (i = 0; i < nbits; i++) {
        int bit = (copy[i / 8] >> (i % 8)) & 1;

        zero &= !bit;
        ones &= bit;
    }
    if (zero && rng_below(r, 2)) {
        hbitmap_deserialize_zeroes(hb, start, n, finish);
    } else if (ones && rng_below(r, 2)) {
        hbitmap_deserialize_ones(hb, start, n, finish);
    } else {
        hbitmap_deserialize_part(hb, copy, start, n, finish);
    }
}

static void test_random_serialize(void)
{
    Rng r = { 0x5e71a112eULL };
    int i;

    for (i = 0; i < 120; i++) {
        int g = test_granularities[rng_below(&r, 5)];
        uint64_t size = 1 + rng_below(&r, MIN(1ULL << (g + 14), 400000));
        HBitmap *hb = hbitmap_alloc(size, g);
        HBitmap *copy = hbitmap_alloc(size, g);
        uint64_t align = hbitmap_serialization_align(hb);
        uint64_t chunk = align * (1 + rng_below(&r, 4));
        uint64_t nchunks = DIV_ROUND_UP(size, chunk);
        uint64_t len, c, k;
        g_autofree uint8_t *buf = NULL;
        Model m;

        g_assert_cmpuint(align, ==, 64ULL << g);
        model_init(&m, size, g);
        random_fill(hb, &m, &r, 5);
        buf = serialize_all(hb, chunk, &len);
        check_serial_format(buf, len, &m);

        /* Load the chunks in a scrambled order over stale contents. */
        hbitmap_set(copy, 0, size);
        for (k = 0; k < nchunks; k++) {
            c = (k * 7 + 3) % nchunks;
            if (nchunks % 7 == 0) {
                c = k;
            }
            deserialize_chunk(copy, buf, c * chunk,
                              MIN(chunk, size - c * chunk),
                              k == nchunks - 1, &r);
        }
        hbitmap_deserialize_finish(copy);
        check_equal(copy, &m, &r);

        hbitmap_free(hb);
        hbitmap_free(copy);
        model_destroy(&m);
    }
}

static void test_alloc_basic(void)
{
    HBitmap *hb = hbitmap_alloc(1000, 3);

    g_assert_cmpint(hbitmap_granularity(hb), ==, 3);
    g_assert_cmpuint(hbitmap_size(hb), ==, 1000);
    g_assert_cmpuint(hbitmap_count(hb), ==, 0);
    g_assert_true(hbitmap_empty(hb));
    g_assert_true(hbitmap_is_empty(hb));
    hbitmap_set(hb, 999, 1);
    g_assert_false(hbitmap_empty(hb));
    hbitmap_reset(hb, 992, 8);
    g_assert_false(hbitmap_get(hb, 0));
    g_assert_false(hbitmap_get(hb, 999));
    g_assert_cmpint(hbitmap_next_dirty(hb, 0, -1), ==, -1);
    g_assert_cmpint(hbitmap_next_zero(hb, 5, -1), ==, 5);
    hbitmap_free(hb);
    hbitmap_free(NULL);
}

static void test_size_zero(void)
{
    HBitmap *hb = hbitmap_alloc(0, 0);
    HBitmapIter hbi;
    int64_t s, c;

    hbitmap_set(hb, 0, 10);
    g_assert_true(hbitmap_is_empty(hb));
    g_assert_cmpuint(hbitmap_count(hb), ==, 0);
    g_assert_cmpint(hbitmap_next_dirty(hb, 0, -1), ==, -1);
    g_assert_cmpint(hbitmap_next_zero(hb, 0, -1), ==, -1);
    g_assert_false(hbitmap_next_dirty_area(hb, 0, 100, 1, &s, &c));
    hbitmap_iter_init(&hbi, hb, 0);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, -1);
    g_assert_cmpuint(hbitmap_serialization_size(hb, 0, 0), ==, 0);
    hbitmap_truncate(hb, 100);
    hbitmap_set(hb, 99, 1);
    g_assert_cmpuint(hbitmap_count(hb), ==, 1);
    hbitmap_free(hb);
}

static void test_size_one(void)
{
    HBitmap *hb = hbitmap_alloc(1, 9);
    int64_t pnum;

    hbitmap_set(hb, 0, 1);
    g_assert_true(hbitmap_get(hb, 0));
    /* The one granule sticks out past the end but counts whole. */
    g_assert_cmpuint(hbitmap_count(hb), ==, 512);
    g_assert_true(hbitmap_status(hb, 0, 100, &pnum));
    g_assert_cmpint(pnum, ==, 1);
    hbitmap_reset(hb, 0, 1);
    g_assert_true(hbitmap_is_empty(hb));
    hbitmap_free(hb);
}

static void test_set_granularity(void)
{
    HBitmap *hb = hbitmap_alloc(100, 2);

    /* Touching one item of a granule dirties all four. */
    hbitmap_set(hb, 5, 1);
    g_assert_cmpuint(hbitmap_count(hb), ==, 4);
    g_assert_true(hbitmap_get(hb, 4));
    g_assert_true(hbitmap_get(hb, 7));
    g_assert_false(hbitmap_get(hb, 8));
    g_assert_false(hbitmap_get(hb, 3));
    /* Clipped at the end; setting twice counts once. */
    hbitmap_set(hb, 90, 1000);
    hbitmap_set(hb, 90, 1000);
    g_assert_cmpuint(hbitmap_count(hb), ==, 4 + 12);
    hbitmap_set(hb, 100, 5);
    g_assert_cmpuint(hbitmap_count(hb), ==, 16);
    hbitmap_free(hb);
}

static void test_count_partial_tail(void)
{
    HBitmap *hb = hbitmap_alloc(130, 4);

    /*
     * Granule 8 covers items 128..143 but only 128..129 exist.  QEMU
     * still counts it whole (query-block reports 65536 for a dirty last
     * 512 bytes of a 1 MiB + 512 disk at 64 KiB granularity).
     */
    hbitmap_set(hb, 129, 1);
    g_assert_cmpuint(hbitmap_count(hb), ==, 16);
    hbitmap_set(hb, 0, 1);
    g_assert_cmpuint(hbitmap_count(hb), ==, 32);
    /* Resetting the partial last granule is allowed. */
    hbitmap_reset(hb, 128, 2);
    g_assert_cmpuint(hbitmap_count(hb), ==, 16);
    hbitmap_free(hb);
}

static void test_reset_across_levels(void)
{
    uint64_t size = 64 * 64 * 64 * 3;
    HBitmap *hb = hbitmap_alloc(size, 0);

    hbitmap_set(hb, 0, size);
    g_assert_cmpuint(hbitmap_count(hb), ==, size);
    hbitmap_reset(hb, 100, size - 200);
    g_assert_cmpuint(hbitmap_count(hb), ==, 200);
    g_assert_cmpint(hbitmap_next_dirty(hb, 100, -1), ==, size - 100);
    g_assert_cmpint(hbitmap_next_zero(hb, 0, -1), ==, 100);
    hbitmap_reset(hb, 0, 100);
    hbitmap_reset(hb, size - 100, 100);
    g_assert_true(hbitmap_is_empty(hb));
    g_assert_cmpint(hbitmap_next_dirty(hb, 0, -1), ==, -1);
    hbitmap_free(hb);
}

static void test_next_dirty_limits(void)
{
    HBitmap *hb = hbitmap_alloc(1000, 3);

    hbitmap_set(hb, 504, 16);
    g_assert_cmpint(hbitmap_next_dirty(hb, 0, 504), ==, -1);
    g_assert_cmpint(hbitmap_next_dirty(hb, 0, 505), ==, 504);
    /* Inside a dirty granule, the start itself is returned. */
    g_assert_cmpint(hbitmap_next_dirty(hb, 507, 1), ==, 507);
    g_assert_cmpint(hbitmap_next_dirty(hb, 520, -1), ==, -1);
    g_assert_cmpint(hbitmap_next_dirty(hb, 2000, -1), ==, -1);
    g_assert_cmpint(hbitmap_next_dirty(hb, 0, 0), ==, -1);
    g_assert_cmpint(hbitmap_next_zero(hb, 504, 16), ==, -1);
    g_assert_cmpint(hbitmap_next_zero(hb, 504, 17), ==, 520);
    g_assert_cmpint(hbitmap_next_zero(hb, 510, INT64_MAX), ==, 520);
    hbitmap_free(hb);
}

static void test_next_dirty_area(void)
{
    HBitmap *hb = hbitmap_alloc(10000, 0);
    int64_t s = -1, c = -1;

    hbitmap_set(hb, 100, 50);
    hbitmap_set(hb, 200, 1);
    g_assert_true(hbitmap_next_dirty_area(hb, 0, 10000, 1000, &s, &c));
    g_assert_cmpint(s, ==, 100);
    g_assert_cmpint(c, ==, 50);
    g_assert_true(hbitmap_next_dirty_area(hb, 120, 10000, 10, &s, &c));
    g_assert_cmpint(s, ==, 120);
    g_assert_cmpint(c, ==, 10);
    g_assert_true(hbitmap_next_dirty_area(hb, 0, 130, 1000, &s, &c));
    g_assert_cmpint(c, ==, 30);
    g_assert_true(hbitmap_next_dirty_area(hb, 150, 10000, 1000, &s, &c));
    g_assert_cmpint(s, ==, 200);
    g_assert_cmpint(c, ==, 1);
    s = c = -7;
    g_assert_false(hbitmap_next_dirty_area(hb, 201, 10000, 1000, &s, &c));
    g_assert_false(hbitmap_next_dirty_area(hb, 0, 100, 1000, &s, &c));
    g_assert_cmpint(s, ==, -7);
    g_assert_cmpint(c, ==, -7);
    hbitmap_free(hb);
}

static void test_status(void)
{
    HBitmap *hb = hbitmap_alloc(1000, 2);
    int64_t pnum;

    hbitmap_set(hb, 8, 8);
    g_assert_false(hbitmap_status(hb, 0, 1000, &pnum));
    g_assert_cmpint(pnum, ==, 8);
    g_assert_true(hbitmap_status(hb, 9, 1000, &pnum));
    g_assert_cmpint(pnum, ==, 7);
    g_assert_true(hbitmap_status(hb, 9, 3, &pnum));
    g_assert_cmpint(pnum, ==, 3);
    g_assert_false(hbitmap_status(hb, 16, INT64_MAX, &pnum));
    g_assert_cmpint(pnum, ==, 1000 - 16);
    hbitmap_free(hb);
}

static void test_iter_changes(void)
{
    HBitmap *hb = hbitmap_alloc(1 << 20, 0);
    HBitmapIter hbi;

    hbitmap_set(hb, 10, 1);
    hbitmap_set(hb, 5000, 1);
    hbitmap_set(hb, 900000, 3);
    hbitmap_iter_init(&hbi, hb, 0);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, 10);
    /* Reset ahead of the iterator: never returned. */
    hbitmap_reset(hb, 5000, 1);
    /* Set ahead: returned; set behind: not. */
    hbitmap_set(hb, 70000, 1);
    hbitmap_set(hb, 3, 1);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, 70000);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, 900000);
    /* Reset what is being iterated, as block-copy does. */
    hbitmap_reset(hb, 900000, 3);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, -1);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, -1);
    hbitmap_free(hb);
}

static void test_iter_first(void)
{
    HBitmap *hb = hbitmap_alloc(1000, 4);
    HBitmapIter hbi;

    hbitmap_set(hb, 32, 32);
    hbitmap_iter_init(&hbi, hb, 40);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, 40);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, 48);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, -1);
    hbitmap_iter_init(&hbi, hb, 1000);
    g_assert_cmpint(hbitmap_iter_next(&hbi), ==, -1);
    hbitmap_free(hb);
}

static void test_truncate(void)
{
    HBitmap *hb = hbitmap_alloc(200, 3);

    hbitmap_set(hb, 0, 200);
    /* Shrink into the middle of a granule: that granule stays set. */
    hbitmap_truncate(hb, 101);
    g_assert_cmpuint(hbitmap_count(hb), ==, 104);
    g_assert_true(hbitmap_get(hb, 100));
    /* Grow: the old tail granule is whole again, new space is clean. */
    hbitmap_truncate(hb, 1 << 20);
    g_assert_cmpuint(hbitmap_count(hb), ==, 104);
    g_assert_cmpint(hbitmap_next_zero(hb, 0, -1), ==, 104);
    g_assert_cmpint(hbitmap_next_dirty(hb, 104, -1), ==, -1);
    hbitmap_set(hb, (1 << 20) - 1, 1);
    hbitmap_truncate(hb, 64);
    g_assert_cmpuint(hbitmap_count(hb), ==, 64);
    g_assert_cmpint(hbitmap_next_dirty(hb, 1, -1), ==, 1);
    hbitmap_truncate(hb, 0);
    g_assert_true(hbitmap_is_empty(hb));
    hbitmap_free(hb);
}

static void test_dup(void)
{
    HBitmap *hb = hbitmap_alloc(100000, 1);
    HBitmap *copy;

    hbitmap_set(hb, 777, 4000);
    copy = hbitmap_dup(hb);
    hbitmap_reset_all(hb);
    g_assert_cmpuint(hbitmap_count(copy), ==, 4002);
    g_assert_cmpint(hbitmap_next_dirty(copy, 0, -1), ==, 776);
    g_assert_true(hbitmap_is_empty(hb));
    hbitmap_free(hb);
    hbitmap_free(copy);
}

static void test_merge_granularity(void)
{
    HBitmap *a = hbitmap_alloc(1000, 0);
    HBitmap *b = hbitmap_alloc(1000, 4);
    HBitmap *c = hbitmap_alloc(999, 4);

    g_assert_false(hbitmap_can_merge(a, c));
    hbitmap_set(a, 17, 1);
    hbitmap_set(b, 100, 1);
    /* Into the coarser one: a's item dirties its whole granule. */
    hbitmap_merge(a, b, b);
    g_assert_cmpuint(hbitmap_count(b), ==, 32);
    g_assert_cmpint(hbitmap_next_dirty(b, 0, -1), ==, 16);
    /* Into the finer one: b's granules are spread over items. */
    hbitmap_merge(a, b, a);
    g_assert_cmpuint(hbitmap_count(a), ==, 32);
    hbitmap_free(a);
    hbitmap_free(b);
    hbitmap_free(c);
}

static void test_serialize_format(void)
{
    HBitmap *hb = hbitmap_alloc(130 * 512, 9);
    uint8_t buf[24];
    uint8_t expect[24] = { 0x81, 0, 0, 0, 0, 0, 0, 0x80,
                           0, 0, 0, 0, 0, 0, 0, 0,
                           0x02, 0 };

    /* Granules 0, 7, 63 and 129. */
    hbitmap_set(hb, 0, 1);
    hbitmap_set(hb, 7 * 512, 512);
    hbitmap_set(hb, 63 * 512 + 3, 1);
    hbitmap_set(hb, 129 * 512, 1);
    g_assert_cmpuint(hbitmap_serialization_align(hb), ==, 64 * 512);
    g_assert_cmpuint(hbitmap_serialization_size(hb, 0, 130 * 512), ==, 24);
    g_assert_cmpuint(hbitmap_serialization_size(hb, 128 * 512, 1024), ==, 8);
    memset(buf, 0xff, sizeof(buf));
    hbitmap_serialize_part(hb, buf, 0, 130 * 512);
    g_assert_cmpmem(buf, sizeof(buf), expect, sizeof(expect));
    hbitmap_free(hb);
}

static void test_deserialize_garbage_tail(void)
{
    HBitmap *hb = hbitmap_alloc(70, 0);
    uint8_t buf[16];

    /* Bits past the end of the bitmap must not become visible. */
    memset(buf, 0xff, sizeof(buf));
    hbitmap_deserialize_part(hb, buf, 64, 6, true);
    g_assert_cmpuint(hbitmap_count(hb), ==, 6);
    hbitmap_truncate(hb, 200);
    g_assert_cmpuint(hbitmap_count(hb), ==, 6);
    g_assert_cmpint(hbitmap_next_zero(hb, 64, -1), ==, 70);
    hbitmap_free(hb);
}

/*
 * 2^40 items at 64 KiB granularity: 2^24 bits.  A few thousand searches
 * over a sparse bitmap finish in moments only if each costs the words it
 * touches rather than the whole bitmap (a linear scan would take minutes
 * and time the test out).
 */
static void test_huge_sparse(void)
{
    uint64_t size = 1ULL << 40;
    HBitmap *hb = hbitmap_alloc(size, 16);
    HBitmapIter hbi;
    int64_t s, c;
    int i;

    hbitmap_set(hb, size - 1, 1);
    hbitmap_set(hb, 1ULL << 39, 3ULL << 16);
    for (i = 0; i < 20000; i++) {
        g_assert_cmpint(hbitmap_next_dirty(hb, i, -1), ==, 1ULL << 39);
        g_assert_true(hbitmap_next_dirty_area(hb, (1ULL << 39) + 1, size,
                                              INT64_MAX, &s, &c));
        g_assert_cmpint(c, ==, (3 << 16) - 1);
        hbitmap_iter_init(&hbi, hb, i);
        g_assert_cmpint(hbitmap_iter_next(&hbi), ==, 1ULL << 39);
        g_assert_cmpint(hbitmap_iter_next(&hbi), ==, (1ULL << 39) + 65536);
        g_assert_cmpint(hbitmap_iter_next(&hbi), ==,
                        (1ULL << 39) + 2 * 65536);
        g_assert_cmpint(hbitmap_iter_next(&hbi), ==, size - 65536);
        g_assert_cmpint(hbitmap_iter_next(&hbi), ==, -1);
        hbitmap_set(hb, 12345ULL << 20, 1);
        hbitmap_reset(hb, 12345ULL << 20, 1 << 16);
    }
    g_assert_cmpuint(hbitmap_count(hb), ==, 4ULL << 16);
    hbitmap_set(hb, 0, size);
    g_assert_cmpuint(hbitmap_count(hb), ==, size);
    g_assert_cmpint(hbitmap_next_zero(hb, 0, -1), ==, -1);
    hbitmap_reset(hb, 0, size);
    g_assert_true(hbitmap_is_empty(hb));
    hbitmap_free(hb);
}

/* The largest size allowed, at a granularity that keeps memory small. */
static void test_max_size(void)
{
    HBitmap *hb = hbitmap_alloc(INT64_MAX, 40);
    int64_t pnum;

    hbitmap_set(hb, INT64_MAX - 1, 1);
    g_assert_cmpuint(hbitmap_count(hb), ==, 1ULL << 40);
    g_assert_cmpint(hbitmap_next_dirty(hb, 0, INT64_MAX), ==,
                    INT64_MAX - (1LL << 40) + 1);
    g_assert_false(hbitmap_status(hb, 0, INT64_MAX, &pnum));
    g_assert_cmpint(pnum, ==, INT64_MAX - (1LL << 40) + 1);
    hbitmap_reset(hb, INT64_MAX - (1LL << 40) + 1, 1LL << 40);
    g_assert_true(hbitmap_is_empty(hb));
    hbitmap_free(hb);
}

/*
 * The hashes QEMU 7.2's x-debug-block-dirty-bitmap-sha256 returned for a
 * bitmap with 64 KiB granularity on a 1 MiB null-co node, empty and after
 * writes at 0 and 960 KiB, and on a 1 MiB + 512 node after a write of its
 * last 512 bytes.
 */
static void test_sha256(void)
{
    HBitmap *hb = hbitmap_alloc(1 * MiB, 16);
    HBitmap *empty = hbitmap_alloc(0, 0);
    g_autofree char *h0 = hbitmap_sha256(hb, NULL);
    g_autofree char *h1 = NULL;
    g_autofree char *h2 = hbitmap_sha256(empty, &error_abort);

    g_assert_cmpstr(h0, ==, "af5570f5a1810b7af78caf4bc70a660f"
                    "0df51e42baf91d4de5b2328de0e83dfc");
    g_assert_cmpstr(h2, ==, h0);
    hbitmap_set(hb, 0, 64 * KiB);
    hbitmap_set(hb, 960 * KiB, 64 * KiB);
    h1 = hbitmap_sha256(hb, NULL);
    g_assert_cmpstr(h1, ==, "ff1a03bec701df63f26cac64b4e0bb60"
                    "09b26158b441e2131a79d72c76ba390a");
    hbitmap_free(hb);

    hb = hbitmap_alloc(1 * MiB + 512, 16);
    hbitmap_set(hb, 1 * MiB, 512);
    g_free(h1);
    h1 = hbitmap_sha256(hb, NULL);
    g_assert_cmpstr(h1, ==, "41b8f24b79ae38bb5f3af44cf187d022"
                    "c20517a6f576791e466d536517b68fb9");
    hbitmap_free(hb);
    hbitmap_free(empty);
}

static void test_meta(void)
{
    HBitmap *hb = hbitmap_alloc(1000, 0);
    HBitmap *other = hbitmap_alloc(1000, 0);
    HBitmap *meta = hbitmap_create_meta(hb, 4);
    uint8_t buf[16] = { 0 };

    g_assert_cmpint(hbitmap_granularity(meta), ==, 2);
    hbitmap_set(hb, 10, 1);
    g_assert_cmpuint(hbitmap_count(meta), ==, 4);
    g_assert_cmpint(hbitmap_next_dirty(meta, 0, -1), ==, 8);
    /* Calls that change nothing leave no trace. */
    hbitmap_reset_all(meta);
    hbitmap_set(hb, 10, 1);
    hbitmap_reset(hb, 500, 100);
    hbitmap_merge(hb, other, hb);
    g_assert_true(hbitmap_is_empty(meta));
    /* Every kind of change does. */
    hbitmap_reset(hb, 10, 1);
    g_assert_cmpuint(hbitmap_count(meta), ==, 4);
    hbitmap_set(other, 999, 1);
    hbitmap_merge(hb, other, hb);
    g_assert_cmpuint(hbitmap_count(meta), ==, 1000);
    hbitmap_reset_all(meta);
    hbitmap_deserialize_part(hb, buf, 960, 40, true);
    g_assert_cmpint(hbitmap_next_dirty(meta, 0, -1), ==, 960);
    hbitmap_set(hb, 0, 1);
    hbitmap_reset_all(meta);
    hbitmap_reset_all(hb);
    g_assert_cmpuint(hbitmap_count(meta), ==, 1000);
    hbitmap_truncate(hb, 5000);
    g_assert_cmpuint(hbitmap_size(meta), ==, 5000);
    hbitmap_free_meta(hb);
    hbitmap_set(hb, 0, 1);
    /* A bitmap may be freed with its meta bitmap still attached. */
    meta = hbitmap_create_meta(hb, 1);
    hbitmap_free(hb);
    hbitmap_free(other);
}

/* After random changes, the meta bitmap covers every changed granule. */
static void test_random_meta(void)
{
    Rng r = { 0x3e7a3e7aULL };
    int i, j;

    for (i = 0; i < 60; i++) {
        int g = test_granularities[rng_below(&r, 5)];
        uint64_t nbits = 1 + rng_below(&r, 5000);
        uint64_t size = (nbits << g) - rng_below(&r, 1ULL << g);
        HBitmap *hb = hbitmap_alloc(size, g);
        HBitmap *meta = hbitmap_create_meta(hb, 1 << rng_below(&r, 8));
        g_autofree uint8_t *before = g_malloc(nbits);
        Model m;

        model_init(&m, size, g);
        for (j = 0; j < 100; j++) {
            uint64_t b;
            bool changed = false;

            memcpy(before, m.bits, nbits);
            hbitmap_reset_all(meta);
            if (rng_below(&r, 2)) {
                random_set(hb, &m, &r);
            } else {
                random_reset(hb, &m, &r);
            }
            for (b = 0; b < nbits; b++) {
                if (before[b] != m.bits[b]) {
                    g_assert_true(hbitmap_get(meta, b << g));
                    changed = true;
                }
            }
            g_assert_cmpint(hbitmap_is_empty(meta), ==, !changed);
        }
        hbitmap_free(hb);
        model_destroy(&m);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hbitmap/alloc", test_alloc_basic);
    g_test_add_func("/hbitmap/size-zero", test_size_zero);
    g_test_add_func("/hbitmap/size-one", test_size_one);
    g_test_add_func("/hbitmap/set/granularity", test_set_granularity);
    g_test_add_func("/hbitmap/count/partial-tail", test_count_partial_tail);
    g_test_add_func("/hbitmap/reset/levels", test_reset_across_levels);
    g_test_add_func("/hbitmap/next-dirty/limits", test_next_dirty_limits);
    g_test_add_func("/hbitmap/next-dirty-area", test_next_dirty_area);
    g_test_add_func("/hbitmap/status", test_status);
    g_test_add_func("/hbitmap/iter/changes", test_iter_changes);
    g_test_add_func("/hbitmap/iter/first", test_iter_first);
    g_test_add_func("/hbitmap/truncate", test_truncate);
    g_test_add_func("/hbitmap/dup", test_dup);
    g_test_add_func("/hbitmap/merge/granularity", test_merge_granularity);
    g_test_add_func("/hbitmap/serialize/format", test_serialize_format);
    g_test_add_func("/hbitmap/deserialize/garbage-tail",
                    test_deserialize_garbage_tail);
    g_test_add_func("/hbitmap/huge-sparse", test_huge_sparse);
    g_test_add_func("/hbitmap/max-size", test_max_size);
    g_test_add_func("/hbitmap/sha256", test_sha256);
    g_test_add_func("/hbitmap/meta", test_meta);
    g_test_add_func("/hbitmap/random/ops", test_random_ops);
    g_test_add_func("/hbitmap/random/meta", test_random_meta);
    g_test_add_func("/hbitmap/random/iter-changes",
                    test_random_iter_changes);
    g_test_add_func("/hbitmap/random/merge", test_random_merge);
    g_test_add_func("/hbitmap/random/serialize", test_random_serialize);
    return g_test_run();
}
