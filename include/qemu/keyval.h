/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keyval: the dotted "key=value,..." syntax of -blockdev and friends,
 * parsed into a tree of QDicts and QLists whose scalars are all QStrings,
 * ready for a keyval QObject input visitor.
 */
#ifndef QEMU_KEYVAL_H
#define QEMU_KEYVAL_H

#include "qapi/error.h"
#include "qobject/qdict.h"

/**
 * keyval_parse_into:
 * Parse @params into @qdict (merging with what it holds) and return
 * @qdict, or NULL with @errp set.
 *
 * Syntax: items separated by ','; an item is KEY=VALUE where ",," in a
 * VALUE stands for ','.  KEY is a '.'-separated path of fragments, each
 * a name (letter first, then letters, digits, '-' and '_') or, after the
 * first, a decimal index.  "a.b=1" makes member "b" of dict "a"; a dict
 * whose keys are all indexes 0..N-1 becomes a QList.  A repeated key
 * takes the last value.
 *
 * If @implied_key is not NULL, a first item without '=' is the value of
 * @implied_key.  An item "help" or "?" sets *@p_help (or fails with "Help
 * is not available for this option" when @p_help is NULL).
 *
 * On error @qdict may hold part of @params.
 */
QDict *keyval_parse_into(QDict *qdict, const char *params,
                         const char *implied_key, bool *p_help,
                         Error **errp);

/**
 * keyval_parse:
 * keyval_parse_into() a new QDict; on error nothing is returned.  If
 * @p_help is not NULL it is cleared first.
 */
QDict *keyval_parse(const char *params, const char *implied_key,
                    bool *p_help, Error **errp);

/**
 * keyval_merge:
 * Merge the keyval tree @new into @old: dicts merge recursively, lists
 * are appended, scalars are replaced.  A member that is a dict on one
 * side and something else on the other fails with "Parameter 'KEY'
 * used inconsistently".
 */
void keyval_merge(QDict *old, const QDict *new, Error **errp);

#endif
