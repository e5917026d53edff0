/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for util/qemu-option.c: parsing, typed lookups, ids,
 * merging, QDict conversions, printing and help listings.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/config-file.h"
#include "qobject/qbool.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"

static QemuOptsList opts_list_typed = {
    .name = "typed",
    .implied_opt_name = "file",
    .desc = {
        { .name = "file", .type = QEMU_OPT_STRING, .help = "File name" },
        { .name = "flag", .type = QEMU_OPT_BOOL, .help = "A flag" },
        { .name = "count", .type = QEMU_OPT_NUMBER },
        { .name = "size", .type = QEMU_OPT_SIZE, .help = "Virtual disk size",
          .def_value_str = "1M" },
        { .name = "mode", .type = QEMU_OPT_STRING, .def_value_str = "off" },
        { .name = "lazy", .type = QEMU_OPT_BOOL, .def_value_str = "on" },
        { /* end of list */ }
    },
};

static QemuOptsList opts_list_any = {
    .name = "any",
    .desc = {
        { /* accept any option */ }
    },
};

static QemuOptsList opts_list_merge = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .desc = {
        { /* accept any option */ }
    },
};

/* Parse @params into a new instance; expect @msg as error if not NULL. */
static QemuOpts *parse_expect(QemuOptsList *list, const char *params,
                              bool abbrev, const char *msg)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse(list, params, abbrev, &err);

    if (msg) {
        g_assert_null(opts);
        g_assert_nonnull(err);
        g_assert_cmpstr(error_get_pretty(err), ==, msg);
        error_free(err);
    } else {
        g_assert_null(err);
        g_assert_nonnull(opts);
    }
    return opts;
}

static void test_parse_basic(void)
{
    QemuOpts *opts;

    opts = parse_expect(&opts_list_typed,
                        "file=a,,b.img,flag=on,count=0x10,size=1.5k",
                        false, NULL);
    g_assert_cmpstr(qemu_opt_get(opts, "file"), ==, "a,b.img");
    g_assert_true(qemu_opt_get_bool(opts, "flag", false));
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 0), ==, 16);
    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 0), ==, 1536);
    g_assert_null(qemu_opts_id(opts));
    qemu_opts_del(opts);

    /* implied first option, later values win, empty items are skipped */
    opts = parse_expect(&opts_list_typed, "x.img,count=1,count=2,", true,
                        NULL);
    g_assert_cmpstr(qemu_opt_get(opts, "file"), ==, "x.img");
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 0), ==, 2);
    qemu_opts_del(opts);

    /* without permit_abbrev a bare item is a flag */
    opts = parse_expect(&opts_list_typed, "flag,nolazy", false, NULL);
    g_assert_true(qemu_opt_get_bool(opts, "flag", false));
    g_assert_false(qemu_opt_get_bool(opts, "lazy", true));
    g_assert_cmpstr(qemu_opt_get(opts, "lazy"), ==, "off");
    qemu_opts_del(opts);

    opts = parse_expect(&opts_list_typed, "", false, NULL);
    g_assert_null(qemu_opt_get(opts, "file"));
    qemu_opts_del(opts);
    g_assert_null(qemu_opts_find(&opts_list_typed, NULL));
}

static void test_parse_errors(void)
{
    QemuOpts *opts;
    Error *err = NULL;

    parse_expect(&opts_list_typed, "foo=1", false, "Invalid parameter 'foo'");
    parse_expect(&opts_list_typed, "=x", false, "Invalid parameter ''");
    parse_expect(&opts_list_typed, "flag=maybe", false,
                 "Parameter 'flag' expects 'on' or 'off'");
    parse_expect(&opts_list_typed, "count=abc", false,
                 "Parameter 'count' expects a number");
    parse_expect(&opts_list_typed, "count=99999999999999999999", false,
                 "Value '99999999999999999999' is too large for parameter "
                 "'count'");
    parse_expect(&opts_list_typed, "size=1X", false,
                 "Parameter 'size' expects a non-negative number below 2^64");
    parse_expect(&opts_list_typed, "size=-1", false,
                 "Parameter 'size' expects a non-negative number below 2^64");
    parse_expect(&opts_list_typed, "size=16E", false,
                 "Value '16E' is out of range for parameter 'size'");
    parse_expect(&opts_list_typed, "size", false,
                 "Parameter 'size' expects a non-negative number below 2^64");
    parse_expect(&opts_list_typed, "help", false,
                 "Invalid parameter 'help'");
    /* "no" negates whatever follows, as QEMU reads "-o nocow" */
    parse_expect(&opts_list_typed, "nocount", false,
                 "Parameter 'count' expects a number");
    parse_expect(&opts_list_typed, "nomode", false, NULL);
    qemu_opts_reset(&opts_list_typed);
    parse_expect(&opts_list_typed, "no", false, "Invalid parameter ''");
    /* a failed parse leaves nothing behind */
    g_assert_null(qemu_opts_find(&opts_list_typed, NULL));

    opts = qemu_opts_parse(&opts_list_typed, "size=x", false, &err);
    g_assert_null(opts);
    g_assert_cmpstr(error_get_hint(err), ==,
                    "Optional suffix k, M, G, T, P or E means kilo-, mega-, "
                    "giga-, tera-, peta-\nand exabytes, respectively.\n");
    error_free(err);

    /* negative numbers wrap like strtoull, as QEMU accepts them */
    opts = parse_expect(&opts_list_typed, "count=-5", false, NULL);
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 0), ==, -5ull);
    qemu_opts_del(opts);
}

