/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the QObject value types: QDict, QList, QString, QNum,
 * QBool, QNull, reference counting, downcasts and equality.
 */
#include "qemu/osdep.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

static void test_refcount(void)
{
    QString *qs = qstring_from_str("x");
    QString *again;

    g_assert_cmpuint(qs->base.refcnt, ==, 1);
    again = qobject_ref(qs);
    g_assert_true(again == qs);
    g_assert_cmpuint(qs->base.refcnt, ==, 2);
    qobject_unref(qs);
    g_assert_cmpuint(qs->base.refcnt, ==, 1);
    qobject_unref(again);

    /* NULL is accepted by both. */
    g_assert_null(qobject_ref((QDict *)NULL));
    qobject_unref((QDict *)NULL);
}

static void test_qobject_to(void)
{
    QDict *d = qdict_new();
    QObject *obj = QOBJECT(d);

    g_assert_true(qobject_to(QDict, obj) == d);
    g_assert_null(qobject_to(QList, obj));
    g_assert_null(qobject_to(QString, obj));
    g_assert_null(qobject_to(QDict, (QObject *)NULL));
    g_assert_null(QOBJECT((QDict *)NULL));
    g_assert_cmpint(qobject_type(obj), ==, QTYPE_QDICT);
    qobject_unref(obj);
}

static void test_autoptr(void)
{
    g_autoptr(QDict) d = qdict_new();
    g_autoptr(QList) l = qlist_new();
    g_autoptr(QString) s = qstring_new();
    g_autoptr(QNum) n = qnum_from_int(1);
    g_autoptr(QBool) b = qbool_from_bool(true);
    g_autoptr(QNull) z = qnull();
    g_autoptr(QObject) o = QOBJECT(qstring_from_str("o"));

    qdict_put(d, "l", qobject_ref(l));
    g_assert_cmpstr(qstring_get_str(s), ==, "");
    g_assert_nonnull(n);
    g_assert_nonnull(b);
    g_assert_nonnull(z);
    g_assert_nonnull(o);
}

static void test_qstring(void)
{
    QString *qs = qstring_from_substr("hello world", 6, 11);
    GString *gs = g_string_new("from ");

    g_assert_cmpstr(qstring_get_str(qs), ==, "world");
    g_assert_cmpuint(qstring_get_length(qs), ==, 5);
    qobject_unref(qs);

    qs = qstring_from_substr("abc", 1, 1);
    g_assert_cmpstr(qstring_get_str(qs), ==, "");
    qobject_unref(qs);

    g_assert_null(qstring_get_try_str(NULL));
    g_assert_null(qobject_get_try_str(NULL));
    qs = qstring_from_str("try");
    g_assert_cmpstr(qobject_get_try_str(QOBJECT(qs)), ==, "try");
    g_assert_cmpstr(qstring_get_try_str(qs), ==, "try");
    qobject_unref(qs);
    {
        QNum *qn = qnum_from_int(1);

        g_assert_null(qobject_get_try_str(QOBJECT(qn)));
        qobject_unref(qn);
    }

    g_string_append(gs, "gstring");
    qs = qstring_from_gstring(gs);
    g_assert_cmpstr(qstring_get_str(qs), ==, "from gstring");
    g_assert_cmpint(qobject_type(QOBJECT(qs)), ==, QTYPE_QSTRING);
    qobject_unref(qs);
}

static void test_qnum_int(void)
{
    QNum *qn = qnum_from_int(-42);
    int64_t i;
    uint64_t u;
    char *s;

    g_assert_true(qnum_get_try_int(qn, &i));
    g_assert_cmpint(i, ==, -42);
    g_assert_false(qnum_get_try_uint(qn, &u));
    g_assert_cmpfloat(qnum_get_double(qn), ==, -42.0);
    s = qnum_to_string(qn);
    g_assert_cmpstr(s, ==, "-42");
    g_free(s);
    qobject_unref(qn);

    /* A non-negative int reads as uint. */
    qn = qnum_from_int(INT64_MAX);
    g_assert_cmpuint(qnum_get_uint(qn), ==, INT64_MAX);
    g_assert_cmpint(qnum_get_int(qn), ==, INT64_MAX);
    qobject_unref(qn);
}

static void test_qnum_uint(void)
{
    QNum *qn = qnum_from_uint(UINT64_MAX);
    int64_t i;
    char *s;

    g_assert_false(qnum_get_try_int(qn, &i));
    g_assert_cmpuint(qnum_get_uint(qn), ==, UINT64_MAX);
    g_assert_cmpfloat(qnum_get_double(qn), ==, 18446744073709551616.0);
    s = qnum_to_string(qn);
    g_assert_cmpstr(s, ==, "18446744073709551615");
    g_free(s);
    qobject_unref(qn);

    /* A uint in int64 range reads as int. */
    qn = qnum_from_uint(7);
    g_assert_cmpint(qnum_get_int(qn), ==, 7);
    qobject_unref(qn);
}

