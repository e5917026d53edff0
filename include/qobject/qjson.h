/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Converting between JSON text and QObjects in one call: parsing a
 * whole string, building values from C format strings, and printing
 * values the way QEMU's QMP monitor prints them.
 */
#ifndef QOBJECT_QJSON_H
#define QOBJECT_QJSON_H

#include "qapi/error.h"
#include "qobject/qobject.h"

/**
 * qobject_from_json:
 * Parse @string, which must hold at most one JSON value (QEMU's
 * extensions, such as single-quoted strings, are accepted).  Return the
 * value, or NULL with no error if @string holds only whitespace, or NULL
 * with @errp set if it is not valid.
 */
QObject *qobject_from_json(const char *string, Error **errp);

/**
 * qobject_from_vjsonf_nofail:
 * Like qobject_from_jsonf_nofail() with a va_list.
 */
QObject *qobject_from_vjsonf_nofail(const char *string, va_list ap)
    G_GNUC_PRINTF(1, 0);

/**
 * qobject_from_jsonf_nofail:
 * Parse the JSON value @string, with C values interpolated into it:
 * %d %ld %lld (and %" PRId64 ") give signed integers, %u %lu %llu
 * unsigned ones, %i a bool (as in QEMU), %s a string, %f a double and %p
 * a QObject * whose reference is handed over to the result.  Inside a
 * string literal "%%" stands for a percent sign.  Aborts if @string is
 * not valid: for C callers with fixed format strings only.
 */
QObject *qobject_from_jsonf_nofail(const char *string, ...)
    G_GNUC_PRINTF(1, 2);

/**
 * qdict_from_vjsonf_nofail:
 * Like qdict_from_jsonf_nofail() with a va_list.
 */
QDict *qdict_from_vjsonf_nofail(const char *string, va_list ap)
    G_GNUC_PRINTF(1, 0);

/**
 * qdict_from_jsonf_nofail:
 * Like qobject_from_jsonf_nofail(), and the value must be a JSON object
 * (aborts otherwise).
 */
QDict *qdict_from_jsonf_nofail(const char *string, ...)
    G_GNUC_PRINTF(1, 2);

/**
 * qobject_to_json:
 * Return @obj as compact JSON text exactly as QEMU's QMP monitor prints
 * it: members separated by ", " and ": ", non-ASCII characters and
 * control characters as \uXXXX escapes, invalid UTF-8 as \uFFFD.
 */
GString *qobject_to_json(const QObject *obj);

/**
 * qobject_to_json_pretty:
 * Like qobject_to_json(); when @pretty, every member and element goes on
 * its own line, indented by four spaces per level, as in QEMU's
 * "pretty=on" monitor output.
 */
GString *qobject_to_json_pretty(const QObject *obj, bool pretty);

#endif
