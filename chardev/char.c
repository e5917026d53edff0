/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The chardev registry: parse -chardev and the legacy -qmp/-monitor
 * spellings, create backends, and connect one frontend to each.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/option.h"
#include "chardev-internal.h"

static QTAILQ_HEAD(, Chardev) chardevs = QTAILQ_HEAD_INITIALIZER(chardevs);

static const ChardevDriver *char_drivers[] = {
    &char_socket_driver,
    &char_stdio_driver,
    &char_null_driver,
};

/* What -chardev accepts; "server" alone means on, "nowait" wait=off. */
static QemuOptsList qemu_chardev_opts = {
    .name = "chardev",
    .implied_opt_name = "backend",
    .desc = {
        { .name = "backend", .type = QEMU_OPT_STRING },
        { .name = "path", .type = QEMU_OPT_STRING },
        { .name = "host", .type = QEMU_OPT_STRING },
        { .name = "port", .type = QEMU_OPT_STRING },
        { .name = "fd", .type = QEMU_OPT_NUMBER },
        /* TCP_NODELAY: monitors flush whole messages anyway. */
        { .name = "nodelay", .type = QEMU_OPT_BOOL },
        { .name = "server", .type = QEMU_OPT_BOOL },
        { .name = "wait", .type = QEMU_OPT_BOOL },
        { /* end of list */ }
    },
};

/* Read the parsed @opts into @copts (strings stay owned by @opts). */
static void char_opts_read(QemuOpts *opts, ChardevOptions *copts)
{
    copts->backend = qemu_opt_get(opts, "backend");
    copts->id = qemu_opts_id(opts);
    copts->path = qemu_opt_get(opts, "path");
    copts->host = qemu_opt_get(opts, "host");
    copts->port = qemu_opt_get(opts, "port");
    copts->fd = qemu_opt_get(opts, "fd") ?
        (int)qemu_opt_get_number(opts, "fd", 0) : -1;
    copts->server = qemu_opt_get_bool(opts, "server", false);
    /* A server waits for its first client unless told otherwise. */
    copts->wait = qemu_opt_get_bool(opts, "wait", true);
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
    QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts, optstr, true, errp);
    ChardevOptions copts = { 0 };
    Chardev *chr = NULL;

    if (!opts) {
        return NULL;
    }
    char_opts_read(opts, &copts);
    if (!copts.id) {
        error_setg(errp, "chardev: no id specified");
    } else if (!copts.backend) {
        error_setg(errp, "chardev: \"%s\" missing backend", copts.id);
    } else {
        chr = char_create(&copts, errp);
    }
    qemu_opts_del(opts);
    return chr;
}

/* Turn the first item of a legacy spelling into options. */
static bool char_parse_legacy(QemuOpts *opts, const char *first,
                              Error **errp)
{
    const char *rest, *colon;
    g_autofree char *host = NULL;

    if (strstart(first, "unix:", &rest)) {
        /* "unix:PATH" or, spelled out, "unix:path=PATH" */
        strstart(rest, "path=", &rest);
        return qemu_opt_set(opts, "backend", "socket", errp) &&
               qemu_opt_set(opts, "path", rest, errp);
    }
    if (strstart(first, "tcp:", &rest)) {
        colon = strrchr(rest, ':');
        if (!colon) {
            error_setg(errp, "host and/or port not specified");
            return false;
        }
        host = g_strndup(rest, colon - rest);
        return qemu_opt_set(opts, "backend", "socket", errp) &&
               qemu_opt_set(opts, "host", host, errp) &&
               qemu_opt_set(opts, "port", colon + 1, errp);
    }
    if (!strcmp(first, "stdio") || !strcmp(first, "null")) {
        return qemu_opt_set(opts, "backend", first, errp);
    }
    error_setg(errp, "'%s' is not a valid char driver", first);
    return false;
}

Chardev *qemu_chr_new(const char *label, const char *filename, Error **errp)
{
    size_t first_len = strcspn(filename, ",");
    g_autofree char *first = g_strndup(filename, first_len);
    QemuOpts *opts = qemu_opts_create(&qemu_chardev_opts, label, 1, errp);
    ChardevOptions copts = { 0 };
    Chardev *chr = NULL;

    if (!opts) {
        return NULL;
    }
    if (char_parse_legacy(opts, first, errp) &&
        (!filename[first_len] ||
         qemu_opts_do_parse(opts, filename + first_len + 1, NULL, errp))) {
        char_opts_read(opts, &copts);
        chr = char_create(&copts, errp);
    }
    qemu_opts_del(opts);
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
