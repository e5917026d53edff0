/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QObject input visitor: builds QAPI objects from a QObject tree.
 *
 * Design: a stack of frames, one per dict or list being visited.  A dict
 * frame keeps the set of keys not yet visited, so visit_check_struct()
 * can name the first unexpected one; a list frame keeps its cursor and
 * index.  Error messages name members by their full path ("a.b[2].c"),
 * rebuilt from the stack only when an error is reported, so the success
 * path costs one hash lookup per member.
 *
 * Keyval mode takes the output of keyval_parse(): every scalar is a
 * string, converted here (integers, sizes with suffixes, on/off, numbers,
 * "" for null), and list elements are named "list.0" rather than
 * "list[0]".
 */
#include "qemu/osdep.h"
#include "qapi/qobject-input-visitor.h"
#include "qapi/visitor-impl.h"
#include "qapi/qmp/qerror.h"
#include "qemu/cutils.h"
#include "qemu/keyval.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

typedef struct QObjectInputFrame {
    QObject *obj;               /* the dict or list; borrowed from root */
    char *name;                 /* member name it was entered with */
    void *qapi;                 /* the C object, for sanity checks */
    GHashTable *unvisited;      /* dict: keys not yet visited */
    const QListEntry *entry;    /* list: next element to visit */
    unsigned index;             /* list: index of the current element */
} QObjectInputFrame;

typedef struct QObjectInputVisitor {
    Visitor visitor;
    QObject *root;              /* a reference we hold */
    bool root_visited;
    bool keyval;
    GPtrArray *stack;           /* QObjectInputFrame *, innermost last */
    GString *errname;           /* scratch for full member names */
} QObjectInputVisitor;

static QObjectInputVisitor *to_qiv(Visitor *v)
{
    return container_of(v, QObjectInputVisitor, visitor);
}

static QObjectInputFrame *qiv_top(QObjectInputVisitor *qiv)
{
    if (!qiv->stack->len) {
        return NULL;
    }
    return g_ptr_array_index(qiv->stack, qiv->stack->len - 1);
}

/* Append how @name sits inside @parent ("." + name, or an index). */
static void qiv_append_step(QObjectInputVisitor *qiv,
                            const QObjectInputFrame *parent,
                            const char *name)
{
    if (!parent) {
        if (name) {
            g_string_append(qiv->errname, name);
        }
    } else if (qobject_type(parent->obj) == QTYPE_QDICT) {
        g_string_append_printf(qiv->errname, ".%s",
                               name ? name : "<anonymous>");
    } else {
        g_string_append_printf(qiv->errname, qiv->keyval ? ".%u" : "[%u]",
                               parent->index);
    }
}

/*
 * Return the full path of member @name of the container at depth @depth
 * (the outermost @depth frames are used), for error messages.  Valid
 * until the next call.
 */
static const char *qiv_full_name_nth(QObjectInputVisitor *qiv,
                                     const char *name, guint depth)
{
    QObjectInputFrame *parent = NULL;
    guint i;

    g_string_truncate(qiv->errname, 0);
    for (i = 0; i < depth; i++) {
        QObjectInputFrame *frame = g_ptr_array_index(qiv->stack, i);

        qiv_append_step(qiv, parent, frame->name);
        parent = frame;
    }
    qiv_append_step(qiv, parent, name);
    if (qiv->errname->str[0] == '.') {
        g_string_erase(qiv->errname, 0, 1);
    }
    if (!qiv->errname->len) {
        return "<anonymous>";
    }
    return qiv->errname->str;
}

/* The full path of member @name of the innermost container. */
static const char *qiv_full_name(QObjectInputVisitor *qiv, const char *name)
{
    return qiv_full_name_nth(qiv, name, qiv->stack->len);
}

/*
 * Find member @name of the innermost container (the root when the stack
 * is empty).  With @consume, mark it visited.  NULL when absent.
 */
