/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run the code scripts/qapi-gen.py generates for
 * tests/qapi-schema/qapi-schema-test.json: types round-trip through the
 * QObject visitors, commands go through qmp_dispatch(), events reach the
 * emit hook, and the introspection data has the expected shape.
 */
#include "qemu/osdep.h"
#include "qapi/clone-visitor.h"
#include "qapi/compat-policy.h"
#include "qapi/error.h"
#include "qapi/qobject-input-visitor.h"
#include "qapi/qobject-output-visitor.h"
#include "qapi/qmp/dispatch.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"
#include "qobject-literal.h"
#include "test-qapi-commands.h"
#include "test-qapi-emit-events.h"
#include "test-qapi-events.h"
#include "test-qapi-init-commands.h"
#include "test-qapi-introspect.h"
#include "test-qapi-visit.h"

/* --- command handlers ---------------------------------------------------- */

static int boxed_union_calls;
static int no_reply_calls;

void qmp_user_def_cmd(Error **errp)
{
}

void qmp_user_def_cmd1(UserDefOne *ud1a, Error **errp)
{
}

UserDefTwo *qmp_user_def_cmd2(UserDefOne *ud1a, bool has_ud1b,
                              UserDefOne *ud1b, bool has_name,
                              const char *name, bool has_count,
                              int64_t count, Error **errp)
{
    UserDefTwo *ret = g_new0(UserDefTwo, 1);
    UserDefOneList *ones = NULL;

    if (has_count && count < 0) {
        error_setg(errp, "count must not be negative");
        g_free(ret);
        return NULL;
    }
    ret->name = g_strdup(has_name ? name : "none");
    QAPI_LIST_PREPEND(ones, QAPI_CLONE(UserDefOne, ud1a));
    if (has_ud1b) {
        QAPI_LIST_PREPEND(ones, QAPI_CLONE(UserDefOne, ud1b));
    }
    ret->ones = ones;
    ret->has_ints = true;
    QAPI_LIST_PREPEND(ret->ints, has_count ? count : 7);
    return ret;
}

int64_t qmp_guest_get_count(int64_t a, bool has_b, int64_t b, Error **errp)
{
    return a + (has_b ? b : 0);
}

UserDefOneList *qmp_list_ones(Error **errp)
{
    return NULL;
}

void qmp_boxed_struct(UserDefZero *arg, Error **errp)
{
}

void qmp_boxed_union(UserDefFlatUnion *arg, Error **errp)
{
    g_assert_cmpint(arg->kind, ==, ENUM_ONE_VALUE2);
    g_assert_cmpint(arg->u.value2.intb, ==, 42);
    boxed_union_calls++;
}

void qmp_oob_cmd(Error **errp)
{
}

void qmp_co_cmd(Error **errp)
{
}

void qmp_no_reply(Error **errp)
{
    no_reply_calls++;
}

void qmp_old_cmd(Error **errp)
{
}

void qmp_new_cmd(Error **errp)
{
}

void qmp_hand_written(QDict *args, QObject **ret, Error **errp)
{
    *ret = QOBJECT(qnum_from_int(qdict_get_int(args, "x") * 2));
}

/* --- event sink ---------------------------------------------------------- */

static QDict *last_event;
static test_QAPIEvent last_event_id;

void test_qapi_event_emit(test_QAPIEvent event, QDict *qdict)
{
    qobject_unref(last_event);
    last_event = qobject_ref(qdict);
    last_event_id = event;
}

/* --- helpers ------------------------------------------------------------- */

/* Like qlit_assert_equal(), but leaves the caller's reference alone. */
static void check_equal(QObject *obj, const char *text)
{
    qlit_assert_equal(qobject_ref(obj), text);
}

static QObject *to_qobject(void *obj,
                           bool (*visit)(Visitor *, const char *, void **,
                                         Error **))
{
    QObject *out = NULL;
    Visitor *v = qobject_output_visitor_new(&out);

    g_assert_true(visit(v, NULL, &obj, &error_abort));
    visit_complete(v, &out);
    visit_free(v);
    return out;
}

