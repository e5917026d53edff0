/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The first header every C file includes: system headers, GLib, and the
 * handful of macros the whole tree relies on.
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#include "config-host.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <assert.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include <glib.h>

#include "qemu/compiler.h"
#include "qemu/units.h"

/* Marks a function that may yield: call it only from a coroutine. */
#define coroutine_fn
/* Marks a function that may be called from inside or outside a coroutine. */
#define coroutine_mixed_fn

#ifndef MIN
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#endif

/* Round n down/up to a multiple of m (any m > 0). */
#define QEMU_ALIGN_DOWN(n, m) ((n) / (m) * (m))
#define QEMU_ALIGN_UP(n, m) QEMU_ALIGN_DOWN((n) + (m) - 1, (m))
#define QEMU_IS_ALIGNED(n, m) (((n) % (m)) == 0)
/* Round n up to a multiple of d, where d is a power of two. */
#define ROUND_UP(n, d) (((n) + (d) - 1) & -(0 ? (n) : (d)))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

static inline bool is_power_of_2(uint64_t value)
{
    return value && !(value & (value - 1));
}

/* Retry a system call while it fails with EINTR. */
#define RETRY_ON_EINTR(expr) \
    ({ \
        typeof(expr) __r; \
        do { \
            __r = (expr); \
        } while (__r == -1 && errno == EINTR); \
        __r; \
    })

#endif
