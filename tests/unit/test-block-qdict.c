/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for qobject/block-qdict.c: flatten/crumple round trips,
 * sub-dict extraction, flat arrays, joins, renames and stringification.
 */
#include "qemu/osdep.h"
#include "block/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qstring.h"

static QDict *json_dict(const char *text)
{
    QObject *obj = qobject_from_json(text, &error_abort);
    QDict *qdict = qobject_to(QDict, obj);

    g_assert_nonnull(qdict);
    return qdict;
}

static void assert_equal_json(QObject *obj, const char *expected)
{
    g_autoptr(QObject) want = qobject_from_json(expected, &error_abort);

    if (!qobject_is_equal(obj, want)) {
        g_autoptr(GString) got = qobject_to_json(obj);

        g_error("got %s, expected %s", got->str, expected);
    }
}

static void test_flatten(void)
{
    g_autoptr(QDict) d = json_dict(
        "{'driver': 'qcow2', 'file': {'driver': 'file', 'filename': 'a',"
        " 'x': {'y': 1}}, 'l': [1, {'a': true}, [2, 3]],"
        " 'empty': {}, 'none': [], 'n': null}");

    qdict_flatten(d);
    assert_equal_json(QOBJECT(d),
        "{'driver': 'qcow2', 'file.driver': 'file', 'file.filename': 'a',"
        " 'file.x.y': 1, 'l.0': 1, 'l.1.a': true, 'l.2.0': 2, 'l.2.1': 3,"
        " 'empty': {}, 'none': [], 'n': null}");

    /* already flat: unchanged */
    qdict_flatten(d);
    g_assert_cmpint(qdict_size(d), ==, 11);
}

static void test_flatten_nested_empty(void)
{
    g_autoptr(QDict) d = json_dict("{'a': {'b': {}, 'c': []}, 'd': [{}]}");

    qdict_flatten(d);
    assert_equal_json(QOBJECT(d), "{'a.b': {}, 'a.c': [], 'd.0': {}}");
}

static void test_crumple(void)
{
    g_autoptr(QDict) flat = json_dict(
        "{'driver': 'qcow2', 'file.driver': 'file', 'file.filename': 'a',"
        " 'server.0.host': 'h0', 'server.1.host': 'h1', 'l.1': 'b',"
        " 'l.0': 'a', 'dot..ted.x': 'y', 'e': {}}");
    g_autoptr(QObject) nested = qdict_crumple(flat, &error_abort);

    assert_equal_json(nested,
        "{'driver': 'qcow2', 'file': {'driver': 'file', 'filename': 'a'},"
        " 'server': [{'host': 'h0'}, {'host': 'h1'}], 'l': ['a', 'b'],"
        " 'dot.ted': {'x': 'y'}, 'e': {}}");
}

static void test_crumple_top_list(void)
{
    g_autoptr(QDict) flat = json_dict("{'1': 'b', '0': 'a'}");
    g_autoptr(QObject) obj = qdict_crumple(flat, &error_abort);
    g_autoptr(QDict) empty = qdict_new();
    g_autoptr(QObject) obj2 = qdict_crumple(empty, &error_abort);

    assert_equal_json(obj, "['a', 'b']");
    assert_equal_json(obj2, "{}");
}

