/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: build QObjects from a compact JSON-like literal so tests
 * read like the QMP they model.  Strings use single quotes (no escapes),
 * numbers with '.' or 'e' are doubles.  Bad literals abort: they are bugs
 * in the test, not inputs under test.
 */
#ifndef TESTS_UNIT_QOBJECT_LITERAL_H
#define TESTS_UNIT_QOBJECT_LITERAL_H

#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

static QObject *qlit_value(const char **p);

static void qlit_skip(const char **p)
{
    while (**p == ' ' || **p == '\n') {
        (*p)++;
    }
}

static char *qlit_string(const char **p)
{
    const char *start, *end;

    g_assert_cmpint(**p, ==, '\'');
    start = *p + 1;
    end = strchr(start, '\'');
    g_assert_nonnull(end);
    *p = end + 1;
    return g_strndup(start, end - start);
}

static QObject *qlit_dict(const char **p)
{
    QDict *dict = qdict_new();

    (*p)++;
    qlit_skip(p);
    while (**p != '}') {
        g_autofree char *key = qlit_string(p);

        qlit_skip(p);
        g_assert_cmpint(**p, ==, ':');
        (*p)++;
        qdict_put_obj(dict, key, qlit_value(p));
        qlit_skip(p);
        if (**p == ',') {
            (*p)++;
            qlit_skip(p);
        }
    }
    (*p)++;
    return QOBJECT(dict);
}

static QObject *qlit_list(const char **p)
{
    QList *list = qlist_new();

    (*p)++;
    qlit_skip(p);
    while (**p != ']') {
        qlist_append_obj(list, qlit_value(p));
        qlit_skip(p);
        if (**p == ',') {
            (*p)++;
            qlit_skip(p);
        }
    }
    (*p)++;
    return QOBJECT(list);
}

static QObject *qlit_number(const char **p)
{
    const char *start = *p;
    char *end;
    size_t len = strspn(start, "-+0123456789.eE");
    g_autofree char *text = g_strndup(start, len);

    *p += len;
    if (strpbrk(text, ".eE")) {
        return QOBJECT(qnum_from_double(g_ascii_strtod(text, &end)));
    }
    if (text[0] != '-' && g_ascii_strtoull(text, NULL, 10) > INT64_MAX) {
        return QOBJECT(qnum_from_uint(g_ascii_strtoull(text, &end, 10)));
    }
    return QOBJECT(qnum_from_int(g_ascii_strtoll(text, &end, 10)));
}

static QObject *qlit_value(const char **p)
{
    qlit_skip(p);
    switch (**p) {
    case '{':
        return qlit_dict(p);
    case '[':
        return qlit_list(p);
    case '\'': {
        g_autofree char *str = qlit_string(p);

        return QOBJECT(qstring_from_str(str));
    }
    default:
        break;
    }
    if (g_str_has_prefix(*p, "true")) {
        *p += 4;
        return QOBJECT(qbool_from_bool(true));
    }
    if (g_str_has_prefix(*p, "false")) {
        *p += 5;
        return QOBJECT(qbool_from_bool(false));
    }
    if (g_str_has_prefix(*p, "null")) {
        *p += 4;
        return QOBJECT(qnull());
    }
    return qlit_number(p);
}

/* Parse @text into a new QObject (one reference, owned by the caller). */
static QObject *qlit(const char *text)
{
    const char *p = text;
    QObject *obj = qlit_value(&p);

    qlit_skip(&p);
    g_assert_cmpint(*p, ==, '\0');
    return obj;
}

/* Assert that @obj equals the literal @text; consumes @obj. */
static void qlit_assert_equal(QObject *obj, const char *text)
{
    QObject *want = qlit(text);

    g_assert_true(qobject_is_equal(obj, want));
    qobject_unref(want);
    qobject_unref(obj);
}

#endif
