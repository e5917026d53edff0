/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to chardev/: the backend table every backend fills in, and the
 * parsed options they are created from.
 */
#ifndef CHARDEV_INTERNAL_H
#define CHARDEV_INTERNAL_H

#include "chardev/char.h"
#include "qemu/queue.h"

/* Parsed -chardev options; the strings belong to the QemuOpts. */
typedef struct ChardevOptions {
    const char *backend;        /* "socket", "stdio", "null" */
    const char *id;
    const char *path;           /* unix socket */
    const char *host;           /* tcp socket */
    const char *port;
    int fd;                     /* an inherited socket, or -1 */
    bool server;
    bool wait;                  /* server only: block until a client comes */
} ChardevOptions;

typedef struct ChardevDriver {
    const char *name;
    size_t instance_size;
    bool (*open)(Chardev *chr, const ChardevOptions *opts, Error **errp);
    /* Handlers are set: begin reading, report OPENED if connected. */
    void (*start)(Chardev *chr);
    int (*write)(Chardev *chr, const uint8_t *buf, int len);
    void (*flush)(Chardev *chr);
    void (*close)(Chardev *chr);
} ChardevDriver;

struct Chardev {
    char *label;
    const ChardevDriver *drv;
    CharBackend *be;
    QTAILQ_ENTRY(Chardev) next;
};

extern const ChardevDriver char_socket_driver;
extern const ChardevDriver char_stdio_driver;
extern const ChardevDriver char_null_driver;

/* Deliver input and events to the frontend, if any. */
void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len);
void qemu_chr_be_event(Chardev *chr, QEMUChrEvent event);

#endif
