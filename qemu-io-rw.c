/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-io-rw: the qemu-io commands that move data: read, readv, write,
 * writev and the asynchronous aio_read/aio_write/aio_flush.  Reads fill
 * their buffer with 0xab first and writes default to 0xcd, as QEMU's do.
 */
#include "qemu/osdep.h"
#include "qemu-io.h"
#include "qemu-io-internal.h"
#include "block/aio.h"
#include <getopt.h>

static int aio_in_flight;    /* aio_read/aio_write requests not done yet */

/* Vectored requests: run the coroutine form and poll until it is done. */

typedef struct QemuIoVecReq {
    BlockBackend *blk;
    int64_t offset;
    QEMUIOVector *qiov;
    int flags;
    bool write, done;
    int ret;
} QemuIoVecReq;

static void coroutine_fn qemuio_vec_entry(void *opaque)
{
    QemuIoVecReq *r = opaque;

    r->ret = r->write ?
        blk_co_pwritev(r->blk, r->offset, r->qiov->size, r->qiov, r->flags) :
        blk_co_preadv(r->blk, r->offset, r->qiov->size, r->qiov, r->flags);
    r->done = true;
    aio_notify(qemu_get_aio_context());
}

static int qemuio_vec_run(QemuIoVecReq *r)
{
    qemu_coroutine_enter(qemu_coroutine_create(qemuio_vec_entry, r));
    while (!r->done) {
        aio_poll(qemu_get_aio_context(), true);
    }
    return r->ret;
}

static int qemuio_preadv(BlockBackend *blk, int64_t offset,
                         QEMUIOVector *qiov)
{
    QemuIoVecReq r = { .blk = blk, .offset = offset, .qiov = qiov };

    return qemuio_vec_run(&r);
}

static int qemuio_pwritev(BlockBackend *blk, int64_t offset,
                          QEMUIOVector *qiov, int flags)
{
    QemuIoVecReq r = { .blk = blk, .offset = offset, .qiov = qiov,
                       .flags = flags, .write = true };

    return qemuio_vec_run(&r);
}

/* read */

/* Check @buf against -P, printing QEMU's failure line; false on mismatch. */
static bool qemuio_verify(const uint8_t *buf, int pattern, int64_t offset,
                          int64_t len)
{
    if (qemuio_find_mismatch(buf, pattern, len) < 0) {
        return true;
    }
    printf("Pattern verification failed at offset %" PRId64 ", %" PRId64
           " bytes\n", offset, len);
    return false;
}

typedef struct ReadOpts {
    bool cflag, qflag, vflag, lflag, sflag, bflag;
    int pattern;             /* -1 without -P */
    int64_t pattern_offset, pattern_count;
} ReadOpts;

static int read_parse_opts(int argc, char **argv, ReadOpts *o)
{
    int c;

    while ((c = getopt(argc, argv, "bCl:pP:qs:v")) != -1) {
        switch (c) {
        case 'b': o->bflag = true; break;
        case 'C': o->cflag = true; break;
        case 'p': break;
        case 'q': o->qflag = true; break;
        case 'v': o->vflag = true; break;
        case 'l':
            o->lflag = true;
            o->pattern_count = qemuio_cvtnum(optarg);
            if (o->pattern_count < 0) {
                return -EINVAL;
            }
            break;
        case 's':
            o->sflag = true;
            o->pattern_offset = qemuio_cvtnum(optarg);
            if (o->pattern_offset < 0) {
                return -EINVAL;
            }
            break;
        case 'P':
            o->pattern = qemuio_parse_pattern(optarg);
            if (o->pattern < 0) {
                return -EINVAL;
            }
            break;
        default:
            return qemuio_command_usage(&read_cmd);
        }
    }
    return 0;
}

