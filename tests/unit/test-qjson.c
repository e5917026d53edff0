/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the JSON lexer, message splitter, parser and formatter.
 * Expected messages and output were observed from QEMU 7.2's QMP monitor
 * (qemu-system-x86_64 -qmp stdio) fed the same bytes.
 */
#include "qemu/osdep.h"
#include "qobject/json-parser.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

/* Append one line per emitted value ("ok JSON") or error ("err DESC"). */
static void log_emit(void *opaque, QObject *json, Error *err)
{
    GString *log = opaque;

    g_assert_true(!json != !err);
    if (err) {
        g_string_append_printf(log, "err %s\n", error_get_pretty(err));
        error_free(err);
    } else {
        GString *text = qobject_to_json(json);

        /* Keep the log of huge values small: their start is enough. */
        if (text->len > 4096) {
            g_string_truncate(text, 64);
            g_string_append(text, "...");
        }
        g_string_append_printf(log, "ok %s\n", text->str);
        g_string_free(text, true);
        qobject_unref(json);
    }
}

/* Feed @len bytes of @in in pieces of @chunk bytes (0: cut at @split). */
static char *parse_log(const char *in, size_t len, size_t chunk,
                       size_t split)
{
    JSONMessageParser parser;
    GString *log = g_string_new("");
    size_t off;

    json_message_parser_init(&parser, log_emit, log, NULL);
    if (chunk) {
        for (off = 0; off < len; off += chunk) {
            json_message_parser_feed(&parser, in + off, MIN(chunk, len - off));
        }
    } else {
        json_message_parser_feed(&parser, in, split);
        json_message_parser_feed(&parser, in + split, len - split);
    }
    json_message_parser_flush(&parser);
    json_message_parser_destroy(&parser);
    return g_string_free(log, false);
}

/* Check that every way of cutting @in gives @expected. */
static void check_all_splits(const char *in, size_t len, const char *expected)
{
    size_t k;
    char *got = parse_log(in, len, 1, 0);

    g_assert_cmpstr(got, ==, expected);
    g_free(got);
    for (k = 0; k <= len; k++) {
        got = parse_log(in, len, 0, k);
        g_assert_cmpstr(got, ==, expected);
        g_free(got);
    }
}

typedef struct StreamCase {
    const char *in;
    size_t len;
    const char *expected;
} StreamCase;

#define C(in, out) { in, sizeof(in) - 1, out }

