/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QObject: the reference-counted dynamic values (dicts, lists, strings,
 * numbers, booleans, null) that QMP messages, options and the QAPI
 * visitors are made of.  Every concrete type embeds QObjectBase_ as its
 * first member named "base", so QOBJECT() works on any of them.
 */
#ifndef QOBJECT_QOBJECT_H
#define QOBJECT_QOBJECT_H

typedef enum QType {
    QTYPE_NONE,
    QTYPE_QNULL,
    QTYPE_QNUM,
    QTYPE_QSTRING,
    QTYPE_QDICT,
    QTYPE_QLIST,
    QTYPE_QBOOL,
    QTYPE__MAX,
} QType;

typedef struct QObject QObject;
typedef struct QDict QDict;
typedef struct QList QList;
typedef struct QString QString;
typedef struct QNum QNum;
typedef struct QBool QBool;
typedef struct QNull QNull;

/* The header shared by all QObject types; never used on its own. */
struct QObjectBase_ {
    QType type;
    size_t refcnt;
};

struct QObject {
    struct QObjectBase_ base;
};

/* Map a type name to its QType, for qobject_to(). */
#define QTYPE_CAST_TO_QNull     QTYPE_QNULL
#define QTYPE_CAST_TO_QNum      QTYPE_QNUM
#define QTYPE_CAST_TO_QString   QTYPE_QSTRING
#define QTYPE_CAST_TO_QDict     QTYPE_QDICT
#define QTYPE_CAST_TO_QList     QTYPE_QLIST
#define QTYPE_CAST_TO_QBool     QTYPE_QBOOL

#define QOBJECT_GLUE_(a, b) a##b
#define QOBJECT_GLUE(a, b) QOBJECT_GLUE_(a, b)

/*
 * QOBJECT:
 * Convert a pointer to any QObject type (or NULL) to a QObject pointer.
 */
#define QOBJECT(obj) ({                                         \
    typeof(obj) qobj_ = (obj);                                  \
    qobj_ ? container_of(&qobj_->base, QObject, base) : NULL;   \
})

/* Internal: initialise the header of a freshly allocated QObject. */
static inline void qobject_init(QObject *obj, QType type)
{
    assert(type > QTYPE_NONE && type < QTYPE__MAX);
    obj->base.refcnt = 1;
    obj->base.type = type;
}

/* Internal: take a reference; NULL is ignored. */
static inline void qobject_ref_impl(QObject *obj)
{
    if (obj) {
        obj->base.refcnt++;
    }
}

/**
 * qobject_destroy:
 * Internal: free @obj when its last reference is dropped.
 */
void qobject_destroy(QObject *obj);

/* Internal: drop a reference; NULL is ignored. */
static inline void qobject_unref_impl(QObject *obj)
{
    assert(!obj || obj->base.refcnt);
    if (obj && --obj->base.refcnt == 0) {
        qobject_destroy(obj);
    }
}

/*
 * qobject_ref:
 * Take a new reference to @obj (any QObject type, or NULL) and return it
 * with its own type.
 */
#define qobject_ref(obj) ({                     \
    typeof(obj) qref_ = (obj);                  \
    qobject_ref_impl(QOBJECT(qref_));           \
    qref_;                                      \
})

/*
 * qobject_unref:
 * Drop a reference to @obj (any QObject type, or NULL), freeing it when
 * it was the last one.
 */
#define qobject_unref(obj) qobject_unref_impl(QOBJECT(obj))

/**
 * qobject_type:
 * Return the type of @obj, which must not be NULL.
 */
static inline QType qobject_type(const QObject *obj)
{
    assert(QTYPE_NONE < obj->base.type && obj->base.type < QTYPE__MAX);
    return obj->base.type;
}

/* Internal: @obj if it has type @type, else NULL (also for NULL @obj). */
static inline QObject *qobject_check_type(const QObject *obj, QType type)
{
    if (obj && qobject_type(obj) == type) {
        return (QObject *)obj;
    }
    return NULL;
}

/*
 * qobject_to:
 * Downcast @obj to @type (QDict, QList, ...), or return NULL when @obj
 * is NULL or of another type.  The reference is borrowed, not taken.
 */
#define qobject_to(type, obj) \
    ((type *)qobject_check_type(obj, QOBJECT_GLUE(QTYPE_CAST_TO_, type)))

/**
 * qobject_is_equal:
 * Return whether @x and @y hold the same value.  Dicts compare by keys
 * and values regardless of order, lists element by element; an integer
 * and a double never compare equal (the comparison could not be exact);
 * two NULL pointers are equal.
 */
bool qobject_is_equal(const QObject *x, const QObject *y);

/* g_autoptr() support for every QObject type. */
static inline void qobject_autoptr_unref(QObject *obj)
{
    qobject_unref(obj);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QObject, qobject_autoptr_unref)

#define QOBJECT_AUTOPTR_FN(type) QOBJECT_GLUE(qobject_autoptr_unref_, type)
#define QOBJECT_DEFINE_AUTOPTR(type)                                    \
    static inline void QOBJECT_AUTOPTR_FN(type)(type *o)                \
    {                                                                   \
        qobject_unref(o);                                               \
    }                                                                   \
    G_DEFINE_AUTOPTR_CLEANUP_FUNC(type, QOBJECT_AUTOPTR_FN(type))

#endif
