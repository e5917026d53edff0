/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QDict helpers of the block layer: flattening nested options to dotted
 * keys and crumpling them back, extracting a child's options by prefix,
 * and array elements in flat form ("server.0.host").
 *
 * These functions walk a dict and change it; since deleting or adding
 * entries during a qdict_first()/qdict_next() walk is not safe, each
 * walk first collects the keys to touch and changes the dict afterwards.
 */
#include "qemu/osdep.h"
#include "block/qdict.h"
#include "qemu/cutils.h"
#include "qobject/qbool.h"
#include "qobject/qstring.h"

/* Return the keys of @qdict starting with @prefix (all if NULL). */
static GPtrArray *qdict_keys_with_prefix(const QDict *qdict,
                                         const char *prefix)
{
    GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
    const QDictEntry *e;

    for (e = qdict_first(qdict); e; e = qdict_next(qdict, e)) {
        if (!prefix || g_str_has_prefix(qdict_entry_key(e), prefix)) {
            g_ptr_array_add(keys, g_strdup(qdict_entry_key(e)));
        }
    }
    return keys;
}

void qdict_join(QDict *dest, QDict *src, bool overwrite)
{
    g_autoptr(GPtrArray) keys = qdict_keys_with_prefix(src, NULL);
    guint i;

    for (i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];

        if (overwrite || !qdict_haskey(dest, key)) {
            qdict_put_obj(dest, key, qobject_ref(qdict_get(src, key)));
            qdict_del(src, key);
        }
    }
}

void qdict_extract_subqdict(QDict *src, QDict **dst, const char *start)
{
    g_autoptr(GPtrArray) keys = qdict_keys_with_prefix(src, start);
    size_t len = strlen(start);
    guint i;

    if (dst) {
        *dst = qdict_new();
    }
    for (i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];

        if (dst) {
            qdict_put_obj(*dst, key + len, qobject_ref(qdict_get(src, key)));
        }
        qdict_del(src, key);
    }
}

static bool qdict_has_prefixed_entries(const QDict *src, const char *start)
{
    const QDictEntry *e;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        if (g_str_has_prefix(qdict_entry_key(e), start)) {
            return true;
        }
    }
    return false;
}

static size_t qdict_count_prefixed_entries(const QDict *src,
                                           const char *start)
{
    const QDictEntry *e;
    size_t count = 0;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        if (g_str_has_prefix(qdict_entry_key(e), start)) {
            count++;
        }
    }
    return count;
}

void qdict_array_split(QDict *src, QList **dst)
{
    unsigned i;

    *dst = qlist_new();
    for (i = 0; i < UINT_MAX; i++) {
        g_autofree char *index = g_strdup_printf("%u", i);
        g_autofree char *prefix = g_strdup_printf("%u.", i);
        QObject *single = qdict_get(src, index);
        bool is_subqdict = qdict_has_prefixed_entries(src, prefix);
        QDict *sub;

        /* exactly one of the two forms must be there */
        if (!single == !is_subqdict) {
            break;
        }
        if (is_subqdict) {
            qdict_extract_subqdict(src, &sub, prefix);
            qlist_append_obj(*dst, QOBJECT(sub));
        } else {
            qlist_append_obj(*dst, qobject_ref(single));
            qdict_del(src, index);
        }
    }
}

int qdict_array_entries(QDict *src, const char *subqdict)
{
    const QDictEntry *e;
    size_t entries = 0;
    int i;

    assert(!*subqdict || g_str_has_suffix(subqdict, "."));
    for (i = 0; i < INT_MAX; i++) {
        g_autofree char *key = g_strdup_printf("%s%d", subqdict, i);
        g_autofree char *prefix = g_strdup_printf("%s.", key);
        size_t n = qdict_count_prefixed_entries(src, prefix);
        bool single = qdict_haskey(src, key);

        if (single && n) {
            return -EINVAL;
        }
        if (!single && !n) {
            break;
        }
        entries += n ? n : 1;
    }
    /* Everything outside the sub-dict is none of our business... */
    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        if (!g_str_has_prefix(qdict_entry_key(e), subqdict)) {
            entries++;
        }
    }
    /* ... but anything inside it must be an array element. */
    return qdict_size(src) == entries ? i : -EINVAL;
}

