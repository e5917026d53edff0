/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for qapi/qmp-dispatch.c and qapi/qmp-registry.c: request
 * validation with QEMU 7.2's messages, CommandNotFound, disabled, OOB
 * and -compat rules, replies with and without values, and the registry.
 */
#include "qemu/osdep.h"
#include "qapi/compat-policy.h"
#include "qapi/dealloc-visitor.h"
#include "qapi/qmp/dispatch.h"
#include "qapi/qobject-input-visitor.h"
#include "qapi/qobject-output-visitor.h"
#include "qobject-literal.h"
#include "test-qapi-schema.h"

static QmpCommandList test_commands;
static Monitor *const test_mon = (Monitor *)&test_commands;
static Monitor *seen_mon;

/* test-add: {'num': int, '*flag': bool} -> num + 1, marshalled as generated. */
static void qmp_marshal_test_add(QDict *args, QObject **ret, Error **errp)
{
    Visitor *v = qobject_input_visitor_new_qmp(QOBJECT(args));
    TestInner arg = { 0 };
    bool ok = false;

    if (visit_start_struct(v, NULL, NULL, 0, errp)) {
        if (visit_type_TestInner_members(v, &arg, errp)) {
            ok = visit_check_struct(v, errp);
        }
        visit_end_struct(v, NULL);
    }
    visit_free(v);
    if (ok) {
        *ret = QOBJECT(qnum_from_int(arg.num + 1));
    }
}

/* test-echo: boxed TestStruct in, the same TestStruct out. */
static void qmp_marshal_test_echo(QDict *args, QObject **ret, Error **errp)
{
    Visitor *v = qobject_input_visitor_new_qmp(QOBJECT(args));
    TestStruct *arg = NULL;

    if (visit_type_TestStruct(v, NULL, &arg, errp)) {
        Visitor *ov = qobject_output_visitor_new_qmp(ret);

        g_assert_true(visit_type_TestStruct(ov, "unused", &arg, errp));
        visit_complete(ov, ret);
        visit_free(ov);
    }
    visit_free(v);
    qapi_free_TestStruct(arg);
}

/*
 * test-none: takes no arguments (checked as generated code does), returns
 * nothing and records the current monitor.
 */
static void qmp_marshal_test_none(QDict *args, QObject **ret, Error **errp)
{
    Visitor *v = qobject_input_visitor_new_qmp(QOBJECT(args));
    bool ok = false;

    if (visit_start_struct(v, NULL, NULL, 0, errp)) {
        ok = visit_check_struct(v, errp);
        visit_end_struct(v, NULL);
    }
    visit_free(v);
    if (ok) {
        seen_mon = qmp_dispatch_cur_mon();
    }
}

static void qmp_marshal_test_fail(QDict *args, QObject **ret, Error **errp)
{
    error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
              "drive0");
}

static void test_register(void)
{
    QmpCommandList *cmds = &test_commands;

    qmp_register_command(cmds, "test-add", qmp_marshal_test_add,
                         QCO_NO_OPTIONS, 0);
    qmp_register_command(cmds, "test-echo", qmp_marshal_test_echo,
                         QCO_NO_OPTIONS, 0);
    qmp_register_command(cmds, "test-none", qmp_marshal_test_none,
                         QCO_ALLOW_PRECONFIG, 0);
    qmp_register_command(cmds, "test-fail", qmp_marshal_test_fail,
                         QCO_NO_OPTIONS, 0);
    qmp_register_command(cmds, "test-no-resp", qmp_marshal_test_none,
                         QCO_NO_SUCCESS_RESP, 0);
    qmp_register_command(cmds, "test-oob", qmp_marshal_test_none,
                         QCO_ALLOW_OOB, 0);
    qmp_register_command(cmds, "test-deprecated", qmp_marshal_test_none,
                         QCO_NO_OPTIONS, 1u << QAPI_DEPRECATED);
    qmp_register_command(cmds, "x-test-unstable", qmp_marshal_test_none,
                         QCO_NO_OPTIONS, 1u << QAPI_UNSTABLE);
}

