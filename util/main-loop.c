/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Main loop: the main AioContext is a GSource attached to GLib's default
 * GMainContext, so one g_main_context_iteration() runs both worlds.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"

static AioContext *main_loop_ctx;

bool qemu_init_main_loop(Error **errp)
{
    AioContext *ctx;
    GSource *src;

    if (main_loop_ctx) {
        return true;
    }
    ctx = aio_context_new(errp);
    if (!ctx) {
        return false;
    }
    src = aio_get_g_source(ctx);
    g_source_set_name(src, "aio-context");
    g_source_attach(src, NULL);
    g_source_unref(src);
    main_loop_ctx = ctx;
    aio_context_set_main(ctx);
    return true;
}

void qemu_cleanup_main_loop(void)
{
    if (!main_loop_ctx) {
        return;
    }
    g_source_destroy(&main_loop_ctx->source);
    aio_context_set_main(NULL);
    aio_context_unref(main_loop_ctx);
    main_loop_ctx = NULL;
}

bool main_loop_wait(bool nonblocking)
{
    return g_main_context_iteration(NULL, !nonblocking);
}

void qemu_notify_event(void)
{
    if (main_loop_ctx) {
        aio_notify(main_loop_ctx);
    }
    /* Also wakes GLib when it sleeps for its own sources only. */
    g_main_context_wakeup(NULL);
}
