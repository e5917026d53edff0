/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small QAPI schema for the runtime tests, written by hand in the shape
 * scripts/qapi generates (QEMU 7.2 style, with has_ flags), so the
 * visitors are tested exactly as generated code will drive them:
 *
 *   { 'enum': 'TestEnum',
 *     'data': [ 'one', 'two', { 'name': 'old', 'features': ['deprecated'] } ] }
 *   { 'struct': 'TestInner', 'data': { 'num': 'int', '*flag': 'bool' } }
 *   { 'alternate': 'TestAlt',
 *     'data': { 'i': 'int', 's': 'str', 'o': 'TestInner' } }
 *   { 'struct': 'TestStruct',
 *     'data': { 'integer': 'int', 'boolean': 'bool', 'string': 'str',
 *               '*inner': 'TestInner', '*list': ['TestInner'],
 *               '*ints': ['int'], '*e': 'TestEnum', '*u8': 'uint8',
 *               '*i16': 'int16', '*u64': 'uint64', '*sz': 'size',
 *               '*num': 'number', '*any': 'any', '*nul': 'null',
 *               '*alt': 'TestAlt',
 *               '*dep': { 'type': 'int', 'features': ['deprecated'] } } }
 *   { 'union': 'TestUnion', 'base': { 'kind': 'TestEnum', 'common': 'str' },
 *     'discriminator': 'kind',
 *     'data': { 'one': 'TestInner', 'two': 'TestStruct' } }
 */
#ifndef TESTS_UNIT_TEST_QAPI_SCHEMA_H
#define TESTS_UNIT_TEST_QAPI_SCHEMA_H

#include "qapi/visitor.h"

typedef enum TestEnum {
    TEST_ENUM_ONE,
    TEST_ENUM_TWO,
    TEST_ENUM_OLD,
    TEST_ENUM__MAX,
} TestEnum;

extern const QEnumLookup TestEnum_lookup;

typedef struct TestInner TestInner;
typedef struct TestInnerList TestInnerList;
typedef struct intList intList;
typedef struct TestAlt TestAlt;
typedef struct TestStruct TestStruct;
typedef struct TestUnion TestUnion;

struct TestInner {
    int64_t num;
    bool has_flag;
    bool flag;
};

struct TestInnerList {
    TestInnerList *next;
    TestInner *value;
};

struct intList {
    intList *next;
    int64_t value;
};

struct TestAlt {
    QType type;
    union {
        int64_t i;
        char *s;
        TestInner o;
    } u;
};

struct TestStruct {
    int64_t integer;
    bool boolean;
    char *string;
    bool has_inner;
    TestInner *inner;
    bool has_list;
    TestInnerList *list;
    bool has_ints;
    intList *ints;
    bool has_e;
    TestEnum e;
    bool has_u8;
    uint8_t u8;
    bool has_i16;
    int16_t i16;
    bool has_u64;
    uint64_t u64;
    bool has_sz;
    uint64_t sz;
    bool has_num;
    double num;
    bool has_any;
    QObject *any;
    bool has_nul;
    QNull *nul;
    bool has_alt;
    TestAlt *alt;
    bool has_dep;
    int64_t dep;
};

struct TestUnion {
    TestEnum kind;
    char *common;
    union {
        TestInner one;
        TestStruct two;
    } u;
};

void qapi_free_TestInner(TestInner *obj);
void qapi_free_TestInnerList(TestInnerList *obj);
void qapi_free_intList(intList *obj);
void qapi_free_TestAlt(TestAlt *obj);
void qapi_free_TestStruct(TestStruct *obj);
void qapi_free_TestUnion(TestUnion *obj);

bool visit_type_TestEnum(Visitor *v, const char *name, TestEnum *obj,
                         Error **errp);
bool visit_type_TestInner_members(Visitor *v, TestInner *obj, Error **errp);
bool visit_type_TestInner(Visitor *v, const char *name, TestInner **obj,
                          Error **errp);
bool visit_type_TestInnerList(Visitor *v, const char *name,
                              TestInnerList **obj, Error **errp);
bool visit_type_intList(Visitor *v, const char *name, intList **obj,
                        Error **errp);
bool visit_type_TestAlt(Visitor *v, const char *name, TestAlt **obj,
                        Error **errp);
bool visit_type_TestStruct_members(Visitor *v, TestStruct *obj,
                                   Error **errp);
bool visit_type_TestStruct(Visitor *v, const char *name, TestStruct **obj,
                           Error **errp);
bool visit_type_TestUnion_members(Visitor *v, TestUnion *obj, Error **errp);
bool visit_type_TestUnion(Visitor *v, const char *name, TestUnion **obj,
                          Error **errp);

#endif
