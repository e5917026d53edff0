/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON parser: builds a QObject from the tokens of one message.
 *
 * A recursive-descent parser over the token queue; the splitter has
 * already bounded the nesting depth, so the recursion is bounded too.
 * Strings are decoded here: escapes, surrogate pairs and UTF-8
 * validation, with QEMU's error messages.  Only the first error is kept.
 */
#include "qemu/osdep.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"
#include "json-parser-int.h"

typedef struct JSONParserContext {
    Error *err;
    GArray *tokens;             /* JSONTokenRef */
    GString *text;
    guint next;                 /* index of the next token */
    JSONToken current;          /* the token last taken */
    va_list *ap;
} JSONParserContext;

static QObject *parse_value(JSONParserContext *ctxt);

static void G_GNUC_PRINTF(2, 3)
parse_error(JSONParserContext *ctxt, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (ctxt->err) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&ctxt->err, "JSON parse error, %s", msg);
    g_free(msg);
}

static const JSONTokenRef *parser_peek_ref(JSONParserContext *ctxt)
{
    if (ctxt->next >= ctxt->tokens->len) {
        return NULL;
    }
    return &g_array_index(ctxt->tokens, JSONTokenRef, ctxt->next);
}

/* Take the next token (NULL at the end); valid until the next call. */
static JSONToken *parser_pop(JSONParserContext *ctxt)
{
    const JSONTokenRef *ref = parser_peek_ref(ctxt);

    if (!ref) {
        return NULL;
    }
    ctxt->next++;
    ctxt->current.type = ref->type;
    ctxt->current.len = ref->len;
    ctxt->current.str = ctxt->text->str + ref->offset;
    return &ctxt->current;
}

/* The type of the next token, or JSON_END_OF_INPUT at the end. */
static JSONTokenType parser_peek_type(JSONParserContext *ctxt)
{
    const JSONTokenRef *ref = parser_peek_ref(ctxt);

    return ref ? ref->type : JSON_END_OF_INPUT;
}

/* Parse four hex digits at @p; return -1 if they are not. */
static int parse_hex4(const char *p)
{
    int cp = 0;
    int i;

    for (i = 0; i < 4; i++) {
        int digit = g_ascii_xdigit_value(p[i]);

        if (digit < 0) {
            return -1;
        }
        cp = (cp << 4) | digit;
    }
    return cp;
}

/*
 * Decode the \u escape at @p (pointing at the backslash), combining a
 * surrogate pair, into @out.  Return the number of bytes used, or 0 after
 * reporting an error.
 */
static size_t parse_unicode_escape(JSONParserContext *ctxt, const char *p,
                                   GString *out)
{
    int cp = parse_hex4(p + 2);
    size_t len = 6;

    if (cp >= 0xD800 && cp <= 0xDBFF && p[6] == '\\' && p[7] == 'u') {
        int low = parse_hex4(p + 8);

        if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            len = 12;
        }
    }
    if (cp != 0 && !json_is_valid_codepoint(cp)) {
        parse_error(ctxt, "%.*s is not a valid Unicode character",
                    (int)strnlen(p, len), p);
        return 0;
    }
    json_utf8_encode(out, cp);
    return len;
}

/* Decode the escape at @p into @out; return the bytes used or 0. */
static size_t parse_escape(JSONParserContext *ctxt, const char *p,
                           GString *out)
{
    static const char plain[] = "\"\\/'";
    static const char from[] = "bfnrt";
    static const char to[] = "\b\f\n\r\t";
    const char *hit;

    if (p[1] == 'u') {
        return parse_unicode_escape(ctxt, p, out);
    }
    if (p[1] && strchr(plain, p[1])) {
        g_string_append_c(out, p[1]);
        return 2;
    }
    hit = p[1] ? strchr(from, p[1]) : NULL;
    if (hit) {
        g_string_append_c(out, to[hit - from]);
        return 2;
    }
    parse_error(ctxt, "invalid escape sequence in string");
    return 0;
}

