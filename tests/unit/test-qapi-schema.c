/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hand-written stand-in for the generated types and visit functions of
 * the test schema described in test-qapi-schema.h.  Keep the shapes
 * identical to what scripts/qapi emits: the runtime is tested through
 * exactly these call sequences.
 */
#include "qemu/osdep.h"
#include "qapi/dealloc-visitor.h"
#include "qapi/qmp/qerror.h"
#include "qobject/qnull.h"
#include "test-qapi-schema.h"

static const char *const TestEnum_names[] = {
    [TEST_ENUM_ONE] = "one",
    [TEST_ENUM_TWO] = "two",
    [TEST_ENUM_OLD] = "old",
};

static const unsigned char TestEnum_features[] = {
    [TEST_ENUM_OLD] = 1u << QAPI_DEPRECATED,
};

const QEnumLookup TestEnum_lookup = {
    .array = TestEnum_names,
    .special_features = TestEnum_features,
    .size = TEST_ENUM__MAX,
};

bool visit_type_TestEnum(Visitor *v, const char *name, TestEnum *obj,
                         Error **errp)
{
    int value = *obj;
    bool ok = visit_type_enum(v, name, &value, &TestEnum_lookup, errp);
    *obj = value;
    return ok;
}

bool visit_type_TestInner_members(Visitor *v, TestInner *obj, Error **errp)
{
    if (!visit_type_int(v, "num", &obj->num, errp)) {
        return false;
    }
    if (visit_optional(v, "flag", &obj->has_flag)) {
        if (!visit_type_bool(v, "flag", &obj->flag, errp)) {
            return false;
        }
    }
    return true;
}

bool visit_type_TestInner(Visitor *v, const char *name, TestInner **obj,
                          Error **errp)
{
    bool ok = false;

    if (!visit_start_struct(v, name, (void **)obj, sizeof(TestInner),
                            errp)) {
        return false;
    }
    if (!*obj) {
        /* incomplete */
        assert(visit_is_dealloc(v));
        ok = true;
        goto out_obj;
    }
    if (!visit_type_TestInner_members(v, *obj, errp)) {
        goto out_obj;
    }
    ok = visit_check_struct(v, errp);
out_obj:
    visit_end_struct(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_TestInner(*obj);
        *obj = NULL;
    }
    return ok;
}

bool visit_type_TestInnerList(Visitor *v, const char *name,
                              TestInnerList **obj, Error **errp)
{
    bool ok = false;
    TestInnerList *tail;
    size_t size = sizeof(**obj);

    if (!visit_start_list(v, name, (GenericList **)obj, size, errp)) {
        return false;
    }
    for (tail = *obj; tail;
         tail = (TestInnerList *)visit_next_list(v, (GenericList *)tail,
                                                 size)) {
        if (!visit_type_TestInner(v, NULL, &tail->value, errp)) {
            goto out_obj;
        }
    }
    ok = visit_check_list(v, errp);
out_obj:
    visit_end_list(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_TestInnerList(*obj);
        *obj = NULL;
    }
    return ok;
}

bool visit_type_intList(Visitor *v, const char *name, intList **obj,
                        Error **errp)
{
    bool ok = false;
    intList *tail;
    size_t size = sizeof(**obj);

    if (!visit_start_list(v, name, (GenericList **)obj, size, errp)) {
        return false;
    }
    for (tail = *obj; tail;
         tail = (intList *)visit_next_list(v, (GenericList *)tail, size)) {
        if (!visit_type_int(v, NULL, &tail->value, errp)) {
            goto out_obj;
        }
    }
    ok = visit_check_list(v, errp);
out_obj:
    visit_end_list(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_intList(*obj);
        *obj = NULL;
    }
    return ok;
}

bool visit_type_TestAlt(Visitor *v, const char *name, TestAlt **obj,
                        Error **errp)
{
    bool ok = false;

    if (!visit_start_alternate(v, name, (GenericAlternate **)obj,
                               sizeof(**obj), errp)) {
        return false;
    }
    if (!*obj) {
        /* incomplete */
        assert(visit_is_dealloc(v));
        ok = true;
        goto out_obj;
    }
    switch ((*obj)->type) {
    case QTYPE_QNUM:
        ok = visit_type_int(v, name, &(*obj)->u.i, errp);
        break;
    case QTYPE_QSTRING:
        ok = visit_type_str(v, name, &(*obj)->u.s, errp);
        break;
    case QTYPE_QDICT:
        if (!visit_start_struct(v, name, NULL, 0, errp)) {
            break;
        }
        if (visit_type_TestInner_members(v, &(*obj)->u.o, errp)) {
            ok = visit_check_struct(v, errp);
        }
        visit_end_struct(v, NULL);
        break;
    case QTYPE_NONE:
        abort();
    default:
        assert(visit_is_input(v));
        error_setg(errp, QERR_INVALID_PARAMETER_TYPE, name ? name : "null",
                   "TestAlt");
        /* Avoid passing invalid *obj to qapi_free_TestAlt() */
        g_free(*obj);
        *obj = NULL;
    }
out_obj:
    visit_end_alternate(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_TestAlt(*obj);
        *obj = NULL;
    }
    return ok;
}

