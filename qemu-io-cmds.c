/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-io-cmds: the command table of the disk exerciser and the commands
 * that touch an open image.  Every report line keeps QEMU 7.2's shape so
 * its iotests filters (times, rates) apply unchanged.
 */
#include "qemu/osdep.h"
#include "qemu-io.h"
#include "qemu-io-internal.h"
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

void qemuio_cvtstr(double value, char *str, size_t size)
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

int64_t qemuio_now(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

void qemuio_report(int64_t t1, int64_t total, int cnt, bool cflag)
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
void qemuio_report_op(const char *verb, int64_t offset, int64_t len,
                      int64_t t1, bool cflag)
{
    if (!cflag) {
        printf("%s %" PRId64 "/%" PRId64 " bytes at offset %" PRId64 "\n",
               verb, len, len, offset);
    }
    qemuio_report(t1, len, 1, cflag);
}

/* Argument parsing */

int64_t qemuio_cvtnum(const char *s)
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
int64_t qemuio_cvtlen(const char *s)
{
    int64_t len = qemuio_cvtnum(s);

    if (len > BDRV_REQUEST_MAX_BYTES) {
        printf("length cannot exceed %d, given %s\n",
               BDRV_REQUEST_MAX_BYTES, s);
        return -EINVAL;
    }
    return len;
}

int qemuio_parse_pattern(const char *arg)
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

void *qemuio_alloc(BlockBackend *blk, size_t len, int pattern)
{
    size_t extra = qemuio_misalign ? MISALIGN_OFFSET : 0;
    uint8_t *buf = qemu_blockalign(blk_bs(blk), len + extra);

    memset(buf, pattern, len + extra);
    return buf + extra;
}

void qemuio_free(void *p)
{
    qemu_vfree((uint8_t *)p - (qemuio_misalign ? MISALIGN_OFFSET : 0));
}

/* Build a vector of buffers from the "len [len..]" arguments. */
void *qemuio_create_iovec(BlockBackend *blk, QEMUIOVector *qiov,
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
void qemuio_dump_buffer(const uint8_t *buf, int64_t offset,
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
int64_t qemuio_find_mismatch(const uint8_t *buf, int c, int64_t len)
{
    int64_t i;

    for (i = 0; i < len; i++) {
        if (buf[i] != c) {
            return i;
        }
    }
    return -1;
}

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
