/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flattening, splitting and crumpling QDicts of block-layer options,
 * between the nested form of QMP and the dotted-key form of the command
 * line.  Each pass costs O(n) per level of nesting, n the number of keys.
 */
#include "qemu/osdep.h"
#include "block/qdict.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

static void qdict_flatten_into(QObject *obj, QDict *target,
                               const char *prefix);

static void qdict_flatten_entry(QObject *value, QDict *target,
                                const char *key)
{
    QDict *dict = qobject_to(QDict, value);
    QList *list = qobject_to(QList, value);

    if ((dict && qdict_size(dict)) || (list && !qlist_empty(list))) {
        qdict_flatten_into(value, target, key);
    } else {
        qdict_put_obj(target, key, qobject_ref(value));
    }
}

/* Put the members of the dict or list @obj into @target under @prefix. */
static void qdict_flatten_into(QObject *obj, QDict *target,
                               const char *prefix)
{
    QDict *dict = qobject_to(QDict, obj);
    QList *list = qobject_to(QList, obj);

    if (dict) {
        const QDictEntry *e;

        for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
            g_autofree char *key = g_strdup_printf("%s.%s", prefix, e->key);

            qdict_flatten_entry(e->value, target, key);
        }
    } else {
        const QListEntry *e;
        unsigned int i = 0;

        QLIST_FOREACH_ENTRY(list, e) {
            g_autofree char *key = g_strdup_printf("%s.%u", prefix, i++);

            qdict_flatten_entry(qlist_entry_obj(e), target, key);
        }
    }
}

void qdict_flatten(QDict *qdict)
{
    g_autoptr(GPtrArray) nested = g_ptr_array_new_with_free_func(g_free);
    const QDictEntry *e;
    unsigned int i;

    for (e = qdict_first(qdict); e; e = qdict_next(qdict, e)) {
        QDict *dict = qobject_to(QDict, e->value);
        QList *list = qobject_to(QList, e->value);

        if ((dict && qdict_size(dict)) || (list && !qlist_empty(list))) {
            g_ptr_array_add(nested, g_strdup(e->key));
        }
    }
    for (i = 0; i < nested->len; i++) {
        const char *key = g_ptr_array_index(nested, i);
        QObject *value = qobject_ref(qdict_get(qdict, key));

        qdict_del(qdict, key);
        qdict_flatten_into(value, qdict, key);
        qobject_unref(value);
    }
}

/* Keys of @src starting with @prefix, collected before @src changes. */
static GPtrArray *qdict_prefixed_keys(const QDict *src, const char *prefix)
{
    GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
    const QDictEntry *e;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        if (g_str_has_prefix(e->key, prefix)) {
            g_ptr_array_add(keys, g_strdup(e->key));
        }
    }
    return keys;
}

void qdict_extract_subqdict(QDict *src, QDict **dst, const char *start)
{
    g_autoptr(GPtrArray) keys = qdict_prefixed_keys(src, start);
    size_t skip = strlen(start);
    unsigned int i;

    if (dst) {
        *dst = qdict_new();
    }
    for (i = 0; i < keys->len; i++) {
        const char *key = g_ptr_array_index(keys, i);

        if (dst) {
            qdict_put_obj(*dst, key + skip, qobject_ref(qdict_get(src, key)));
        }
        qdict_del(src, key);
    }
}

static bool qdict_has_prefixed_entries(const QDict *src, const char *prefix)
{
    const QDictEntry *e;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        if (g_str_has_prefix(e->key, prefix)) {
            return true;
        }
    }
    return false;
}

void qdict_array_split(QDict *src, QList **dst)
{
    unsigned int i;

    *dst = qlist_new();
    for (i = 0; i < UINT_MAX; i++) {
        char index[16], prefix[16];
        QObject *whole;
        bool split;
        QDict *sub;

        snprintf(index, sizeof(index), "%u", i);
        snprintf(prefix, sizeof(prefix), "%u.", i);
        whole = qdict_get(src, index);
        split = qdict_has_prefixed_entries(src, prefix);
        /* Exactly one of "N" and "N.*" must be present. */
        if (!whole == !split) {
            break;
        }
        if (whole) {
            qlist_append_obj(*dst, qobject_ref(whole));
            qdict_del(src, index);
        } else {
            qdict_extract_subqdict(src, &sub, prefix);
            qlist_append(*dst, sub);
        }
    }
}

/* Parse the list index at the start of @key; -1 if there is none. */
static long qdict_parse_index(const char *key, const char **rest)
{
    char *end;
    long n;

    if (!g_ascii_isdigit(key[0]) ||
        (key[0] == '0' && g_ascii_isdigit(key[1]))) {
        return -1;
    }
    errno = 0;
    n = strtol(key, &end, 10);
    if (errno || n > INT_MAX) {
        return -1;
    }
    *rest = end;
    return n;
}

int qdict_array_entries(QDict *src, const char *subqdict)
{
    size_t skip = strlen(subqdict);
    g_autofree bool *seen_whole = NULL;
    g_autofree bool *seen_split = NULL;
    const QDictEntry *e;
    long max = -1, n;
    size_t count = 0;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        if (g_str_has_prefix(e->key, subqdict)) {
            count++;
        }
    }
    seen_whole = g_new0(bool, count);
    seen_split = g_new0(bool, count);
    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        const char *rest;

        if (!g_str_has_prefix(e->key, subqdict)) {
            continue;
        }
        n = qdict_parse_index(e->key + skip, &rest);
        if (n < 0 || n >= (long)count || (*rest && *rest != '.')) {
            return -EINVAL;
        }
        if (*rest) {
            seen_split[n] = true;
        } else {
            seen_whole[n] = true;
        }
        max = MAX(max, n);
    }
    for (n = 0; n <= max; n++) {
        if (seen_whole[n] == seen_split[n]) {
            return -EINVAL;     /* missing, or present in both forms */
        }
    }
    return max + 1;
}