/* ---- flatten ---- */

static void qdict_flatten_into(QObject *obj, QDict *target,
                               const char *prefix);

static void qdict_flatten_qlist(QList *qlist, QDict *target,
                                const char *prefix)
{
    const QListEntry *e;
    int i = 0;

    for (e = qlist_first(qlist); e; e = qlist_next(e), i++) {
        g_autofree char *key = g_strdup_printf("%s.%d", prefix, i);

        qdict_flatten_into(qlist_entry_obj(e), target, key);
    }
}

static void qdict_flatten_qdict(QDict *qdict, QDict *target,
                                const char *prefix)
{
    const QDictEntry *e;

    for (e = qdict_first(qdict); e; e = qdict_next(qdict, e)) {
        g_autofree char *key = prefix ?
            g_strdup_printf("%s.%s", prefix, qdict_entry_key(e)) :
            g_strdup(qdict_entry_key(e));

        qdict_flatten_into(qdict_entry_value(e), target, key);
    }
}

/* Store @obj flattened under @prefix into @target. */
static void qdict_flatten_into(QObject *obj, QDict *target,
                               const char *prefix)
{
    QDict *dict = qobject_to(QDict, obj);
    QList *list = qobject_to(QList, obj);

    if (dict && qdict_size(dict)) {
        qdict_flatten_qdict(dict, target, prefix);
    } else if (list && !qlist_empty(list)) {
        qdict_flatten_qlist(list, target, prefix);
    } else {
        qdict_put_obj(target, prefix, qobject_ref(obj));
    }
}

void qdict_flatten(QDict *qdict)
{
    g_autoptr(GPtrArray) keys = qdict_keys_with_prefix(qdict, NULL);
    guint i;

    for (i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];
        QObject *value = qdict_get(qdict, key);
        QDict *dict = qobject_to(QDict, value);
        QList *list = qobject_to(QList, value);

        if ((dict && qdict_size(dict)) || (list && !qlist_empty(list))) {
            g_autoptr(QObject) held = qobject_ref(value);

            qdict_del(qdict, key);
            qdict_flatten_into(held, qdict, key);
        }
    }
}

/* ---- crumple ---- */

/*
 * Split @key at its first single '.': *@prefix gets the part before it
 * with ".." turned into '.', *@suffix the rest (NULL if no '.').
 */
static void qdict_split_flat_key(const char *key, char **prefix,
                                 const char **suffix)
{
    GString *s = g_string_new(NULL);
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
        g_string_append_c(s, *p++);
    }
    *prefix = g_string_free(s, false);
}

/* Step 1: group the flat @src by first key fragment. */
static QDict *qdict_crumple_two_level(const QDict *src, Error **errp)
{
    g_autoptr(QDict) two_level = qdict_new();
    const QDictEntry *e;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        QObject *value = qdict_entry_value(e);
        QDict *dict = qobject_to(QDict, value);
        QList *list = qobject_to(QList, value);
        g_autofree char *prefix = NULL;
        const char *suffix;
        QObject *child;

        if ((dict && qdict_size(dict)) || (list && !qlist_empty(list))) {
            error_setg(errp, "Value %s is not flat", qdict_entry_key(e));
            return NULL;
        }
        qdict_split_flat_key(qdict_entry_key(e), &prefix, &suffix);
        child = qdict_get(two_level, prefix);
        /* a dict child means every earlier key had a suffix too */
        if (child && (!suffix || !qobject_to(QDict, child))) {
            error_setg(errp, "Cannot mix scalar and non-scalar keys");
            return NULL;
        }
        if (!suffix) {
            qdict_put_obj(two_level, prefix, qobject_ref(value));
            continue;
        }
        if (!child) {
            child = QOBJECT(qdict_new());
            qdict_put_obj(two_level, prefix, child);
        }
        qdict_put_obj(qobject_to(QDict, child), suffix, qobject_ref(value));
    }
    return g_steal_pointer(&two_level);
}

/*
 * Return 1 if all keys of @dict are integers, 0 if none is, -1 (with
 * @errp set) if they are mixed or not 0..N-1 in number.
 */
