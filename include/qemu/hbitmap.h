/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hierarchical bitmap: one bit per granule of items, with summary levels
 * on top so that searching and iterating skip empty regions quickly.
 * Dirty bitmaps, backup, mirror and block-copy keep their state in it.
 * The design and the cost of each operation are described in
 * util/hbitmap.c.
 */
#ifndef QEMU_HBITMAP_H
#define QEMU_HBITMAP_H

#include "qapi/error.h"

typedef struct HBitmap HBitmap;

/*
 * An iterator over the set granules of an HBitmap.  It only remembers a
 * position, so the bitmap may be changed freely while it is in use: bits
 * reset behind or ahead of it are simply never returned, bits set ahead
 * of it are.  Allocate it anywhere; it needs no cleanup.
 */
typedef struct HBitmapIter {
    const HBitmap *hb;
    /* Next granule (bit of the lowest level) to look at. */
    uint64_t pos;
    /* Item given to hbitmap_iter_init(); nothing before it is returned. */
    uint64_t first;
} HBitmapIter;

/**
 * hbitmap_alloc: create an all-clear bitmap.
 * @size: number of items the bitmap covers (at most INT64_MAX).
 * @granularity: log2 of the number of items one bit covers (0 to 63).
 *
 * Memory use is about size / 2^granularity / 8 bytes, plus 1/63 of that
 * for the summary levels.
 */
HBitmap *hbitmap_alloc(uint64_t size, int granularity);

/**
 * hbitmap_free: release @hb and everything it owns.  NULL is allowed.
 */
void hbitmap_free(HBitmap *hb);

/**
 * hbitmap_dup: return a new bitmap with the same size, granularity and
 * contents as @hb.  The copy has no meta bitmap.
 */
HBitmap *hbitmap_dup(const HBitmap *hb);

/**
 * hbitmap_granularity: log2 of the number of items one bit of @hb covers.
 */
int hbitmap_granularity(const HBitmap *hb);

/**
 * hbitmap_size: number of items @hb covers.
 */
uint64_t hbitmap_size(const HBitmap *hb);

/**
 * hbitmap_count: number of items covered by set bits.
 *
 * Each set bit counts 2^granularity items, including a last granule that
 * sticks out past the end of the bitmap: this is the "count" QEMU reports
 * for a dirty bitmap (a 1 MiB + 512 byte disk at 64 KiB granularity with
 * its last 512 bytes dirty reports 65536), so it may exceed the size.
 * Costs O(1).
 */
uint64_t hbitmap_count(const HBitmap *hb);

/**
 * hbitmap_empty: true when no bit of @hb is set.  Costs O(1).
 */
bool hbitmap_empty(const HBitmap *hb);

/**
 * hbitmap_is_empty: the same as hbitmap_empty(), which is QEMU's name.
 */
static inline bool hbitmap_is_empty(const HBitmap *hb)
{
    return hbitmap_empty(hb);
}

/**
 * hbitmap_get: true when the granule holding @item is set.
 * @item must be below the bitmap's size.
 */
bool hbitmap_get(const HBitmap *hb, uint64_t item);

/**
 * hbitmap_set: set every granule that holds one of the @count items
 * starting at @start.  The range is clipped to the bitmap's size.
 */
void hbitmap_set(HBitmap *hb, uint64_t start, uint64_t count);

/**
 * hbitmap_reset: clear the granules holding the @count items starting at
 * @start.
 *
 * A granule is all or nothing, so the range must consist of whole
 * granules: @start must be a multiple of 2^granularity and so must
 * @count, unless the range ends exactly at the bitmap's size (the last
 * granule may be partial).  Anything else is a caller bug and asserts.
 */
void hbitmap_reset(HBitmap *hb, uint64_t start, uint64_t count);

/**
 * hbitmap_reset_all: clear every bit of @hb.
 */
void hbitmap_reset_all(HBitmap *hb);

/**
 * hbitmap_truncate: change the size of @hb to @size items.
 *
 * Growing adds clear bits.  Shrinking drops the bits of granules that lie
 * wholly past the new end; a granule straddling the new end keeps its
 * bit.  Costs O(size / 2^granularity / 64).
 */
void hbitmap_truncate(HBitmap *hb, uint64_t size);

/**
 * hbitmap_can_merge: true when @a and @b cover the same number of items,
 * which is all hbitmap_merge() needs; granularities may differ.
 */
bool hbitmap_can_merge(const HBitmap *a, const HBitmap *b);

/**
 * hbitmap_merge: make @result the union of @a and @b.
 *
 * All three must have the same size (see hbitmap_can_merge()).  @result
 * may be @a or @b; otherwise its old contents are discarded.  When the
 * granularities differ, each dirty item of @a or @b dirties the granule of
 * @result holding it.  With equal granularities the words are ORed, in
 * O(size / 2^granularity / 64); otherwise the cost is proportional to the
 * number of dirty runs.
 */
void hbitmap_merge(const HBitmap *a, const HBitmap *b, HBitmap *result);

/**
 * hbitmap_next_dirty: find the first dirty item in a range.
 * @start: first item to look at (clipped to the size).
 * @count: number of items to look at; a negative value means up to the end.
 *
 * Returns the first item at or after @start whose granule is set and which
 * lies below @start + @count and below the size, or -1 if there is none.
 */
int64_t hbitmap_next_dirty(const HBitmap *hb, int64_t start, int64_t count);

/**
 * hbitmap_next_zero: find the first clean item in a range.
 *
 * The same as hbitmap_next_dirty(), but looking for a clear granule.
 * Costs O(words scanned): summary levels cannot help to find zeroes.
 */