void qdict_join(QDict *dest, QDict *src, bool overwrite)
{
    g_autoptr(GPtrArray) keys = qdict_prefixed_keys(src, "");
    unsigned int i;

    for (i = 0; i < keys->len; i++) {
        const char *key = g_ptr_array_index(keys, i);

        if (overwrite || !qdict_haskey(dest, key)) {
            qdict_put_obj(dest, key, qobject_ref(qdict_get(src, key)));
            qdict_del(src, key);
        }
    }
}

/*
 * Split @key at its first single '.' into the unescaped first component
 * (returned) and the rest (*@suffix, NULL if there is no '.').  ".." is
 * an escaped '.'.
 */
static char *qdict_split_flat_key(const char *key, const char **suffix)
{
    GString *prefix = g_string_new("");
    const char *p = key;

    *suffix = NULL;
    while (*p) {
        if (*p == '.') {
            if (p[1] != '.') {
                *suffix = p + 1;
                break;
            }
            p++;
        }
        g_string_append_c(prefix, *p++);
    }
    return g_string_free(prefix, false);
}

/* 1 if every key is a list index, 0 if none is, -1 (error) if mixed. */
static int qdict_is_list(const QDict *dict, Error **errp)
{
    const QDictEntry *e;
    int is_list = -1;

    for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        const char *rest;
        int this_is_index = qdict_parse_index(e->key, &rest) >= 0 && !*rest;

        if (is_list == -1) {
            is_list = this_is_index;
        } else if (is_list != this_is_index) {
            error_setg(errp, "Cannot mix list and non-list keys");
            return -1;
        }
    }
    return is_list == 1;
}

static QObject *qdict_to_list(QDict *dict, Error **errp)
{
    QList *list = qlist_new();
    size_t i, n = qdict_size(dict);

    for (i = 0; i < n; i++) {
        char key[32];
        QObject *value;

        snprintf(key, sizeof(key), "%zu", i);
        value = qdict_get(dict, key);
        if (!value) {
            error_setg(errp, "Missing list index %zu", i);
            qobject_unref(list);
            return NULL;
        }
        qlist_append_obj(list, qobject_ref(value));
    }
    return QOBJECT(list);
}

/* Group the flat members of @src by their first key component. */
static QDict *qdict_crumple_one_level(const QDict *src, Error **errp)
{
    QDict *two_level = qdict_new();
    const QDictEntry *e;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        const char *suffix;
        g_autofree char *prefix = qdict_split_flat_key(e->key, &suffix);
        QObject *child = qdict_get(two_level, prefix);
        QDict *child_dict = qobject_to(QDict, child);

        if (qobject_type(e->value) == QTYPE_QDICT ||
            qobject_type(e->value) == QTYPE_QLIST) {
            error_setg(errp, "Value %s is not flat", e->key);
            goto fail;
        }
        if (suffix) {
            if (child && !child_dict) {
                error_setg(errp, "Key %s prefix is already set as a scalar",
                           prefix);
                goto fail;
            }
            if (!child_dict) {
                child_dict = qdict_new();
                qdict_put(two_level, prefix, child_dict);
            }
            qdict_put_obj(child_dict, suffix, qobject_ref(e->value));
        } else {
            if (child) {
                error_setg(errp, "Key %s prefix is already set as a dict",
                           prefix);
                goto fail;
            }
            qdict_put_obj(two_level, prefix, qobject_ref(e->value));
        }
    }
    return two_level;

fail:
    qobject_unref(two_level);
    return NULL;
}

QObject *qdict_crumple(const QDict *src, Error **errp)
{
    QDict *two_level = qdict_crumple_one_level(src, errp);
    QDict *multi_level = NULL;
    const QDictEntry *e;
    QObject *result = NULL;
    int is_list;

    if (!two_level) {
        return NULL;
    }
    multi_level = qdict_new();
    for (e = qdict_first(two_level); e; e = qdict_next(two_level, e)) {
        QDict *child = qobject_to(QDict, e->value);

        if (child) {
            QObject *nested = qdict_crumple(child, errp);

            if (!nested) {
                goto out;
            }
            qdict_put_obj(multi_level, e->key, nested);
        } else {
            qdict_put_obj(multi_level, e->key, qobject_ref(e->value));
        }
    }
    is_list = qdict_is_list(multi_level, errp);
    if (is_list < 0) {
        goto out;
    }
    result = is_list ? qdict_to_list(multi_level, errp)
                     : QOBJECT(qobject_ref(multi_level));
out:
    qobject_unref(two_level);
    qobject_unref(multi_level);
    return result;
}

bool qdict_rename_keys(QDict *qdict, const QDictRenames *renames,
                       Error **errp)
{
    for (; renames->from; renames++) {
        QObject *value = qdict_get(qdict, renames->from);

        if (!value) {
            continue;
        }
        if (qdict_haskey(qdict, renames->to)) {
            error_setg(errp, "'%s' and its alias '%s' can't be used at the "
                       "same time", renames->to, renames->from);
            return false;
        }
        qdict_put_obj(qdict, renames->to, qobject_ref(value));
        qdict_del(qdict, renames->from);
    }
    return true;
}
