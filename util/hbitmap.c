/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hierarchical bitmap (HBitmap): the store behind dirty bitmaps, backup,
 * mirror and block-copy.
 *
 * Design
 * ------
 * The bitmap covers @size items.  One bit covers a granule of
 * 2^granularity items, so the lowest level ("bottom") holds
 * gsize = ceil(size / 2^granularity) bits in 64-bit words.
 *
 * Above it sit summary levels.  Bit i of a level is set exactly when
 * word i of the level below is non-zero; each level is therefore 64 times
 * smaller than the one below, and the top level is a single word.  A
 * bitmap of 2^40 items at 64 KiB granularity has 2^24 bottom bits
 * (2 MiB) and only four levels in all.  Bits past the end of any level
 * are always zero, and the number of set bottom bits is kept in @count.
 *
 * Searching for a set bit climbs from the start position while the rest
 * of the current word is empty, then descends along the first set bit of
 * each summary word, so it skips any empty region in O(levels).
 * Searching for a clear bit cannot use the summaries (a set summary bit
 * says nothing about zeroes below it) and scans bottom words.
 *
 * Costs (W = bottom words touched by the range, L = number of levels,
 * which is at most 11):
 *   get, count, empty .................. O(1)
 *   set, reset ......................... O(W + L); a level is left alone
 *                                        once the one below it stopped
 *                                        changing summary bits
 *   next_dirty, iter_next .............. O(L)
 *   next_zero, status, next_dirty_area . O(L + words scanned)
 *   serialize / deserialize a range .... O(W + L)
 *   merge (same granularity), truncate,
 *   reset_all, dup, sha256 ............. O(gsize / 64)
 *   merge (different granularities) .... O(dirty runs * (L + their words))
 * Memory is gsize / 8 bytes plus about 1/63 of that for the summaries.
 *
 * An optional meta bitmap, itself an HBitmap over the same items at a
 * coarser granularity, records the ranges of every call that changed a
 * bit; marking it adds the cost of a set on the (smaller) meta bitmap.
 */
#include "qemu/osdep.h"
#include "qemu/hbitmap.h"
#include "qemu/host-utils.h"

/* ceil(64 / 6) levels cover 2^64 bits; one more for rounding up. */
#define HB_MAX_LEVELS 12
/* "No bit found" from the bit-level search helpers. */
#define HB_NONE UINT64_MAX

struct HBitmap {
    /* Number of items covered. */
    uint64_t size;
    /* log2 of the items per bit. */
    int granularity;
    /* Number of set bits in the bottom level. */
    uint64_t count;
    /* levels[0] is the single top word, levels[nlevels - 1] the bottom. */
    int nlevels;
    uint64_t nbits[HB_MAX_LEVELS];
    uint64_t *levels[HB_MAX_LEVELS];
    /* Optional: records which ranges changed (hbitmap_create_meta()). */
    HBitmap *meta;
};

/* Number of bottom bits (granules) needed for @size items. */
static uint64_t hb_granules(uint64_t size, int granularity)
{
    uint64_t tail = size & ((1ULL << granularity) - 1);

    return (size >> granularity) + (tail != 0);
}

static uint64_t hb_words(uint64_t nbits)
{
    return MAX(DIV_ROUND_UP(nbits, 64), 1);
}

static uint64_t *hb_bottom(const HBitmap *hb)
{
    return hb->levels[hb->nlevels - 1];
}

static uint64_t hb_bottom_bits(const HBitmap *hb)
{
    return hb->nbits[hb->nlevels - 1];
}

/* Mask of bits @lo..@hi (inclusive) of a word; 0 <= lo <= hi <= 63. */
static uint64_t hb_range_mask(unsigned lo, unsigned hi)
{
    return (UINT64_MAX << lo) & (UINT64_MAX >> (63 - hi));
}

static bool hb_test_bit(const uint64_t *words, uint64_t bit)
{
    return (words[bit / 64] >> (bit % 64)) & 1;
}

static void hb_assign_bit(uint64_t *words, uint64_t bit, bool value)
{
    uint64_t mask = 1ULL << (bit % 64);

    if (value) {
        words[bit / 64] |= mask;
    } else {
        words[bit / 64] &= ~mask;
    }
}

