/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QString: an immutable NUL-terminated string as a QObject.  Build text
 * with a GString and convert it with qstring_from_gstring().
 */
#ifndef QOBJECT_QSTRING_H
#define QOBJECT_QSTRING_H

#include "qobject/qobject.h"

struct QString {
    struct QObjectBase_ base;
    const char *string;
};

/**
 * qstring_new:
 * Return a new empty QString.
 */
QString *qstring_new(void);

/**
 * qstring_from_str:
 * Return a new QString holding a copy of @str.
 */
QString *qstring_from_str(const char *str);

/**
 * qstring_from_substr:
 * Return a new QString holding a copy of @str[@start..@end) (end is
 * exclusive).
 */
QString *qstring_from_substr(const char *str, size_t start, size_t end);

/**
 * qstring_from_gstring:
 * Return a new QString taking over the text of @gstr, which is freed.
 */
QString *qstring_from_gstring(GString *gstr);

/**
 * qstring_get_str:
 * Return the text of @qstring; it lives as long as @qstring.
 */
const char *qstring_get_str(const QString *qstring);

/**
 * qstring_get_try_str:
 * Return the text of @qstring, or NULL if @qstring is NULL.
 */
const char *qstring_get_try_str(const QString *qstring);

/**
 * qobject_get_try_str:
 * Return the text of @obj if it is a QString, else NULL (also for NULL).
 */
const char *qobject_get_try_str(const QObject *obj);

/**
 * qstring_get_length:
 * Return the length in bytes of the text of @qstring.
 */
size_t qstring_get_length(const QString *qstring);

/**
 * qstring_is_equal:
 * Internal helper of qobject_is_equal() for two QStrings.
 */
bool qstring_is_equal(const QObject *x, const QObject *y);

/**
 * qstring_destroy_obj:
 * Internal: free a QString whose reference count dropped to zero.
 */
void qstring_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QString)

#endif
