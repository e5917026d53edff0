/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QemuLockable: one handle for "some lock" (CoMutex, GMutex, GRecMutex),
 * and the scope guards built on it, QEMU_LOCK_GUARD() and
 * WITH_QEMU_LOCK_GUARD(), which release the lock on every exit path.
 */
#ifndef QEMU_LOCKABLE_H
#define QEMU_LOCKABLE_H

#include "qemu/coroutine.h"

typedef void QemuLockUnlockFunc(void *lock);

typedef struct QemuLockable {
    void *object;
    QemuLockUnlockFunc *lock;
    QemuLockUnlockFunc *unlock;
} QemuLockable;

/* Adapters with the generic signature. */
static inline void qemu_lockable_co_mutex_lock(void *m)
{
    qemu_co_mutex_lock(m);
}

static inline void qemu_lockable_co_mutex_unlock(void *m)
{
    qemu_co_mutex_unlock(m);
}

static inline void qemu_lockable_g_mutex_lock(void *m)
{
    g_mutex_lock(m);
}

static inline void qemu_lockable_g_mutex_unlock(void *m)
{
    g_mutex_unlock(m);
}

static inline void qemu_lockable_g_rec_mutex_lock(void *m)
{
    g_rec_mutex_lock(m);
}

static inline void qemu_lockable_g_rec_mutex_unlock(void *m)
{
    g_rec_mutex_unlock(m);
}

#define QEMU_LOCKABLE_FUNC_(x, op) \
    _Generic((x), \
             CoMutex *: qemu_lockable_co_mutex_##op, \
             GMutex *: qemu_lockable_g_mutex_##op, \
             GRecMutex *: qemu_lockable_g_rec_mutex_##op)

/**
 * QEMU_MAKE_LOCKABLE:
 * @x: a CoMutex *, GMutex * or GRecMutex *
 *
 * Evaluate to a QemuLockable * for @x, valid in the enclosing block.
 */
#define QEMU_MAKE_LOCKABLE(x) \
    (&(QemuLockable) { \
        .object = (x), \
        .lock = QEMU_LOCKABLE_FUNC_((x), lock), \
        .unlock = QEMU_LOCKABLE_FUNC_((x), unlock), \
    })

/**
 * qemu_lockable_lock:
 * @x: lockable
 *
 * Take the lock behind @x.
 */
static inline void qemu_lockable_lock(QemuLockable *x)
{
    x->lock(x->object);
}

/**
 * qemu_lockable_unlock:
 * @x: lockable
 *
 * Release the lock behind @x.
 */
static inline void qemu_lockable_unlock(QemuLockable *x)
{
    x->unlock(x->object);
}

/**
 * qemu_lockable_auto_lock:
 * @x: lockable
 *
 * Lock @x and return it, for the guards' g_autoptr.
 */
static inline QemuLockable *qemu_lockable_auto_lock(QemuLockable *x)
{
    qemu_lockable_lock(x);
    return x;
}

/**
 * qemu_lockable_auto_unlock:
 * @x: lockable or NULL
 *
 * Unlock @x unless NULL (the guards' cleanup function).
 */
static inline void qemu_lockable_auto_unlock(QemuLockable *x)
{
    if (x) {
        qemu_lockable_unlock(x);
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuLockable, qemu_lockable_auto_unlock)

#define QEMU_LOCK_GUARD_GLUE_(a, b) a##b
#define QEMU_LOCK_GUARD_NAME_(n) QEMU_LOCK_GUARD_GLUE_(qemu_lockable_auto, n)

/**
 * QEMU_LOCK_GUARD:
 * @x: a CoMutex *, GMutex * or GRecMutex *
 *
 * Lock @x until the end of the enclosing block, whichever way it is left.
 */
#define QEMU_LOCK_GUARD(x) \
    g_autoptr(QemuLockable) QEMU_LOCK_GUARD_NAME_(__COUNTER__) \
        G_GNUC_UNUSED = qemu_lockable_auto_lock(QEMU_MAKE_LOCKABLE((x)))

#define WITH_QEMU_LOCK_GUARD_(x, var) \
    for (g_autoptr(QemuLockable) var = \
             qemu_lockable_auto_lock(QEMU_MAKE_LOCKABLE((x))); \
         var; \
         qemu_lockable_auto_unlock(var), var = NULL)

/**
 * WITH_QEMU_LOCK_GUARD:
 * @x: a CoMutex *, GMutex * or GRecMutex *
 *
 * Run the following statement with @x locked; break, return and goto out
 * of it unlock too.
 */
#define WITH_QEMU_LOCK_GUARD(x) \
    WITH_QEMU_LOCK_GUARD_((x), QEMU_LOCK_GUARD_NAME_(__COUNTER__))

#endif