static void test_qnum_double(void)
{
    static const struct {
        double d;
        const char *text;
    } cases[] = {
        { 1.5, "1.5" },
        { 0.1, "0.10000000000000001" },
        { 1e100, "1e+100" },
        { -0.0, "-0" },
        { 3.0, "3" },
    };
    int64_t i;
    uint64_t u;
    size_t k;

    for (k = 0; k < ARRAY_SIZE(cases); k++) {
        QNum *qn = qnum_from_double(cases[k].d);
        char *s = qnum_to_string(qn);

        g_assert_cmpstr(s, ==, cases[k].text);
        g_assert_cmpfloat(g_ascii_strtod(s, NULL), ==, cases[k].d);
        /* A double never reads as an integer, not even 3.0. */
        g_assert_false(qnum_get_try_int(qn, &i));
        g_assert_false(qnum_get_try_uint(qn, &u));
        g_assert_cmpfloat(qnum_get_double(qn), ==, cases[k].d);
        g_free(s);
        qobject_unref(qn);
    }
}

static void test_qbool_qnull(void)
{
    QBool *t = qbool_from_bool(true);
    QBool *f = qbool_from_bool(false);
    QNull *n1 = qnull();
    QNull *n2 = qnull();

    g_assert_true(qbool_get_bool(t));
    g_assert_false(qbool_get_bool(f));
    g_assert_true(n1 == n2);
    g_assert_cmpint(qobject_type(QOBJECT(n1)), ==, QTYPE_QNULL);
    g_assert_true(qobject_is_equal(QOBJECT(n1), QOBJECT(n2)));
    qobject_unref(t);
    qobject_unref(f);
    qobject_unref(n1);
    qobject_unref(n2);
    /* The singleton keeps its own reference. */
    g_assert_cmpuint(qnull_.base.refcnt, >=, 1);
}

static void test_qlist(void)
{
    QList *l = qlist_new();
    QList *copy;
    const QListEntry *e;
    QObject *obj;
    int n = 0;

    g_assert_true(qlist_empty(l));
    g_assert_null(qlist_peek(l));
    g_assert_null(qlist_pop(l));
    qlist_append_int(l, 1);
    qlist_append_bool(l, true);
    qlist_append_str(l, "three");
    qlist_append_null(l);
    qlist_append(l, qlist_new());
    g_assert_cmpuint(qlist_size(l), ==, 5);
    g_assert_false(qlist_empty(l));

    QLIST_FOREACH_ENTRY(l, e) {
        g_assert_nonnull(qlist_entry_obj(e));
        n++;
    }
    g_assert_cmpint(n, ==, 5);

    copy = qlist_copy(l);
    g_assert_true(qobject_is_equal(QOBJECT(l), QOBJECT(copy)));
    g_assert_true(qlist_peek(copy) == qlist_peek(l));

    obj = qlist_pop(l);
    g_assert_cmpint(qnum_get_int(qobject_to(QNum, obj)), ==, 1);
    qobject_unref(obj);
    g_assert_false(qobject_is_equal(QOBJECT(l), QOBJECT(copy)));
    g_assert_true(qbool_get_bool(qobject_to(QBool, qlist_peek(l))));

    /* Draining and refilling keeps head and tail right. */
    while ((obj = qlist_pop(l))) {
        qobject_unref(obj);
    }
    g_assert_true(qlist_empty(l));
    qlist_append_int(l, 9);
    g_assert_cmpuint(qlist_size(l), ==, 1);
    qobject_unref(l);
    qobject_unref(copy);
}

