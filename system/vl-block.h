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
 * named by its id ("none0", "none1", ... without one).  Only if=none is
 * supported, as there are no guest devices.
 */
bool vl_drive_add(const char *arg, Error **errp);

/** vl_block_cleanup: drop every node and backend the command line made. */
void vl_block_cleanup(void);

#endif
