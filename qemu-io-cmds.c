/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-io-cmds: the command table of the disk exerciser and the commands
 * that touch an open image.  Every report line keeps QEMU 7.2's shape so
 * its iotests filters (times, rates) apply unchanged.
 */
#include "qemu/osdep.h"
#include "qemu-io.h"
#include "qemu/cutils.h"
#include "qemu/timer.h"
#include "qemu/error-report.h"
#include "block/aio.h"
#include <getopt.h>

#define QEMUIO_MAX_CMDS 64
#define MISALIGN_OFFSET 16

static const CmdInfo *cmdtab[QEMUIO_MAX_CMDS];
static int ncmds;
static bool qemuio_misalign;
static int aio_in_flight;

static void qemuio_add_io_commands(void);

/* Command table */

static void qemuio_insert_command(const CmdInfo *ci)
{
    int i;

    assert(ncmds < QEMUIO_MAX_CMDS);
    for (i = ncmds; i > 0 && strcmp(cmdtab[i - 1]->name, ci->name) > 0;
         i--) {
        cmdtab[i] = cmdtab[i - 1];
    }
    cmdtab[i] = ci;
    ncmds++;
}

/* The image commands join the table before anything else uses it. */
static void qemuio_init_commands(void)
{
    static bool done;

    if (!done) {
        done = true;
        qemuio_add_io_commands();
    }
}

void qemuio_add_command(const CmdInfo *ci)
{
    qemuio_init_commands();
    qemuio_insert_command(ci);
}

void qemuio_set_misalign(bool misalign)
{
    qemuio_misalign = misalign;
}

int qemuio_command_usage(const CmdInfo *ci)
{
    printf("%s %s -- %s\n", ci->name, ci->args, ci->oneline);
    return -EINVAL;
}

static const CmdInfo *qemuio_find_command(const char *name)
{
    int i;

    for (i = 0; i < ncmds; i++) {
        if (!strcmp(cmdtab[i]->name, name) ||
            (cmdtab[i]->altname && !strcmp(cmdtab[i]->altname, name))) {
            return cmdtab[i];
        }
    }
    return NULL;
}

/* The argument count error, in the wording of QEMU's tool. */
static bool qemuio_check_argc(const CmdInfo *ct, int argc)
{
    if (argc >= ct->argmin && (ct->argmax == -1 || argc <= ct->argmax)) {
        return true;
    }
    if (ct->argmax == -1) {
        fprintf(stderr, "bad argument count %d to %s, expected at least %d "
                "arguments\n", argc, ct->name, ct->argmin);
    } else if (ct->argmin == ct->argmax) {
        fprintf(stderr, "bad argument count %d to %s, expected %d "
                "arguments\n", argc, ct->name, ct->argmin);
    } else {
        fprintf(stderr, "bad argument count %d to %s, expected between %d "
                "and %d arguments\n", argc, ct->name, ct->argmin,
                ct->argmax);
    }
    return false;
}

/* Take the permissions @ct needs, as the tool does before each command. */
static bool qemuio_take_perm(BlockBackend *blk, const CmdInfo *ct)
{
    uint64_t perm, shared;
    Error *err = NULL;

    blk_get_perm(blk, &perm, &shared);
    if ((perm & ct->perm) == ct->perm) {
        return true;
    }
    if (blk_set_perm(blk, perm | ct->perm, shared, &err) < 0) {
        error_report_err(err);
        return false;
    }
    return true;
}

static bool qemuio_init_check(BlockBackend *blk, const CmdInfo *ct)
{
    if (ct->flags & CMD_FLAG_GLOBAL) {
        return true;
    }
    if (!blk || !blk_bs(blk)) {
        fprintf(stderr, "no file open, try 'help open'\n");
        return false;
    }
    return !ct->perm || qemuio_take_perm(blk, ct);
}

