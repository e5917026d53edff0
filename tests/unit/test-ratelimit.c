/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for include/qemu/ratelimit.h, on the qtest virtual clock. */
#include "qemu/osdep.h"
#include "qemu/ratelimit.h"

#define SLICE (100 * SCALE_MS)

static void test_unlimited(void)
{
    RateLimit rl;

    ratelimit_init(&rl);
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 1 << 30), ==, 0);
    ratelimit_set_speed(&rl, 0, SLICE);
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 1 << 30), ==, 0);
    ratelimit_destroy(&rl);
}

static void test_speed(void)
{
    RateLimit rl;
    uint64_t total = 0;
    int64_t start;

    qtest_set_virtual_clock_mode(true);
    qemu_clock_step_virtual(NANOSECONDS_PER_SECOND);
    ratelimit_init(&rl);
    ratelimit_set_speed(&rl, 1000 * 1000, SLICE);  /* 100 kB per slice */

    /* Within the quota: no delay. */
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 60000), ==, 0);
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 40000), ==, 0);
    /* Over it: wait for the next slice. */
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 1), ==, SLICE);
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 0), ==, SLICE);
    qemu_clock_step_virtual(SLICE / 2);
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 0), ==, SLICE / 2);

    /* A big overdraft takes as many slices as it is worth. */
    g_assert_cmpint(ratelimit_calculate_delay(&rl, 250000), ==,
                    3 * SLICE - SLICE / 2);

    /* Copy 10 MB obeying the delays: it takes about 10 virtual s. */
    ratelimit_set_speed(&rl, 1000 * 1000, SLICE);
    start = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    while (total < 10 * 1000 * 1000) {
        int64_t delay = ratelimit_calculate_delay(&rl, 65536);

        total += 65536;
        if (delay) {
            qemu_clock_step_virtual(delay);
        }
    }
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - start, >=,
                    9 * NANOSECONDS_PER_SECOND);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) - start, <=,
                    11 * NANOSECONDS_PER_SECOND);
    qtest_set_virtual_clock_mode(false);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ratelimit/unlimited", test_unlimited);
    g_test_add_func("/ratelimit/speed", test_speed);
    return g_test_run();
}