static int read_f(BlockBackend *blk, int argc, char **argv)
{
    ReadOpts o = { .pattern = -1 };
    int64_t offset, count, t1;
    uint8_t *buf;
    int ret = read_parse_opts(argc, argv, &o);

    if (ret < 0) {
        return ret;
    }
    if (optind != argc - 2) {
        return qemuio_command_usage(&read_cmd);
    }
    offset = qemuio_cvtnum(argv[optind]);
    if (offset < 0) {
        return offset;
    }
    count = qemuio_cvtlen(argv[optind + 1]);
    if (count < 0) {
        return count;
    }
    if (o.pattern < 0 && (o.lflag || o.sflag)) {
        return qemuio_command_usage(&read_cmd);
    }
    if (!o.lflag) {
        o.pattern_count = count - o.pattern_offset;
    }
    if (o.pattern_count < 0 || o.pattern_offset + o.pattern_count > count) {
        printf("pattern verification range exceeds end of read data\n");
        return -EINVAL;
    }
    buf = qemuio_alloc(blk, count, 0xab);
    t1 = qemuio_now();
    ret = o.bflag ? -ENOTSUP : blk_pread(blk, offset, count, buf, 0);
    if (ret < 0) {
        printf("read failed: %s\n", strerror(-ret));
        goto out;
    }
    if (o.pattern >= 0 &&
        !qemuio_verify(buf + o.pattern_offset, o.pattern,
                       offset + o.pattern_offset, o.pattern_count)) {
        ret = -EINVAL;
    }
    if (!o.qflag) {
        if (o.vflag) {
            qemuio_dump_buffer(buf, offset, count);
        }
        qemuio_report_op("read", offset, count, t1, o.cflag);
    }
out:
    qemuio_free(buf);
    return ret;
}

static void read_help(void)
{
    printf("\n"
" reads bytes from the open image, starting at the given offset\n"
"\n"
" Example:\n"
" 'read -v 512 1k' - reads 1 KiB from byte 512 and dumps it in hex\n"
"\n"
" -b, -- read the VM state area instead of the disk contents\n"
" -C, -- print the statistics as comma separated values\n"
" -l, -- how many bytes the -P check covers\n"
" -p, -- accepted and ignored\n"
" -P, -- check that every byte read has this value\n"
" -q, -- print nothing when the read succeeds\n"
" -s, -- where in the data the -P check starts\n"
" -v, -- print the data read as a hex dump\n"
"\n");
}

const CmdInfo read_cmd = {
    .name = "read", .altname = "r", .cfunc = read_f,
    .argmin = 2, .argmax = -1,
    .args = "[-abCqv] [-P pattern [-s off] [-l len]] off len",
    .oneline = "reads a number of bytes at a specified offset",
    .help = read_help,
};

/* readv / writev */

/*
 * The "OFFSET LEN [LEN..]" arguments of readv and writev, from
 * argv[optind]: the offset, and one buffer filled with @fill and split
 * into @qiov.  Returns the buffer, or NULL with *ret set after a message.
 */
static void *vector_args(BlockBackend *blk, int argc, char **argv, int fill,
                         int64_t *offset, QEMUIOVector *qiov, int *ret)
{
    void *buf;

    *offset = qemuio_cvtnum(argv[optind]);
    if (*offset < 0) {
        *ret = *offset;
        return NULL;
    }
    optind++;
    buf = qemuio_create_iovec(blk, qiov, &argv[optind], argc - optind, fill);
    if (!buf) {
        *ret = -EINVAL;
    }
    return buf;
}

static int readv_f(BlockBackend *blk, int argc, char **argv)
{
    bool cflag = false, qflag = false, vflag = false;
    int c, pattern = -1, ret;
    QEMUIOVector qiov;
    int64_t offset, t1;
    uint8_t *buf;

    while ((c = getopt(argc, argv, "CP:qv")) != -1) {
        switch (c) {
        case 'C': cflag = true; break;
        case 'q': qflag = true; break;
        case 'v': vflag = true; break;
        case 'P':
            pattern = qemuio_parse_pattern(optarg);
            if (pattern < 0) {
                return -EINVAL;
            }
            break;
        default:
            return qemuio_command_usage(&readv_cmd);
        }
    }
    if (optind > argc - 2) {
        return qemuio_command_usage(&readv_cmd);
    }
    buf = vector_args(blk, argc, argv, 0xab, &offset, &qiov, &ret);
    if (!buf) {
        return ret;
    }
    t1 = qemuio_now();
    ret = qemuio_preadv(blk, offset, &qiov);
    if (ret < 0) {
        printf("readv failed: %s\n", strerror(-ret));
        goto out;
    }
    if (pattern >= 0 && !qemuio_verify(buf, pattern, offset, qiov.size)) {
        ret = -EINVAL;
    }
    if (!qflag) {
        if (vflag) {
            qemuio_dump_buffer(buf, offset, qiov.size);
        }
        qemuio_report_op("read", offset, qiov.size, t1, cflag);
    }
out:
    qemu_iovec_destroy(&qiov);
    qemuio_free(buf);
    return ret;
}