/* Dispatch the literal @request and return the reply (NULL if none). */
static QObject *dispatch(const char *request, bool allow_oob)
{
    QObject *req = qlit(request);
    QDict *rsp = qmp_dispatch(&test_commands, req, allow_oob, test_mon);

    qobject_unref(req);
    return QOBJECT(rsp);
}

static void check_reply(const char *request, bool allow_oob,
                        const char *reply)
{
    QObject *rsp = dispatch(request, allow_oob);

    g_assert_nonnull(rsp);
    qlit_assert_equal(rsp, reply);
}

/*
 * Assert that @request gets {"error": {"class": @klass, "desc": @desc}}.
 * Messages quote names, so they are compared as strings, not literals.
 */
static void check_error_full(const char *request, bool allow_oob,
                             const char *klass, const char *desc)
{
    QObject *rsp = dispatch(request, allow_oob);
    QDict *dict = qobject_to(QDict, rsp);
    QDict *error;

    g_assert_nonnull(dict);
    g_assert_cmpuint(qdict_size(dict), ==, 1);
    error = qdict_get_qdict(dict, "error");
    g_assert_nonnull(error);
    g_assert_cmpuint(qdict_size(error), ==, 2);
    g_assert_cmpstr(qdict_get_str(error, "class"), ==, klass);
    g_assert_cmpstr(qdict_get_str(error, "desc"), ==, desc);
    qobject_unref(rsp);
}

static void check_error(const char *request, const char *klass,
                        const char *desc)
{
    check_error_full(request, true, klass, desc);
}

static void test_bad_requests(void)
{
    check_error("[1, 2]", "GenericError", "QMP input must be a JSON object");
    check_error("'execute'", "GenericError",
                "QMP input must be a JSON object");
    check_error("{'execute': 1}", "GenericError",
                "QMP input member 'execute' must be a string");
    check_error("{'exec-oob': true}", "GenericError",
                "QMP input member 'exec-oob' must be a string");
    check_error("{'foo': 1}", "GenericError",
                "QMP input member 'foo' is unexpected");
    check_error("{'execute': 'test-none', 'control': {}}", "GenericError",
                "QMP input member 'control' is unexpected");
    check_error("{'execute': 'test-none', 'arguments': []}", "GenericError",
                "QMP input member 'arguments' must be an object");
    check_error("{'execute': 'test-none', 'arguments': null}",
                "GenericError",
                "QMP input member 'arguments' must be an object");
    check_error("{'id': 1}", "GenericError",
                "QMP input lacks member 'execute'");
    check_error("{}", "GenericError", "QMP input lacks member 'execute'");
    check_error("{'execute': 'test-oob', 'exec-oob': 'test-oob'}",
                "GenericError",
                "QMP input member 'execute' clashes with 'exec-oob'");
}

static void test_not_found(void)
{
    check_error("{'execute': 'nosuch'}", "CommandNotFound",
                "The command nosuch has not been found");
    check_error("{'exec-oob': 'nosuch'}", "CommandNotFound",
                "The command nosuch has not been found");
}

static void test_success(void)
{
    check_reply("{'execute': 'test-add', 'arguments': {'num': 41}}", false,
                "{'return': 42}");
    /* No return value reads as an empty object; "id" is allowed. */
    check_reply("{'execute': 'test-none', 'id': {'a': [1]}}", false,
                "{'return': {}}");
    check_reply("{'execute': 'test-none', 'arguments': {}}", false,
                "{'return': {}}");
    check_reply("{'execute': 'test-echo', 'arguments': {'integer': 1,"
                " 'boolean': true, 'string': 's', 'ints': [1]}}", false,
                "{'return': {'integer': 1, 'boolean': true, 'string': 's',"
                " 'ints': [1]}}");
    /* Commands without a success response give no reply at all. */
    g_assert_null(dispatch("{'execute': 'test-no-resp'}", false));
}