#define TO_QOBJECT(type, obj) \
    to_qobject((obj), (bool (*)(Visitor *, const char *, void **, \
                                 Error **))visit_type_##type)

static QDict *dispatch(QmpCommandList *cmds, const char *request)
{
    QObject *req = qlit(request);
    QDict *rsp = qmp_dispatch(cmds, req, false, NULL);

    qobject_unref(req);
    return rsp;
}

static const char *error_desc(QDict *rsp)
{
    QDict *err = qdict_get_qdict(rsp, "error");

    g_assert_nonnull(err);
    return qdict_get_str(err, "desc");
}

/* --- types --------------------------------------------------------------- */

static void test_enums(void)
{
    g_assert_cmpint(ENUM_ONE__MAX, ==, 3);
    g_assert_cmpstr(EnumOne_str(ENUM_ONE_VALUE2), ==, "value2");
    g_assert_cmpstr(QEnumTwo_str(QENUM_TWO_2D), ==, "2d");
    g_assert_cmpint(EnumOne_lookup.size, ==, ENUM_ONE__MAX);
    g_assert_cmpint(EnumOne_lookup.special_features[ENUM_ONE_VALUE3], ==,
                    1u << QAPI_DEPRECATED);
    g_assert_cmpint(EnumOne_lookup.special_features[ENUM_ONE_VALUE1], ==, 0);
    g_assert_null(QEnumTwo_lookup.special_features);
    g_assert_cmpint(qapi_enum_parse(&EnumOne_lookup, "value3", -1, NULL),
                    ==, ENUM_ONE_VALUE3);
    g_assert_cmpstr(Included_str(INCLUDED_TWO), ==, "two");
}

static void test_struct_round_trip(void)
{
    g_autoptr(UserDefTwo) two = g_new0(UserDefTwo, 1);
    g_autoptr(UserDefTwo) back = NULL;
    UserDefOne *one = g_new0(UserDefOne, 1);
    QObject *obj;
    Visitor *v;

    one->integer = -5;
    one->string = g_strdup("hello");
    one->has_enum1 = true;
    one->enum1 = ENUM_ONE_VALUE2;
    one->has_q_default = true;
    one->q_default = g_strdup("dflt");
    one->has___org_qemu_x_member = true;
    one->__org_qemu_x_member = 9;
    two->name = g_strdup("two");
    QAPI_LIST_PREPEND(two->ones, one);
    two->has_shown = true;
    two->shown = 3;

    obj = TO_QOBJECT(UserDefTwo, two);
    check_equal(obj,
        "{'name': 'two', 'shown': 3, 'ones': [{'integer': -5, "
        "'string': 'hello', 'enum1': 'value2', 'default': 'dflt', "
        "'__org.qemu_x-member': 9}]}");

    v = qobject_input_visitor_new(obj);
    g_assert_true(visit_type_UserDefTwo(v, NULL, &back, &error_abort));
    visit_free(v);
    qobject_unref(obj);

    g_assert_cmpstr(back->name, ==, "two");
    g_assert_false(back->has_ints);
    g_assert_true(back->has_shown);
    g_assert_cmpint(back->ones->value->integer, ==, -5);
    g_assert_cmpstr(back->ones->value->q_default, ==, "dflt");
    g_assert_cmpint(back->ones->value->enum1, ==, ENUM_ONE_VALUE2);
    g_assert_null(back->ones->next);
    /* The base is laid out first, so the cast helper works. */
    g_assert_cmpint(qapi_UserDefOne_base(back->ones->value)->integer,
                    ==, -5);
}

static void test_struct_bad_input(void)
{
    const char *bad[] = {
        /* missing member */
        "{'ones': []}",
        /* wrong type deep inside, after allocations were made */
        ("{'name': 'x', 'ones': [{'integer': 1, 'string': 's'}, "
         "{'integer': 'no', 'string': 's'}]}"),
        /* unknown member */
        "{'name': 'x', 'ones': [], 'bogus': 1}",
        /* bad enum value */
        "{'name': 'x', 'ones': [], 'enums': ['value1', 'value9']}",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        QObject *obj = qlit(bad[i]);
        Visitor *v = qobject_input_visitor_new(obj);
        UserDefTwo *two = NULL;
        Error *err = NULL;

        g_assert_false(visit_type_UserDefTwo(v, NULL, &two, &err));
        g_assert_nonnull(err);
        g_assert_null(two);
        error_free(err);
        visit_free(v);
        qobject_unref(obj);
    }
}

static void test_builtin_ranges(void)
{
    QObject *obj = qlit("{'i': 1, 'i8': 300, 'i16': 1, 'i32': 1, 'i64': 1, "
                        "'u8': 1, 'u16': 1, 'u32': 1, 'u64': 1, 'sz': 1, "
                        "'n': 1.5, 'b': true, 's': 'x'}");
    Visitor *v = qobject_input_visitor_new(obj);
    AllBuiltins *all = NULL;
    Error *err = NULL;

    g_assert_false(visit_type_AllBuiltins(v, NULL, &all, &err));
    g_assert_null(all);
    error_free_or_abort(&err);
    visit_free(v);
    qobject_unref(obj);

    obj = qlit("{'i': 1, 'i8': -3, 'i16': 1, 'i32': 1, 'i64': 1, "
               "'u8': 255, 'u16': 1, 'u32': 1, 'u64': 1, 'sz': 1, "
               "'n': 1.5, 'b': true, 's': 'x', 'a': [1], 'nul': null}");
    v = qobject_input_visitor_new(obj);
    g_assert_true(visit_type_AllBuiltins(v, NULL, &all, &error_abort));
    g_assert_cmpint(all->i8, ==, -3);
    g_assert_cmpint(all->u8, ==, 255);
    g_assert_true(all->has_a);
    g_assert_cmpint(qobject_type(all->a), ==, QTYPE_QLIST);
    g_assert_true(all->has_nul);
    qapi_free_AllBuiltins(all);
    visit_free(v);
    qobject_unref(obj);
}

static UserDefFlatUnion *union_from(const char *text, Error **errp)
{
    QObject *obj = qlit(text);
    Visitor *v = qobject_input_visitor_new(obj);
    UserDefFlatUnion *u = NULL;

    visit_type_UserDefFlatUnion(v, NULL, &u, errp);
    visit_free(v);
    qobject_unref(obj);
    return u;
}

static void test_flat_union(void)
{
    UserDefFlatUnion *u;
    QObject *obj;
    Error *err = NULL;

    u = union_from("{'string': 's', 'kind': 'value1', 'boolean': true, "
                   "'a-b': 4}", &error_abort);
    g_assert_cmpint(u->kind, ==, ENUM_ONE_VALUE1);
    g_assert_true(u->u.value1.boolean);
    g_assert_true(u->u.value1.has_a_b);
    obj = TO_QOBJECT(UserDefFlatUnion, u);
    check_equal(obj, "{'string': 's', 'kind': 'value1', "
                      "'boolean': true, 'a-b': 4}");
    qobject_unref(obj);
    qapi_free_UserDefFlatUnion(u);

    /* A value without a branch has only the base members. */
    u = union_from("{'string': 's', 'kind': 'value3'}", &error_abort);
    g_assert_cmpint(u->kind, ==, ENUM_ONE_VALUE3);
    qapi_free_UserDefFlatUnion(u);

    /* Branch members are checked like any other. */
    u = union_from("{'string': 's', 'kind': 'value2'}", &err);
    g_assert_null(u);
    error_free_or_abort(&err);
    u = union_from("{'string': 's', 'kind': 'nope', 'intb': 1}", &err);
    g_assert_null(u);
    error_free_or_abort(&err);
}

static AltIntStrObj *alt_from(const char *text, Error **errp)
{
    QObject *obj = qlit(text);
    Visitor *v = qobject_input_visitor_new(obj);
    AltIntStrObj *alt = NULL;

    visit_type_AltIntStrObj(v, "alt", &alt, errp);
    visit_free(v);
    qobject_unref(obj);
    return alt;
}

static void test_alternate(void)
{
    g_autoptr(AltIntStrObj) i = alt_from("12", &error_abort);
    g_autoptr(AltIntStrObj) s = alt_from("'str'", &error_abort);
    g_autoptr(AltIntStrObj) o = alt_from("{'boolean': false}",
                                         &error_abort);
    AltIntStrObj *bad;
    QObject *obj;
    Error *err = NULL;

    g_assert_cmpint(i->type, ==, QTYPE_QNUM);
    g_assert_cmpint(i->u.i, ==, 12);
    g_assert_cmpint(s->type, ==, QTYPE_QSTRING);
    g_assert_cmpstr(s->u.s, ==, "str");
    g_assert_cmpint(o->type, ==, QTYPE_QDICT);
    g_assert_false(o->u.o.boolean);

    obj = TO_QOBJECT(AltIntStrObj, o);
    check_equal(obj, "{'boolean': false}");
    qobject_unref(obj);

    bad = alt_from("[1]", &err);
    g_assert_null(bad);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Invalid parameter type for 'alt', expected: "
                    "AltIntStrObj");
    error_free_or_abort(&err);
    bad = alt_from("{'boolean': 'no'}", &err);
    g_assert_null(bad);
    error_free_or_abort(&err);
}

