/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP "info block": backends (or, with -n, every node) in the layout
 * QEMU 7.2 prints, built from the same QAPI descriptions query-block
 * and query-named-block-nodes return.
 */
#include "qemu/osdep.h"
#include "hmp.h"
#include "qapi/qapi-commands-block-core.h"
#include "block/qapi.h"
#include "sysemu/blockdev.h"

static void hmp_print_cache(Monitor *mon, BlockDeviceInfo *inserted,
                            bool writeback)
{
    monitor_printf(mon, "    Cache mode:       %s%s%s\n",
                   writeback ? "writeback" : "writethrough",
                   inserted->cache->direct ? ", direct" : "",
                   inserted->cache->no_flush ? ", ignore flushes" : "");
}

static void hmp_print_node_lines(Monitor *mon, BlockDeviceInfo *inserted)
{
    if (inserted->has_backing_file) {
        monitor_printf(mon, "    Backing file:     %s (chain depth: %"
                       PRId64 ")\n", inserted->backing_file,
                       inserted->backing_file_depth);
    }
    if (inserted->detect_zeroes != BLOCKDEV_DETECT_ZEROES_OPTIONS_OFF) {
        monitor_printf(mon, "    Detect zeroes:    %s\n",
                       BlockdevDetectZeroesOptions_str(
                           inserted->detect_zeroes));
    }
}

static void hmp_print_block_info(Monitor *mon, BlockInfo *info)
{
    BlockDeviceInfo *inserted = info->inserted;

    if (info->device[0]) {
        monitor_printf(mon, "%s", info->device);
        if (inserted) {
            monitor_printf(mon, " (%s)", inserted->node_name);
        }
    } else {
        monitor_printf(mon, "%s", inserted ? inserted->node_name : "");
    }
    if (!inserted) {
        monitor_printf(mon, ": [not inserted]\n");
    } else {
        monitor_printf(mon, ": %s (%s%s%s)\n", inserted->file,
                       inserted->drv, inserted->ro ? ", read-only" : "",
                       inserted->encrypted ? ", encrypted" : "");
    }
    if (info->has_qdev) {
        monitor_printf(mon, "    Attached to:      %s\n", info->qdev);
    }
    if (info->removable) {
        monitor_printf(mon, "    Removable device: %slocked, tray %s\n",
                       info->locked ? "" : "not ",
                       info->has_tray_open && info->tray_open ? "open"
                                                              : "closed");
    }
    if (!inserted) {
        return;
    }
    hmp_print_cache(mon, inserted, inserted->cache->writeback);
    hmp_print_node_lines(mon, inserted);
}

static void hmp_info_block_nodes(Monitor *mon)
{
    g_autoptr(BlockDeviceInfoList) list =
        qmp_query_named_block_nodes(true, true, NULL);
    BlockDeviceInfoList *l;

    for (l = list; l; l = l->next) {
        BlockDeviceInfo *n = l->value;

        monitor_printf(mon, "%s%s: %s (%s%s%s)\n", l == list ? "" : "\n",
                       n->node_name, n->file, n->drv,
                       n->ro ? ", read-only" : "",
                       n->encrypted ? ", encrypted" : "");
        hmp_print_cache(mon, n, true);
        hmp_print_node_lines(mon, n);
    }
}

void hmp_info_block(Monitor *mon, const QDict *qdict)
{
    const char *device = qdict_get_try_str(qdict, "device");
    BlockBackend *blk = NULL;
    bool first = true;
    int pass;

    if (qdict_haskey(qdict, "nodes")) {
        hmp_info_block_nodes(mon);
        return;
    }
    /* Named backends, then the anonymous ones of device stubs */
    for (pass = 0; pass < 2; pass++) {
        while ((blk = pass ? blockdev_next_device_blk(blk) : blk_next(blk))) {
            g_autoptr(BlockInfo) info = NULL;

            if (device && strcmp(device, blk_name(blk))) {
                first = false;
                continue;
            }
            info = blk_query_info(blk);
            /* QEMU separates by position, so a filtered one may start so */
            if (!first) {
                monitor_printf(mon, "\n");
            }
            first = false;
            hmp_print_block_info(mon, info);
        }
    }
}
