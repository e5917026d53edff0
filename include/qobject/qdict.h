/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QDict: a map from strings to QObjects (a JSON object).
 *
 * Iteration order is the one QEMU's QMP output shows: keys are hashed
 * into a fixed number of buckets, iteration walks the buckets in order
 * and, inside a bucket, goes from the most recently added key to the
 * oldest.  Reproducing it makes our replies byte-identical to QEMU's.
 */
#ifndef QOBJECT_QDICT_H
#define QOBJECT_QDICT_H

#include "qobject/qobject.h"
#include "qobject/qnum.h"

/* Number of hash buckets; part of the observable iteration order. */
#define QDICT_BUCKET_MAX 512

typedef struct QDictEntry QDictEntry;

struct QDictEntry {
    char *key;
    QObject *value;
    QDictEntry *next;           /* next entry in the same bucket */
};

struct QDict {
    struct QObjectBase_ base;
    size_t size;
    QDictEntry *table[QDICT_BUCKET_MAX];
};

/**
 * qdict_new:
 * Return a new empty QDict.
 */
QDict *qdict_new(void);

/**
 * qdict_size:
 * Return the number of keys in @qdict.
 */
size_t qdict_size(const QDict *qdict);

/**
 * qdict_put_obj:
 * Map @key to @value in @qdict, taking over the caller's reference to
 * @value.  An existing value for @key is released and replaced in place.
 */
void qdict_put_obj(QDict *qdict, const char *key, QObject *value);

/*
 * qdict_put:
 * qdict_put_obj() for any QObject type.
 */
#define qdict_put(qdict, key, obj) qdict_put_obj(qdict, key, QOBJECT(obj))

/**
 * qdict_put_int:
 * Map @key to a new QNum holding @value.
 */
void qdict_put_int(QDict *qdict, const char *key, int64_t value);

/**
 * qdict_put_bool:
 * Map @key to a new QBool holding @value.
 */
void qdict_put_bool(QDict *qdict, const char *key, bool value);

/**
 * qdict_put_str:
 * Map @key to a new QString holding a copy of @value.
 */
void qdict_put_str(QDict *qdict, const char *key, const char *value);

/**
 * qdict_put_null:
 * Map @key to the null singleton.
 */
void qdict_put_null(QDict *qdict, const char *key);

/**
 * qdict_get:
 * Return the value of @key (borrowed), or NULL if absent.
 */
QObject *qdict_get(const QDict *qdict, const char *key);

/**
 * qdict_haskey:
 * Return whether @qdict has @key.
 */
bool qdict_haskey(const QDict *qdict, const char *key);

/**
 * qdict_del:
 * Remove @key and release its value; an absent key is not an error.
 */
void qdict_del(QDict *qdict, const char *key);

/**
 * qdict_get_int:
 * Return the integer value of @key, which must exist, be a QNum and fit
 * in int64_t (asserted).
 */
int64_t qdict_get_int(const QDict *qdict, const char *key);

/**
 * qdict_get_double:
 * Return the value of @key, which must exist and be a QNum (asserted),
 * as a double.
 */
double qdict_get_double(const QDict *qdict, const char *key);

/**
 * qdict_get_bool:
 * Return the value of @key, which must exist and be a QBool (asserted).
 */
bool qdict_get_bool(const QDict *qdict, const char *key);

/**
 * qdict_get_str:
 * Return the text of @key (borrowed), which must exist and be a QString
 * (asserted).
 */
const char *qdict_get_str(const QDict *qdict, const char *key);

/**
 * qdict_get_qdict:
 * Return the value of @key (borrowed) if it is a QDict, else NULL.
 */
QDict *qdict_get_qdict(const QDict *qdict, const char *key);

/**
 * qdict_get_qlist:
 * Return the value of @key (borrowed) if it is a QList, else NULL.
 */
QList *qdict_get_qlist(const QDict *qdict, const char *key);

/**
 * qdict_get_try_int:
 * Return the value of @key if it is an integer fitting int64_t, else
 * @def_value.
 */
int64_t qdict_get_try_int(const QDict *qdict, const char *key,
                          int64_t def_value);

/**
 * qdict_get_try_bool:
 * Return the value of @key if it is a QBool, else @def_value.
 */
bool qdict_get_try_bool(const QDict *qdict, const char *key, bool def_value);

/**
 * qdict_get_try_str:
 * Return the text of @key (borrowed) if it is a QString, else NULL.
 */
const char *qdict_get_try_str(const QDict *qdict, const char *key);

/**
 * qdict_first:
 * Return the first entry of @qdict in iteration order, or NULL if empty.
 */
const QDictEntry *qdict_first(const QDict *qdict);

/**
 * qdict_next:
 * Return the entry after @entry in iteration order, or NULL at the end.
 * @qdict must not have changed since @entry was returned.
 */
const QDictEntry *qdict_next(const QDict *qdict, const QDictEntry *entry);

/**
 * qdict_entry_key:
 * Return the key of @entry (borrowed).
 */
const char *qdict_entry_key(const QDictEntry *entry);

/**
 * qdict_entry_value:
 * Return the value of @entry (borrowed).
 */
QObject *qdict_entry_value(const QDictEntry *entry);

/**
 * qdict_clone_shallow:
 * Return a new QDict with the same keys mapped to new references to the
 * same values.
 */
QDict *qdict_clone_shallow(const QDict *src);

/**
 * qdict_copy_default:
 * If @dst lacks @key and @src has it, map @key in @dst to a new
 * reference to @src's value.
 */
void qdict_copy_default(QDict *dst, const QDict *src, const char *key);

/**
 * qdict_set_default_str:
 * If @dst lacks @key, map it to a new QString holding @val.
 */
void qdict_set_default_str(QDict *dst, const char *key, const char *val);

/**
 * qdict_is_equal:
 * Internal helper of qobject_is_equal() for two QDicts.
 */
bool qdict_is_equal(const QObject *x, const QObject *y);

/**
 * qdict_destroy_obj:
 * Internal: free a QDict whose reference count dropped to zero.
 */
void qdict_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QDict)

#endif
