/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the qemu-io command files: number parsing and formatting,
 * I/O buffers and report lines shared by qemu-io-cmds.c and qemu-io-rw.c,
 * and the data commands' table entries.
 */
#ifndef QEMU_IO_INTERNAL_H
#define QEMU_IO_INTERNAL_H

#include "qemu-io.h"

/* Commands defined in qemu-io-rw.c */
extern const CmdInfo read_cmd, readv_cmd, write_cmd, writev_cmd;
extern const CmdInfo aio_read_cmd, aio_write_cmd, aio_flush_cmd;

/** qemuio_cvtstr: @value as "1.500 KiB", "64 KiB" or "1000 bytes". */
void qemuio_cvtstr(double value, char *str, size_t size);

/** qemuio_now: the realtime clock in nanoseconds, for the reports. */
int64_t qemuio_now(void);

/** qemuio_report: the statistics line of one request started at @t1. */
void qemuio_report(int64_t t1, int64_t total, int cnt, bool cflag);

/**
 * qemuio_report_op: "VERB LEN/LEN bytes at offset OFFSET" (left out with
 * -C) and the statistics line.
 */
void qemuio_report_op(const char *verb, int64_t offset, int64_t len,
                      int64_t t1, bool cflag);

/** qemuio_cvtnum: a byte count with suffix, or -errno after a message. */
int64_t qemuio_cvtnum(const char *s);

/** qemuio_cvtlen: like qemuio_cvtnum(), refusing too long requests. */
int64_t qemuio_cvtlen(const char *s);

/** qemuio_parse_pattern: a -P byte (0..255), or -1 after a message. */
int qemuio_parse_pattern(const char *arg);

/** qemuio_alloc: an I/O buffer of @len bytes filled with @pattern. */
void *qemuio_alloc(BlockBackend *blk, size_t len, int pattern);

/** qemuio_free: free a qemuio_alloc() buffer. */
void qemuio_free(void *p);

/**
 * qemuio_create_iovec: one buffer split into @qiov by the @nr length
 * arguments in @argv; NULL after a message if one is bad.
 */
void *qemuio_create_iovec(BlockBackend *blk, QEMUIOVector *qiov,
                          char **argv, int nr, int pattern);

/** qemuio_dump_buffer: the -v hex dump of @len bytes read at @offset. */
void qemuio_dump_buffer(const uint8_t *buf, int64_t offset, int64_t len);

/** qemuio_find_mismatch: index of the first byte not @c, or -1. */
int64_t qemuio_find_mismatch(const uint8_t *buf, int c, int64_t len);

#endif
