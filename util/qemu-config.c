/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The registry of command-line option groups: a short array searched by
 * name, filled once at start-up by the system binary.
 */
#include "qemu/osdep.h"
#include "qemu/config-file.h"
#include "qemu/error-report.h"

static GPtrArray *config_groups;

void qemu_add_opts(QemuOptsList *list)
{
    if (!config_groups) {
        config_groups = g_ptr_array_new();
    }
    assert(list->name && !qemu_find_opts_err(list->name, NULL));
    g_ptr_array_add(config_groups, list);
}

QemuOptsList *qemu_find_opts_err(const char *group, Error **errp)
{
    guint i;

    for (i = 0; config_groups && i < config_groups->len; i++) {
        QemuOptsList *list = g_ptr_array_index(config_groups, i);

        if (g_str_equal(list->name, group)) {
            return list;
        }
    }
    error_setg(errp, "There is no option group '%s'", group);
    return NULL;
}

QemuOptsList *qemu_find_opts(const char *group)
{
    Error *err = NULL;
    QemuOptsList *list = qemu_find_opts_err(group, &err);

    if (!list) {
        error_report_err(err);
    }
    return list;
}

QemuOpts *qemu_find_opts_singleton(const char *group)
{
    QemuOptsList *list = qemu_find_opts(group);
    QemuOpts *opts;

    assert(list);
    opts = qemu_opts_find(list, NULL);
    if (!opts) {
        opts = qemu_opts_create(list, NULL, 0, &error_abort);
    }
    return opts;
}

void qemu_opts_list_foreach(void (*func)(QemuOptsList *list, void *opaque),
                            void *opaque)
{
    guint i;

    for (i = 0; config_groups && i < config_groups->len; i++) {
        func(g_ptr_array_index(config_groups, i), opaque);
    }
}