int qemuio_command(BlockBackend *blk, const char *cmd)
{
    g_auto(GStrv) words = g_strsplit_set(cmd, " \t\n", -1);
    g_autofree char **argv = g_new0(char *, g_strv_length(words) + 1);
    const CmdInfo *ct;
    int argc = 0, i;

    qemuio_init_commands();
    for (i = 0; words[i]; i++) {
        if (*words[i]) {
            argv[argc++] = words[i];
        }
    }
    if (!argc) {
        return 0;
    }
    ct = qemuio_find_command(argv[0]);
    if (!ct) {
        fprintf(stderr, "command \"%s\" not found\n", argv[0]);
        return -EINVAL;
    }
    if (!qemuio_init_check(blk, ct) || !qemuio_check_argc(ct, argc - 1)) {
        return -EINVAL;
    }
    optind = 0;    /* restart GNU getopt for this argument vector */
    return ct->cfunc(blk, argc, argv);
}

/* Number formatting, as QEMU's tool prints sizes, times and rates */

static void qemuio_cvtstr(double value, char *str, size_t size)
{
    static const char *const units[] = {
        " EiB", " PiB", " TiB", " GiB", " MiB", " KiB",
    };
    const char *suffix = " bytes";
    double scale = (double)(1ULL << 60);
    char *trim;
    int i;

    for (i = 0; i < ARRAY_SIZE(units); i++, scale /= 1024) {
        if (value >= scale) {
            suffix = units[i];
            value /= scale;
            break;
        }
    }
    snprintf(str, size - 8, i < ARRAY_SIZE(units) ? "%.3f" : "%f", value);
    trim = strstr(str, ".000");
    if (trim) {
        *trim = '\0';
    }
    g_strlcat(str, suffix, size);
}

/* "SS.cc sec", or with minutes and hours when they are needed. */
static void qemuio_timestr(double secs, char *ts, size_t size, bool hms)
{
    unsigned total = (unsigned)secs;
    unsigned hundredths = (unsigned)((secs - total) * 100);
    unsigned h = total / 3600, m = total / 60 % 60, s = total % 60;

    if (hms) {
        snprintf(ts, size, "%u:%02u:%02u.%02u", h, m, s, hundredths);
    } else if (h) {
        snprintf(ts, size, "%u:%02u:%02u.%02u sec", h, m, s, hundredths);
    } else if (m) {
        snprintf(ts, size, "%02u:%02u.%02u sec", m, s, hundredths);
    } else {
        snprintf(ts, size, "%02u.%02u sec", s, hundredths);
    }
}

static int64_t qemuio_now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

static void qemuio_report(int64_t t1, int64_t total, int cnt, bool cflag)
{
    double secs = (qemuio_now() - t1) / 1e9;
    char s1[64], s2[64], ts[64];

    qemuio_timestr(secs, ts, sizeof(ts), cflag);
    if (cflag) {
        printf("%" PRId64 ",%d,%s,%.3f,%.3f\n", total, cnt, ts,
               total / secs, cnt / secs);
        return;
    }
    qemuio_cvtstr((double)total, s1, sizeof(s1));
    qemuio_cvtstr(total / secs, s2, sizeof(s2));
    printf("%s, %d ops; %s (%s/sec and %.4f ops/sec)\n", s1, cnt, ts, s2,
           cnt / secs);
}

/* "VERB N/N bytes at offset O" and the statistics (only those with -C). */
static void qemuio_report_op(const char *verb, int64_t offset, int64_t len,
                             int64_t t1, bool cflag)
{
    if (!cflag) {
        printf("%s %" PRId64 "/%" PRId64 " bytes at offset %" PRId64 "\n",
               verb, len, len, offset);
    }
    qemuio_report(t1, len, 1, cflag);
}

/* Argument parsing */

