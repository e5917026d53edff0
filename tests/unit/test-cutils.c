/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for util/cutils.c: the qemu_strto*() contract, size parsing
 * and printing, bounded copies, buffer_is_zero() and path helpers.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include <math.h>

static void test_strtoi(void)
{
    const char *end;
    int r = 999;

    g_assert_cmpint(qemu_strtoi("  \t-42", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, -42);
    g_assert_cmpint(qemu_strtoi("0x1f", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, 31);
    g_assert_cmpint(qemu_strtoi("010", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, 8);
    g_assert_cmpint(qemu_strtoi("010", NULL, 10, &r), ==, 0);
    g_assert_cmpint(r, ==, 10);
    g_assert_cmpint(qemu_strtoi("ff", NULL, 16, &r), ==, 0);
    g_assert_cmpint(r, ==, 255);

    /* trailing junk: allowed with endptr, -EINVAL without */
    g_assert_cmpint(qemu_strtoi("12abc", &end, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, 12);
    g_assert_cmpstr(end, ==, "abc");
    g_assert_cmpint(qemu_strtoi("12abc", NULL, 0, &r), ==, -EINVAL);
    g_assert_cmpint(r, ==, 12);

    /* no digits */
    const char *s = "  xyz";
    g_assert_cmpint(qemu_strtoi(s, &end, 0, &r), ==, -EINVAL);
    g_assert_true(end == s);
    g_assert_cmpint(qemu_strtoi("", NULL, 0, &r), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoi("-", NULL, 0, &r), ==, -EINVAL);

    /* range, with clamping */
    g_assert_cmpint(qemu_strtoi("2147483647", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, INT_MAX);
    g_assert_cmpint(qemu_strtoi("2147483648", NULL, 0, &r), ==, -ERANGE);
    g_assert_cmpint(r, ==, INT_MAX);
    g_assert_cmpint(qemu_strtoi("-2147483648", NULL, 0, &r), ==, 0);
    g_assert_cmpint(r, ==, INT_MIN);
    g_assert_cmpint(qemu_strtoi("-2147483649", &end, 0, &r), ==, -ERANGE);
    g_assert_cmpint(r, ==, INT_MIN);
    g_assert_cmpstr(end, ==, "");
    g_assert_cmpint(qemu_strtoi("99999999999999999999x", &end, 0, &r), ==,
                    -ERANGE);
    g_assert_cmpint(r, ==, INT_MAX);
    g_assert_cmpstr(end, ==, "x");

    /* NULL input */
    r = 7;
    end = "x";
    g_assert_cmpint(qemu_strtoi(NULL, &end, 0, &r), ==, -EINVAL);
    g_assert_null(end);
    g_assert_cmpint(r, ==, 7);
}

static void test_strtoui(void)
{
    unsigned int r;

    g_assert_cmpint(qemu_strtoui("4294967295", NULL, 0, &r), ==, 0);
    g_assert_cmpuint(r, ==, UINT_MAX);
    g_assert_cmpint(qemu_strtoui("4294967296", NULL, 0, &r), ==, -ERANGE);
    g_assert_cmpuint(r, ==, UINT_MAX);
    g_assert_cmpint(qemu_strtoui("-1", NULL, 0, &r), ==, 0);
    g_assert_cmpuint(r, ==, UINT_MAX);
    g_assert_cmpint(qemu_strtoui(" -2147483648", NULL, 0, &r), ==, 0);
    g_assert_cmpuint(r, ==, 2147483648u);
    g_assert_cmpint(qemu_strtoui("-2147483649", NULL, 0, &r), ==, -ERANGE);
    g_assert_cmpuint(r, ==, UINT_MAX);
    g_assert_cmpint(qemu_strtoui("-18446744073709551615", NULL, 0, &r), ==,
                    -ERANGE);
    g_assert_cmpint(qemu_strtoui("99999999999999999999", NULL, 0, &r), ==,
                    -ERANGE);
    g_assert_cmpuint(r, ==, UINT_MAX);
    g_assert_cmpint(qemu_strtoui("12 ", NULL, 0, &r), ==, -EINVAL);
}

static void test_strtol_ul(void)
{
    long l;
    unsigned long ul;
    const char *end;

    g_assert_cmpint(qemu_strtol("-9223372036854775808", NULL, 0, &l), ==, 0);
    g_assert_cmpint(l, ==, LONG_MIN);
    g_assert_cmpint(qemu_strtol("9223372036854775808", NULL, 0, &l), ==,
                    -ERANGE);
    g_assert_cmpint(l, ==, LONG_MAX);
    g_assert_cmpint(qemu_strtol("-9223372036854775809", NULL, 0, &l), ==,
                    -ERANGE);
    g_assert_cmpint(l, ==, LONG_MIN);
    g_assert_cmpint(qemu_strtol("12.5", &end, 10, &l), ==, 0);
    g_assert_cmpstr(end, ==, ".5");

    g_assert_cmpint(qemu_strtoul("18446744073709551615", NULL, 0, &ul), ==,
                    0);
    g_assert_cmpuint(ul, ==, ULONG_MAX);
    g_assert_cmpint(qemu_strtoul("18446744073709551616", NULL, 0, &ul), ==,
                    -ERANGE);
    g_assert_cmpuint(ul, ==, ULONG_MAX);
    /* negative numbers wrap, like strtoul() */
    g_assert_cmpint(qemu_strtoul(" \t -321", NULL, 0, &ul), ==, 0);
    g_assert_cmpuint(ul, ==, -321ul);
    g_assert_cmpint(qemu_strtoul("x", NULL, 0, &ul), ==, -EINVAL);
}

static void test_strto64(void)
{
    int64_t i;
    uint64_t u;
    const char *end;

    g_assert_cmpint(qemu_strtoi64("-9223372036854775808", NULL, 0, &i), ==,
                    0);
    g_assert_cmpint(i, ==, INT64_MIN);
    g_assert_cmpint(qemu_strtoi64("9223372036854775808", NULL, 0, &i), ==,
                    -ERANGE);
    g_assert_cmpint(i, ==, INT64_MAX);
    g_assert_cmpint(qemu_strtoi64("0x7fffffffffffffff", NULL, 0, &i), ==, 0);
    g_assert_cmpint(i, ==, INT64_MAX);

    g_assert_cmpint(qemu_strtou64("0xffffffffffffffff", NULL, 0, &u), ==, 0);
    g_assert_cmpuint(u, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtou64("0x10000000000000000", &end, 0, &u), ==,
                    -ERANGE);
    g_assert_cmpuint(u, ==, UINT64_MAX);
    g_assert_cmpstr(end, ==, "");
    g_assert_cmpint(qemu_strtou64("-1", NULL, 0, &u), ==, 0);
    g_assert_cmpuint(u, ==, UINT64_MAX);
    g_assert_cmpint(qemu_strtou64("123,", NULL, 0, &u), ==, -EINVAL);
    g_assert_cmpuint(u, ==, 123);
    g_assert_cmpint(qemu_strtou64("123,", &end, 0, &u), ==, 0);
    g_assert_cmpstr(end, ==, ",");
}

static void test_parse_uint(void)
{
    unsigned long long v;
    char *end;
    const char *s = " 42x";

    g_assert_cmpint(parse_uint(s, &v, &end, 0), ==, 0);
    g_assert_cmpuint(v, ==, 42);
    g_assert_cmpstr(end, ==, "x");
    g_assert_cmpint(parse_uint(" -1", &v, &end, 0), ==, -ERANGE);
    g_assert_cmpuint(v, ==, 0);
    g_assert_cmpint(parse_uint("", &v, &end, 0), ==, -EINVAL);
    g_assert_cmpint(parse_uint(NULL, &v, &end, 0), ==, -EINVAL);
    g_assert_null(end);
    g_assert_cmpint(parse_uint("18446744073709551616", &v, &end, 0), ==,
                    -ERANGE);
    g_assert_cmpuint(v, ==, ULLONG_MAX);

    g_assert_cmpint(parse_uint_full("0x10", &v, 0), ==, 0);
    g_assert_cmpuint(v, ==, 16);
    g_assert_cmpint(parse_uint_full(s, &v, 0), ==, -EINVAL);
    g_assert_cmpuint(v, ==, 0);
}

static void test_strtod(void)
{
    double d;
    const char *end;

    g_assert_cmpint(qemu_strtod(" 1.5", NULL, &d), ==, 0);
    g_assert_cmpfloat(d, ==, 1.5);
    g_assert_cmpint(qemu_strtod("1e-3x", &end, &d), ==, 0);
    g_assert_cmpfloat(d, ==, 1e-3);
    g_assert_cmpstr(end, ==, "x");
    g_assert_cmpint(qemu_strtod("1e999", NULL, &d), ==, -ERANGE);
    g_assert_cmpfloat(d, ==, HUGE_VAL);
    g_assert_cmpint(qemu_strtod("-1e999", NULL, &d), ==, -ERANGE);
    g_assert_cmpfloat(d, ==, -HUGE_VAL);
    g_assert_cmpint(qemu_strtod("junk", NULL, &d), ==, -EINVAL);
    g_assert_cmpint(qemu_strtod("inf", NULL, &d), ==, 0);

    d = 3;
    g_assert_cmpint(qemu_strtod_finite("inf", &end, &d), ==, -EINVAL);
    g_assert_cmpfloat(d, ==, 3);
    g_assert_cmpint(qemu_strtod_finite("nan", NULL, &d), ==, -EINVAL);
    g_assert_cmpint(qemu_strtod_finite("2.25", NULL, &d), ==, 0);
    g_assert_cmpfloat(d, ==, 2.25);
}

/* Expect @str to parse to @val with nothing left over. */
static void check_sz(const char *str, uint64_t val)
{
    uint64_t r = 0;
    const char *end;

    g_assert_cmpint(qemu_strtosz(str, NULL, &r), ==, 0);
    g_assert_cmpuint(r, ==, val);
    g_assert_cmpint(qemu_strtosz(str, &end, &r), ==, 0);
    g_assert_cmpstr(end, ==, "");
}

/* Expect @str to fail with @err, leaving the result alone. */
static void check_sz_err(const char *str, int err)
{
    uint64_t r = 0xdead;

    g_assert_cmpint(qemu_strtosz(str, NULL, &r), ==, err);
    g_assert_cmpuint(r, ==, 0xdead);
}

static void test_strtosz(void)
{
    check_sz("0", 0);
    check_sz("12345", 12345);
    check_sz(" 12", 12);
    check_sz("1024b", 1024);
    check_sz("1B", 1);
    check_sz("1k", KiB);
    check_sz("1K", KiB);
    check_sz("1M", MiB);
    check_sz("1m", MiB);
    check_sz("1G", GiB);
    check_sz("1T", TiB);
    check_sz("1P", PiB);
    check_sz("1E", EiB);
    check_sz("15E", 15ull * EiB);
    check_sz("1.5G", GiB + GiB / 2);
    check_sz("1.k", KiB);
    check_sz("1.0B", 1);
    check_sz("0.5k", 512);
    check_sz("1.0000000000000000001k", 1024);
    check_sz("0.9999999999999999999999k", 1024);
    /* rounded to the nearest byte */
    check_sz("0.1k", 102);
    check_sz("0x10", 16);
    check_sz("18446744073709551615", UINT64_MAX);
    check_sz("18446744073709551615B", UINT64_MAX);
    check_sz("0xffffffffffffffff", UINT64_MAX);
    check_sz("15.5E", 0xf800000000000000ull);

    check_sz_err("", -EINVAL);
    check_sz_err("X", -EINVAL);
    check_sz_err("1X", -EINVAL);
    check_sz_err("-1", -EINVAL);
    check_sz_err(" -0", -EINVAL);
    check_sz_err("1.5", -EINVAL);
    check_sz_err("1.5B", -EINVAL);
    check_sz_err("1e3", -EINVAL);
    check_sz_err("1.5e3k", -EINVAL);
    check_sz_err("0x1.8k", -EINVAL);
    check_sz_err("1kk", -EINVAL);
    check_sz_err("1 k", -EINVAL);
    check_sz_err(".5k", -EINVAL);
    check_sz_err("16E", -ERANGE);
    check_sz_err("16384P", -ERANGE);
    check_sz_err("15.99999999999999999999E", -ERANGE);
    check_sz_err("18446744073709551616", -ERANGE);
    check_sz_err("18446744073709551615k", -ERANGE);
    check_sz_err("nan", -EINVAL);
    check_sz_err("inf", -EINVAL);
}

static void test_strtosz_hex_suffix(void)
{
    if (g_test_subprocess()) {
        check_sz("0x10k", 16 * KiB);
        return;
    }
    /* accepted, with QEMU's deprecation warning */
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: Using a multiplier suffix on hex "
                              "numbers is deprecated: 0x10k\n*");
}

static void test_strtosz_end(void)
{
    uint64_t r = 0;
    const char *s = "8k,rest";
    const char *end;

    g_assert_cmpint(qemu_strtosz(s, &end, &r), ==, 0);
    g_assert_cmpuint(r, ==, 8192);
    g_assert_cmpstr(end, ==, ",rest");

    s = "-5k";
    g_assert_cmpint(qemu_strtosz(s, &end, &r), ==, -EINVAL);
    g_assert_true(end == s);
    s = "1.5";
    g_assert_cmpint(qemu_strtosz(s, &end, &r), ==, -EINVAL);
    g_assert_true(end == s);
    s = "12x";
    g_assert_cmpint(qemu_strtosz(s, &end, &r), ==, 0);
    g_assert_cmpuint(r, ==, 12);
    g_assert_cmpstr(end, ==, "x");
}

static void test_strtosz_units(void)
{
    uint64_t r;

    g_assert_cmpint(qemu_strtosz_MiB("3", NULL, &r), ==, 0);
    g_assert_cmpuint(r, ==, 3 * MiB);
    g_assert_cmpint(qemu_strtosz_MiB("1.5", NULL, &r), ==, 0);
    g_assert_cmpuint(r, ==, MiB + MiB / 2);
    g_assert_cmpint(qemu_strtosz_MiB("3b", NULL, &r), ==, 0);
    g_assert_cmpuint(r, ==, 3);
    g_assert_cmpint(qemu_strtosz_metric("3k", NULL, &r), ==, 0);
    g_assert_cmpuint(r, ==, 3000);
    g_assert_cmpint(qemu_strtosz_metric("1.5M", NULL, &r), ==, 0);
    g_assert_cmpuint(r, ==, 1500000);
    g_assert_cmpint(qemu_strtosz_metric("12", NULL, &r), ==, 0);
    g_assert_cmpuint(r, ==, 12);
    g_assert_cmpint(qemu_strtosz_metric("19E", NULL, &r), ==, -ERANGE);
}

static void check_size_str(uint64_t val, const char *expected)
{
    g_autofree char *s = size_to_str(val);

    g_assert_cmpstr(s, ==, expected);
}

static void test_size_to_str(void)
{
    /* the forms qemu-img info prints */
    check_size_str(0, "0 B");
    check_size_str(512, "512 B");
    check_size_str(999, "999 B");
    check_size_str(1000, "0.977 KiB");
    check_size_str(1024, "1 KiB");
    check_size_str(64 * KiB, "64 KiB");
    check_size_str(1536, "1.5 KiB");
    check_size_str(GiB, "1 GiB");
    check_size_str(GiB + GiB / 2, "1.5 GiB");
    check_size_str(10 * GiB, "10 GiB");
    check_size_str(999 * MiB, "999 MiB");
    check_size_str(1000 * MiB, "0.977 GiB");
    check_size_str(12345678, "11.8 MiB");
    check_size_str(1048575488, "1e+03 MiB");
    check_size_str(EiB, "1 EiB");
    check_size_str(UINT64_MAX, "16 EiB");
}

static void test_bool_parse(void)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };
    Error *err = NULL;
    bool b;
    int i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        b = false;
        g_assert_true(qapi_bool_parse("x", yes[i], &b, &error_abort));
        g_assert_true(b);
        g_assert_true(qapi_bool_parse("x", no[i], &b, &error_abort));
        g_assert_false(b);
    }
    g_assert_false(qapi_bool_parse("flag", "On", &b, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'flag' expects 'on' or 'off'");
    error_free(err);
    err = NULL;
    g_assert_false(qapi_bool_parse("flag", "", &b, &err));
    error_free(err);
}

static void test_strings(void)
{
    char buf[8];
    const char *rest;

    pstrcpy(buf, sizeof(buf), "abc");
    g_assert_cmpstr(buf, ==, "abc");
    pstrcpy(buf, sizeof(buf), "0123456789");
    g_assert_cmpstr(buf, ==, "0123456");
    pstrcpy(buf, 1, "xyz");
    g_assert_cmpstr(buf, ==, "");
    pstrcpy(buf, sizeof(buf), "ab");
    pstrcat(buf, sizeof(buf), "cdefghij");
    g_assert_cmpstr(buf, ==, "abcdefg");

    strpadcpy(buf, sizeof(buf), "ab", ' ');
    g_assert_cmpmem(buf, 8, "ab      ", 8);
    strpadcpy(buf, 4, "abcdef", '\0');
    g_assert_cmpmem(buf, 4, "abcd", 4);

    g_assert_true(strstart("file:x", "file:", &rest));
    g_assert_cmpstr(rest, ==, "x");
    g_assert_false(strstart("fil", "file:", &rest));

    g_assert_cmpstr(qemu_strchrnul("a,b", ','), ==, ",b");
    g_assert_cmpstr(qemu_strchrnul("ab", ','), ==, "");

    g_assert_true(id_wellformed("a"));
    g_assert_true(id_wellformed("drive0.x-y_z"));
    g_assert_false(id_wellformed(""));
    g_assert_false(id_wellformed("0drive"));
    g_assert_false(id_wellformed("_x"));
    g_assert_false(id_wellformed("a b"));
    g_assert_false(id_wellformed("a#"));
}

static void test_buffer_is_zero(void)
{
    size_t size = 4096 + 128;
    g_autofree unsigned char *buf = g_malloc0(size);
    size_t off, len;

    g_assert_true(buffer_is_zero(buf, 0));
    g_assert_true(buffer_is_zero(buf, size));
    /* every start alignment and length crossing the word/line paths */
    for (off = 0; off < 16; off++) {
        for (len = 0; len < 200; len += 7) {
            g_assert_true(buffer_is_zero(buf + off, len));
        }
    }
    for (off = 0; off < 140; off++) {
        buf[off] = 1;
        g_assert_false(buffer_is_zero(buf, off + 1));
        g_assert_true(buffer_is_zero(buf, off));
        g_assert_true(buffer_is_zero(buf + off + 1, 150));
        g_assert_false(buffer_is_zero(buf + (off & ~7ul), 160));
        buf[off] = 0;
    }
    /* a single set byte anywhere, for lengths around the vector steps */
    for (len = 120; len < 1100; len += len < 300 ? 1 : 97) {
        for (off = 0; off < len; off++) {
            buf[off + 3] = 0x10;
            g_assert_false(buffer_is_zero(buf + 3, len));
            buf[off + 3] = 0;
        }
        g_assert_true(buffer_is_zero(buf + 3, len));
    }
    buf[size - 1] = 0x80;
    g_assert_false(buffer_is_zero(buf, size));
    g_assert_true(buffer_is_zero(buf, size - 1));
}

static void check_combine(const char *base, const char *name,
                          const char *expected)
{
    g_autofree char *s = path_combine(base, name);

    g_assert_cmpstr(s, ==, expected);
}

static void test_paths(void)
{
    g_assert_true(path_is_absolute("/a"));
    g_assert_false(path_is_absolute("a/b"));
    g_assert_false(path_is_absolute(""));
    g_assert_true(path_has_protocol("nbd:localhost:10809"));
    g_assert_true(path_has_protocol("json:{}"));
    g_assert_false(path_has_protocol("./a:b"));
    g_assert_false(path_has_protocol("a.qcow2"));

    check_combine("/images/top.qcow2", "base.qcow2", "/images/base.qcow2");
    check_combine("/images/top.qcow2", "/abs/base.qcow2", "/abs/base.qcow2");
    check_combine("top.qcow2", "base.qcow2", "base.qcow2");
    check_combine("dir/top.qcow2", "sub/base.qcow2", "dir/sub/base.qcow2");
    check_combine("dir/", "b", "dir/b");
    check_combine("", "b", "b");
    check_combine("nbd:localhost", "b", "nbd:b");
    check_combine("file:/img/top", "b", "file:/img/b");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/strtoi", test_strtoi);
    g_test_add_func("/cutils/strtoui", test_strtoui);
    g_test_add_func("/cutils/strtol_ul", test_strtol_ul);
    g_test_add_func("/cutils/strto64", test_strto64);
    g_test_add_func("/cutils/parse_uint", test_parse_uint);
    g_test_add_func("/cutils/strtod", test_strtod);
    g_test_add_func("/cutils/strtosz", test_strtosz);
    g_test_add_func("/cutils/strtosz_hex_suffix", test_strtosz_hex_suffix);
    g_test_add_func("/cutils/strtosz_end", test_strtosz_end);
    g_test_add_func("/cutils/strtosz_units", test_strtosz_units);
    g_test_add_func("/cutils/size_to_str", test_size_to_str);
    g_test_add_func("/cutils/bool_parse", test_bool_parse);
    g_test_add_func("/cutils/strings", test_strings);
    g_test_add_func("/cutils/buffer_is_zero", test_buffer_is_zero);
    g_test_add_func("/cutils/paths", test_paths);
    return g_test_run();
}
