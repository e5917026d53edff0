/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Clocks and timer lists.  A list holds its armed timers sorted by
 * deadline in a singly linked list: arming is O(n) in the number of armed
 * timers of that list (few in practice), finding the next deadline and
 * popping expired timers are O(1).  Each list has a mutex so timers may
 * be armed from any thread; callbacks run without it, so they may re-arm.
 * Every list is also registered with its clock, so the qtest clock step
 * can find all virtual timers.
 */
#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/queue.h"
#include "qemu/timer.h"
#include "block/aio.h"

struct QEMUTimerList {
    QEMUClockType type;
    GMutex active_timers_lock;
    QEMUTimer *active_timers;       /* sorted by expire_time */
    QEMUTimerListNotifyCB *notify_cb;
    void *notify_opaque;
    QLIST_ENTRY(QEMUTimerList) list;
};

/* All timer lists of one clock. */
typedef struct QEMUClock {
    GRecMutex lock;     /* recursive: callbacks run under it may add lists */
    QLIST_HEAD(, QEMUTimerList) timerlists;
} QEMUClock;

static QEMUClock qemu_clocks[QEMU_CLOCK_MAX];

/* qtest mode: the virtual clock reads virtual_manual_ns. */
static bool virtual_manual;
static int64_t virtual_manual_ns;

