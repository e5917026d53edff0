/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal snapshot calls on any node: checks shared by every format,
 * then the format driver's callback, or QEMU's refusal for formats
 * without internal snapshots.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "block/snapshot.h"

int bdrv_snapshot_list(BlockDriverState *bs, QEMUSnapshotInfo **psn_info)
{
    BlockDriver *drv = bs->drv;

    *psn_info = NULL;
    if (!drv) {
        return -ENOMEDIUM;
    }
    if (drv->bdrv_snapshot_list) {
        return drv->bdrv_snapshot_list(bs, psn_info);
    }
    return -ENOTSUP;
}

int bdrv_snapshot_load_tmp(BlockDriverState *bs, const char *snapshot_id,
                           const char *name, Error **errp)
{
    BlockDriver *drv = bs->drv;

    if (!drv) {
        error_setg(errp, "Device has no medium");
        return -ENOMEDIUM;
    }
    if (!snapshot_id && !name) {
        error_setg(errp, "snapshot_id and name are both NULL");
        return -EINVAL;
    }
    if (drv->bdrv_snapshot_load_tmp) {
        return drv->bdrv_snapshot_load_tmp(bs, snapshot_id, name, errp);
    }
    /* QEMU names the device here; nodes opened by the tools have none. */
    error_setg(errp, "Block format '%s' used by device '' does not support "
               "temporarily loading internal snapshots", drv->format_name);
    return -ENOTSUP;
}

int bdrv_snapshot_load_tmp_by_id_or_name(BlockDriverState *bs,
                                         const char *id_or_name,
                                         Error **errp)
{
    Error *local_err = NULL;
    int ret = bdrv_snapshot_load_tmp(bs, id_or_name, NULL, &local_err);

    if (ret == -ENOENT || ret == -EINVAL) {
        error_free(local_err);
        local_err = NULL;
        ret = bdrv_snapshot_load_tmp(bs, NULL, id_or_name, &local_err);
    }
    error_propagate(errp, local_err);
    return ret;
}
