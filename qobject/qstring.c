/* SPDX-License-Identifier: GPL-2.0-or-later */
/* QString: immutable strings as QObjects. */
#include "qemu/osdep.h"
#include "qobject/qstring.h"

static QString *qstring_wrap(char *text)
{
    QString *qs = g_new(QString, 1);

    qobject_init(QOBJECT(qs), QTYPE_QSTRING);
    qs->string = text;
    return qs;
}

QString *qstring_new(void)
{
    return qstring_wrap(g_strdup(""));
}

QString *qstring_from_str(const char *str)
{
    return qstring_wrap(g_strdup(str));
}

QString *qstring_from_substr(const char *str, size_t start, size_t end)
{
    assert(start <= end);
    return qstring_wrap(g_strndup(str + start, end - start));
}

QString *qstring_from_gstring(GString *gstr)
{
    return qstring_wrap(g_string_free(gstr, false));
}

const char *qstring_get_str(const QString *qstring)
{
    return qstring->string;
}

const char *qstring_get_try_str(const QString *qstring)
{
    return qstring ? qstring->string : NULL;
}

const char *qobject_get_try_str(const QObject *obj)
{
    return qstring_get_try_str(qobject_to(QString, obj));
}

size_t qstring_get_length(const QString *qstring)
{
    return strlen(qstring->string);
}

bool qstring_is_equal(const QObject *x, const QObject *y)
{
    return !strcmp(qobject_to(QString, x)->string,
                   qobject_to(QString, y)->string);
}

void qstring_destroy_obj(QObject *obj)
{
    QString *qs = qobject_to(QString, obj);

    g_free((char *)qs->string);
    g_free(qs);
}
