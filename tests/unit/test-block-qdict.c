/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for qobject/block-qdict.c: flattening and crumpling options. */
#include "qemu/osdep.h"
#include "block/qdict.h"
#include "qobject/qjson.h"

static QDict *dict_from(const char *json)
{
    return qobject_to(QDict, qobject_from_json(json, &error_abort));
}

/* Assert that @obj equals the JSON value @json. */
static void assert_json(QObject *obj, const char *json)
{
    QObject *expected = qobject_from_json(json, &error_abort);

    if (!qobject_is_equal(obj, expected)) {
        GString *got = qobject_to_json(obj);

        g_error("got %s, expected %s", got->str, json);
    }
    qobject_unref(expected);
}

static void test_flatten(void)
{
    QDict *d = dict_from("{'a': {'b': 1, 'c': {'d': 'x'}}, "
                         "'e': [1, {'f': true}, []], 'g': {}, 'h': 2}");

    qdict_flatten(d);
    assert_json(QOBJECT(d), "{'a.b': 1, 'a.c.d': 'x', 'e.0': 1, "
                "'e.1.f': true, 'e.2': [], 'g': {}, 'h': 2}");
    qobject_unref(d);
}

static void test_extract_subqdict(void)
{
    QDict *d = dict_from("{'file.filename': 'x', 'file.driver': 'f', "
                         "'filex': 1, 'other': 2}");
    QDict *sub;

    qdict_extract_subqdict(d, &sub, "file.");
    assert_json(QOBJECT(sub), "{'filename': 'x', 'driver': 'f'}");
    assert_json(QOBJECT(d), "{'filex': 1, 'other': 2}");
    qobject_unref(sub);

    /* Without a destination the members are just dropped. */
    qdict_extract_subqdict(d, NULL, "o");
    assert_json(QOBJECT(d), "{'filex': 1}");
    qobject_unref(d);
}

static void test_array_split(void)
{
    QDict *d = dict_from("{'0': 1, '1.a': 2, '1.b': 3, '3': 4}");
    QList *l;

    qdict_array_split(d, &l);
    assert_json(QOBJECT(l), "[1, {'a': 2, 'b': 3}]");
    assert_json(QOBJECT(d), "{'3': 4}");
    qobject_unref(l);
    qobject_unref(d);

    /* "0" and "0.x" together: not a list. */
    d = dict_from("{'0': 1, '0.x': 2}");
    qdict_array_split(d, &l);
    g_assert_true(qlist_empty(l));
    g_assert_cmpuint(qdict_size(d), ==, 2);
    qobject_unref(l);
    qobject_unref(d);
}

static void test_array_entries(void)
{
    static const struct {
        const char *json;
        int entries;
    } cases[] = {
        { "{'x.0': 1, 'x.1.a': 2, 'x.1.b': 3, 'y': 1}", 2 },
        { "{'y': 1}", 0 },
        { "{'x.0': 1, 'x.2': 1}", -EINVAL },
        { "{'x.0': 1, 'x.0.a': 2}", -EINVAL },
        { "{'x.a': 1}", -EINVAL },
        { "{'x.01': 1}", -EINVAL },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        QDict *d = dict_from(cases[i].json);

        g_assert_cmpint(qdict_array_entries(d, "x."), ==, cases[i].entries);
        qobject_unref(d);
    }
}

static void test_join(void)
{
    QDict *dest = dict_from("{'a': 1, 'b': 2}");
    QDict *src = dict_from("{'b': 3, 'c': 4}");

    qdict_join(dest, src, false);
    assert_json(QOBJECT(dest), "{'a': 1, 'b': 2, 'c': 4}");
    assert_json(QOBJECT(src), "{'b': 3}");
    qdict_join(dest, src, true);
    assert_json(QOBJECT(dest), "{'a': 1, 'b': 3, 'c': 4}");
    g_assert_cmpuint(qdict_size(src), ==, 0);
    qobject_unref(dest);
    qobject_unref(src);
}

static void test_crumple(void)
{
    QDict *d = dict_from("{'a.b': 1, 'a.c': 2, 'l.0': 'x', 'l.1.k': 'y', "
                         "'e..f': 3, 'top': null}");
    QObject *obj = qdict_crumple(d, &error_abort);

    assert_json(obj, "{'a': {'b': 1, 'c': 2}, 'l': ['x', {'k': 'y'}], "
                "'e.f': 3, 'top': null}");
    qobject_unref(obj);

    /* Crumpling undoes flattening. */
    qobject_unref(d);
    d = dict_from("{'a': {'b': [1, {'c': 'd'}]}, 'e': 'f'}");
    obj = QOBJECT(qdict_clone_shallow(d));
    qdict_flatten(qobject_to(QDict, obj));
    {
        QObject *back = qdict_crumple(qobject_to(QDict, obj), &error_abort);

        g_assert_true(qobject_is_equal(back, QOBJECT(d)));
        qobject_unref(back);
    }
    qobject_unref(obj);
    qobject_unref(d);

    /* A top level of list indexes gives a list. */
    d = dict_from("{'1': 'b', '0': 'a'}");
    obj = qdict_crumple(d, &error_abort);
    assert_json(obj, "['a', 'b']");
    qobject_unref(obj);
    qobject_unref(d);
}

static void test_crumple_errors(void)
{
    static const struct {
        const char *json;
        const char *msg;
    } cases[] = {
        { "{'a': 1, 'a.b': 2}", "Key a prefix is already set as a dict" },
        { "{'d': 1, 'd.x': 2}", "Key d prefix is already set as a scalar" },
        { "{'l.0': 1, 'l.x': 2}", "Cannot mix list and non-list keys" },
        { "{'l.0': 1, 'l.2': 2}", "Missing list index 1" },
        { "{'a': {'b': 1}}", "Value a is not flat" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        QDict *d = dict_from(cases[i].json);
        Error *err = NULL;

        g_assert_null(qdict_crumple(d, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].msg);
        error_free(err);
        qobject_unref(d);
    }
}

static void test_rename_keys(void)
{
    static const QDictRenames renames[] = {
        { "old", "new" },
        { "absent", "other" },
        { NULL, NULL },
    };
    QDict *d = dict_from("{'old': 1, 'keep': 2}");
    Error *err = NULL;

    g_assert_true(qdict_rename_keys(d, renames, &error_abort));
    assert_json(QOBJECT(d), "{'new': 1, 'keep': 2}");
    qdict_put_int(d, "old", 3);
    g_assert_false(qdict_rename_keys(d, renames, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'new' and its alias 'old' can't be used at the same "
                    "time");
    error_free(err);
    qobject_unref(d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/block-qdict/flatten", test_flatten);
    g_test_add_func("/block-qdict/extract-subqdict", test_extract_subqdict);
    g_test_add_func("/block-qdict/array-split", test_array_split);
    g_test_add_func("/block-qdict/array-entries", test_array_entries);
    g_test_add_func("/block-qdict/join", test_join);
    g_test_add_func("/block-qdict/crumple", test_crumple);
    g_test_add_func("/block-qdict/crumple-errors", test_crumple_errors);
    g_test_add_func("/block-qdict/rename-keys", test_rename_keys);
    return g_test_run();
}