/* Set bits @first..@last of @words; return how many were clear before. */
static uint64_t hb_words_set(uint64_t *words, uint64_t first, uint64_t last)
{
    uint64_t changed = 0;
    uint64_t w;

    for (w = first / 64; w <= last / 64; w++) {
        unsigned lo = w == first / 64 ? first % 64 : 0;
        unsigned hi = w == last / 64 ? last % 64 : 63;
        uint64_t mask = hb_range_mask(lo, hi);

        changed += ctpop64(mask & ~words[w]);
        words[w] |= mask;
    }
    return changed;
}

/* Clear bits @first..@last of @words; return how many were set before. */
static uint64_t hb_words_clear(uint64_t *words, uint64_t first,
                               uint64_t last)
{
    uint64_t changed = 0;
    uint64_t w;

    for (w = first / 64; w <= last / 64; w++) {
        unsigned lo = w == first / 64 ? first % 64 : 0;
        unsigned hi = w == last / 64 ? last % 64 : 63;
        uint64_t mask = hb_range_mask(lo, hi);

        changed += ctpop64(mask & words[w]);
        words[w] &= ~mask;
    }
    return changed;
}

/* Fill in nlevels and nbits for a bottom level of @bottom_bits bits. */
static void hb_layout(HBitmap *hb, uint64_t bottom_bits)
{
    uint64_t bits[HB_MAX_LEVELS];
    int n = 0;
    int i;

    bits[n++] = bottom_bits;
    while (bits[n - 1] > 64) {
        bits[n] = DIV_ROUND_UP(bits[n - 1], 64);
        n++;
    }
    hb->nlevels = n;
    for (i = 0; i < n; i++) {
        hb->nbits[i] = bits[n - 1 - i];
    }
}

/*
 * Bring the summary bits above bottom words @first_word..@last_word up to
 * date after those words were rewritten wholesale.
 */
static void hb_update_upper(HBitmap *hb, uint64_t first_word,
                            uint64_t last_word)
{
    int l;

    for (l = hb->nlevels - 2; l >= 0; l--) {
        const uint64_t *child = hb->levels[l + 1];
        uint64_t w;

        for (w = first_word; w <= last_word; w++) {
            hb_assign_bit(hb->levels[l], w, child[w] != 0);
        }
        first_word /= 64;
        last_word /= 64;
    }
}

HBitmap *hbitmap_alloc(uint64_t size, int granularity)
{
    HBitmap *hb = g_new0(HBitmap, 1);
    int l;

    assert(size <= INT64_MAX);
    assert(granularity >= 0 && granularity < 64);
    hb->size = size;
    hb->granularity = granularity;
    hb_layout(hb, hb_granules(size, granularity));
    for (l = 0; l < hb->nlevels; l++) {
        hb->levels[l] = g_new0(uint64_t, hb_words(hb->nbits[l]));
    }
    return hb;
}

void hbitmap_free(HBitmap *hb)
{
    int l;

    if (!hb) {
        return;
    }
    hbitmap_free_meta(hb);
    for (l = 0; l < hb->nlevels; l++) {
        g_free(hb->levels[l]);
    }
    g_free(hb);
}

HBitmap *hbitmap_dup(const HBitmap *hb)
{
    HBitmap *copy = g_new(HBitmap, 1);
    int l;

    *copy = *hb;
    copy->meta = NULL;
    for (l = 0; l < hb->nlevels; l++) {
        size_t bytes = hb_words(hb->nbits[l]) * sizeof(uint64_t);

        copy->levels[l] = g_malloc(bytes);
        memcpy(copy->levels[l], hb->levels[l], bytes);
    }
    return copy;
}

int hbitmap_granularity(const HBitmap *hb)
{
    return hb->granularity;
}

uint64_t hbitmap_size(const HBitmap *hb)
{
    return hb->size;
}

uint64_t hbitmap_count(const HBitmap *hb)
{
    /* Cannot overflow: size < 2^63 and a granule is at most 2^63. */
    return hb->count << hb->granularity;
}

bool hbitmap_empty(const HBitmap *hb)
{
    return hb->count == 0;
}