static void readv_help(void)
{
    printf("\n"
" reads into several buffers with one request, starting at the offset\n"
"\n"
" Example:\n"
" 'readv -v 512 1k 1k' - reads 2 KiB from byte 512 into two buffers\n"
"\n"
" -C, -- print the statistics as comma separated values\n"
" -P, -- check that every byte read has this value\n"
" -q, -- print nothing when the read succeeds\n"
" -v, -- print the data read as a hex dump\n"
"\n");
}

const CmdInfo readv_cmd = {
    .name = "readv", .cfunc = readv_f, .argmin = 2, .argmax = -1,
    .args = "[-Cqv] [-P pattern] off len [len..]",
    .oneline = "reads a number of bytes at a specified offset",
    .help = readv_help,
};

static int writev_f(BlockBackend *blk, int argc, char **argv)
{
    bool cflag = false, qflag = false;
    int c, pattern = 0xcd, ret, flags = 0;
    QEMUIOVector qiov;
    int64_t offset, t1;
    uint8_t *buf;

    while ((c = getopt(argc, argv, "CfqP:")) != -1) {
        switch (c) {
        case 'C': cflag = true; break;
        case 'f': flags |= BDRV_REQ_FUA; break;
        case 'q': qflag = true; break;
        case 'P':
            pattern = qemuio_parse_pattern(optarg);
            if (pattern < 0) {
                return -EINVAL;
            }
            break;
        default:
            return qemuio_command_usage(&writev_cmd);
        }
    }
    if (optind > argc - 2) {
        return qemuio_command_usage(&writev_cmd);
    }
    buf = vector_args(blk, argc, argv, pattern, &offset, &qiov, &ret);
    if (!buf) {
        return ret;
    }
    t1 = qemuio_now();
    ret = qemuio_pwritev(blk, offset, &qiov, flags);
    if (ret < 0) {
        printf("writev failed: %s\n", strerror(-ret));
    } else if (!qflag) {
        qemuio_report_op("wrote", offset, qiov.size, t1, cflag);
    }
    qemu_iovec_destroy(&qiov);
    qemuio_free(buf);
    return ret;
}

static void writev_help(void)
{
    printf("\n"
" writes several buffers, filled with a pattern (0xcd unless -P says\n"
" otherwise), with one request starting at the offset\n"
"\n"
" Example:\n"
" 'writev 512 1k 1k' - writes 2 KiB at byte 512 from two buffers\n"
"\n"
" -C, -- print the statistics as comma separated values\n"
" -f, -- ask for Force Unit Access\n"
" -P, -- the byte to fill the buffers with\n"
" -q, -- print nothing when the write succeeds\n"
"\n");
}

const CmdInfo writev_cmd = {
    .name = "writev", .cfunc = writev_f, .argmin = 2, .argmax = -1,
    .args = "[-Cfq] [-P pattern] off len [len..]",
    .oneline = "writes a number of bytes at a specified offset",
    .help = writev_help, .perm = BLK_PERM_WRITE,
};

/* write */

typedef struct WriteOpts {
    bool bflag, cflag, Cflag, nflag, qflag, uflag, zflag, Pflag;
    int flags, pattern;
    const char *source;     /* -s: the file whose bytes fill the buffer */
} WriteOpts;

