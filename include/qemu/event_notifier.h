/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EventNotifier: a file descriptor that one thread makes readable to wake
 * another one that polls it.  An eventfd where available, else a pipe.
 */
#ifndef QEMU_EVENT_NOTIFIER_H
#define QEMU_EVENT_NOTIFIER_H

typedef struct EventNotifier {
    int rfd;
    int wfd;            /* == rfd for an eventfd */
    bool initialized;
} EventNotifier;

/**
 * event_notifier_init:
 * @e: notifier to set up
 * @active: true to start in the signalled state
 *
 * Create the descriptor(s) of @e, non-blocking and close-on-exec.
 * Return 0 or a negative errno.
 */
int event_notifier_init(EventNotifier *e, int active);

/**
 * event_notifier_cleanup:
 * @e: notifier
 *
 * Close the descriptors of @e; a no-op if it was never initialised.
 */
void event_notifier_cleanup(EventNotifier *e);

/**
 * event_notifier_set:
 * @e: notifier
 *
 * Make @e readable.  Safe from any thread and from signal handlers.
 * Return 0 or a negative errno.
 */
int event_notifier_set(EventNotifier *e);

/**
 * event_notifier_test_and_clear:
 * @e: notifier
 *
 * Consume all pending signals of @e.  Return true if it was signalled.
 */
bool event_notifier_test_and_clear(EventNotifier *e);

/**
 * event_notifier_get_fd:
 * @e: notifier
 *
 * Return the descriptor to poll for reading.
 */
int event_notifier_get_fd(const EventNotifier *e);

#endif