/* Observed from QEMU 7.2: each input, and what QMP reported for it. */
static const StreamCase stream_cases[] = {
    C("\377 1 ",
      "err JSON parse error, stray '\377'\n"),
    C("\377\"x\" ",
      "err JSON parse error, stray '\377'\n"),
    C("\377{\"a\":1} ",
      "err JSON parse error, stray '\377'\nok {\"a\": 1}\n"),
    C("\377[1] ",
      "err JSON parse error, stray '\377'\nok [1]\n"),
    C("\377\n1 ",
      "err JSON parse error, stray '\377'\nok 1\n"),
    C("\377}1 ",
      "err JSON parse error, stray '\377'\nerr JSON parse error, expecting v"
      "alue\nok 1\n"),
    C("\377]1 ",
      "err JSON parse error, stray '\377'\nerr JSON parse error, expecting v"
      "alue\nok 1\n"),
    C("\377,1 ",
      "err JSON parse error, stray '\377'\nerr JSON parse error, expecting v"
      "alue\nok 1\n"),
    C("\377:1 ",
      "err JSON parse error, stray '\377'\nerr JSON parse error, expecting v"
      "alue\nok 1\n"),
    C("\377 x y{\"execute\":\"query-name\"}",
      "err JSON parse error, stray '\377'\nok {\"execute\": \"query-name\"}"
      "\n"),
    C("\377\r1 ",
      "err JSON parse error, stray '\377'\nok 1\n"),
    C("\377\t1 ",
      "err JSON parse error, stray '\377'\n"),
    C("\001 1 ",
      "err JSON parse error, stray '\001'\n"),
    C("\000 1 ",
      "err JSON parse error, stray ''\n"),
    C("@ 1\n",
      "err JSON parse error, stray '@'\n"),
    C("{'execute':'query-name'}",
      "ok {\"execute\": \"query-name\"}\n"),
    C("{\"execute\":\"query-name\",}",
      "err JSON parse error, expecting value\n"),
    C("{\"execute\" \"query-name\"}",
      "err JSON parse error, missing : in object pair\n"),
    C("{\"execute\":\"query-name\" \"a\":1}",
      "err JSON parse error, expected separator in dict\n"),
    C("{\"a\":1,\"a\":2}",
      "err JSON parse error, duplicate key\n"),
    C("[1,]",
      "err JSON parse error, expecting value\n"),
    C("[1 2]",
      "err JSON parse error, expected separator in list\n"),
    C("[,1]",
      "err JSON parse error, expecting value\n"),
    C("{,}",
      "err JSON parse error, expecting value\n"),
    C("{1:2}",
      "err JSON parse error, key is not a string in object\n"),
    C("{\"a\"}",
      "err JSON parse error, missing : in object pair\n"),
    C("{\"a\":}",
      "err JSON parse error, expecting value\n"),
    C("\"\\u0000\"",
      "ok \"\\u0000\"\n"),
    C("\"\\x\"",
      "err JSON parse error, invalid escape sequence in string\n"),
    C("\"\\ud800\"",
      "err JSON parse error, \\ud800 is not a valid Unicode character\n"),
    C("\"\\udc00\"",
      "err JSON parse error, \\udc00 is not a valid Unicode character\n"),
    C("\"\\ud800\\u0041\"",
      "err JSON parse error, \\ud800 is not a valid Unicode character\n"),
    C("\"\\u12\"",
      "err JSON parse error, \\u12\" is not a valid Unicode character\n"),
    C("\"\\u12g4\"",
      "err JSON parse error, \\u12g4 is not a valid Unicode character\n"),
    C("\"a\nb\"",
      "err JSON parse error, stray '\"a\n'\n"),
    C("\"a\177b\"",
      "ok \"a\\u007Fb\"\n"),
    C("1.\n",
      "err JSON parse error, stray '1.\n'\n"),
    C("1e\n",
      "err JSON parse error, stray '1e\n'\n"),
    C("-\n",
      "err JSON parse error, stray '-\n'\n"),
    C("01 ",
      "err JSON parse error, stray '01'\n"),
    C("-01 ",
      "err JSON parse error, stray '-01'\n"),
    C("1.5e+ ",
      "err JSON parse error, stray '1.5e+ '\n"),
    C(".5 ",
      "err JSON parse error, stray '.'\n"),
    C("+1 ",
      "err JSON parse error, stray '+'\n"),
    C("tru ",
      "err JSON parse error, invalid keyword 'tru'\n"),
    C("true1 ",
      "ok true\nok 1\n"),
    C("nul ",
      "err JSON parse error, invalid keyword 'nul'\n"),
    C("%d ",
      "err JSON parse error, stray '%'\n"),
    C("%p ",
      "err JSON parse error, stray '%'\n"),
    C("'a\"b' ",
      "ok \"a\\\"b\"\n"),
    C("\"\\/\\b\\f\\n\\r\\t\" ",
      "ok \"/\\b\\f\\n\\r\\t\"\n"),
    C("'\\'' ",
      "ok \"'\"\n"),
    C("True ",
      "err JSON parse error, stray 'T'\n"),
    C("tRue ",
      "err JSON parse error, invalid keyword 't'\nerr JSON parse error, stra"
      "y 'R'\n"),
    C("null_ ",
      "ok null\nerr JSON parse error, stray '_'\n"),
    C("a1 ",
      "err JSON parse error, invalid keyword 'a'\nok 1\n"),
    C("abc\377 ",
      "err JSON parse error, invalid keyword 'abc'\nerr JSON parse error, st"
      "ray '\377'\n"),
    C("1x ",
      "ok 1\nerr JSON parse error, invalid keyword 'x'\n"),
    C("1\"a\" ",
      "ok 1\nok \"a\"\n"),
    C("1.5.3 ",
      "ok 1.5\nerr JSON parse error, stray '.'\n"),
    C("0x ",
      "ok 0\nerr JSON parse error, invalid keyword 'x'\n"),
    C("[}",
      "err JSON parse error, expecting value\n"),
    C("{]",
      "err JSON parse error, expecting value\n"),
    C("[[}]",
      "err JSON parse error, expecting value\nerr JSON parse error, expectin"
      "g value\n"),
    C("-a ",
      "err JSON parse error, stray '-a'\n"),
    C("1e5 1E+5 1e-5 ",
      "ok 100000\nok 100000\nok 1.0000000000000001e-05\n"),
    C("{\"execute\":\"query-name\"}{\"execute\":\"query-name\"}",
      "ok {\"execute\": \"query-name\"}\nok {\"execute\": \"query-name\"}\n"),
    C("{\"execute\":\"query-name\"} x ",
      "ok {\"execute\": \"query-name\"}\nerr JSON parse error, invalid keywo"
      "rd 'x'\n"),
    C("'a\\\\'b' ",
      "ok \"a\\\\\"\nerr JSON parse error, invalid keyword 'b'\nerr JSON par"
      "se error, stray '' '\n"),
    C("{\"a\":1,\"a\":}",
      "err JSON parse error, expecting value\n"),
    C("\"a\303x\n",
      "err JSON parse error, stray '\"a\303x\n'\n"),
    C("\"a\342\202x\n",
      "err JSON parse error, stray '\"a\342\202x\n'\n"),
    C("\"a\342\202\n",
      "err JSON parse error, stray '\"a\342\202\n'\n"),
    C("\"\300\200\301\277\355\240\200\364\220\200\200\n",
      "err JSON parse error, stray '\"\300\200\301\277\355\240\200\364\220"
      "\200\200\n'\n"),
    C("\"\370\210\200\200\200\374\204\200\200\200\200\n",
      "err JSON parse error, stray '\"\370\210\200\200\200\374\204\200\200"
      "\200\200\n'\n"),
    C("\"\200\277\n",
      "err JSON parse error, stray '\"\200\277\n'\n"),
    C("\"\357\277\277\357\277\276\357\267\220\n",
      "err JSON parse error, stray '\"\357\277\277\357\277\276\357\267\220\n"
      "'\n"),
    C("\"\376\n",
      "err JSON parse error, stray '\"\376'\n"),
    C("\376\n",
      "err JSON parse error, stray '\376'\n"),
    C("\"a\377",
      "err JSON parse error, stray '\"a\377'\n"),
    C("\"\\\377",
      "err JSON parse error, stray '\"\\\377'\n"),
    C("\"\177\n",
      "err JSON parse error, stray '\"\177\n'\n"),
    C("\"\340\200\257\n",
      "err JSON parse error, stray '\"\340\200\257\n'\n"),
    C("\"\360\200\200\257\n",
      "err JSON parse error, stray '\"\360\200\200\257\n'\n"),
    C("{\"a\":1}}",
      "ok {\"a\": 1}\nerr JSON parse error, expecting value\n"),
    C("[1,2]",
      "ok [1, 2]\n"),
    C("}",
      "err JSON parse error, expecting value\n"),
    C("garbage",
      "err JSON parse error, invalid keyword 'garbage'\n"),
    C("{\"execute\": foo}",
      "err JSON parse error, invalid keyword 'foo'\n"),
    C("-0 ",
      "ok 0\n"),
    C("18446744073709551616 ",
      "ok 1.8446744073709552e+19\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\u0000x\"}}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"\\u0000x\""
      "}}\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\300\200\"}}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"\\u0000\"}"
      "}\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\303\"}}\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\303\"\"}}\n",
      "err JSON parse error, stray '\"}}\n'\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\301\277\"}}\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\340\200\257\"}}"
      "\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\355\240\200\"}}"
      "\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\364\220\200\200"
      "\"}}\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\360\237\230\200"
      "\"}}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"a\\uD83D\\"
      "uDE00\"}}\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\357\277\277\"}}"
      "\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\370\210\200\200"
      "\200\"}}\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\200\"}}\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\357\277\276\"}}"
      "\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\uFFFF\\uFFFE\\u"
      "fdd0\"}}\n",
      "err JSON parse error, \\uFFFF is not a valid Unicode character\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\\001\"}}\n",
      "err JSON parse error, stray '\"\\\001'\nerr JSON parse error, expecti"
      "ng value\nerr JSON parse error, expecting value\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\\n\"}}\n",
      "err JSON parse error, stray '\"\\\n'\nerr JSON parse error, expecting"
      " value\nerr JSON parse error, expecting value\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\357\267\220\"}}"
      "\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\ufdd0\"}}\n",
      "err JSON parse error, \\ufdd0 is not a valid Unicode character\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\uFFFE\"}}\n",
      "err JSON parse error, \\uFFFE is not a valid Unicode character\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\ud83f\\udfff\"}"
      "}\n",
      "err JSON parse error, \\ud83f\\udfff is not a valid Unicode character"
      "\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\360\237\277\277"
      "\"}}\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\uD83D\\uDE00\"}"
      "}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"\\uD83D\\u"
      "DE00\"}}\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\337\277\340\240"
      "\200\360\220\200\200\364\217\277\277\"}}\n",
      "err JSON parse error, invalid UTF-8 sequence in string\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\'\"}}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"'\"}}\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"/machine/\\u00e9"
      "\\u0001\\t\\\"\\\\/\\ud83d\\ude00\\u007f\"}}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine/"
      "\\u00E9\\u0001\\t\\\"\\\\/\\uD83D\\uDE00\\u007F\"}}\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\303\251 \377 "
      "\300\200 \355\240\200 x\"}}\n",
      "err JSON parse error, stray '\"\303\251 \377'\nerr JSON parse error, "
      "expecting value\nerr JSON parse error, expecting value\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"a\001b\"}}\n",
      "err JSON parse error, stray '\"a\001'\nerr JSON parse error, expectin"
      "g value\nerr JSON parse error, expecting value\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\337\277\340\240"
      "\200\360\220\200\200\364\217\277\275\"}}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"\\u07FF\\u"
      "0800\\uD800\\uDC00\\uDBFF\\uDFFD\"}}\n"),
    C("{\"execute\":\"qom-list\",\"arguments\":{\"path\":\"\\u0080\\u07ff\\u"
      "0800\\uffFD\\uD800\\uDC00\\uDBFF\\uDFFD\"}}\n",
      "ok {\"execute\": \"qom-list\", \"arguments\": {\"path\": \"\\u0080\\u"
      "07FF\\u0800\\uFFFD\\uD800\\uDC00\\uDBFF\\uDFFD\"}}\n"),
    C("0e5 ",
      "ok 0\nerr JSON parse error, invalid keyword 'e'\nok 5\n"),
    C("0E5 ",
      "ok 0\nerr JSON parse error, stray 'E'\n"),
    C("-0e5 ",
      "ok 0\nerr JSON parse error, invalid keyword 'e'\nok 5\n"),
    C("0.5e3 ",
      "ok 500\n"),
    C("1E-5 ",
      "ok 1.0000000000000001e-05\n"),
    C("-1. ",
      "err JSON parse error, stray '-1. '\n"),
    C("0e ",
      "ok 0\nerr JSON parse error, invalid keyword 'e'\n"),
    C("00 ",
      "err JSON parse error, stray '00'\n"),
    C("-0.0E+1 ",
      "ok -0\n"),
    C("0etrue ",
      "ok 0\nerr JSON parse error, invalid keyword 'etrue'\n"),
    C("[0,-0,1e2]",
      "ok [0, 0, 100]\n"),

};

