/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bdrv_amend_options(): hand the options to the format driver, or refuse
 * for formats that cannot change an existing image.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "block/amend.h"

int bdrv_amend_options(BlockDriverState *bs, QemuOpts *opts,
                       BlockDriverAmendStatusCB *status_cb, void *cb_opaque,
                       bool force, Error **errp)
{
    if (!bs->drv) {
        error_setg(errp, "Node is ejected");
        return -ENOMEDIUM;
    }
    if (!bs->drv->bdrv_amend_options) {
        error_setg(errp, "Block driver '%s' does not support option "
                   "amendment", bs->drv->format_name);
        return -ENOTSUP;
    }
    return bs->drv->bdrv_amend_options(bs, opts, status_cb, cb_opaque, force,
                                       errp);
}