static int write_parse_opts(int argc, char **argv, WriteOpts *o)
{
    int c;

    while ((c = getopt(argc, argv, "bcCfnpP:qs:uz")) != -1) {
        switch (c) {
        case 'b': o->bflag = true; break;
        case 'c': o->cflag = true; break;
        case 'C': o->Cflag = true; break;
        case 'f': o->flags |= BDRV_REQ_FUA; break;
        case 'n': o->nflag = true; break;
        case 'p': break;
        case 'q': o->qflag = true; break;
        case 'u': o->uflag = true; break;
        case 'z': o->zflag = true; break;
        case 's': o->source = optarg; break;
        case 'P':
            o->Pflag = true;
            o->pattern = qemuio_parse_pattern(optarg);
            if (o->pattern < 0) {
                return -EINVAL;
            }
            break;
        default:
            return qemuio_command_usage(&write_cmd);
        }
    }
    if (optind != argc - 2) {
        return qemuio_command_usage(&write_cmd);
    }
    if (o->zflag + o->Pflag + !!o->source > 1) {
        printf("Only one of -z, -P, and -s can be specified at the same "
               "time\n");
        return -EINVAL;
    }
    if (o->uflag && !o->zflag) {
        printf("-u requires -z to be specified\n");
        return -EINVAL;
    }
    if (o->nflag && !o->zflag) {
        printf("-n requires -z to be specified\n");
        return -EINVAL;
    }
    if (o->zflag && o->cflag) {
        printf("-c and -z cannot be specified at the same time\n");
        return -EINVAL;
    }
    return 0;
}

/*
 * A write buffer filled from @path, repeated when the file is shorter
 * than @count; NULL after a message on stderr.
 */
static uint8_t *write_load_source(BlockBackend *blk, const char *path,
                                  int64_t count)
{
    FILE *f = fopen(path, "r");
    uint8_t *buf;
    size_t got;
    int64_t i;

    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf = qemuio_alloc(blk, count, 0);
    got = fread(buf, 1, count, f);
    if (ferror(f)) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
    } else if (got == 0 && count > 0) {
        fprintf(stderr, "%s: file is empty\n", path);
    } else {
        for (i = got; i < count; i++) {
            buf[i] = buf[i % got];
        }
        fclose(f);
        return buf;
    }
    fclose(f);
    qemuio_free(buf);
    return NULL;
}

static int write_do(BlockBackend *blk, WriteOpts *o, int64_t offset,
                    int64_t count, uint8_t *src)
{
    uint8_t *buf;
    int ret;

    if (o->bflag || o->cflag) {
        /* no driver here has a VM state area or compressed writes */
        return -ENOTSUP;
    }
    if (o->zflag) {
        return blk_pwrite_zeroes(blk, offset, count,
            o->flags | (o->uflag ? BDRV_REQ_MAY_UNMAP : 0) |
            (o->nflag ? BDRV_REQ_NO_FALLBACK : 0));
    }
    if (src) {
        return blk_pwrite(blk, offset, count, src, o->flags);
    }
    buf = qemuio_alloc(blk, count, o->pattern);
    ret = blk_pwrite(blk, offset, count, buf, o->flags);
    qemuio_free(buf);
    return ret;
}

static int write_f(BlockBackend *blk, int argc, char **argv)
{
    WriteOpts o = { .pattern = 0xcd };
    uint8_t *src = NULL;
    int64_t offset, count, t1;
    int ret = write_parse_opts(argc, argv, &o);

    if (ret < 0) {
        return ret;
    }
    offset = qemuio_cvtnum(argv[optind]);
    if (offset < 0) {
        return offset;
    }
    count = qemuio_cvtlen(argv[optind + 1]);
    if (count < 0) {
        return count;
    }
    if (o.source) {
        src = write_load_source(blk, o.source, count);
        if (!src) {
            return -EINVAL;
        }
    }
    t1 = qemuio_now();
    ret = write_do(blk, &o, offset, count, src);
    if (src) {
        qemuio_free(src);
    }
    if (ret < 0) {
        printf("write failed: %s\n", strerror(-ret));
        return ret;
    }
    if (!o.qflag) {
        qemuio_report_op("wrote", offset, count, t1, o.Cflag);
    }
    return 0;
}

static void write_help(void)
{
    printf("\n"
" writes bytes to the open image, starting at the given offset; the\n"
" buffer holds 0xcd unless -P names another byte\n"
"\n"
" Example:\n"
" 'write -P 0x5a 512 1k' - writes 1 KiB of 0x5a at byte 512\n"
"\n"
" -b, -- write the VM state area instead of the disk contents\n"
" -c, -- write the data compressed\n"
" -C, -- print the statistics as comma separated values\n"
" -f, -- ask for Force Unit Access\n"
" -n, -- with -z, fail rather than fall back to writing zero buffers\n"
" -p, -- accepted and ignored\n"
" -P, -- the byte to fill the buffer with\n"
" -q, -- print nothing when the write succeeds\n"
" -s, -- fill the buffer with this file's bytes, repeated as needed\n"
" -u, -- with -z, let the image deallocate the range\n"
" -z, -- write zeroes with a zero-write request, without a buffer\n"
"\n");
}

