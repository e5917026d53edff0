/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for util/keyval.c: dotted keys, lists, escaping, implied
 * keys, help, QEMU's error messages and keyval_merge().
 */
#include "qemu/osdep.h"
#include "qemu/keyval.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A compact, order-independent rendering of a keyval tree:
 * {a:{b:'1'},l:['x','y']} with dict keys sorted.
 */
static void dump(GString *s, QObject *obj)
{
    if (qobject_type(obj) == QTYPE_QSTRING) {
        g_string_append_printf(s, "'%s'",
                               qstring_get_str(qobject_to(QString, obj)));
    } else if (qobject_type(obj) == QTYPE_QLIST) {
        const QListEntry *e;

        g_string_append_c(s, '[');
        for (e = qlist_first(qobject_to(QList, obj)); e; e = qlist_next(e)) {
            dump(s, qlist_entry_obj(e));
            g_string_append_c(s, qlist_next(e) ? ',' : ']');
        }
        if (qlist_empty(qobject_to(QList, obj))) {
            g_string_append_c(s, ']');
        }
    } else {
        QDict *d = qobject_to(QDict, obj);
        g_autoptr(GPtrArray) keys = g_ptr_array_new();
        const QDictEntry *e;
        guint i;

        g_assert_nonnull(d);
        for (e = qdict_first(d); e; e = qdict_next(d, e)) {
            g_ptr_array_add(keys, (gpointer)qdict_entry_key(e));
        }
        g_ptr_array_sort(keys, cmp_str);
        g_string_append_c(s, '{');
        for (i = 0; i < keys->len; i++) {
            g_string_append_printf(s, "%s%s:", i ? "," : "",
                                   (char *)keys->pdata[i]);
            dump(s, qdict_get(d, keys->pdata[i]));
        }
        g_string_append_c(s, '}');
    }
}

static char *dump_str(QDict *qdict)
{
    GString *s = g_string_new(NULL);

    dump(s, QOBJECT(qdict));
    return g_string_free(s, false);
}

static void check_parse(const char *params, const char *implied,
                        const char *expected)
{
    g_autoptr(QDict) qdict = keyval_parse(params, implied, NULL,
                                          &error_abort);
    g_autofree char *s = dump_str(qdict);

    g_assert_cmpstr(s, ==, expected);
}