static void test_alternate_in_struct(void)
{
    QObject *obj = qlit("{'alt': 'x', 'alts': ['value1', true, null]}");
    Visitor *v = qobject_input_visitor_new(obj);
    g_autoptr(WithAlternates) wa = NULL;
    AltEnumBoolNullList *l;

    g_assert_true(visit_type_WithAlternates(v, NULL, &wa, &error_abort));
    l = wa->alts;
    g_assert_cmpint(l->value->type, ==, QTYPE_QSTRING);
    g_assert_cmpint(l->value->u.e, ==, ENUM_ONE_VALUE1);
    g_assert_cmpint(l->next->value->type, ==, QTYPE_QBOOL);
    g_assert_cmpint(l->next->next->value->type, ==, QTYPE_QNULL);
    g_assert_false(wa->has_q_union);
    visit_free(v);
    qobject_unref(obj);
}

/* --- commands ------------------------------------------------------------ */

static void test_dispatch(void)
{
    QmpCommandList cmds = { 0 };
    QDict *rsp;

    test_qmp_init_marshal(&cmds);
    g_assert_null(qmp_find_command(&cmds, "never-cmd"));
    /* 'gen': false commands are registered by hand, as in QEMU */
    g_assert_null(qmp_find_command(&cmds, "hand-written"));
    qmp_register_command(&cmds, "hand-written", qmp_hand_written,
                         QCO_NO_OPTIONS, 0);
    g_assert_true(qmp_command_options(qmp_find_command(&cmds, "oob-cmd")) &
                  QCO_ALLOW_OOB);
    g_assert_cmpint(qmp_command_special_features(
                        qmp_find_command(&cmds, "old-cmd")), ==,
                    1u << QAPI_DEPRECATED);

    rsp = dispatch(&cmds, "{'execute': 'user-def-cmd2', 'arguments': "
                   "{'ud1a': {'integer': 1, 'string': 'a'}, "
                   "'name': 'n', 'count': 5}}");
    check_equal(QOBJECT(rsp), "{'return': {'name': 'n', 'ints': [5], "
                      "'ones': [{'integer': 1, 'string': 'a'}]}}");
    qobject_unref(rsp);

    rsp = dispatch(&cmds, "{'execute': 'user-def-cmd2', 'arguments': "
                   "{'ud1a': {'integer': 1, 'string': 'a'}, 'count': -1}}");
    g_assert_cmpstr(error_desc(rsp), ==, "count must not be negative");
    qobject_unref(rsp);

    rsp = dispatch(&cmds, "{'execute': 'user-def-cmd2', 'arguments': "
                   "{'ud1a': {'integer': 1, 'string': 'a'}, 'what': 1}}");
    g_assert_cmpstr(error_desc(rsp), ==, "Parameter 'what' is unexpected");
    qobject_unref(rsp);

    rsp = dispatch(&cmds, "{'execute': 'user-def-cmd', 'arguments': "
                   "{'x': 1}}");
    g_assert_cmpstr(error_desc(rsp), ==, "Parameter 'x' is unexpected");
    qobject_unref(rsp);

    rsp = dispatch(&cmds, "{'execute': 'guest-get-count', 'arguments': "
                   "{'a': 40, 'b': 2}}");
    check_equal(QOBJECT(rsp), "{'return': 42}");
    qobject_unref(rsp);

    rsp = dispatch(&cmds, "{'execute': 'list-ones'}");
    check_equal(QOBJECT(rsp), "{'return': []}");
    qobject_unref(rsp);

    rsp = dispatch(&cmds, "{'execute': 'boxed-union', 'arguments': "
                   "{'string': 's', 'kind': 'value2', 'intb': 42}}");
    check_equal(QOBJECT(rsp), "{'return': {}}");
    qobject_unref(rsp);
    g_assert_cmpint(boxed_union_calls, ==, 1);

    rsp = dispatch(&cmds, "{'execute': 'no-reply'}");
    g_assert_null(rsp);
    g_assert_cmpint(no_reply_calls, ==, 1);

    rsp = dispatch(&cmds, "{'execute': 'hand-written', 'arguments': "
                   "{'x': 21}}");
    check_equal(QOBJECT(rsp), "{'return': 42}");
    qobject_unref(rsp);

    qmp_command_list_destroy(&cmds);
}

