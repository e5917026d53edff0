/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Print the generated query-qmp-schema data of qapi/qapi-schema.json as
 * JSON, so scripts/qapi-compare-schema.py can check the C the generator
 * wrote (not only its Python model) against the real QEMU.
 */
#include "qemu/osdep.h"
#include "qobject/qjson.h"
#include "qapi/qapi-introspect.h"

int main(void)
{
    QObject *schema = qmp_schema_qobject();
    GString *json = qobject_to_json(schema);

    printf("%s\n", json->str);
    g_string_free(json, true);
    qobject_unref(schema);
    return 0;
}
