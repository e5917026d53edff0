/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The human monitor: the parser that finds a command in the table and
 * collects its arguments into a QDict, and the glue between the chardev
 * and the line editor (readline.c).
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hmp.h"
#include "sysemu/runstate.h"

/* Return the command of @table called @name (or one of its aliases). */
static const HMPCommand *hmp_find(const HMPCommand *table, const char *name)
{
    const HMPCommand *cmd;

    for (cmd = table; cmd->name; cmd++) {
        g_auto(GStrv) names = g_strsplit(cmd->name, "|", -1);

        if (g_strv_contains((const char * const *)names, name)) {
            return cmd;
        }
    }
    return NULL;
}

/* Copy the next space-separated word of *@p, advancing *@p past it. */
static char *hmp_next_word(const char **p)
{
    const char *start;

    while (g_ascii_isspace(**p)) {
        (*p)++;
    }
    start = *p;
    while (**p && !g_ascii_isspace(**p)) {
        (*p)++;
    }
    return g_strndup(start, *p - start);
}

/* Like hmp_next_word(), with double quotes grouping words. */
static char *hmp_next_arg(const char **p, Error **errp)
{
    GString *arg = g_string_new(NULL);

    while (g_ascii_isspace(**p)) {
        (*p)++;
    }
    if (**p != '"') {
        g_string_free(arg, true);
        return hmp_next_word(p);
    }
    for ((*p)++; **p && **p != '"'; (*p)++) {
        if (**p == '\\' && (*p)[1]) {
            (*p)++;
        }
        g_string_append_c(arg, **p);
    }
    if (**p != '"') {
        error_setg(errp, "unterminated string");
        g_string_free(arg, true);
        return NULL;
    }
    (*p)++;
    return g_string_free(arg, false);
}

/* Fill @qdict from @args following @cmd->args_type. */
static bool hmp_parse_args(const HMPCommand *cmd, const char *path,
                           const char *args, QDict *qdict, Error **errp)
{
    g_auto(GStrv) specs = g_strsplit(cmd->args_type, ",", -1);
    const char *p = args;
    int i;

    for (i = 0; specs[i] && *specs[i]; i++) {
        g_autofree char *key = g_strdup(specs[i]);
        char *type = strchr(key, ':');
        bool optional;
        g_autofree char *val = NULL;

        assert(type);
        *type++ = '\0';
        optional = type[1] == '?';
        while (g_ascii_isspace(*p)) {
            p++;
        }
        if (*type == '-') {
            /* a flag: present only when the next word is exactly "-X" */
            size_t n = strlen(type);

            if (!strncmp(p, type, n) && (!p[n] || g_ascii_isspace(p[n]))) {
                qdict_put_str(qdict, key, "on");
                p += n;
            }
            continue;
        }
        if (!*p) {
            if (optional) {
                continue;
            }
            error_setg(errp, "Parameter '%s' is missing", key);
            return false;
        }
        if (*type == 'S') {
            val = g_strdup(p);
            g_strchomp(val);
            p += strlen(p);
        } else {
            val = hmp_next_arg(&p, errp);
            if (!val) {
                return false;
            }
        }
        qdict_put_str(qdict, key, val);
    }
    while (g_ascii_isspace(*p)) {
        p++;
    }
    if (*p) {
        error_setg(errp, "%s: extraneous characters at the end of line\n"
                   "Try \"help %s\" for more information", cmd->name, path);
        return false;
    }
    return true;
}

