/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QList: an ordered sequence of QObjects (a JSON array).  A singly linked
 * list with a tail pointer: append, pop from the front and iteration are
 * O(1) per element; size is O(n), like QEMU's.
 */
#ifndef QOBJECT_QLIST_H
#define QOBJECT_QLIST_H

#include "qobject/qobject.h"

typedef struct QListEntry QListEntry;

struct QListEntry {
    QObject *value;
    QListEntry *next;
};

struct QList {
    struct QObjectBase_ base;
    QListEntry *head;
    QListEntry *tail;
};

/**
 * qlist_new:
 * Return a new empty QList.
 */
QList *qlist_new(void);

/**
 * qlist_copy:
 * Return a new QList holding new references to the elements of @src
 * (a shallow copy).
 */
QList *qlist_copy(QList *src);

/**
 * qlist_append_obj:
 * Append @obj to @qlist, taking over the caller's reference.
 */
void qlist_append_obj(QList *qlist, QObject *obj);

/*
 * qlist_append:
 * Append any QObject type, taking over the caller's reference.
 */
#define qlist_append(qlist, obj) qlist_append_obj(qlist, QOBJECT(obj))

/**
 * qlist_append_int:
 * Append a new QNum holding @value.
 */
void qlist_append_int(QList *qlist, int64_t value);

/**
 * qlist_append_bool:
 * Append a new QBool holding @value.
 */
void qlist_append_bool(QList *qlist, bool value);

/**
 * qlist_append_str:
 * Append a new QString holding a copy of @value.
 */
void qlist_append_str(QList *qlist, const char *value);

/**
 * qlist_append_null:
 * Append a reference to the null singleton.
 */
void qlist_append_null(QList *qlist);

/**
 * qlist_pop:
 * Remove the first element of @qlist and return it (the caller now owns
 * the reference), or NULL if the list is empty.
 */
QObject *qlist_pop(QList *qlist);

/**
 * qlist_peek:
 * Return the first element of @qlist (borrowed), or NULL if empty.
 */
QObject *qlist_peek(QList *qlist);

/**
 * qlist_empty:
 * Return whether @qlist has no elements.
 */
bool qlist_empty(const QList *qlist);

/**
 * qlist_size:
 * Return the number of elements of @qlist.
 */
size_t qlist_size(const QList *qlist);

/**
 * qlist_first:
 * Return the first entry of @qlist, or NULL if it is empty.
 */
static inline const QListEntry *qlist_first(const QList *qlist)
{
    return qlist->head;
}

/**
 * qlist_next:
 * Return the entry after @entry, or NULL at the end.
 */
static inline const QListEntry *qlist_next(const QListEntry *entry)
{
    return entry->next;
}

/**
 * qlist_entry_obj:
 * Return the element held by @entry (borrowed).
 */
static inline QObject *qlist_entry_obj(const QListEntry *entry)
{
    return entry->value;
}

/*
 * QLIST_FOREACH_ENTRY:
 * Loop @var (a const QListEntry *) over the entries of @qlist.  The list
 * must not be modified during the loop.
 */
#define QLIST_FOREACH_ENTRY(qlist, var) \
    for ((var) = qlist_first(qlist); (var); (var) = qlist_next(var))

/**
 * qlist_is_equal:
 * Internal helper of qobject_is_equal() for two QLists.
 */
bool qlist_is_equal(const QObject *x, const QObject *y);

/**
 * qlist_destroy_obj:
 * Internal: free a QList whose reference count dropped to zero.
 */
void qlist_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QList)

#endif
