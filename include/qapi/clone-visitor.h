/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clone visitor deep-copies a QAPI object by walking it with the
 * generated visit function.
 */
#ifndef QAPI_CLONE_VISITOR_H
#define QAPI_CLONE_VISITOR_H

#include "qapi/visitor.h"

/* The generated visit functions have these shapes. */
typedef bool (*qapi_clone_visit_fn)(Visitor *v, const char *name,
                                    void **obj, Error **errp);
typedef bool (*qapi_clone_members_visit_fn)(Visitor *v, void *obj,
                                            Error **errp);

/**
 * qapi_clone:
 * Return a deep copy of @src made with @visit_type (a visit_type_FOO).
 * Prefer the QAPI_CLONE() macro.
 */
void *qapi_clone(const void *src, qapi_clone_visit_fn visit_type);

/**
 * qapi_clone_members:
 * Deep-copy the members of @src into @dst (@sz bytes; @dst is overwritten)
 * with @visit_members (a visit_type_FOO_members).  Prefer
 * QAPI_CLONE_MEMBERS().
 */
void qapi_clone_members(void *dst, const void *src, size_t sz,
                        qapi_clone_members_visit_fn visit_members);

/* Return a deep copy of @src, a pointer to a QAPI type named @type. */
#define QAPI_CLONE(type, src)                                           \
    ((type *)qapi_clone(src, (qapi_clone_visit_fn)visit_type_ ## type))

/* Deep-copy the members of the QAPI object *@src into *@dst. */
#define QAPI_CLONE_MEMBERS(type, dst, src)                              \
    qapi_clone_members(dst, src, sizeof(type),                          \
        (qapi_clone_members_visit_fn)visit_type_ ## type ## _members)

#endif