static void test_stream_cases(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(stream_cases); i++) {
        const StreamCase *c = &stream_cases[i];

        check_all_splits(c->in, c->len, c->expected);
    }
}

/* All cases back to back, cut into pieces of assorted sizes. */
static void test_stream_concatenated(void)
{
    GString *all = g_string_new("");
    static const size_t chunks[] = { 1, 2, 3, 7, 64, 4096 };
    char *whole;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(stream_cases); i++) {
        g_string_append_len(all, stream_cases[i].in, stream_cases[i].len);
        g_string_append_c(all, '\n');
    }
    whole = parse_log(all->str, all->len, all->len, 0);
    g_assert_true(strstr(whole, "ok {\"execute\": \"query-name\"}\n"));
    for (i = 0; i < ARRAY_SIZE(chunks); i++) {
        char *got = parse_log(all->str, all->len, chunks[i], 0);

        g_assert_cmpstr(got, ==, whole);
        g_free(got);
    }
    g_free(whole);
    g_string_free(all, true);
}

/* Several complete messages in one feed, and one spread over many. */
static void test_stream_messages(void)
{
    static const char in[] = "{\"execute\":\"a\"}{\"execute\":\"b\"}\n"
                             "[1,\n2]\"s\" 3 true";

    check_all_splits(in, sizeof(in) - 1,
                     "ok {\"execute\": \"a\"}\n"
                     "ok {\"execute\": \"b\"}\n"
                     "ok [1, 2]\n"
                     "ok \"s\"\n"
                     "ok 3\n"
                     "ok true\n");
}

/* What is left at the end of the input is reported by the flush. */
static void test_stream_flush(void)
{
    static const StreamCase cases[] = {
        C("{\"a\":", "err JSON parse error, premature EOI\n"),
        C("[1", "err JSON parse error, premature EOI\n"),
        C("{\"a\" ", "err JSON parse error, premature EOI\n"),
        C("\"abc", "err JSON parse error, stray '\"abc'\n"),
        C("1.", "err JSON parse error, stray '1.'\n"),
        C("-", "err JSON parse error, stray '-'\n"),
        C("12", "ok 12\n"),
        C("1e5", "ok 100000\n"),
        C("null", "ok null\n"),
        C("nul", "err JSON parse error, invalid keyword 'nul'\n"),
        C("\377", "err JSON parse error, stray '\377'\n"),
        C("", ""),
        C("  \n\t\r", ""),
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        check_all_splits(cases[i].in, cases[i].len, cases[i].expected);
    }
}