int64_t hbitmap_next_zero(const HBitmap *hb, int64_t start, int64_t count);

/**
 * hbitmap_next_dirty_area: find the first run of dirty items.
 * @start: first item of the range to search.
 * @end: end of the range to search (exclusive; clipped to the size).
 * @max_dirty_count: longest run to return (must be positive).
 * @dirty_start: set to the first dirty item found.
 * @dirty_count: set to the length of the dirty run starting there, cut at
 * @end and at @max_dirty_count.
 *
 * Returns false, leaving the outputs alone, when [@start, @end) holds no
 * dirty item.
 */
bool hbitmap_next_dirty_area(const HBitmap *hb, int64_t start, int64_t end,
                             int64_t max_dirty_count,
                             int64_t *dirty_start, int64_t *dirty_count);

/**
 * hbitmap_status: tell whether a range starts dirty, and for how long.
 * @start: first item; must be below the size.
 * @count: length of the range (positive).
 * @pnum: set to the number of items from @start with the same state,
 * at most @count and never past the end of the bitmap.
 *
 * Returns true when @start is dirty.
 */
bool hbitmap_status(const HBitmap *hb, int64_t start, int64_t count,
                    int64_t *pnum);

/**
 * hbitmap_iter_init: start iterating over the set granules of @hb.
 * @first: item to start from.
 */
void hbitmap_iter_init(HBitmapIter *hbi, const HBitmap *hb, uint64_t first);

/**
 * hbitmap_iter_next: return the next dirty granule, or -1 at the end.
 *
 * The value is the first item of the granule, except for a granule holding
 * the @first item given to hbitmap_iter_init(), where @first itself is
 * returned.  The bitmap may be changed between calls (see HBitmapIter).
 * Each call costs O(number of levels) at worst, O(1) in a dense region.
 */
int64_t hbitmap_iter_next(HBitmapIter *hbi);

/**
 * hbitmap_serialization_align: alignment of ranges for (de)serialization.
 *
 * hbitmap_serialize_part() and friends take ranges whose start is a
 * multiple of this number of items, and whose length is too unless the
 * range ends at the bitmap's size.  It is 64 granules, so each range maps
 * onto whole 64-bit words.
 */
uint64_t hbitmap_serialization_align(const HBitmap *hb);

/**
 * hbitmap_serialization_size: bytes needed to serialize a range of items.
 *
 * The range obeys hbitmap_serialization_align().  The size is a multiple
 * of 8 bytes; bits past the end of the bitmap are serialized as zeroes.
 */
uint64_t hbitmap_serialization_size(const HBitmap *hb,
                                    uint64_t start, uint64_t count);

/**
 * hbitmap_serialize_part: store a range of granule bits into @buf.
 * @buf: hbitmap_serialization_size(@hb, @start, @count) bytes.
 *
 * The format is the one qcow2 stores bitmaps in: one bit per granule,
 * starting with the granule holding @start, bit 0 of byte 0 first (least
 * significant bit first within each byte).
 */
void hbitmap_serialize_part(const HBitmap *hb, uint8_t *buf,
                            uint64_t start, uint64_t count);

/**
 * hbitmap_deserialize_part: load a range of granule bits from @buf.
 * @buf: data in the format hbitmap_serialize_part() writes.
 * @finish: see hbitmap_deserialize_finish().
 *
 * The range's old bits are replaced.  Bits in @buf past the end of the
 * bitmap are ignored.
 */
void hbitmap_deserialize_part(HBitmap *hb, uint8_t *buf, uint64_t start,
                              uint64_t count, bool finish);

/**
 * hbitmap_deserialize_zeroes: clear a range, as if deserializing zeroes.
 * @finish: see hbitmap_deserialize_finish().
 */
void hbitmap_deserialize_zeroes(HBitmap *hb, uint64_t start, uint64_t count,
                                bool finish);

/**
 * hbitmap_deserialize_ones: set a range, as if deserializing ones.
 * @finish: see hbitmap_deserialize_finish().
 */
void hbitmap_deserialize_ones(HBitmap *hb, uint64_t start, uint64_t count,
                              bool finish);

/**
 * hbitmap_deserialize_finish: complete a series of deserializations.
 *
 * Each deserialize call above already brings the summary levels and the
 * count up to date for its range, so the bitmap is usable at any time and
 * this does nothing.  It exists so that callers written for QEMU, which
 * rebuild the levels only at the end, read the same.
 */
void hbitmap_deserialize_finish(HBitmap *hb);

/**
 * hbitmap_sha256: hash the granule bits of @hb.
 * @errp: never set; kept for QEMU's signature.
 *
 * Returns the SHA-256, as a newly allocated lowercase hex string, of the
 * whole bitmap in the hbitmap_serialize_part() format (at least 8 bytes),
 * which is what QEMU's x-debug-block-dirty-bitmap-sha256 reports.
 */
char *hbitmap_sha256(const HBitmap *hb, Error **errp);

/**
 * hbitmap_create_meta: start tracking which parts of @hb change.
 * @chunk_size: number of @hb granules one bit of the meta bitmap covers;
 * a power of two.
 *
 * Returns the meta bitmap, which @hb owns: from now on every set, reset,
 * merge or truncate that changes a bit of @hb sets the meta bits covering
 * the range it was given.  The caller may read and reset the meta bitmap
 * but must not free it; hbitmap_free_meta() or hbitmap_free() do.  @hb
 * must not have a meta bitmap already.
 */
HBitmap *hbitmap_create_meta(HBitmap *hb, int chunk_size);

/**
 * hbitmap_free_meta: stop tracking changes and free the meta bitmap.
 */
void hbitmap_free_meta(HBitmap *hb);

#endif