static QString *parse_string(JSONParserContext *ctxt, JSONToken *token)
{
    const char *p = token->str + 1;
    const char *end = token->str + token->len - 1;  /* closing quote */
    GString *out = g_string_sized_new(token->len);

    while (p < end) {
        const char *next;
        size_t used;

        if (*p == '\\') {
            used = parse_escape(ctxt, p, out);
        } else if (*p == '%' && ctxt->ap) {
            /* In a format string, "%%" is a literal percent sign. */
            if (p[1] != '%') {
                parse_error(ctxt, "can't interpolate into string");
                used = 0;
            } else {
                g_string_append_c(out, '%');
                used = 2;
            }
        } else if ((unsigned char)*p < 0x80 && *p != '%') {
            /* A run of plain ASCII: the common case, copied at once. */
            for (next = p + 1; next < end && (unsigned char)*next < 0x80 &&
                 *next != '\\' && *next != '%'; next++) {
                /* nothing */
            }
            g_string_append_len(out, p, next - p);
            used = next - p;
        } else if (json_utf8_decode(p, &next) < 0) {
            parse_error(ctxt, "invalid UTF-8 sequence in string");
            used = 0;
        } else {
            g_string_append_len(out, p, next - p);
            used = next - p;
        }
        if (!used) {
            g_string_free(out, true);
            return NULL;
        }
        p += used;
    }
    return qstring_from_gstring(out);
}

/*
 * An integer is an int64 if it fits, else a uint64 if it fits, else a
 * double; so every JSON integer reads back exactly where C can hold it.
 */
static QObject *parse_integer(JSONToken *token)
{
    char *end;
    int64_t i64;
    uint64_t u64;

    errno = 0;
    i64 = g_ascii_strtoll(token->str, &end, 10);
    if (!errno && !*end) {
        return QOBJECT(qnum_from_int(i64));
    }
    if (token->str[0] != '-') {
        errno = 0;
        u64 = g_ascii_strtoull(token->str, &end, 10);
        if (!errno && !*end) {
            return QOBJECT(qnum_from_uint(u64));
        }
    }
    return QOBJECT(qnum_from_double(g_ascii_strtod(token->str, NULL)));
}

static QObject *parse_keyword(JSONParserContext *ctxt, JSONToken *token)
{
    if (!strcmp(token->str, "true")) {
        return QOBJECT(qbool_from_bool(true));
    }
    if (!strcmp(token->str, "false")) {
        return QOBJECT(qbool_from_bool(false));
    }
    if (!strcmp(token->str, "null")) {
        return QOBJECT(qnull());
    }
    parse_error(ctxt, "invalid keyword '%s'", token->str);
    return NULL;
}

/*
 * QEMU's interpolation: %i is a bool, %d/%ld/%lld signed integers,
 * %u/%lu/%llu unsigned ones, %s a string, %f a double and %p a QObject
 * whose reference the caller hands over.
 */
static QObject *parse_interpolation(JSONParserContext *ctxt,
                                    JSONToken *token)
{
    const char *spec = token->str;

    if (!strcmp(spec, "%p")) {
        QObject *obj = va_arg(*ctxt->ap, QObject *);

        assert(obj);
        return obj;
    } else if (!strcmp(spec, "%i")) {
        return QOBJECT(qbool_from_bool(va_arg(*ctxt->ap, int)));
    } else if (!strcmp(spec, "%d")) {
        return QOBJECT(qnum_from_int(va_arg(*ctxt->ap, int)));
    } else if (!strcmp(spec, "%ld")) {
        return QOBJECT(qnum_from_int(va_arg(*ctxt->ap, long)));
    } else if (!strcmp(spec, "%lld")) {
        return QOBJECT(qnum_from_int(va_arg(*ctxt->ap, long long)));
    } else if (!strcmp(spec, "%u")) {
        return QOBJECT(qnum_from_uint(va_arg(*ctxt->ap, unsigned int)));
    } else if (!strcmp(spec, "%lu")) {
        return QOBJECT(qnum_from_uint(va_arg(*ctxt->ap, unsigned long)));
    } else if (!strcmp(spec, "%llu")) {
        return QOBJECT(qnum_from_uint(va_arg(*ctxt->ap,
                                             unsigned long long)));
    } else if (!strcmp(spec, "%s")) {
        return QOBJECT(qstring_from_str(va_arg(*ctxt->ap, const char *)));
    } else if (!strcmp(spec, "%f")) {
        return QOBJECT(qnum_from_double(va_arg(*ctxt->ap, double)));
    }
    parse_error(ctxt, "invalid interpolation '%s'", spec);
    return NULL;
}