/* The optional scalar members of TestStruct, split to keep it short. */
static bool visit_type_TestStruct_scalars(Visitor *v, TestStruct *obj,
                                          Error **errp)
{
    if (visit_optional(v, "e", &obj->has_e)) {
        if (!visit_type_TestEnum(v, "e", &obj->e, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "u8", &obj->has_u8)) {
        if (!visit_type_uint8(v, "u8", &obj->u8, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "i16", &obj->has_i16)) {
        if (!visit_type_int16(v, "i16", &obj->i16, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "u64", &obj->has_u64)) {
        if (!visit_type_uint64(v, "u64", &obj->u64, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "sz", &obj->has_sz)) {
        if (!visit_type_size(v, "sz", &obj->sz, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "num", &obj->has_num)) {
        if (!visit_type_number(v, "num", &obj->num, errp)) {
            return false;
        }
    }
    return true;
}

bool visit_type_TestStruct_members(Visitor *v, TestStruct *obj,
                                   Error **errp)
{
    if (!visit_type_int(v, "integer", &obj->integer, errp)) {
        return false;
    }
    if (!visit_type_bool(v, "boolean", &obj->boolean, errp)) {
        return false;
    }
    if (!visit_type_str(v, "string", &obj->string, errp)) {
        return false;
    }
    if (visit_optional(v, "inner", &obj->has_inner)) {
        if (!visit_type_TestInner(v, "inner", &obj->inner, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "list", &obj->has_list)) {
        if (!visit_type_TestInnerList(v, "list", &obj->list, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "ints", &obj->has_ints)) {
        if (!visit_type_intList(v, "ints", &obj->ints, errp)) {
            return false;
        }
    }
    if (!visit_type_TestStruct_scalars(v, obj, errp)) {
        return false;
    }
    if (visit_optional(v, "any", &obj->has_any)) {
        if (!visit_type_any(v, "any", &obj->any, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "nul", &obj->has_nul)) {
        if (!visit_type_null(v, "nul", &obj->nul, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "alt", &obj->has_alt)) {
        if (!visit_type_TestAlt(v, "alt", &obj->alt, errp)) {
            return false;
        }
    }
    if (visit_optional(v, "dep", &obj->has_dep)) {
        if (visit_policy_reject(v, "dep", 1u << QAPI_DEPRECATED, errp)) {
            return false;
        }
        if (!visit_policy_skip(v, "dep", 1u << QAPI_DEPRECATED)) {
            if (!visit_type_int(v, "dep", &obj->dep, errp)) {
                return false;
            }
        }
    }
    return true;
}

bool visit_type_TestStruct(Visitor *v, const char *name, TestStruct **obj,
                           Error **errp)
{
    bool ok = false;

    if (!visit_start_struct(v, name, (void **)obj, sizeof(TestStruct),
                            errp)) {
        return false;
    }
    if (!*obj) {
        /* incomplete */
        assert(visit_is_dealloc(v));
        ok = true;
        goto out_obj;
    }
    if (!visit_type_TestStruct_members(v, *obj, errp)) {
        goto out_obj;
    }
    ok = visit_check_struct(v, errp);
out_obj:
    visit_end_struct(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_TestStruct(*obj);
        *obj = NULL;
    }
    return ok;
}

bool visit_type_TestUnion_members(Visitor *v, TestUnion *obj, Error **errp)
{
    if (!visit_type_TestEnum(v, "kind", &obj->kind, errp)) {
        return false;
    }
    if (!visit_type_str(v, "common", &obj->common, errp)) {
        return false;
    }
    switch (obj->kind) {
    case TEST_ENUM_ONE:
        return visit_type_TestInner_members(v, &obj->u.one, errp);
    case TEST_ENUM_TWO:
        return visit_type_TestStruct_members(v, &obj->u.two, errp);
    case TEST_ENUM_OLD:
        break;
    default:
        abort();
    }
    return true;
}

bool visit_type_TestUnion(Visitor *v, const char *name, TestUnion **obj,
                          Error **errp)
{
    bool ok = false;

    if (!visit_start_struct(v, name, (void **)obj, sizeof(TestUnion),
                            errp)) {
        return false;
    }
    if (!*obj) {
        /* incomplete */
        assert(visit_is_dealloc(v));
        ok = true;
        goto out_obj;
    }
    if (!visit_type_TestUnion_members(v, *obj, errp)) {
        goto out_obj;
    }
    ok = visit_check_struct(v, errp);
out_obj:
    visit_end_struct(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_TestUnion(*obj);
        *obj = NULL;
    }
    return ok;
}

/* The generated qapi_free_FOO() all look alike. */
#define TEST_DEFINE_FREE(type)                          \
    void qapi_free_##type(type *obj)                    \
    {                                                   \
        Visitor *v;                                     \
                                                        \
        if (!obj) {                                     \
            return;                                     \
        }                                               \
        v = qapi_dealloc_visitor_new();                 \
        visit_type_##type(v, NULL, &obj, NULL);         \
        visit_free(v);                                  \
    }

TEST_DEFINE_FREE(TestInner)
TEST_DEFINE_FREE(TestInnerList)
TEST_DEFINE_FREE(intList)
TEST_DEFINE_FREE(TestAlt)
TEST_DEFINE_FREE(TestStruct)
TEST_DEFINE_FREE(TestUnion)
