/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The chardev registry: parse -chardev and the legacy -qmp/-monitor
 * spellings, create backends, and connect one frontend to each.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "chardev-internal.h"

static QTAILQ_HEAD(, Chardev) chardevs = QTAILQ_HEAD_INITIALIZER(chardevs);

static const ChardevDriver *char_drivers[] = {
    &char_socket_driver,
    &char_stdio_driver,
    &char_null_driver,
};

static void char_opts_free(ChardevOptions *opts)
{
    g_free(opts->backend);
    g_free(opts->id);
    g_free(opts->path);
    g_free(opts->host);
    g_free(opts->port);
}

/* Split "a=b,c" at single commas; ",," stands for a literal comma. */
static GPtrArray *char_opts_split(const char *str)
{
    GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
    GString *cur = g_string_new(NULL);
    const char *p;

    for (p = str; *p; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(cur, ',');
            p++;
        } else if (*p == ',') {
            g_ptr_array_add(parts, g_string_free(cur, false));
            cur = g_string_new(NULL);
        } else {
            g_string_append_c(cur, *p);
        }
    }
    g_ptr_array_add(parts, g_string_free(cur, false));
    return parts;
}

static bool char_opts_set_bool(bool *dst, const char *key, const char *val,
                               Error **errp)
{
    return qapi_bool_parse(key, val ? val : "on", dst, errp);
}

/* Apply one "key[=value]" item to @opts. */
static bool char_opts_apply(ChardevOptions *opts, const char *item,
                            Error **errp)
{
    g_autofree char *key = g_strdup(item);
    char *val = strchr(key, '=');
    char **str_dst = NULL;

    if (val) {
        *val++ = '\0';
    }
    if (!strcmp(key, "server")) {
        return char_opts_set_bool(&opts->server, key, val, errp);
    } else if (!strcmp(key, "wait")) {
        return char_opts_set_bool(&opts->wait, key, val, errp);
    } else if (!strcmp(key, "nowait") && !val) {
        opts->wait = false;
        return true;
    } else if (!strcmp(key, "id")) {
        str_dst = &opts->id;
    } else if (!strcmp(key, "path")) {
        str_dst = &opts->path;
    } else if (!strcmp(key, "host")) {
        str_dst = &opts->host;
    } else if (!strcmp(key, "port")) {
        str_dst = &opts->port;
    }
    if (!str_dst) {
        error_setg(errp, "Invalid parameter '%s'", key);
        return false;
    }
    if (!val) {
        error_setg(errp, "Parameter '%s' expects a value", key);
        return false;
    }
    g_free(*str_dst);
    *str_dst = g_strdup(val);
    return true;
}

static bool char_opts_apply_all(ChardevOptions *opts, GPtrArray *parts,
                                guint first, Error **errp)
{
    guint i;

    for (i = first; i < parts->len; i++) {
        const char *item = g_ptr_array_index(parts, i);

        if (*item && !char_opts_apply(opts, item, errp)) {
            return false;
        }
    }
    return true;
}

static const ChardevDriver *char_find_driver(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(char_drivers); i++) {
        if (!strcmp(char_drivers[i]->name, name)) {
            return char_drivers[i];
        }
    }
    return NULL;
}

static Chardev *char_create(const ChardevOptions *opts, Error **errp)
{
    const ChardevDriver *drv = char_find_driver(opts->backend);
    Chardev *chr;

    if (!drv) {
        error_setg(errp, "'%s' is not a valid char driver name",
                   opts->backend);
        return NULL;
    }
    if (qemu_chr_find(opts->id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object "
                   "(type 'container')", opts->id);
        return NULL;
    }
    chr = g_malloc0(drv->instance_size);
    chr->label = g_strdup(opts->id);
    chr->drv = drv;
    if (!drv->open(chr, opts, errp)) {
        g_free(chr->label);
        g_free(chr);
        return NULL;
    }
    QTAILQ_INSERT_TAIL(&chardevs, chr, next);
    return chr;
}