/* The parser is reusable after a flush. */
static void test_stream_reuse(void)
{
    JSONMessageParser parser;
    GString *log = g_string_new("");

    json_message_parser_init(&parser, log_emit, log, NULL);
    json_message_parser_feed(&parser, "[1, ", 4);
    json_message_parser_flush(&parser);
    json_message_parser_feed(&parser, "42", 2);
    json_message_parser_flush(&parser);
    json_message_parser_feed(&parser, "{\"a\": [", 7);
    /* Destroying with a message pending must not leak. */
    json_message_parser_destroy(&parser);
    g_assert_cmpstr(log->str, ==,
                    "err JSON parse error, premature EOI\nok 42\n");
    g_string_free(log, true);
}

/* NUL bytes in the input are invalid, inside strings or outside. */
static void test_stream_nul(void)
{
    static const char in[] = "\"a\0b\" \0 [1]";

    check_all_splits(in, sizeof(in) - 1,
                     "err JSON parse error, stray '\"a'\n"
                     "err JSON parse error, stray ''\n"
                     "ok [1]\n");
}

/* Control characters are reported even while skipping after an error. */
static void test_stream_recovery_controls(void)
{
    static const char in[] = "\377 abc \001 \"x\" \t\r[2]";

    check_all_splits(in, sizeof(in) - 1,
                     "err JSON parse error, stray '\377'\n"
                     "err JSON parse error, stray '\001'\n"
                     "ok [2]\n");
}

/*
 * Random streams built from fragments that exercise every lexer state:
 * however they are cut, the results must be the same.
 */
static void test_stream_random(void)
{
    static const char *const atoms[] = {
        "{", "}", "[", "]", ",", ":", "\"a\"", "'b'", "1", "-0", "1.5e3",
        "0e5", "true", "null", "nul", "x", " ", "\n", "\r", "\t", "\377",
        "\376", "\001", "\"\\u00e9\"", "\"\\ud800\"", "\"\\q\"",
        "\"\303\251\"", "\"\303\"", "%d", "@", "-", ".", "e", "0", "\"",
        "'", "\\", "\"\\", "1e", "01", "\"\\u12", "[[[[", "]]]]", "\200",
        "{\"execute\":\"query-name\"}", "\"long string of plain text\"",
    };
    GRand *rand = g_rand_new_with_seed(4242);
    int round;

    for (round = 0; round < 200; round++) {
        GString *in = g_string_new("");
        int n = g_rand_int_range(rand, 1, 40);
        char *whole, *got;
        size_t chunk;

        while (n--) {
            g_string_append(in, atoms[g_rand_int_range(rand, 0,
                                                       ARRAY_SIZE(atoms))]);
        }
        whole = parse_log(in->str, in->len, in->len + 1, 0);
        for (chunk = 1; chunk <= 5; chunk += 2) {
            got = parse_log(in->str, in->len, chunk, 0);
            g_assert_cmpstr(got, ==, whole);
            g_free(got);
        }
        got = parse_log(in->str, in->len, 0,
                        g_rand_int_range(rand, 0, in->len + 1));
        g_assert_cmpstr(got, ==, whole);
        g_free(got);
        g_free(whole);
        g_string_free(in, true);
    }
    g_rand_free(rand);
}

static char *nested(const char *open, const char *middle, const char *close,
                    int depth)
{
    GString *s = g_string_new("");
    int i;

    for (i = 0; i < depth; i++) {
        g_string_append(s, open);
    }
    g_string_append(s, middle);
    for (i = 0; i < depth; i++) {
        g_string_append(s, close);
    }
    return g_string_free(s, false);
}

static char *repeat_line(const char *line, int n)
{
    GString *s = g_string_new("");
    int i;

    for (i = 0; i < n; i++) {
        g_string_append(s, line);
    }
    return g_string_free(s, false);
}

static void test_nesting_limit(void)
{
    char *in = nested("[", "", "]", JSON_MAX_NESTING);
    char *got = parse_log(in, strlen(in), 4096, 0);
    char *expected;

    /* At the limit: accepted. */
    g_assert_true(g_str_has_prefix(got, "ok [[[["));
    g_assert_cmpint(strchr(got, '\n') - got + 1, ==, strlen(got));
    g_free(got);
    g_free(in);

    /*
     * One more: the bracket past the limit is reported and dropped with
     * the message; every closing bracket then stands alone, as in QEMU.
     */
    in = nested("[", "", "]", JSON_MAX_NESTING + 1);
    got = parse_log(in, strlen(in), 1, 0);
    expected = repeat_line("err JSON parse error, expecting value\n",
                           JSON_MAX_NESTING + 1);
    g_assert_true(g_str_has_prefix(got,
                  "err JSON nesting depth limit exceeded\n"));
    g_assert_cmpstr(strchr(got, '\n') + 1, ==, expected);
    g_free(expected);
    g_free(got);
    g_free(in);

    /* Mixed dicts and lists count together. */
    in = nested("{\"a\":[", "1", "]}", JSON_MAX_NESTING / 2 + 1);
    got = parse_log(in, strlen(in), 4096, 0);
    g_assert_true(g_str_has_prefix(got,
                  "err JSON nesting depth limit exceeded\n"));
    g_free(got);
    g_free(in);
}

