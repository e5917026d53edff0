/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Clocks and timers.  Timers live in per-clock lists grouped per
 * AioContext and fire from that context's event loop.  The virtual clock
 * follows the host's monotonic clock, except in qtest mode where it only
 * moves when qemu_clock_step_virtual()/qemu_clock_set_virtual() say so.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#define SCALE_MS 1000000
#define SCALE_US 1000
#define SCALE_NS 1

#define NANOSECONDS_PER_SECOND 1000000000LL

typedef enum QEMUClockType {
    /* Monotonic host time: for things that must advance in real time. */
    QEMU_CLOCK_REALTIME = 0,
    /* Guest time: host-monotonic normally, stepped by hand under qtest. */
    QEMU_CLOCK_VIRTUAL = 1,
    /* Wall-clock time of the host (may jump). */
    QEMU_CLOCK_HOST = 2,
    QEMU_CLOCK_MAX
} QEMUClockType;

typedef struct QEMUTimerList QEMUTimerList;
typedef void QEMUTimerCB(void *opaque);
/* Called when a list's earliest deadline moved earlier. */
typedef void QEMUTimerListNotifyCB(void *opaque, QEMUClockType type);

/* One list per clock, as an AioContext owns them. */
typedef struct QEMUTimerListGroup {
    QEMUTimerList *tl[QEMU_CLOCK_MAX];
} QEMUTimerListGroup;

typedef struct QEMUTimer {
    int64_t expire_time;        /* in ns; -1 when not pending */
    QEMUTimerList *timer_list;
    QEMUTimerCB *cb;
    void *opaque;
    struct QEMUTimer *next;     /* in timer_list's sorted active list */
    int scale;
} QEMUTimer;

/**
 * qemu_clock_get_ns:
 * @type: clock
 *
 * Return the current time of clock @type in nanoseconds.
 */
int64_t qemu_clock_get_ns(QEMUClockType type);

/**
 * qemu_clock_get_ms:
 * @type: clock
 *
 * Return the current time of clock @type in milliseconds.
 */
static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_MS;
}

/**
 * qemu_clock_get_us:
 * @type: clock
 *
 * Return the current time of clock @type in microseconds.
 */
static inline int64_t qemu_clock_get_us(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_US;
}

/**
 * get_clock_realtime:
 *
 * Return the host's wall-clock time in nanoseconds.
 */
int64_t get_clock_realtime(void);

/**
 * get_clock:
 *
 * Return the host's monotonic time in nanoseconds.
 */
int64_t get_clock(void);

/**
 * qtest_set_virtual_clock_mode:
 * @manual: true to switch the virtual clock to qtest (manual) mode
 *
 * In manual mode the virtual clock starts at 0 (as qtest's clock_step
 * replies expect), stands still, and moves only through
 * qemu_clock_step_virtual() and qemu_clock_set_virtual(); virtual timers
 * then fire only there.  Switch it on at start-up, before any virtual
 * timer is armed.
 */
void qtest_set_virtual_clock_mode(bool manual);

/**
 * qtest_virtual_clock_is_manual:
 *
 * Return true if the virtual clock is in qtest (manual) mode.
 */
bool qtest_virtual_clock_is_manual(void);

/**
 * qemu_clock_set_virtual:
 * @target_ns: the new virtual time; earlier values are ignored
 *
 * In qtest mode, advance the virtual clock to @target_ns, stopping at
 * each pending virtual timer's deadline on the way to run the timers due
 * then, in deadline order, from the calling thread.  Return the new
 * virtual time.  Outside qtest mode, return the current time.
 */
int64_t qemu_clock_set_virtual(int64_t target_ns);

/**
 * qemu_clock_step_virtual:
 * @ns: how far to advance, in nanoseconds (>= 0)
 *
 * Like qemu_clock_set_virtual() with the current time plus @ns.
 */
int64_t qemu_clock_step_virtual(int64_t ns);

/**
 * qemu_clock_deadline_ns_all:
 * @type: clock
 *
 * Return the nanoseconds until the earliest pending timer on clock @type
 * in any list (0 if overdue), or -1 if none is pending.
 */
int64_t qemu_clock_deadline_ns_all(QEMUClockType type);

/**
 * qemu_clock_run_all_timers_of:
 * @type: clock
 *
 * Run the expired timers on clock @type in every list.  Return true if
 * any ran.
 */
bool qemu_clock_run_all_timers_of(QEMUClockType type);

/**
 * timerlist_new:
 * @type: clock of the new list
 * @cb: called when the list's earliest deadline moves earlier (or NULL)
 * @opaque: passed to @cb
 *
 * Create an empty timer list.
 */
QEMUTimerList *timerlist_new(QEMUClockType type, QEMUTimerListNotifyCB *cb,
                             void *opaque);

/**
 * timerlist_free:
 * @tl: a timer list with no pending timers
 *
 * Free @tl.
 */
void timerlist_free(QEMUTimerList *tl);

/**
 * timerlist_deadline_ns:
 * @tl: timer list
 *
 * Return the nanoseconds until @tl's first timer expires (0 if due), or
 * -1 if none is pending or the list's clock is manual (qtest virtual).
 */
int64_t timerlist_deadline_ns(QEMUTimerList *tl);

/**
 * timerlist_run_timers:
 * @tl: timer list
 *
 * Run every expired timer of @tl in deadline order.  Return true if any
 * ran.
 */
bool timerlist_run_timers(QEMUTimerList *tl);

/**
 * timerlistgroup_init:
 * @tlg: group to fill
 * @cb: notify callback for each list (or NULL)
 * @opaque: passed to @cb
 *
 * Create one list per clock in @tlg.
 */
void timerlistgroup_init(QEMUTimerListGroup *tlg, QEMUTimerListNotifyCB *cb,
                         void *opaque);

