/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The help listing of a QemuOptsList ("-o help", "-drive help"): one
 * sorted line per described option in the layout qemu-img prints.
 * Kept apart from qemu-option.c because it needs only the public table.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"

static const char *opt_type_to_string(QemuOptType type)
{
    switch (type) {
    case QEMU_OPT_STRING:
        return "str";
    case QEMU_OPT_BOOL:
        return "bool (on/off)";
    case QEMU_OPT_NUMBER:
        return "num";
    case QEMU_OPT_SIZE:
        return "size";
    }
    g_assert_not_reached();
}

static gint help_line_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "  name=<type>", padded to a column, then " - help" if there is one. */
static char *opt_help_line(const QemuOptDesc *desc)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "  %s=<%s>", desc->name,
                           opt_type_to_string(desc->type));
    if (desc->help) {
        while (s->len < 24) {
            g_string_append_c(s, ' ');
        }
        g_string_append_printf(s, " - %s", desc->help);
    }
    return g_string_free(s, false);
}

char *qemu_opts_help_str(QemuOptsList *list, bool print_caption)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    GString *s = g_string_new(NULL);
    const QemuOptDesc *desc;
    guint i;

    for (desc = list->desc; desc->name; desc++) {
        g_ptr_array_add(lines, opt_help_line(desc));
    }
    g_ptr_array_sort(lines, help_line_cmp);
    if (lines->len == 0) {
        if (list->name) {
            g_string_append_printf(s, "There are no options for %s.\n",
                                   list->name);
        } else {
            g_string_append(s, "No options available.\n");
        }
    } else if (print_caption) {
        if (list->name) {
            g_string_append_printf(s, "%s options:\n", list->name);
        } else {
            g_string_append(s, "Options:\n");
        }
    }
    for (i = 0; i < lines->len; i++) {
        g_string_append_printf(s, "%s\n", (char *)lines->pdata[i]);
    }
    return g_string_free(s, false);
}

void qemu_opts_print_help(QemuOptsList *list, bool print_caption)
{
    g_autofree char *s = qemu_opts_help_str(list, print_caption);

    printf("%s", s);
}
