/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keyval: parse "a.b=1,a.c.0=x,a.c.1=y" into nested QDicts and QLists
 * with QString leaves, the way -blockdev, -object and -nbd-server read
 * their non-JSON arguments.
 *
 * Parsing is two passes: every item is inserted into a tree of QDicts
 * along its dotted path (index fragments are ordinary keys then), and a
 * final pass turns each dict whose keys are all indexes into a QList.
 * Cost is linear in the input apart from the hash lookups.
 */
#include "qemu/osdep.h"
#include "qemu/keyval.h"
#include "qemu/cutils.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"

/* Longest key fragment accepted, as QEMU limits it. */
#define KEYVAL_FRAGMENT_MAX 127

static bool keyval_is_help(const char *s, size_t len)
{
    return (len == 4 && !strncmp(s, "help", 4)) ||
           (len == 1 && s[0] == '?');
}

/* Length of a QAPI name (letter, then letters, digits, '-', '_') at @s. */
static size_t keyval_name_len(const char *s, const char *end)
{
    const char *p = s;

    if (p == end || !g_ascii_isalpha(*p)) {
        return 0;
    }
    while (p < end && (g_ascii_isalnum(*p) || *p == '-' || *p == '_')) {
        p++;
    }
    return p - s;
}

static size_t keyval_index_len(const char *s, const char *end)
{
    const char *p = s;

    while (p < end && g_ascii_isdigit(*p)) {
        p++;
    }
    return p - s;
}

/*
 * Check the key [@key, @key_end): fragments separated by '.', the first
 * a name, later ones names or indexes, none longer than the limit.
 */
static bool keyval_check_key(const char *key, const char *key_end,
                             Error **errp)
{
    const char *s = key;
    size_t len;

    for (;;) {
        len = keyval_name_len(s, key_end);
        if (!len && s != key) {
            len = keyval_index_len(s, key_end);
        }
        if (!len || (s + len < key_end && s[len] != '.')) {
            error_setg(errp, "Invalid parameter '%.*s'",
                       (int)(key_end - key), key);
            return false;
        }
        if (len > KEYVAL_FRAGMENT_MAX) {
            error_setg(errp, "Parameter%s '%.*s' is too long",
                       s == key && s + len == key_end ? "" : " fragment",
                       (int)len, s);
            return false;
        }
        s += len;
        if (s == key_end) {
            return true;
        }
        s++;                    /* the '.' */
    }
}

/*
 * Store @value (taking its reference) at the dotted path [@key,
 * @key_end) below @qdict, creating dicts on the way.  The key has been
 * checked already.
 */
static bool keyval_put(QDict *qdict, const char *key, const char *key_end,
                       QString *value, Error **errp)
{
    QDict *cur = qdict;
    const char *s = key;
    QObject *old;
    QDict *next;

    for (;;) {
        const char *dot = memchr(s, '.', key_end - s);
        const char *frag_end = dot ? dot : key_end;
        g_autofree char *frag = g_strndup(s, frag_end - s);

        old = qdict_get(cur, frag);
        if (!dot) {
            if (old && qobject_type(old) == QTYPE_QDICT) {
                break;
            }
            qdict_put(cur, frag, value);
            return true;
        }
        if (!old) {
            next = qdict_new();
            qdict_put(cur, frag, next);
        } else if (qobject_type(old) == QTYPE_QDICT) {
            next = qobject_to(QDict, old);
        } else {
            key_end = frag_end;
            break;
        }
        cur = next;
        s = dot + 1;
    }
    error_setg(errp, "Parameters '%.*s.*' used inconsistently",
               (int)(key_end - key), key);
    qobject_unref(value);
    return false;
}

/* Read a value up to a single ',' (",," is a comma); return its end. */
static const char *keyval_get_value(const char *s, QString **value)
{
    GString *val = g_string_new(NULL);

    while (*s) {
        if (*s == ',') {
            if (s[1] != ',') {
                break;
            }
            s++;
        }
        g_string_append_c(val, *s++);
    }
    *value = qstring_from_gstring(val);
    return s;
}

/* Parse one item at @params into @qdict; return the next item or NULL. */
static const char *keyval_parse_one(QDict *qdict, const char *params,
                                    const char *implied_key, bool *help,
                                    Error **errp)
{
    size_t len = strcspn(params, "=,");
    const char *key = params, *key_end = params + len;
    const char *s = params;
    QString *value;

    if (params[len] != '=' && keyval_is_help(params, len)) {
        if (!help) {
            error_setg(errp, "Help is not available for this option");
            return NULL;
        }
        *help = true;
        s = params + len;
        return *s ? s + 1 : s;
    }
    if (implied_key && len && params[len] != '=') {
        key = implied_key;
        key_end = implied_key + strlen(implied_key);
    } else {
        s = params + len + 1;
    }
    if (!keyval_check_key(key, key_end, errp)) {
        return NULL;
    }
    if (key == params && params[len] != '=') {
        error_setg(errp, "Expected '=' after parameter '%.*s'",
                   (int)len, params);
        return NULL;
    }
    s = keyval_get_value(s, &value);
    if (!keyval_put(qdict, key, key_end, value, errp)) {
        return NULL;
    }
    return *s ? s + 1 : s;
}

/* The index of an all-digits key, saturating at INT_MAX. */
static int keyval_key_index(const char *key)
{
    unsigned long index;
    int ret = qemu_strtoul(key, NULL, 10, &index);

    if (ret == -ERANGE || index > INT_MAX) {
        return INT_MAX;
    }
    return ret ? -1 : (int)index;
}