static QObject *qiv_try_get(QObjectInputVisitor *qiv, const char *name,
                            bool consume)
{
    QObjectInputFrame *top = qiv_top(qiv);
    QObject *obj;

    if (!top) {
        if (qiv->root_visited) {
            return NULL;
        }
        qiv->root_visited |= consume;
        return qiv->root;
    }
    if (qobject_type(top->obj) == QTYPE_QDICT) {
        assert(name);
        obj = qdict_get(qobject_to(QDict, top->obj), name);
        if (obj && consume) {
            g_hash_table_remove(top->unvisited, name);
        }
        return obj;
    }
    if (!top->entry) {
        return NULL;
    }
    obj = qlist_entry_obj(top->entry);
    if (consume) {
        top->entry = qlist_next(top->entry);
    }
    return obj;
}

/* Like qiv_try_get() with @consume, and "Parameter is missing" if absent. */
static QObject *qiv_get(QObjectInputVisitor *qiv, const char *name,
                        Error **errp)
{
    QObject *obj = qiv_try_get(qiv, name, true);

    if (!obj) {
        error_setg(errp, QERR_MISSING_PARAMETER, qiv_full_name(qiv, name));
    }
    return obj;
}

/* Fetch member @name and insist it has type @type ("object", ...). */
static QObject *qiv_get_typed(QObjectInputVisitor *qiv, const char *name,
                              QType type, const char *type_name,
                              Error **errp)
{
    QObject *obj = qiv_get(qiv, name, errp);

    if (obj && qobject_type(obj) != type) {
        error_setg(errp, QERR_INVALID_PARAMETER_TYPE,
                   qiv_full_name(qiv, name), type_name);
        return NULL;
    }
    return obj;
}

/* Keyval mode: fetch the string value of scalar member @name. */
static const char *qiv_get_keyval(QObjectInputVisitor *qiv, const char *name,
                                  Error **errp)
{
    QObject *obj = qiv_get_typed(qiv, name, QTYPE_QSTRING, "string", errp);

    return obj ? qstring_get_str(qobject_to(QString, obj)) : NULL;
}

static void qiv_push(QObjectInputVisitor *qiv, const char *name,
                     QObject *obj, void *qapi)
{
    QObjectInputFrame *frame = g_new0(QObjectInputFrame, 1);

    frame->obj = obj;
    frame->name = g_strdup(name);
    frame->qapi = qapi;
    if (qobject_type(obj) == QTYPE_QDICT) {
        QDict *dict = qobject_to(QDict, obj);
        const QDictEntry *e;

        frame->unvisited = g_hash_table_new(g_str_hash, g_str_equal);
        for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
            g_hash_table_add(frame->unvisited, (char *)qdict_entry_key(e));
        }
    } else {
        frame->entry = qlist_first(qobject_to(QList, obj));
    }
    g_ptr_array_add(qiv->stack, frame);
}

static void qiv_frame_free(gpointer p)
{
    QObjectInputFrame *frame = p;

    if (frame->unvisited) {
        g_hash_table_destroy(frame->unvisited);
    }
    g_free(frame->name);
    g_free(frame);
}

static void qiv_pop(QObjectInputVisitor *qiv, void *qapi)
{
    QObjectInputFrame *top = qiv_top(qiv);

    assert(top && top->qapi == qapi);
    g_ptr_array_set_size(qiv->stack, qiv->stack->len - 1);
}

static bool qiv_start_struct(Visitor *v, const char *name, void **obj,
                             size_t size, Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj;

    if (obj) {
        *obj = NULL;
    }
    qobj = qiv_get_typed(qiv, name, QTYPE_QDICT, "object", errp);
    if (!qobj) {
        return false;
    }
    qiv_push(qiv, name, qobj, obj);
    if (obj) {
        *obj = g_malloc0(size);
    }
    return true;
}

static bool qiv_check_struct(Visitor *v, Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObjectInputFrame *top = qiv_top(qiv);
    QDict *dict = qobject_to(QDict, top->obj);
    const QDictEntry *e;

    /* Walk in dict order so the member named is deterministic. */
    for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        const char *key = qdict_entry_key(e);

        if (g_hash_table_contains(top->unvisited, key)) {
            error_setg(errp, "Parameter '%s' is unexpected",
                       qiv_full_name(qiv, key));
            return false;
        }
    }
    return true;
}