static void test_qdict_put_get(void)
{
    QDict *d = qdict_new();

    qdict_put_int(d, "int", -5);
    qdict_put_bool(d, "bool", true);
    qdict_put_str(d, "str", "value");
    qdict_put_null(d, "null");
    qdict_put(d, "dbl", qnum_from_double(2.5));
    qdict_put(d, "dict", qdict_new());
    qdict_put(d, "list", qlist_new());
    g_assert_cmpuint(qdict_size(d), ==, 7);

    g_assert_cmpint(qdict_get_int(d, "int"), ==, -5);
    g_assert_true(qdict_get_bool(d, "bool"));
    g_assert_cmpstr(qdict_get_str(d, "str"), ==, "value");
    g_assert_cmpfloat(qdict_get_double(d, "dbl"), ==, 2.5);
    g_assert_cmpfloat(qdict_get_double(d, "int"), ==, -5.0);
    g_assert_nonnull(qdict_get_qdict(d, "dict"));
    g_assert_null(qdict_get_qdict(d, "list"));
    g_assert_nonnull(qdict_get_qlist(d, "list"));
    g_assert_null(qdict_get_qlist(d, "missing"));
    g_assert_nonnull(qobject_to(QNull, qdict_get(d, "null")));
    g_assert_null(qdict_get(d, "missing"));

    g_assert_cmpint(qdict_get_try_int(d, "int", 3), ==, -5);
    g_assert_cmpint(qdict_get_try_int(d, "dbl", 3), ==, 3);
    g_assert_cmpint(qdict_get_try_int(d, "missing", 3), ==, 3);
    g_assert_true(qdict_get_try_bool(d, "missing", true));
    g_assert_false(qdict_get_try_bool(d, "str", false));
    g_assert_true(qdict_get_try_bool(d, "bool", false));
    g_assert_cmpstr(qdict_get_try_str(d, "str"), ==, "value");
    g_assert_null(qdict_get_try_str(d, "int"));
    g_assert_null(qdict_get_try_str(d, "missing"));
    qobject_unref(d);
}

static void test_qdict_replace_del(void)
{
    QDict *d = qdict_new();
    QString *old = qstring_from_str("old");

    qdict_put(d, "k", qobject_ref(old));
    qdict_put_str(d, "k", "new");
    g_assert_cmpuint(qdict_size(d), ==, 1);
    g_assert_cmpstr(qdict_get_str(d, "k"), ==, "new");
    /* Replacing released the dict's reference to the old value. */
    g_assert_cmpuint(old->base.refcnt, ==, 1);
    qobject_unref(old);

    g_assert_true(qdict_haskey(d, "k"));
    qdict_del(d, "k");
    qdict_del(d, "k");
    g_assert_false(qdict_haskey(d, "k"));
    g_assert_cmpuint(qdict_size(d), ==, 0);
    g_assert_null(qdict_first(d));
    qobject_unref(d);
}

static void test_qdict_many(void)
{
    QDict *d = qdict_new();
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
                                             g_free, NULL);
    const QDictEntry *e;
    int i;

    for (i = 0; i < 5000; i++) {
        char key[32];

        snprintf(key, sizeof(key), "key%d", i);
        qdict_put_int(d, key, i);
    }
    g_assert_cmpuint(qdict_size(d), ==, 5000);
    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        char *key = g_strdup_printf("key%" PRId64,
                                    qnum_get_int(qobject_to(QNum,
                                                 qdict_entry_value(e))));

        g_assert_cmpstr(key, ==, qdict_entry_key(e));
        g_assert_true(g_hash_table_add(seen, key));
    }
    g_assert_cmpuint(g_hash_table_size(seen), ==, 5000);
    for (i = 0; i < 5000; i += 2) {
        char key[32];

        snprintf(key, sizeof(key), "key%d", i);
        qdict_del(d, key);
    }
    g_assert_cmpuint(qdict_size(d), ==, 2500);
    g_assert_cmpint(qdict_get_int(d, "key4999"), ==, 4999);
    g_assert_false(qdict_haskey(d, "key4998"));
    g_hash_table_destroy(seen);
    qobject_unref(d);
}

static char *qdict_keys(const QDict *d)
{
    GString *out = g_string_new("");
    const QDictEntry *e;

    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        g_string_append_printf(out, "%s%s", out->len ? " " : "",
                               qdict_entry_key(e));
    }
    return g_string_free(out, false);
}

/*
 * QEMU 7.2 prints query-version as {"qemu": {"micro": .., "minor": ..,
 * "major": ..}, "package": ..} and query-status as {"status", "singlestep",
 * "running"} although the members are added in the opposite order: our
 * iteration order must be the same.
 */
static void test_qdict_qemu_order(void)
{
    QDict *d = qdict_new();
    char *keys;

    qdict_put_int(d, "major", 7);
    qdict_put_int(d, "minor", 2);
    qdict_put_int(d, "micro", 0);
    keys = qdict_keys(d);
    g_assert_cmpstr(keys, ==, "micro minor major");
    g_free(keys);
    qobject_unref(d);

    d = qdict_new();
    qdict_put_bool(d, "running", true);
    qdict_put_bool(d, "singlestep", false);
    qdict_put_str(d, "status", "running");
    keys = qdict_keys(d);
    g_assert_cmpstr(keys, ==, "status singlestep running");
    g_free(keys);
    qobject_unref(d);

    d = qdict_new();
    qdict_put(d, "qemu", qdict_new());
    qdict_put_str(d, "package", "");
    keys = qdict_keys(d);
    g_assert_cmpstr(keys, ==, "qemu package");
    g_free(keys);
    qobject_unref(d);
}