/*
 * Turn @cur, whose keys are all indexes, into a QList.  Duplicates such
 * as "0" and "00" name one element; a gap below the highest index is an
 * error naming the first missing element.
 */
static QList *keyval_make_list(QDict *cur, const char *path, Error **errp)
{
    size_t n = qdict_size(cur);
    g_autofree QObject **slot = g_new0(QObject *, n);
    const QDictEntry *e;
    int max = 0;
    size_t i;
    QList *list;

    for (e = qdict_first(cur); e; e = qdict_next(cur, e)) {
        int index = keyval_key_index(qdict_entry_key(e));

        max = MAX(max, index);
        if (index < n) {
            slot[index] = qdict_entry_value(e);
        }
    }
    for (i = 0; i < n && slot[i]; i++) {
        /* find the first gap */
    }
    if (i < n && max > (int)i) {
        error_setg(errp, "Parameter '%s.%zu' missing", path, i);
        return NULL;
    }
    list = qlist_new();
    for (i = 0; i < n && slot[i]; i++) {
        qlist_append_obj(list, qobject_ref(slot[i]));
    }
    return list;
}

/*
 * Convert, depth first, every dict below @cur (at @path, NULL for the
 * root) whose keys are indexes into a list.  Return the replacement for
 * @cur (a new reference) or NULL on error.
 */
static QObject *keyval_listify(QDict *cur, const char *path, Error **errp)
{
    g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
    bool has_index = false, has_member = false;
    const QDictEntry *e;
    guint i;

    for (e = qdict_first(cur); e; e = qdict_next(cur, e)) {
        const char *key = qdict_entry_key(e);

        if (g_ascii_isdigit(key[0])) {
            has_index = true;
        } else {
            has_member = true;
        }
        if (qobject_type(qdict_entry_value(e)) == QTYPE_QDICT) {
            g_ptr_array_add(keys, g_strdup(key));
        }
    }
    /* Replace children after the walk so the iteration stays valid. */
    for (i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];
        g_autofree char *sub = path ? g_strdup_printf("%s.%s", path, key)
                                    : g_strdup(key);
        QObject *child = keyval_listify(qdict_get_qdict(cur, key), sub,
                                        errp);

        if (!child) {
            return NULL;
        }
        qdict_put_obj(cur, key, child);
    }
    if (has_index && has_member) {
        error_setg(errp, "Parameters '%s.*' used inconsistently", path);
        return NULL;
    }
    if (has_index) {
        QList *list = keyval_make_list(cur, path, errp);

        return list ? QOBJECT(list) : NULL;
    }
    return qobject_ref(QOBJECT(cur));
}

QDict *keyval_parse_into(QDict *qdict, const char *params,
                         const char *implied_key, bool *p_help,
                         Error **errp)
{
    const char *s = params;
    QObject *listified;

    while (*s) {
        s = keyval_parse_one(qdict, s, implied_key, p_help, errp);
        if (!s) {
            return NULL;
        }
        implied_key = NULL;
    }
    listified = keyval_listify(qdict, NULL, errp);
    if (!listified) {
        return NULL;
    }
    /* the root's keys are names, so it stays a dict */
    assert(listified == QOBJECT(qdict));
    qobject_unref(listified);
    return qdict;
}

QDict *keyval_parse(const char *params, const char *implied_key,
                    bool *p_help, Error **errp)
{
    QDict *qdict = qdict_new();

    if (p_help) {
        *p_help = false;
    }
    if (!keyval_parse_into(qdict, params, implied_key, p_help, errp)) {
        qobject_unref(qdict);
        return NULL;
    }
    return qdict;
}

static bool keyval_do_merge(QDict *dest, const QDict *merged,
                            GString *prefix, Error **errp)
{
    size_t len = prefix->len;
    const QDictEntry *e;

    for (e = qdict_first(merged); e; e = qdict_next(merged, e)) {
        const char *key = qdict_entry_key(e);
        QObject *old = qdict_get(dest, key);
        QObject *new = qdict_entry_value(e);
        bool ok = true;

        g_string_append(prefix, key);
        if (old && (qobject_type(old) == QTYPE_QDICT ||
                    qobject_type(new) == QTYPE_QDICT ||
                    qobject_type(old) == QTYPE_QLIST ||
                    qobject_type(new) == QTYPE_QLIST) &&
            qobject_type(old) != qobject_type(new)) {
            error_setg(errp, "Parameter '%s' used inconsistently",
                       prefix->str);
            return false;
        }
        if (old && qobject_type(old) == QTYPE_QDICT) {
            g_string_append_c(prefix, '.');
            ok = keyval_do_merge(qobject_to(QDict, old),
                                 qobject_to(QDict, new), prefix, errp);
        } else if (old && qobject_type(old) == QTYPE_QLIST) {
            const QListEntry *le;

            for (le = qlist_first(qobject_to(QList, new)); le;
                 le = qlist_next(le)) {
                qlist_append_obj(qobject_to(QList, old),
                                 qobject_ref(qlist_entry_obj(le)));
            }
        } else {
            qdict_put_obj(dest, key, qobject_ref(new));
        }
        if (!ok) {
            return false;
        }
        g_string_truncate(prefix, len);
    }
    return true;
}

void keyval_merge(QDict *old, const QDict *new, Error **errp)
{
    g_autoptr(GString) prefix = g_string_new(NULL);

    keyval_do_merge(old, new, prefix, errp);
}
