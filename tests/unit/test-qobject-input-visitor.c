/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for qapi/qobject-input-visitor.c and the input side of
 * qapi/qapi-visit-core.c: every error message (worded as QEMU 7.2 words
 * it), member paths, optional members, lists, alternates, unions, enums,
 * integer ranges, the -compat policy and keyval mode.
 */
#include "qemu/osdep.h"
#include <math.h>
#include "qapi/compat-policy.h"
#include "qapi/qobject-input-visitor.h"
#include "qobject-literal.h"
#include "test-qapi-schema.h"

/* The members TestStruct requires, to prefix literals with. */
#define BASE "'integer': 1, 'boolean': true, 'string': 's'"
#define KV_BASE "'integer': '1', 'boolean': 'on', 'string': 's'"

/* Visit @text as a TestStruct; return it (NULL on error, in *errp). */
static TestStruct *input_struct(const char *text, bool keyval,
                                const CompatPolicy *policy, Error **errp)
{
    QObject *obj = qlit(text);
    Visitor *v = keyval ? qobject_input_visitor_new_keyval(obj)
                        : qobject_input_visitor_new(obj);
    TestStruct *s = NULL;
    bool ok;

    if (policy) {
        visit_set_policy(v, policy);
    }
    ok = visit_type_TestStruct(v, NULL, &s, errp);
    g_assert_true(ok == (s != NULL));
    visit_free(v);
    qobject_unref(obj);
    return s;
}

/* Assert that visiting @text fails with exactly @msg. */
static void check_error_full(const char *text, bool keyval,
                             const CompatPolicy *policy, const char *msg)
{
    Error *err = NULL;
    TestStruct *s = input_struct(text, keyval, policy, &err);

    g_assert_null(s);
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_GENERIC_ERROR);
    error_free(err);
}

static void check_error(const char *text, const char *msg)
{
    check_error_full(text, false, NULL, msg);
}

static void check_kv_error(const char *text, const char *msg)
{
    check_error_full(text, true, NULL, msg);
}

static void test_struct_full(void)
{
    TestStruct *s = input_struct(
        "{" BASE ", 'inner': {'num': 7, 'flag': false},"
        " 'list': [{'num': 1}, {'num': 2, 'flag': true}],"
        " 'ints': [3, -4], 'e': 'two', 'u8': 255, 'i16': -32768,"
        " 'u64': 18446744073709551615, 'sz': 4096, 'num': 2.5,"
        " 'any': {'a': [1, 'b']}, 'nul': null, 'alt': 'x', 'dep': 9}",
        false, NULL, &error_abort);

    g_assert_cmpint(s->integer, ==, 1);
    g_assert_true(s->boolean);
    g_assert_cmpstr(s->string, ==, "s");
    g_assert_true(s->has_inner);
    g_assert_cmpint(s->inner->num, ==, 7);
    g_assert_true(s->inner->has_flag);
    g_assert_false(s->inner->flag);
    g_assert_cmpint(s->list->value->num, ==, 1);
    g_assert_false(s->list->value->has_flag);
    g_assert_cmpint(s->list->next->value->num, ==, 2);
    g_assert_true(s->list->next->value->flag);
    g_assert_null(s->list->next->next);
    g_assert_cmpint(s->ints->value, ==, 3);
    g_assert_cmpint(s->ints->next->value, ==, -4);
    g_assert_cmpint(s->e, ==, TEST_ENUM_TWO);
    g_assert_cmpint(s->u8, ==, 255);
    g_assert_cmpint(s->i16, ==, -32768);
    g_assert_cmpuint(s->u64, ==, UINT64_MAX);
    g_assert_cmpuint(s->sz, ==, 4096);
    g_assert_cmpfloat(s->num, ==, 2.5);
    qlit_assert_equal(qobject_ref(s->any), "{'a': [1, 'b']}");
    g_assert_true(s->has_nul && s->nul);
    g_assert_cmpint(s->alt->type, ==, QTYPE_QSTRING);
    g_assert_cmpstr(s->alt->u.s, ==, "x");
    g_assert_true(s->has_dep);
    g_assert_cmpint(s->dep, ==, 9);
    qapi_free_TestStruct(s);
}