static void qiv_end_struct(Visitor *v, void **obj)
{
    qiv_pop(to_qiv(v), obj);
}

static bool qiv_start_list(Visitor *v, const char *name, GenericList **list,
                           size_t size, Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj;

    if (list) {
        *list = NULL;
    }
    qobj = qiv_get_typed(qiv, name, QTYPE_QLIST, "array", errp);
    if (!qobj) {
        return false;
    }
    qiv_push(qiv, name, qobj, list);
    if (list && !qlist_empty(qobject_to(QList, qobj))) {
        *list = g_malloc0(size);
    }
    return true;
}

static GenericList *qiv_next_list(Visitor *v, GenericList *tail,
                                  size_t size)
{
    QObjectInputFrame *top = qiv_top(to_qiv(v));

    if (!top->entry) {
        return NULL;
    }
    top->index++;
    tail->next = g_malloc0(size);
    return tail->next;
}

static bool qiv_check_list(Visitor *v, Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObjectInputFrame *top = qiv_top(qiv);

    if (top->entry) {
        /* Name the list itself: its frame is the innermost one. */
        error_setg(errp, "Only %u list elements expected in %s",
                   top->index + 1,
                   qiv_full_name_nth(qiv, top->name, qiv->stack->len - 1));
        return false;
    }
    return true;
}

static void qiv_end_list(Visitor *v, void **obj)
{
    qiv_pop(to_qiv(v), obj);
}

static bool qiv_start_alternate(Visitor *v, const char *name,
                                GenericAlternate **obj, size_t size,
                                Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_try_get(qiv, name, false);

    if (!qobj) {
        *obj = NULL;
        error_setg(errp, QERR_MISSING_PARAMETER, qiv_full_name(qiv, name));
        return false;
    }
    *obj = g_malloc0(size);
    (*obj)->type = qobject_type(qobj);
    return true;
}

static bool qiv_type_int64(Visitor *v, const char *name, int64_t *obj,
                           Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QNum *qnum;

    if (!qobj) {
        return false;
    }
    qnum = qobject_to(QNum, qobj);
    if (!qnum || !qnum_get_try_int(qnum, obj)) {
        error_setg(errp, QERR_INVALID_PARAMETER_TYPE,
                   qiv_full_name(qiv, name), "integer");
        return false;
    }
    return true;
}

static bool qiv_type_uint64(Visitor *v, const char *name, uint64_t *obj,
                            Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QNum *qnum;
    int64_t sval;

    if (!qobj) {
        return false;
    }
    qnum = qobject_to(QNum, qobj);
    if (qnum && qnum_get_try_uint(qnum, obj)) {
        return true;
    }
    /* QEMU has always taken negative numbers modulo 2^64 here. */
    if (qnum && qnum_get_try_int(qnum, &sval)) {
        *obj = sval;
        return true;
    }
    error_setg(errp, QERR_INVALID_PARAMETER_VALUE,
               qiv_full_name(qiv, name), "uint64");
    return false;
}

static bool qiv_type_bool(Visitor *v, const char *name, bool *obj,
                          Error **errp)
{
    QObject *qobj = qiv_get_typed(to_qiv(v), name, QTYPE_QBOOL, "boolean",
                                  errp);

    if (!qobj) {
        return false;
    }
    *obj = qbool_get_bool(qobject_to(QBool, qobj));
    return true;
}

static bool qiv_type_str(Visitor *v, const char *name, char **obj,
                         Error **errp)
{
    QObject *qobj = qiv_get_typed(to_qiv(v), name, QTYPE_QSTRING, "string",
                                  errp);

    *obj = qobj ? g_strdup(qstring_get_str(qobject_to(QString, qobj)))
                : NULL;
    return qobj != NULL;
}