static void test_qdict_clone_defaults(void)
{
    QDict *src = qdict_new();
    QDict *dst;

    qdict_put_str(src, "a", "1");
    qdict_put(src, "b", qlist_new());
    dst = qdict_clone_shallow(src);
    g_assert_true(qobject_is_equal(QOBJECT(src), QOBJECT(dst)));
    g_assert_true(qdict_get(src, "b") == qdict_get(dst, "b"));
    qdict_del(dst, "a");
    qdict_del(dst, "b");

    qdict_copy_default(dst, src, "a");
    qdict_copy_default(dst, src, "missing");
    g_assert_cmpstr(qdict_get_str(dst, "a"), ==, "1");
    g_assert_false(qdict_haskey(dst, "missing"));
    qdict_put_str(dst, "b", "kept");
    qdict_copy_default(dst, src, "b");
    g_assert_cmpstr(qdict_get_str(dst, "b"), ==, "kept");

    qdict_set_default_str(dst, "b", "ignored");
    qdict_set_default_str(dst, "c", "set");
    g_assert_cmpstr(qdict_get_str(dst, "b"), ==, "kept");
    g_assert_cmpstr(qdict_get_str(dst, "c"), ==, "set");
    qobject_unref(src);
    qobject_unref(dst);
}

static void test_is_equal(void)
{
    QNum *i1 = qnum_from_int(1), *u1 = qnum_from_uint(1);
    QNum *d1 = qnum_from_double(1.0), *m1 = qnum_from_int(-1);
    QNum *umax = qnum_from_uint(UINT64_MAX);
    QString *s1 = qstring_from_str("1");
    QDict *a = qdict_new(), *b = qdict_new();

    g_assert_true(qobject_is_equal(NULL, NULL));
    g_assert_false(qobject_is_equal(QOBJECT(i1), NULL));
    g_assert_true(qobject_is_equal(QOBJECT(i1), QOBJECT(u1)));
    g_assert_false(qobject_is_equal(QOBJECT(i1), QOBJECT(d1)));
    g_assert_false(qobject_is_equal(QOBJECT(m1), QOBJECT(umax)));
    g_assert_false(qobject_is_equal(QOBJECT(umax), QOBJECT(m1)));
    g_assert_true(qobject_is_equal(QOBJECT(umax), QOBJECT(umax)));
    g_assert_false(qobject_is_equal(QOBJECT(i1), QOBJECT(s1)));

    qdict_put_int(a, "x", 1);
    qdict_put_str(a, "y", "s");
    qdict_put_str(b, "y", "s");
    g_assert_false(qobject_is_equal(QOBJECT(a), QOBJECT(b)));
    qdict_put(b, "x", qnum_from_uint(1));
    g_assert_true(qobject_is_equal(QOBJECT(a), QOBJECT(b)));
    qdict_put_str(b, "x", "1");
    g_assert_false(qobject_is_equal(QOBJECT(a), QOBJECT(b)));

    qobject_unref(i1);
    qobject_unref(u1);
    qobject_unref(d1);
    qobject_unref(m1);
    qobject_unref(umax);
    qobject_unref(s1);
    qobject_unref(a);
    qobject_unref(b);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qobject/refcount", test_refcount);
    g_test_add_func("/qobject/qobject_to", test_qobject_to);
    g_test_add_func("/qobject/autoptr", test_autoptr);
    g_test_add_func("/qobject/qstring", test_qstring);
    g_test_add_func("/qobject/qnum/int", test_qnum_int);
    g_test_add_func("/qobject/qnum/uint", test_qnum_uint);
    g_test_add_func("/qobject/qnum/double", test_qnum_double);
    g_test_add_func("/qobject/qbool-qnull", test_qbool_qnull);
    g_test_add_func("/qobject/qlist", test_qlist);
    g_test_add_func("/qobject/qdict/put-get", test_qdict_put_get);
    g_test_add_func("/qobject/qdict/replace-del", test_qdict_replace_del);
    g_test_add_func("/qobject/qdict/many", test_qdict_many);
    g_test_add_func("/qobject/qdict/qemu-order", test_qdict_qemu_order);
    g_test_add_func("/qobject/qdict/clone-defaults",
                    test_qdict_clone_defaults);
    g_test_add_func("/qobject/is-equal", test_is_equal);
    return g_test_run();
}
