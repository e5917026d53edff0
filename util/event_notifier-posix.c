/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * EventNotifier on POSIX: an eventfd counter, or a non-blocking pipe when
 * eventfd is unavailable (the write side then carries one byte per set).
 */
#include "qemu/osdep.h"
#include <sys/eventfd.h>
#include "qemu/event_notifier.h"

static int event_notifier_init_pipe(EventNotifier *e)
{
    int fds[2];

    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
        return -errno;
    }
    e->rfd = fds[0];
    e->wfd = fds[1];
    return 0;
}

int event_notifier_init(EventNotifier *e, int active)
{
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

    if (fd >= 0) {
        e->rfd = e->wfd = fd;
    } else if (errno == ENOSYS || errno == EINVAL) {
        int ret = event_notifier_init_pipe(e);

        if (ret < 0) {
            return ret;
        }
    } else {
        return -errno;
    }
    e->initialized = true;
    if (active) {
        event_notifier_set(e);
    }
    return 0;
}

void event_notifier_cleanup(EventNotifier *e)
{
    if (!e->initialized) {
        return;
    }
    if (e->wfd != e->rfd) {
        close(e->wfd);
    }
    close(e->rfd);
    e->rfd = e->wfd = -1;
    e->initialized = false;
}

int event_notifier_set(EventNotifier *e)
{
    static const uint64_t one = 1;
    ssize_t ret;

    /* 8 bytes for an eventfd; a pipe just gets one more "1" byte. */
    ret = RETRY_ON_EINTR(write(e->wfd, &one, e->wfd == e->rfd ?
                               sizeof(one) : 1));
    /* EAGAIN: already signalled (full pipe or saturated counter). */
    if (ret < 0 && errno != EAGAIN) {
        return -errno;
    }
    return 0;
}

bool event_notifier_test_and_clear(EventNotifier *e)
{
    char buf[512];
    bool signalled = false;
    ssize_t len;

    /* An eventfd read resets the counter; a pipe is drained fully. */
    do {
        len = RETRY_ON_EINTR(read(e->rfd, buf, sizeof(buf)));
        signalled |= len > 0;
    } while (len == sizeof(buf));
    return signalled;
}

int event_notifier_get_fd(const EventNotifier *e)
{
    return e->rfd;
}