static void test_token_count_limit(void)
{
    GString *in = g_string_new("[");
    char *got;
    uint64_t i;

    /* "[", then "1," pairs and "1]": one token more than allowed. */
    for (i = 0; i < JSON_MAX_TOKEN_COUNT / 2 - 1; i++) {
        g_string_append(in, "1,");
    }
    g_string_append(in, "1]");
    got = parse_log(in->str, in->len, 65536, 0);
    g_assert_cmpstr(got, ==, "err JSON token count limit exceeded\n");
    g_free(got);

    /* One token fewer is accepted. */
    g_string_truncate(in, in->len - 3);
    g_string_append(in, "]");
    got = parse_log(in->str, in->len, 65536, 0);
    g_assert_true(g_str_has_prefix(got, "ok [1, 1, 1"));
    g_free(got);
    g_string_free(in, true);
}

/* A string token of @len bytes (with quotes) between @head and @tail. */
static GString *big_string_input(const char *head, size_t len,
                                 const char *tail)
{
    GString *in = g_string_sized_new(len + 64);
    size_t start = strlen(head);

    g_string_append(in, head);
    g_string_set_size(in, start + len);
    memset(in->str + start, 'a', len);
    in->str[start] = '"';
    in->str[start + len - 1] = '"';
    g_string_append(in, tail);
    return in;
}

/* Limits on message size, at the boundaries QEMU 7.2 shows. */
static void test_size_limit(void)
{
    uint64_t max = JSON_MAX_TOKEN_SIZE;
    GString *in, *half;
    char *got;

    /* One byte below the limit is accepted... */
    in = big_string_input("", max - 1, " ");
    got = parse_log(in->str, in->len, 1 << 20, 0);
    g_assert_true(g_str_has_prefix(got, "ok \"aaa"));
    g_free(got);
    g_string_free(in, true);

    /* ...a message of exactly the limit is not. */
    in = big_string_input("", max, "\n[1]");
    got = parse_log(in->str, in->len, 1 << 20, 0);
    g_assert_cmpstr(got, ==, "err JSON token size limit exceeded\nok [1]\n");
    g_free(got);
    g_string_free(in, true);

    /* The limit is on the whole message, not on each token. */
    half = big_string_input("", max / 2, "");
    in = g_string_sized_new(max + 16);
    g_string_append(in, "[\"\",");
    g_string_append_len(in, half->str, half->len);
    g_string_append_c(in, ',');
    g_string_append_len(in, half->str, half->len);
    g_string_append(in, "]");
    g_string_free(half, true);
    got = parse_log(in->str, in->len, 1 << 20, 0);
    g_assert_cmpstr(got, ==, "err JSON token size limit exceeded\n"
                    "err JSON parse error, expecting value\n");
    g_free(got);
    g_string_free(in, true);

    /*
     * A token that outgrows the limit is cut there; QEMU then lexes the
     * rest afresh (here: a keyword, then a string broken by a newline).
     */
    in = big_string_input("", max + 102, "\n[2]");
    got = parse_log(in->str, in->len, 1 << 20, 0);
    g_assert_true(g_str_has_prefix(got,
                  "err JSON token size limit exceeded\n"
                  "err JSON parse error, invalid keyword 'aaaa"));
    g_assert_true(g_str_has_suffix(got,
                  "aaaa'\nerr JSON parse error, stray '\"\n'\nok [2]\n"));
    g_assert_cmpuint(strlen(got), ==,
                     strlen("err JSON token size limit exceeded\n"
                            "err JSON parse error, invalid keyword ''\n"
                            "err JSON parse error, stray '\"\n'\n"
                            "ok [2]\n") + 100);
    g_free(got);
    g_string_free(in, true);
}

/* A huge message does not keep its buffers once it is done. */
static void test_stream_releases_memory(void)
{
    GString *in = big_string_input("[", 4 * 1024 * 1024, "]");
    JSONMessageParser parser;
    GString *log = g_string_new("");

    json_message_parser_init(&parser, log_emit, log, NULL);
    json_message_parser_feed(&parser, in->str, in->len);
    g_assert_true(g_str_has_prefix(log->str, "ok [\"aaa"));
    g_assert_cmpuint(parser.token_text->allocated_len, <=, 64 * 1024);
    g_assert_cmpuint(parser.lexer.token->allocated_len, <=, 64 * 1024);
    json_message_parser_destroy(&parser);
    g_string_free(log, true);
    g_string_free(in, true);
}

/* Multi-megabyte strings are fine below the limit and survive a trip. */
static void test_huge_string(void)
{
    size_t n = 8 * 1024 * 1024;
    GString *in = g_string_sized_new(n + 16);
    QObject *obj;
    GString *out;
    size_t i;

    g_string_append(in, "[\"");
    for (i = 0; i < n; i++) {
        g_string_append_c(in, 'a' + i % 26);
    }
    g_string_append(in, "\\u00e9\"]");
    obj = qobject_from_json(in->str, &error_abort);
    g_assert_cmpuint(qstring_get_length(qobject_to(QString,
                     qlist_peek(qobject_to(QList, obj)))), ==, n + 2);
    out = qobject_to_json(obj);
    g_assert_cmpuint(out->len, ==, n + 10);
    g_assert_true(g_str_has_suffix(out->str, "yz\\u00E9\"]") ||
                  g_str_has_suffix(out->str, "\\u00E9\"]"));
    g_string_free(out, true);
    g_string_free(in, true);
    qobject_unref(obj);
}

static char *to_json_str(QObject *obj, bool pretty)
{
    return g_string_free(qobject_to_json_pretty(obj, pretty), false);
}

