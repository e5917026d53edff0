/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -blockdev and -drive for the system binary.  Both only open images:
 * a -blockdev node is referenced by its node-name, a -drive by its
 * BlockBackend name; the monitor (HMP qemu-io) reaches them that way.
 */
#include "qemu/osdep.h"
#include "system/vl-block.h"
#include "block/block-backend.h"
#include "qemu/keyval.h"
#include "qobject/qjson.h"

static GPtrArray *vl_nodes;     /* BlockDriverState * from -blockdev */
static GPtrArray *vl_drives;    /* BlockBackend * from -drive */

static QDict *vl_block_parse(const char *arg, Error **errp)
{
    QObject *obj;
    QDict *dict;

    if (arg[0] != '{') {
        return keyval_parse(arg, NULL, NULL, errp);
    }
    obj = qobject_from_json(arg, errp);
    if (!obj) {
        return NULL;
    }
    dict = qobject_to(QDict, obj);
    if (!dict) {
        error_setg(errp, "Invalid JSON object given");
        qobject_unref(obj);
    }
    return dict;
}

bool vl_blockdev_add(const char *arg, Error **errp)
{
    QDict *opts = vl_block_parse(arg, errp);
    BlockDriverState *bs;

    if (!opts) {
        return false;
    }
    if (!qdict_haskey(opts, "node-name")) {
        error_setg(errp, "'node-name' must be specified for the root node");
        qobject_unref(opts);
        return false;
    }
    if (!qdict_haskey(opts, "driver")) {
        error_setg(errp, "Parameter 'driver' is missing");
        qobject_unref(opts);
        return false;
    }
    bdrv_init();
    bs = bdrv_open(NULL, NULL, opts, BDRV_O_RDWR, errp);
    if (!bs) {
        return false;
    }
    if (!vl_nodes) {
        vl_nodes = g_ptr_array_new();
    }
    g_ptr_array_add(vl_nodes, bs);
    return true;
}

/* Move the -drive keys that are not block options out of @opts. */
static bool vl_drive_take_keys(QDict *opts, char **id, char **file,
                               Error **errp)
{
    const char *iface = qdict_get_try_str(opts, "if");
    const char *format = qdict_get_try_str(opts, "format");

    if (!iface || strcmp(iface, "none")) {
        error_setg(errp, "if=%s is not supported by this build (only "
                   "if=none)", iface ? iface : "ide");
        return false;
    }
    *id = g_strdup(qdict_get_try_str(opts, "id"));
    *file = g_strdup(qdict_get_try_str(opts, "file"));
    if (format) {
        qdict_put_str(opts, "driver", format);
    }
    qdict_del(opts, "if");
    qdict_del(opts, "id");
    qdict_del(opts, "file");
    qdict_del(opts, "format");
    return true;
}

bool vl_drive_add(const char *arg, Error **errp)
{
    QDict *opts = vl_block_parse(arg, errp);
    g_autofree char *id = NULL;
    g_autofree char *file = NULL;
    BlockBackend *blk;

    if (!opts) {
        return false;
    }
    if (!vl_drive_take_keys(opts, &id, &file, errp)) {
        qobject_unref(opts);
        return false;
    }
    if (!vl_drives) {
        vl_drives = g_ptr_array_new();
    }
    if (!id) {
        id = g_strdup_printf("none%u", vl_drives->len);
    }
    bdrv_init();
    blk = blk_new_open(file, NULL, opts, BDRV_O_RDWR, errp);
    if (!blk) {
        return false;
    }
    if (!blk_set_name(blk, id, errp)) {
        blk_unref(blk);
        return false;
    }
    g_ptr_array_add(vl_drives, blk);
    return true;
}

void vl_block_cleanup(void)
{
    guint i;

    for (i = 0; vl_drives && i < vl_drives->len; i++) {
        blk_unref(g_ptr_array_index(vl_drives, i));
    }
    for (i = 0; vl_nodes && i < vl_nodes->len; i++) {
        bdrv_unref(g_ptr_array_index(vl_nodes, i));
    }
    g_clear_pointer(&vl_drives, g_ptr_array_unref);
    g_clear_pointer(&vl_nodes, g_ptr_array_unref);
}