bool hbitmap_get(const HBitmap *hb, uint64_t item)
{
    assert(item < hb->size);
    return hb_test_bit(hb_bottom(hb), item >> hb->granularity);
}

/* Record in the meta bitmap, if any, that items in a range changed. */
static void hb_mark_meta(HBitmap *hb, uint64_t start, uint64_t count)
{
    if (hb->meta) {
        hbitmap_set(hb->meta, start, count);
    }
}

/*
 * Set bottom bits @first..@last and the summary bits above them; return
 * how many bottom bits changed.
 */
static uint64_t hb_set_bits(HBitmap *hb, uint64_t first, uint64_t last)
{
    int l = hb->nlevels - 1;
    uint64_t changed = hb_words_set(hb->levels[l], first, last);
    uint64_t bottom_changed = changed;

    hb->count += changed;
    /* Once no bit changes, every summary above is already set. */
    for (l--; l >= 0 && changed; l--) {
        first /= 64;
        last /= 64;
        changed = hb_words_set(hb->levels[l], first, last);
    }
    return bottom_changed;
}

void hbitmap_set(HBitmap *hb, uint64_t start, uint64_t count)
{
    if (start >= hb->size || count == 0) {
        return;
    }
    count = MIN(count, hb->size - start);
    if (hb_set_bits(hb, start >> hb->granularity,
                    (start + count - 1) >> hb->granularity)) {
        hb_mark_meta(hb, start, count);
    }
}

/*
 * Clear bottom bits @first..@last and fix the summaries above.  At each
 * level the child words strictly inside the changed range are now zero;
 * only the two end words may still hold bits and are checked.  Return how
 * many bottom bits changed.
 */
static uint64_t hb_reset_bits(HBitmap *hb, uint64_t first, uint64_t last)
{
    int l = hb->nlevels - 1;
    uint64_t changed = hb_words_clear(hb->levels[l], first, last);
    uint64_t bottom_changed = changed;

    hb->count -= changed;
    for (; l > 0 && changed; l--) {
        const uint64_t *child = hb->levels[l];
        int64_t lo = first / 64;
        int64_t hi = last / 64;

        lo += child[lo] != 0;
        hi -= child[hi] != 0;
        if (lo > hi) {
            break;
        }
        changed = hb_words_clear(hb->levels[l - 1], lo, hi);
        first = lo;
        last = hi;
    }
    return bottom_changed;
}

void hbitmap_reset(HBitmap *hb, uint64_t start, uint64_t count)
{
    uint64_t gran_mask = (1ULL << hb->granularity) - 1;

    if (start >= hb->size || count == 0) {
        return;
    }
    count = MIN(count, hb->size - start);
    assert(!(start & gran_mask));
    assert(!(count & gran_mask) || start + count == hb->size);
    if (hb_reset_bits(hb, start >> hb->granularity,
                      (start + count - 1) >> hb->granularity)) {
        hb_mark_meta(hb, start, count);
    }
}

void hbitmap_reset_all(HBitmap *hb)
{
    int l;

    if (hb->count) {
        hb_mark_meta(hb, 0, hb->size);
    }
    for (l = 0; l < hb->nlevels; l++) {
        memset(hb->levels[l], 0, hb_words(hb->nbits[l]) * sizeof(uint64_t));
    }
    hb->count = 0;
}

void hbitmap_truncate(HBitmap *hb, uint64_t size)
{
    uint64_t old_bits = hb_bottom_bits(hb);
    uint64_t new_bits = hb_granules(size, hb->granularity);
    uint64_t old_words = hb_words(old_bits);
    uint64_t new_words = hb_words(new_bits);
    uint64_t *bottom;
    int l;

    assert(size <= INT64_MAX);
    if (hb->meta) {
        hbitmap_truncate(hb->meta, size);
    }
    if (new_bits < old_bits) {
        hb_reset_bits(hb, new_bits, old_bits - 1);
    }
    hb->size = size;

    /* Keep the bottom level, rebuild the summaries for the new shape. */
    bottom = g_renew(uint64_t, hb_bottom(hb), new_words);
    if (new_words > old_words) {
        memset(bottom + old_words, 0,
               (new_words - old_words) * sizeof(uint64_t));
    }
    for (l = 0; l < hb->nlevels - 1; l++) {
        g_free(hb->levels[l]);
    }
    hb_layout(hb, new_bits);
    for (l = 0; l < hb->nlevels - 1; l++) {
        hb->levels[l] = g_new0(uint64_t, hb_words(hb->nbits[l]));
    }
    hb->levels[hb->nlevels - 1] = bottom;
    hb_update_upper(hb, 0, new_words - 1);
}