static void check_crumple_error(const char *json, const char *msg)
{
    g_autoptr(QDict) flat = json_dict(json);
    Error *err = NULL;

    g_assert_null(qdict_crumple(flat, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_crumple_errors(void)
{
    check_crumple_error("{'a': 1, 'a.b': 2}",
                        "Cannot mix scalar and non-scalar keys");
    check_crumple_error("{'a.b': 2, 'a': 1}",
                        "Cannot mix scalar and non-scalar keys");
    check_crumple_error("{'s.0': 1, 's.x': 2}",
                        "Cannot mix list and non-list keys");
    check_crumple_error("{'s.0': 1, 's.2': 2}",
                        "List indices are not contiguous, saw 2 elements "
                        "but 2 largest index");
    check_crumple_error("{'s.1': 1, 's.01': 2}", "Missing list index 0");
    check_crumple_error("{'a': {'b': 1}}", "Value a is not flat");
    check_crumple_error("{'a': [1]}", "Value a is not flat");
    check_crumple_error("{'x.y.a': 1, 'x.y': 2}",
                        "Cannot mix scalar and non-scalar keys");
}

/* flatten(crumple(x)) == x and crumple(flatten(y)) == y */
static void test_round_trip(void)
{
    static const char *const nested_docs[] = {
        "{'driver': 'qcow2', 'node-name': 'n', 'file': {'driver': 'file',"
        " 'filename': '/tmp/a', 'aio': 'threads'},"
        " 'backing': {'driver': 'raw', 'file': {'driver': 'null-co'}}}",
        "{'a': [{'b': [1, 2]}, {'c': {'d': 'e'}}], 'f': true}",
        "{'x': 1.5, 'y': null, 'z': ''}",
    };
    int i;

    for (i = 0; i < ARRAY_SIZE(nested_docs); i++) {
        g_autoptr(QDict) orig = json_dict(nested_docs[i]);
        g_autoptr(QDict) flat = json_dict(nested_docs[i]);
        g_autoptr(QObject) back = NULL;
        g_autoptr(QDict) flat2 = NULL;

        qdict_flatten(flat);
        back = qdict_crumple(flat, &error_abort);
        g_assert_true(qobject_is_equal(back, QOBJECT(orig)));

        flat2 = qdict_clone_shallow(qobject_to(QDict, back));
        qdict_flatten(flat2);
        g_assert_true(qobject_is_equal(QOBJECT(flat2), QOBJECT(flat)));
    }
}

static void test_extract_subqdict(void)
{
    g_autoptr(QDict) src = json_dict(
        "{'driver': 'qcow2', 'file.driver': 'file', 'file.filename': 'a',"
        " 'filex': 1, 'backing.driver': 'raw'}");
    g_autoptr(QDict) file = NULL;

    qdict_extract_subqdict(src, &file, "file.");
    assert_equal_json(QOBJECT(file), "{'driver': 'file', 'filename': 'a'}");
    assert_equal_json(QOBJECT(src),
        "{'driver': 'qcow2', 'filex': 1, 'backing.driver': 'raw'}");

    /* NULL destination: just drop them */
    qdict_extract_subqdict(src, NULL, "backing.");
    assert_equal_json(QOBJECT(src), "{'driver': 'qcow2', 'filex': 1}");
}

static void test_array_split(void)
{
    g_autoptr(QDict) src = json_dict(
        "{'0.a': 1, '0.b': 2, '1': 'x', '2.c': 3, '4': 'gap', 'o': 9}");
    g_autoptr(QList) list = NULL;

    qdict_array_split(src, &list);
    assert_equal_json(QOBJECT(list), "[{'a': 1, 'b': 2}, 'x', {'c': 3}]");
    /* elements after the gap and other keys stay */
    assert_equal_json(QOBJECT(src), "{'4': 'gap', 'o': 9}");
}

static void test_array_split_both_forms(void)
{
    g_autoptr(QDict) src = json_dict("{'0': 'a', '1': 'b', '1.x': 'c'}");
    g_autoptr(QList) list = NULL;

    qdict_array_split(src, &list);
    /* element 1 exists both ways: the array ends before it */
    assert_equal_json(QOBJECT(list), "['a']");
    g_assert_cmpint(qdict_size(src), ==, 2);
}

static void test_array_entries(void)
{
    g_autoptr(QDict) a = json_dict(
        "{'s.0.host': 'h', 's.0.port': '1', 's.1': 'x', 'other': 1}");
    g_autoptr(QDict) b = json_dict("{'s.0': 'a', 's.0.x': 'b'}");
    g_autoptr(QDict) c = json_dict("{'s.0': 'a', 's.2': 'b'}");
    g_autoptr(QDict) d = json_dict("{'s.0': 'a', 's.foo': 'b'}");
    g_autoptr(QDict) e = json_dict("{'0': 'a', '1.x': 'b'}");
    g_autoptr(QDict) f = json_dict("{'t': 1}");

    g_assert_cmpint(qdict_array_entries(a, "s."), ==, 2);
    g_assert_cmpint(qdict_array_entries(b, "s."), ==, -EINVAL);
    g_assert_cmpint(qdict_array_entries(c, "s."), ==, -EINVAL);
    g_assert_cmpint(qdict_array_entries(d, "s."), ==, -EINVAL);
    g_assert_cmpint(qdict_array_entries(e, ""), ==, 2);
    g_assert_cmpint(qdict_array_entries(f, "s."), ==, 0);
}

static void test_join(void)
{
    g_autoptr(QDict) dest = json_dict("{'a': 1, 'b': 2}");
    g_autoptr(QDict) src = json_dict("{'b': 3, 'c': 4}");
    g_autoptr(QDict) src2 = json_dict("{'b': 5, 'd': 6}");

    qdict_join(dest, src, false);
    assert_equal_json(QOBJECT(dest), "{'a': 1, 'b': 2, 'c': 4}");
    assert_equal_json(QOBJECT(src), "{'b': 3}");

    qdict_join(dest, src2, true);
    assert_equal_json(QOBJECT(dest), "{'a': 1, 'b': 5, 'c': 4, 'd': 6}");
    g_assert_cmpint(qdict_size(src2), ==, 0);
}

static void test_rename_keys(void)
{
    static const QDictRenames renames[] = {
        { "old", "new" },
        { "gone", "there" },
        { NULL, NULL }
    };
    g_autoptr(QDict) d = json_dict("{'old': 1, 'keep': 2}");
    g_autoptr(QDict) clash = json_dict("{'old': 1, 'new': 2}");
    Error *err = NULL;

    g_assert_true(qdict_rename_keys(d, renames, &error_abort));
    assert_equal_json(QOBJECT(d), "{'new': 1, 'keep': 2}");
    g_assert_false(qdict_rename_keys(clash, renames, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'new' and its alias 'old' can't be used at the same "
                    "time");
    error_free(err);
}

static void test_defaults(void)
{
    g_autoptr(QDict) src = json_dict("{'a': 'x', 'b': 'y'}");
    g_autoptr(QDict) dst = json_dict("{'b': 'z'}");

    qdict_copy_default(dst, src, "a");
    qdict_copy_default(dst, src, "b");
    qdict_copy_default(dst, src, "c");
    qdict_set_default_str(dst, "d", "w");
    qdict_set_default_str(dst, "a", "no");
    assert_equal_json(QOBJECT(dst), "{'a': 'x', 'b': 'z', 'd': 'w'}");
}

static void test_stringify(void)
{
    g_autoptr(QDict) d = json_dict(
        "{'n': 42, 'neg': -1, 'b': true, 'f': false, 's': 'str',"
        " 'sub': {'x': 7, 'l': [1, false, 'k', {'y': 2}]}, 'z': null}");

    qdict_stringify_for_keyval(d);
    assert_equal_json(QOBJECT(d),
        "{'n': '42', 'neg': '-1', 'b': 'on', 'f': 'off', 's': 'str',"
        " 'sub': {'x': '7', 'l': ['1', 'off', 'k', {'y': '2'}]},"
        " 'z': null}");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/block-qdict/flatten", test_flatten);
    g_test_add_func("/block-qdict/flatten_nested_empty",
                    test_flatten_nested_empty);
    g_test_add_func("/block-qdict/crumple", test_crumple);
    g_test_add_func("/block-qdict/crumple_top_list", test_crumple_top_list);
    g_test_add_func("/block-qdict/crumple_errors", test_crumple_errors);
    g_test_add_func("/block-qdict/round_trip", test_round_trip);
    g_test_add_func("/block-qdict/extract_subqdict", test_extract_subqdict);
    g_test_add_func("/block-qdict/array_split", test_array_split);
    g_test_add_func("/block-qdict/array_split_both_forms",
                    test_array_split_both_forms);
    g_test_add_func("/block-qdict/array_entries", test_array_entries);
    g_test_add_func("/block-qdict/join", test_join);
    g_test_add_func("/block-qdict/rename_keys", test_rename_keys);
    g_test_add_func("/block-qdict/defaults", test_defaults);
    g_test_add_func("/block-qdict/stringify", test_stringify);
    return g_test_run();
}
