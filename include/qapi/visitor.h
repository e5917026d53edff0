/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QAPI visitor interface: one walk over a QAPI type that, depending on
 * the visitor, fills it from a QObject (input), turns it into a QObject
 * (output), copies it (clone) or frees it (dealloc).  Generated
 * visit_type_FOO() functions call only the functions declared here.
 */
#ifndef QAPI_VISITOR_H
#define QAPI_VISITOR_H

#include "qapi/error.h"
#include "qapi/util.h"
#include "qobject/qobject.h"

/* Opaque; the implementations embed it (see qapi/visitor-impl.h). */
typedef struct Visitor Visitor;

/*
 * The layout every generated FOOList shares: a next pointer followed by
 * the element.  The visitor allocates and links nodes of the size the
 * generated code passes.
 */
typedef struct GenericList {
    struct GenericList *next;
    char padding[];
} GenericList;

/* The layout every generated alternate shares: the tag comes first. */
typedef struct GenericAlternate {
    QType type;
    char padding[];
} GenericAlternate;

/*
 * The kind of a visitor.  Values are distinct bits so that callers can
 * test "input or dealloc" cheaply; only one is set per visitor.
 */
typedef enum VisitorType {
    VISITOR_INPUT = 1,
    VISITOR_OUTPUT = 2,
    VISITOR_CLONE = 4,
    VISITOR_DEALLOC = 8,
} VisitorType;

/**
 * visit_complete:
 * Hand the visitor's result to @opaque (output visitors: a QObject **
 * for the qobject output visitor; clone visitors: ignored).  Call once,
 * after a successful visit of the top-level object.
 */
void visit_complete(Visitor *v, void *opaque);

/**
 * visit_free:
 * Free @v and anything it still holds.  NULL is allowed.  Safe after a
 * failed visit (partial state is released).
 */
void visit_free(Visitor *v);

/**
 * visit_start_struct:
 * Start visiting an object named @name (NULL at the top level and inside
 * lists).  With an input visitor and @obj non-NULL, *@obj is set to a new
 * zeroed allocation of @size bytes.  With @obj NULL the visit walks the
 * members of an implicit object without allocating (boxed arguments,
 * flat union branches).  Return true on success; on failure set @errp and
 * leave *@obj NULL.  Must be paired with visit_end_struct() on success.
 */
bool visit_start_struct(Visitor *v, const char *name, void **obj,
                        size_t size, Error **errp);

/**
 * visit_check_struct:
 * Input visitors: fail if the object has members that were never visited
 * ("Parameter 'x' is unexpected").  Other visitors: always succeed.
 */
bool visit_check_struct(Visitor *v, Error **errp);

/**
 * visit_end_struct:
 * Finish the struct started with visit_start_struct().  @obj must be the
 * same pointer passed there.
 */
void visit_end_struct(Visitor *v, void **obj);

/**
 * visit_start_list:
 * Start visiting a list named @name.  With an input visitor and @list
 * non-NULL, *@list becomes the first node (@size bytes, zeroed) or NULL
 * for an empty list.  Return true on success.
 */
bool visit_start_list(Visitor *v, const char *name, GenericList **list,
                      size_t size, Error **errp);

/**
 * visit_next_list:
 * Advance past @tail; with an input visitor a new node of @size bytes is
 * allocated and linked when input remains.  Return the next node, or NULL
 * at the end of the list.
 */
GenericList *visit_next_list(Visitor *v, GenericList *tail, size_t size);

/**
 * visit_check_list:
 * Input visitors: fail if elements remain unvisited.  Others succeed.
 */
bool visit_check_list(Visitor *v, Error **errp);

/**
 * visit_end_list:
 * Finish the list started with visit_start_list(); @list must be the same
 * pointer passed there.
 */
void visit_end_list(Visitor *v, void **list);

/**
 * visit_start_alternate:
 * Start visiting an alternate.  With an input visitor, *@obj becomes a
 * zeroed allocation of @size bytes whose ->type is the QType of the input
 * (so the generated code picks the branch).  Return true on success.
 */
bool visit_start_alternate(Visitor *v, const char *name,
                           GenericAlternate **obj, size_t size,
                           Error **errp);

/**
 * visit_end_alternate:
 * Finish the alternate started with visit_start_alternate().
 */
void visit_end_alternate(Visitor *v, void **obj);

/**
 * visit_optional:
 * Decide whether the optional member @name is visited.  Input visitors set
 * *@present from the input; others leave it alone.  Return *@present.
 */
bool visit_optional(Visitor *v, const char *name, bool *present);

/**
 * visit_policy_reject:
 * Return true (and set @errp) when the input member or enum value @name,
 * carrying the QapiSpecialFeature bits @special_features, must be
 * rejected under the visitor's compatibility policy.
 */
