/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Between qemu-img convert's command line (qemu-img-convert.c) and its
 * copy engine (qemu-img-convert-copy.c): the sources laid end to end
 * in the target, and how the target is to be written.
 */
#ifndef QEMU_IMG_CONVERT_H
#define QEMU_IMG_CONVERT_H

#include "qemu-img.h"

typedef struct ConvertSource {
    BlockBackend *blk;
    int64_t size;       /* in bytes, rounded up to whole sectors */
    int64_t start;      /* where it begins in the target */
} ConvertSource;

typedef struct ConvertJob {
    ConvertSource *src;
    int src_num;
    int64_t total_size;
    BlockBackend *target;
    int64_t buf_size;           /* largest data chunk */
    int64_t alignment;          /* the target's cluster size, or 1 */
    int64_t min_sparse;         /* -S in bytes; 0: allocate everything */
    int num_coroutines;         /* -m */
    bool out_of_order;          /* -W */
    bool compressed;            /* -c */
    int compress_flag;          /* request flag for compressed writes */
    bool target_has_backing;    /* copy only what the source's top has */
    bool has_zero_init;         /* the target reads as zeroes already */
    uint64_t rate_limit;        /* -r, bytes per second; 0: unlimited */
    int64_t allocated_bytes;    /* the 100% of the -p line */
} ConvertJob;

/**
 * convert_count_allocated:
 * Bytes of @job's sources that will be copied as data, which -p counts
 * as 100%; -errno if block status fails.
 */
int64_t convert_count_allocated(ConvertJob *job);

/**
 * convert_copy:
 * Copy @job's sources into its target; 0 or -errno after reporting.
 */
int convert_copy(ConvertJob *job);

#endif
