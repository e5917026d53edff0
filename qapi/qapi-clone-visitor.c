/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clone visitor: deep-copies a QAPI object.  The generated visit
 * function walks the source; each struct, list node, alternate and
 * string is replaced in place by a copy as it is reached, so when the
 * walk ends the top-level pointer refers to a fully independent tree.
 * Scalars need no work: they come along with the memory copy of their
 * container.
 */
#include "qemu/osdep.h"
#include "qapi/clone-visitor.h"
#include "qapi/visitor-impl.h"
#include "qobject/qnull.h"

static void *qcv_dup(const void *src, size_t size)
{
    void *dst = g_malloc(size);

    memcpy(dst, src, size);
    return dst;
}

static bool qcv_start_struct(Visitor *v, const char *name, void **obj,
                             size_t size, Error **errp)
{
    /* NULL @obj: members of an implicit object, already copied. */
    if (obj && *obj) {
        *obj = qcv_dup(*obj, size);
    }
    return true;
}

static void qcv_end_struct(Visitor *v, void **obj)
{
}

static bool qcv_start_list(Visitor *v, const char *name, GenericList **list,
                           size_t size, Error **errp)
{
    if (list && *list) {
        *list = qcv_dup(*list, size);
    }
    return true;
}

static GenericList *qcv_next_list(Visitor *v, GenericList *tail,
                                  size_t size)
{
    if (tail->next) {
        tail->next = qcv_dup(tail->next, size);
    }
    return tail->next;
}

static void qcv_end_list(Visitor *v, void **obj)
{
}

static bool qcv_start_alternate(Visitor *v, const char *name,
                                GenericAlternate **obj, size_t size,
                                Error **errp)
{
    if (*obj) {
        *obj = qcv_dup(*obj, size);
    }
    return true;
}

static bool qcv_type_int64(Visitor *v, const char *name, int64_t *obj,
                           Error **errp)
{
    return true;
}

static bool qcv_type_uint64(Visitor *v, const char *name, uint64_t *obj,
                            Error **errp)
{
    return true;
}

static bool qcv_type_bool(Visitor *v, const char *name, bool *obj,
                          Error **errp)
{
    return true;
}

static bool qcv_type_str(Visitor *v, const char *name, char **obj,
                         Error **errp)
{
    *obj = g_strdup(*obj);
    return true;
}

static bool qcv_type_number(Visitor *v, const char *name, double *obj,
                            Error **errp)
{
    return true;
}

/* QObjects are immutable once built, so sharing a reference is a copy. */
static bool qcv_type_any(Visitor *v, const char *name, QObject **obj,
                         Error **errp)
{
    *obj = qobject_ref(*obj);
    return true;
}

static bool qcv_type_null(Visitor *v, const char *name, QNull **obj,
                          Error **errp)
{
    if (obj) {
        *obj = qobject_ref(*obj);
    }
    return true;
}

static void qcv_free(Visitor *v)
{
    g_free(v);
}

static Visitor *qapi_clone_visitor_new(void)
{
    Visitor *v = g_new0(Visitor, 1);

    v->type = VISITOR_CLONE;
    v->start_struct = qcv_start_struct;
    v->end_struct = qcv_end_struct;
    v->start_list = qcv_start_list;
    v->next_list = qcv_next_list;
    v->end_list = qcv_end_list;
    v->start_alternate = qcv_start_alternate;
    v->type_int64 = qcv_type_int64;
    v->type_uint64 = qcv_type_uint64;
    v->type_bool = qcv_type_bool;
    v->type_str = qcv_type_str;
    v->type_number = qcv_type_number;
    v->type_any = qcv_type_any;
    v->type_null = qcv_type_null;
    v->free = qcv_free;
    return v;
}

void *qapi_clone(const void *src, qapi_clone_visit_fn visit_type)
{
    Visitor *v;
    void *dst = (void *)src;

    if (!src) {
        return NULL;
    }
    v = qapi_clone_visitor_new();
    visit_type(v, NULL, &dst, &error_abort);
    visit_free(v);
    return dst;
}

void qapi_clone_members(void *dst, const void *src, size_t sz,
                        qapi_clone_members_visit_fn visit_members)
{
    Visitor *v = qapi_clone_visitor_new();

    memcpy(dst, src, sz);
    visit_members(v, dst, &error_abort);
    visit_free(v);
}
