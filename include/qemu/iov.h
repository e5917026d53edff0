/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scatter/gather I/O vectors: QEMUIOVector, the buffer type of every block
 * request, and helpers that copy between iovecs and flat buffers.
 */
#ifndef QEMU_IOV_H
#define QEMU_IOV_H

#include <sys/uio.h>

/* A growable list of iovec elements plus the total byte count. */
typedef struct QEMUIOVector {
    struct iovec *iov;
    int niov;
    int nalloc;      /* -1: iov points at local_iov or external memory */
    size_t size;
    struct iovec local_iov;
} QEMUIOVector;

/**
 * iov_from_buf: copy @bytes of @buf into @iov starting at @offset.
 * Returns the number of bytes copied (less if the iovec is shorter).
 */
size_t iov_from_buf(const struct iovec *iov, unsigned int iov_cnt,
                    size_t offset, const void *buf, size_t bytes);

/**
 * iov_to_buf: copy @bytes at @offset of @iov into @buf.
 * Returns the number of bytes copied.
 */
size_t iov_to_buf(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, void *buf, size_t bytes);

/**
 * iov_memset: fill @bytes at @offset of @iov with @fillc.
 * Returns the number of bytes filled.
 */
size_t iov_memset(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, int fillc, size_t bytes);

/** qemu_iovec_init: an empty growable vector with room for @alloc_hint. */
void qemu_iovec_init(QEMUIOVector *qiov, int alloc_hint);

/** qemu_iovec_init_buf: a one-element vector over @buf (nothing to free). */
void qemu_iovec_init_buf(QEMUIOVector *qiov, void *buf, size_t len);

/** qemu_iovec_add: append @len bytes at @base to a growable vector. */
void qemu_iovec_add(QEMUIOVector *qiov, void *base, size_t len);

/**
 * qemu_iovec_concat: append @bytes of @src starting at @soffset to the
 * growable vector @dst (the memory is shared, not copied).
 */
void qemu_iovec_concat(QEMUIOVector *dst, QEMUIOVector *src,
                       size_t soffset, size_t bytes);

/** qemu_iovec_reset: empty a growable vector, keeping its allocation. */
void qemu_iovec_reset(QEMUIOVector *qiov);

/** qemu_iovec_destroy: free a growable vector's element array. */
void qemu_iovec_destroy(QEMUIOVector *qiov);

/** qemu_iovec_to_buf: see iov_to_buf(). */
size_t qemu_iovec_to_buf(QEMUIOVector *qiov, size_t offset,
                         void *buf, size_t bytes);

/** qemu_iovec_from_buf: see iov_from_buf(). */
size_t qemu_iovec_from_buf(QEMUIOVector *qiov, size_t offset,
                           const void *buf, size_t bytes);

/** qemu_iovec_memset: see iov_memset(). */
size_t qemu_iovec_memset(QEMUIOVector *qiov, size_t offset,
                         int fillc, size_t bytes);

/**
 * qemu_iovec_is_zero: whether the @bytes at @offset of @qiov are all zero.
 */
bool qemu_iovec_is_zero(QEMUIOVector *qiov, size_t offset, size_t bytes);

#endif