/* How QEMU 7.2 prints strings in QMP replies. */
static void test_format_strings(void)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "", "\"\"" },
        { "plain /slash", "\"plain /slash\"" },
        { "q\"b\\", "\"q\\\"b\\\\\"" },
        { "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
        { "\001\037\177", "\"\\u0001\\u001F\\u007F\"" },
        { "\303\251", "\"\\u00E9\"" },
        { "\360\237\230\200", "\"\\uD83D\\uDE00\"" },
        { "\xc0\x80", "\"\\u0000\"" },
        /* Invalid UTF-8: one U+FFFD per bad sequence or stray byte. */
        { "a\303x", "\"a\\uFFFDx\"" },
        { "a\342\202x", "\"a\\uFFFDx\"" },
        { "\301\277\355\240\200\364\220\200\200",
          "\"\\uFFFD\\uFFFD\\uFFFD\"" },
        { "\370\210\200\200\200\374\204\200\200\200\200",
          "\"\\uFFFD\\uFFFD\"" },
        { "\200\277\376\377", "\"\\uFFFD\\uFFFD\\uFFFD\\uFFFD\"" },
        /* Noncharacters too. */
        { "\357\277\277\357\277\276\357\267\220",
          "\"\\uFFFD\\uFFFD\\uFFFD\"" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        QString *qs = qstring_from_str(cases[i].in);
        char *out = to_json_str(QOBJECT(qs), false);

        g_assert_cmpstr(out, ==, cases[i].out);
        g_free(out);
        qobject_unref(qs);
    }
}

static void test_format_numbers(void)
{
    QNum *nums[] = {
        qnum_from_int(INT64_MIN),
        qnum_from_int(INT64_MAX),
        qnum_from_uint(UINT64_MAX),
        qnum_from_double(0.1),
        qnum_from_double(1.5),
        qnum_from_double(1e100),
        qnum_from_double(-2.5e-10),
        /* As QEMU 7.2 printed query-migrate's "mbps". */
        qnum_from_double(0.332),
        qnum_from_double(0.747),
    };
    static const char *const texts[] = {
        "-9223372036854775808",
        "9223372036854775807",
        "18446744073709551615",
        "0.10000000000000001",
        "1.5",
        "1e+100",
        "-2.5000000000000002e-10",
        "0.33200000000000002",
        "0.747",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(nums); i++) {
        char *out = to_json_str(QOBJECT(nums[i]), false);

        g_assert_cmpstr(out, ==, texts[i]);
        g_free(out);
        qobject_unref(nums[i]);
    }
}

/* QEMU's greeting, printed compact and with pretty=on. */
static void test_format_structure(void)
{
    QDict *greeting = qdict_new();
    QDict *qmp = qdict_new();
    QDict *version = qdict_new();
    QDict *qemu = qdict_new();
    QList *caps = qlist_new();
    char *out;

    qdict_put_int(qemu, "major", 7);
    qdict_put_int(qemu, "minor", 2);
    qdict_put_int(qemu, "micro", 0);
    qdict_put(version, "qemu", qemu);
    qdict_put_str(version, "package", "");
    qdict_put(qmp, "version", version);
    qlist_append_str(caps, "oob");
    qdict_put(qmp, "capabilities", caps);
    qdict_put(greeting, "QMP", qmp);
    qdict_put(greeting, "return", qdict_new());
    qdict_put(greeting, "list", qlist_new());

    out = to_json_str(QOBJECT(greeting), false);
    g_assert_cmpstr(out, ==,
                    "{\"list\": [], \"QMP\": {\"version\": {\"qemu\": "
                    "{\"micro\": 0, \"minor\": 2, \"major\": 7}, "
                    "\"package\": \"\"}, \"capabilities\": [\"oob\"]}, "
                    "\"return\": {}}");
    g_free(out);

    out = to_json_str(QOBJECT(greeting), true);
    g_assert_cmpstr(out, ==,
                    "{\n"
                    "    \"list\": [\n"
                    "    ],\n"
                    "    \"QMP\": {\n"
                    "        \"version\": {\n"
                    "            \"qemu\": {\n"
                    "                \"micro\": 0,\n"
                    "                \"minor\": 2,\n"
                    "                \"major\": 7\n"
                    "            },\n"
                    "            \"package\": \"\"\n"
                    "        },\n"
                    "        \"capabilities\": [\n"
                    "            \"oob\"\n"
                    "        ]\n"
                    "    },\n"
                    "    \"return\": {\n"
                    "    }\n"
                    "}");
    g_free(out);

    qobject_unref(greeting);

    greeting = qdict_new();
    qdict_put_null(greeting, "n");
    qdict_put_bool(greeting, "t", true);
    out = to_json_str(QOBJECT(greeting), false);
    g_assert_cmpstr(out, ==, "{\"n\": null, \"t\": true}");
    g_free(out);
    qobject_unref(greeting);
}

/*
 * A query-machines entry, members added in the schema's order (as the
 * QAPI output visitor does), prints exactly as QEMU 7.2 printed it.
 */
static void test_format_member_order(void)
{
    QDict *d = qdict_new();
    char *out;

    qdict_put_str(d, "name", "pc-i440fx-7.2");
    qdict_put_str(d, "alias", "pc");
    qdict_put_bool(d, "is-default", true);
    qdict_put_int(d, "cpu-max", 255);
    qdict_put_bool(d, "hotpluggable-cpus", true);
    qdict_put_bool(d, "numa-mem-supported", false);
    qdict_put_bool(d, "deprecated", false);
    qdict_put_str(d, "default-cpu-type", "qemu64-x86_64-cpu");
    qdict_put_str(d, "default-ram-id", "pc.ram");
    out = to_json_str(QOBJECT(d), false);
    g_assert_cmpstr(out, ==,
                    "{\"hotpluggable-cpus\": true, "
                    "\"name\": \"pc-i440fx-7.2\", "
                    "\"numa-mem-supported\": false, \"default-cpu-type\": "
                    "\"qemu64-x86_64-cpu\", \"is-default\": true, "
                    "\"cpu-max\": 255, \"deprecated\": false, "
                    "\"default-ram-id\": \"pc.ram\", \"alias\": \"pc\"}");
    g_free(out);
    qobject_unref(d);
}

static QObject *parse_ok(const char *in)
{
    QObject *obj = qobject_from_json(in, &error_abort);

    g_assert_nonnull(obj);
    return obj;
}

