/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Coroutine switch backend: makecontext/swapcontext only to start a new
 * stack once, then sigsetjmp/siglongjmp (no signal mask saved) for every
 * switch, which costs a few dozen nanoseconds.  Stacks come from mmap with
 * a PROT_NONE guard page below them, so an overflow faults instead of
 * corrupting memory.  Under AddressSanitizer each switch is announced with
 * the fiber-switch hooks so ASan tracks the stack in use.
 */
#ifdef _FORTIFY_SOURCE
/* longjmp_chk rejects jumps to another stack, which is all we do here. */
#undef _FORTIFY_SOURCE
#endif
#include "qemu/osdep.h"
#include <setjmp.h>
#include <ucontext.h>
#include <sys/mman.h>
#include "qemu/coroutine-int.h"

#if defined(__SANITIZE_ADDRESS__)
#define CONFIG_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFIG_ASAN_FIBERS 1
#endif
#endif

#ifdef CONFIG_ASAN_FIBERS
#include <sanitizer/asan_interface.h>
#endif

#define COROUTINE_STACK_SIZE (1 * MiB)

typedef struct CoroutineUContext {
    Coroutine base;
    void *stack;            /* lowest usable address; NULL for the leader */
    size_t stack_size;
    void *map;              /* the mmap, guard page included */
    size_t map_size;
    sigjmp_buf env;
#ifdef CONFIG_ASAN_FIBERS
    void *fake_stack_save;  /* saved by ASan while this stack is left */
#endif
} CoroutineUContext;

/* The thread's own stack, seen as a coroutine so switches are uniform. */
static __thread CoroutineUContext leader;
static __thread Coroutine *current;

static inline void start_switch_fiber(CoroutineAction action,
                                      CoroutineUContext *from,
                                      CoroutineUContext *to)
{
#ifdef CONFIG_ASAN_FIBERS
    /* A finishing coroutine's fake stack can be dropped (NULL). */
    __sanitizer_start_switch_fiber(action == COROUTINE_TERMINATE ?
                                   NULL : &from->fake_stack_save,
                                   to->stack, to->stack_size);
#endif
}

static inline void finish_switch_fiber(CoroutineUContext *self)
{
#ifdef CONFIG_ASAN_FIBERS
    const void *bottom_old;
    size_t size_old;

    __sanitizer_finish_switch_fiber(self->fake_stack_save, &bottom_old,
                                    &size_old);
    self->fake_stack_save = NULL;
    /*
     * The first switch of a thread always comes from its own stack (no
     * coroutine exists yet), so that is where we learn the leader's
     * bounds.
     */
    if (!leader.stack) {
        leader.stack = (void *)bottom_old;
        leader.stack_size = size_old;
    }
#endif
}

/* The running coroutine's backend state (the leader's outside any). */
static CoroutineUContext *current_uc(void)
{
    return current ? container_of(current, CoroutineUContext, base)
                   : &leader;
}

/* Passed from qemu_coroutine_new() to the trampoline across makecontext. */
static __thread CoroutineUContext *bootstrap_creator;

static void coroutine_trampoline(int lo, int hi)
{
    uintptr_t addr = ((uintptr_t)(unsigned)hi << 31 << 1) | (unsigned)lo;
    CoroutineUContext *self = (CoroutineUContext *)addr;
    Coroutine *co = &self->base;
    CoroutineUContext *creator = bootstrap_creator;

    finish_switch_fiber(self);
    /* Record where to resume this stack, then hand back to the creator. */
    if (!sigsetjmp(self->env, 0)) {
        start_switch_fiber(COROUTINE_YIELD, self, creator);
        siglongjmp(creator->env, COROUTINE_SET_UP);
    }
    finish_switch_fiber(self);

    /* A recycled coroutine comes back here for its next entry function. */
    for (;;) {
        co->entry(co->entry_arg);
        qemu_coroutine_switch(co, co->caller, COROUTINE_TERMINATE);
    }
}

static void *coroutine_map_stack(CoroutineUContext *co)
{
    size_t page = getpagesize();

    co->map_size = COROUTINE_STACK_SIZE + page;
    co->map = mmap(NULL, co->map_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (co->map == MAP_FAILED) {
        return NULL;
    }
    /* Stacks grow down on every host we build for: guard the bottom. */
    if (mprotect(co->map, page, PROT_NONE) < 0) {
        munmap(co->map, co->map_size);
        return NULL;
    }
    co->stack = (char *)co->map + page;
    co->stack_size = COROUTINE_STACK_SIZE;
    return co->stack;
}

Coroutine *qemu_coroutine_new(void)
{
    CoroutineUContext *co = g_new0(CoroutineUContext, 1);
    ucontext_t uc, old_uc;
    uintptr_t addr = (uintptr_t)co;

    if (!coroutine_map_stack(co)) {
        g_error("cannot map a coroutine stack: %s", g_strerror(errno));
    }
    if (getcontext(&uc) < 0) {
        g_error("getcontext failed: %s", g_strerror(errno));
    }
    uc.uc_link = &old_uc;
    uc.uc_stack.ss_sp = co->stack;
    uc.uc_stack.ss_size = co->stack_size;
    uc.uc_stack.ss_flags = 0;
    makecontext(&uc, (void (*)(void))coroutine_trampoline, 2,
                (int)(unsigned)addr, (int)(unsigned)(addr >> 31 >> 1));

    /*
     * Run the trampoline until it has recorded its sigjmp_buf; it jumps
     * back into our env, so swapcontext never "returns" normally.
     */
    bootstrap_creator = current_uc();
    if (!sigsetjmp(bootstrap_creator->env, 0)) {
        start_switch_fiber(COROUTINE_YIELD, bootstrap_creator, co);
        swapcontext(&old_uc, &uc);
    }
    /* Recomputed: locals set before sigsetjmp may be clobbered. */
    finish_switch_fiber(current_uc());
    return &co->base;
}

void qemu_coroutine_delete(Coroutine *co_)
{
    CoroutineUContext *co = container_of(co_, CoroutineUContext, base);

    munmap(co->map, co->map_size);
    g_free(co);
}

CoroutineAction qemu_coroutine_switch(Coroutine *from_, Coroutine *to_,
                                      CoroutineAction action)
{
    CoroutineUContext *from = container_of(from_, CoroutineUContext, base);
    CoroutineUContext *to = container_of(to_, CoroutineUContext, base);
    int ret;

    current = to_;
    ret = sigsetjmp(from->env, 0);
    if (ret == 0) {
        start_switch_fiber(action, from, to);
        siglongjmp(to->env, action);
    }
    finish_switch_fiber(from);
    return ret;
}

Coroutine *qemu_coroutine_self(void)
{
    if (!current) {
        current = &leader.base;
    }
    return current;
}

bool qemu_in_coroutine(void)
{
    return current && current->caller;
}
