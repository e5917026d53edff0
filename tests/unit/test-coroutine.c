/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for coroutines (util/qemu-coroutine.c and the switch
 * backend) and the coroutine locks and sleep.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/coroutine.h"
#include "qemu/main-loop.h"
#include "block/aio-wait.h"

/* ---- Basics ---- */

static void coroutine_fn set_and_exit(void *opaque)
{
    bool *done = opaque;

    g_assert_true(qemu_in_coroutine());
    *done = true;
}

static void test_create_enter(void)
{
    bool done = false;
    Coroutine *co = qemu_coroutine_create(set_and_exit, &done);

    g_assert_nonnull(co);
    g_assert_false(qemu_in_coroutine());
    qemu_coroutine_enter(co);
    g_assert_true(done);
}

static void coroutine_fn check_self(void *opaque)
{
    Coroutine **co = opaque;

    g_assert_true(qemu_coroutine_self() == *co);
    g_assert_true(qemu_coroutine_entered(*co));
}

static void test_self(void)
{
    Coroutine *co = qemu_coroutine_create(check_self, &co);

    g_assert_false(qemu_coroutine_entered(co));
    qemu_coroutine_enter(co);
}

static void coroutine_fn count_yields(void *opaque)
{
    int *i = opaque;

    for (*i = 0; *i < 5; (*i)++) {
        qemu_coroutine_yield();
    }
}

static void test_yield(void)
{
    int i = -1, entered = 0;
    Coroutine *co = qemu_coroutine_create(count_yields, &i);

    /* Each enter resumes exactly one step; the sixth finishes it. */
    for (;;) {
        qemu_coroutine_enter(co);
        entered++;
        if (i == 5) {
            break;
        }
        g_assert_cmpint(i, ==, entered - 1);
        g_assert_false(qemu_coroutine_entered(co));
    }
    g_assert_cmpint(entered, ==, 6);
}

typedef struct NestData {
    unsigned n_enter;
    unsigned n_return;
    unsigned max;
} NestData;

static void coroutine_fn nest(void *opaque)
{
    NestData *nd = opaque;

    nd->n_enter++;
    if (nd->n_enter < nd->max) {
        Coroutine *child = qemu_coroutine_create(nest, nd);
        qemu_coroutine_enter(child);
    }
    nd->n_return++;
}

static void test_nesting(void)
{
    NestData nd = { .max = 128 };
    Coroutine *root = qemu_coroutine_create(nest, &nd);

    qemu_coroutine_enter(root);
    g_assert_cmpint(nd.n_enter, ==, nd.max);
    g_assert_cmpint(nd.n_return, ==, nd.max);
}

/* A yielding callee returns control to its caller coroutine. */
static void coroutine_fn child_yields(void *opaque)
{
    GString *log = opaque;

    g_string_append(log, "c1 ");
    qemu_coroutine_yield();
    g_string_append(log, "c2 ");
}

static void coroutine_fn parent(void *opaque)
{
    GString *log = opaque;
    Coroutine *child = qemu_coroutine_create(child_yields, log);

    g_string_append(log, "p1 ");
    qemu_coroutine_enter(child);        /* child yields back to us */
    g_string_append(log, "p2 ");
    qemu_coroutine_enter(child);        /* child terminates */
    g_string_append(log, "p3 ");
}

static void test_enter_from_coroutine(void)
{
    g_autoptr(GString) log = g_string_new("");

    qemu_coroutine_enter(qemu_coroutine_create(parent, log));
    g_assert_cmpstr(log->str, ==, "p1 c1 p2 c2 p3 ");
}

static void coroutine_fn yield_once(void *opaque)
{
    qemu_coroutine_yield();
}

/* Create+terminate and switch a million times; nothing may pile up. */
static void test_lifecycle_bounded(void)
{
    unsigned live0, pooled, live, max_pooled = 0;
    Coroutine *co;

    qemu_coroutine_stats(&live0, &pooled);
    for (int i = 0; i < 1000000; i++) {
        co = qemu_coroutine_create(yield_once, NULL);
        qemu_coroutine_enter(co);
        qemu_coroutine_enter(co);
        if (i % 1000 == 0) {
            qemu_coroutine_stats(&live, &pooled);
            g_assert_cmpuint(live, ==, live0);
            max_pooled = MAX(max_pooled, pooled);
        }
    }
    /* Recycled stacks only: the pool stays within its bound. */
    g_assert_cmpuint(max_pooled, <=, 128);

    /* A finished coroutine is what the next create hands out. */
    co = qemu_coroutine_create(yield_once, NULL);
    qemu_coroutine_enter(co);
    qemu_coroutine_enter(co);
    g_assert_true(qemu_coroutine_create(yield_once, NULL) == co);
    qemu_coroutine_enter(co);
    qemu_coroutine_enter(co);

    /* Many at once: the pool keeps a bounded number afterwards. */
    {
        Coroutine *many[300];

        for (int i = 0; i < 300; i++) {
            many[i] = qemu_coroutine_create(yield_once, NULL);
            qemu_coroutine_enter(many[i]);
        }
        qemu_coroutine_stats(&live, &pooled);
        g_assert_cmpuint(live, ==, live0 + 300);
        for (int i = 0; i < 300; i++) {
            qemu_coroutine_enter(many[i]);
        }
        qemu_coroutine_stats(&live, &pooled);
        g_assert_cmpuint(live, ==, live0);
        g_assert_cmpuint(pooled, <=, 128);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    g_test_add_func("/coroutine/create-enter", test_create_enter);
    g_test_add_func("/coroutine/self", test_self);
    g_test_add_func("/coroutine/yield", test_yield);
    g_test_add_func("/coroutine/nesting", test_nesting);
    g_test_add_func("/coroutine/enter-from-coroutine",
                    test_enter_from_coroutine);
    g_test_add_func("/coroutine/lifecycle-bounded", test_lifecycle_bounded);
    return g_test_run();
}
