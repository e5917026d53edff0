/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The visit_*() entry points: sanity checks and behaviour common to every
 * visitor (sized integer ranges, enum names and policy, optional members),
 * then a call through the implementation's table in struct Visitor.
 */
#include "qemu/osdep.h"
#include "qapi/visitor-impl.h"
#include "qapi/qmp/qerror.h"
#include "qobject/qnull.h"

void visit_complete(Visitor *v, void *opaque)
{
    assert(v->type != VISITOR_OUTPUT || v->complete);
    if (v->complete) {
        v->complete(v, opaque);
    }
}

void visit_free(Visitor *v)
{
    if (v) {
        v->free(v);
    }
}

bool visit_start_struct(Visitor *v, const char *name, void **obj,
                        size_t size, Error **errp)
{
    bool ok;

    assert(!obj || size);
    /* Output visitors need something to read from. */
    assert(!obj || v->type != VISITOR_OUTPUT || *obj);
    ok = v->start_struct(v, name, obj, size, errp);
    if (obj && v->type == VISITOR_INPUT) {
        assert(ok == !!*obj);
    }
    return ok;
}

bool visit_check_struct(Visitor *v, Error **errp)
{
    return !v->check_struct || v->check_struct(v, errp);
}

void visit_end_struct(Visitor *v, void **obj)
{
    v->end_struct(v, obj);
}

bool visit_start_list(Visitor *v, const char *name, GenericList **list,
                      size_t size, Error **errp)
{
    bool ok;

    assert(!list || size >= sizeof(GenericList));
    ok = v->start_list(v, name, list, size, errp);
    if (list && v->type == VISITOR_INPUT) {
        /* An empty list is NULL, so only failure is checked here. */
        assert(ok || !*list);
    }
    return ok;
}

GenericList *visit_next_list(Visitor *v, GenericList *tail, size_t size)
{
    assert(tail && size >= sizeof(GenericList));
    return v->next_list(v, tail, size);
}

bool visit_check_list(Visitor *v, Error **errp)
{
    return !v->check_list || v->check_list(v, errp);
}

void visit_end_list(Visitor *v, void **obj)
{
    v->end_list(v, obj);
}

bool visit_start_alternate(Visitor *v, const char *name,
                           GenericAlternate **obj, size_t size,
                           Error **errp)
{
    bool ok;

    assert(obj && size >= sizeof(GenericAlternate));
    assert(v->type != VISITOR_OUTPUT || *obj);
    if (!v->start_alternate) {
        /* Output and clone walk the branch chosen by (*obj)->type. */
        return true;
    }
    ok = v->start_alternate(v, name, obj, size, errp);
    if (v->type == VISITOR_INPUT) {
        assert(ok == !!*obj);
    }
    return ok;
}

void visit_end_alternate(Visitor *v, void **obj)
{
    if (v->end_alternate) {
        v->end_alternate(v, obj);
    }
}

bool visit_optional(Visitor *v, const char *name, bool *present)
{
    if (v->optional) {
        v->optional(v, name, present);
    }
    return *present;
}

bool visit_policy_reject(Visitor *v, const char *name,
                         unsigned special_features, Error **errp)
{
    if (v->policy_reject) {
        return v->policy_reject(v, name, special_features, errp);
    }
    return false;
}

bool visit_policy_skip(Visitor *v, const char *name,
                       unsigned special_features)
{
    if (v->policy_skip) {
        return v->policy_skip(v, name, special_features);
    }
    return false;
}

bool visit_deprecated_accept(Visitor *v, const char *name, Error **errp)
{
    return !visit_policy_reject(v, name, 1u << QAPI_DEPRECATED, errp);
}

bool visit_deprecated(Visitor *v, const char *name)
{
    return !visit_policy_skip(v, name, 1u << QAPI_DEPRECATED);
}

void visit_set_policy(Visitor *v, const CompatPolicy *policy)
{
    v->compat_policy = *policy;
}

bool visit_is_input(Visitor *v)
{
    return v->type == VISITOR_INPUT;
}

bool visit_is_dealloc(Visitor *v)
{
    return v->type == VISITOR_DEALLOC;
}

bool visit_type_int(Visitor *v, const char *name, int64_t *obj,
                    Error **errp)
{
    assert(obj);
    return v->type_int64(v, name, obj, errp);
}

bool visit_type_int64(Visitor *v, const char *name, int64_t *obj,
                      Error **errp)
{
    assert(obj);
    return v->type_int64(v, name, obj, errp);
}

/*
 * Visit a signed integer of a narrower C type through type_int64 and,
 * for input, refuse values outside [@min, @max] naming @type_name.
 */
static bool visit_type_intN(Visitor *v, const char *name, int64_t *value,
                            int64_t min, int64_t max,
                            const char *type_name, Error **errp)
{
    if (!v->type_int64(v, name, value, errp)) {
        return false;
    }
    if (*value < min || *value > max) {
        error_setg(errp, QERR_INVALID_PARAMETER_VALUE,
                   name ? name : "null", type_name);
        return false;
    }
    return true;
}

bool visit_type_int8(Visitor *v, const char *name, int8_t *obj,
                     Error **errp)
{
    int64_t value = *obj;

    if (!visit_type_intN(v, name, &value, INT8_MIN, INT8_MAX, "int8_t",
                         errp)) {
        return false;
    }
    *obj = value;
    return true;
}

