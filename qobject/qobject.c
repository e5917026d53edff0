/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Type dispatch for QObjects: destruction when the last reference goes
 * and deep equality.
 */
#include "qemu/osdep.h"
#include "qobject/qobject.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

static void (*const qobject_destroy_fn[QTYPE__MAX])(QObject *) = {
    [QTYPE_QNUM] = qnum_destroy_obj,
    [QTYPE_QSTRING] = qstring_destroy_obj,
    [QTYPE_QDICT] = qdict_destroy_obj,
    [QTYPE_QLIST] = qlist_destroy_obj,
    [QTYPE_QBOOL] = qbool_destroy_obj,
};

static bool (*const qobject_is_equal_fn[QTYPE__MAX])(const QObject *,
                                                     const QObject *) = {
    [QTYPE_QNULL] = qnull_is_equal,
    [QTYPE_QNUM] = qnum_is_equal,
    [QTYPE_QSTRING] = qstring_is_equal,
    [QTYPE_QDICT] = qdict_is_equal,
    [QTYPE_QLIST] = qlist_is_equal,
    [QTYPE_QBOOL] = qbool_is_equal,
};

void qobject_destroy(QObject *obj)
{
    assert(!obj->base.refcnt);
    /* The null singleton starts with a reference that is never dropped. */
    assert(qobject_destroy_fn[qobject_type(obj)]);
    qobject_destroy_fn[qobject_type(obj)](obj);
}

bool qobject_is_equal(const QObject *x, const QObject *y)
{
    if (x == y) {
        return true;
    }
    if (!x || !y || qobject_type(x) != qobject_type(y)) {
        return false;
    }
    return qobject_is_equal_fn[qobject_type(x)](x, y);
}
