/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QNum: a JSON number, kept as the int64_t, uint64_t or double it was
 * created from so that no precision is lost.  Integers read as either
 * signed or unsigned when the value fits; a double never reads as an
 * integer.
 */
#ifndef QOBJECT_QNUM_H
#define QOBJECT_QNUM_H

#include "qobject/qobject.h"

typedef enum QNumKind {
    QNUM_I64,
    QNUM_U64,
    QNUM_DOUBLE,
} QNumKind;

struct QNum {
    struct QObjectBase_ base;
    QNumKind kind;
    union {
        int64_t i64;
        uint64_t u64;
        double dbl;
    } u;
};

/**
 * qnum_from_int:
 * Return a new QNum holding the signed integer @value.
 */
QNum *qnum_from_int(int64_t value);

/**
 * qnum_from_uint:
 * Return a new QNum holding the unsigned integer @value.
 */
QNum *qnum_from_uint(uint64_t value);

/**
 * qnum_from_double:
 * Return a new QNum holding the double @value.
 */
QNum *qnum_from_double(double value);

/**
 * qnum_get_try_int:
 * Store the value of @qn in *@val and return true if it is an integer
 * that fits in int64_t; otherwise return false.
 */
bool qnum_get_try_int(const QNum *qn, int64_t *val);

/**
 * qnum_get_int:
 * Return the value of @qn, which must fit in int64_t (asserted).
 */
int64_t qnum_get_int(const QNum *qn);

/**
 * qnum_get_try_uint:
 * Store the value of @qn in *@val and return true if it is an integer
 * that fits in uint64_t; otherwise return false.
 */
bool qnum_get_try_uint(const QNum *qn, uint64_t *val);

/**
 * qnum_get_uint:
 * Return the value of @qn, which must fit in uint64_t (asserted).
 */
uint64_t qnum_get_uint(const QNum *qn);

/**
 * qnum_get_double:
 * Return the value of @qn as a double (integers are converted, possibly
 * rounding).
 */
double qnum_get_double(const QNum *qn);

/**
 * qnum_to_string:
 * Return the value of @qn as text the way QEMU prints it in JSON:
 * integers in decimal, doubles with "%.17g" so they read back exactly.
 * The caller frees the string with g_free().
 */
char *qnum_to_string(const QNum *qn);

/**
 * qnum_is_equal:
 * Internal helper of qobject_is_equal() for two QNums.
 */
bool qnum_is_equal(const QObject *x, const QObject *y);

/**
 * qnum_destroy_obj:
 * Internal: free a QNum whose reference count dropped to zero.
 */
void qnum_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QNum)

#endif
