/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qemu-img subcommands for qcow2 metadata (measure, snapshot, amend)
 * and the helpers they and info share.
 */
#ifndef QEMU_IMG_SNAPSHOT_H
#define QEMU_IMG_SNAPSHOT_H

#include "block/snapshot.h"
#include "qobject/qlist.h"

/**
 * img_snapshot_dump:
 * Print one row of QEMU's snapshot table for @sn, or the heading if @sn
 * is NULL, without the newline.
 */
void img_snapshot_dump(const QEMUSnapshotInfo *sn);

/**
 * img_snapshot_dump_list:
 * Print "Snapshot list:" and the table of @bs's snapshots; nothing (and
 * false) if it has none.
 */
bool img_snapshot_dump_list(BlockDriverState *bs);

/**
 * img_snapshot_info_list:
 * The snapshots of @bs as a list of SnapshotInfo dicts for info's JSON,
 * or NULL if it has none.
 */
QList *img_snapshot_info_list(BlockDriverState *bs);

/**
 * img_snapshot_param_valid:
 * Whether the -l argument @param ("snapshot.id=...,snapshot.name=...")
 * names only those keys; reports QEMU's messages if not.
 */
bool img_snapshot_param_valid(const char *param);

/**
 * img_snapshot_load_tmp:
 * Show snapshot @id_or_name (by id, then by name), or the one @param
 * describes, instead of the active state of @bs.  Errors start with
 * "Failed to load snapshot: ", as QEMU's.
 */
bool img_snapshot_load_tmp(BlockDriverState *bs, const char *id_or_name,
                           const char *param, Error **errp);

/**
 * img_object_add:
 * Handle --object @optarg: secrets are accepted (nothing uses them yet),
 * other types are refused with QEMU's message and exit status 1.
 */
void img_object_add(const char *optarg);

/**
 * img_option_list_valid:
 * Whether an -o argument is acceptable as QEMU judges it: not empty, and
 * neither starting nor ending with a single comma.
 */
bool img_option_list_valid(const char *s);

/**
 * img_amend:
 * The amend subcommand; returns the exit status.
 */
int img_amend(int argc, char **argv);

/**
 * img_snapshot:
 * The snapshot subcommand; returns the exit status.
 */
int img_snapshot(int argc, char **argv);

/**
 * img_measure:
 * The measure subcommand; returns the exit status.
 */
int img_measure(int argc, char **argv);

#endif