static void test_parse_numbers(void)
{
    QObject *obj;
    QNum *qn;
    int64_t i;
    uint64_t u;

    obj = parse_ok("9223372036854775807");
    qn = qobject_to(QNum, obj);
    g_assert_cmpint(qn->kind, ==, QNUM_I64);
    g_assert_cmpint(qnum_get_int(qn), ==, INT64_MAX);
    qobject_unref(obj);

    obj = parse_ok("-9223372036854775808");
    g_assert_cmpint(qnum_get_int(qobject_to(QNum, obj)), ==, INT64_MIN);
    qobject_unref(obj);

    obj = parse_ok("9223372036854775808");
    qn = qobject_to(QNum, obj);
    g_assert_cmpint(qn->kind, ==, QNUM_U64);
    g_assert_false(qnum_get_try_int(qn, &i));
    g_assert_cmpuint(qnum_get_uint(qn), ==, 9223372036854775808ULL);
    qobject_unref(obj);

    obj = parse_ok("18446744073709551615");
    g_assert_cmpuint(qnum_get_uint(qobject_to(QNum, obj)), ==, UINT64_MAX);
    qobject_unref(obj);

    /* Beyond 64 bits, integers become doubles. */
    obj = parse_ok("18446744073709551616");
    qn = qobject_to(QNum, obj);
    g_assert_cmpint(qn->kind, ==, QNUM_DOUBLE);
    g_assert_false(qnum_get_try_uint(qn, &u));
    g_assert_cmpfloat(qnum_get_double(qn), ==, 18446744073709551616.0);
    qobject_unref(obj);

    obj = parse_ok("-9223372036854775809");
    g_assert_cmpint(qobject_to(QNum, obj)->kind, ==, QNUM_DOUBLE);
    qobject_unref(obj);

    obj = parse_ok("-0");
    g_assert_cmpint(qobject_to(QNum, obj)->kind, ==, QNUM_I64);
    qobject_unref(obj);

    obj = parse_ok("-1.25e-2");
    g_assert_cmpfloat(qnum_get_double(qobject_to(QNum, obj)), ==, -0.0125);
    qobject_unref(obj);

    obj = parse_ok("3.0");
    g_assert_false(qnum_get_try_int(qobject_to(QNum, obj), &i));
    qobject_unref(obj);
}