/*
 * Return the first set bottom bit at or after @pos, or HB_NONE.  Climb
 * while the rest of the current word is empty, then follow the first set
 * bit downwards: a set summary bit guarantees a non-empty word below.
 */
static uint64_t hb_find_set(const HBitmap *hb, uint64_t pos)
{
    int l = hb->nlevels - 1;
    uint64_t word;

    if (pos >= hb->nbits[l]) {
        return HB_NONE;
    }
    for (;;) {
        word = hb->levels[l][pos / 64] & (UINT64_MAX << (pos % 64));
        if (word) {
            break;
        }
        if (l == 0) {
            return HB_NONE;
        }
        pos = pos / 64 + 1;
        l--;
        if (pos >= hb->nbits[l]) {
            return HB_NONE;
        }
    }
    pos = (pos & ~63ULL) + ctz64(word);
    for (l++; l < hb->nlevels; l++) {
        pos = pos * 64 + ctz64(hb->levels[l][pos]);
    }
    return pos;
}

/* Return the first clear bottom bit in [@pos, @end), or HB_NONE. */
static uint64_t hb_find_zero(const HBitmap *hb, uint64_t pos, uint64_t end)
{
    const uint64_t *words = hb_bottom(hb);

    while (pos < end) {
        uint64_t word = ~words[pos / 64] & (UINT64_MAX << (pos % 64));

        if (word) {
            pos = (pos & ~63ULL) + ctz64(word);
            return pos < end ? pos : HB_NONE;
        }
        pos = (pos & ~63ULL) + 64;
    }
    return HB_NONE;
}

/* End (exclusive) of the item range @start + @count, clipped to the size. */
static uint64_t hb_range_end(const HBitmap *hb, uint64_t start,
                             int64_t count)
{
    if (count < 0 || (uint64_t)count > hb->size - start) {
        return hb->size;
    }
    return start + count;
}

int64_t hbitmap_next_dirty(const HBitmap *hb, int64_t start, int64_t count)
{
    uint64_t end, bit, item;

    assert(start >= 0);
    if ((uint64_t)start >= hb->size || count == 0) {
        return -1;
    }
    end = hb_range_end(hb, start, count);
    bit = hb_find_set(hb, start >> hb->granularity);
    if (bit == HB_NONE) {
        return -1;
    }
    item = MAX(bit << hb->granularity, (uint64_t)start);
    return item < end ? (int64_t)item : -1;
}

int64_t hbitmap_next_zero(const HBitmap *hb, int64_t start, int64_t count)
{
    uint64_t end, bit;

    assert(start >= 0);
    if ((uint64_t)start >= hb->size || count == 0) {
        return -1;
    }
    end = hb_range_end(hb, start, count);
    bit = hb_find_zero(hb, start >> hb->granularity,
                       ((end - 1) >> hb->granularity) + 1);
    if (bit == HB_NONE) {
        return -1;
    }
    return MAX(bit << hb->granularity, (uint64_t)start);
}

bool hbitmap_next_dirty_area(const HBitmap *hb, int64_t start, int64_t end,
                             int64_t max_dirty_count,
                             int64_t *dirty_start, int64_t *dirty_count)
{
    int64_t first, len, zero;

    assert(start >= 0 && max_dirty_count > 0);
    end = MIN((uint64_t)end, hb->size);
    if (start >= end) {
        return false;
    }
    first = hbitmap_next_dirty(hb, start, end - start);
    if (first < 0) {
        return false;
    }
    len = MIN(end - first, max_dirty_count);
    zero = hbitmap_next_zero(hb, first, len);
    *dirty_start = first;
    *dirty_count = zero < 0 ? len : zero - first;
    return true;
}

