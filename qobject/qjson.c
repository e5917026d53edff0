/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whole-string JSON conversions: parsing through the streaming parser,
 * and the formatter whose output matches QEMU's QMP replies byte for
 * byte (member order comes from QDict's iteration order).
 */
#include "qemu/osdep.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"
#include "json-parser-int.h"

typedef struct JSONParsingState {
    JSONMessageParser parser;
    QObject *result;
    Error *err;
} JSONParsingState;

/* Keep the first value; a second one, or the first error, wins over it. */
static void consume_json(void *opaque, QObject *json, Error *err)
{
    JSONParsingState *s = opaque;

    if (s->err) {
        qobject_unref(json);
        error_free(err);
        return;
    }
    if (s->result) {
        qobject_unref(s->result);
        s->result = NULL;
        qobject_unref(json);
        error_free(err);
        error_setg(&s->err, "Expecting at most one JSON value");
        return;
    }
    s->result = json;
    s->err = err;
}

static QObject *qobject_from_jsonv(const char *string, va_list *ap,
                                   Error **errp)
{
    JSONParsingState state = {};

    json_message_parser_init(&state.parser, consume_json, &state, ap);
    json_message_parser_feed(&state.parser, string, strlen(string));
    json_message_parser_flush(&state.parser);
    json_message_parser_destroy(&state.parser);

    if (state.err) {
        error_propagate(errp, state.err);
        return NULL;
    }
    return state.result;
}

QObject *qobject_from_json(const char *string, Error **errp)
{
    return qobject_from_jsonv(string, NULL, errp);
}

QObject *qobject_from_vjsonf_nofail(const char *string, va_list ap)
{
    va_list ap_copy;
    QObject *obj;

    /* va_copy() makes this work whether va_list is an array or not. */
    va_copy(ap_copy, ap);
    obj = qobject_from_jsonv(string, &ap_copy, &error_abort);
    va_end(ap_copy);
    assert(obj);
    return obj;
}

QObject *qobject_from_jsonf_nofail(const char *string, ...)
{
    QObject *obj;
    va_list ap;

    va_start(ap, string);
    obj = qobject_from_vjsonf_nofail(string, ap);
    va_end(ap);
    return obj;
}

QDict *qdict_from_vjsonf_nofail(const char *string, va_list ap)
{
    QDict *qdict = qobject_to(QDict, qobject_from_vjsonf_nofail(string, ap));

    assert(qdict);
    return qdict;
}

QDict *qdict_from_jsonf_nofail(const char *string, ...)
{
    QDict *qdict;
    va_list ap;

    va_start(ap, string);
    qdict = qdict_from_vjsonf_nofail(string, ap);
    va_end(ap);
    return qdict;
}

/* Append @cp as a \u escape, as a surrogate pair beyond U+FFFF. */
static void json_append_u_escape(GString *out, int cp)
{
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        g_string_append_printf(out, "\\u%04X\\u%04X",
                               0xD800 | (cp >> 10), 0xDC00 | (cp & 0x3FF));
    } else {
        g_string_append_printf(out, "\\u%04X", cp);
    }
}

static void json_append_string(GString *out, const char *str)
{
    const char *p = str;

    g_string_append_c(out, '"');
    while (*p) {
        const char *run = p;
        int cp;

        /* Printable ASCII other than '"' and '\\' goes out as it is. */
        while (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\') {
            p++;
        }
        if (p > run) {
            g_string_append_len(out, run, p - run);
            continue;
        }
        cp = json_utf8_decode(p, &p);

        switch (cp) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\b':
            g_string_append(out, "\\b");
            break;
        case '\f':
            g_string_append(out, "\\f");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        default:
            if (cp < 0) {
                cp = 0xFFFD;
            }
            if (cp < 0x20 || cp >= 0x7F) {
                json_append_u_escape(out, cp);
            } else {
                g_string_append_c(out, cp);
            }
            break;
        }
    }
    g_string_append_c(out, '"');
}

static void json_newline(GString *out, bool pretty, int indent)
{
    if (pretty) {
        g_string_append_c(out, '\n');
        g_string_append_printf(out, "%*s", indent * 4, "");
    }
}

static void to_json(GString *out, const QObject *obj, bool pretty,
                    int indent);

static void json_append_dict(GString *out, const QDict *dict, bool pretty,
                             int indent)
{
    const QDictEntry *e;

    g_string_append_c(out, '{');
    for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        if (e != qdict_first(dict)) {
            g_string_append(out, pretty ? "," : ", ");
        }
        json_newline(out, pretty, indent + 1);
        json_append_string(out, qdict_entry_key(e));
        g_string_append(out, ": ");
        to_json(out, qdict_entry_value(e), pretty, indent + 1);
    }
    json_newline(out, pretty, indent);
    g_string_append_c(out, '}');
}

static void json_append_list(GString *out, const QList *list, bool pretty,
                             int indent)
{
    const QListEntry *e;

    g_string_append_c(out, '[');
    QLIST_FOREACH_ENTRY(list, e) {
        if (e != qlist_first(list)) {
            g_string_append(out, pretty ? "," : ", ");
        }
        json_newline(out, pretty, indent + 1);
        to_json(out, qlist_entry_obj(e), pretty, indent + 1);
    }
    json_newline(out, pretty, indent);
    g_string_append_c(out, ']');
}

static void to_json(GString *out, const QObject *obj, bool pretty,
                    int indent)
{
    char *num;

    switch (qobject_type(obj)) {
    case QTYPE_QNULL:
        g_string_append(out, "null");
        break;
    case QTYPE_QNUM:
        num = qnum_to_string(qobject_to(QNum, obj));
        g_string_append(out, num);
        g_free(num);
        break;
    case QTYPE_QSTRING:
        json_append_string(out, qstring_get_str(qobject_to(QString, obj)));
        break;
    case QTYPE_QDICT:
        json_append_dict(out, qobject_to(QDict, obj), pretty, indent);
        break;
    case QTYPE_QLIST:
        json_append_list(out, qobject_to(QList, obj), pretty, indent);
        break;
    case QTYPE_QBOOL:
        g_string_append(out, qbool_get_bool(qobject_to(QBool, obj)) ?
                        "true" : "false");
        break;
    default:
        g_assert_not_reached();
    }
}

GString *qobject_to_json_pretty(const QObject *obj, bool pretty)
{
    GString *out = g_string_new("");

    to_json(out, obj, pretty, 0);
    return out;
}

GString *qobject_to_json(const QObject *obj)
{
    return qobject_to_json_pretty(obj, false);
}