static void check_error(const char *params, const char *implied,
                        const char *msg)
{
    Error *err = NULL;
    bool help = false;

    g_assert_null(keyval_parse(params, implied, &help, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_simple(void)
{
    check_parse("", NULL, "{}");
    check_parse("a=1", NULL, "{a:'1'}");
    check_parse("a=1,b=2,", NULL, "{a:'1',b:'2'}");
    check_parse("a=", NULL, "{a:''}");
    check_parse("a=1,a=2", NULL, "{a:'2'}");
    check_parse("a=x=y", NULL, "{a:'x=y'}");
    check_parse("a-b_c=1,A9=2", NULL, "{A9:'2',a-b_c:'1'}");
}

static void test_escaping(void)
{
    check_parse("a=x,,y", NULL, "{a:'x,y'}");
    check_parse("a=,,", NULL, "{a:','}");
    check_parse("a=x,,,b=1", NULL, "{a:'x,',b:'1'}");
    check_parse("a=,,,,", NULL, "{a:',,'}");
}

static void test_nested(void)
{
    QDict *qdict;
    QDict *file;

    check_parse("node-name=a,driver=qcow2,file.driver=file,"
                "file.filename=a.qcow2", NULL,
                "{driver:'qcow2',file:{driver:'file',filename:'a.qcow2'},"
                "node-name:'a'}");
    check_parse("a.b.c=1,a.b.d=2,a.e=3", NULL,
                "{a:{b:{c:'1',d:'2'},e:'3'}}");

    /* the same tree, compared with qobject_is_equal() */
    qdict = keyval_parse("driver=qcow2,file.driver=file", NULL, NULL,
                         &error_abort);
    g_autoptr(QDict) expected = qdict_new();
    file = qdict_new();
    qdict_put_str(file, "driver", "file");
    qdict_put_str(expected, "driver", "qcow2");
    qdict_put(expected, "file", file);
    g_assert_true(qobject_is_equal(QOBJECT(qdict), QOBJECT(expected)));
    qobject_unref(qdict);
}

static void test_lists(void)
{
    check_parse("x.0=a,x.1=b", NULL, "{x:['a','b']}");
    check_parse("x.1=b,x.0=a", NULL, "{x:['a','b']}");
    check_parse("x.0.a=1,x.0.b=2,x.1.a=3", NULL,
                "{x:[{a:'1',b:'2'},{a:'3'}]}");
    check_parse("x.0.0=a,x.0.1=b,x.1.0=c", NULL, "{x:[['a','b'],['c']]}");
    check_parse("x.2=c,x.0=a,x.1=b,x.10=k,x.3=d,x.4=e,x.5=f,x.6=g,x.7=h,"
                "x.8=i,x.9=j", NULL,
                "{x:['a','b','c','d','e','f','g','h','i','j','k']}");
    /* leading zeros name the same element */
    check_parse("x.00=a", NULL, "{x:['a']}");
    check_parse("x.0=a,x.000=a", NULL, "{x:['a']}");

    check_error("a.1=x", NULL, "Parameter 'a.0' missing");
    check_error("a.0=x,a.2=y", NULL, "Parameter 'a.1' missing");
    check_error("a.1=x,a.0=y,a.3=z", NULL, "Parameter 'a.2' missing");
    check_error("a.01=x", NULL, "Parameter 'a.0' missing");
    check_error("a.99999999999999999999=1", NULL, "Parameter 'a.0' missing");
    check_error("b.x.0=1,b.x.2=2", NULL, "Parameter 'b.x.1' missing");
    check_error("a.0=x,a.b=y", NULL,
                "Parameters 'a.*' used inconsistently");
}

static void test_implied(void)
{
    check_parse("null-co", "driver", "{driver:'null-co'}");
    check_parse("null-co,,x,size=1", "driver",
                "{driver:'null-co,x',size:'1'}");
    check_parse("a b", "driver", "{driver:'a b'}");
    check_parse("driver=raw", "driver", "{driver:'raw'}");
    check_parse("", "driver", "{}");
    check_parse("x", "a.b", "{a:{b:'x'}}");
    /* only the first item may omit its key */
    check_error("null-co,file", "driver",
                "Expected '=' after parameter 'file'");
    check_error(",driver=null-co", "driver", "Invalid parameter ''");
}

static void test_errors(void)
{
    g_autofree char *long_key = g_strnfill(128, 'a');
    g_autofree char *ok_key = g_strnfill(127, 'a');
    g_autofree char *p = NULL;
    g_autofree char *msg = NULL;

    check_error("=x", NULL, "Invalid parameter ''");
    check_error(",a=1", NULL, "Invalid parameter ''");
    check_error("a..b=1", NULL, "Invalid parameter 'a..b'");
    check_error("a.=1", NULL, "Invalid parameter 'a.'");
    check_error(".a=1", NULL, "Invalid parameter '.a'");
    check_error("1a=x", NULL, "Invalid parameter '1a'");
    check_error("_a=1", NULL, "Invalid parameter '_a'");
    check_error("a.0x1=1", NULL, "Invalid parameter 'a.0x1'");
    check_error("a.1b=1", NULL, "Invalid parameter 'a.1b'");
    check_error("a.-1=1", NULL, "Invalid parameter 'a.-1'");
    check_error("a.b c=1", NULL, "Invalid parameter 'a.b c'");
    check_error("0=1", NULL, "Invalid parameter '0'");
    check_error("?=1", NULL, "Invalid parameter '?'");
    check_error("a", NULL, "Expected '=' after parameter 'a'");
    check_error("a=1,b", NULL, "Expected '=' after parameter 'b'");
    check_error("a=1,a.b=2", NULL, "Parameters 'a.*' used inconsistently");
    check_error("a.b=1,a=2", NULL, "Parameters 'a.*' used inconsistently");
    check_error("x.y.z=1,x.y=2", NULL,
                "Parameters 'x.y.*' used inconsistently");
    check_error("x.y=1,x.y.z.w=2", NULL,
                "Parameters 'x.y.*' used inconsistently");
    check_error("a.0.b=x,a.0=y", NULL,
                "Parameters 'a.0.*' used inconsistently");

    p = g_strdup_printf("%s=1", ok_key);
    check_parse(p, NULL, (msg = g_strdup_printf("{%s:'1'}", ok_key)));
    g_free(p);
    g_free(msg);
    p = g_strdup_printf("%s=1", long_key);
    msg = g_strdup_printf("Parameter '%s' is too long", long_key);
    check_error(p, NULL, msg);
    g_free(p);
    g_free(msg);
    p = g_strdup_printf("x.0.%s=1", long_key);
    msg = g_strdup_printf("Parameter fragment '%s' is too long", long_key);
    check_error(p, NULL, msg);
    g_free(p);
    p = g_strdup_printf("%s.c=1", long_key);
    check_error(p, NULL, msg);
}

static void test_help(void)
{
    Error *err = NULL;
    bool help = true;
    QDict *qdict;
    g_autofree char *s = NULL;

    qdict = keyval_parse("a=1", NULL, &help, &error_abort);
    g_assert_false(help);
    qobject_unref(qdict);

    qdict = keyval_parse("help", "driver", &help, &error_abort);
    g_assert_true(help);
    qobject_unref(qdict);

    qdict = keyval_parse("driver=file,?,filename=x", "driver", &help,
                         &error_abort);
    g_assert_true(help);
    s = dump_str(qdict);
    g_assert_cmpstr(s, ==, "{driver:'file',filename:'x'}");
    qobject_unref(qdict);

    /* "help=..." is an ordinary key */
    qdict = keyval_parse("help=1", NULL, &help, &error_abort);
    g_assert_false(help);
    qobject_unref(qdict);

    g_assert_null(keyval_parse("driver=file,help", "driver", NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Help is not available for this option");
    error_free(err);
}

static void test_parse_into(void)
{
    g_autoptr(QDict) qdict = qdict_new();
    g_autofree char *s = NULL;
    Error *err = NULL;

    g_assert_true(keyval_parse_into(qdict, "a.b=1,c=2", NULL, NULL,
                                    &error_abort) == qdict);
    g_assert_true(keyval_parse_into(qdict, "a.d=3,c=4", NULL, NULL,
                                    &error_abort) == qdict);
    s = dump_str(qdict);
    g_assert_cmpstr(s, ==, "{a:{b:'1',d:'3'},c:'4'}");
    g_assert_null(keyval_parse_into(qdict, "c.x=1", NULL, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameters 'c.*' used inconsistently");
    error_free(err);
}

static void test_merge(void)
{
    g_autoptr(QDict) old = keyval_parse("a=1,b.c=2,l.0=x,s=o", NULL, NULL,
                                        &error_abort);
    g_autoptr(QDict) new = keyval_parse("b.d=3,l.0=y,s=n,z=9", NULL, NULL,
                                        &error_abort);
    g_autoptr(QDict) bad = keyval_parse("b=1", NULL, NULL, &error_abort);
    g_autoptr(QDict) bad2 = keyval_parse("a.x=1", NULL, NULL, &error_abort);
    g_autoptr(QDict) bad3 = keyval_parse("b.c.0=1", NULL, NULL,
                                         &error_abort);
    g_autofree char *s = NULL;
    Error *err = NULL;

    keyval_merge(old, new, &error_abort);
    s = dump_str(old);
    g_assert_cmpstr(s, ==,
                    "{a:'1',b:{c:'2',d:'3'},l:['x','y'],s:'n',z:'9'}");

    keyval_merge(old, bad, &err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'b' used inconsistently");
    error_free(err);
    err = NULL;
    keyval_merge(old, bad2, &err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'a' used inconsistently");
    error_free(err);
    err = NULL;
    keyval_merge(old, bad3, &err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'b.c' used inconsistently");
    error_free(err);
}

/*
 * Random strings over the characters that matter must parse or fail
 * cleanly (under ASan: without leaks or bad accesses), and whatever
 * parses must have only dicts, lists and strings in it.
 */
static void check_tree(QObject *obj)
{
    const QListEntry *le;
    const QDictEntry *de;

    switch (qobject_type(obj)) {
    case QTYPE_QSTRING:
        return;
    case QTYPE_QLIST:
        g_assert_false(qlist_empty(qobject_to(QList, obj)));
        for (le = qlist_first(qobject_to(QList, obj)); le;
             le = qlist_next(le)) {
            check_tree(qlist_entry_obj(le));
        }
        return;
    case QTYPE_QDICT:
        for (de = qdict_first(qobject_to(QDict, obj)); de;
             de = qdict_next(qobject_to(QDict, obj), de)) {
            check_tree(qdict_entry_value(de));
        }
        return;
    default:
        g_assert_not_reached();
    }
}

static void test_random_input(void)
{
    static const char alphabet[] = "ab0129.,,=?h-_ ";
    GRand *rand = g_rand_new_with_seed(42);
    char buf[24];
    int i, j, len;

    for (i = 0; i < 20000; i++) {
        Error *err = NULL;
        bool help = false;
        QDict *qdict;

        len = g_rand_int_range(rand, 0, sizeof(buf));
        for (j = 0; j < len; j++) {
            buf[j] = alphabet[g_rand_int_range(rand, 0,
                                               sizeof(alphabet) - 1)];
        }
        buf[len] = 0;
        qdict = keyval_parse(buf, i & 1 ? "driver" : NULL,
                             i & 2 ? &help : NULL, &err);
        g_assert_true(!qdict != !err);
        if (qdict) {
            check_tree(QOBJECT(qdict));
            qobject_unref(qdict);
        }
        error_free(err);
    }
    g_rand_free(rand);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keyval/simple", test_simple);
    g_test_add_func("/keyval/escaping", test_escaping);
    g_test_add_func("/keyval/nested", test_nested);
    g_test_add_func("/keyval/lists", test_lists);
    g_test_add_func("/keyval/implied", test_implied);
    g_test_add_func("/keyval/errors", test_errors);
    g_test_add_func("/keyval/help", test_help);
    g_test_add_func("/keyval/parse_into", test_parse_into);
    g_test_add_func("/keyval/merge", test_merge);
    g_test_add_func("/keyval/random_input", test_random_input);
    return g_test_run();
}
