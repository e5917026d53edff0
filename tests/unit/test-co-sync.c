/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * co_run_sync(): the poll loop behind every synchronous block wrapper.
 * A body that yields must still complete, and a call made from inside a
 * coroutine must run the body directly instead of nesting a poll loop.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "block/aio.h"
#include "block/co-sync.h"

typedef struct YieldBody {
    int yields;        /* how many times to give up the CPU first */
    int runs;
    Coroutine *self;
} YieldBody;

static void wake_bh(void *opaque)
{
    YieldBody *b = opaque;

    qemu_coroutine_enter(b->self);
}

static int coroutine_fn yield_body(void *opaque)
{
    YieldBody *b = opaque;
    int i;

    b->runs++;
    b->self = qemu_coroutine_self();
    for (i = 0; i < b->yields; i++) {
        /* Only the event loop of co_run_sync() can wake us */
        aio_bh_schedule_oneshot(qemu_get_aio_context(), wake_bh, b);
        qemu_coroutine_yield();
    }
    return -42;
}

static void test_outside_coroutine(void)
{
    YieldBody b = { .yields = 3 };

    g_assert_cmpint(co_run_sync(NULL, yield_body, &b), ==, -42);
    g_assert_cmpint(b.runs, ==, 1);
    g_assert_cmpint(co_run_sync(qemu_get_aio_context(), yield_body, &b), ==,
                    -42);
    g_assert_cmpint(b.runs, ==, 2);
}

typedef struct Nested {
    YieldBody body;
    Coroutine *outer;
    int ret;
    bool done;
} Nested;

static void coroutine_fn nested_entry(void *opaque)
{
    Nested *n = opaque;

    n->outer = qemu_coroutine_self();
    n->ret = co_run_sync(NULL, yield_body, &n->body);
    n->done = true;
}

static void test_inside_coroutine(void)
{
    Nested n = { .body = { .yields = 2 } };

    qemu_coroutine_enter(qemu_coroutine_create(nested_entry, &n));
    while (!n.done) {
        aio_poll(qemu_get_aio_context(), true);
    }
    g_assert_cmpint(n.ret, ==, -42);
    /* The body ran in the caller's coroutine, not in a new one */
    g_assert(n.body.self == n.outer);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    g_test_add_func("/co-sync/outside-coroutine", test_outside_coroutine);
    g_test_add_func("/co-sync/inside-coroutine", test_inside_coroutine);
    return g_test_run();
}
