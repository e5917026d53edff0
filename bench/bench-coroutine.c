/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Coroutine micro-benchmark: the cost of create+enter+terminate (pool
 * hit) and of a yield/enter round trip.  A swapcontext() round trip is
 * measured in the same run as the reference a naive switch would cost.
 */
#include "qemu/osdep.h"
#include <ucontext.h>
#include "qemu/coroutine.h"

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void coroutine_fn empty_entry(void *opaque)
{
}

static double bench_lifecycle(long n)
{
    double start = now_ns();

    for (long i = 0; i < n; i++) {
        qemu_coroutine_enter(qemu_coroutine_create(empty_entry, NULL));
    }
    return (now_ns() - start) / n;
}

static void coroutine_fn yield_loop(void *opaque)
{
    long *n = opaque;

    while (*n > 0) {
        (*n)--;
        qemu_coroutine_yield();
    }
}

/* One enter plus one yield per iteration. */
static double bench_switch(long n)
{
    long left = n;
    Coroutine *co = qemu_coroutine_create(yield_loop, &left);
    double start = now_ns();

    while (left > 0) {
        qemu_coroutine_enter(co);
    }
    qemu_coroutine_enter(co);       /* let it terminate */
    return (now_ns() - start) / n;
}

static ucontext_t uc_main, uc_co;

static void uc_loop(void)
{
    for (;;) {
        swapcontext(&uc_co, &uc_main);
    }
}

static double bench_swapcontext(long n)
{
    g_autofree char *stack = g_malloc(64 * KiB);
    double start;

    getcontext(&uc_co);
    uc_co.uc_stack.ss_sp = stack;
    uc_co.uc_stack.ss_size = 64 * KiB;
    uc_co.uc_link = NULL;
    makecontext(&uc_co, uc_loop, 0);
    start = now_ns();
    for (long i = 0; i < n; i++) {
        swapcontext(&uc_main, &uc_co);
    }
    return (now_ns() - start) / n;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    double life, sw, ref;

    bench_lifecycle(1000);      /* warm the pool */
    life = bench_lifecycle(n);
    sw = bench_switch(n);
    ref = bench_swapcontext(n);
    printf("coroutine create+enter+terminate: %8.1f ns/op\n", life);
    printf("coroutine enter+yield round trip: %8.1f ns/op\n", sw);
    printf("swapcontext round trip (ref):     %8.1f ns/op\n", ref);
    printf("switch speed-up over swapcontext: %8.2fx\n", ref / sw);
    return 0;
}
