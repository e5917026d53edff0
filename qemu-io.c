/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-io: the disk exerciser.  Opens one image and runs the commands of
 * qemu-io-cmds.c on it, from -c arguments or interactively from stdin.
 * This file owns the open image, hence the open, close and quit commands.
 */
#include "qemu/osdep.h"
#include "qemu-io.h"
#include "qemu/error-report.h"
#include "qemu/keyval.h"
#include "qemu/main-loop.h"
#include "block/block_int.h"   /* bdrv_parse_discard_flags() */
#include <getopt.h>

#define QEMUIO_PROMPT "qemu-io> "

static BlockBackend *qemuio_blk;
static bool quit_requested;

/* How an image is to be opened (the tool options and "open" options). */
typedef struct OpenParams {
    int flags;
    bool force_share, writethrough, native_aio;
} OpenParams;

static bool qemuio_parse_cache(const char *mode, OpenParams *p, QDict *opts)
{
    bool direct = false, no_flush = false;

    if (!strcmp(mode, "none") || !strcmp(mode, "off")) {
        direct = true;
    } else if (!strcmp(mode, "directsync")) {
        direct = p->writethrough = true;
    } else if (!strcmp(mode, "writethrough")) {
        p->writethrough = true;
    } else if (!strcmp(mode, "unsafe")) {
        no_flush = true;
    } else if (strcmp(mode, "writeback")) {
        return false;
    }
    qdict_put_str(opts, "cache.direct", direct ? "on" : "off");
    qdict_put_str(opts, "cache.no-flush", no_flush ? "on" : "off");
    return true;
}

static bool qemuio_parse_aio(const char *mode, OpenParams *p)
{
    if (!strcmp(mode, "native") || !strcmp(mode, "io_uring")) {
        p->native_aio = true;   /* served by the thread pool here */
        return true;
    }
    return !strcmp(mode, "threads");
}

static bool qemuio_uses_direct(QDict *opts)
{
    const char *direct = qdict_get_try_str(opts, "cache.direct");

    return direct && !strcmp(direct, "on");
}

/* Open @name (or only @opts) as the tool's image; false and a message. */
static bool qemuio_open(const char *name, QDict *opts, OpenParams *p)
{
    Error *err = NULL;
    g_autofree char *warning = NULL;

    if (p->native_aio && !qemuio_uses_direct(opts)) {
        error_setg(&err, "aio=native was specified, but it requires "
                   "cache.direct=on, which was not specified.");
        qobject_unref(opts);
        goto fail;
    }
    if (p->force_share) {
        qdict_put_str(opts, "force-share", "on");
    }
    qemuio_blk = blk_new_open(name, NULL, opts, p->flags, &err);
    if (!qemuio_blk) {
        goto fail;
    }
    /* the probing warning is about writes, so read-only opens skip it */
    warning = bdrv_probe_warning(blk_bs(qemuio_blk));
    if (warning && (p->flags & BDRV_O_RDWR)) {
        fprintf(stderr, "%s\n", warning);
    }
    return true;

fail:
    if (name) {
        error_reportf_err(err, "can't open device %s: ", name);
    } else {
        error_reportf_err(err, "can't open: ");
    }
    return false;
}

/* The "open" command */

static const CmdInfo open_cmd;

static int open_parse_opt(int c, OpenParams *p, QDict *opts)
{
    Error *err = NULL;

    switch (c) {
    case 'r': p->flags &= ~BDRV_O_RDWR; return 0;
    case 'n': qdict_put_str(opts, "cache.direct", "on"); return 0;
    case 'k': p->native_aio = true; return 0;
    case 'U': p->force_share = true; return 0;
    case 's':
    case 'C':
        printf("-%c is not supported by this build\n", c);
        return -ENOTSUP;
    case 't':
        if (!qemuio_parse_cache(optarg, p, opts)) {
            error_report("Invalid cache option: %s", optarg);
            return -EINVAL;
        }
        return 0;
    case 'i':
        if (!qemuio_parse_aio(optarg, p)) {
            error_report("Invalid aio option: %s", optarg);
            return -EINVAL;
        }
        return 0;
    case 'd':
        if (!bdrv_parse_discard_flags(optarg, &p->flags, &err)) {
            error_free(err);
            error_report("Invalid discard option: %s", optarg);
            return -EINVAL;
        }
        return 0;
    case 'o':
        if (!keyval_parse_into(opts, optarg, NULL, NULL, &err)) {
            error_report_err(err);
            return -EINVAL;
        }
        return 0;
    default:
        return qemuio_command_usage(&open_cmd);
    }
}