int64_t get_clock(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t get_clock_realtime(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    switch (type) {
    case QEMU_CLOCK_REALTIME:
        return get_clock();
    case QEMU_CLOCK_VIRTUAL:
        if (qatomic_read(&virtual_manual)) {
            return qatomic_read(&virtual_manual_ns);
        }
        return get_clock();
    case QEMU_CLOCK_HOST:
        return get_clock_realtime();
    default:
        abort();
    }
}

static bool timerlist_is_manual(QEMUTimerList *tl)
{
    return tl->type == QEMU_CLOCK_VIRTUAL && qatomic_read(&virtual_manual);
}

void qtest_set_virtual_clock_mode(bool manual)
{
    /* qtest time starts at zero, as clock_step replies count from it. */
    qatomic_set(&virtual_manual_ns, 0);
    qatomic_set(&virtual_manual, manual);
}

bool qtest_virtual_clock_is_manual(void)
{
    return qatomic_read(&virtual_manual);
}

QEMUTimerList *timerlist_new(QEMUClockType type, QEMUTimerListNotifyCB *cb,
                             void *opaque)
{
    QEMUTimerList *tl = g_new0(QEMUTimerList, 1);
    QEMUClock *clock = &qemu_clocks[type];

    tl->type = type;
    tl->notify_cb = cb;
    tl->notify_opaque = opaque;
    g_mutex_init(&tl->active_timers_lock);
    g_rec_mutex_lock(&clock->lock);
    QLIST_INSERT_HEAD(&clock->timerlists, tl, list);
    g_rec_mutex_unlock(&clock->lock);
    return tl;
}

void timerlist_free(QEMUTimerList *tl)
{
    QEMUClock *clock = &qemu_clocks[tl->type];

    assert(!tl->active_timers);
    g_rec_mutex_lock(&clock->lock);
    QLIST_REMOVE(tl, list);
    g_rec_mutex_unlock(&clock->lock);
    g_mutex_clear(&tl->active_timers_lock);
    g_free(tl);
}

/* Absolute deadline of @tl's first timer, or -1. */
static int64_t timerlist_first_expire(QEMUTimerList *tl)
{
    int64_t expire;

    g_mutex_lock(&tl->active_timers_lock);
    expire = tl->active_timers ? tl->active_timers->expire_time : -1;
    g_mutex_unlock(&tl->active_timers_lock);
    return expire;
}

int64_t timerlist_deadline_ns(QEMUTimerList *tl)
{
    int64_t expire;

    if (!qatomic_read(&tl->active_timers) || timerlist_is_manual(tl)) {
        return -1;
    }
    expire = timerlist_first_expire(tl);
    if (expire < 0) {
        return -1;
    }
    return MAX(expire - qemu_clock_get_ns(tl->type), 0);
}

bool timerlist_run_timers(QEMUTimerList *tl)
{
    int64_t now;
    bool progress = false;

    if (!qatomic_read(&tl->active_timers)) {
        return false;
    }
    now = qemu_clock_get_ns(tl->type);
    for (;;) {
        QEMUTimer *ts;

        g_mutex_lock(&tl->active_timers_lock);
        ts = tl->active_timers;
        if (!ts || ts->expire_time > now) {
            g_mutex_unlock(&tl->active_timers_lock);
            break;
        }
        tl->active_timers = ts->next;
        ts->next = NULL;
        ts->expire_time = -1;
        g_mutex_unlock(&tl->active_timers_lock);

        ts->cb(ts->opaque);
        progress = true;
    }
    return progress;
}

/* Earliest absolute deadline over every list of @type, or -1. */
static int64_t qemu_clock_first_expire_all(QEMUClockType type)
{
    QEMUClock *clock = &qemu_clocks[type];
    QEMUTimerList *tl;
    int64_t first = -1;

    g_rec_mutex_lock(&clock->lock);
    QLIST_FOREACH(tl, &clock->timerlists, list) {
        int64_t expire = timerlist_first_expire(tl);

        if (expire >= 0 && (first < 0 || expire < first)) {
            first = expire;
        }
    }
    g_rec_mutex_unlock(&clock->lock);
    return first;
}

int64_t qemu_clock_deadline_ns_all(QEMUClockType type)
{
    int64_t first = qemu_clock_first_expire_all(type);

    if (first < 0) {
        return -1;
    }
    return MAX(first - qemu_clock_get_ns(type), 0);
}

bool qemu_clock_run_all_timers_of(QEMUClockType type)
{
    QEMUClock *clock = &qemu_clocks[type];
    QEMUTimerList *tl, *next;
    bool progress = false;

    g_rec_mutex_lock(&clock->lock);
    QLIST_FOREACH_SAFE(tl, &clock->timerlists, list, next) {
        progress |= timerlist_run_timers(tl);
    }
    g_rec_mutex_unlock(&clock->lock);
    return progress;
}

int64_t qemu_clock_set_virtual(int64_t target_ns)
{
    if (!qtest_virtual_clock_is_manual()) {
        return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    }
    /*
     * Stop at every deadline on the way so each timer sees the clock at
     * its own deadline, and timers armed by callbacks within the step
     * still fire in order.
     */
    for (;;) {
        int64_t first = qemu_clock_first_expire_all(QEMU_CLOCK_VIRTUAL);

        if (first < 0 || first > target_ns) {
            break;
        }
        if (first > qatomic_read(&virtual_manual_ns)) {
            qatomic_set(&virtual_manual_ns, first);
        }
        qemu_clock_run_all_timers_of(QEMU_CLOCK_VIRTUAL);
    }
    if (target_ns > qatomic_read(&virtual_manual_ns)) {
        qatomic_set(&virtual_manual_ns, target_ns);
    }
    return qatomic_read(&virtual_manual_ns);
}

int64_t qemu_clock_step_virtual(int64_t ns)
{
    assert(ns >= 0);
    return qemu_clock_set_virtual(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + ns);
}

void timerlistgroup_init(QEMUTimerListGroup *tlg, QEMUTimerListNotifyCB *cb,
                         void *opaque)
{
    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        tlg->tl[type] = timerlist_new(type, cb, opaque);
    }
}

void timerlistgroup_deinit(QEMUTimerListGroup *tlg)
{
    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        timerlist_free(tlg->tl[type]);
        tlg->tl[type] = NULL;
    }
}

bool timerlistgroup_run_timers(QEMUTimerListGroup *tlg)
{
    bool progress = false;

    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        progress |= timerlist_run_timers(tlg->tl[type]);
    }
    return progress;
}

int64_t timerlistgroup_deadline_ns(QEMUTimerListGroup *tlg)
{
    int64_t deadline = -1;

    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        int64_t d = timerlist_deadline_ns(tlg->tl[type]);

        if (d >= 0 && (deadline < 0 || d < deadline)) {
            deadline = d;
        }
    }
    return deadline;
}

void timer_init_tl(QEMUTimer *ts, QEMUTimerList *timer_list, int scale,
                   QEMUTimerCB *cb, void *opaque)
{
    ts->timer_list = timer_list;
    ts->cb = cb;
    ts->opaque = opaque;
    ts->scale = scale;
    ts->expire_time = -1;
    ts->next = NULL;
}

