/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system binary's block devices: nodes the monitor owns (blockdev-add,
 * -blockdev), backends of -drive and the guest device stubs of -device.
 * blockdev.c and system/vl-block.c implement it.
 */
#ifndef SYSEMU_BLOCKDEV_H
#define SYSEMU_BLOCKDEV_H

#include "block/block-backend.h"

/**
 * blockdev_open_monitor_node: open a node from @options (nested or
 * flattened; consumed) whose node-name is required, and keep a monitor
 * reference to it until blockdev-del or blockdev_close_all().
 */
BlockDriverState *blockdev_open_monitor_node(QDict *options, Error **errp);

/**
 * blockdev_lookup_bs: the root node of backend @device or the node
 * @node_name (either may be NULL), with QEMU's "Cannot find device=..."
 * error.
 */
BlockDriverState *blockdev_lookup_bs(const char *device,
                                     const char *node_name, Error **errp);

/** blockdev_close_all: drop every monitor reference (at shutdown). */
void blockdev_close_all(void);

/**
 * blockdev_next_device_blk: iterate over the anonymous backends of guest
 * device stubs (those whose drive= named a node); NULL gives the first.
 */
BlockBackend *blockdev_next_device_blk(BlockBackend *blk);

/**
 * blk_by_qdev_id: the backend of the guest device stub with id @id;
 * QEMU's errors for a virtio proxy (the id names the PCI device, not
 * the disk) and for an unknown id.
 */
BlockBackend *blk_by_qdev_id(const char *id, Error **errp);

#endif
