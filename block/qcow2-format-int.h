/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private helpers of the qcow2 format code: loads and stores of
 * big-endian words at unaligned buffer positions.  Only the format files
 * include this; they are the one place where byte order changes.
 */
#ifndef BLOCK_QCOW2_FORMAT_INT_H
#define BLOCK_QCOW2_FORMAT_INT_H

static inline uint64_t qcow2_ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_BE(v);
}

static inline uint32_t qcow2_ld32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_BE(v);
}

static inline uint16_t qcow2_ld16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT16_FROM_BE(v);
}

static inline void qcow2_st64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void qcow2_st32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline void qcow2_st16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

/* True if [a, a + alen) and [b, b + blen) share a byte. */
static inline bool qcow2_ranges_overlap(uint64_t a, uint64_t alen,
                                        uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

#endif