void timer_init_full(QEMUTimer *ts, QEMUTimerListGroup *tlg,
                     QEMUClockType type, int scale,
                     QEMUTimerCB *cb, void *opaque)
{
    if (!tlg) {
        AioContext *main_ctx = qemu_get_aio_context();

        assert(main_ctx);   /* qemu_init_main_loop() comes first */
        tlg = &main_ctx->tlg;
    }
    timer_init_tl(ts, tlg->tl[type], scale, cb, opaque);
}

QEMUTimer *timer_new_full(QEMUTimerListGroup *tlg, QEMUClockType type,
                          int scale, QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *ts = g_new0(QEMUTimer, 1);

    timer_init_full(ts, tlg, type, scale, cb, opaque);
    return ts;
}

void timer_deinit(QEMUTimer *ts)
{
    timer_del(ts);
    ts->timer_list = NULL;
}

void timer_free(QEMUTimer *ts)
{
    if (ts) {
        timer_del(ts);
        g_free(ts);
    }
}

/* Unlink @ts if armed; caller holds the list lock. */
static void timer_del_locked(QEMUTimerList *tl, QEMUTimer *ts)
{
    QEMUTimer **pt = &tl->active_timers;

    ts->expire_time = -1;
    while (*pt) {
        if (*pt == ts) {
            *pt = ts->next;
            ts->next = NULL;
            return;
        }
        pt = &(*pt)->next;
    }
}

/* Insert @ts after timers with the same deadline; true if now first. */
static bool timer_mod_ns_locked(QEMUTimerList *tl, QEMUTimer *ts,
                                int64_t expire_time)
{
    QEMUTimer **pt = &tl->active_timers;

    expire_time = MAX(expire_time, 0);
    while (*pt && (*pt)->expire_time <= expire_time) {
        pt = &(*pt)->next;
    }
    ts->expire_time = expire_time;
    ts->next = *pt;
    *pt = ts;
    return pt == &tl->active_timers;
}

static void timerlist_rearm(QEMUTimerList *tl)
{
    if (tl->notify_cb) {
        tl->notify_cb(tl->notify_opaque, tl->type);
    }
}

void timer_del(QEMUTimer *ts)
{
    QEMUTimerList *tl = ts->timer_list;

    if (!tl) {
        return;
    }
    g_mutex_lock(&tl->active_timers_lock);
    timer_del_locked(tl, ts);
    g_mutex_unlock(&tl->active_timers_lock);
}

void timer_mod_ns(QEMUTimer *ts, int64_t expire_time)
{
    QEMUTimerList *tl = ts->timer_list;
    bool rearm;

    g_mutex_lock(&tl->active_timers_lock);
    timer_del_locked(tl, ts);
    rearm = timer_mod_ns_locked(tl, ts, expire_time);
    g_mutex_unlock(&tl->active_timers_lock);
    if (rearm) {
        timerlist_rearm(tl);
    }
}

void timer_mod(QEMUTimer *ts, int64_t expire_time)
{
    timer_mod_ns(ts, expire_time * ts->scale);
}

void timer_mod_anticipate_ns(QEMUTimer *ts, int64_t expire_time)
{
    QEMUTimerList *tl = ts->timer_list;
    bool rearm = false;

    g_mutex_lock(&tl->active_timers_lock);
    if (ts->expire_time < 0 || ts->expire_time > expire_time) {
        timer_del_locked(tl, ts);
        rearm = timer_mod_ns_locked(tl, ts, expire_time);
    }
    g_mutex_unlock(&tl->active_timers_lock);
    if (rearm) {
        timerlist_rearm(tl);
    }
}

void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time)
{
    timer_mod_anticipate_ns(ts, expire_time * ts->scale);
}

bool timer_pending(QEMUTimer *ts)
{
    return qatomic_read(&ts->expire_time) >= 0;
}

bool timer_expired(QEMUTimer *ts, int64_t current_time)
{
    return timer_pending(ts) &&
           ts->expire_time <= current_time * ts->scale;
}

int64_t timer_expire_time_ns(QEMUTimer *ts)
{
    return timer_pending(ts) ? ts->expire_time : -1;
}
