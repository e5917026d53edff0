/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for util/error.c and util/error-report.c. */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"

static bool fail_with(Error **errp, const char *what)
{
    error_setg(errp, "failed to %s", what);
    return false;
}

static void test_setg(void)
{
    Error *err = NULL;

    g_assert_false(fail_with(&err, "open"));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, "failed to open");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_GENERIC_ERROR);
    g_assert_cmpstr(error_class_name(error_get_class(err)), ==,
                    "GenericError");
    error_free(err);

    /* A NULL errp means the caller does not care. */
    g_assert_false(fail_with(NULL, "open"));
}

static void test_set_class(void)
{
    Error *err = NULL;

    error_set(&err, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
              "drive0");
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'drive0' not found");
    g_assert_cmpstr(error_class_name(error_get_class(err)), ==,
                    "DeviceNotFound");
    error_free(err);
}

static void test_errno(void)
{
    Error *err = NULL;

    errno = 42;
    error_setg_errno(&err, ENOENT, "Could not open '%s'", "x.img");
    g_assert_cmpint(errno, ==, 42);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Could not open 'x.img': No such file or directory");
    error_free(err);
    err = NULL;

    error_setg_file_open(&err, EACCES, "y.img");
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Could not open 'y.img': Permission denied");
    error_free(err);
}

static void test_propagate(void)
{
    Error *local_err = NULL;
    Error *err = NULL;
    Error *second = NULL;

    error_propagate(&err, NULL);
    g_assert_null(err);

    fail_with(&local_err, "read");
    error_propagate(&err, local_err);
    g_assert_cmpstr(error_get_pretty(err), ==, "failed to read");

    /* The first error wins; the second is freed (no leak under ASan). */
    fail_with(&second, "write");
    error_propagate(&err, second);
    g_assert_cmpstr(error_get_pretty(err), ==, "failed to read");

    /* Propagating to NULL frees. */
    second = NULL;
    fail_with(&second, "flush");
    error_propagate(NULL, second);

    error_free_or_abort(&err);
    g_assert_null(err);
}

static void test_prepend_hint(void)
{
    Error *err = NULL;
    Error *local_err = NULL;
    Error *copy;

    error_prepend(&err, "ignored: ");
    g_assert_null(err);

    fail_with(&err, "seek");
    error_prepend(&err, "%s: ", "disk.img");
    g_assert_cmpstr(error_get_pretty(err), ==, "disk.img: failed to seek");
    g_assert_null(error_get_hint(err));
    error_append_hint(&err, "Try %s.\n", "again");
    error_append_hint(&err, "Or not.\n");
    g_assert_cmpstr(error_get_hint(err), ==, "Try again.\nOr not.\n");

    copy = error_copy(err);
    g_assert_cmpstr(error_get_pretty(copy), ==, "disk.img: failed to seek");
    g_assert_cmpstr(error_get_hint(copy), ==, "Try again.\nOr not.\n");
    error_free(copy);
    error_free(err);
    err = NULL;

    fail_with(&local_err, "lock");
    error_propagate_prepend(&err, local_err, "node %d: ", 3);
    g_assert_cmpstr(error_get_pretty(err), ==, "node 3: failed to lock");
    error_free(err);
}

static bool guarded(Error **errp)
{
    ERRP_GUARD();

    fail_with(errp, "guard");
    /* Safe to dereference even when the caller passed NULL. */
    g_assert_nonnull(*errp);
    error_prepend(errp, "guarded: ");
    return false;
}

static void test_errp_guard(void)
{
    Error *err = NULL;

    g_assert_false(guarded(NULL));
    g_assert_false(guarded(&err));
    g_assert_cmpstr(error_get_pretty(err), ==, "guarded: failed to guard");
    error_free(err);
}

static void test_abort_fatal(void)
{
    if (g_test_subprocess()) {
        g_set_prgname("test-prog");
        fail_with(&error_fatal, "be fatal");
        return;
    }
    g_test_trap_subprocess("/error/abort-fatal/subprocess/fatal", 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("test-prog: failed to be fatal\n");
}

static void test_fatal_subprocess(void)
{
    g_set_prgname("test-prog");
    fail_with(&error_fatal, "be fatal");
}

static void test_abort_subprocess(void)
{
    fail_with(&error_abort, "abort");
}

static void test_abort(void)
{
    g_test_trap_subprocess("/error/abort/subprocess/abort", 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*Unexpected error in fail_with()*"
                              "failed to abort*");
}

static void collect(void *opaque, const char *text)
{
    g_string_append(opaque, text);
}

static void test_report_sink(void)
{
    GString *out = g_string_new(NULL);

    error_print_set_sink(collect, out);
    error_report("no %s", "program name inside a monitor");
    warn_report("careful");
    error_location_set("-drive file=x");
    error_report("bad");
    error_location_set(NULL);
    error_print_set_sink(NULL, NULL);
    g_assert_cmpstr(out->str, ==,
                    "no program name inside a monitor\n"
                    "warning: careful\n"
                    "-drive file=x: bad\n");
    g_string_free(out, true);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/error/setg", test_setg);
    g_test_add_func("/error/set-class", test_set_class);
    g_test_add_func("/error/errno", test_errno);
    g_test_add_func("/error/propagate", test_propagate);
    g_test_add_func("/error/prepend-hint", test_prepend_hint);
    g_test_add_func("/error/errp-guard", test_errp_guard);
    g_test_add_func("/error/abort-fatal", test_abort_fatal);
    g_test_add_func("/error/abort-fatal/subprocess/fatal",
                    test_fatal_subprocess);
    g_test_add_func("/error/abort", test_abort);
    g_test_add_func("/error/abort/subprocess/abort", test_abort_subprocess);
    g_test_add_func("/error/report-sink", test_report_sink);
    return g_test_run();
}
