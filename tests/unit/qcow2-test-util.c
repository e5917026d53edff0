/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the qcow2 driver tests (see qcow2-test-util.h).
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include <sys/wait.h>
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qcow2-test-util.h"

char *tmpdir;
GString *printed;

static void capture_print(void *opaque, const char *text)
{
    g_string_append(printed, text);
}

/* Run @argv; fail the test unless it exits 0.  Returns stdout. */
char *run(const char *const *argv)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *err = NULL;
    char *out = NULL;
    int status;

    g_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL,
                          NULL, &out, &err, &status, &gerr));
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        g_error("%s failed: %s", argv[0], err);
    }
    return out;
}

char *tmp_path(const char *name, const char *suffix)
{
    return g_strdup_printf("%s/%s.%s", tmpdir, name, suffix);
}

void qemu_img_create(const char *path, const char *opts,
                            const char *backing, const char *size)
{
    if (backing) {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                      "-o", opts, "-b", backing, "-F",
                                      "qcow2", path, size, NULL }));
    } else {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                      "-o", opts, path, size, NULL }));
    }
}

void qemu_io(const char *path, const char *fmt, const char *cmd)
{
    g_free(run((const char *[]) { QEMU_IO, "-f", fmt, "-c", cmd, path,
                                  NULL }));
}

/* The whole guest view according to the real qemu-img. */
uint8_t *reference_contents(const char *path, gsize *len)
{
    g_autofree char *raw = g_strdup_printf("%s.ref", path);
    char *data = NULL;

    g_free(run((const char *[]) { QEMU_IMG, "convert", "-O", "raw", path,
                                  raw, NULL }));
    g_assert(g_file_get_contents(raw, &data, len, NULL));
    g_unlink(raw);
    return (uint8_t *)data;
}

BlockBackend *open_ro(const char *path, QDict *opts)
{
    Error *err = NULL;
    BlockBackend *blk = blk_new_open(path, NULL, opts, 0, &err);

    if (!blk) {
        g_error("open %s: %s", path, error_get_pretty(err));
    }
    return blk;
}

bool have_qemu(void)
{
    if (!g_file_test(QEMU_IMG, G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test(QEMU_IO, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("needs " QEMU_IMG " and " QEMU_IO);
        return false;
    }
    return true;
}

static void remove_tmpdir(void)
{
    GDir *dir = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *p = g_build_filename(tmpdir, name, NULL);

        g_unlink(p);
    }
    if (dir) {
        g_dir_close(dir);
    }
    g_rmdir(tmpdir);
}

void qcow2_test_init(int *argc, char ***argv, const char *name)
{
    g_autofree char *templ = g_strdup_printf("%s-XXXXXX", name);

    g_test_init(argc, argv, NULL);
    qemu_init_main_loop(&error_abort);
    bdrv_init();
    printed = g_string_new("");
    error_print_set_sink(capture_print, NULL);
    tmpdir = g_dir_make_tmp(templ, NULL);
    g_assert(tmpdir);
}

int qcow2_test_run(void)
{
    int ret = g_test_run();

    remove_tmpdir();
    g_free(tmpdir);
    g_string_free(printed, true);
    return ret;
}