bool visit_type_int16(Visitor *v, const char *name, int16_t *obj,
                      Error **errp)
{
    int64_t value = *obj;

    if (!visit_type_intN(v, name, &value, INT16_MIN, INT16_MAX, "int16_t",
                         errp)) {
        return false;
    }
    *obj = value;
    return true;
}

bool visit_type_int32(Visitor *v, const char *name, int32_t *obj,
                      Error **errp)
{
    int64_t value = *obj;

    if (!visit_type_intN(v, name, &value, INT32_MIN, INT32_MAX, "int32_t",
                         errp)) {
        return false;
    }
    *obj = value;
    return true;
}

bool visit_type_uint64(Visitor *v, const char *name, uint64_t *obj,
                       Error **errp)
{
    assert(obj);
    return v->type_uint64(v, name, obj, errp);
}

/* The unsigned counterpart of visit_type_intN(). */
static bool visit_type_uintN(Visitor *v, const char *name, uint64_t *value,
                             uint64_t max, const char *type_name,
                             Error **errp)
{
    if (!v->type_uint64(v, name, value, errp)) {
        return false;
    }
    if (*value > max) {
        error_setg(errp, QERR_INVALID_PARAMETER_VALUE,
                   name ? name : "null", type_name);
        return false;
    }
    return true;
}

bool visit_type_uint8(Visitor *v, const char *name, uint8_t *obj,
                      Error **errp)
{
    uint64_t value = *obj;

    if (!visit_type_uintN(v, name, &value, UINT8_MAX, "uint8_t", errp)) {
        return false;
    }
    *obj = value;
    return true;
}

bool visit_type_uint16(Visitor *v, const char *name, uint16_t *obj,
                       Error **errp)
{
    uint64_t value = *obj;

    if (!visit_type_uintN(v, name, &value, UINT16_MAX, "uint16_t", errp)) {
        return false;
    }
    *obj = value;
    return true;
}

bool visit_type_uint32(Visitor *v, const char *name, uint32_t *obj,
                       Error **errp)
{
    uint64_t value = *obj;

    if (!visit_type_uintN(v, name, &value, UINT32_MAX, "uint32_t", errp)) {
        return false;
    }
    *obj = value;
    return true;
}

bool visit_type_size(Visitor *v, const char *name, uint64_t *obj,
                     Error **errp)
{
    assert(obj);
    if (v->type_size) {
        return v->type_size(v, name, obj, errp);
    }
    return v->type_uint64(v, name, obj, errp);
}

bool visit_type_bool(Visitor *v, const char *name, bool *obj, Error **errp)
{
    assert(obj);
    return v->type_bool(v, name, obj, errp);
}

bool visit_type_str(Visitor *v, const char *name, char **obj, Error **errp)
{
    bool ok;

    assert(obj);
    ok = v->type_str(v, name, obj, errp);
    if (v->type == VISITOR_INPUT) {
        assert(ok == !!*obj);
    }
    return ok;
}

bool visit_type_number(Visitor *v, const char *name, double *obj,
                       Error **errp)
{
    assert(obj);
    return v->type_number(v, name, obj, errp);
}

bool visit_type_any(Visitor *v, const char *name, QObject **obj,
                    Error **errp)
{
    bool ok;

    assert(obj);
    assert(v->type != VISITOR_OUTPUT || *obj);
    ok = v->type_any(v, name, obj, errp);
    if (v->type == VISITOR_INPUT) {
        assert(ok == !!*obj);
    }
    return ok;
}

bool visit_type_null(Visitor *v, const char *name, QNull **obj,
                     Error **errp)
{
    return v->type_null(v, name, obj, errp);
}

/* Input: read the name as a string, map it and apply the value policy. */
static bool visit_input_enum(Visitor *v, const char *name, int *obj,
                             const QEnumLookup *lookup, Error **errp)
{
    g_autofree char *str = NULL;
    int value;

    if (!v->type_str(v, name, &str, errp)) {
        return false;
    }
    for (value = 0; value < lookup->size; value++) {
        if (!strcmp(str, lookup->array[value])) {
            break;
        }
    }
    if (value == lookup->size) {
        error_setg(errp, "Parameter '%s' does not accept value '%s'",
                   name ? name : "null", str);
        return false;
    }
    if (lookup->special_features
        && !compat_policy_input_ok(lookup->special_features[value],
                                   &v->compat_policy,
                                   ERROR_CLASS_GENERIC_ERROR,
                                   "value", str, errp)) {
        return false;
    }
    *obj = value;
    return true;
}

/* Output: a value outside the table is a bug in the caller. */
static bool visit_output_enum(Visitor *v, const char *name, int *obj,
                              const QEnumLookup *lookup, Error **errp)
{
    char *str;

    assert(*obj >= 0 && *obj < lookup->size);
    str = (char *)lookup->array[*obj];
    return v->type_str(v, name, &str, errp);
}

bool visit_type_enum(Visitor *v, const char *name, int *obj,
                     const QEnumLookup *lookup, Error **errp)
{
    assert(obj && lookup);
    switch (v->type) {
    case VISITOR_INPUT:
        return visit_input_enum(v, name, obj, lookup, errp);
    case VISITOR_OUTPUT:
        return visit_output_enum(v, name, obj, lookup, errp);
    default:
        /* Clone and dealloc: the value lives inline, nothing to do. */
        return true;
    }
}
