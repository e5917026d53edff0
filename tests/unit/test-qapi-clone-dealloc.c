/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for qapi/qapi-clone-visitor.c, qapi/qapi-dealloc-visitor.c
 * and qapi/qapi-util.c: deep copies are complete and independent,
 * freeing works on whole and on half-built objects (leaks are caught by
 * the ASan build), and the enum, bool and list helpers.
 */
#include "qemu/osdep.h"
#include "qapi/clone-visitor.h"
#include "qapi/dealloc-visitor.h"
#include "qapi/qobject-input-visitor.h"
#include "qapi/qobject-output-visitor.h"
#include "qobject-literal.h"
#include "test-qapi-schema.h"

#define FULL_STRUCT \
    "{'integer': 1, 'boolean': true, 'string': 'str'," \
    " 'inner': {'num': 7, 'flag': false}," \
    " 'list': [{'num': 1}, {'num': 2, 'flag': true}], 'ints': [3, 4]," \
    " 'e': 'two', 'u8': 9, 'num': 0.5, 'any': {'k': ['v']}, 'nul': null," \
    " 'alt': 'alt-string', 'dep': 5}"

static TestStruct *parse_struct(const char *text)
{
    QObject *obj = qlit(text);
    Visitor *v = qobject_input_visitor_new(obj);
    TestStruct *s = NULL;

    g_assert_true(visit_type_TestStruct(v, NULL, &s, &error_abort));
    visit_free(v);
    qobject_unref(obj);
    return s;
}

static QObject *unparse_struct(TestStruct *s)
{
    QObject *result = NULL;
    Visitor *v = qobject_output_visitor_new(&result);

    g_assert_true(visit_type_TestStruct(v, NULL, &s, &error_abort));
    visit_complete(v, &result);
    visit_free(v);
    return result;
}

static void test_clone_struct(void)
{
    TestStruct *src = parse_struct(FULL_STRUCT);
    TestStruct *dst = QAPI_CLONE(TestStruct, src);

    /* Nothing is shared but immutable QObjects. */
    g_assert_true(dst != src);
    g_assert_true(dst->string != src->string);
    g_assert_true(dst->inner != src->inner);
    g_assert_true(dst->list != src->list);
    g_assert_true(dst->list->next != src->list->next);
    g_assert_true(dst->list->next->value != src->list->next->value);
    g_assert_true(dst->alt != src->alt);
    g_assert_true(dst->alt->u.s != src->alt->u.s);
    qapi_free_TestStruct(src);
    qlit_assert_equal(unparse_struct(dst), FULL_STRUCT);
    qapi_free_TestStruct(dst);
}

static void test_clone_null_and_lists(void)
{
    TestInnerList *list = NULL;
    TestInnerList *copy;
    TestInner *elem;

    g_assert_null(QAPI_CLONE(TestStruct, NULL));
    g_assert_null(QAPI_CLONE(TestInnerList, NULL));

    elem = g_new0(TestInner, 1);
    elem->num = 2;
    QAPI_LIST_PREPEND(list, elem);
    elem = g_new0(TestInner, 1);
    elem->num = 1;
    QAPI_LIST_PREPEND(list, elem);
    g_assert_cmpuint(QAPI_LIST_LENGTH(list), ==, 2);

    copy = QAPI_CLONE(TestInnerList, list);
    qapi_free_TestInnerList(list);
    g_assert_cmpuint(QAPI_LIST_LENGTH(copy), ==, 2);
    g_assert_cmpint(copy->value->num, ==, 1);
    g_assert_cmpint(copy->next->value->num, ==, 2);
    qapi_free_TestInnerList(copy);
}

static void test_clone_members(void)
{
    TestUnion src = {
        .kind = TEST_ENUM_TWO, .common = (char *)"c",
        .u.two = { .string = (char *)"inside", .has_ints = true },
    };
    TestInner inner_src = { .num = 4, .has_flag = true, .flag = true };
    TestInner inner_dst;
    TestStruct dst;
    intList one = { .next = NULL, .value = 6 };

    src.u.two.ints = &one;
    QAPI_CLONE_MEMBERS(TestStruct, &dst, &src.u.two);
    g_assert_true(dst.string != src.u.two.string);
    g_assert_cmpstr(dst.string, ==, "inside");
    g_assert_true(dst.ints != &one);
    g_assert_cmpint(dst.ints->value, ==, 6);
    g_free(dst.string);
    qapi_free_intList(dst.ints);

    QAPI_CLONE_MEMBERS(TestInner, &inner_dst, &inner_src);
    g_assert_cmpint(inner_dst.num, ==, 4);
    g_assert_true(inner_dst.has_flag && inner_dst.flag);
}

