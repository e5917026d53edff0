/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Preallocation modes for image creation and truncate, named as QEMU's
 * QAPI PreallocMode.  When the block QAPI schema arrives it generates this
 * type; this header then just includes the generated one.
 */
#ifndef BLOCK_PREALLOC_H
#define BLOCK_PREALLOC_H

typedef enum PreallocMode {
    PREALLOC_MODE_OFF,
    PREALLOC_MODE_METADATA,
    PREALLOC_MODE_FALLOC,
    PREALLOC_MODE_FULL,
    PREALLOC_MODE__MAX,
} PreallocMode;

#endif
