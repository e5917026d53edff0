/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers used by the QAPI runtime and by generated code: enum name
 * tables and the on/off boolean spelling shared with option parsing.
 */
#include "qemu/osdep.h"
#include "qapi/util.h"
#include "qapi/qmp/qerror.h"

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

bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     Error **errp)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(value, yes[i])) {
            *obj = true;
            return true;
        }
        if (!strcmp(value, no[i])) {
            *obj = false;
            return true;
        }
    }
    error_setg(errp, QERR_INVALID_PARAMETER_VALUE, name, "'on' or 'off'");
    return false;
}
