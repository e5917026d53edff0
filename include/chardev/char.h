/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character devices: byte streams (a socket, stdio) that a frontend such
 * as a monitor reads from and writes to.  A backend is created from a
 * -chardev option string or from the legacy -qmp/-monitor spelling, and
 * reports received bytes and connection changes through callbacks run by
 * the main loop.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qapi/error.h"

typedef enum QEMUChrEvent {
    CHR_EVENT_OPENED,           /* a peer is connected: greet it */
    CHR_EVENT_CLOSED,           /* the peer went away */
} QEMUChrEvent;

typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

typedef struct Chardev Chardev;

/* The frontend's view of a Chardev: one frontend per backend. */
typedef struct CharBackend {
    Chardev *chr;
    IOReadHandler *fd_read;
    IOEventHandler *chr_event;
    void *opaque;
} CharBackend;

/**
 * qemu_chr_new_from_opts:
 * Create the backend described by the -chardev argument @optstr, e.g.
 * "socket,id=mon,path=/tmp/s,server=on,wait=off" or "stdio,id=x".
 * A server socket with wait=on blocks here until a client connects.
 */
Chardev *qemu_chr_new_from_opts(const char *optstr, Error **errp);

/**
 * qemu_chr_new:
 * Create a backend named @label from the legacy spelling of -qmp,
 * -monitor and -serial: "stdio", "unix:PATH[,opts]",
 * "tcp:HOST:PORT[,opts]", "null", "none".
 */
Chardev *qemu_chr_new(const char *label, const char *filename,
                      Error **errp);

/**
 * qemu_chr_find:
 * Return the backend with id @label, or NULL.
 */
Chardev *qemu_chr_find(const char *label);

/**
 * qemu_chr_label:
 * Return the id of @chr.
 */
const char *qemu_chr_label(Chardev *chr);

/**
 * qemu_chr_fe_init:
 * Attach @be to @chr.  Fails when another frontend already uses @chr.
 */
bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp);

/**
 * qemu_chr_fe_set_handlers:
 * Start delivering input to @fd_read and connection changes to
 * @chr_event.  A backend that is already connected reports
 * CHR_EVENT_OPENED from here.
 */
void qemu_chr_fe_set_handlers(CharBackend *be, IOReadHandler *fd_read,
                              IOEventHandler *chr_event, void *opaque);

/**
 * qemu_chr_fe_write_all:
 * Queue @len bytes for the peer.  Output for a disconnected peer is
 * dropped, as QEMU does.  Returns @len, or -errno on failure.
 */
int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len);

/**
 * qemu_chr_fe_flush:
 * Block until queued output of @be has been written (or the peer left);
 * used before the process exits.
 */
void qemu_chr_fe_flush(CharBackend *be);

/**
 * qemu_chr_cleanup:
 * Close and free every backend.
 */
void qemu_chr_cleanup(void);

#endif