static bool qiv_type_number(Visitor *v, const char *name, double *obj,
                            Error **errp)
{
    QObject *qobj = qiv_get_typed(to_qiv(v), name, QTYPE_QNUM, "number",
                                  errp);

    if (!qobj) {
        return false;
    }
    *obj = qnum_get_double(qobject_to(QNum, qobj));
    return true;
}

static bool qiv_type_any(Visitor *v, const char *name, QObject **obj,
                         Error **errp)
{
    QObject *qobj = qiv_get(to_qiv(v), name, errp);

    *obj = qobject_ref(qobj);
    return qobj != NULL;
}

static bool qiv_type_null(Visitor *v, const char *name, QNull **obj,
                          Error **errp)
{
    QObject *qobj = qiv_get_typed(to_qiv(v), name, QTYPE_QNULL, "null",
                                  errp);

    *obj = qobj ? qnull() : NULL;
    return qobj != NULL;
}

static bool qiv_keyval_int64(Visitor *v, const char *name, int64_t *obj,
                             Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    if (!str) {
        return false;
    }
    if (qemu_strtoi64(str, NULL, 0, obj) < 0) {
        error_setg(errp, QERR_INVALID_PARAMETER_VALUE,
                   qiv_full_name(qiv, name), "integer");
        return false;
    }
    return true;
}

static bool qiv_keyval_uint64(Visitor *v, const char *name, uint64_t *obj,
                              Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    if (!str) {
        return false;
    }
    /* Like strtoull(), "-N" wraps; QEMU accepts it for uint64. */
    if (qemu_strtou64(str, NULL, 0, obj) < 0) {
        error_setg(errp, QERR_INVALID_PARAMETER_VALUE,
                   qiv_full_name(qiv, name), "integer");
        return false;
    }
    return true;
}

static bool qiv_keyval_size(Visitor *v, const char *name, uint64_t *obj,
                            Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    if (!str) {
        return false;
    }
    if (qemu_strtosz(str, NULL, obj) < 0) {
        error_setg(errp, QERR_INVALID_PARAMETER_VALUE,
                   qiv_full_name(qiv, name), "size");
        return false;
    }
    return true;
}

static bool qiv_keyval_bool(Visitor *v, const char *name, bool *obj,
                            Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    return str && qapi_bool_parse(qiv_full_name(qiv, name), str, obj, errp);
}

static bool qiv_keyval_str(Visitor *v, const char *name, char **obj,
                           Error **errp)
{
    const char *str = qiv_get_keyval(to_qiv(v), name, errp);

    *obj = g_strdup(str);
    return str != NULL;
}

static bool qiv_keyval_number(Visitor *v, const char *name, double *obj,
                              Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);
    double val;

    if (!str) {
        return false;
    }
    if (qemu_strtod_finite(str, NULL, &val) < 0) {
        error_setg(errp, QERR_INVALID_PARAMETER_TYPE,
                   qiv_full_name(qiv, name), "number");
        return false;
    }
    *obj = val;
    return true;
}

static bool qiv_keyval_null(Visitor *v, const char *name, QNull **obj,
                            Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QString *qstr;

    *obj = NULL;
    if (!qobj) {
        return false;
    }
    /* On the command line, "key=" is how null is spelt. */
    qstr = qobject_to(QString, qobj);
    if (!qobject_to(QNull, qobj)
        && (!qstr || qstring_get_str(qstr)[0])) {
        error_setg(errp, QERR_INVALID_PARAMETER_TYPE,
                   qiv_full_name(qiv, name), "null");
        return false;
    }
    *obj = qnull();
    return true;
}

static bool qiv_optional(Visitor *v, const char *name, bool *present)
{
    *present = qiv_try_get(to_qiv(v), name, false) != NULL;
    return *present;
}

