/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Block devices from the system binary's command line: -blockdev nodes
 * and -drive if=none backends, kept until exit.
 */
#ifndef SYSTEM_VL_BLOCK_H
#define SYSTEM_VL_BLOCK_H

#include "qapi/error.h"

/**
 * vl_blockdev_add: open the node that a -blockdev argument describes
 * (keyval "driver=null-co,node-name=n0" or JSON "{...}"); its node-name
 * is required.  The node lives until vl_block_cleanup().
 */
bool vl_blockdev_add(const char *arg, Error **errp);

/**
 * vl_drive_add: open the image of a -drive argument ("if=none,id=d0,
 * file=...,format=raw"; other keys are block options) behind a backend
 * named by its id ("none0", "none1", ... without one).  if=none and
 * if=virtio (which adds an anonymous virtio-blk-pci stub) are supported.
 */
bool vl_drive_add(const char *arg, Error **errp);

/**
 * vl_device_add_opts: a -device argument ("virtio-blk-pci,drive=d0,id=v0";
 * virtio-blk, virtio-blk-pci, scsi-hd or ide-hd): a guest device stub on
 * the -drive backend or, for a node-name, a new anonymous backend.
 */
bool vl_device_add_opts(const char *arg, Error **errp);

/**
 * vl_block_cleanup: at exit, drain, then close every device stub,
 * backend and monitor-owned node; closing flushes and unlocks images.
 */
void vl_block_cleanup(void);

#endif