static void hmp_run(Monitor *mon, const HMPCommand *table,
                    const char *prefix, const char *line)
{
    const char *p = line;
    g_autofree char *name = hmp_next_word(&p);
    const HMPCommand *cmd;
    g_autofree char *path = NULL;
    g_autoptr(QDict) qdict = NULL;
    Error *err = NULL;

    if (!*name) {
        return;
    }
    path = g_strconcat(prefix, name, NULL);
    cmd = hmp_find(table, name);
    if (!cmd) {
        monitor_printf(mon, "unknown command: '%s'\n", path);
        return;
    }
    if (cmd->sub_table) {
        const char *rest = p;
        g_autofree char *sub = hmp_next_word(&rest);

        if (*sub) {
            g_autofree char *sub_prefix = g_strconcat(path, " ", NULL);

            hmp_run(mon, cmd->sub_table, sub_prefix, p);
            return;
        }
    }
    qdict = qdict_new();
    if (!hmp_parse_args(cmd, path, p, qdict, &err)) {
        monitor_printf(mon, "%s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    cmd->cmd(mon, qdict);
}

/* error_report() inside an HMP command prints on the monitor. */
static void hmp_error_sink(void *opaque, const char *text)
{
    monitor_puts(opaque, text);
}

void handle_hmp_command(MonitorHMP *mon, const char *cmdline)
{
    Monitor *old = monitor_set_cur(&mon->common);

    error_print_set_sink(hmp_error_sink, &mon->common);
    hmp_run(&mon->common, hmp_cmds, "", cmdline);
    error_print_set_sink(NULL, NULL);
    monitor_set_cur(old);
}

static void hmp_help_dump(Monitor *mon, const HMPCommand *table,
                          const char *prefix)
{
    const HMPCommand *cmd;

    for (cmd = table; cmd->name; cmd++) {
        monitor_printf(mon, "%s%s %s -- %s\n", prefix, cmd->name,
                       cmd->params, cmd->help);
    }
}

void hmp_help_cmd(Monitor *mon, const char *name)
{
    const HMPCommand *table = hmp_cmds;
    g_autoptr(GString) prefix = g_string_new(NULL);
    const char *p = name ? name : "";

    for (;;) {
        g_autofree char *word = hmp_next_word(&p);
        const HMPCommand *cmd;

        if (!*word) {
            hmp_help_dump(mon, table, prefix->str);
            return;
        }
        cmd = hmp_find(table, word);
        if (!cmd) {
            monitor_printf(mon, "unknown command: '%s%s'\n", prefix->str,
                           word);
            return;
        }
        while (g_ascii_isspace(*p)) {
            p++;
        }
        if (!cmd->sub_table || !*p) {
            if (cmd->sub_table) {
                g_string_append_printf(prefix, "%s ", word);
                hmp_help_dump(mon, cmd->sub_table, prefix->str);
            } else {
                monitor_printf(mon, "%s%s %s -- %s\n", prefix->str,
                               cmd->name, cmd->params, cmd->help);
            }
            return;
        }
        g_string_append_printf(prefix, "%s ", word);
        table = cmd->sub_table;
    }
}

void monitor_hmp_print_prompt(MonitorHMP *mon)
{
    monitor_write(&mon->common, "(qemu) ", 7);
}

static void monitor_hmp_echo(void *opaque, const char *str, size_t len)
{
    MonitorHMP *mon = opaque;

    monitor_write_crlf(&mon->common, str, len);
}

static void monitor_hmp_line(void *opaque, const char *line)
{
    MonitorHMP *mon = opaque;

    handle_hmp_command(mon, line);
    if (!qemu_shutdown_requested()) {
        monitor_hmp_print_prompt(mon);
    }
}

static void monitor_hmp_read(void *opaque, const uint8_t *buf, int size)
{
    MonitorHMP *mon = opaque;
    int i;

    /* After quit, the rest of the input is not run, as in QEMU. */
    for (i = 0; i < size && !qemu_shutdown_requested(); i++) {
        readline_handle_byte(&mon->rs, buf[i]);
    }
}

static void monitor_hmp_event(void *opaque, QEMUChrEvent event)
{
    MonitorHMP *mon = opaque;

    if (event == CHR_EVENT_OPENED) {
        readline_restart(&mon->rs);
        monitor_printf(&mon->common, "QEMU %s monitor - type 'help' for "
                       "more information\n", QEMU_VERSION);
        monitor_hmp_print_prompt(mon);
    }
}

bool monitor_init_hmp(Chardev *chr, Error **errp)
{
    MonitorHMP *mon = g_new0(MonitorHMP, 1);

    if (!qemu_chr_fe_init(&mon->common.chr, chr, errp)) {
        g_free(mon);
        return false;
    }
    readline_init(&mon->rs, monitor_hmp_echo, monitor_hmp_line, mon);
    monitor_list_append(&mon->common);
    qemu_chr_fe_set_handlers(&mon->common.chr, monitor_hmp_read,
                             monitor_hmp_event, mon);
    return true;
}

void monitor_hmp_destroy(MonitorHMP *mon)
{
    readline_free(&mon->rs);
    g_free(mon);
}