bool hbitmap_status(const HBitmap *hb, int64_t start, int64_t count,
                    int64_t *pnum)
{
    uint64_t end;
    int64_t next;
    bool dirty;

    assert(start >= 0 && (uint64_t)start < hb->size && count > 0);
    end = hb_range_end(hb, start, count);
    dirty = hbitmap_get(hb, start);
    if (dirty) {
        next = hbitmap_next_zero(hb, start, end - start);
    } else {
        next = hbitmap_next_dirty(hb, start, end - start);
    }
    *pnum = (next < 0 ? (int64_t)end : next) - start;
    return dirty;
}

bool hbitmap_can_merge(const HBitmap *a, const HBitmap *b)
{
    return a->size == b->size;
}

/* OR @src into @dst run by run; the two granularities may differ. */
static void hb_merge_sparse(HBitmap *dst, const HBitmap *src)
{
    int64_t pos = 0, run_start, run_len;

    while (hbitmap_next_dirty_area(src, pos, src->size, INT64_MAX,
                                   &run_start, &run_len)) {
        hbitmap_set(dst, run_start, run_len);
        pos = run_start + run_len;
    }
}

/*
 * With one shape, the union's summaries are the union of the summaries,
 * so every level is ORed word by word.  Return whether a bottom bit of
 * @result changed.
 */
static bool hb_merge_words(const HBitmap *a, const HBitmap *b,
                           HBitmap *result)
{
    uint64_t *bottom = hb_bottom(result);
    uint64_t count = 0;
    bool changed = false;
    uint64_t w;
    int l;

    for (l = 0; l < result->nlevels - 1; l++) {
        for (w = 0; w < hb_words(result->nbits[l]); w++) {
            result->levels[l][w] = a->levels[l][w] | b->levels[l][w];
        }
    }
    for (w = 0; w < hb_words(hb_bottom_bits(result)); w++) {
        uint64_t word = hb_bottom(a)[w] | hb_bottom(b)[w];

        changed |= word != bottom[w];
        count += ctpop64(word);
        bottom[w] = word;
    }
    result->count = count;
    return changed;
}

void hbitmap_merge(const HBitmap *a, const HBitmap *b, HBitmap *result)
{
    assert(hbitmap_can_merge(a, b) && hbitmap_can_merge(a, result));
    if (a->granularity == result->granularity &&
        b->granularity == result->granularity) {
        if (hb_merge_words(a, b, result)) {
            hb_mark_meta(result, 0, result->size);
        }
        return;
    }
    if (result != a && result != b) {
        hbitmap_reset_all(result);
    }
    if (result != a) {
        hb_merge_sparse(result, a);
    }
    if (result != b) {
        hb_merge_sparse(result, b);
    }
}

void hbitmap_iter_init(HBitmapIter *hbi, const HBitmap *hb, uint64_t first)
{
    hbi->hb = hb;
    hbi->first = first;
    if (first >= hb->size) {
        hbi->pos = HB_NONE;
    } else {
        hbi->pos = first >> hb->granularity;
    }
}

int64_t hbitmap_iter_next(HBitmapIter *hbi)
{
    const HBitmap *hb = hbi->hb;
    uint64_t bit;

    if (hbi->pos == HB_NONE) {
        return -1;
    }
    bit = hb_find_set(hb, hbi->pos);
    if (bit == HB_NONE) {
        hbi->pos = HB_NONE;
        return -1;
    }
    hbi->pos = bit + 1;
    return MAX(bit << hb->granularity, hbi->first);
}

uint64_t hbitmap_serialization_align(const HBitmap *hb)
{
    /* 64 granules, saturating where that would pass any valid size. */
    if (hb->granularity >= 57) {
        return 1ULL << 63;
    }
    return 64ULL << hb->granularity;
}

/*
 * Check a serialization range and return the bottom words it maps to,
 * or false when it is empty.
 */
