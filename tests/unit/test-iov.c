/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMUIOVector: building vectors, concatenating slices of them, and
 * copying between vectors and flat buffers at every offset.
 */
#include "qemu/osdep.h"
#include "qemu/iov.h"

/* A vector of three pieces (3, 5 and 8 bytes) over @mem. */
static void build(QEMUIOVector *q, uint8_t *mem)
{
    qemu_iovec_init(q, 1);
    qemu_iovec_add(q, mem, 3);
    qemu_iovec_add(q, mem + 3, 5);
    qemu_iovec_add(q, mem + 8, 8);
}

static void test_add_and_copy(void)
{
    uint8_t mem[16], flat[16], out[16];
    QEMUIOVector q;
    size_t off, len;
    int i;

    for (i = 0; i < 16; i++) {
        flat[i] = i + 1;
    }
    build(&q, mem);
    g_assert_cmpint(q.niov, ==, 3);
    g_assert_cmpint(q.size, ==, 16);
    /* Every offset and length crosses the piece boundaries correctly */
    for (off = 0; off < 16; off++) {
        for (len = 0; len + off <= 16; len++) {
            memset(mem, 0, sizeof(mem));
            g_assert_cmpint(qemu_iovec_from_buf(&q, off, flat, len), ==, len);
            g_assert(memcmp(mem + off, flat, len) == 0);
            g_assert_cmpint(qemu_iovec_to_buf(&q, off, out, len), ==, len);
            g_assert(memcmp(out, flat, len) == 0);
        }
    }
    /* Copies stop at the end of the vector */
    g_assert_cmpint(qemu_iovec_to_buf(&q, 10, out, 16), ==, 6);
    g_assert_cmpint(qemu_iovec_memset(&q, 2, 0xee, 100), ==, 14);
    g_assert_cmpint(mem[1], !=, 0xee);
    g_assert_cmpint(mem[2], ==, 0xee);
    g_assert_cmpint(mem[15], ==, 0xee);
    qemu_iovec_reset(&q);
    g_assert_cmpint(q.size, ==, 0);
    qemu_iovec_destroy(&q);
}

static void test_concat(void)
{
    uint8_t mem[16], out[16];
    QEMUIOVector q, sub;
    int i;

    for (i = 0; i < 16; i++) {
        mem[i] = i;
    }
    build(&q, mem);
    qemu_iovec_init(&sub, 1);
    qemu_iovec_concat(&sub, &q, 2, 10);
    g_assert_cmpint(sub.size, ==, 10);
    g_assert_cmpint(sub.niov, ==, 3);
    qemu_iovec_to_buf(&sub, 0, out, 10);
    g_assert(memcmp(out, mem + 2, 10) == 0);
    /* The slice shares memory with the original */
    g_assert(sub.iov[0].iov_base == mem + 2);
    qemu_iovec_destroy(&sub);
    qemu_iovec_destroy(&q);
}

static void test_init_buf(void)
{
    uint8_t mem[8] = { 0 };
    QEMUIOVector q;

    qemu_iovec_init_buf(&q, mem, sizeof(mem));
    g_assert_cmpint(q.niov, ==, 1);
    g_assert_cmpint(q.size, ==, 8);
    qemu_iovec_memset(&q, 4, 1, 4);
    g_assert_cmpint(mem[3], ==, 0);
    g_assert_cmpint(mem[4], ==, 1);
    qemu_iovec_destroy(&q);
}

static void test_is_zero(void)
{
    uint8_t mem[16] = { 0 };
    QEMUIOVector q;

    build(&q, mem);
    g_assert_true(qemu_iovec_is_zero(&q, 0, 16));
    mem[9] = 1;
    g_assert_false(qemu_iovec_is_zero(&q, 0, 16));
    g_assert_true(qemu_iovec_is_zero(&q, 0, 9));
    g_assert_true(qemu_iovec_is_zero(&q, 10, 6));
    g_assert_false(qemu_iovec_is_zero(&q, 9, 1));
    qemu_iovec_destroy(&q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/iov/add-and-copy", test_add_and_copy);
    g_test_add_func("/iov/concat", test_concat);
    g_test_add_func("/iov/init-buf", test_init_buf);
    g_test_add_func("/iov/is-zero", test_is_zero);
    return g_test_run();
}
