/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal snapshots as the block layer sees them: a driver-independent
 * description (QEMUSnapshotInfo) and the calls qemu-img makes on any
 * node, each forwarded to the format driver's callback when it has one.
 */
#ifndef BLOCK_SNAPSHOT_H
#define BLOCK_SNAPSHOT_H

#include "block/block.h"

/* One internal snapshot, as QEMU's tools list it. */
typedef struct QEMUSnapshotInfo {
    char id_str[128];           /* unique, often a number */
    char name[256];             /* the user's tag */
    uint64_t vm_state_size;     /* bytes of saved VM state */
    uint32_t date_sec;          /* wall clock when it was taken */
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;     /* guest clock when it was taken */
    uint64_t icount;            /* instruction count, -1 if unknown */
} QEMUSnapshotInfo;

/**
 * bdrv_snapshot_list:
 * Point *@psn_info at a new array (g_free() it) of the snapshots of @bs
 * and return how many there are, or -errno (-ENOTSUP if the format has
 * no internal snapshots; *@psn_info is then NULL).
 */
int bdrv_snapshot_list(BlockDriverState *bs, QEMUSnapshotInfo **psn_info);

/**
 * bdrv_snapshot_load_tmp:
 * Make the read-only node @bs show the snapshot whose id is @snapshot_id
 * and/or whose name is @name (both must match when both are given)
 * instead of its active state, until it is closed.  0 or -errno with
 * @errp set (-ENOENT: no such snapshot).
 */
int bdrv_snapshot_load_tmp(BlockDriverState *bs, const char *snapshot_id,
                           const char *name, Error **errp);

/**
 * bdrv_snapshot_load_tmp_by_id_or_name:
 * bdrv_snapshot_load_tmp() by id, then, failing that, by name.
 */
int bdrv_snapshot_load_tmp_by_id_or_name(BlockDriverState *bs,
                                         const char *id_or_name,
                                         Error **errp);

#endif
