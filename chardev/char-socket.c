/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket backend: a UNIX or TCP stream, as server (listen, one client at
 * a time, accept the next one after it leaves) or as client (connect once
 * at start-up).  Output is queued and written without blocking the main
 * loop, so a slow reader never stalls the monitor.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "chardev-internal.h"
#include <glib-unix.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#define SOCKET_READ_SIZE 65536

typedef struct SocketChardev {
    Chardev parent;
    bool server;
    char *desc;                 /* "unix:PATH" or "tcp:HOST:PORT" */
    int listen_fd;
    int fd;                     /* the connected peer, or -1 */
    guint listen_tag;
    guint read_tag;
    guint write_tag;
    GByteArray *outbuf;         /* queued output not yet written */
} SocketChardev;

static void tcp_chr_listen_watch(SocketChardev *s);

static SocketChardev *socket_chr(Chardev *chr)
{
    return (SocketChardev *)chr;
}

static void tcp_chr_remove_tag(guint *tag)
{
    if (*tag) {
        g_source_remove(*tag);
        *tag = 0;
    }
}

static int tcp_chr_unix_addr(struct sockaddr_un *un, const char *path,
                             Error **errp)
{
    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(un->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return -1;
    }
    strcpy(un->sun_path, path);
    return 0;
}

static int tcp_chr_listen_unix(const char *path, Error **errp)
{
    struct sockaddr_un un;
    int fd;

    if (tcp_chr_unix_addr(&un, path, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0 ||
        listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", path);
        close(fd);
        return -1;
    }
    return fd;
}

static int tcp_chr_connect_unix(const char *path, Error **errp)
{
    struct sockaddr_un un;
    int fd;

    if (tcp_chr_unix_addr(&un, path, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    if (connect(fd, (struct sockaddr *)&un, sizeof(un)) < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s'", path);
        close(fd);
        return -1;
    }
    return fd;
}

/* Listen on (@server) or connect to the first address that works. */
static int tcp_chr_inet(const char *host, const char *port, bool server,
                        Error **errp)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = server ? AI_PASSIVE : 0 };
    struct addrinfo *res, *ai;
    int fd = -1, err = 0, one = 1, rc;

    rc = getaddrinfo(*host ? host : NULL, port, &hints, &res);
    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   host, port, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (server ? bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
                     listen(fd, 1) == 0
                   : connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, server ? "Failed to bind socket"
                         : "Failed to connect to '%s:%s'", host, port);
    }
    return fd;
}

static gboolean tcp_chr_read_cb(gint fd, GIOCondition cond, gpointer opaque);

/* fd=N: a socket the parent passed us (connected, or listening). */
static int tcp_chr_check_fd(int fd, Error **errp)
{
    int type;
    socklen_t len = sizeof(type);

    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
        type != SOCK_STREAM) {
        error_setg(errp, "File descriptor '%d' is not a stream socket", fd);
        return -1;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

static void tcp_chr_connected(SocketChardev *s, int fd)
{
    s->fd = fd;
    g_unix_set_fd_nonblocking(fd, true, NULL);
    s->read_tag = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                tcp_chr_read_cb, s);
    qemu_chr_be_event(&s->parent, CHR_EVENT_OPENED);
}

static void tcp_chr_disconnect(SocketChardev *s)
{
    tcp_chr_remove_tag(&s->read_tag);
    tcp_chr_remove_tag(&s->write_tag);
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    g_byte_array_set_size(s->outbuf, 0);
    qemu_chr_be_event(&s->parent, CHR_EVENT_CLOSED);
    if (s->server) {
        tcp_chr_listen_watch(s);
    }
}

static gboolean tcp_chr_read_cb(gint fd, GIOCondition cond, gpointer opaque)
{
    SocketChardev *s = opaque;
    g_autofree uint8_t *buf = g_malloc(SOCKET_READ_SIZE);
    ssize_t n = read(fd, buf, SOCKET_READ_SIZE);

    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        s->read_tag = 0;        /* removed by returning G_SOURCE_REMOVE */
        tcp_chr_disconnect(s);
        return G_SOURCE_REMOVE;
    }
    qemu_chr_be_write(&s->parent, buf, n);
    return G_SOURCE_CONTINUE;
}

static gboolean tcp_chr_accept_cb(gint fd, GIOCondition cond,
                                  gpointer opaque)
{
    SocketChardev *s = opaque;
    int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

    if (cfd < 0) {
        return G_SOURCE_CONTINUE;
    }
    /* One client at a time: stop accepting until this one leaves. */
    s->listen_tag = 0;
    tcp_chr_connected(s, cfd);
    return G_SOURCE_REMOVE;
}

