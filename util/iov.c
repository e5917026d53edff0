/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QEMUIOVector and flat-buffer copies.  A vector either wraps one external
 * buffer (nalloc == -1) or owns a growable element array.
 */
#include "qemu/osdep.h"
#include "qemu/iov.h"
#include "qemu/cutils.h"

typedef void IovChunkFunc(void *iov_base, size_t len, void *opaque);

/* Walk @bytes of @iov from @offset, calling @fn on each piece. */
static size_t iov_walk(const struct iovec *iov, unsigned int iov_cnt,
                       size_t offset, size_t bytes,
                       IovChunkFunc *fn, void *opaque)
{
    size_t done = 0;
    unsigned int i;

    for (i = 0; i < iov_cnt && done < bytes; i++) {
        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        size_t len = MIN(iov[i].iov_len - offset, bytes - done);
        fn((char *)iov[i].iov_base + offset, len, opaque);
        done += len;
        offset = 0;
    }
    return done;
}

typedef struct IovCopy {
    char *buf;
    bool to_iov;
    int fillc;
} IovCopy;

static void iov_copy_chunk(void *base, size_t len, void *opaque)
{
    IovCopy *c = opaque;

    if (!c->buf) {
        memset(base, c->fillc, len);
        return;
    }
    if (c->to_iov) {
        memcpy(base, c->buf, len);
    } else {
        memcpy(c->buf, base, len);
    }
    c->buf += len;
}

size_t iov_from_buf(const struct iovec *iov, unsigned int iov_cnt,
                    size_t offset, const void *buf, size_t bytes)
{
    IovCopy c = { .buf = (char *)buf, .to_iov = true };

    return iov_walk(iov, iov_cnt, offset, bytes, iov_copy_chunk, &c);
}

size_t iov_to_buf(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, void *buf, size_t bytes)
{
    IovCopy c = { .buf = buf, .to_iov = false };

    return iov_walk(iov, iov_cnt, offset, bytes, iov_copy_chunk, &c);
}

size_t iov_memset(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, int fillc, size_t bytes)
{
    IovCopy c = { .buf = NULL, .fillc = fillc };

    return iov_walk(iov, iov_cnt, offset, bytes, iov_copy_chunk, &c);
}

void qemu_iovec_init(QEMUIOVector *qiov, int alloc_hint)
{
    memset(qiov, 0, sizeof(*qiov));
    qiov->nalloc = MAX(alloc_hint, 1);
    qiov->iov = g_new(struct iovec, qiov->nalloc);
}

void qemu_iovec_init_buf(QEMUIOVector *qiov, void *buf, size_t len)
{
    memset(qiov, 0, sizeof(*qiov));
    qiov->local_iov.iov_base = buf;
    qiov->local_iov.iov_len = len;
    qiov->iov = &qiov->local_iov;
    qiov->niov = 1;
    qiov->nalloc = -1;
    qiov->size = len;
}

void qemu_iovec_add(QEMUIOVector *qiov, void *base, size_t len)
{
    assert(qiov->nalloc != -1);
    if (len == 0) {
        return;
    }
    if (qiov->niov == qiov->nalloc) {
        qiov->nalloc = 2 * qiov->nalloc + 1;
        qiov->iov = g_renew(struct iovec, qiov->iov, qiov->nalloc);
    }
    qiov->iov[qiov->niov].iov_base = base;
    qiov->iov[qiov->niov].iov_len = len;
    qiov->niov++;
    qiov->size += len;
}

typedef struct IovConcat {
    QEMUIOVector *dst;
} IovConcat;

static void iov_concat_chunk(void *base, size_t len, void *opaque)
{
    IovConcat *c = opaque;

    qemu_iovec_add(c->dst, base, len);
}

void qemu_iovec_concat(QEMUIOVector *dst, QEMUIOVector *src,
                       size_t soffset, size_t bytes)
{
    IovConcat c = { .dst = dst };

    iov_walk(src->iov, src->niov, soffset, bytes, iov_concat_chunk, &c);
}

void qemu_iovec_reset(QEMUIOVector *qiov)
{
    assert(qiov->nalloc != -1);
    qiov->niov = 0;
    qiov->size = 0;
}

void qemu_iovec_destroy(QEMUIOVector *qiov)
{
    if (qiov->nalloc != -1) {
        g_free(qiov->iov);
    }
    memset(qiov, 0, sizeof(*qiov));
}

size_t qemu_iovec_to_buf(QEMUIOVector *qiov, size_t offset,
                         void *buf, size_t bytes)
{
    return iov_to_buf(qiov->iov, qiov->niov, offset, buf, bytes);
}

size_t qemu_iovec_from_buf(QEMUIOVector *qiov, size_t offset,
                           const void *buf, size_t bytes)
{
    return iov_from_buf(qiov->iov, qiov->niov, offset, buf, bytes);
}

size_t qemu_iovec_memset(QEMUIOVector *qiov, size_t offset,
                         int fillc, size_t bytes)
{
    return iov_memset(qiov->iov, qiov->niov, offset, fillc, bytes);
}

typedef struct IovZero {
    bool zero;
} IovZero;

static void iov_zero_chunk(void *base, size_t len, void *opaque)
{
    IovZero *z = opaque;

    z->zero = z->zero && buffer_is_zero(base, len);
}

bool qemu_iovec_is_zero(QEMUIOVector *qiov, size_t offset, size_t bytes)
{
    IovZero z = { .zero = true };

    iov_walk(qiov->iov, qiov->niov, offset, bytes, iov_zero_chunk, &z);
    return z.zero;
}
