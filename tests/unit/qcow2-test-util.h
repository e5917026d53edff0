/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the qcow2 driver tests: run the real qemu-img and
 * qemu-io, make images in a private temporary directory, open them
 * read-only through our block layer, and capture what the driver prints.
 */
#ifndef TESTS_UNIT_QCOW2_TEST_UTIL_H
#define TESTS_UNIT_QCOW2_TEST_UTIL_H

#include "block/block_int.h"
#include "block/block-backend.h"

#define QEMU_IMG "/usr/bin/qemu-img"
#define QEMU_IO "/usr/bin/qemu-io"

/* The temporary directory every image lives in. */
extern char *tmpdir;
/* What the driver printed with error_printf(), instead of stderr. */
extern GString *printed;

/* Set up the block layer, the directory and the print capture. */
void qcow2_test_init(int *argc, char ***argv, const char *name);
/* Run the tests, remove the directory; the exit status. */
int qcow2_test_run(void);

/* Run @argv; fail the test unless it exits 0.  Returns stdout. */
char *run(const char *const *argv);
/* "TMPDIR/@name.@suffix" */
char *tmp_path(const char *name, const char *suffix);
/* qemu-img create -f qcow2 -o @opts [-b @backing -F qcow2] @path @size */
void qemu_img_create(const char *path, const char *opts,
                     const char *backing, const char *size);
/* qemu-io -f @fmt -c @cmd @path */
void qemu_io(const char *path, const char *fmt, const char *cmd);
/* The whole guest view according to qemu-img convert -O raw. */
uint8_t *reference_contents(const char *path, gsize *len);
/* Open @path read-only (probing the format); fails the test if it can't. */
BlockBackend *open_ro(const char *path, QDict *opts);
/* Whether the real tools are there; marks the test skipped if not. */
bool have_qemu(void);

#endif