static void test_ids(void)
{
    QemuOpts *a, *b;
    Error *err = NULL;

    a = parse_expect(&opts_list_any, "x=1,id=drive0", false, NULL);
    g_assert_cmpstr(qemu_opts_id(a), ==, "drive0");
    g_assert_null(qemu_opt_get(a, "id"));
    g_assert_true(qemu_opts_find(&opts_list_any, "drive0") == a);
    parse_expect(&opts_list_any, "id=drive0", false,
                 "Duplicate ID 'drive0' for any");
    parse_expect(&opts_list_any, "id=0a", false,
                 "Parameter 'id' expects an identifier");

    b = qemu_opts_create(&opts_list_any, "drive0", 0, &error_abort);
    g_assert_true(a == b);
    b = qemu_opts_create(&opts_list_any, NULL, 1, &error_abort);
    g_assert_true(b != a);
    g_assert_true(qemu_opts_create(&opts_list_any, NULL, 0,
                                   &error_abort) != b);
    g_assert_true(qemu_opts_find(&opts_list_any, NULL) == b);

    qemu_opts_create(&opts_list_any, "bad id", 0, &err);
    g_assert_cmpstr(error_get_hint(err), ==,
                    "Identifiers consist of letters, digits, '-', '.', '_', "
                    "starting with a letter.\n");
    error_free(err);

    qemu_opts_set_id(b, g_strdup("other"));
    g_assert_true(qemu_opts_find(&opts_list_any, "other") == b);
    qemu_opts_reset(&opts_list_any);
    g_assert_null(qemu_opts_find(&opts_list_any, "drive0"));
    g_assert_null(qemu_opts_find(&opts_list_any, NULL));
}

static void test_merge_lists(void)
{
    QemuOpts *a, *b;

    a = parse_expect(&opts_list_merge, "pc,accel=kvm", true, NULL);
    b = parse_expect(&opts_list_merge, "accel=tcg,usb=on", false, NULL);
    g_assert_true(a == b);
    g_assert_cmpstr(qemu_opt_get(a, "type"), ==, "pc");
    g_assert_cmpstr(qemu_opt_get(a, "accel"), ==, "tcg");
    g_assert_cmpstr(qemu_opt_get(a, "usb"), ==, "on");
    parse_expect(&opts_list_merge, "id=m", false, "Invalid parameter 'id'");
    qemu_opts_reset(&opts_list_merge);
}

