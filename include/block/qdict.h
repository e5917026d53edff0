/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QDict helpers of the block layer: converting between flat option
 * dicts ("file.driver": "file") and nested ones, and picking apart the
 * flat options a driver receives.
 */
#ifndef BLOCK_QDICT_H
#define BLOCK_QDICT_H

#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

/**
 * qdict_join:
 * Move every entry of @src into @dest.  An entry whose key @dest already
 * has replaces it if @overwrite, else it stays in @src.
 */
void qdict_join(QDict *dest, QDict *src, bool overwrite);

/**
 * qdict_extract_subqdict:
 * Remove from @src every entry whose key starts with @start; if @dst is
 * not NULL, *@dst becomes a new QDict holding them with @start cut off
 * ("file." extracts "file.driver" as "driver").
 */
void qdict_extract_subqdict(QDict *src, QDict **dst, const char *start);

/**
 * qdict_array_split:
 * Move the array elements "0", "1", ... of @src into the new QList
 * *@dst.  Element N is either the value of key "N" or, if keys "N.*"
 * exist, a QDict of those (with "N." cut off); the array ends at the
 * first N that has neither, or both.
 */
void qdict_array_split(QDict *src, QList **dst);

/**
 * qdict_array_entries:
 * Return the number of array elements below the prefix @subqdict (""
 * or ending in '.') in @src, or -EINVAL if some key below @subqdict is
 * not part of the array or an element is given both ways.
 */
int qdict_array_entries(QDict *src, const char *subqdict);

/**
 * qdict_flatten:
 * Replace every non-empty nested QDict or QList in @qdict by its
 * entries under dotted keys: {"a": {"b": 1}, "l": [2]} becomes
 * {"a.b": 1, "l.0": 2}.  Empty dicts and lists are kept as values.
 */
void qdict_flatten(QDict *qdict);

/**
 * qdict_crumple:
 * The inverse of qdict_flatten(): return a new nested QObject built from
 * the flat @src, where "a.b" is member "b" of dict "a", a dict whose
 * keys are all numbers 0..N-1 becomes a QList, and ".." in a key
 * stands for a literal '.'.  Errors: "Value KEY is not flat",
 * "Cannot mix scalar and non-scalar keys", "Cannot mix list and non-list
 * keys", "List indices are not contiguous, ..." and "Missing list index
 * N".
 */
QObject *qdict_crumple(const QDict *src, Error **errp);

/* One key rename for qdict_rename_keys(); a table ends with from NULL. */
typedef struct QDictRenames {
    const char *from;
    const char *to;
} QDictRenames;

/**
 * qdict_rename_keys:
 * Rename keys of @qdict by the table @renames (legacy option names to
 * current ones).  If both names are present, fail with "'TO' and its
 * alias 'FROM' can't be used at the same time".
 */
bool qdict_rename_keys(QDict *qdict, const QDictRenames *renames,
                       Error **errp);

/**
 * qdict_stringify_for_keyval:
 * Convert, recursively, every number in @qdict to its decimal string and
 * every boolean to "on"/"off", so options from JSON (-drive json:,
 * typed QDicts) can go through a keyval visitor like command-line ones.
 */
void qdict_stringify_for_keyval(QDict *qdict);

#endif