/* --- events -------------------------------------------------------------- */

static void test_events(void)
{
    UserDefZero zero = { .integer = 3 };
    QDict *stamp;

    qapi_event_send_event_b("ev", false, 0, ENUM_ONE_VALUE2);
    g_assert_cmpint(last_event_id, ==, TEST_QAPI_EVENT_EVENT_B);
    g_assert_cmpstr(qdict_get_str(last_event, "event"), ==, "EVENT_B");
    check_equal(qdict_get(last_event, "data"),
                      "{'name': 'ev', 'enum': 'value2'}");
    stamp = qdict_get_qdict(last_event, "timestamp");
    g_assert_cmpint(qdict_get_int(stamp, "seconds"), >, 0);
    g_assert_true(qdict_haskey(stamp, "microseconds"));

    qapi_event_send_event_a();
    g_assert_cmpint(last_event_id, ==, TEST_QAPI_EVENT_EVENT_A);
    g_assert_false(qdict_haskey(last_event, "data"));

    qapi_event_send_event_boxed(&zero);
    check_equal(qdict_get(last_event, "data"), "{'integer': 3}");
    g_assert_cmpstr(test_QAPIEvent_str(TEST_QAPI_EVENT_EVENT_OLD), ==,
                    "EVENT_OLD");

    /* -compat deprecated-output=hide drops deprecated events. */
    qapi_event_send_event_old();
    g_assert_cmpint(last_event_id, ==, TEST_QAPI_EVENT_EVENT_OLD);
    last_event_id = TEST_QAPI_EVENT_EVENT_A;
    compat_policy.has_deprecated_output = true;
    compat_policy.deprecated_output = COMPAT_POLICY_OUTPUT_HIDE;
    qapi_event_send_event_old();
    compat_policy.has_deprecated_output = false;
    g_assert_cmpint(last_event_id, ==, TEST_QAPI_EVENT_EVENT_A);

    qobject_unref(last_event);
    last_event = NULL;
}