static void test_optional_absent(void)
{
    TestStruct *s = input_struct("{" BASE "}", false, NULL, &error_abort);

    g_assert_false(s->has_inner || s->has_list || s->has_ints || s->has_e);
    g_assert_false(s->has_u8 || s->has_any || s->has_nul || s->has_alt);
    g_assert_null(s->inner);
    qapi_free_TestStruct(s);

    /* An empty list is present and NULL. */
    s = input_struct("{" BASE ", 'ints': []}", false, NULL, &error_abort);
    g_assert_true(s->has_ints);
    g_assert_null(s->ints);
    qapi_free_TestStruct(s);
}

static void test_missing_unexpected(void)
{
    check_error("{}", "Parameter 'integer' is missing");
    check_error("{'integer': 1, 'boolean': true}",
                "Parameter 'string' is missing");
    check_error("{" BASE ", 'zzz': null}", "Parameter 'zzz' is unexpected");
    check_error("{" BASE ", 'inner': {}}", "Parameter 'inner.num' is missing");
    check_error("{" BASE ", 'inner': {'num': 1, 'x': 2}}",
                "Parameter 'inner.x' is unexpected");
    check_error("{" BASE ", 'list': [{'num': 1}, {}]}",
                "Parameter 'list[1].num' is missing");
    check_error("{" BASE ", 'list': [{'num': 1, 'flag': true, 'y': 0}]}",
                "Parameter 'list[0].y' is unexpected");
}

static void test_wrong_types(void)
{
    check_error("{'integer': 'x'}",
                "Invalid parameter type for 'integer', expected: integer");
    check_error("{'integer': 1.5}",
                "Invalid parameter type for 'integer', expected: integer");
    check_error("{'integer': 18446744073709551615}",
                "Invalid parameter type for 'integer', expected: integer");
    check_error("{'integer': 1, 'boolean': 1}",
                "Invalid parameter type for 'boolean', expected: boolean");
    check_error("{'integer': 1, 'boolean': true, 'string': null}",
                "Invalid parameter type for 'string', expected: string");
    check_error("{" BASE ", 'inner': 1}",
                "Invalid parameter type for 'inner', expected: object");
    check_error("{" BASE ", 'inner': {'num': 1, 'flag': 'yes'}}",
                "Invalid parameter type for 'inner.flag', expected: boolean");
    check_error("{" BASE ", 'list': {}}",
                "Invalid parameter type for 'list', expected: array");
    check_error("{" BASE ", 'list': [1]}",
                "Invalid parameter type for 'list[0]', expected: object");
    check_error("{" BASE ", 'list': [{'num': 1}, {'num': 1, 'flag': 0}]}",
                "Invalid parameter type for 'list[1].flag', "
                "expected: boolean");
    check_error("{" BASE ", 'ints': [1, 'x']}",
                "Invalid parameter type for 'ints[1]', expected: integer");
    check_error("{" BASE ", 'num': 'x'}",
                "Invalid parameter type for 'num', expected: number");
    check_error("{" BASE ", 'nul': 0}",
                "Invalid parameter type for 'nul', expected: null");
    check_error("{" BASE ", 'e': 1}",
                "Invalid parameter type for 'e', expected: string");
}

static void test_unsigned(void)
{
    TestStruct *s;

    /* Negative numbers wrap for uint64, as QEMU has always accepted. */
    s = input_struct("{" BASE ", 'u64': -1, 'sz': 0}", false, NULL,
                     &error_abort);
    g_assert_cmpuint(s->u64, ==, UINT64_MAX);
    qapi_free_TestStruct(s);

    check_error("{" BASE ", 'u64': 'x'}", "Parameter 'u64' expects uint64");
    check_error("{" BASE ", 'u64': 1.5}", "Parameter 'u64' expects uint64");
    check_error("{" BASE ", 'sz': true}", "Parameter 'sz' expects uint64");
    check_error("{" BASE ", 'inner': {'num': 1}, 'u8': 'x'}",
                "Parameter 'u8' expects uint64");
}

static void test_ranges(void)
{
    check_error("{" BASE ", 'u8': 256}", "Parameter 'u8' expects uint8_t");
    check_error("{" BASE ", 'u8': -1}", "Parameter 'u8' expects uint8_t");
    check_error("{" BASE ", 'i16': 32768}", "Parameter 'i16' expects int16_t");
    check_error("{" BASE ", 'i16': -32769}",
                "Parameter 'i16' expects int16_t");
}

