/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a visitor implementation provides: struct Visitor is a table of
 * callbacks embedded as the first member of each implementation's state.
 * qapi/qapi-visit-core.c calls them and adds the checks common to all
 * visitors (integer ranges, enum names, policy, argument sanity), so an
 * implementation only moves values.
 */
#ifndef QAPI_VISITOR_IMPL_H
#define QAPI_VISITOR_IMPL_H

#include "qapi/visitor.h"
#include "qapi/compat-policy.h"

struct Visitor {
    /* Required. */
    bool (*start_struct)(Visitor *v, const char *name, void **obj,
                         size_t size, Error **errp);
    /* Optional; input visitors use it to reject unvisited members. */
    bool (*check_struct)(Visitor *v, Error **errp);
    /* Required. */
    void (*end_struct)(Visitor *v, void **obj);

    /* Required. */
    bool (*start_list)(Visitor *v, const char *name, GenericList **list,
                       size_t size, Error **errp);
    /* Required. */
    GenericList *(*next_list)(Visitor *v, GenericList *tail, size_t size);
    /* Optional; input visitors use it to reject unvisited elements. */
    bool (*check_list)(Visitor *v, Error **errp);
    /* Required. */
    void (*end_list)(Visitor *v, void **list);

    /* Required for input and dealloc; may be NULL elsewhere. */
    bool (*start_alternate)(Visitor *v, const char *name,
                            GenericAlternate **obj, size_t size,
                            Error **errp);
    /* Optional. */
    void (*end_alternate)(Visitor *v, void **obj);

    /* Scalars: all required. */
    bool (*type_int64)(Visitor *v, const char *name, int64_t *obj,
                       Error **errp);
    bool (*type_uint64)(Visitor *v, const char *name, uint64_t *obj,
                        Error **errp);
    /* Optional; falls back to type_uint64. */
    bool (*type_size)(Visitor *v, const char *name, uint64_t *obj,
                      Error **errp);
    bool (*type_bool)(Visitor *v, const char *name, bool *obj, Error **errp);
    bool (*type_str)(Visitor *v, const char *name, char **obj, Error **errp);
    bool (*type_number)(Visitor *v, const char *name, double *obj,
                        Error **errp);
    bool (*type_any)(Visitor *v, const char *name, QObject **obj,
                     Error **errp);
    bool (*type_null)(Visitor *v, const char *name, QNull **obj,
                      Error **errp);

    /* Optional, input only: report whether member @name is present. */
    bool (*optional)(Visitor *v, const char *name, bool *present);

    /*
     * Optional: the visitor-specific part of visit_policy_reject() and
     * visit_policy_skip().  When NULL the core applies @policy below.
     */
    bool (*policy_reject)(Visitor *v, const char *name,
                          unsigned special_features, Error **errp);
    bool (*policy_skip)(Visitor *v, const char *name,
                        unsigned special_features);

    /* Must be set. */
    VisitorType type;

    /* Set by visit_set_policy(); all-accept when zero. */
    CompatPolicy compat_policy;

    /* Optional; required for output visitors. */
    void (*complete)(Visitor *v, void *opaque);

    /* Required: free the implementation's state, including @v. */
    void (*free)(Visitor *v);
};

#endif
