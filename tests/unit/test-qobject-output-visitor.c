/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for qapi/qobject-output-visitor.c and the output side of
 * qapi/qapi-visit-core.c: every kind of value, nesting, unset strings,
 * the deprecated-output=hide policy, and input/output round trips.
 */
#include "qemu/osdep.h"
#include "qapi/compat-policy.h"
#include "qapi/qobject-input-visitor.h"
#include "qapi/qobject-output-visitor.h"
#include "qobject-literal.h"
#include "test-qapi-schema.h"

/* Visit @s with an output visitor (applying @policy) and return the tree. */
static QObject *output_struct(TestStruct *s, const CompatPolicy *policy)
{
    QObject *result = NULL;
    Visitor *v = qobject_output_visitor_new(&result);

    if (policy) {
        visit_set_policy(v, policy);
    }
    g_assert_true(visit_type_TestStruct(v, NULL, &s, &error_abort));
    visit_complete(v, &result);
    visit_free(v);
    g_assert_nonnull(result);
    return result;
}

static void test_minimal(void)
{
    TestStruct s = { .integer = -5, .boolean = false, .string = NULL };

    /* An unset string goes out as "". */
    qlit_assert_equal(output_struct(&s, NULL),
                      "{'integer': -5, 'boolean': false, 'string': ''}");
}

static void test_everything(void)
{
    TestInner inner = { .num = 7, .has_flag = true, .flag = true };
    TestInner e1 = { .num = 1 }, e2 = { .num = 2 };
    TestInnerList l2 = { .next = NULL, .value = &e2 };
    TestInnerList l1 = { .next = &l2, .value = &e1 };
    intList i2 = { .next = NULL, .value = -9 };
    intList i1 = { .next = &i2, .value = 8 };
    TestAlt alt = { .type = QTYPE_QDICT, .u.o = { .num = 4 } };
    QObject *any = qlit("{'x': [true, null]}");
    TestStruct s = {
        .integer = INT64_MIN, .boolean = true, .string = (char *)"str",
        .has_inner = true, .inner = &inner,
        .has_list = true, .list = &l1,
        .has_ints = true, .ints = &i1,
        .has_e = true, .e = TEST_ENUM_OLD,
        .has_u8 = true, .u8 = 200,
        .has_i16 = true, .i16 = -300,
        .has_u64 = true, .u64 = UINT64_MAX,
        .has_sz = true, .sz = 1024,
        .has_num = true, .num = 0.25,
        .has_any = true, .any = any,
        .has_nul = true, .nul = qnull(),
        .has_alt = true, .alt = &alt,
        .has_dep = true, .dep = 3,
    };

    qlit_assert_equal(output_struct(&s, NULL),
        "{'integer': -9223372036854775808, 'boolean': true, 'string': 'str',"
        " 'inner': {'num': 7, 'flag': true},"
        " 'list': [{'num': 1}, {'num': 2}], 'ints': [8, -9], 'e': 'old',"
        " 'u8': 200, 'i16': -300, 'u64': 18446744073709551615,"
        " 'sz': 1024, 'num': 0.25, 'any': {'x': [true, null]},"
        " 'nul': null, 'alt': {'num': 4}, 'dep': 3}");
    qobject_unref(any);
    qobject_unref(s.nul);
}

static void test_empty_list_and_alternates(void)
{
    TestAlt alt_int = { .type = QTYPE_QNUM, .u.i = 12 };
    TestAlt alt_str = { .type = QTYPE_QSTRING, .u.s = (char *)"s" };
    TestStruct s = {
        .string = (char *)"", .has_ints = true, .ints = NULL,
        .has_alt = true, .alt = &alt_int,
    };

    qlit_assert_equal(output_struct(&s, NULL),
                      "{'integer': 0, 'boolean': false, 'string': '',"
                      " 'ints': [], 'alt': 12}");
    s.alt = &alt_str;
    s.has_ints = false;
    qlit_assert_equal(output_struct(&s, NULL),
                      "{'integer': 0, 'boolean': false, 'string': '',"
                      " 'alt': 's'}");
}

static void test_hide_deprecated(void)
{
    CompatPolicy hide = {
        .has_deprecated_output = true,
        .deprecated_output = COMPAT_POLICY_OUTPUT_HIDE,
    };
    CompatPolicy hide_unstable = {
        .has_unstable_output = true,
        .unstable_output = COMPAT_POLICY_OUTPUT_HIDE,
    };
    TestStruct s = { .string = (char *)"x", .has_dep = true, .dep = 1 };

    qlit_assert_equal(output_struct(&s, &hide),
                      "{'integer': 0, 'boolean': false, 'string': 'x'}");
    qlit_assert_equal(output_struct(&s, &hide_unstable),
                      "{'integer': 0, 'boolean': false, 'string': 'x',"
                      " 'dep': 1}");
}

static void test_union(void)
{
    TestUnion u = {
        .kind = TEST_ENUM_ONE, .common = (char *)"c",
        .u.one = { .num = 5, .has_flag = true, .flag = false },
    };
    QObject *result = NULL;
    TestUnion *pu = &u;
    Visitor *v = qobject_output_visitor_new(&result);

    g_assert_true(visit_type_TestUnion(v, NULL, &pu, &error_abort));
    visit_complete(v, &result);
    visit_free(v);
    qlit_assert_equal(result, "{'kind': 'one', 'common': 'c', 'num': 5,"
                      " 'flag': false}");
}

static void test_root_scalar(void)
{
    QObject *result = NULL;
    Visitor *v = qobject_output_visitor_new(&result);
    int64_t value = 77;

    g_assert_true(visit_type_int(v, "unused", &value, &error_abort));
    visit_complete(v, &result);
    visit_free(v);
    qlit_assert_equal(result, "77");

    /* The result outlives the visitor and is unaffected by visit_free. */
    v = qobject_output_visitor_new(&result);
    g_assert_true(visit_type_TestInnerList(v, "unused", &(TestInnerList *){
                                               NULL }, &error_abort));
    visit_complete(v, &result);
    visit_free(v);
    qlit_assert_equal(result, "[]");
}

/* Input then output gives back the same tree. */
static void test_round_trip(void)
{
    static const char *const texts[] = {
        "{'integer': 1, 'boolean': true, 'string': 'a'}",
        "{'integer': 2, 'boolean': false, 'string': 'b',"
        " 'list': [{'num': 1, 'flag': true}], 'e': 'two', 'num': 1.5,"
        " 'alt': {'num': 3}, 'any': [{}, []], 'u64': 18446744073709551615}",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(texts); i++) {
        QObject *in = qlit(texts[i]);
        Visitor *v = qobject_input_visitor_new(in);
        TestStruct *s = NULL;

        g_assert_true(visit_type_TestStruct(v, NULL, &s, &error_abort));
        visit_free(v);
        qlit_assert_equal(output_struct(s, NULL), texts[i]);
        qapi_free_TestStruct(s);
        qobject_unref(in);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qapi/output/minimal", test_minimal);
    g_test_add_func("/qapi/output/everything", test_everything);
    g_test_add_func("/qapi/output/empty-list-alternates",
                    test_empty_list_and_alternates);
    g_test_add_func("/qapi/output/hide-deprecated", test_hide_deprecated);
    g_test_add_func("/qapi/output/union", test_union);
    g_test_add_func("/qapi/output/root-scalar", test_root_scalar);
    g_test_add_func("/qapi/output/round-trip", test_round_trip);
    return g_test_run();
}
