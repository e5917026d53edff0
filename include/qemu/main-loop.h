/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The main loop: GLib's default GMainContext with the main AioContext
 * attached to it as a GSource, so GLib sources (GIOChannel watches,
 * g_timeout_add, g_unix_signal_add) and AioContext handlers, BHs and
 * timers all run from one loop in the main thread.
 */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include "block/aio.h"

/**
 * qemu_init_main_loop:
 * @errp: error object
 *
 * Create the main AioContext, attach it to GLib's default context and
 * make the calling thread the main thread.  Return false and set @errp
 * on failure.  Calling it again is a no-op.
 */
bool qemu_init_main_loop(Error **errp);

/**
 * qemu_cleanup_main_loop:
 *
 * Detach and drop the main AioContext (for tests and clean exit).
 */
void qemu_cleanup_main_loop(void);

/**
 * main_loop_wait:
 * @nonblocking: only run what is ready now
 *
 * Run one iteration of the main loop, waiting for an event unless
 * @nonblocking.  Return true if any source was dispatched.
 */
bool main_loop_wait(bool nonblocking);

/**
 * qemu_notify_event:
 *
 * Wake the main loop from any thread so it iterates.
 */
void qemu_notify_event(void);

#endif
