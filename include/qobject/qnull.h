/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QNull: the JSON null.  There is one instance; qnull() hands out new
 * references to it and it is never freed.
 */
#ifndef QOBJECT_QNULL_H
#define QOBJECT_QNULL_H

#include "qobject/qobject.h"

struct QNull {
    struct QObjectBase_ base;
};

/* The singleton; use qnull() rather than this directly. */
extern QNull qnull_;

/**
 * qnull:
 * Return a new reference to the null singleton.
 */
static inline QNull *qnull(void)
{
    return qobject_ref(&qnull_);
}

/**
 * qnull_is_equal:
 * Internal helper of qobject_is_equal(): two nulls are always equal.
 */
bool qnull_is_equal(const QObject *x, const QObject *y);

QOBJECT_DEFINE_AUTOPTR(QNull)

#endif
