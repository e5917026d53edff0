/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QAPI descriptions of nodes and backends (block/qapi.c), shared by the
 * QMP queries and HMP "info block".  Include it before block_int.h: the
 * generated BlkdebugEvent then replaces the block layer's copy.
 */
#ifndef BLOCK_QAPI_H
#define BLOCK_QAPI_H

#include "qapi/qapi-types-block-core.h"
#include "block/block-backend.h"

/**
 * bdrv_display_filename: the name queries show for @bs: its file name,
 * its file child's, or "PROTOCOL://" for a protocol without a file.
 */
const char *bdrv_display_filename(BlockDriverState *bs);

/**
 * bdrv_query_image_info: the ImageInfo of @bs; with @flat false, the
 * backing chain follows in backing-image.
 */
ImageInfo *bdrv_query_image_info(BlockDriverState *bs, bool flat);

/** bdrv_block_device_info: the BlockDeviceInfo of @bs. */
BlockDeviceInfo *bdrv_block_device_info(BlockDriverState *bs, bool flat);

/** blk_query_info: the BlockInfo query-block reports for @blk. */
BlockInfo *blk_query_info(BlockBackend *blk);

#endif
