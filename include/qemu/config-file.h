/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The registry of option groups: the system binary registers each
 * command-line QemuOptsList ("drive", "machine", ...) once and finds it
 * by name when parsing options or answering query-command-line-options.
 */
#ifndef QEMU_CONFIG_FILE_H
#define QEMU_CONFIG_FILE_H

#include "qemu/option.h"

/**
 * qemu_add_opts:
 * Register @list under its name; later lookups by that name find it.
 * Registering a second list with the same name is a programming error.
 */
void qemu_add_opts(QemuOptsList *list);

/**
 * qemu_find_opts_err:
 * Return the registered list named @group, or NULL with "There is no
 * option group 'GROUP'" in @errp.
 */
QemuOptsList *qemu_find_opts_err(const char *group, Error **errp);

/**
 * qemu_find_opts:
 * Like qemu_find_opts_err() but report the error.
 */
QemuOptsList *qemu_find_opts(const char *group);

/**
 * qemu_find_opts_singleton:
 * Return the anonymous instance of the registered list @group, creating
 * it on first use (for groups like "machine" that exist once).
 */
QemuOpts *qemu_find_opts_singleton(const char *group);

/**
 * qemu_opts_list_foreach:
 * Call @func on every registered list in registration order.
 */
void qemu_opts_list_foreach(void (*func)(QemuOptsList *list, void *opaque),
                            void *opaque);

#endif