static int qdict_is_list(const QDict *dict, Error **errp)
{
    const QDictEntry *e;
    ssize_t len = 0, max = -1;
    int is_list = -1;
    int64_t val;

    for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        int is_index = !qemu_strtoi64(qdict_entry_key(e), NULL, 10, &val);

        if (is_list == -1) {
            is_list = is_index;
        }
        if (is_index != is_list) {
            error_setg(errp, "Cannot mix list and non-list keys");
            return -1;
        }
        if (is_index) {
            len++;
            max = MAX(max, val);
        }
    }
    if (is_list == 1 && len != max + 1) {
        error_setg(errp, "List indices are not contiguous, saw %zd "
                   "elements but %zd largest index", len, max);
        return -1;
    }
    return is_list == 1;
}

static QObject *qdict_crumple_to_list(QDict *multi_level, Error **errp)
{
    g_autoptr(QList) list = qlist_new();
    size_t i;

    for (i = 0; i < qdict_size(multi_level); i++) {
        g_autofree char *key = g_strdup_printf("%zu", i);
        QObject *child = qdict_get(multi_level, key);

        if (!child) {
            /* "1" and "01" both counted, but "0" absent */
            error_setg(errp, "Missing list index %zu", i);
            return NULL;
        }
        qlist_append_obj(list, qobject_ref(child));
    }
    return QOBJECT(g_steal_pointer(&list));
}

QObject *qdict_crumple(const QDict *src, Error **errp)
{
    g_autoptr(QDict) two_level = qdict_crumple_two_level(src, errp);
    g_autoptr(QDict) multi_level = NULL;
    const QDictEntry *e;
    int is_list;

    if (!two_level) {
        return NULL;
    }
    /* Step 2: crumple each group recursively */
    multi_level = qdict_new();
    for (e = qdict_first(two_level); e; e = qdict_next(two_level, e)) {
        QObject *value = qdict_entry_value(e);
        QDict *dict = qobject_to(QDict, value);
        QObject *child;

        if (dict && qdict_size(dict)) {
            child = qdict_crumple(dict, errp);
            if (!child) {
                return NULL;
            }
        } else {
            child = qobject_ref(value);
        }
        qdict_put_obj(multi_level, qdict_entry_key(e), child);
    }
    /* Step 3: a dict keyed 0..N-1 is a list */
    is_list = qdict_is_list(multi_level, errp);
    if (is_list < 0) {
        return NULL;
    }
    if (is_list) {
        return qdict_crumple_to_list(multi_level, errp);
    }
    return QOBJECT(g_steal_pointer(&multi_level));
}

/* ---- legacy conversions ---- */

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

/* The keyval form of a scalar @obj, or NULL to leave it unchanged. */
static QObject *qobject_stringify_for_keyval(QObject *obj)
{
    g_autofree char *buf = NULL;

    switch (qobject_type(obj)) {
    case QTYPE_QNUM:
        buf = qnum_to_string(qobject_to(QNum, obj));
        return QOBJECT(qstring_from_str(buf));
    case QTYPE_QBOOL:
        return QOBJECT(qstring_from_str(
            qbool_get_bool(qobject_to(QBool, obj)) ? "on" : "off"));
    case QTYPE_QDICT:
        qdict_stringify_for_keyval(qobject_to(QDict, obj));
        return NULL;
    case QTYPE_QLIST: {
        QList *out = qlist_new();
        const QListEntry *e;

        for (e = qlist_first(qobject_to(QList, obj)); e; e = qlist_next(e)) {
            QObject *elem = qlist_entry_obj(e);
            QObject *str = qobject_stringify_for_keyval(elem);

            qlist_append_obj(out, str ? str : qobject_ref(elem));
        }
        return QOBJECT(out);
    }
    default:
        return NULL;
    }
}

void qdict_stringify_for_keyval(QDict *qdict)
{
    g_autoptr(GPtrArray) keys = qdict_keys_with_prefix(qdict, NULL);
    guint i;

    for (i = 0; i < keys->len; i++) {
        QObject *str = qobject_stringify_for_keyval(
            qdict_get(qdict, keys->pdata[i]));

        if (str) {
            qdict_put_obj(qdict, keys->pdata[i], str);
        }
    }
}