/**
 * timerlistgroup_deinit:
 * @tlg: group
 *
 * Free the lists of @tlg.
 */
void timerlistgroup_deinit(QEMUTimerListGroup *tlg);

/**
 * timerlistgroup_run_timers:
 * @tlg: group
 *
 * Run the expired timers of every list of @tlg.  Return true if any ran.
 */
bool timerlistgroup_run_timers(QEMUTimerListGroup *tlg);

/**
 * timerlistgroup_deadline_ns:
 * @tlg: group
 *
 * Return the nanoseconds until the earliest deadline in @tlg, or -1.
 */
int64_t timerlistgroup_deadline_ns(QEMUTimerListGroup *tlg);

/**
 * timer_init_tl:
 * @ts: timer to initialise
 * @timer_list: list it will be armed in
 * @scale: nanoseconds per unit of timer_mod()'s argument
 * @cb: callback run when the timer fires
 * @opaque: passed to @cb
 *
 * Initialise a caller-allocated timer; it is not pending.
 */
void timer_init_tl(QEMUTimer *ts, QEMUTimerList *timer_list, int scale,
                   QEMUTimerCB *cb, void *opaque);

/**
 * timer_init_full:
 * @ts: timer to initialise
 * @tlg: group to use, NULL for the main AioContext's
 * @type: clock
 * @scale: nanoseconds per unit
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Initialise a caller-allocated timer on clock @type of @tlg.
 */
void timer_init_full(QEMUTimer *ts, QEMUTimerListGroup *tlg,
                     QEMUClockType type, int scale,
                     QEMUTimerCB *cb, void *opaque);

/**
 * timer_init:
 * @ts: timer to initialise
 * @type: clock
 * @scale: nanoseconds per unit
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Initialise a caller-allocated timer in the main AioContext.
 */
static inline void timer_init(QEMUTimer *ts, QEMUClockType type, int scale,
                              QEMUTimerCB *cb, void *opaque)
{
    timer_init_full(ts, NULL, type, scale, cb, opaque);
}

/**
 * timer_new_full:
 * @tlg: group, NULL for the main AioContext's
 * @type: clock
 * @scale: nanoseconds per unit
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Allocate and initialise a timer; free it with timer_free().
 */
QEMUTimer *timer_new_full(QEMUTimerListGroup *tlg, QEMUClockType type,
                          int scale, QEMUTimerCB *cb, void *opaque);

/**
 * timer_new:
 * @type: clock
 * @scale: nanoseconds per unit
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Allocate a timer in the main AioContext (qemu_init_main_loop() first).
 */
static inline QEMUTimer *timer_new(QEMUClockType type, int scale,
                                   QEMUTimerCB *cb, void *opaque)
{
    return timer_new_full(NULL, type, scale, cb, opaque);
}

/**
 * timer_new_ns:
 * @type: clock
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Allocate a main-context timer whose timer_mod() takes nanoseconds.
 */
static inline QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_NS, cb, opaque);
}

/**
 * timer_new_us:
 * @type: clock
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Allocate a main-context timer whose timer_mod() takes microseconds.
 */
static inline QEMUTimer *timer_new_us(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_US, cb, opaque);
}

/**
 * timer_new_ms:
 * @type: clock
 * @cb: callback
 * @opaque: passed to @cb
 *
 * Allocate a main-context timer whose timer_mod() takes milliseconds.
 */
static inline QEMUTimer *timer_new_ms(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_MS, cb, opaque);
}

/**
 * timer_deinit:
 * @ts: a timer set up with timer_init*()
 *
 * Disarm @ts and detach it from its list.
 */
void timer_deinit(QEMUTimer *ts);

/**
 * timer_free:
 * @ts: a timer from timer_new*(), or NULL
 *
 * Disarm and free @ts.
 */
void timer_free(QEMUTimer *ts);

/**
 * timer_del:
 * @ts: timer
 *
 * Disarm @ts; nothing happens if it is not pending.
 */
void timer_del(QEMUTimer *ts);

/**
 * timer_mod_ns:
 * @ts: timer
 * @expire_time: absolute deadline in nanoseconds of the timer's clock
 *
 * (Re)arm @ts to fire at @expire_time.
 */
void timer_mod_ns(QEMUTimer *ts, int64_t expire_time);

/**
 * timer_mod:
 * @ts: timer
 * @expire_time: absolute deadline in the timer's scale units
 *
 * (Re)arm @ts to fire at @expire_time.
 */
void timer_mod(QEMUTimer *ts, int64_t expire_time);

/**
 * timer_mod_anticipate_ns:
 * @ts: timer
 * @expire_time: absolute deadline in nanoseconds
 *
 * Arm @ts for @expire_time unless it is already pending for an earlier
 * time: a deadline only ever moves earlier.
 */
void timer_mod_anticipate_ns(QEMUTimer *ts, int64_t expire_time);

/**
 * timer_mod_anticipate:
 * @ts: timer
 * @expire_time: absolute deadline in scale units
 *
 * Like timer_mod_anticipate_ns() in the timer's scale units.
 */
void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time);

/**
 * timer_pending:
 * @ts: timer
 *
 * Return true if @ts is armed.
 */
bool timer_pending(QEMUTimer *ts);

/**
 * timer_expired:
 * @ts: timer
 * @current_time: time in the timer's scale units
 *
 * Return true if @ts is armed for @current_time or earlier.
 */
bool timer_expired(QEMUTimer *ts, int64_t current_time);

/**
 * timer_expire_time_ns:
 * @ts: timer
 *
 * Return the deadline of @ts in nanoseconds, or -1 if it is not armed.
 */
int64_t timer_expire_time_ns(QEMUTimer *ts);

#endif
