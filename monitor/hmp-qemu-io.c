/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HMP "qemu-io" command: runs one command of the qemu-io tool on a
 * drive (BlockBackend name), node (node-name) or, with -d, guest device.  As in QEMU 7.2 the
 * command's output goes to the process's stdout, not to the monitor.
 */
#include "qemu/osdep.h"
#include "hmp.h"
#include "qemu-io.h"
#include "block/aio.h"
#include "sysemu/blockdev.h"

/* The backend to run on: the named drive, or a temporary one on a node. */
static BlockBackend *hmp_qemu_io_blk(const char *device, bool *temporary,
                                     Error **errp)
{
    BlockBackend *blk = blk_by_name(device);
    BlockDriverState *bs;

    *temporary = false;
    if (blk) {
        return blk;
    }
    bs = bdrv_find_node(device);
    if (!bs) {
        error_setg(errp, "Cannot find device='' nor node-name='%s'", device);
        return NULL;
    }
    blk = blk_new(qemu_get_aio_context(), 0, BLK_PERM_ALL);
    if (blk_insert_bs(blk, bs, errp) < 0) {
        blk_unref(blk);
        return NULL;
    }
    *temporary = true;
    return blk;
}

void hmp_qemu_io(Monitor *mon, const QDict *qdict)
{
    const char *device = qdict_get_str(qdict, "device");
    bool temporary;
    BlockBackend *blk;
    Error *err = NULL;

    if (qdict_haskey(qdict, "qdev")) {
        blk = blk_by_qdev_id(device, &err);
        temporary = false;
    } else {
        blk = hmp_qemu_io_blk(device, &temporary, &err);
    }
    if (!blk) {
        monitor_printf(mon, "Error: %s\n", error_get_pretty(err));
        error_free(err);
        return;
    }
    qemuio_command(blk, qdict_get_str(qdict, "command"));
    qemuio_complete_aio();
    fflush(stdout);
    if (temporary) {
        blk_unref(blk);
    }
}
