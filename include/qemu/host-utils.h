/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bit-counting helpers on 64-bit words (count leading/trailing zeros,
 * population count), mapped onto the compiler builtins.
 */
#ifndef QEMU_HOST_UTILS_H
#define QEMU_HOST_UTILS_H

/**
 * ctz64: count trailing zero bits of @val.
 *
 * Returns the index of the lowest set bit, or 64 when @val is zero.
 */
static inline int ctz64(uint64_t val)
{
    return val ? __builtin_ctzll(val) : 64;
}

/**
 * clz64: count leading zero bits of @val.
 *
 * Returns 63 minus the index of the highest set bit, or 64 when @val is
 * zero.
 */
static inline int clz64(uint64_t val)
{
    return val ? __builtin_clzll(val) : 64;
}

/**
 * ctpop64: count the bits set in @val.
 */
static inline int ctpop64(uint64_t val)
{
    return __builtin_popcountll(val);
}

#endif
