/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by QAPI runtime and generated code: enum lookup tables,
 * parsing of enum names and booleans, and list-building macros.
 */
#ifndef QAPI_UTIL_H
#define QAPI_UTIL_H

#include "qapi/error.h"

/* Bits of QEnumLookup.special_features and of member/command features. */
typedef enum QapiSpecialFeature {
    QAPI_DEPRECATED,
    QAPI_UNSTABLE,
} QapiSpecialFeature;

/*
 * The table generated for every enum: the wire names indexed by C value,
 * optional per-value special feature bits, and the count.
 */
typedef struct QEnumLookup {
    const char *const *array;
    const unsigned char *const special_features;
    const int size;
} QEnumLookup;

/**
 * qapi_enum_lookup:
 * Return the wire name of @val in @lookup; @val must be in range.
 */
const char *qapi_enum_lookup(const QEnumLookup *lookup, int val);

/**
 * qapi_enum_parse:
 * Return the value whose wire name is @buf.  A NULL @buf returns @def
 * without error; an unknown name sets @errp ("invalid parameter value:
 * BUF") and returns @def.
 */
int qapi_enum_parse(const QEnumLookup *lookup, const char *buf,
                    int def, Error **errp);

/**
 * qapi_bool_parse:
 * Parse @value as a boolean the way QEMU options do: "on", "yes", "true",
 * "y" are true; "off", "no", "false", "n" are false.  Anything else sets
 * @errp ("Parameter 'NAME' expects 'on' or 'off'") and returns false.
 * Defined in util/cutils.c (also declared in qemu/cutils.h).
 */
bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     Error **errp);

/* Prepend @element to the QAPI list at @list (a FOOList *). */
#define QAPI_LIST_PREPEND(list, element) do { \
    typeof(list) _tmp = g_malloc(sizeof(*(list))); \
    _tmp->value = (element); \
    _tmp->next = (list); \
    (list) = _tmp; \
} while (0)

/*
 * Append @element at @tail, where @tail starts as &head (a FOOList **)
 * and is advanced by each append, so building a list stays O(n).
 */
#define QAPI_LIST_APPEND(tail, element) do { \
    *(tail) = g_malloc0(sizeof(**(tail))); \
    (*(tail))->value = (element); \
    (tail) = &(*(tail))->next; \
} while (0)

/* Return the number of elements of the QAPI list @list. */
#define QAPI_LIST_LENGTH(list) ({ \
    size_t _len = 0; \
    typeof(list) _tail; \
    for (_tail = (list); _tail != NULL; _tail = _tail->next) { \
        _len++; \
    } \
    _len; \
})

#endif