static int64_t qemuio_cvtnum(const char *s)
{
    uint64_t value;
    int ret = qemu_strtosz(s, NULL, &value);

    if (ret == 0 && value > INT64_MAX) {
        ret = -ERANGE;
    }
    if (ret == -EINVAL) {
        printf("Parsing error: non-numeric argument, or extraneous/"
               "unrecognized suffix -- %s\n", s);
    } else if (ret < 0) {
        printf("Parsing error: argument too large -- %s\n", s);
    }
    return ret < 0 ? ret : (int64_t)value;
}

/* A request length; larger ones than the block layer takes are refused. */
static int64_t qemuio_cvtlen(const char *s)
{
    int64_t len = qemuio_cvtnum(s);

    if (len > BDRV_REQUEST_MAX_BYTES) {
        printf("length cannot exceed %d, given %s\n",
               BDRV_REQUEST_MAX_BYTES, s);
        return -EINVAL;
    }
    return len;
}

static int qemuio_parse_pattern(const char *arg)
{
    char *end;
    long pattern = strtol(arg, &end, 0);

    if (*end || end == arg || pattern < 0 || pattern > 0xff) {
        printf("%s is not a valid pattern byte\n", arg);
        return -1;
    }
    return pattern;
}

/* Buffers */

static void *qemuio_alloc(BlockBackend *blk, size_t len, int pattern)
{
    size_t extra = qemuio_misalign ? MISALIGN_OFFSET : 0;
    uint8_t *buf = qemu_blockalign(blk_bs(blk), len + extra);

    memset(buf, pattern, len + extra);
    return buf + extra;
}

static void qemuio_free(void *p)
{
    qemu_vfree((uint8_t *)p - (qemuio_misalign ? MISALIGN_OFFSET : 0));
}

/* Build a vector of buffers from the "len [len..]" arguments. */
static void *qemuio_create_iovec(BlockBackend *blk, QEMUIOVector *qiov,
                                 char **argv, int nr, int pattern)
{
    int64_t *sizes = g_new(int64_t, nr), total = 0;
    uint8_t *buf, *p;
    int i;

    for (i = 0; i < nr; i++) {
        sizes[i] = qemuio_cvtlen(argv[i]);
        if (sizes[i] < 0 || total + sizes[i] > BDRV_REQUEST_MAX_BYTES) {
            if (sizes[i] >= 0) {
                printf("too large total iovec size\n");
            }
            g_free(sizes);
            return NULL;
        }
        total += sizes[i];
    }
    qemu_iovec_init(qiov, nr);
    buf = p = qemuio_alloc(blk, total, pattern);
    for (i = 0; i < nr; i++) {
        qemu_iovec_add(qiov, p, sizes[i]);
        p += sizes[i];
    }
    g_free(sizes);
    return buf;
}

/* "-v": sixteen bytes a line; only letters and digits show as text. */
static void qemuio_dump_buffer(const uint8_t *buf, int64_t offset,
                               int64_t len)
{
    int64_t i, j;

    for (i = 0; i < len; i += 16) {
        int64_t n = MIN(16, len - i);

        printf("%08" PRIx64 ":  ", offset + i);
        for (j = 0; j < n; j++) {
            printf("%02x ", buf[i + j]);
        }
        printf(" ");
        for (j = 0; j < n; j++) {
            putchar(g_ascii_isalnum(buf[i + j]) ? buf[i + j] : '.');
        }
        printf("\n");
    }
}

/* Index of the first byte of @buf that is not @c, or -1. */
static int64_t qemuio_find_mismatch(const uint8_t *buf, int c, int64_t len)
{
    int64_t i;

    for (i = 0; i < len; i++) {
        if (buf[i] != c) {
            return i;
        }
    }
    return -1;
}

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

static const CmdInfo read_cmd;

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

static const CmdInfo read_cmd = {
    .name = "read", .altname = "r", .cfunc = read_f,
    .argmin = 2, .argmax = -1,
    .args = "[-abCqv] [-P pattern [-s off] [-l len]] off len",
    .oneline = "reads a number of bytes at a specified offset",
    .help = read_help,
};