Chardev *qemu_chr_new_from_opts(const char *optstr, Error **errp)
{
    g_autoptr(GPtrArray) parts = char_opts_split(optstr);
    ChardevOptions opts = { .wait = true };
    Chardev *chr = NULL;

    opts.backend = g_strdup(g_ptr_array_index(parts, 0));
    if (!char_opts_apply_all(&opts, parts, 1, errp)) {
        goto out;
    }
    if (!opts.id) {
        error_setg(errp, "Parameter 'id' is missing");
        goto out;
    }
    chr = char_create(&opts, errp);
out:
    char_opts_free(&opts);
    return chr;
}

/* "HOST:PORT" of the legacy tcp: spelling. */
static bool char_parse_host_port(ChardevOptions *opts, const char *str,
                                 Error **errp)
{
    const char *colon = strrchr(str, ':');

    if (!colon) {
        error_setg(errp, "host and/or port not specified");
        return false;
    }
    opts->host = g_strndup(str, colon - str);
    opts->port = g_strdup(colon + 1);
    return true;
}

Chardev *qemu_chr_new(const char *label, const char *filename, Error **errp)
{
    g_autoptr(GPtrArray) parts = char_opts_split(filename);
    const char *first = g_ptr_array_index(parts, 0);
    ChardevOptions opts = { .wait = true };
    const char *rest;
    Chardev *chr = NULL;

    opts.id = g_strdup(label);
    if (strstart(first, "unix:", &rest)) {
        opts.backend = g_strdup("socket");
        opts.path = g_strdup(rest);
    } else if (strstart(first, "tcp:", &rest)) {
        opts.backend = g_strdup("socket");
        if (!char_parse_host_port(&opts, rest, errp)) {
            goto out;
        }
    } else if (!strcmp(first, "stdio") || !strcmp(first, "null")) {
        opts.backend = g_strdup(first);
    } else {
        error_setg(errp, "'%s' is not a valid char driver", first);
        goto out;
    }
    if (!char_opts_apply_all(&opts, parts, 1, errp)) {
        goto out;
    }
    chr = char_create(&opts, errp);
out:
    char_opts_free(&opts);
    return chr;
}

Chardev *qemu_chr_find(const char *label)
{
    Chardev *chr;

    QTAILQ_FOREACH(chr, &chardevs, next) {
        if (!strcmp(chr->label, label)) {
            return chr;
        }
    }
    return NULL;
}

const char *qemu_chr_label(Chardev *chr)
{
    return chr->label;
}

bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp)
{
    if (chr->be) {
        error_setg(errp, "Device '%s' is in use", chr->label);
        return false;
    }
    memset(be, 0, sizeof(*be));
    be->chr = chr;
    chr->be = be;
    return true;
}

void qemu_chr_fe_set_handlers(CharBackend *be, IOReadHandler *fd_read,
                              IOEventHandler *chr_event, void *opaque)
{
    be->fd_read = fd_read;
    be->chr_event = chr_event;
    be->opaque = opaque;
    if (be->chr->drv->start) {
        be->chr->drv->start(be->chr);
    }
}

int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len)
{
    if (!be->chr) {
        return len;
    }
    return be->chr->drv->write(be->chr, buf, len);
}

void qemu_chr_fe_flush(CharBackend *be)
{
    if (be->chr && be->chr->drv->flush) {
        be->chr->drv->flush(be->chr);
    }
}

void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    if (chr->be && chr->be->fd_read) {
        chr->be->fd_read(chr->be->opaque, buf, len);
    }
}

void qemu_chr_be_event(Chardev *chr, QEMUChrEvent event)
{
    if (chr->be && chr->be->chr_event) {
        chr->be->chr_event(chr->be->opaque, event);
    }
}

void qemu_chr_cleanup(void)
{
    Chardev *chr, *next;

    QTAILQ_FOREACH_SAFE(chr, &chardevs, next, next) {
        QTAILQ_REMOVE(&chardevs, chr, next);
        if (chr->drv->close) {
            chr->drv->close(chr);
        }
        g_free(chr->label);
        g_free(chr);
    }
}

/* The null backend swallows output and never has input. */
static bool char_null_open(Chardev *chr, const ChardevOptions *opts,
                           Error **errp)
{
    return true;
}

static int char_null_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

const ChardevDriver char_null_driver = {
    .name = "null",
    .instance_size = sizeof(Chardev),
    .open = char_null_open,
    .write = char_null_write,
};
