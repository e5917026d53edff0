/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fd handlers and aio_poll() on POSIX, with ppoll().  Each handler owns a
 * GPollFD that is also registered with the context's GSource, so the same
 * handlers fire whether the context is polled here or by GLib.  Handlers
 * removed while a dispatch walks the list are only marked, and freed when
 * the outermost walk ends.
 */
#include "qemu/osdep.h"
#include <poll.h>
#include "qemu/atomic.h"
#include "block/aio.h"

struct AioHandler {
    GPollFD pfd;
    IOHandler *io_read;
    IOHandler *io_write;
    void *opaque;
    bool deleted;
    QLIST_ENTRY(AioHandler) node;
};

#define AIO_READ_EVENTS (G_IO_IN | G_IO_HUP | G_IO_ERR)
#define AIO_WRITE_EVENTS (G_IO_OUT | G_IO_ERR)

static AioHandler *find_aio_handler(AioContext *ctx, int fd)
{
    AioHandler *node;

    QLIST_FOREACH(node, &ctx->aio_handlers, node) {
        if (node->pfd.fd == fd && !node->deleted) {
            return node;
        }
    }
    return NULL;
}

/* GLib refuses poll changes once the source was destroyed (shutdown). */
static void aio_source_remove_poll(AioContext *ctx, AioHandler *node)
{
    if (!g_source_is_destroyed(&ctx->source)) {
        g_source_remove_poll(&ctx->source, &node->pfd);
    }
}

static void aio_remove_handler(AioContext *ctx, AioHandler *node)
{
    aio_source_remove_poll(ctx, node);
    node->pfd.revents = 0;
    if (ctx->walking_handlers) {
        node->deleted = true;
        return;
    }
    QLIST_REMOVE(node, node);
    g_free(node);
}

void aio_set_fd_handler(AioContext *ctx, int fd, IOHandler *io_read,
                        IOHandler *io_write, void *opaque)
{
    AioHandler *node = find_aio_handler(ctx, fd);

    if (!io_read && !io_write) {
        if (node) {
            aio_remove_handler(ctx, node);
        }
        return;
    }
    if (!node) {
        node = g_new0(AioHandler, 1);
        node->pfd.fd = fd;
        QLIST_INSERT_HEAD(&ctx->aio_handlers, node, node);
        g_source_add_poll(&ctx->source, &node->pfd);
    }
    node->io_read = io_read;
    node->io_write = io_write;
    node->opaque = opaque;
    node->pfd.events = (io_read ? AIO_READ_EVENTS : 0) |
                       (io_write ? AIO_WRITE_EVENTS : 0);
    aio_notify(ctx);
}

void aio_set_event_notifier(AioContext *ctx, EventNotifier *notifier,
                            void (*io_read)(EventNotifier *))
{
    aio_set_fd_handler(ctx, event_notifier_get_fd(notifier),
                       (IOHandler *)io_read, NULL, notifier);
}

void aio_handlers_free_all(AioContext *ctx)
{
    AioHandler *node, *next;

    assert(ctx->walking_handlers == 0);
    QLIST_FOREACH_SAFE(node, &ctx->aio_handlers, node, next) {
        if (!node->deleted) {
            aio_source_remove_poll(ctx, node);
        }
        QLIST_REMOVE(node, node);
        g_free(node);
    }
}

bool aio_pending(AioContext *ctx)
{
    AioHandler *node;

    QLIST_FOREACH(node, &ctx->aio_handlers, node) {
        if (!node->deleted && (node->pfd.revents & node->pfd.events)) {
            return true;
        }
    }
    return false;
}

static bool aio_dispatch_handler(AioContext *ctx, AioHandler *node)
{
    int revents = node->pfd.revents & node->pfd.events;
    bool progress = false;

    node->pfd.revents = 0;
    if (node->deleted) {
        return false;
    }
    if ((revents & AIO_READ_EVENTS) && node->io_read) {
        node->io_read(node->opaque);
        /* Our own notifier is plumbing, not progress. */
        progress = node->opaque != &ctx->notifier;
    }
    if (!node->deleted && (revents & AIO_WRITE_EVENTS) && node->io_write) {
        node->io_write(node->opaque);
        progress = true;
    }
    return progress;
}

bool aio_dispatch_handlers(AioContext *ctx)
{
    AioHandler *node, *next;
    bool progress = false;

    ctx->walking_handlers++;
    QLIST_FOREACH_SAFE(node, &ctx->aio_handlers, node, next) {
        progress |= aio_dispatch_handler(ctx, node);
    }
    ctx->walking_handlers--;

    if (ctx->walking_handlers == 0) {
        QLIST_FOREACH_SAFE(node, &ctx->aio_handlers, node, next) {
            if (node->deleted) {
                QLIST_REMOVE(node, node);
                g_free(node);
            }
        }
    }
    return progress;
}

/* ppoll() every live handler; copy the results into their GPollFDs. */
static void aio_poll_fds(AioContext *ctx, int64_t timeout_ns)
{
    g_autofree struct pollfd *fds = NULL;
    g_autofree AioHandler **nodes = NULL;
    struct timespec ts, *tsp = NULL;
    AioHandler *node;
    unsigned n = 0, max = 0;
    int ret;

    QLIST_FOREACH(node, &ctx->aio_handlers, node) {
        max++;
    }
    fds = g_new(struct pollfd, max);
    nodes = g_new(AioHandler *, max);
    QLIST_FOREACH(node, &ctx->aio_handlers, node) {
        if (!node->deleted && node->pfd.events) {
            fds[n].fd = node->pfd.fd;
            fds[n].events = node->pfd.events;
            fds[n].revents = 0;
            nodes[n++] = node;
        }
    }
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / NANOSECONDS_PER_SECOND;
        ts.tv_nsec = timeout_ns % NANOSECONDS_PER_SECOND;
        tsp = &ts;
    }
    ret = ppoll(fds, n, tsp, NULL);
    for (unsigned i = 0; ret > 0 && i < n; i++) {
        nodes[i]->pfd.revents = fds[i].revents;
    }
}

bool aio_poll(AioContext *ctx, bool blocking)
{
    AioContext *prev = aio_context_set_current(ctx);
    int64_t timeout = 0;
    bool progress = false;

    if (blocking) {
        qatomic_add(&ctx->notify_me, 2);
        /* Pairs with aio_notify(): see work or get woken. */
        smp_mb();
        timeout = aio_compute_timeout(ctx);
    }
    aio_poll_fds(ctx, timeout);
    if (blocking) {
        qatomic_sub(&ctx->notify_me, 2);
    }

    /* Handlers first: the notifier must be reset before BHs are read. */
    progress |= aio_dispatch_handlers(ctx);
    progress |= aio_bh_poll(ctx);
    progress |= timerlistgroup_run_timers(&ctx->tlg);

    aio_context_set_current(prev);
    return progress;
}