/* Parse "key": value into @dict; return false after an error. */
static bool parse_pair(JSONParserContext *ctxt, QDict *dict)
{
    QObject *key_obj = parse_value(ctxt);
    QString *key = qobject_to(QString, key_obj);
    JSONToken *token;
    QObject *value;
    bool ok = false;

    if (!key_obj) {
        return false;
    }
    if (!key) {
        parse_error(ctxt, "key is not a string in object");
        goto out;
    }
    token = parser_pop(ctxt);
    if (!token) {
        parse_error(ctxt, "premature EOI");
        goto out;
    }
    if (token->type != JSON_COLON) {
        parse_error(ctxt, "missing : in object pair");
        goto out;
    }
    value = parse_value(ctxt);
    if (!value) {
        goto out;
    }
    if (qdict_haskey(dict, qstring_get_str(key))) {
        parse_error(ctxt, "duplicate key");
        qobject_unref(value);
        goto out;
    }
    qdict_put_obj(dict, qstring_get_str(key), value);
    ok = true;
out:
    qobject_unref(key_obj);
    return ok;
}

static QObject *parse_object(JSONParserContext *ctxt)
{
    QDict *dict = qdict_new();
    JSONToken *token;

    if (parser_peek_type(ctxt) == JSON_RCURLY) {
        parser_pop(ctxt);
        return QOBJECT(dict);
    }
    for (;;) {
        if (!parse_pair(ctxt, dict)) {
            break;
        }
        token = parser_pop(ctxt);
        if (!token) {
            parse_error(ctxt, "premature EOI");
            break;
        }
        if (token->type == JSON_RCURLY) {
            return QOBJECT(dict);
        }
        if (token->type != JSON_COMMA) {
            parse_error(ctxt, "expected separator in dict");
            break;
        }
    }
    qobject_unref(dict);
    return NULL;
}

static QObject *parse_array(JSONParserContext *ctxt)
{
    QList *list = qlist_new();
    JSONToken *token;

    if (parser_peek_type(ctxt) == JSON_RSQUARE) {
        parser_pop(ctxt);
        return QOBJECT(list);
    }
    for (;;) {
        QObject *elem = parse_value(ctxt);

        if (!elem) {
            break;
        }
        qlist_append_obj(list, elem);
        token = parser_pop(ctxt);
        if (!token) {
            parse_error(ctxt, "premature EOI");
            break;
        }
        if (token->type == JSON_RSQUARE) {
            return QOBJECT(list);
        }
        if (token->type != JSON_COMMA) {
            parse_error(ctxt, "expected separator in list");
            break;
        }
    }
    qobject_unref(list);
    return NULL;
}

static QObject *parse_value(JSONParserContext *ctxt)
{
    JSONToken *token = parser_pop(ctxt);

    if (!token) {
        parse_error(ctxt, "premature EOI");
        return NULL;
    }
    switch (token->type) {
    case JSON_LCURLY:
        return parse_object(ctxt);
    case JSON_LSQUARE:
        return parse_array(ctxt);
    case JSON_STRING:
        return QOBJECT(parse_string(ctxt, token));
    case JSON_INTEGER:
        return parse_integer(token);
    case JSON_FLOAT:
        return QOBJECT(qnum_from_double(g_ascii_strtod(token->str, NULL)));
    case JSON_KEYWORD:
        return parse_keyword(ctxt, token);
    case JSON_INTERP:
        return parse_interpolation(ctxt, token);
    default:
        parse_error(ctxt, "expecting value");
        return NULL;
    }
}

QObject *json_parser_parse(GArray *tokens, GString *text, va_list *ap,
                           Error **errp)
{
    JSONParserContext ctxt = {
        .tokens = tokens,
        .text = text,
        .ap = ap,
    };
    QObject *result = parse_value(&ctxt);

    assert(!result != !ctxt.err);
    error_propagate(errp, ctxt.err);
    return result;
}
