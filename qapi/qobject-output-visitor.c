/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QObject output visitor: turns a QAPI object into a QObject tree.
 *
 * Design: a stack of the dicts and lists being filled.  Each visited
 * value is created and added to the innermost container (or becomes the
 * root), so the tree is complete when the top-level visit ends and
 * visit_complete() only hands out a reference.
 */
#include "qemu/osdep.h"
#include "qapi/qobject-output-visitor.h"
#include "qapi/visitor-impl.h"
#include "qobject/qbool.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qnull.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"

typedef struct QObjectOutputFrame {
    QObject *obj;               /* the container; owned by its parent */
    void *qapi;                 /* the C object, for sanity checks */
} QObjectOutputFrame;

typedef struct QObjectOutputVisitor {
    Visitor visitor;
    GArray *stack;              /* QObjectOutputFrame, innermost last */
    QObject *root;              /* our reference to the result */
    QObject **result;           /* where visit_complete() stores it */
} QObjectOutputVisitor;

static QObjectOutputVisitor *to_qov(Visitor *v)
{
    return container_of(v, QObjectOutputVisitor, visitor);
}

/* Add @value (a new reference, consumed) as member @name. */
static void qov_add(QObjectOutputVisitor *qov, const char *name,
                    QObject *value)
{
    QObjectOutputFrame *top;

    if (!qov->stack->len) {
        /* Only one top-level value per visitor. */
        assert(!qov->root);
        qov->root = value;
        return;
    }
    top = &g_array_index(qov->stack, QObjectOutputFrame,
                         qov->stack->len - 1);
    if (qobject_type(top->obj) == QTYPE_QDICT) {
        assert(name);
        qdict_put_obj(qobject_to(QDict, top->obj), name, value);
    } else {
        qlist_append_obj(qobject_to(QList, top->obj), value);
    }
}

static void qov_push(QObjectOutputVisitor *qov, QObject *obj, void *qapi)
{
    QObjectOutputFrame frame = { .obj = obj, .qapi = qapi };

    g_array_append_val(qov->stack, frame);
}

static void qov_pop(QObjectOutputVisitor *qov, void *qapi)
{
    assert(qov->stack->len);
    assert(g_array_index(qov->stack, QObjectOutputFrame,
                         qov->stack->len - 1).qapi == qapi);
    g_array_set_size(qov->stack, qov->stack->len - 1);
}

static bool qov_start_struct(Visitor *v, const char *name, void **obj,
                             size_t size, Error **errp)
{
    QObjectOutputVisitor *qov = to_qov(v);
    QDict *dict = qdict_new();

    qov_add(qov, name, QOBJECT(dict));
    qov_push(qov, QOBJECT(dict), obj);
    return true;
}

static void qov_end_struct(Visitor *v, void **obj)
{
    qov_pop(to_qov(v), obj);
}

static bool qov_start_list(Visitor *v, const char *name, GenericList **list,
                           size_t size, Error **errp)
{
    QObjectOutputVisitor *qov = to_qov(v);
    QList *qlist = qlist_new();

    qov_add(qov, name, QOBJECT(qlist));
    qov_push(qov, QOBJECT(qlist), list);
    return true;
}

static GenericList *qov_next_list(Visitor *v, GenericList *tail,
                                  size_t size)
{
    return tail->next;
}

static void qov_end_list(Visitor *v, void **obj)
{
    qov_pop(to_qov(v), obj);
}

static bool qov_type_int64(Visitor *v, const char *name, int64_t *obj,
                           Error **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnum_from_int(*obj)));
    return true;
}

static bool qov_type_uint64(Visitor *v, const char *name, uint64_t *obj,
                            Error **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnum_from_uint(*obj)));
    return true;
}

static bool qov_type_bool(Visitor *v, const char *name, bool *obj,
                          Error **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qbool_from_bool(*obj)));
    return true;
}

static bool qov_type_str(Visitor *v, const char *name, char **obj,
                         Error **errp)
{
    /* An unset string goes out as "", as QEMU always did. */
    qov_add(to_qov(v), name, QOBJECT(qstring_from_str(*obj ? *obj : "")));
    return true;
}

static bool qov_type_number(Visitor *v, const char *name, double *obj,
                            Error **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnum_from_double(*obj)));
    return true;
}

static bool qov_type_any(Visitor *v, const char *name, QObject **obj,
                         Error **errp)
{
    qov_add(to_qov(v), name, qobject_ref(*obj));
    return true;
}

static bool qov_type_null(Visitor *v, const char *name, QNull **obj,
                          Error **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnull()));
    return true;
}

static bool qov_policy_skip(Visitor *v, const char *name,
                            unsigned special_features)
{
    const CompatPolicy *policy = &v->compat_policy;

    return ((special_features & (1u << QAPI_DEPRECATED))
            && policy->deprecated_output == COMPAT_POLICY_OUTPUT_HIDE)
        || ((special_features & (1u << QAPI_UNSTABLE))
            && policy->unstable_output == COMPAT_POLICY_OUTPUT_HIDE);
}

static void qov_complete(Visitor *v, void *opaque)
{
    QObjectOutputVisitor *qov = to_qov(v);

    assert(opaque == qov->result);
    assert(qov->root && !qov->stack->len);
    *qov->result = qobject_ref(qov->root);
}

static void qov_free(Visitor *v)
{
    QObjectOutputVisitor *qov = to_qov(v);

    qobject_unref(qov->root);
    g_array_free(qov->stack, true);
    g_free(qov);
}

Visitor *qobject_output_visitor_new(QObject **result)
{
    QObjectOutputVisitor *qov = g_new0(QObjectOutputVisitor, 1);

    qov->visitor.type = VISITOR_OUTPUT;
    qov->visitor.start_struct = qov_start_struct;
    qov->visitor.end_struct = qov_end_struct;
    qov->visitor.start_list = qov_start_list;
    qov->visitor.next_list = qov_next_list;
    qov->visitor.end_list = qov_end_list;
    qov->visitor.type_int64 = qov_type_int64;
    qov->visitor.type_uint64 = qov_type_uint64;
    qov->visitor.type_bool = qov_type_bool;
    qov->visitor.type_str = qov_type_str;
    qov->visitor.type_number = qov_type_number;
    qov->visitor.type_any = qov_type_any;
    qov->visitor.type_null = qov_type_null;
    qov->visitor.policy_skip = qov_policy_skip;
    qov->visitor.complete = qov_complete;
    qov->visitor.free = qov_free;
    qov->stack = g_array_new(false, false, sizeof(QObjectOutputFrame));
    qov->result = result;
    *result = NULL;
    return &qov->visitor;
}

Visitor *qobject_output_visitor_new_qmp(QObject **result)
{
    Visitor *v = qobject_output_visitor_new(result);

    visit_set_policy(v, &compat_policy);
    return v;
}