static void test_current_monitor(void)
{
    seen_mon = NULL;
    g_assert_null(qmp_dispatch_cur_mon());
    check_reply("{'execute': 'test-none'}", false, "{'return': {}}");
    g_assert_true(seen_mon == test_mon);
    g_assert_null(qmp_dispatch_cur_mon());
}

static void test_command_errors(void)
{
    check_error("{'execute': 'test-fail'}", "DeviceNotFound",
                "Device 'drive0' not found");
    /* A failing command with no success response still replies. */
    check_error("{'execute': 'test-add'}", "GenericError",
                "Parameter 'num' is missing");
    check_error("{'execute': 'test-add', 'arguments': {'num': 'x'}}",
                "GenericError",
                "Invalid parameter type for 'num', expected: integer");
    check_error("{'execute': 'test-add', 'arguments': {'num': 1, 'z': 2}}",
                "GenericError", "Parameter 'z' is unexpected");
    check_error("{'execute': 'test-echo', 'arguments': {'integer': 1,"
                " 'boolean': true, 'string': 's', 'list': [{'num': 'x'}]}}",
                "GenericError",
                "Invalid parameter type for 'list[0].num', "
                "expected: integer");
    check_error("{'execute': 'test-none', 'arguments': {'x': 1}}",
                "GenericError", "Parameter 'x' is unexpected");
}

static void test_oob(void)
{
    /* Without OOB negotiated, exec-oob is just an unknown member. */
    check_error_full("{'exec-oob': 'test-oob'}", false, "GenericError",
                     "QMP input member 'exec-oob' is unexpected");
    check_reply("{'exec-oob': 'test-oob'}", true, "{'return': {}}");
    check_error("{'exec-oob': 'test-none'}", "GenericError",
                "The command test-none does not support OOB");
    /* An OOB-capable command may also run in-band. */
    check_reply("{'execute': 'test-oob'}", true, "{'return': {}}");
}

static void test_disable(void)
{
    check_reply("{'execute': 'test-none'}", false, "{'return': {}}");
    qmp_disable_command(&test_commands, "test-none", NULL);
    g_assert_false(qmp_command_is_enabled(
                       qmp_find_command(&test_commands, "test-none")));
    check_error("{'execute': 'test-none'}", "CommandNotFound",
                "Command test-none has been disabled");
    qmp_disable_command(&test_commands, "test-none", "frozen for test");
    check_error("{'execute': 'test-none'}", "CommandNotFound",
                "Command test-none has been disabled: frozen for test");
    qmp_enable_command(&test_commands, "test-none");
    check_reply("{'execute': 'test-none'}", false, "{'return': {}}");
    /* Unknown names are ignored. */
    qmp_disable_command(&test_commands, "nosuch", NULL);
    qmp_enable_command(&test_commands, "nosuch");
}

static void test_compat_policy(void)
{
    CompatPolicy saved = compat_policy;

    check_reply("{'execute': 'test-deprecated'}", false, "{'return': {}}");
    compat_policy.has_deprecated_input = true;
    compat_policy.deprecated_input = COMPAT_POLICY_INPUT_REJECT;
    check_error("{'execute': 'test-deprecated'}", "CommandNotFound",
                "Deprecated command test-deprecated disabled by policy");
    check_reply("{'execute': 'x-test-unstable'}", false, "{'return': {}}");
    /* The QMP visitors follow the global policy too. */
    check_error("{'execute': 'test-echo', 'arguments': {'integer': 1,"
                " 'boolean': true, 'string': 's', 'dep': 1}}",
                "GenericError", "Deprecated parameter dep disabled by policy");
    compat_policy.has_unstable_input = true;
    compat_policy.unstable_input = COMPAT_POLICY_INPUT_REJECT;
    check_error("{'execute': 'x-test-unstable'}", "CommandNotFound",
                "Unstable command x-test-unstable disabled by policy");
    compat_policy = saved;

    compat_policy.has_deprecated_output = true;
    compat_policy.deprecated_output = COMPAT_POLICY_OUTPUT_HIDE;
    check_reply("{'execute': 'test-echo', 'arguments': {'integer': 1,"
                " 'boolean': true, 'string': 's', 'dep': 1}}", false,
                "{'return': {'integer': 1, 'boolean': true, 'string': 's'}}");
    compat_policy = saved;
}

