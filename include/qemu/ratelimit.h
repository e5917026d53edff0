/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RateLimit: keep a byte stream under a speed limit, measured in time
 * slices.  Each slice allows speed * slice_ns bytes; bytes beyond that
 * are an overdraft that later slices pay back, and the caller is told
 * how long to wait until it is paid.  O(1), no allocation.
 *
 * The clock is the realtime clock, or the virtual clock while it is in
 * qtest mode (chosen at ratelimit_set_speed()), so tests drive rate-
 * limited jobs by stepping the virtual clock instead of sleeping.
 */
#ifndef QEMU_RATELIMIT_H
#define QEMU_RATELIMIT_H

#include "qemu/timer.h"

typedef struct RateLimit {
    QEMUClockType clock;
    int64_t slice_start_time;
    int64_t slice_end_time;
    uint64_t slice_quota;       /* bytes per slice; 0 means unlimited */
    uint64_t slice_ns;
    uint64_t dispatched;        /* bytes accounted to the current slice */
} RateLimit;

/**
 * ratelimit_init:
 * @limit: limit to initialise
 *
 * Initialise @limit as unlimited.
 */
static inline void ratelimit_init(RateLimit *limit)
{
    memset(limit, 0, sizeof(*limit));
    limit->clock = QEMU_CLOCK_REALTIME;
}

/**
 * ratelimit_destroy:
 * @limit: limit
 *
 * Release @limit (nothing to free; kept for QEMU's call pattern).
 */
static inline void ratelimit_destroy(RateLimit *limit)
{
}

/**
 * ratelimit_set_speed:
 * @limit: limit
 * @speed: bytes per second, 0 for unlimited
 * @slice_ns: length of an accounting slice in nanoseconds (> 0)
 *
 * Change the speed; accounting restarts with the next call.
 */
static inline void ratelimit_set_speed(RateLimit *limit, uint64_t speed,
                                       uint64_t slice_ns)
{
    assert(slice_ns > 0);
    limit->clock = qtest_virtual_clock_is_manual() ? QEMU_CLOCK_VIRTUAL
                                                   : QEMU_CLOCK_REALTIME;
    limit->slice_ns = slice_ns;
    /* At least one byte per slice, so a tiny speed still progresses. */
    limit->slice_quota = speed ? MAX((uint64_t)((double)speed * slice_ns /
                                                NANOSECONDS_PER_SECOND), 1)
                               : 0;
    limit->dispatched = 0;
    limit->slice_start_time = limit->slice_end_time = 0;
}

/**
 * ratelimit_calculate_delay:
 * @limit: limit
 * @n: bytes just processed (0 to only ask)
 *
 * Account @n bytes and return how many nanoseconds the caller should
 * wait before processing more: 0 while under the limit or unlimited.
 */
static inline int64_t ratelimit_calculate_delay(RateLimit *limit, uint64_t n)
{
    int64_t now = qemu_clock_get_ns(limit->clock);
    uint64_t quota = limit->slice_quota;

    if (!quota) {
        return 0;
    }
    if (now >= limit->slice_end_time) {
        /* Whole slices have passed: each pays back one quota. */
        uint64_t slices = (now - limit->slice_start_time) / limit->slice_ns;

        if (limit->slice_end_time == 0 || slices > limit->dispatched / quota) {
            limit->dispatched = 0;
            limit->slice_start_time = now;
        } else {
            limit->dispatched -= slices * quota;
            limit->slice_start_time += slices * limit->slice_ns;
        }
        limit->slice_end_time = limit->slice_start_time + limit->slice_ns;
    }
    limit->dispatched += n;
    if (limit->dispatched <= quota) {
        return 0;
    }
    /* Wait for the slice in which the overdraft is paid off. */
    return limit->slice_start_time +
           (int64_t)((limit->dispatched - 1) / quota * limit->slice_ns) - now;
}

#endif
