/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Atomic accesses and memory barriers under QEMU's names, mapped onto the
 * compiler's __atomic builtins (sequentially consistent unless named).
 */
#ifndef QEMU_ATOMIC_H
#define QEMU_ATOMIC_H

/* Relaxed load/store: no ordering, but never torn or cached. */
#define qatomic_read(ptr) __atomic_load_n(ptr, __ATOMIC_RELAXED)
#define qatomic_set(ptr, val) __atomic_store_n(ptr, val, __ATOMIC_RELAXED)

/* Acquire load / release store. */
#define qatomic_load_acquire(ptr) __atomic_load_n(ptr, __ATOMIC_ACQUIRE)
#define qatomic_store_release(ptr, val) \
    __atomic_store_n(ptr, val, __ATOMIC_RELEASE)

/* Read-modify-write operations, all full barriers. */
#define qatomic_xchg(ptr, val) __atomic_exchange_n(ptr, val, __ATOMIC_SEQ_CST)
#define qatomic_fetch_inc(ptr) __atomic_fetch_add(ptr, 1, __ATOMIC_SEQ_CST)
#define qatomic_fetch_dec(ptr) __atomic_fetch_sub(ptr, 1, __ATOMIC_SEQ_CST)
#define qatomic_inc(ptr) ((void)__atomic_fetch_add(ptr, 1, __ATOMIC_SEQ_CST))
#define qatomic_dec(ptr) ((void)__atomic_fetch_sub(ptr, 1, __ATOMIC_SEQ_CST))
#define qatomic_add(ptr, n) ((void)__atomic_fetch_add(ptr, n, __ATOMIC_SEQ_CST))
#define qatomic_sub(ptr, n) ((void)__atomic_fetch_sub(ptr, n, __ATOMIC_SEQ_CST))

/* Compare-and-swap: returns the old value of *ptr. */
#define qatomic_cmpxchg(ptr, old, new) ({ \
        typeof(*(ptr)) old_ = (old); \
        __atomic_compare_exchange_n(ptr, &old_, new, false, \
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
        old_; \
    })

#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define barrier() __asm__ __volatile__("" ::: "memory")

#endif
