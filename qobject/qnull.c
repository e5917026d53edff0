/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The null singleton.  Its reference count starts at one and that
 * reference is never dropped, so it is never freed.
 */
#include "qemu/osdep.h"
#include "qobject/qnull.h"

QNull qnull_ = {
    .base = {
        .type = QTYPE_QNULL,
        .refcnt = 1,
    },
};

bool qnull_is_equal(const QObject *x, const QObject *y)
{
    return true;
}