const CmdInfo write_cmd = {
    .name = "write", .altname = "w", .cfunc = write_f,
    .argmin = 2, .argmax = -1,
    .args = "[-bcCfnquz] [-P pattern | -s source_file] off len",
    .oneline = "writes a number of bytes at a specified offset",
    .help = write_help, .perm = BLK_PERM_WRITE,
};

/* aio_read / aio_write / aio_flush */

typedef struct QemuIoAio {
    BlockBackend *blk;
    QEMUIOVector qiov;
    uint8_t *buf;
    int64_t offset, t1;
    bool write, zflag, cflag, qflag, vflag;
    int pattern, flags;
    int64_t zero_bytes;
} QemuIoAio;

static void qemuio_aio_done(QemuIoAio *a, int ret)
{
    int64_t len = a->zflag ? a->zero_bytes : (int64_t)a->qiov.size;

    if (ret < 0) {
        printf("%s failed: %s\n", a->write ? "aio_write" : "aio_read",
               strerror(-ret));
    } else if (!a->write && a->pattern >= 0) {
        qemuio_verify(a->buf, a->pattern, a->offset, len);
    }
    if (ret >= 0 && !a->qflag) {
        if (a->vflag) {
            qemuio_dump_buffer(a->buf, a->offset, len);
        }
        qemuio_report_op(a->write ? "wrote" : "read", a->offset, len, a->t1,
                         a->cflag);
    }
}

static void coroutine_fn qemuio_aio_entry(void *opaque)
{
    QemuIoAio *a = opaque;
    int ret;

    if (a->zflag) {
        ret = blk_co_pwrite_zeroes(a->blk, a->offset, a->zero_bytes,
                                   a->flags);
    } else if (a->write) {
        ret = blk_co_pwritev(a->blk, a->offset, a->qiov.size, &a->qiov,
                             a->flags);
    } else {
        ret = blk_co_preadv(a->blk, a->offset, a->qiov.size, &a->qiov, 0);
    }
    qemuio_aio_done(a, ret);
    if (!a->zflag) {
        qemu_iovec_destroy(&a->qiov);
        qemuio_free(a->buf);
    }
    blk_unref(a->blk);
    g_free(a);
    aio_in_flight--;
    aio_notify(qemu_get_aio_context());
}

static void qemuio_aio_submit(QemuIoAio *a)
{
    blk_ref(a->blk);
    aio_in_flight++;
    a->t1 = qemuio_now();
    qemu_coroutine_enter(qemu_coroutine_create(qemuio_aio_entry, a));
}

void qemuio_complete_aio(void)
{
    while (aio_in_flight > 0) {
        aio_poll(qemu_get_aio_context(), true);
    }
}

static int aio_parse_opts(int argc, char **argv, QemuIoAio *a,
                          const CmdInfo *ct)
{
    const char *optstr = a->write ? "CfiqP:uz" : "CiP:qv";
    bool uflag = false;
    int c;

    while ((c = getopt(argc, argv, optstr)) != -1) {
        switch (c) {
        case 'C': a->cflag = true; break;
        case 'f': a->flags |= BDRV_REQ_FUA; break;
        case 'i':
            /* an invalid request: only announced, nothing is done */
            printf("injecting invalid %s request\n",
                   a->write ? "write" : "read");
            return 1;
        case 'q': a->qflag = true; break;
        case 'u': uflag = true; break;
        case 'v': a->vflag = true; break;
        case 'z': a->zflag = true; break;
        case 'P':
            a->pattern = qemuio_parse_pattern(optarg);
            if (a->pattern < 0) {
                return -EINVAL;
            }
            break;
        default:
            return qemuio_command_usage(ct);
        }
    }
    if (optind > argc - 2) {
        return qemuio_command_usage(ct);
    }
    if (a->zflag && a->pattern >= 0 && a->write) {
        printf("-z and -P cannot be specified at the same time\n");
        return -EINVAL;
    }
    if (uflag && !a->zflag) {
        printf("-u requires -z to be specified\n");
        return -EINVAL;
    }
    a->flags |= uflag ? BDRV_REQ_MAY_UNMAP : 0;
    return 0;
}

