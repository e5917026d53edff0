/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QBool: a QObject holding true or false. */
#ifndef QOBJECT_QBOOL_H
#define QOBJECT_QBOOL_H

#include "qobject/qobject.h"

struct QBool {
    struct QObjectBase_ base;
    bool value;
};

/**
 * qbool_from_bool:
 * Return a new QBool holding @value (one reference, owned by the caller).
 */
QBool *qbool_from_bool(bool value);

/**
 * qbool_get_bool:
 * Return the value of @qb.
 */
bool qbool_get_bool(const QBool *qb);

/**
 * qbool_is_equal:
 * Internal helper of qobject_is_equal() for two QBools.
 */
bool qbool_is_equal(const QObject *x, const QObject *y);

/**
 * qbool_destroy_obj:
 * Internal: free a QBool whose reference count dropped to zero.
 */
void qbool_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QBool)

#endif
