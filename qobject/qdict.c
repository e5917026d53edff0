/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QDict: JSON objects.
 *
 * A fixed table of QDICT_BUCKET_MAX chained buckets.  Lookup is O(1) on
 * average; iteration walks all buckets, so it costs O(QDICT_BUCKET_MAX +
 * n), and each dict carries a 4 KiB table.  The layout is QEMU's, chosen
 * because it fixes the order in which QMP prints members: buckets in
 * index order, each from its newest key to its oldest.
 */
#include "qemu/osdep.h"
#include "qobject/qdict.h"
#include "qobject/qbool.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

/*
 * The hash of the TDB database (also used by QEMU), whose bucket order
 * QMP output follows.  Computed in 32-bit unsigned arithmetic.
 */
static unsigned int qdict_hash(const char *key)
{
    uint32_t h = 0x238F13AFu * (uint32_t)strlen(key);
    size_t i;

    for (i = 0; key[i]; i++) {
        h += (uint32_t)(unsigned char)key[i] << (i * 5 % 24);
    }
    return (1103515243u * h + 12345u) % QDICT_BUCKET_MAX;
}

QDict *qdict_new(void)
{
    QDict *qdict = g_new0(QDict, 1);

    qobject_init(QOBJECT(qdict), QTYPE_QDICT);
    return qdict;
}

size_t qdict_size(const QDict *qdict)
{
    return qdict->size;
}

/* Return the link that points at @key's entry (or at the bucket's end). */
static QDictEntry **qdict_find_link(const QDict *qdict, const char *key)
{
    QDictEntry **link = (QDictEntry **)&qdict->table[qdict_hash(key)];

    while (*link && strcmp((*link)->key, key)) {
        link = &(*link)->next;
    }
    return link;
}

void qdict_put_obj(QDict *qdict, const char *key, QObject *value)
{
    unsigned int bucket = qdict_hash(key);
    QDictEntry **link = qdict_find_link(qdict, key);
    QDictEntry *entry = *link;

    assert(value);
    if (entry) {
        qobject_unref(entry->value);
        entry->value = value;
        return;
    }
    entry = g_new(QDictEntry, 1);
    entry->key = g_strdup(key);
    entry->value = value;
    entry->next = qdict->table[bucket];
    qdict->table[bucket] = entry;
    qdict->size++;
}

void qdict_put_int(QDict *qdict, const char *key, int64_t value)
{
    qdict_put(qdict, key, qnum_from_int(value));
}

void qdict_put_bool(QDict *qdict, const char *key, bool value)
{
    qdict_put(qdict, key, qbool_from_bool(value));
}

void qdict_put_str(QDict *qdict, const char *key, const char *value)
{
    qdict_put(qdict, key, qstring_from_str(value));
}

void qdict_put_null(QDict *qdict, const char *key)
{
    qdict_put(qdict, key, qnull());
}

QObject *qdict_get(const QDict *qdict, const char *key)
{
    QDictEntry *entry = *qdict_find_link(qdict, key);

    return entry ? entry->value : NULL;
}

bool qdict_haskey(const QDict *qdict, const char *key)
{
    return *qdict_find_link(qdict, key) != NULL;
}

void qdict_del(QDict *qdict, const char *key)
{
    QDictEntry **link = qdict_find_link(qdict, key);
    QDictEntry *entry = *link;

    if (!entry) {
        return;
    }
    *link = entry->next;
    qobject_unref(entry->value);
    g_free(entry->key);
    g_free(entry);
    qdict->size--;
}

int64_t qdict_get_int(const QDict *qdict, const char *key)
{
    return qnum_get_int(qobject_to(QNum, qdict_get(qdict, key)));
}

double qdict_get_double(const QDict *qdict, const char *key)
{
    return qnum_get_double(qobject_to(QNum, qdict_get(qdict, key)));
}

bool qdict_get_bool(const QDict *qdict, const char *key)
{
    return qbool_get_bool(qobject_to(QBool, qdict_get(qdict, key)));
}

const char *qdict_get_str(const QDict *qdict, const char *key)
{
    return qstring_get_str(qobject_to(QString, qdict_get(qdict, key)));
}

QDict *qdict_get_qdict(const QDict *qdict, const char *key)
{
    return qobject_to(QDict, qdict_get(qdict, key));
}

QList *qdict_get_qlist(const QDict *qdict, const char *key)
{
    return qobject_to(QList, qdict_get(qdict, key));
}

int64_t qdict_get_try_int(const QDict *qdict, const char *key,
                          int64_t def_value)
{
    QNum *qn = qobject_to(QNum, qdict_get(qdict, key));
    int64_t val;

    if (!qn || !qnum_get_try_int(qn, &val)) {
        return def_value;
    }
    return val;
}

bool qdict_get_try_bool(const QDict *qdict, const char *key, bool def_value)
{
    QBool *qb = qobject_to(QBool, qdict_get(qdict, key));

    return qb ? qbool_get_bool(qb) : def_value;
}

const char *qdict_get_try_str(const QDict *qdict, const char *key)
{
    QString *qs = qobject_to(QString, qdict_get(qdict, key));

    return qs ? qstring_get_str(qs) : NULL;
}

static const QDictEntry *qdict_first_from(const QDict *qdict,
                                          unsigned int bucket)
{
    for (; bucket < QDICT_BUCKET_MAX; bucket++) {
        if (qdict->table[bucket]) {
            return qdict->table[bucket];
        }
    }
    return NULL;
}

const QDictEntry *qdict_first(const QDict *qdict)
{
    return qdict->size ? qdict_first_from(qdict, 0) : NULL;
}

const QDictEntry *qdict_next(const QDict *qdict, const QDictEntry *entry)
{
    if (entry->next) {
        return entry->next;
    }
    return qdict_first_from(qdict, qdict_hash(entry->key) + 1);
}

const char *qdict_entry_key(const QDictEntry *entry)
{
    return entry->key;
}

QObject *qdict_entry_value(const QDictEntry *entry)
{
    return entry->value;
}

QDict *qdict_clone_shallow(const QDict *src)
{
    QDict *dst = qdict_new();
    const QDictEntry *e;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        qdict_put_obj(dst, e->key, qobject_ref(e->value));
    }
    return dst;
}

void qdict_copy_default(QDict *dst, const QDict *src, const char *key)
{
    QObject *val;

    if (qdict_haskey(dst, key)) {
        return;
    }
    val = qdict_get(src, key);
    if (val) {
        qdict_put_obj(dst, key, qobject_ref(val));
    }
}

void qdict_set_default_str(QDict *dst, const char *key, const char *val)
{
    if (!qdict_haskey(dst, key)) {
        qdict_put_str(dst, key, val);
    }
}

bool qdict_is_equal(const QObject *x, const QObject *y)
{
    const QDict *a = qobject_to(QDict, x);
    const QDict *b = qobject_to(QDict, y);
    const QDictEntry *e;

    if (a->size != b->size) {
        return false;
    }
    for (e = qdict_first(a); e; e = qdict_next(a, e)) {
        if (!qobject_is_equal(e->value, qdict_get(b, e->key))) {
            return false;
        }
    }
    return true;
}

void qdict_destroy_obj(QObject *obj)
{
    QDict *qdict = qobject_to(QDict, obj);
    unsigned int i;

    for (i = 0; i < QDICT_BUCKET_MAX; i++) {
        QDictEntry *entry = qdict->table[i];

        while (entry) {
            QDictEntry *next = entry->next;

            qobject_unref(entry->value);
            g_free(entry->key);
            g_free(entry);
            entry = next;
        }
    }
    g_free(qdict);
}