static bool qiv_policy_reject(Visitor *v, const char *name,
                              unsigned special_features, Error **errp)
{
    QObjectInputVisitor *qiv = to_qiv(v);

    /* The full name is computed only when a check can fail. */
    if (!(special_features & ((1u << QAPI_DEPRECATED)
                              | (1u << QAPI_UNSTABLE)))) {
        return false;
    }
    return !compat_policy_input_ok(special_features, &v->compat_policy,
                                   ERROR_CLASS_GENERIC_ERROR, "parameter",
                                   qiv_full_name(qiv, name), errp);
}

static void qiv_free(Visitor *v)
{
    QObjectInputVisitor *qiv = to_qiv(v);

    g_ptr_array_free(qiv->stack, true);
    g_string_free(qiv->errname, true);
    qobject_unref(qiv->root);
    g_free(qiv);
}

static QObjectInputVisitor *qiv_new(QObject *obj)
{
    QObjectInputVisitor *qiv = g_new0(QObjectInputVisitor, 1);

    assert(obj);
    qiv->visitor.type = VISITOR_INPUT;
    qiv->visitor.start_struct = qiv_start_struct;
    qiv->visitor.check_struct = qiv_check_struct;
    qiv->visitor.end_struct = qiv_end_struct;
    qiv->visitor.start_list = qiv_start_list;
    qiv->visitor.next_list = qiv_next_list;
    qiv->visitor.check_list = qiv_check_list;
    qiv->visitor.end_list = qiv_end_list;
    qiv->visitor.start_alternate = qiv_start_alternate;
    qiv->visitor.type_any = qiv_type_any;
    qiv->visitor.optional = qiv_optional;
    qiv->visitor.policy_reject = qiv_policy_reject;
    qiv->visitor.free = qiv_free;
    qiv->root = qobject_ref(obj);
    qiv->stack = g_ptr_array_new_with_free_func(qiv_frame_free);
    qiv->errname = g_string_new(NULL);
    return qiv;
}

Visitor *qobject_input_visitor_new(QObject *obj)
{
    QObjectInputVisitor *qiv = qiv_new(obj);

    qiv->visitor.type_int64 = qiv_type_int64;
    qiv->visitor.type_uint64 = qiv_type_uint64;
    qiv->visitor.type_bool = qiv_type_bool;
    qiv->visitor.type_str = qiv_type_str;
    qiv->visitor.type_number = qiv_type_number;
    qiv->visitor.type_null = qiv_type_null;
    return &qiv->visitor;
}

Visitor *qobject_input_visitor_new_qmp(QObject *obj)
{
    Visitor *v = qobject_input_visitor_new(obj);

    visit_set_policy(v, &compat_policy);
    return v;
}

Visitor *qobject_input_visitor_new_keyval(QObject *obj)
{
    QObjectInputVisitor *qiv = qiv_new(obj);

    qiv->keyval = true;
    qiv->visitor.type_int64 = qiv_keyval_int64;
    qiv->visitor.type_uint64 = qiv_keyval_uint64;
    qiv->visitor.type_size = qiv_keyval_size;
    qiv->visitor.type_bool = qiv_keyval_bool;
    qiv->visitor.type_str = qiv_keyval_str;
    qiv->visitor.type_number = qiv_keyval_number;
    qiv->visitor.type_null = qiv_keyval_null;
    return &qiv->visitor;
}

Visitor *qobject_input_visitor_new_str(const char *str,
                                       const char *implied_key,
                                       Error **errp)
{
    QObject *obj;
    Visitor *v;

    if (str[0] != '{') {
        QDict *args = keyval_parse(str, implied_key, NULL, errp);

        if (!args) {
            return NULL;
        }
        v = qobject_input_visitor_new_keyval(QOBJECT(args));
        qobject_unref(args);
        return v;
    }
    obj = qobject_from_json(str, errp);
    if (!obj) {
        /* NULL without an error cannot happen: the text is not blank. */
        return NULL;
    }
    if (!qobject_to(QDict, obj)) {
        error_setg(errp, "JSON value must be an object");
        qobject_unref(obj);
        return NULL;
    }
    v = qobject_input_visitor_new(obj);
    qobject_unref(obj);
    return v;
}