/* readv / writev */

static const CmdInfo readv_cmd, writev_cmd;

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
    offset = qemuio_cvtnum(argv[optind]);
    if (offset < 0) {
        return offset;
    }
    optind++;
    buf = qemuio_create_iovec(blk, &qiov, &argv[optind], argc - optind,
                              0xab);
    if (!buf) {
        return -EINVAL;
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

static const CmdInfo readv_cmd = {
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
    offset = qemuio_cvtnum(argv[optind]);
    if (offset < 0) {
        return offset;
    }
    optind++;
    buf = qemuio_create_iovec(blk, &qiov, &argv[optind], argc - optind,
                              pattern);
    if (!buf) {
        return -EINVAL;
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

static const CmdInfo writev_cmd = {
    .name = "writev", .cfunc = writev_f, .argmin = 2, .argmax = -1,
    .args = "[-Cfq] [-P pattern] off len [len..]",
    .oneline = "writes a number of bytes at a specified offset",
    .help = writev_help, .perm = BLK_PERM_WRITE,
};

/* write */

static const CmdInfo write_cmd;

typedef struct WriteOpts {
    bool bflag, cflag, Cflag, nflag, qflag, uflag, zflag, Pflag;
    int flags, pattern;
} WriteOpts;

static int write_parse_opts(int argc, char **argv, WriteOpts *o)
{
    int c;

    while ((c = getopt(argc, argv, "bcCfnpP:quz")) != -1) {
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
    if (o->zflag && o->Pflag) {
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

static int write_do(BlockBackend *blk, WriteOpts *o, int64_t offset,
                    int64_t count)
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
    buf = qemuio_alloc(blk, count, o->pattern);
    ret = blk_pwrite(blk, offset, count, buf, o->flags);
    qemuio_free(buf);
    return ret;
}

static int write_f(BlockBackend *blk, int argc, char **argv)
{
    WriteOpts o = { .pattern = 0xcd };
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
    t1 = qemuio_now();
    ret = write_do(blk, &o, offset, count);
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
" -u, -- with -z, let the image deallocate the range\n"
" -z, -- write zeroes with a zero-write request, without a buffer\n"
"\n");
}

static const CmdInfo write_cmd = {
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

static const CmdInfo aio_read_cmd, aio_write_cmd;

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

static const CmdInfo aio_read_cmd = {
    .name = "aio_read", .cfunc = aio_read_f, .argmin = 2, .argmax = -1,
    .args = "[-Ciqv] [-P pattern] off len [len..]",
    .oneline = "asynchronously reads a number of bytes",
    .help = aio_read_help,
};

static const CmdInfo aio_write_cmd = {
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

static const CmdInfo aio_flush_cmd = {
    .name = "aio_flush", .cfunc = aio_flush_f,
    .oneline = "completes all outstanding aio requests",
};

/* discard, flush, truncate */

static const CmdInfo discard_cmd;

static int discard_f(BlockBackend *blk, int argc, char **argv)
{
    bool cflag = false, qflag = false;
    int64_t offset, bytes, t1;
    int c, ret;

    while ((c = getopt(argc, argv, "Cq")) != -1) {
        switch (c) {
        case 'C': cflag = true; break;
        case 'q': qflag = true; break;
        default:
            return qemuio_command_usage(&discard_cmd);
        }
    }
    if (optind != argc - 2) {
        return qemuio_command_usage(&discard_cmd);
    }
    offset = qemuio_cvtnum(argv[optind]);
    if (offset < 0) {
        return offset;
    }
    bytes = qemuio_cvtlen(argv[optind + 1]);
    if (bytes < 0) {
        return bytes;
    }
    t1 = qemuio_now();
    ret = blk_pdiscard(blk, offset, bytes);
    if (ret < 0) {
        printf("discard failed: %s\n", strerror(-ret));
        return ret;
    }
    if (!qflag) {
        qemuio_report_op("discard", offset, bytes, t1, cflag);
    }
    return 0;
}

static void discard_help(void)
{
    printf("\n"
" tells the image that a range is no longer needed\n"
"\n"
" Example:\n"
" 'discard 512 1k' - discards 1 KiB at byte 512\n"
"\n"
" -C, -- print the statistics as comma separated values\n"
" -q, -- print nothing when the discard succeeds\n"
"\n");
}

static const CmdInfo discard_cmd = {
    .name = "discard", .altname = "d", .cfunc = discard_f,
    .argmin = 2, .argmax = -1, .args = "[-Cq] off len",
    .oneline = "discards a number of bytes at a specified offset",
    .help = discard_help, .perm = BLK_PERM_WRITE,
};

static int flush_f(BlockBackend *blk, int argc, char **argv)
{
    return blk_flush(blk);
}

static const CmdInfo flush_cmd = {
    .name = "flush", .altname = "f", .cfunc = flush_f,
    .oneline = "flush all in-core file state to disk",
};

static const CmdInfo truncate_cmd;

static int truncate_parse_prealloc(const char *s)
{
    static const char *const names[PREALLOC_MODE__MAX] = {
        [PREALLOC_MODE_OFF] = "off",
        [PREALLOC_MODE_METADATA] = "metadata",
        [PREALLOC_MODE_FALLOC] = "falloc",
        [PREALLOC_MODE_FULL] = "full",
    };
    int i;

    for (i = 0; i < PREALLOC_MODE__MAX; i++) {
        if (!strcmp(s, names[i])) {
            return i;
        }
    }
    error_report("Invalid preallocation mode '%s'", s);
    return -EINVAL;
}

static int truncate_f(BlockBackend *blk, int argc, char **argv)
{
    int prealloc = PREALLOC_MODE_OFF;
    Error *err = NULL;
    int64_t offset;
    int c, ret;

    while ((c = getopt(argc, argv, "m:")) != -1) {
        switch (c) {
        case 'm':
            prealloc = truncate_parse_prealloc(optarg);
            if (prealloc < 0) {
                return -EINVAL;
            }
            break;
        default:
            return qemuio_command_usage(&truncate_cmd);
        }
    }
    if (optind != argc - 1) {
        return qemuio_command_usage(&truncate_cmd);
    }
    offset = qemuio_cvtnum(argv[optind]);
    if (offset < 0) {
        return offset;
    }
    ret = blk_truncate(blk, offset, false, prealloc, &err);
    if (ret < 0) {
        error_report_err(err);
    }
    return ret < 0 ? ret : 0;
}

static const CmdInfo truncate_cmd = {
    .name = "truncate", .altname = "t", .cfunc = truncate_f,
    .argmin = 1, .argmax = 3, .args = "[-m prealloc_mode] off",
    .oneline = "truncates the current file at the given offset",
    .perm = BLK_PERM_WRITE | BLK_PERM_RESIZE,
};

/* length, info */

static int length_f(BlockBackend *blk, int argc, char **argv)
{
    int64_t size = blk_getlength(blk);
    char s[64];

    if (size < 0) {
        printf("getlength: %s\n", strerror(-size));
        return size;
    }
    qemuio_cvtstr(size, s, sizeof(s));
    printf("%s\n", s);
    return 0;
}

static const CmdInfo length_cmd = {
    .name = "length", .altname = "l", .cfunc = length_f,
    .oneline = "gets the length of the current file",
};

static int info_f(BlockBackend *blk, int argc, char **argv)
{
    BlockDriverState *bs = blk_bs(blk);
    BlockDriverInfo bdi;
    char s1[64], s2[64];

    int ret;

    printf("format name: %s\n", bdrv_get_format_name(bs));
    ret = bdrv_get_info(bs, &bdi);
    if (ret < 0) {
        /* QEMU 7.2 repeats the name line when the format has no facts */
        printf("format name: %s\n", bdrv_get_format_name(bs));
        return ret;
    }
    qemuio_cvtstr(bdi.cluster_size, s1, sizeof(s1));
    qemuio_cvtstr(bdi.vm_state_offset, s2, sizeof(s2));
    printf("cluster size: %s\n", s1);
    printf("vm state offset: %s\n", s2);
    return 0;
}

static const CmdInfo info_cmd = {
    .name = "info", .altname = "i", .cfunc = info_f,
    .oneline = "prints information about the current file",
};

/* map, alloc */

/* Allocation status from @offset, merging runs with the same answer. */
static int map_is_allocated(BlockDriverState *bs, int64_t offset,
                            int64_t bytes, int64_t *pnum)
{
    int64_t num;
    int first, ret;

    first = bdrv_is_allocated_above(bs, NULL, true, offset, bytes, &num);
    if (first < 0) {
        return first;
    }
    *pnum = num;
    while (num > 0 && *pnum < bytes) {
        ret = bdrv_is_allocated_above(bs, NULL, true, offset + *pnum,
                                      bytes - *pnum, &num);
        if (ret < 0 || ret != first) {
            break;
        }
        *pnum += num;
    }
    return first;
}

static int map_f(BlockBackend *blk, int argc, char **argv)
{
    int64_t offset = 0, length = blk_getlength(blk), num;
    char s1[64], s2[64];
    int ret;

    if (length < 0) {
        printf("getlength: %s\n", strerror(-length));
        return length;
    }
    while (offset < length) {
        ret = map_is_allocated(blk_bs(blk), offset, length - offset, &num);
        if (ret < 0) {
            printf("Failed to get allocation status: %s\n", strerror(-ret));
            return ret;
        }
        if (num == 0) {
            break;
        }
        qemuio_cvtstr(num, s1, sizeof(s1));
        qemuio_cvtstr(offset, s2, sizeof(s2));
        printf("%s (0x%" PRIx64 ") bytes %s at offset %s (0x%" PRIx64 ")\n",
               s1, num, ret ? "    allocated" : "not allocated", s2, offset);
        offset += num;
    }
    return 0;
}

static const CmdInfo map_cmd = {
    .name = "map", .altname = "m", .cfunc = map_f, .args = "",
    .oneline = "prints the allocated areas of a file",
};

static int alloc_f(BlockBackend *blk, int argc, char **argv)
{
    int64_t offset, bytes = BDRV_SECTOR_SIZE, remaining, sum = 0, seen = 0;
    int64_t num, length;
    char s[64];
    int ret;

    offset = qemuio_cvtnum(argv[1]);
    if (offset < 0) {
        return offset;
    }
    if (argc == 3) {
        bytes = qemuio_cvtlen(argv[2]);
        if (bytes < 0) {
            return bytes;
        }
    }
    length = blk_getlength(blk);
    if (length < 0) {
        printf("getlength: %s\n", strerror(-length));
        return length;
    }
    /* nothing past the end is reported, not even as unallocated */
    bytes = MIN(bytes, MAX(length - offset, 0));
    for (remaining = bytes; remaining > 0; remaining -= num) {
        ret = bdrv_is_allocated_above(blk_bs(blk), NULL, true,
                                      offset + seen, remaining, &num);
        if (ret < 0) {
            printf("is_allocated failed: %s\n", strerror(-ret));
            return ret;
        }
        if (num == 0) {
            break;
        }
        sum += ret ? num : 0;
        seen += num;
    }
    qemuio_cvtstr(offset, s, sizeof(s));
    printf("%" PRId64 "/%" PRId64 " bytes allocated at offset %s\n",
           sum, seen, s);
    return 0;
}

static const CmdInfo alloc_cmd = {
    .name = "alloc", .altname = "a", .cfunc = alloc_f,
    .argmin = 1, .argmax = 2, .args = "offset [count]",
    .oneline = "checks if offset is allocated in the file",
};

/* sleep, help, abort, sigraise */

static int sleep_f(BlockBackend *blk, int argc, char **argv)
{
    char *end;
    long ms = strtol(argv[1], &end, 10);
    int64_t deadline;

    if (ms < 0 || *end || end == argv[1]) {
        printf("%s is not a valid number\n", argv[1]);
        return -EINVAL;
    }
    /* keep completing aio requests while the time passes */
    deadline = qemuio_now() + ms * SCALE_MS;
    while (qemuio_now() < deadline) {
        if (!aio_poll(qemu_get_aio_context(), false)) {
            g_usleep(MIN(1000, (deadline - qemuio_now()) / 1000 + 1));
        }
    }
    return 0;
}

static const CmdInfo sleep_cmd = {
    .name = "sleep", .cfunc = sleep_f, .argmin = 1, .argmax = 1,
    .flags = CMD_FLAG_GLOBAL,
    .oneline = "waits for the given value in milliseconds",
};

static void help_oneline(const CmdInfo *ct)
{
    printf("%s ", ct->name);
    if (ct->args) {
        printf("%s ", ct->args);
    }
    printf("-- %s\n", ct->oneline);
}

static int help_f(BlockBackend *blk, int argc, char **argv)
{
    const CmdInfo *ct;
    int i;

    if (argc == 1) {
        for (i = 0; i < ncmds; i++) {
            help_oneline(cmdtab[i]);
        }
        printf("\nUse 'help commandname' for extended help.\n");
        return 0;
    }
    ct = qemuio_find_command(argv[1]);
    if (!ct) {
        printf("command %s not found\n", argv[1]);
        return -EINVAL;
    }
    help_oneline(ct);
    if (ct->help) {
        ct->help();
    }
    return 0;
}

static const CmdInfo help_cmd = {
    .name = "help", .altname = "?", .cfunc = help_f,
    .argmin = 0, .argmax = 1, .flags = CMD_FLAG_GLOBAL,
    .args = "[command]", .oneline = "help for one or all commands",
};

static int abort_f(BlockBackend *blk, int argc, char **argv)
{
    abort();
}

static const CmdInfo abort_cmd = {
    .name = "abort", .cfunc = abort_f, .flags = CMD_FLAG_GLOBAL,
    .oneline = "simulate a program crash using abort(3)",
};

static int sigraise_f(BlockBackend *blk, int argc, char **argv)
{
    int64_t sig = qemuio_cvtnum(argv[1]);

    if (sig < 0) {
        return sig;
    }
    if (sig > NSIG) {
        printf("signal argument '%s' is too large to be a valid signal\n",
               argv[1]);
        return -EINVAL;
    }
    /* a caught signal returns here; flush so output keeps its order */
    fflush(stdout);
    fflush(stderr);
    raise(sig);
    return 0;
}

static const CmdInfo sigraise_cmd = {
    .name = "sigraise", .cfunc = sigraise_f, .argmin = 1, .argmax = 1,
    .flags = CMD_FLAG_GLOBAL, .args = "signal",
    .oneline = "raises a signal",
};

static void qemuio_add_io_commands(void)
{
    static const CmdInfo *const cmds[] = {
        &abort_cmd, &aio_flush_cmd, &aio_read_cmd, &aio_write_cmd,
        &alloc_cmd, &discard_cmd, &flush_cmd, &help_cmd, &info_cmd,
        &length_cmd, &map_cmd, &read_cmd, &readv_cmd, &sigraise_cmd,
        &sleep_cmd, &truncate_cmd, &write_cmd, &writev_cmd,
    };
    int i;

    for (i = 0; i < ARRAY_SIZE(cmds); i++) {
        qemuio_insert_command(cmds[i]);
    }
}