static int open_f(BlockBackend *blk, int argc, char **argv)
{
    OpenParams p = { .flags = BDRV_O_RDWR | BDRV_O_UNMAP };
    QDict *opts = qdict_new();
    int c, ret;

    while ((c = getopt(argc, argv, "snCro:kt:d:i:U")) != -1) {
        ret = open_parse_opt(c, &p, opts);
        if (ret < 0) {
            qobject_unref(opts);
            return ret;
        }
    }
    if (qemuio_blk) {
        error_report("file open already, try 'help close'");
        qobject_unref(opts);
        return -EBUSY;
    }
    if (optind == argc - 1 || (optind == argc && qdict_size(opts))) {
        return qemuio_open(argv[optind], opts, &p) ? 0 : -EINVAL;
    }
    qobject_unref(opts);
    return qemuio_command_usage(&open_cmd);
}

static void open_help(void)
{
    printf("\n"
" opens an image for the other commands, read-write unless -r is given\n"
"\n"
" Example:\n"
" 'open -n -o driver=raw /tmp/data' - opens a raw image, bypassing the\n"
" host cache\n"
"\n"
" -r, -- open the image read-only\n"
" -s, -- use a temporary snapshot (not supported by this build)\n"
" -C, -- copy on read (not supported by this build)\n"
" -n, -- bypass the host cache, the same as -t none\n"
" -U, -- share all permissions with other users of the image\n"
" -k, -- use native AIO (served by the thread pool here)\n"
" -i, -- AIO mode: threads, native or io_uring\n"
" -t, -- cache mode: none, writeback, writethrough, directsync, unsafe\n"
" -d, -- discard mode: ignore (off) or unmap (on)\n"
" -o, -- block driver options as key=value,...\n"
"\n");
}

static const CmdInfo open_cmd = {
    .name = "open", .altname = "o", .cfunc = open_f,
    .argmin = 1, .argmax = -1, .flags = CMD_FLAG_GLOBAL,
    .args = "[-rsCnkU] [-t cache] [-d discard] [-o options] [path]",
    .oneline = "open the file specified by path",
    .help = open_help,
};

static int close_f(BlockBackend *blk, int argc, char **argv)
{
    qemuio_complete_aio();
    blk_unref(qemuio_blk);
    qemuio_blk = NULL;
    return 0;
}

static const CmdInfo close_cmd = {
    .name = "close", .altname = "c", .cfunc = close_f,
    .oneline = "close the current open file",
};

static int quit_f(BlockBackend *blk, int argc, char **argv)
{
    quit_requested = true;
    return 0;
}

static const CmdInfo quit_cmd = {
    .name = "quit", .altname = "q", .cfunc = quit_f,
    .flags = CMD_FLAG_GLOBAL, .oneline = "exit the program",
};

/* Command line */

static void usage(const char *name)
{
    printf(
"Usage: %s [OPTIONS]... [-c STRING]... [file]\n"
"QEMU Disk exerciser\n"
"\n"
"  --object OBJECTDEF   define an object such as 'secret' for\n"
"                       passwords and/or encryption keys\n"
"  --image-opts         treat file as option string\n"
"  -c, --cmd STRING     execute command with its arguments\n"
"                       from the given string\n"
"  -f, --format FMT     specifies the block driver to use\n"
"  -r, --read-only      export read-only\n"
"  -s, --snapshot       use snapshot file\n"
"  -n, --nocache        disable host cache, short for -t none\n"
"  -C, --copy-on-read   enable copy-on-read\n"
"  -m, --misalign       misalign allocations for O_DIRECT\n"
"  -k, --native-aio     use kernel AIO implementation\n"
"                       (Linux only, prefer use of -i)\n"
"  -i, --aio=MODE       use AIO mode (threads, native or io_uring)\n"
"  -t, --cache=MODE     use the given cache mode for the image\n"
"  -d, --discard=MODE   use the given discard mode for the image\n"
"  -T, --trace [[enable=]<pattern>][,events=<file>][,file=<file>]\n"
"                       specify tracing options\n"
"                       see qemu-img(1) man page for full description\n"
"  -U, --force-share    force shared permissions\n"
"  -h, --help           display this help and exit\n"
"  -V, --version        output version information and exit\n"
"\n"
"See '%s -c help' for information on available commands.\n"
"\n"
"See <https://qemu.org/contribute/report-a-bug> for how to report bugs.\n"
"More information on the QEMU project at <https://qemu.org>.\n",
           name, name);
}

static void version(const char *name)
{
    if (*QEMU_PKGVERSION) {
        printf("%s version " QEMU_VERSION " (" QEMU_PKGVERSION ")\n", name);
    } else {
        printf("%s version " QEMU_VERSION "\n", name);
    }
    printf("Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project "
           "developers\n");
}

typedef struct ToolConfig {
    OpenParams open;
    QDict *opts;
    GPtrArray *cmds;
    const char *format;
    bool image_opts;
} ToolConfig;

enum { OPTION_OBJECT = 256, OPTION_IMAGE_OPTS };