static void tcp_chr_listen_watch(SocketChardev *s)
{
    if (!s->listen_tag) {
        s->listen_tag = g_unix_fd_add(s->listen_fd, G_IO_IN,
                                      tcp_chr_accept_cb, s);
    }
}

static bool tcp_chr_open(Chardev *chr, const ChardevOptions *opts,
                         Error **errp)
{
    SocketChardev *s = socket_chr(chr);
    int fd;

    s->fd = -1;
    s->listen_fd = -1;
    s->server = opts->server;
    s->outbuf = g_byte_array_new();
    if (opts->fd >= 0) {
        s->desc = g_strdup_printf("fd:%d", opts->fd);
        fd = tcp_chr_check_fd(opts->fd, errp);
    } else if (opts->path) {
        s->desc = g_strdup_printf("unix:%s", opts->path);
        fd = s->server ? tcp_chr_listen_unix(opts->path, errp)
                       : tcp_chr_connect_unix(opts->path, errp);
    } else if (opts->port) {
        s->desc = g_strdup_printf("tcp:%s:%s", opts->host ? opts->host : "",
                                  opts->port);
        fd = tcp_chr_inet(opts->host ? opts->host : "", opts->port,
                          s->server, errp);
    } else {
        error_setg(errp, "chardev: socket: no host given");
        fd = -1;
    }
    if (fd < 0) {
        g_byte_array_unref(s->outbuf);
        g_free(s->desc);
        return false;
    }
    if (!s->server) {
        s->fd = fd;
        return true;
    }
    s->listen_fd = fd;
    if (opts->wait) {
        info_report("QEMU waiting for connection on: disconnected:%s,"
                    "server=on", s->desc);
        s->fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    }
    /* From now on accept only when poll says so, and never block on it. */
    g_unix_set_fd_nonblocking(fd, true, NULL);
    return true;
}

static void tcp_chr_start(Chardev *chr)
{
    SocketChardev *s = socket_chr(chr);

    if (s->fd >= 0 && !s->read_tag) {
        tcp_chr_connected(s, s->fd);
    } else if (s->fd < 0 && s->server) {
        tcp_chr_listen_watch(s);
    }
}

/* Write what the socket takes now; return false on a write error. */
static bool tcp_chr_try_flush(SocketChardev *s)
{
    while (s->outbuf->len) {
        ssize_t n = write(s->fd, s->outbuf->data, s->outbuf->len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return true;
        }
        if (n <= 0) {
            /* The read side sees the hang-up and reports it. */
            g_byte_array_set_size(s->outbuf, 0);
            return false;
        }
        g_byte_array_remove_range(s->outbuf, 0, n);
    }
    return true;
}

static gboolean tcp_chr_write_cb(gint fd, GIOCondition cond, gpointer opaque)
{
    SocketChardev *s = opaque;

    tcp_chr_try_flush(s);
    if (s->outbuf->len) {
        return G_SOURCE_CONTINUE;
    }
    s->write_tag = 0;
    return G_SOURCE_REMOVE;
}

static int tcp_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = socket_chr(chr);

    if (s->fd < 0) {
        return len;
    }
    g_byte_array_append(s->outbuf, buf, len);
    tcp_chr_try_flush(s);
    if (s->outbuf->len && !s->write_tag) {
        s->write_tag = g_unix_fd_add(s->fd, G_IO_OUT, tcp_chr_write_cb, s);
    }
    return len;
}

static void tcp_chr_flush(Chardev *chr)
{
    SocketChardev *s = socket_chr(chr);

    while (s->fd >= 0 && s->outbuf->len) {
        struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

        if (poll(&pfd, 1, 1000) <= 0 || !tcp_chr_try_flush(s)) {
            break;
        }
    }
}

static void tcp_chr_close(Chardev *chr)
{
    SocketChardev *s = socket_chr(chr);

    tcp_chr_remove_tag(&s->listen_tag);
    tcp_chr_remove_tag(&s->read_tag);
    tcp_chr_remove_tag(&s->write_tag);
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    g_byte_array_unref(s->outbuf);
    g_free(s->desc);
}

const ChardevDriver char_socket_driver = {
    .name = "socket",
    .instance_size = sizeof(SocketChardev),
    .open = tcp_chr_open,
    .start = tcp_chr_start,
    .write = tcp_chr_write,
    .flush = tcp_chr_flush,
    .close = tcp_chr_close,
};