static bool hb_serial_words(const HBitmap *hb, uint64_t start,
                            uint64_t count, uint64_t *first_word,
                            uint64_t *last_word)
{
    uint64_t align = hbitmap_serialization_align(hb);

    assert(start % align == 0);
    if (start >= hb->size || count == 0) {
        return false;
    }
    count = MIN(count, hb->size - start);
    assert(count % align == 0 || start + count == hb->size);
    *first_word = (start >> hb->granularity) / 64;
    *last_word = ((start + count - 1) >> hb->granularity) / 64;
    return true;
}

uint64_t hbitmap_serialization_size(const HBitmap *hb,
                                    uint64_t start, uint64_t count)
{
    uint64_t first, last;

    if (!hb_serial_words(hb, start, count, &first, &last)) {
        return 0;
    }
    return (last - first + 1) * sizeof(uint64_t);
}

void hbitmap_serialize_part(const HBitmap *hb, uint8_t *buf,
                            uint64_t start, uint64_t count)
{
    const uint64_t *bottom = hb_bottom(hb);
    uint64_t first, last, w;

    if (!hb_serial_words(hb, start, count, &first, &last)) {
        return;
    }
    /* Little-endian words put granule 0 in bit 0 of byte 0, as qcow2. */
    for (w = first; w <= last; w++) {
        uint64_t le = GUINT64_TO_LE(bottom[w]);

        memcpy(buf + (w - first) * sizeof(le), &le, sizeof(le));
    }
}

void hbitmap_deserialize_part(HBitmap *hb, uint8_t *buf, uint64_t start,
                              uint64_t count, bool finish)
{
    uint64_t *bottom = hb_bottom(hb);
    uint64_t tail = hb_bottom_bits(hb) % 64;
    uint64_t last_word = hb_words(hb_bottom_bits(hb)) - 1;
    uint64_t first, last, w;
    bool changed = false;

    if (!hb_serial_words(hb, start, count, &first, &last)) {
        return;
    }
    for (w = first; w <= last; w++) {
        uint64_t le;

        memcpy(&le, buf + (w - first) * sizeof(le), sizeof(le));
        le = GUINT64_FROM_LE(le);
        if (w == last_word && tail) {
            /* Untrusted input: drop bits past the end of the bitmap. */
            le &= hb_range_mask(0, tail - 1);
        }
        hb->count += ctpop64(le);
        hb->count -= ctpop64(bottom[w]);
        changed |= bottom[w] != le;
        bottom[w] = le;
    }
    hb_update_upper(hb, first, last);
    if (changed) {
        hb_mark_meta(hb, start, count);
    }
    if (finish) {
        hbitmap_deserialize_finish(hb);
    }
}

void hbitmap_deserialize_zeroes(HBitmap *hb, uint64_t start, uint64_t count,
                                bool finish)
{
    hbitmap_reset(hb, start, count);
    if (finish) {
        hbitmap_deserialize_finish(hb);
    }
}

void hbitmap_deserialize_ones(HBitmap *hb, uint64_t start, uint64_t count,
                              bool finish)
{
    hbitmap_set(hb, start, count);
    if (finish) {
        hbitmap_deserialize_finish(hb);
    }
}

void hbitmap_deserialize_finish(HBitmap *hb)
{
    /* Every deserialize call keeps the levels current; nothing is left. */
}

char *hbitmap_sha256(const HBitmap *hb, Error **errp)
{
    const uint64_t *bottom = hb_bottom(hb);
    uint64_t nwords = hb_words(hb_bottom_bits(hb));
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    char *hex;

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
    g_checksum_update(sum, (const guchar *)bottom,
                      nwords * sizeof(uint64_t));
#else
    for (uint64_t w = 0; w < nwords; w++) {
        uint64_t le = GUINT64_TO_LE(bottom[w]);

        g_checksum_update(sum, (const guchar *)&le, sizeof(le));
    }
#endif
    hex = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return hex;
}

HBitmap *hbitmap_create_meta(HBitmap *hb, int chunk_size)
{
    assert(chunk_size > 0 && is_power_of_2(chunk_size));
    assert(!hb->meta);
    hb->meta = hbitmap_alloc(hb->size,
                             MIN(hb->granularity + ctz64(chunk_size), 63));
    return hb->meta;
}

void hbitmap_free_meta(HBitmap *hb)
{
    hbitmap_free(hb->meta);
    hb->meta = NULL;
}