static const struct option long_options[] = {
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { "cmd", required_argument, NULL, 'c' },
    { "format", required_argument, NULL, 'f' },
    { "read-only", no_argument, NULL, 'r' },
    { "snapshot", no_argument, NULL, 's' },
    { "nocache", no_argument, NULL, 'n' },
    { "copy-on-read", no_argument, NULL, 'C' },
    { "misalign", no_argument, NULL, 'm' },
    { "native-aio", no_argument, NULL, 'k' },
    { "aio", required_argument, NULL, 'i' },
    { "discard", required_argument, NULL, 'd' },
    { "cache", required_argument, NULL, 't' },
    { "trace", required_argument, NULL, 'T' },
    { "object", required_argument, NULL, OPTION_OBJECT },
    { "image-opts", no_argument, NULL, OPTION_IMAGE_OPTS },
    { "force-share", no_argument, NULL, 'U' },
    { NULL, 0, NULL, 0 }
};

/* One tool option; exits for -h, -V and mistakes. */
static void parse_tool_opt(int c, ToolConfig *cfg, const char *prog)
{
    switch (c) {
    case 'c': g_ptr_array_add(cfg->cmds, optarg); return;
    case 'f': cfg->format = optarg; return;
    case 'm': qemuio_set_misalign(true); return;
    case OPTION_IMAGE_OPTS: cfg->image_opts = true; return;
    case 'h': usage("qemu-io"); exit(0);
    case 'V': version("qemu-io"); exit(0);
    case 'T':
    case OPTION_OBJECT:
        error_report("%s is not supported by this build",
                     c == 'T' ? "--trace" : "--object");
        exit(1);
    case 'r': case 'n': case 'k': case 'U': case 's': case 'C':
    case 't': case 'i': case 'd':
        if (open_parse_opt(c, &cfg->open, cfg->opts) == 0) {
            return;
        }
        exit(1);
    default:
        usage("qemu-io");
        exit(1);
    }
}

/* Open the image named on the command line, as the options describe. */
static bool open_tool_image(ToolConfig *cfg, const char *name)
{
    Error *err = NULL;
    QDict *opts = cfg->opts;

    cfg->opts = NULL;
    if (cfg->image_opts) {
        if (cfg->format) {
            error_report("--image-opts and -f are mutually exclusive");
            qobject_unref(opts);
            return false;
        }
        if (!keyval_parse_into(opts, name, NULL, NULL, &err)) {
            error_report_err(err);
            qobject_unref(opts);
            return false;
        }
        return qemuio_open(NULL, opts, &cfg->open);
    }
    if (cfg->format) {
        qdict_put_str(opts, "driver", cfg->format);
    }
    return qemuio_open(name, opts, &cfg->open);
}

static int run_interactive(void)
{
    g_autofree char *line = NULL;
    size_t size = 0;
    int failed = 0;

    while (!quit_requested) {
        printf("%s", QEMUIO_PROMPT);
        fflush(stdout);
        if (getline(&line, &size, stdin) < 0) {
            break;
        }
        failed |= qemuio_command(qemuio_blk, line) < 0;
        fflush(stdout);
    }
    return failed;
}

static int run_commands(GPtrArray *cmds)
{
    int failed = 0;
    guint i;

    for (i = 0; i < cmds->len && !quit_requested; i++) {
        /* stdout stays buffered, as QEMU's, so 2>&1 orders alike */
        failed |= qemuio_command(qemuio_blk, cmds->pdata[i]) < 0;
    }
    return failed;
}

int main(int argc, char **argv)
{
    ToolConfig cfg = { .open.flags = BDRV_O_RDWR | BDRV_O_UNMAP };
    const char *sopt = "hVc:d:f:rsnCmkt:T:Ui:";
    Error *err = NULL;
    int c, failed;

    g_set_prgname("qemu-io");
    cfg.opts = qdict_new();
    cfg.cmds = g_ptr_array_new();
    while ((c = getopt_long(argc, argv, sopt, long_options, NULL)) != -1) {
        parse_tool_opt(c, &cfg, argv[0]);
    }
    if (optind < argc - 1) {
        usage("qemu-io");
        exit(1);
    }
    if (!qemu_init_main_loop(&err)) {
        error_report_err(err);
        exit(1);
    }
    bdrv_init();
    qemuio_add_command(&open_cmd);
    qemuio_add_command(&close_cmd);
    qemuio_add_command(&quit_cmd);
    if (optind == argc - 1 && !open_tool_image(&cfg, argv[optind])) {
        exit(1);
    }
    qobject_unref(cfg.opts);
    failed = cfg.cmds->len ? run_commands(cfg.cmds) : run_interactive();
    qemuio_complete_aio();
    blk_unref(qemuio_blk);
    g_ptr_array_free(cfg.cmds, true);
    return failed ? 1 : 0;
}