static int aio_rw_f(BlockBackend *blk, int argc, char **argv, bool write)
{
    QemuIoAio *a = g_new0(QemuIoAio, 1);
    int ret;

    a->blk = blk;
    a->write = write;
    a->pattern = -1;
    ret = aio_parse_opts(argc, argv, a, write ? &aio_write_cmd :
                         &aio_read_cmd);
    if (ret != 0) {
        g_free(a);
        return ret < 0 ? ret : 0;
    }
    a->offset = qemuio_cvtnum(argv[optind]);
    if (a->offset < 0) {
        ret = a->offset;
        g_free(a);
        return ret;
    }
    optind++;
    if (a->zflag) {
        if (optind != argc - 1) {
            printf("-z supports only a single length parameter\n");
            g_free(a);
            return -EINVAL;
        }
        a->zero_bytes = qemuio_cvtlen(argv[optind]);
        if (a->zero_bytes < 0) {
            ret = a->zero_bytes;
            g_free(a);
            return ret;
        }
    } else {
        int fill = write ? (a->pattern >= 0 ? a->pattern : 0xcd) : 0xab;

        a->buf = qemuio_create_iovec(blk, &a->qiov, &argv[optind],
                                     argc - optind, fill);
        if (!a->buf) {
            g_free(a);
            return -EINVAL;
        }
        if (write) {
            a->pattern = -1;
        }
    }
    qemuio_aio_submit(a);
    return 0;
}

static int aio_read_f(BlockBackend *blk, int argc, char **argv)
{
    return aio_rw_f(blk, argc, argv, false);
}

static int aio_write_f(BlockBackend *blk, int argc, char **argv)
{
    return aio_rw_f(blk, argc, argv, true);
}

static void aio_read_help(void)
{
    printf("\n"
" starts a read into one or more buffers and returns at once; the result\n"
" is printed when the request completes (aio_flush waits for it)\n"
"\n"
" Example:\n"
" 'aio_read -v 512 1k 1k' - reads 2 KiB from byte 512 into two buffers\n"
"\n"
" -C, -- print the statistics as comma separated values\n"
" -i, -- count an invalid request, doing no I/O\n"
" -P, -- check that every byte read has this value\n"
" -q, -- print nothing when the read succeeds\n"
" -v, -- print the data read as a hex dump\n"
"\n");
}

static void aio_write_help(void)
{
    printf("\n"
" starts a write from one or more buffers and returns at once; the\n"
" result is printed when the request completes (aio_flush waits for it)\n"
"\n"
" Example:\n"
" 'aio_write -P 0x5a 512 1k 1k' - writes 2 KiB of 0x5a at byte 512\n"
"\n"
" -C, -- print the statistics as comma separated values\n"
" -f, -- ask for Force Unit Access\n"
" -i, -- count an invalid request, doing no I/O\n"
" -P, -- the byte to fill the buffers with\n"
" -q, -- print nothing when the write succeeds\n"
" -u, -- with -z, let the image deallocate the range\n"
" -z, -- write zeroes with a zero-write request, without a buffer\n"
"\n");
}

const CmdInfo aio_read_cmd = {
    .name = "aio_read", .cfunc = aio_read_f, .argmin = 2, .argmax = -1,
    .args = "[-Ciqv] [-P pattern] off len [len..]",
    .oneline = "asynchronously reads a number of bytes",
    .help = aio_read_help,
};

const CmdInfo aio_write_cmd = {
    .name = "aio_write", .cfunc = aio_write_f, .argmin = 2, .argmax = -1,
    .args = "[-Cfiquz] [-P pattern] off len [len..]",
    .oneline = "asynchronously writes a number of bytes",
    .help = aio_write_help, .perm = BLK_PERM_WRITE,
};

static int aio_flush_f(BlockBackend *blk, int argc, char **argv)
{
    qemuio_complete_aio();
    return 0;
}

const CmdInfo aio_flush_cmd = {
    .name = "aio_flush", .cfunc = aio_flush_f,
    .oneline = "completes all outstanding aio requests",
};