/* Each sized type at its limits, through bare scalar visits. */
static void test_sized_scalars(void)
{
    QObject *obj = qlit("{'a': 127, 'b': -129, 'c': 65535, 'd': 65536,"
                        " 'e': 2147483647, 'f': -2147483649,"
                        " 'g': 4294967295, 'h': 4294967296}");
    Visitor *v = qobject_input_visitor_new(obj);
    int8_t i8;
    int32_t i32;
    uint16_t u16;
    uint32_t u32;
    Error *err = NULL;

    g_assert_true(visit_start_struct(v, NULL, NULL, 0, &error_abort));
    g_assert_true(visit_type_int8(v, "a", &i8, &error_abort));
    g_assert_cmpint(i8, ==, 127);
    g_assert_false(visit_type_int8(v, "b", &i8, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'b' expects int8_t");
    error_free_or_abort(&err);
    g_assert_true(visit_type_uint16(v, "c", &u16, &error_abort));
    g_assert_cmpuint(u16, ==, 65535);
    g_assert_false(visit_type_uint16(v, "d", &u16, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'd' expects uint16_t");
    error_free_or_abort(&err);
    g_assert_true(visit_type_int32(v, "e", &i32, &error_abort));
    g_assert_cmpint(i32, ==, INT32_MAX);
    g_assert_false(visit_type_int32(v, "f", &i32, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'f' expects int32_t");
    error_free_or_abort(&err);
    g_assert_true(visit_type_uint32(v, "g", &u32, &error_abort));
    g_assert_cmpuint(u32, ==, UINT32_MAX);
    g_assert_false(visit_type_uint32(v, "h", &u32, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'h' expects uint32_t");
    error_free_or_abort(&err);
    g_assert_true(visit_check_struct(v, &error_abort));
    visit_end_struct(v, NULL);
    visit_free(v);
    qobject_unref(obj);
}

/* Unnamed list elements are called "null" in range and enum errors. */
static void test_list_leftovers(void)
{
    QObject *obj = qlit("{'ints': [300, 2]}");
    Visitor *v = qobject_input_visitor_new(obj);
    Error *err = NULL;
    uint8_t u8;

    g_assert_true(visit_start_struct(v, NULL, NULL, 0, &error_abort));
    g_assert_true(visit_start_list(v, "ints", NULL, 0, &error_abort));
    g_assert_false(visit_type_uint8(v, NULL, &u8, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'null' expects uint8_t");
    error_free_or_abort(&err);
    g_assert_false(visit_check_list(v, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Only 1 list elements expected in ints");
    error_free_or_abort(&err);
    visit_end_list(v, NULL);
    visit_end_struct(v, NULL);
    visit_free(v);
    qobject_unref(obj);
}

static void test_enum(void)
{
    TestStruct *s;
    CompatPolicy reject = {
        .has_deprecated_input = true,
        .deprecated_input = COMPAT_POLICY_INPUT_REJECT,
    };

    check_error("{" BASE ", 'e': 'bad'}",
                "Parameter 'e' does not accept value 'bad'");
    /* Enum values are named by the member alone, even when nested. */
    s = input_struct("{" BASE ", 'e': 'old'}", false, NULL, &error_abort);
    g_assert_cmpint(s->e, ==, TEST_ENUM_OLD);
    qapi_free_TestStruct(s);
    check_error_full("{" BASE ", 'e': 'old'}", false, &reject,
                     "Deprecated value old disabled by policy");
    s = input_struct("{" BASE ", 'e': 'one'}", false, &reject, &error_abort);
    g_assert_cmpint(s->e, ==, TEST_ENUM_ONE);
    qapi_free_TestStruct(s);
}

static void test_deprecated_member(void)
{
    CompatPolicy reject = {
        .has_deprecated_input = true,
        .deprecated_input = COMPAT_POLICY_INPUT_REJECT,
    };
    CompatPolicy unstable_only = {
        .has_unstable_input = true,
        .unstable_input = COMPAT_POLICY_INPUT_REJECT,
    };
    TestStruct *s;

    check_error_full("{" BASE ", 'dep': 1}", false, &reject,
                     "Deprecated parameter dep disabled by policy");
    /* Absent, the member is no problem. */
    s = input_struct("{" BASE "}", false, &reject, &error_abort);
    qapi_free_TestStruct(s);
    s = input_struct("{" BASE ", 'dep': 2}", false, &unstable_only,
                     &error_abort);
    g_assert_cmpint(s->dep, ==, 2);
    qapi_free_TestStruct(s);
}

/* Visit @text as a TestAlt named "alt" at the top level. */
static TestAlt *input_alt(const char *text, Error **errp)
{
    QObject *obj = qlit(text);
    Visitor *v = qobject_input_visitor_new(obj);
    TestAlt *alt = NULL;

    visit_type_TestAlt(v, "alt", &alt, errp);
    visit_free(v);
    qobject_unref(obj);
    return alt;
}

static void test_alternate(void)
{
    Error *err = NULL;
    TestAlt *alt;

    alt = input_alt("42", &error_abort);
    g_assert_cmpint(alt->type, ==, QTYPE_QNUM);
    g_assert_cmpint(alt->u.i, ==, 42);
    qapi_free_TestAlt(alt);

    alt = input_alt("{'num': 3, 'flag': true}", &error_abort);
    g_assert_cmpint(alt->type, ==, QTYPE_QDICT);
    g_assert_cmpint(alt->u.o.num, ==, 3);
    g_assert_true(alt->u.o.flag);
    qapi_free_TestAlt(alt);

    g_assert_null(input_alt("true", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid parameter type for 'alt', expected: TestAlt");
    error_free_or_abort(&err);

    g_assert_null(input_alt("{'flag': true}", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'alt.num' is missing");
    error_free_or_abort(&err);

    g_assert_null(input_alt("1.5", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid parameter type for 'alt', expected: integer");
    error_free_or_abort(&err);

    /* Inside a struct, the branch is reached through the member. */
    check_error("{" BASE ", 'alt': {'num': 1, 'q': 1}}",
                "Parameter 'alt.q' is unexpected");
    check_error("{" BASE ", 'alt': null}",
                "Invalid parameter type for 'alt', expected: TestAlt");
}

/* Visit @text as a TestUnion. */
static TestUnion *input_union(const char *text, Error **errp)
{
    QObject *obj = qlit(text);
    Visitor *v = qobject_input_visitor_new(obj);
    TestUnion *u = NULL;

    visit_type_TestUnion(v, NULL, &u, errp);
    visit_free(v);
    qobject_unref(obj);
    return u;
}

static void check_union_error(const char *text, const char *msg)
{
    Error *err = NULL;

    g_assert_null(input_union(text, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_union(void)
{
    TestUnion *u;

    u = input_union("{'kind': 'one', 'common': 'c', 'num': 5}",
                    &error_abort);
    g_assert_cmpint(u->kind, ==, TEST_ENUM_ONE);
    g_assert_cmpstr(u->common, ==, "c");
    g_assert_cmpint(u->u.one.num, ==, 5);
    qapi_free_TestUnion(u);

    u = input_union("{'kind': 'two', 'common': 'c', " BASE
                    ", 'list': [{'num': 8}]}", &error_abort);
    g_assert_cmpint(u->u.two.list->value->num, ==, 8);
    qapi_free_TestUnion(u);

    u = input_union("{'kind': 'old', 'common': 'c'}", &error_abort);
    g_assert_cmpint(u->kind, ==, TEST_ENUM_OLD);
    qapi_free_TestUnion(u);

    check_union_error("{'kind': 'zz'}",
                      "Parameter 'kind' does not accept value 'zz'");
    check_union_error("{'common': 'c'}", "Parameter 'kind' is missing");
    check_union_error("{'kind': 'one', 'common': 'c'}",
                      "Parameter 'num' is missing");
    check_union_error("{'kind': 'two', 'common': 'c', " BASE
                      ", 'list': [{'num': 1}, {'num': 'x'}]}",
                      "Invalid parameter type for 'list[1].num', "
                      "expected: integer");
    check_union_error("{'kind': 'one', 'common': 'c', 'num': 1, "
                      "'integer': 1}",
                      "Parameter 'integer' is unexpected");
}

static void test_root_scalars(void)
{
    QObject *obj = qlit("'text'");
    Visitor *v = qobject_input_visitor_new(obj);
    TestInner *inner = NULL;
    Error *err = NULL;
    char *str = NULL;
    int64_t i;

    g_assert_true(visit_type_str(v, "arg", &str, &error_abort));
    g_assert_cmpstr(str, ==, "text");
    g_free(str);
    /* The root can be visited once only. */
    g_assert_false(visit_type_int(v, "arg", &i, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'arg' is missing");
    error_free_or_abort(&err);
    visit_free(v);

    v = qobject_input_visitor_new(obj);
    g_assert_false(visit_type_TestInner(v, "arg", &inner, &err));
    g_assert_null(inner);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid parameter type for 'arg', expected: object");
    error_free_or_abort(&err);
    visit_free(v);
    qobject_unref(obj);
}

static void test_keyval_values(void)
{
    TestStruct *s = input_struct(
        "{'integer': '-42', 'boolean': 'off', 'string': '7',"
        " 'inner': {'num': '0x10', 'flag': 'yes'},"
        " 'list': [{'num': '1'}], 'ints': ['1', '010'], 'e': 'two',"
        " 'u8': '255', 'u64': '-1', 'sz': '1.5k', 'num': '2.5e1',"
        " 'nul': '', 'alt': 'str'}", true, NULL, &error_abort);

    g_assert_cmpint(s->integer, ==, -42);
    g_assert_false(s->boolean);
    g_assert_cmpstr(s->string, ==, "7");
    g_assert_cmpint(s->inner->num, ==, 16);
    g_assert_true(s->inner->flag);
    g_assert_cmpint(s->list->value->num, ==, 1);
    /* Leading 0 means octal, as strtoll() and QEMU read it. */
    g_assert_cmpint(s->ints->next->value, ==, 8);
    g_assert_cmpint(s->e, ==, TEST_ENUM_TWO);
    g_assert_cmpuint(s->u8, ==, 255);
    g_assert_cmpuint(s->u64, ==, UINT64_MAX);
    g_assert_cmpuint(s->sz, ==, 1536);
    g_assert_cmpfloat(s->num, ==, 25.0);
    g_assert_nonnull(s->nul);
    g_assert_cmpint(s->alt->type, ==, QTYPE_QSTRING);
    qapi_free_TestStruct(s);
}

static void test_keyval_sizes(void)
{
    static const struct {
        const char *text;
        uint64_t value;
    } good[] = {
        { "0", 0 }, { "512", 512 }, { "1b", 1 }, { "4k", 4096 },
        { "4K", 4096 }, { "2M", 2 * MiB }, { "1G", GiB }, { "3T", 3 * TiB },
        { "1P", PiB }, { "1E", EiB }, { "0x100", 256 }, { "0.5M", 512 * KiB },
    };
    static const char *const bad[] = {
        "", "x", "-1", "1x", "1kk", "1.5", "16E", "1 ", "1e3",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(good); i++) {
        g_autofree char *text = g_strdup_printf("{" KV_BASE ", 'sz': '%s'}",
                                                good[i].text);
        TestStruct *s = input_struct(text, true, NULL, &error_abort);

        g_assert_cmpuint(s->sz, ==, good[i].value);
        qapi_free_TestStruct(s);
    }
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        g_autofree char *text = g_strdup_printf("{" KV_BASE ", 'sz': '%s'}",
                                                bad[i]);

        check_kv_error(text, "Parameter 'sz' expects size");
    }
}

static void test_keyval_errors(void)
{
    check_kv_error("{'integer': 'x'}", "Parameter 'integer' expects integer");
    check_kv_error("{'integer': ''}", "Parameter 'integer' expects integer");
    check_kv_error("{'integer': '1k'}", "Parameter 'integer' expects integer");
    check_kv_error("{'integer': '99999999999999999999'}",
                   "Parameter 'integer' expects integer");
    check_kv_error("{'integer': 1}",
                   "Invalid parameter type for 'integer', expected: string");
    check_kv_error("{'integer': '1', 'boolean': 'x'}",
                   "Parameter 'boolean' expects 'on' or 'off'");
    check_kv_error("{'integer': '1', 'boolean': 'on', 'string': {}}",
                   "Invalid parameter type for 'string', expected: string");
    check_kv_error("{" KV_BASE ", 'u64': 'x'}",
                   "Parameter 'u64' expects integer");
    check_kv_error("{" KV_BASE ", 'u8': '256'}",
                   "Parameter 'u8' expects uint8_t");
    check_kv_error("{" KV_BASE ", 'num': 'x'}",
                   "Invalid parameter type for 'num', expected: number");
    check_kv_error("{" KV_BASE ", 'num': 'inf'}",
                   "Invalid parameter type for 'num', expected: number");
    check_kv_error("{" KV_BASE ", 'nul': 'x'}",
                   "Invalid parameter type for 'nul', expected: null");
    check_kv_error("{" KV_BASE ", 'inner': 'x'}",
                   "Invalid parameter type for 'inner', expected: object");
    /* Keyval names list elements the way they were written. */
    check_kv_error("{" KV_BASE ", 'ints': ['1', 'x']}",
                   "Parameter 'ints.1' expects integer");
    check_kv_error("{" KV_BASE ", 'list': [{'num': '1'}, {}]}",
                   "Parameter 'list.1.num' is missing");
    check_kv_error("{" KV_BASE ", 'inner': {'num': '1', 'z': '1'}}",
                   "Parameter 'inner.z' is unexpected");
}

/* Visit @str (JSON or keyval text) as a TestStruct. */
static TestStruct *input_str(const char *str, const char *implied_key,
                             Error **errp)
{
    Visitor *v = qobject_input_visitor_new_str(str, implied_key, errp);
    TestStruct *s = NULL;

    if (v) {
        visit_type_TestStruct(v, NULL, &s, errp);
        visit_free(v);
    }
    return s;
}

static void check_str_error(const char *str, const char *implied_key,
                            const char *msg)
{
    Error *err = NULL;

    g_assert_null(input_str(str, implied_key, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_new_str(void)
{
    TestStruct *s;

    /* Text starting with '{' is JSON, visited strictly. */
    s = input_str("{'integer': 3, 'boolean': true, 'string': 'j',"
                  " 'ints': [1]}", NULL, &error_abort);
    g_assert_cmpint(s->integer, ==, 3);
    g_assert_cmpint(s->ints->value, ==, 1);
    qapi_free_TestStruct(s);
    check_str_error("{\"integer\": \"3\"}", NULL,
                    "Invalid parameter type for 'integer', expected: "
                    "integer");

    /* Anything else is keyval, with an optional implied first key. */
    s = input_str("5,boolean=on,string=a,,b,inner.num=7,ints.0=1,ints.1=2",
                  "integer", &error_abort);
    g_assert_cmpint(s->integer, ==, 5);
    g_assert_true(s->boolean);
    g_assert_cmpstr(s->string, ==, "a,b");
    g_assert_cmpint(s->inner->num, ==, 7);
    g_assert_cmpint(s->ints->next->value, ==, 2);
    qapi_free_TestStruct(s);
    check_str_error("integer=x", NULL, "Parameter 'integer' expects integer");
    check_str_error("integer", NULL,
                    "Expected '=' after parameter 'integer'");
    check_str_error("{bad", NULL, "JSON parse error, invalid keyword 'bad'");
    check_str_error("{} x", NULL, "Expecting at most one JSON value");
}

/* A failure deep inside leaves nothing allocated (checked under ASan). */
static void test_partial_failure(void)
{
    check_error("{" BASE ", 'inner': {'num': 1}, 'ints': [1, 2],"
                " 'list': [{'num': 1}, {'num': 2}, {'num': 'x'}]}",
                "Invalid parameter type for 'list[2].num', "
                "expected: integer");
    check_error("{" BASE ", 'any': [1, {'a': 2}], 'alt': {'num': 1},"
                " 'nul': null, 'e': 'one', 'zz': 1}",
                "Parameter 'zz' is unexpected");
    check_error("{" BASE ", 'alt': 'x', 'dep': 'y'}",
                "Invalid parameter type for 'dep', expected: integer");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qapi/input/struct-full", test_struct_full);
    g_test_add_func("/qapi/input/optional-absent", test_optional_absent);
    g_test_add_func("/qapi/input/missing-unexpected",
                    test_missing_unexpected);
    g_test_add_func("/qapi/input/wrong-types", test_wrong_types);
    g_test_add_func("/qapi/input/unsigned", test_unsigned);
    g_test_add_func("/qapi/input/ranges", test_ranges);
    g_test_add_func("/qapi/input/sized-scalars", test_sized_scalars);
    g_test_add_func("/qapi/input/list-leftovers", test_list_leftovers);
    g_test_add_func("/qapi/input/enum", test_enum);
    g_test_add_func("/qapi/input/deprecated-member", test_deprecated_member);
    g_test_add_func("/qapi/input/alternate", test_alternate);
    g_test_add_func("/qapi/input/union", test_union);
    g_test_add_func("/qapi/input/root-scalars", test_root_scalars);
    g_test_add_func("/qapi/input/keyval-values", test_keyval_values);
    g_test_add_func("/qapi/input/keyval-sizes", test_keyval_sizes);
    g_test_add_func("/qapi/input/keyval-errors", test_keyval_errors);
    g_test_add_func("/qapi/input/new-str", test_new_str);
    g_test_add_func("/qapi/input/partial-failure", test_partial_failure);
    return g_test_run();
}