static void test_list_append(void)
{
    intList *head = NULL, **tail = &head;
    int64_t i;

    for (i = 0; i < 5; i++) {
        QAPI_LIST_APPEND(tail, i * 10);
    }
    g_assert_cmpuint(QAPI_LIST_LENGTH(head), ==, 5);
    g_assert_cmpint(head->value, ==, 0);
    g_assert_cmpint(head->next->next->next->next->value, ==, 40);
    qapi_free_intList(head);
}

static void test_enum_parse(void)
{
    Error *err = NULL;

    g_assert_cmpstr(qapi_enum_lookup(&TestEnum_lookup, TEST_ENUM_TWO), ==,
                    "two");
    g_assert_cmpint(qapi_enum_parse(&TestEnum_lookup, "old", -1,
                                    &error_abort), ==, TEST_ENUM_OLD);
    /* NULL means "not given": the default, and no error. */
    g_assert_cmpint(qapi_enum_parse(&TestEnum_lookup, NULL, 7,
                                    &error_abort), ==, 7);
    g_assert_cmpint(qapi_enum_parse(&TestEnum_lookup, "three", 5, &err),
                    ==, 5);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "invalid parameter value: three");
    error_free_or_abort(&err);
}

static void test_bool_parse(void)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };
    Error *err = NULL;
    bool value;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        value = false;
        g_assert_true(qapi_bool_parse("p", yes[i], &value, &error_abort));
        g_assert_true(value);
        g_assert_true(qapi_bool_parse("p", no[i], &value, &error_abort));
        g_assert_false(value);
    }
    g_assert_false(qapi_bool_parse("prealloc", "ON", &value, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'prealloc' expects 'on' or 'off'");
    error_free_or_abort(&err);
    g_assert_false(qapi_bool_parse("p", "", &value, &err));
    error_free_or_abort(&err);
}

static void test_dealloc_null_and_partial(void)
{
    TestStruct *s = g_new0(TestStruct, 1);
    TestAlt *alt = g_new0(TestAlt, 1);

    qapi_free_TestStruct(NULL);
    qapi_free_TestUnion(NULL);

    /* Half-built: required string unset, a list whose element is NULL. */
    s->has_list = true;
    s->list = g_new0(TestInnerList, 1);
    s->has_any = true;
    qapi_free_TestStruct(s);

    alt->type = QTYPE_QSTRING;
    alt->u.s = g_strdup("x");
    qapi_free_TestAlt(alt);
}

/* Dealloc returns every pointer it freed as NULL. */
static void test_dealloc_clears(void)
{
    TestStruct *s = parse_struct(FULL_STRUCT);
    Visitor *v = qapi_dealloc_visitor_new();

    g_assert_true(visit_type_TestStruct(v, NULL, &s, NULL));
    g_assert_null(s);
    visit_free(v);
}

/* A union freed through its generated function releases its branch. */
static void test_dealloc_union(void)
{
    QObject *obj = qlit("{'kind': 'two', 'common': 'c', 'integer': 1,"
                        " 'boolean': true, 'string': 's',"
                        " 'list': [{'num': 1}], 'any': 'x'}");
    Visitor *v = qobject_input_visitor_new(obj);
    TestUnion *u = NULL;
    TestUnion *copy;

    g_assert_true(visit_type_TestUnion(v, NULL, &u, &error_abort));
    visit_free(v);
    copy = QAPI_CLONE(TestUnion, u);
    qapi_free_TestUnion(u);
    g_assert_cmpstr(copy->u.two.string, ==, "s");
    g_assert_cmpint(copy->u.two.list->value->num, ==, 1);
    qapi_free_TestUnion(copy);
    qobject_unref(obj);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qapi/clone/struct", test_clone_struct);
    g_test_add_func("/qapi/clone/null-and-lists", test_clone_null_and_lists);
    g_test_add_func("/qapi/clone/members", test_clone_members);
    g_test_add_func("/qapi/util/list-append", test_list_append);
    g_test_add_func("/qapi/util/enum-parse", test_enum_parse);
    g_test_add_func("/qapi/util/bool-parse", test_bool_parse);
    g_test_add_func("/qapi/dealloc/null-and-partial",
                    test_dealloc_null_and_partial);
    g_test_add_func("/qapi/dealloc/clears", test_dealloc_clears);
    g_test_add_func("/qapi/dealloc/union", test_dealloc_union);
    return g_test_run();
}
