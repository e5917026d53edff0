/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Locks for coroutines: CoQueue (wait lists), CoMutex and CoRwlock.  A
 * woken coroutine is never entered from inside the waker: aio_co_wake()
 * queues it to run after the waker yields, or schedules it in its own
 * AioContext, so lock hand-offs do not nest stacks.  CoMutex and
 * CoRwlock hand ownership to the waiter before waking it, which is what
 * makes them FIFO-fair: a newcomer can never overtake a waiter.
 */
#include "qemu/osdep.h"
#include "qemu/coroutine-int.h"
#include "block/aio.h"

/* ---- CoQueue ---- */

void qemu_co_queue_init(CoQueue *queue)
{
    QSIMPLEQ_INIT(&queue->entries);
}

void coroutine_fn qemu_co_queue_wait(CoQueue *queue, CoMutex *mutex)
{
    Coroutine *self = qemu_coroutine_self();

    assert(qemu_in_coroutine());
    QSIMPLEQ_INSERT_TAIL(&queue->entries, self, co_queue_next);
    if (mutex) {
        qemu_co_mutex_unlock(mutex);
    }
    qemu_coroutine_yield();
    if (mutex) {
        qemu_co_mutex_lock(mutex);
    }
}

bool qemu_co_queue_next(CoQueue *queue)
{
    Coroutine *next = QSIMPLEQ_FIRST(&queue->entries);

    if (!next) {
        return false;
    }
    QSIMPLEQ_REMOVE_HEAD(&queue->entries, co_queue_next);
    aio_co_wake(next);
    return true;
}

void qemu_co_queue_restart_all(CoQueue *queue)
{
    while (qemu_co_queue_next(queue)) {
        /* wake them all, in order */
    }
}

bool qemu_co_enter_next(CoQueue *queue, GMutex *lock)
{
    Coroutine *next = QSIMPLEQ_FIRST(&queue->entries);

    if (!next) {
        return false;
    }
    QSIMPLEQ_REMOVE_HEAD(&queue->entries, co_queue_next);
    /* @next may run right now and take @lock itself. */
    if (lock) {
        g_mutex_unlock(lock);
    }
    aio_co_wake(next);
    if (lock) {
        g_mutex_lock(lock);
    }
    return true;
}

bool qemu_co_queue_empty(CoQueue *queue)
{
    return QSIMPLEQ_EMPTY(&queue->entries);
}

/* ---- CoMutex ---- */

void qemu_co_mutex_init(CoMutex *mutex)
{
    memset(mutex, 0, sizeof(*mutex));
    g_mutex_init(&mutex->guard);
    QSIMPLEQ_INIT(&mutex->waiters);
}

void coroutine_fn qemu_co_mutex_lock(CoMutex *mutex)
{
    Coroutine *self = qemu_coroutine_self();

    assert(qemu_in_coroutine());
    g_mutex_lock(&mutex->guard);
    if (!mutex->locked) {
        mutex->locked = true;
        mutex->holder = self;
        g_mutex_unlock(&mutex->guard);
    } else {
        QSIMPLEQ_INSERT_TAIL(&mutex->waiters, self, co_queue_next);
        g_mutex_unlock(&mutex->guard);
        /* Only the unlocker wakes us, after making us the holder. */
        qemu_coroutine_yield();
        assert(mutex->holder == self);
    }
    self->locks_held++;
}

void coroutine_fn qemu_co_mutex_unlock(CoMutex *mutex)
{
    Coroutine *self = qemu_coroutine_self();
    Coroutine *next;

    g_mutex_lock(&mutex->guard);
    assert(mutex->locked && mutex->holder == self);
    next = QSIMPLEQ_FIRST(&mutex->waiters);
    if (next) {
        QSIMPLEQ_REMOVE_HEAD(&mutex->waiters, co_queue_next);
        mutex->holder = next;
    } else {
        mutex->locked = false;
        mutex->holder = NULL;
    }
    g_mutex_unlock(&mutex->guard);
    self->locks_held--;
    if (next) {
        aio_co_wake(next);
    }
}

