/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the option table of qemu-system-x86_64: spellings with
 * one or two dashes, aliases, which options take an argument, and that
 * the block options are present (so they are refused, not "invalid").
 */
#include "qemu/osdep.h"
#include "system/vl-options.h"

static void test_lookup(void)
{
    const VLOption *opt;

    opt = vl_find_option("-machine");
    g_assert_nonnull(opt);
    g_assert_cmpint(opt->index, ==, VL_OPT_MACHINE);
    g_assert_true(opt->has_arg);
    g_assert_true(vl_find_option("-M")->index == VL_OPT_MACHINE);
    g_assert_true(vl_find_option("--machine") == opt);
    g_assert_cmpint(vl_find_option("--version")->index, ==, VL_OPT_VERSION);
    g_assert_false(vl_find_option("-S")->has_arg);
    g_assert_true(vl_find_option("-m")->has_arg);
}

static void test_unknown(void)
{
    g_assert_null(vl_find_option("-foo"));
    g_assert_null(vl_find_option("machine"));
    g_assert_null(vl_find_option("-"));
    g_assert_null(vl_find_option("--"));
    g_assert_null(vl_find_option("---machine"));
    g_assert_null(vl_find_option("-Machine"));
}

static void test_block_options(void)
{
    const char *names[] = { "-drive", "-blockdev", "-device" };
    const int index[] = { VL_OPT_DRIVE, VL_OPT_BLOCKDEV, VL_OPT_BLOCK };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        const VLOption *opt = vl_find_option(names[i]);

        g_assert_nonnull(opt);
        g_assert_cmpint(opt->index, ==, index[i]);
        g_assert_true(opt->has_arg);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vl-options/lookup", test_lookup);
    g_test_add_func("/vl-options/unknown", test_unknown);
    g_test_add_func("/vl-options/block", test_block_options);
    return g_test_run();
}
