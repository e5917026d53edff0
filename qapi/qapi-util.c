/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers used by the QAPI runtime and by generated code: enum name
 * tables.  qapi_bool_parse(), declared in qapi/util.h as in QEMU, lives
 * in util/cutils.c with the other option parsers.
 */
#include "qemu/osdep.h"
#include "qapi/util.h"

const char *qapi_enum_lookup(const QEnumLookup *lookup, int val)
{
    assert(val >= 0 && val < lookup->size);
    return lookup->array[val];
}

int qapi_enum_parse(const QEnumLookup *lookup, const char *buf,
                    int def, Error **errp)
{
    int i;

    if (!buf) {
        return def;
    }
    for (i = 0; i < lookup->size; i++) {
        if (!strcmp(buf, lookup->array[i])) {
            return i;
        }
    }
    error_setg(errp, "invalid parameter value: %s", buf);
    return def;
}