void qemu_co_mutex_assert_locked(CoMutex *mutex)
{
    assert(mutex->locked && mutex->holder == qemu_coroutine_self());
}

/* ---- CoRwlock ---- */

struct CoRwTicket {
    bool read;
    Coroutine *co;
    QSIMPLEQ_ENTRY(CoRwTicket) next;
};

void qemu_co_rwlock_init(CoRwlock *lock)
{
    memset(lock, 0, sizeof(*lock));
    g_mutex_init(&lock->guard);
    QSIMPLEQ_INIT(&lock->tickets);
}

/*
 * Grant the lock to the waiters at the head of the line that can have
 * it now (a run of readers, or one writer), and return them in @wake.
 * Guard held.
 */
static void co_rwlock_grant_locked(CoRwlock *lock, CoQueue *wake)
{
    CoRwTicket *t;

    while ((t = QSIMPLEQ_FIRST(&lock->tickets)) != NULL) {
        if (t->read ? lock->owners < 0 : lock->owners != 0) {
            break;
        }
        lock->owners = t->read ? lock->owners + 1 : -1;
        QSIMPLEQ_REMOVE_HEAD(&lock->tickets, next);
        QSIMPLEQ_INSERT_TAIL(&wake->entries, t->co, co_queue_next);
    }
}

/* Take a place in line and sleep until granted; guard held, released. */
static void coroutine_fn co_rwlock_wait(CoRwlock *lock, bool read)
{
    CoRwTicket ticket = { .read = read, .co = qemu_coroutine_self() };

    QSIMPLEQ_INSERT_TAIL(&lock->tickets, &ticket, next);
    g_mutex_unlock(&lock->guard);
    qemu_coroutine_yield();
}

void coroutine_fn qemu_co_rwlock_rdlock(CoRwlock *lock)
{
    assert(qemu_in_coroutine());
    g_mutex_lock(&lock->guard);
    if (QSIMPLEQ_EMPTY(&lock->tickets) && lock->owners >= 0) {
        lock->owners++;
        g_mutex_unlock(&lock->guard);
    } else {
        co_rwlock_wait(lock, true);
    }
    qemu_coroutine_self()->locks_held++;
}

void coroutine_fn qemu_co_rwlock_wrlock(CoRwlock *lock)
{
    assert(qemu_in_coroutine());
    g_mutex_lock(&lock->guard);
    if (QSIMPLEQ_EMPTY(&lock->tickets) && lock->owners == 0) {
        lock->owners = -1;
        g_mutex_unlock(&lock->guard);
    } else {
        co_rwlock_wait(lock, false);
    }
    qemu_coroutine_self()->locks_held++;
}

/* Release the guard, then wake everyone granted (outside the guard). */
static void co_rwlock_unlock_and_wake(CoRwlock *lock)
{
    CoQueue wake;

    qemu_co_queue_init(&wake);
    co_rwlock_grant_locked(lock, &wake);
    g_mutex_unlock(&lock->guard);
    qemu_co_queue_restart_all(&wake);
}

void coroutine_fn qemu_co_rwlock_unlock(CoRwlock *lock)
{
    g_mutex_lock(&lock->guard);
    assert(lock->owners != 0);
    if (lock->owners < 0) {
        lock->owners = 0;
    } else {
        lock->owners--;
    }
    qemu_coroutine_self()->locks_held--;
    co_rwlock_unlock_and_wake(lock);
}

void coroutine_fn qemu_co_rwlock_upgrade(CoRwlock *lock)
{
    g_mutex_lock(&lock->guard);
    assert(lock->owners > 0);
    if (lock->owners == 1) {
        /* The only reader: nobody can tell the difference. */
        lock->owners = -1;
        g_mutex_unlock(&lock->guard);
        return;
    }
    /* Give up our read share and queue for the write lock. */
    lock->owners--;
    co_rwlock_wait(lock, false);
}

void coroutine_fn qemu_co_rwlock_downgrade(CoRwlock *lock)
{
    g_mutex_lock(&lock->guard);
    assert(lock->owners == -1);
    lock->owners = 1;
    co_rwlock_unlock_and_wake(lock);
}