static void test_parse_strings(void)
{
    static const struct {
        const char *in;
        const char *value;
    } cases[] = {
        { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\'\"", "\"\\/\b\f\n\r\t'" },
        { "'single \"quoted\" \\''", "single \"quoted\" '" },
        { "\"\\u0041\\u00e9\\u20AC\"", "A\303\251\342\202\254" },
        { "\"\\ud83d\\ude00\"", "\360\237\230\200" },
        { "\"\\uDBFF\\uDFFD\"", "\364\217\277\275" },
        { "\"\\u0000\"", "\xc0\x80" },
        { "\"\xc0\x80\"", "\xc0\x80" },
        { "\"raw \303\251 \360\237\230\200 \177\"",
          "raw \303\251 \360\237\230\200 \177" },
        { "\"%d\"", "%d" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        QObject *obj = parse_ok(cases[i].in);

        g_assert_cmpstr(qstring_get_str(qobject_to(QString, obj)), ==,
                        cases[i].value);
        qobject_unref(obj);
    }
}

static void check_parse_error(const char *in, const char *msg)
{
    Error *err = NULL;
    QObject *obj = qobject_from_json(in, &err);

    g_assert_null(obj);
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_parse_errors(void)
{
    static const struct {
        const char *in;
        const char *msg;
    } cases[] = {
        { "\"\\ud800\"",
          "JSON parse error, \\ud800 is not a valid Unicode character" },
        { "\"\\udc00\"",
          "JSON parse error, \\udc00 is not a valid Unicode character" },
        { "\"\\ud800\\u0041\"",
          "JSON parse error, \\ud800 is not a valid Unicode character" },
        { "\"\\ud83f\\udfff\"",
          "JSON parse error, \\ud83f\\udfff is not a valid Unicode character"
        },
        { "\"\\uFFFE\"",
          "JSON parse error, \\uFFFE is not a valid Unicode character" },
        { "\"\\u12\"",
          "JSON parse error, \\u12\" is not a valid Unicode character" },
        { "\"\\x\"", "JSON parse error, invalid escape sequence in string" },
        { "\"\303\"", "JSON parse error, invalid UTF-8 sequence in string" },
        { "\"\301\277\"",
          "JSON parse error, invalid UTF-8 sequence in string" },
        { "\"\340\200\257\"",
          "JSON parse error, invalid UTF-8 sequence in string" },
        { "\"\355\240\200\"",
          "JSON parse error, invalid UTF-8 sequence in string" },
        { "\"\364\220\200\200\"",
          "JSON parse error, invalid UTF-8 sequence in string" },
        { "\"\200\"", "JSON parse error, invalid UTF-8 sequence in string" },
        { "\"\377\"", "JSON parse error, stray '\"\377'" },
        { "\"a\nb\"", "JSON parse error, stray '\"a\n'" },
        { "{\"a\":1,\"a\":2}", "JSON parse error, duplicate key" },
        { "{1:2}", "JSON parse error, key is not a string in object" },
        { "{\"a\" 1}", "JSON parse error, missing : in object pair" },
        { "{\"a\":1 \"b\":2}", "JSON parse error, expected separator in dict" },
        { "[1 2]", "JSON parse error, expected separator in list" },
        { "[1,]", "JSON parse error, expecting value" },
        { "{\"a\":", "JSON parse error, premature EOI" },
        { "tru", "JSON parse error, invalid keyword 'tru'" },
        { "01", "JSON parse error, stray '01'" },
        { "%d", "JSON parse error, stray '%'" },
        { "1 2", "Expecting at most one JSON value" },
        { "{} x", "Expecting at most one JSON value" },
        { "] 1", "JSON parse error, expecting value" },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        check_parse_error(cases[i].in, cases[i].msg);
    }
}

static void test_from_json_empty(void)
{
    g_assert_null(qobject_from_json("", &error_abort));
    g_assert_null(qobject_from_json(" \n\t ", &error_abort));
}

/* parse -> format -> parse gives an equal value and the same text. */
static void test_round_trip(void)
{
    static const char *const cases[] = {
        ("{\"execute\": \"blockdev-add\", \"arguments\": {\"driver\": "
         "\"qcow2\", \"node-name\": \"n\\u00E9\", \"file\": {\"driver\": "
         "\"file\", \"filename\": \"/tmp/a b\"}}}"),
        ("[1, -2, 18446744073709551615, 0.5, 1e+100, true, false, null, "
         "\"\", [], {}, [[[]]]]"),
        "\"\\u0000\\u0001\\\"\\\\\\b\\f\\n\\r\\t\\u007F\\uD83D\\uDE00\"",
        "-0.10000000000000001",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        QObject *first = parse_ok(cases[i]);
        char *text = to_json_str(first, false);
        char *pretty = to_json_str(first, true);
        QObject *again = parse_ok(text);
        QObject *from_pretty = parse_ok(pretty);
        char *text2 = to_json_str(again, false);

        g_assert_true(qobject_is_equal(first, again));
        g_assert_true(qobject_is_equal(first, from_pretty));
        g_assert_cmpstr(text, ==, text2);
        g_free(text);
        g_free(text2);
        g_free(pretty);
        qobject_unref(first);
        qobject_unref(again);
        qobject_unref(from_pretty);
    }
}

static void test_jsonf(void)
{
    QString *given = qstring_from_str("mine");
    QDict *d;
    QObject *obj;
    char *text;

    d = qdict_from_jsonf_nofail("{ 'i': %d, 'l': %ld, 'll': %lld, "
                                "'i64': %" PRId64 ", 'u': %u, "
                                "'u64': %" PRIu64 ", 'b': %i, 's': %s, "
                                "'f': %f, 'p': %p, 'pct': '100%%' }",
                                -1, -2L, -3LL, INT64_MIN, 4U, UINT64_MAX,
                                true, "str", 0.5, QOBJECT(given));
    g_assert_cmpint(qdict_get_int(d, "i"), ==, -1);
    g_assert_cmpint(qdict_get_int(d, "l"), ==, -2);
    g_assert_cmpint(qdict_get_int(d, "ll"), ==, -3);
    g_assert_cmpint(qdict_get_int(d, "i64"), ==, INT64_MIN);
    g_assert_cmpint(qdict_get_int(d, "u"), ==, 4);
    g_assert_cmpuint(qnum_get_uint(qobject_to(QNum, qdict_get(d, "u64"))),
                     ==, UINT64_MAX);
    g_assert_true(qdict_get_bool(d, "b"));
    g_assert_cmpstr(qdict_get_str(d, "s"), ==, "str");
    g_assert_cmpfloat(qdict_get_double(d, "f"), ==, 0.5);
    /* %p handed our reference over: the dict holds the only one. */
    g_assert_true(qdict_get(d, "p") == QOBJECT(given));
    g_assert_cmpuint(given->base.refcnt, ==, 1);
    g_assert_cmpstr(qdict_get_str(d, "pct"), ==, "100%");
    qobject_unref(d);

    obj = qobject_from_jsonf_nofail("[%s, %i]", "a\"b", false);
    text = to_json_str(obj, false);
    g_assert_cmpstr(text, ==, "[\"a\\\"b\", false]");
    g_free(text);
    qobject_unref(obj);
}

/* Emitted errors and values are owned by the callback: nothing leaks. */
static void test_errors_do_not_leak(void)
{
    static const char in[] = "{\"a\": [1, {\"b\": \"\\ud800\"}]}"
                             "{\"a\": [1, 2 3]} {\"k\": \"v\", \"k\": 1}"
                             "[\"x\", \"\303\"] {\"a\": \"b\"";

    char *got = parse_log(in, sizeof(in) - 1, 3, 0);

    g_assert_cmpstr(got, ==,
                    "err JSON parse error, \\ud800 is not a valid Unicode "
                    "character\n"
                    "err JSON parse error, expected separator in list\n"
                    "err JSON parse error, duplicate key\n"
                    "err JSON parse error, invalid UTF-8 sequence in string\n"
                    "err JSON parse error, premature EOI\n");
    g_free(got);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qjson/stream/cases", test_stream_cases);
    g_test_add_func("/qjson/stream/concatenated", test_stream_concatenated);
    g_test_add_func("/qjson/stream/messages", test_stream_messages);
    g_test_add_func("/qjson/stream/flush", test_stream_flush);
    g_test_add_func("/qjson/stream/reuse", test_stream_reuse);
    g_test_add_func("/qjson/stream/nul", test_stream_nul);
    g_test_add_func("/qjson/stream/random", test_stream_random);
    g_test_add_func("/qjson/stream/recovery-controls",
                    test_stream_recovery_controls);
    g_test_add_func("/qjson/limits/nesting", test_nesting_limit);
    g_test_add_func("/qjson/limits/token-count", test_token_count_limit);
    g_test_add_func("/qjson/limits/size", test_size_limit);
    g_test_add_func("/qjson/huge-string", test_huge_string);
    g_test_add_func("/qjson/stream/releases-memory",
                    test_stream_releases_memory);
    g_test_add_func("/qjson/format/strings", test_format_strings);
    g_test_add_func("/qjson/format/numbers", test_format_numbers);
    g_test_add_func("/qjson/format/structure", test_format_structure);
    g_test_add_func("/qjson/format/member-order", test_format_member_order);
    g_test_add_func("/qjson/parse/numbers", test_parse_numbers);
    g_test_add_func("/qjson/parse/strings", test_parse_strings);
    g_test_add_func("/qjson/parse/errors", test_parse_errors);
    g_test_add_func("/qjson/parse/empty", test_from_json_empty);
    g_test_add_func("/qjson/round-trip", test_round_trip);
    g_test_add_func("/qjson/jsonf", test_jsonf);
    g_test_add_func("/qjson/errors-do-not-leak", test_errors_do_not_leak);
    return g_test_run();
}
