/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QDict helpers for block-layer options, which arrive either nested
 * (QMP blockdev-add) or flattened with dotted keys ("file.filename", from
 * the command line and json: filenames).  The names are QEMU's.
 */
#ifndef BLOCK_QDICT_H
#define BLOCK_QDICT_H

#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

/**
 * qdict_flatten:
 * Replace every nested non-empty dict or list in @qdict by its members
 * under dotted keys: {"a": {"b": 1}, "c": [2]} becomes {"a.b": 1,
 * "c.0": 2}.  Empty dicts and lists stay as values.
 */
void qdict_flatten(QDict *qdict);

/**
 * qdict_extract_subqdict:
 * Move every member of @src whose key starts with @start into a new dict
 * stored in *@dst (if @dst is not NULL; else drop them), with @start
 * removed from the keys.
 */
void qdict_extract_subqdict(QDict *src, QDict **dst, const char *start);

/**
 * qdict_array_split:
 * Move the members of @src keyed "0", "1", ... (or "0.x", "1.y", ...,
 * which become dicts) into a new list stored in *@dst, stopping at the
 * first index that is missing or present in both forms.
 */
void qdict_array_split(QDict *src, QList **dst);

/**
 * qdict_array_entries:
 * Return how many list elements @src holds under the prefix @subqdict
 * (e.g. "drives." for "drives.0", "drives.1.file", ...), or -EINVAL if
 * the keys under the prefix do not form a list numbered from 0.
 */
int qdict_array_entries(QDict *src, const char *subqdict);

/**
 * qdict_join:
 * Move all members of @src to @dest.  Keys @dest already has are moved
 * (replacing the old value) only if @overwrite; otherwise they stay in
 * @src.
 */
void qdict_join(QDict *dest, QDict *src, bool overwrite);

/**
 * qdict_crumple:
 * Return a new nested dict built from the flat dict @src, the reverse of
 * qdict_flatten(): dotted keys become nested dicts ("a..b" is the key
 * "a.b"), and dicts whose keys are exactly 0..n-1 become lists.  Return
 * NULL with @errp set if the keys conflict.
 */
QObject *qdict_crumple(const QDict *src, Error **errp);

typedef struct QDictRenames {
    const char *from;
    const char *to;
} QDictRenames;

/**
 * qdict_rename_keys:
 * Apply the renames in @renames (ended by an entry with from == NULL) to
 * the keys of @qdict.  Fail if a target key already exists.
 */
bool qdict_rename_keys(QDict *qdict, const QDictRenames *renames,
                       Error **errp);

#endif
