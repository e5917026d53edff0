/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the HMP line editor: editing keys produce the right
 * line, and the history keeps the newest 64 distinct lines.
 */
#include "qemu/osdep.h"
#include "monitor/readline.h"

typedef struct Result {
    GString *echo;
    GPtrArray *lines;
} Result;

static void rl_print(void *opaque, const char *str, size_t len)
{
    Result *r = opaque;

    g_string_append_len(r->echo, str, len);
}

static void rl_done(void *opaque, const char *line)
{
    Result *r = opaque;

    g_ptr_array_add(r->lines, g_strdup(line));
}

static void feed(ReadLineState *rs, const char *keys)
{
    for (; *keys; keys++) {
        readline_handle_byte(rs, (unsigned char)*keys);
    }
}

static void test_editing(void)
{
    Result r = { g_string_new(NULL), g_ptr_array_new_with_free_func(g_free) };
    ReadLineState rs;

    readline_init(&rs, rl_print, rl_done, &r);
    feed(&rs, "stxop\033[D\033[D\177\r");       /* left, left, backspace */
    feed(&rs, "bc\001a\005d\r");                /* Ctrl-A, Ctrl-E */
    feed(&rs, "xyz\033[1~\033[3~\033[4~!\r");    /* home, delete, end */
    feed(&rs, "\033[A\r");                      /* history: last line */
    g_assert_cmpuint(r.lines->len, ==, 4);
    g_assert_cmpstr(g_ptr_array_index(r.lines, 0), ==, "stop");
    g_assert_cmpstr(g_ptr_array_index(r.lines, 1), ==, "abcd");
    g_assert_cmpstr(g_ptr_array_index(r.lines, 2), ==, "yz!");
    g_assert_cmpstr(g_ptr_array_index(r.lines, 3), ==, "yz!");
    readline_free(&rs);
    g_string_free(r.echo, true);
    g_ptr_array_unref(r.lines);
}

static void test_history_limit(void)
{
    Result r = { g_string_new(NULL), g_ptr_array_new_with_free_func(g_free) };
    ReadLineState rs;
    int i;

    readline_init(&rs, rl_print, rl_done, &r);
    for (i = 0; i < 70; i++) {
        g_autofree char *line = g_strdup_printf("cmd%d\r", i);

        feed(&rs, line);
    }
    /* The oldest entry left is cmd6; walking past it stays there. */
    for (i = 0; i < 80; i++) {
        feed(&rs, "\033[A");
    }
    feed(&rs, "\r");
    g_assert_cmpstr(g_ptr_array_index(r.lines, r.lines->len - 1), ==,
                    "cmd6");
    /* A repeated line moves to the end instead of being kept twice. */
    feed(&rs, "cmd10\r\033[A\033[A\r");
    g_assert_cmpstr(g_ptr_array_index(r.lines, r.lines->len - 1), ==,
                    "cmd6");
    readline_free(&rs);
    g_string_free(r.echo, true);
    g_ptr_array_unref(r.lines);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hmp-readline/editing", test_editing);
    g_test_add_func("/hmp-readline/history-limit", test_history_limit);
    return g_test_run();
}