/* -compat deprecated-input=crash really stops the process. */
static void test_compat_crash(void)
{
    if (g_test_subprocess()) {
        compat_policy.deprecated_input = COMPAT_POLICY_INPUT_CRASH;
        qobject_unref(dispatch("{'execute': 'test-deprecated'}", false));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
}

static void count_command(const QmpCommand *cmd, void *opaque)
{
    GString *names = opaque;

    g_string_append_printf(names, "%s%s,", qmp_command_name(cmd),
                           qmp_has_success_response(cmd) ? "" : "(n)");
}

static void test_registry(void)
{
    QmpCommandList local = { 0 };
    g_autoptr(GString) names = g_string_new(NULL);
    const QmpCommand *cmd;

    /* A zeroed list is empty and usable. */
    g_assert_null(qmp_find_command(&local, "test-add"));
    qmp_for_each_command(&local, count_command, names);
    g_assert_cmpstr(names->str, ==, "");
    qmp_register_command(&local, "b", qmp_marshal_test_none,
                         QCO_NO_SUCCESS_RESP, 0);
    qmp_register_command(&local, "a", qmp_marshal_test_none,
                         QCO_ALLOW_OOB, 1u << QAPI_UNSTABLE);
    /* Registration order is kept. */
    qmp_for_each_command(&local, count_command, names);
    g_assert_cmpstr(names->str, ==, "b(n),a,");
    cmd = qmp_find_command(&local, "a");
    g_assert_nonnull(cmd);
    g_assert_cmpint(qmp_command_options(cmd), ==, QCO_ALLOW_OOB);
    g_assert_cmpuint(qmp_command_special_features(cmd), ==,
                     1u << QAPI_UNSTABLE);
    g_assert_true(qmp_command_available(cmd, true));
    g_assert_false(qmp_command_available(qmp_find_command(&local, "b"),
                                         true));
    qmp_command_list_destroy(&local);
    g_assert_null(qmp_find_command(&local, "a"));
}

static void test_helpers(void)
{
    QObject *req = qlit("{'exec-oob': 'x'}");
    Error *err = NULL;
    QDict *rsp;

    g_assert_true(qmp_is_oob(qobject_to(QDict, req)));
    qobject_unref(req);
    req = qlit("{'execute': 'x'}");
    g_assert_false(qmp_is_oob(qobject_to(QDict, req)));
    qobject_unref(req);

    error_setg(&err, "boom");
    rsp = qmp_build_error_object(err);
    qlit_assert_equal(QOBJECT(rsp),
                      "{'class': 'GenericError', 'desc': 'boom'}");
    rsp = qmp_error_response(err);
    qlit_assert_equal(QOBJECT(rsp),
                      "{'error': {'class': 'GenericError', 'desc': 'boom'}}");
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    test_register();
    g_test_add_func("/qmp/dispatch/bad-requests", test_bad_requests);
    g_test_add_func("/qmp/dispatch/not-found", test_not_found);
    g_test_add_func("/qmp/dispatch/success", test_success);
    g_test_add_func("/qmp/dispatch/current-monitor", test_current_monitor);
    g_test_add_func("/qmp/dispatch/command-errors", test_command_errors);
    g_test_add_func("/qmp/dispatch/oob", test_oob);
    g_test_add_func("/qmp/dispatch/disable", test_disable);
    g_test_add_func("/qmp/dispatch/compat-policy", test_compat_policy);
    g_test_add_func("/qmp/dispatch/compat-crash", test_compat_crash);
    g_test_add_func("/qmp/registry/basics", test_registry);
    g_test_add_func("/qmp/registry/helpers", test_helpers);
    ret = g_test_run();
    qmp_command_list_destroy(&test_commands);
    return ret;
}