/* --- introspection ------------------------------------------------------- */

static QDict *find_entity(QList *schema, const char *name)
{
    const QListEntry *e;

    for (e = qlist_first(schema); e; e = qlist_next(e)) {
        QDict *d = qobject_to(QDict, qlist_entry_obj(e));

        if (!strcmp(qdict_get_str(d, "name"), name)) {
            return d;
        }
    }
    return NULL;
}

static void test_introspect(void)
{
    QObject *obj = test_qmp_schema_qobject();
    QList *schema = qobject_to(QList, obj);
    QDict *cmd, *arg, *old, *oob, *ud1a, *ud1b;
    const QListEntry *e;

    g_assert_nonnull(schema);
    g_assert_null(find_entity(schema, "never-cmd"));
    g_assert_null(find_entity(schema, "EVENT_NEVER"));
    g_assert_null(find_entity(schema, "UserDefOne"));

    cmd = find_entity(schema, "user-def-cmd2");
    g_assert_cmpstr(qdict_get_str(cmd, "meta-type"), ==, "command");
    arg = find_entity(schema, qdict_get_str(cmd, "arg-type"));
    g_assert_cmpstr(qdict_get_str(arg, "meta-type"), ==, "object");
    /* ud1a and ud1b share one numbered type; optional shows as default */
    e = qlist_first(qdict_get_qlist(arg, "members"));
    ud1a = qobject_to(QDict, qlist_entry_obj(e));
    ud1b = qobject_to(QDict, qlist_entry_obj(qlist_next(e)));
    g_assert_cmpstr(qdict_get_str(ud1b, "name"), ==, "ud1b");
    g_assert_cmpstr(qdict_get_str(ud1b, "type"), ==,
                    qdict_get_str(ud1a, "type"));
    g_assert_true(g_ascii_isdigit(qdict_get_str(ud1a, "type")[0]));
    g_assert_false(qdict_haskey(ud1a, "default"));
    g_assert_cmpint(qobject_type(qdict_get(ud1b, "default")), ==,
                    QTYPE_QNULL);

    old = find_entity(schema, "old-cmd");
    check_equal(qdict_get(old, "features"), "['deprecated']");
    oob = find_entity(schema, "oob-cmd");
    g_assert_true(qdict_get_bool(oob, "allow-oob"));
    g_assert_false(qdict_haskey(find_entity(schema, "new-cmd"),
                                "allow-oob"));
    check_equal(qdict_get(find_entity(schema, "new-cmd"), "features"),
                      "['unstable']");

    /* Sized integers collapse into 'int'; arrays are named [ELEMENT]. */
    check_equal(QOBJECT(find_entity(schema, "int")),
                      "{'name': 'int', 'meta-type': 'builtin', "
                      "'json-type': 'int'}");
    g_assert_null(find_entity(schema, "int8"));
    g_assert_nonnull(find_entity(schema, "[int]"));
    qobject_unref(obj);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qapi-generated/enums", test_enums);
    g_test_add_func("/qapi-generated/struct-round-trip",
                    test_struct_round_trip);
    g_test_add_func("/qapi-generated/struct-bad-input",
                    test_struct_bad_input);
    g_test_add_func("/qapi-generated/builtin-ranges", test_builtin_ranges);
    g_test_add_func("/qapi-generated/flat-union", test_flat_union);
    g_test_add_func("/qapi-generated/alternate", test_alternate);
    g_test_add_func("/qapi-generated/alternate-in-struct",
                    test_alternate_in_struct);
    g_test_add_func("/qapi-generated/dispatch", test_dispatch);
    g_test_add_func("/qapi-generated/events", test_events);
    g_test_add_func("/qapi-generated/introspect", test_introspect);
    return g_test_run();
}