static void test_defaults_and_del(void)
{
    QemuOpts *opts = qemu_opts_create(&opts_list_typed, NULL, 0,
                                      &error_abort);
    g_autofree char *s = NULL;
    g_autofree char *mode = NULL;

    /* table defaults apply when the option is absent */
    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 7), ==, MiB);
    g_assert_true(qemu_opt_get_bool(opts, "lazy", false));
    g_assert_cmpstr(qemu_opt_get(opts, "mode"), ==, "off");
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 42), ==, 42);
    g_assert_false(qemu_opt_get_bool(opts, "flag", false));
    g_assert_null(qemu_opt_get(opts, "file"));
    g_assert_null(qemu_opt_get(NULL, "file"));

    qemu_opt_set(opts, "file", "a", &error_abort);
    qemu_opt_set(opts, "file", "b", &error_abort);
    qemu_opt_set_number(opts, "count", 9, &error_abort);
    qemu_opt_set_bool(opts, "flag", true, &error_abort);
    qemu_opt_set(opts, "size", "2k", &error_abort);

    s = qemu_opt_get_del(opts, "file");
    g_assert_cmpstr(s, ==, "b");
    g_assert_null(qemu_opt_get(opts, "file"));
    mode = qemu_opt_get_del(opts, "mode");
    g_assert_cmpstr(mode, ==, "off");
    g_assert_cmpuint(qemu_opt_get_number_del(opts, "count", 0), ==, 9);
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 3), ==, 3);
    g_assert_true(qemu_opt_get_bool_del(opts, "flag", false));
    g_assert_false(qemu_opt_get_bool(opts, "flag", false));
    g_assert_cmpuint(qemu_opt_get_size_del(opts, "size", 0), ==, 2048);
    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 0), ==, MiB);

    g_assert_false(qemu_opt_set(opts, "nope", "1", NULL));
    g_assert_false(qemu_opt_set_bool(opts, "nope", true, NULL));
    g_assert_false(qemu_opt_set(opts, "count", "x", NULL));
    /* the rejected value is not kept */
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 5), ==, 5);

    qemu_opt_set(opts, "mode", "x", &error_abort);
    g_assert_cmpint(qemu_opt_unset(opts, "mode"), ==, 0);
    g_assert_cmpint(qemu_opt_unset(opts, "mode"), ==, -1);
    qemu_opts_del(opts);
    qemu_opts_del(NULL);
}

static void test_untyped_reads(void)
{
    QemuOpts *opts = parse_expect(&opts_list_any,
                                  "b=yes,n=12,s=4k,junk=zz", false, NULL);

    /* a list without table parses values on read, with defaults */
    g_assert_true(qemu_opt_get_bool(opts, "b", false));
    g_assert_cmpuint(qemu_opt_get_number(opts, "n", 0), ==, 12);
    g_assert_cmpuint(qemu_opt_get_size(opts, "s", 0), ==, 4096);
    g_assert_true(qemu_opt_get_bool(opts, "junk", true));
    g_assert_cmpuint(qemu_opt_get_number(opts, "junk", 77), ==, 77);
    qemu_opts_del(opts);
}

static int count_cb(void *opaque, const char *name, const char *value,
                    Error **errp)
{
    GString *s = opaque;

    g_string_append_printf(s, "%s=%s;", name, value);
    return g_str_equal(name, "stop") ? 7 : 0;
}

static void test_iter(void)
{
    QemuOpts *opts = parse_expect(&opts_list_any, "a=1,b=2,a=3,c=4", false,
                                  NULL);
    QemuOptsIter it;

    qemu_opt_iter_init(&it, opts, "a");
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "1");
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "3");
    g_assert_null(qemu_opt_iter_next(&it));
    g_assert_null(qemu_opt_iter_next(&it));

    qemu_opt_iter_init(&it, opts, NULL);
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "1");
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "2");
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "3");
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "4");
    g_assert_null(qemu_opt_iter_next(&it));

    qemu_opt_iter_init(&it, opts, "zz");
    g_assert_null(qemu_opt_iter_next(&it));
    qemu_opts_del(opts);
}

static int del_cb(void *opaque, QemuOpts *opts, Error **errp)
{
    (*(int *)opaque)++;
    qemu_opts_del(opts);
    return 0;
}

static void test_foreach(void)
{
    g_autoptr(GString) s = g_string_new(NULL);
    QemuOpts *opts = parse_expect(&opts_list_any, "a=1,b=2,stop=3,c=4",
                                  false, NULL);
    int n = 0;

    g_assert_cmpint(qemu_opt_foreach(opts, count_cb, s, NULL), ==, 7);
    g_assert_cmpstr(s->str, ==, "a=1;b=2;stop=3;");
    parse_expect(&opts_list_any, "id=x", false, NULL);
    parse_expect(&opts_list_any, "id=y", false, NULL);

    g_assert_cmpint(qemu_opts_foreach(&opts_list_any, del_cb, &n, NULL), ==,
                    0);
    g_assert_cmpint(n, ==, 3);
    g_assert_null(qemu_opts_find(&opts_list_any, "x"));
}

