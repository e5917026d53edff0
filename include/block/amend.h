/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Changing the options of an existing image in place (qemu-img amend):
 * the generic entry point and the progress callback drivers report to.
 */
#ifndef BLOCK_AMEND_H
#define BLOCK_AMEND_H

#include "block/block.h"
#include "qemu/option.h"

/* Progress of a long amendment: @offset of @total_work_size done. */
typedef void BlockDriverAmendStatusCB(BlockDriverState *bs, int64_t offset,
                                      int64_t total_work_size,
                                      void *opaque);

/**
 * bdrv_amend_options:
 * Change the options of the image @bs (opened read-write) to those set
 * in @opts, which were parsed against the driver's amend_opts.  Options
 * not set stay as they are.  @status_cb (may be NULL) hears of progress;
 * @force allows changes the driver would otherwise refuse as risky.
 * 0 or -errno with @errp set.
 */
int bdrv_amend_options(BlockDriverState *bs, QemuOpts *opts,
                       BlockDriverAmendStatusCB *status_cb, void *cb_opaque,
                       bool force, Error **errp);

#endif