bool visit_policy_reject(Visitor *v, const char *name,
                         unsigned special_features, Error **errp);

/**
 * visit_policy_skip:
 * Return true when the member @name carrying @special_features must be
 * left out under the visitor's policy (output with "hide").
 */
bool visit_policy_skip(Visitor *v, const char *name,
                       unsigned special_features);

/**
 * visit_deprecated_accept:
 * Older interface: return whether the deprecated member @name may be
 * accepted, setting @errp when not.  Same as
 * !visit_policy_reject(v, name, 1u << QAPI_DEPRECATED, errp).
 */
bool visit_deprecated_accept(Visitor *v, const char *name, Error **errp);

/**
 * visit_deprecated:
 * Older interface: return whether the deprecated member @name should be
 * visited.  Same as !visit_policy_skip(v, name, 1u << QAPI_DEPRECATED).
 */
bool visit_deprecated(Visitor *v, const char *name);

/**
 * visit_set_policy:
 * Make @v apply @policy to deprecated and unstable members and values.
 * @policy is copied.  Without a call, everything is accepted and shown.
 */
struct CompatPolicy;
void visit_set_policy(Visitor *v, const struct CompatPolicy *policy);

/**
 * visit_is_input:
 * Return whether @v is an input visitor (it allocates and fills).
 */
bool visit_is_input(Visitor *v);

/**
 * visit_is_dealloc:
 * Return whether @v is the dealloc visitor.
 */
bool visit_is_dealloc(Visitor *v);

/**
 * visit_type_int:
 * Visit a signed 64-bit integer named @name.  The sized variants check
 * the range and fail with "Parameter 'NAME' expects int8_t" and so on.
 * All return true on success and false with @errp set on failure.
 */
bool visit_type_int(Visitor *v, const char *name, int64_t *obj,
                    Error **errp);
/** visit_type_int8: see visit_type_int(). */
bool visit_type_int8(Visitor *v, const char *name, int8_t *obj,
                     Error **errp);
/** visit_type_int16: see visit_type_int(). */
bool visit_type_int16(Visitor *v, const char *name, int16_t *obj,
                      Error **errp);
/** visit_type_int32: see visit_type_int(). */
bool visit_type_int32(Visitor *v, const char *name, int32_t *obj,
                      Error **errp);
/** visit_type_int64: see visit_type_int(). */
bool visit_type_int64(Visitor *v, const char *name, int64_t *obj,
                      Error **errp);

/**
 * visit_type_uint64:
 * Visit an unsigned 64-bit integer.  The sized variants check the range.
 */
bool visit_type_uint64(Visitor *v, const char *name, uint64_t *obj,
                       Error **errp);
/** visit_type_uint8: see visit_type_uint64(). */
bool visit_type_uint8(Visitor *v, const char *name, uint8_t *obj,
                      Error **errp);
/** visit_type_uint16: see visit_type_uint64(). */
bool visit_type_uint16(Visitor *v, const char *name, uint16_t *obj,
                       Error **errp);
/** visit_type_uint32: see visit_type_uint64(). */
bool visit_type_uint32(Visitor *v, const char *name, uint32_t *obj,
                       Error **errp);

/**
 * visit_type_size:
 * Visit a byte count.  Like uint64, except that keyval input accepts
 * suffixes (k, M, G, T, P, E).
 */
bool visit_type_size(Visitor *v, const char *name, uint64_t *obj,
                     Error **errp);

/**
 * visit_type_bool:
 * Visit a boolean.
 */
bool visit_type_bool(Visitor *v, const char *name, bool *obj, Error **errp);

/**
 * visit_type_str:
 * Visit a string.  Input visitors store a new g_malloc'ed copy in *@obj;
 * output visitors treat a NULL *@obj as "".
 */
bool visit_type_str(Visitor *v, const char *name, char **obj, Error **errp);

/**
 * visit_type_number:
 * Visit a double.  Input accepts integers too.
 */
bool visit_type_number(Visitor *v, const char *name, double *obj,
                       Error **errp);

/**
 * visit_type_any:
 * Visit an arbitrary QObject; input stores a new reference in *@obj.
 */
bool visit_type_any(Visitor *v, const char *name, QObject **obj,
                    Error **errp);

/**
 * visit_type_null:
 * Visit a JSON null; input stores a new reference to it in *@obj.
 */
bool visit_type_null(Visitor *v, const char *name, QNull **obj,
                     Error **errp);

/**
 * visit_type_enum:
 * Visit an enum value, carried as a string on the wire and as an index
 * into @lookup in C.  Input fails with "Parameter 'NAME' does not accept
 * value 'VALUE'"; output of an out-of-range value is a programming error.
 */
bool visit_type_enum(Visitor *v, const char *name, int *obj,
                     const QEnumLookup *lookup, Error **errp);

#endif