static void test_validate(void)
{
    QemuOpts *opts = parse_expect(&opts_list_any, "size=1k,flag=off", false,
                                  NULL);
    Error *err = NULL;

    g_assert_true(qemu_opts_validate(opts, opts_list_typed.desc,
                                     &error_abort));
    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 0), ==, 1024);
    qemu_opt_set(opts, "other", "1", &error_abort);
    g_assert_false(qemu_opts_validate(opts, opts_list_typed.desc, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'other'");
    error_free(err);
    err = NULL;
    qemu_opts_del(opts);

    opts = parse_expect(&opts_list_any, "flag=2", false, NULL);
    g_assert_false(qemu_opts_validate(opts, opts_list_typed.desc, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'flag' expects 'on' or 'off'");
    error_free(err);
    qemu_opts_del(opts);
}

static void test_to_from_qdict(void)
{
    QemuOpts *opts = parse_expect(&opts_list_any, "id=d0,a=1,b=x,,y,a=2",
                                  false, NULL);
    g_autoptr(QDict) qdict = qemu_opts_to_qdict(opts, NULL);
    g_autoptr(QDict) in = qdict_new();
    g_autoptr(QDict) rest = NULL;
    Error *err = NULL;

    g_assert_cmpint(qdict_size(qdict), ==, 3);
    g_assert_cmpstr(qdict_get_str(qdict, "id"), ==, "d0");
    g_assert_cmpstr(qdict_get_str(qdict, "a"), ==, "2");
    g_assert_cmpstr(qdict_get_str(qdict, "b"), ==, "x,y");
    qemu_opts_del(opts);

    qdict_put_str(in, "id", "n1");
    qdict_put_str(in, "file", "f.img");
    qdict_put_int(in, "count", -3);
    qdict_put_bool(in, "flag", true);
    opts = qemu_opts_from_qdict(&opts_list_typed, in, &error_abort);
    g_assert_cmpstr(qemu_opts_id(opts), ==, "n1");
    g_assert_cmpstr(qemu_opt_get(opts, "file"), ==, "f.img");
    g_assert_cmpstr(qemu_opt_get(opts, "count"), ==, "-3");
    g_assert_cmpstr(qemu_opt_get(opts, "flag"), ==, "on");
    qemu_opts_del(opts);

    qdict_put_str(in, "size", "bad");
    g_assert_null(qemu_opts_from_qdict(&opts_list_typed, in, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'size' expects a non-negative number below "
                    "2^64");
    error_free(err);
    g_assert_null(qemu_opts_find(&opts_list_typed, "n1"));

    /* filtered, deleting: only options the filter list knows move */
    opts = parse_expect(&opts_list_any, "file=a,zzz=1,count=2", false, NULL);
    rest = qemu_opts_to_qdict_filtered(opts, NULL, &opts_list_typed, true);
    g_assert_cmpint(qdict_size(rest), ==, 2);
    g_assert_cmpstr(qdict_get_str(rest, "count"), ==, "2");
    g_assert_null(qemu_opt_get(opts, "file"));
    g_assert_cmpstr(qemu_opt_get(opts, "zzz"), ==, "1");
    qemu_opts_del(opts);
}

static void test_from_qdict_skips_nested(void)
{
    g_autoptr(QDict) in = qdict_new();
    QemuOpts *opts;

    qdict_put_str(in, "a", "1");
    qdict_put(in, "list", qlist_new());
    opts = qemu_opts_from_qdict(&opts_list_any, in, &error_abort);
    g_assert_cmpstr(qemu_opt_get(opts, "a"), ==, "1");
    g_assert_null(qemu_opt_get(opts, "list"));
    qemu_opts_del(opts);
}

static void test_absorb_qdict(void)
{
    g_autoptr(QDict) qdict = qdict_new();
    QemuOpts *opts = qemu_opts_create(&opts_list_typed, NULL, 0,
                                      &error_abort);
    Error *err = NULL;

    qdict_put_str(qdict, "file", "a.img");
    qdict_put_int(qdict, "count", 5);
    qdict_put_str(qdict, "driver", "qcow2");
    qdict_put_str(qdict, "file.driver", "file");
    g_assert_true(qemu_opts_absorb_qdict(opts, qdict, &error_abort));
    g_assert_cmpint(qdict_size(qdict), ==, 2);
    g_assert_true(qdict_haskey(qdict, "driver"));
    g_assert_true(qdict_haskey(qdict, "file.driver"));
    g_assert_cmpstr(qemu_opt_get(opts, "file"), ==, "a.img");
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 0), ==, 5);

    qdict_put_str(qdict, "flag", "sure");
    g_assert_false(qemu_opts_absorb_qdict(opts, qdict, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'flag' expects 'on' or 'off'");
    error_free(err);
    g_assert_true(qdict_haskey(qdict, "flag"));
    qemu_opts_del(opts);
}

static void test_to_str(void)
{
    QemuOpts *opts = parse_expect(&opts_list_typed,
                                  "count=0x10,file=a,,b,flag=yes", false,
                                  NULL);
    g_autofree char *s = qemu_opts_to_str(opts, " ");
    g_autofree char *t = NULL;

    /* table order, defaults included, numbers as parsed, commas doubled */
    g_assert_cmpstr(s, ==, "file=a,,b flag=yes count=16 size=1M mode=off "
                    "lazy=on");
    qemu_opts_del(opts);

    opts = parse_expect(&opts_list_any, "id=x,b=1,,,a=2", false, NULL);
    t = qemu_opts_to_str(opts, ",");
    g_assert_cmpstr(t, ==, "id=x,b=1,,,a=2");
    qemu_opts_del(opts);
}

static void test_help(void)
{
    g_autofree char *s = qemu_opts_help_str(&opts_list_typed, true);
    g_autofree char *t = qemu_opts_help_str(&opts_list_any, false);
    QemuOptsList *anon = qemu_opts_append(NULL, &opts_list_any);
    g_autofree char *u = qemu_opts_help_str(anon, true);

    g_assert_cmpstr(s, ==,
                    "typed options:\n"
                    "  count=<num>\n"
                    "  file=<str>             - File name\n"
                    "  flag=<bool (on/off)>   - A flag\n"
                    "  lazy=<bool (on/off)>\n"
                    "  mode=<str>\n"
                    "  size=<size>            - Virtual disk size\n");
    g_assert_cmpstr(t, ==, "There are no options for any.\n");
    g_assert_cmpstr(u, ==, "No options available.\n");
    qemu_opts_free(anon);

    g_assert_true(is_help_option("help"));
    g_assert_true(is_help_option("?"));
    g_assert_false(is_help_option("helpme"));
    g_assert_true(has_help_option("help"));
    g_assert_true(has_help_option("size=1G,help"));
    g_assert_true(has_help_option("a=b,?"));
    g_assert_false(has_help_option("file=help"));
    g_assert_false(has_help_option("a=b,,help"));
    g_assert_false(has_help_option(""));
}

/* Part of qcow2's create options, as the real qemu-img lists them. */
static QemuOptsList opts_list_qcow2_like = {
    .name = "qcow2-like",
    .desc = {
        { .name = "size", .type = QEMU_OPT_SIZE,
          .help = "Virtual disk size" },
        { .name = "compat", .type = QEMU_OPT_STRING,
          .help = "Compatibility level (v2 [0.10] or v3 [1.1])" },
        { .name = "backing_file", .type = QEMU_OPT_STRING,
          .help = "File name of a base image" },
        { .name = "cluster_size", .type = QEMU_OPT_SIZE,
          .help = "qcow2 cluster size" },
        { .name = "data_file_raw", .type = QEMU_OPT_BOOL,
          .help = "The external data file must stay valid as a raw image" },
        { .name = "encrypt.iter-time", .type = QEMU_OPT_NUMBER,
          .help = "Time to spend in PBKDF in milliseconds" },
        { .name = "compression_type", .type = QEMU_OPT_STRING,
          .help = "Compression method used for image cluster compression" },
        { .name = "nocow", .type = QEMU_OPT_BOOL,
          .help = "Turn off copy-on-write (valid only on btrfs)" },
        { /* end of list */ }
    },
};

static void test_help_like_qemu_img(void)
{
    g_autofree char *s = qemu_opts_help_str(&opts_list_qcow2_like, false);

    /* byte for byte what qemu-img create -f qcow2 -o help prints */
    g_assert_cmpstr(s, ==,
        "  backing_file=<str>     - File name of a base image\n"
        "  cluster_size=<size>    - qcow2 cluster size\n"
        "  compat=<str>           - Compatibility level (v2 [0.10] or v3 "
        "[1.1])\n"
        "  compression_type=<str> - Compression method used for image "
        "cluster compression\n"
        "  data_file_raw=<bool (on/off)> - The external data file must stay "
        "valid as a raw image\n"
        "  encrypt.iter-time=<num> - Time to spend in PBKDF in "
        "milliseconds\n"
        "  nocow=<bool (on/off)>  - Turn off copy-on-write (valid only on "
        "btrfs)\n"
        "  size=<size>            - Virtual disk size\n");
}

static void test_help_noisily(void)
{
    if (g_test_subprocess()) {
        g_assert_null(qemu_opts_parse_noisily(&opts_list_typed, "flag,help",
                                              false));
        g_assert_null(qemu_opts_parse_noisily(&opts_list_typed, "bogus=1",
                                              false));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("typed options:\n  count=<num>\n*");
    g_test_trap_assert_stderr("*Invalid parameter 'bogus'*");
}

static void test_help_noisily_any(void)
{
    QemuOpts *opts;

    if (g_test_subprocess()) {
        opts = qemu_opts_parse_noisily(&opts_list_any, "a=1,help", false);
        g_assert_cmpstr(qemu_opt_get(opts, "help"), ==, "on");
        qemu_opts_del(opts);
        return;
    }
    /* like qemu-img --image-opts: "help" goes on to the driver */
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("");
    g_test_trap_assert_stderr("");
}

static void test_flag_warning(void)
{
    if (g_test_subprocess()) {
        QemuOpts *opts = qemu_opts_parse_noisily(&opts_list_typed, "flag",
                                                 false);
        g_assert_true(qemu_opt_get_bool(opts, "flag", false));
        qemu_opts_del(opts);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: short-form boolean option 'flag' "
                              "deprecated\nPlease use flag=on instead\n*");
}

static QemuOptsList opts_list_fmt = {
    .name = "fmt",
    .desc = {
        { .name = "size", .type = QEMU_OPT_SIZE, .help = "Format size" },
        { .name = "cluster_size", .type = QEMU_OPT_SIZE },
        { /* end of list */ }
    },
};

static void test_append(void)
{
    QemuOptsList *l = qemu_opts_append(NULL, &opts_list_fmt);
    QemuOpts *opts;

    g_assert_true(qemu_opts_append(l, NULL) == l);
    l = qemu_opts_append(l, &opts_list_typed);
    /* format options first; "size" keeps the format's description */
    g_assert_cmpstr(l->desc[0].name, ==, "size");
    g_assert_cmpstr(l->desc[0].help, ==, "Format size");
    g_assert_cmpstr(l->desc[1].name, ==, "cluster_size");
    g_assert_cmpstr(l->desc[2].name, ==, "file");
    g_assert_cmpstr(l->desc[6].name, ==, "lazy");
    g_assert_null(l->desc[7].name);
    g_assert_null(l->name);

    opts = qemu_opts_create(l, NULL, 0, &error_abort);
    qemu_opts_do_parse(opts, "cluster_size=64k,lazy=off", NULL,
                       &error_abort);
    /* appending again moves the list; the instance must follow */
    l = qemu_opts_append(l, &opts_list_any);
    g_assert_true(qemu_opts_find(l, NULL) == opts);
    g_assert_cmpuint(qemu_opt_get_size(opts, "cluster_size", 0), ==,
                     64 * KiB);
    qemu_opts_del(opts);
    qemu_opts_free(l);
}

static void test_do_parse(void)
{
    QemuOpts *opts = qemu_opts_create(&opts_list_typed, NULL, 0,
                                      &error_abort);
    Error *err = NULL;

    g_assert_true(qemu_opts_do_parse(opts, "a.img,id=ignored,count=3",
                                     "file", &error_abort));
    g_assert_cmpstr(qemu_opt_get(opts, "file"), ==, "a.img");
    g_assert_null(qemu_opts_id(opts));
    g_assert_false(qemu_opts_do_parse(opts, "count=1,bad=2", NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Invalid parameter 'bad'");
    error_free(err);
    /* options before the bad one stay */
    g_assert_cmpuint(qemu_opt_get_number(opts, "count", 0), ==, 1);
    qemu_opts_del(opts);

    opts = qemu_opts_create(&opts_list_any, NULL, 0, &error_abort);
    g_assert_true(qemu_opts_do_parse(opts, "help", NULL, &error_abort));
    g_assert_true(qemu_opt_has_help_opt(opts));
    qemu_opts_del(opts);
}

static void test_valid_option_list(void)
{
    g_assert_true(is_valid_option_list("a=b"));
    g_assert_true(is_valid_option_list("compat=1.1,,"));
    g_assert_true(is_valid_option_list("a=b,c=d"));
    g_assert_false(is_valid_option_list(""));
    g_assert_false(is_valid_option_list(",,x"));
    g_assert_false(is_valid_option_list("a=b,"));
    g_assert_false(is_valid_option_list("a=b,,,"));
}

/* Random option strings parse or fail cleanly and leave no instance. */
static void test_random_input(void)
{
    static const char alphabet[] = "fileflagcountsizeno?=,,,1x.k-";
    GRand *rand = g_rand_new_with_seed(7);
    char buf[32];
    int i, j, len;

    for (i = 0; i < 20000; i++) {
        QemuOptsList *list = i & 1 ? &opts_list_typed : &opts_list_any;
        Error *err = NULL;
        QemuOpts *opts;
        g_autofree char *s = NULL;

        len = g_rand_int_range(rand, 0, sizeof(buf));
        for (j = 0; j < len; j++) {
            buf[j] = alphabet[g_rand_int_range(rand, 0,
                                               sizeof(alphabet) - 1)];
        }
        buf[len] = 0;
        opts = qemu_opts_parse(list, buf, i & 2, &err);
        g_assert_true(!opts != !err);
        if (opts) {
            s = qemu_opts_to_str(opts, ",");
            qemu_opts_del(opts);
        }
        error_free(err);
        g_assert_null(list->head.first);
        has_help_option(buf);
        is_valid_option_list(buf);
    }
    g_rand_free(rand);
}

static void collect_name(QemuOptsList *list, void *opaque)
{
    g_string_append_printf(opaque, "%s;", list->name);
}

static void test_config_groups(void)
{
    g_autoptr(GString) names = g_string_new(NULL);
    Error *err = NULL;
    QemuOpts *a, *b;

    qemu_add_opts(&opts_list_typed);
    qemu_add_opts(&opts_list_merge);
    g_assert_true(qemu_find_opts("typed") == &opts_list_typed);
    g_assert_true(qemu_find_opts_err("machine", &error_abort) ==
                  &opts_list_merge);
    g_assert_null(qemu_find_opts_err("nope", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "There is no option group 'nope'");
    error_free(err);

    a = qemu_find_opts_singleton("machine");
    b = qemu_find_opts_singleton("machine");
    g_assert_true(a == b);
    qemu_opts_reset(&opts_list_merge);

    qemu_opts_list_foreach(collect_name, names);
    g_assert_cmpstr(names->str, ==, "typed;machine;");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-opts/parse_basic", test_parse_basic);
    g_test_add_func("/qemu-opts/parse_errors", test_parse_errors);
    g_test_add_func("/qemu-opts/ids", test_ids);
    g_test_add_func("/qemu-opts/merge_lists", test_merge_lists);
    g_test_add_func("/qemu-opts/defaults_and_del", test_defaults_and_del);
    g_test_add_func("/qemu-opts/untyped_reads", test_untyped_reads);
    g_test_add_func("/qemu-opts/foreach", test_foreach);
    g_test_add_func("/qemu-opts/iter", test_iter);
    g_test_add_func("/qemu-opts/validate", test_validate);
    g_test_add_func("/qemu-opts/to_from_qdict", test_to_from_qdict);
    g_test_add_func("/qemu-opts/from_qdict_skips_nested",
                    test_from_qdict_skips_nested);
    g_test_add_func("/qemu-opts/absorb_qdict", test_absorb_qdict);
    g_test_add_func("/qemu-opts/to_str", test_to_str);
    g_test_add_func("/qemu-opts/help", test_help);
    g_test_add_func("/qemu-opts/help_like_qemu_img",
                    test_help_like_qemu_img);
    g_test_add_func("/qemu-opts/help_noisily", test_help_noisily);
    g_test_add_func("/qemu-opts/help_noisily_any", test_help_noisily_any);
    g_test_add_func("/qemu-opts/flag_warning", test_flag_warning);
    g_test_add_func("/qemu-opts/append", test_append);
    g_test_add_func("/qemu-opts/do_parse", test_do_parse);
    g_test_add_func("/qemu-opts/valid_option_list", test_valid_option_list);
    g_test_add_func("/qemu-opts/random_input", test_random_input);
    g_test_add_func("/qemu-opts/config_groups", test_config_groups);
    return g_test_run();
}
