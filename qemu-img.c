/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img: the offline image tool.  Parses the command line the way
 * QEMU 7.2's qemu-img does and prints the same output and messages, so
 * scripts written against QEMU keep working; each subcommand is an
 * img_<name>() function below or in qemu-img-*.c.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/qcow2-format.h"
#include "qemu-img.h"
#include "qemu-img-snapshot.h"

void error_exit(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport(fmt, ap);
    va_end(ap);
    error_printf("Try 'qemu-img --help' for more information\n");
    exit(EXIT_FAILURE);
}

static void QEMU_NORETURN missing_argument(const char *option)
{
    error_exit("missing argument for option '%s'", option);
}

static void QEMU_NORETURN unrecognized_option(const char *option)
{
    error_exit("unrecognized option '%s'", option);
}

/* getopt reports through these, so messages match QEMU's wording. */
void img_bad_option(int c, char **argv)
{
    if (c == ':') {
        missing_argument(argv[optind - 1]);
    }
    unrecognized_option(argv[optind - 1]);
}

static char *img_full_version(void)
{
    if (!*QEMU_PKGVERSION) {
        return g_strdup(QEMU_VERSION);
    }
    return g_strdup_printf("%s (%s)", QEMU_VERSION, QEMU_PKGVERSION);
}

static void img_print_version(void)
{
    g_autofree char *v = img_full_version();

    printf("qemu-img version %s\n"
           "Copyright (c) 2003-2022 Fabrice Bellard and the QEMU Project "
           "developers\n", v);
}

void img_help(void)
{
    img_print_version();
    printf("usage: qemu-img [standard options] command [command options]\n"
           "Offline disk image tool\n"
           "\n"
           "    '-h', '--help'       show this text and exit\n"
           "    '-V', '--version'    show the version and exit\n"
           "\n"
           "Command syntax:\n"
           "  check [-q] [-f fmt] [--output=ofmt] [-U] filename\n"
           "  compare [-f fmt] [-F fmt] [-q] [-s] [-U] filename1 filename2\n"
           "  create [-q] [-f fmt] [-b backing_file [-F backing_fmt]] [-u] "
           "[-o options] filename [size]\n"
           "  info [-f fmt] [--output=ofmt] [--backing-chain] [-U] filename\n"
           "  map [-f fmt] [--output=ofmt] [-U] filename\n"
           "\n"
           "'fmt' names an image format; without -f it is detected.\n"
           "'size' is in bytes, with an optional k, M, G, T, P or E "
           "suffix (powers of 1024).\n"
           "'options' is a comma separated list of name=value pairs; "
           "'-o help' lists them.\n"
           "'ofmt' is 'human' (the default) or 'json'.\n"
           "\n"
           "Supported formats: file null-co qcow2 raw\n");
    exit(EXIT_SUCCESS);
}

/* ---- -o option lists ---- */

void img_opts_init(ImgOptList *opts)
{
    opts->names = g_ptr_array_new_with_free_func(g_free);
    opts->values = g_ptr_array_new_with_free_func(g_free);
}

/* Replace option @name (or add it) with @value. */
void img_opt_set(ImgOptList *opts, const char *name, const char *value)
{
    g_ptr_array_add(opts->names, g_strdup(name));
    g_ptr_array_add(opts->values, g_strdup(value));
}

static void img_opt_set_size(ImgOptList *opts, uint64_t size)
{
    g_autofree char *v = g_strdup_printf("%" PRIu64, size);

    img_opt_set(opts, "size", v);
}

void img_opts_free(ImgOptList *opts)
{
    g_ptr_array_free(opts->names, true);
    g_ptr_array_free(opts->values, true);
}

/* Parse "a=b,c=d" (",," is a literal comma) onto the end of @opts. */
bool img_opts_parse(ImgOptList *opts, const char *str, Error **errp)
{
    const char *p = str;

    while (*p) {
        GString *name = g_string_new(NULL);
        GString *value = g_string_new(NULL);
        GString *cur = name;

        for (; *p; p++) {
            if (*p == ',') {
                if (p[1] != ',') {
                    p++;
                    break;
                }
                p++;
            } else if (*p == '=' && cur == name) {
                cur = value;
                continue;
            }
            g_string_append_c(cur, *p);
        }
        if (cur == name && strcmp(name->str, "help") && strcmp(name->str,
                                                               "?")) {
            error_setg(errp, "Invalid parameter '%s'", name->str);
            g_string_free(name, true);
            g_string_free(value, true);
            return false;
        }
        g_ptr_array_add(opts->names, g_string_free(name, false));
        g_ptr_array_add(opts->values, g_string_free(value, false));
    }
    return true;
}

/* ---- create ---- */

static const char *const raw_create_names[] = {
    "size", "preallocation", NULL
};
static const char *const qcow2_create_names[] = {
    "backing_file", "backing_fmt", "cluster_size", "compat",
    "compression_type", "data_file", "data_file_raw", "encrypt.cipher-alg",
    "encrypt.cipher-mode", "encrypt.format", "encrypt.hash-alg",
    "encrypt.iter-time", "encrypt.ivgen-alg", "encrypt.ivgen-hash-alg",
    "encrypt.key-secret", "encryption", "extended_l2", "lazy_refcounts",
    "preallocation", "refcount_bits", "size", NULL
};

/*
 * The creation options "-o help" lists, sorted by name.  Alone the format
 * lists its own; with a target file name QEMU merges in those of the file
 * protocol, and where both have one name the format's text wins.
 */
enum {
    HELP_RAW = 1,
    HELP_QCOW2 = 2,
    HELP_FILE = 4,
};

static const struct {
    const char *name;
    const char *text;
    unsigned owners;
} img_create_help_lines[] = {
    { "backing_file", "<str>     - File name of a base image", HELP_QCOW2 },
    { "backing_fmt", "<str>      - Image format of the base image",
      HELP_QCOW2 },
    { "cluster_size", "<size>    - qcow2 cluster size", HELP_QCOW2 },
    { "compat", "<str>           - Compatibility level (v2 [0.10] or v3 "
      "[1.1])", HELP_QCOW2 },
    { "compression_type", "<str> - Compression method used for image "
      "cluster compression", HELP_QCOW2 },
    { "data_file", "<str>        - File name of an external data file",
      HELP_QCOW2 },
    { "data_file_raw", "<bool (on/off)> - The external data file must stay "
      "valid as a raw image", HELP_QCOW2 },
    { "encrypt.cipher-alg", "<str> - Name of encryption cipher algorithm",
      HELP_QCOW2 },
    { "encrypt.cipher-mode", "<str> - Name of encryption cipher mode",
      HELP_QCOW2 },
    { "encrypt.format", "<str>   - Encrypt the image, format choices: "
      "'aes', 'luks'", HELP_QCOW2 },
    { "encrypt.hash-alg", "<str> - Name of encryption hash algorithm",
      HELP_QCOW2 },
    { "encrypt.iter-time", "<num> - Time to spend in PBKDF in milliseconds",
      HELP_QCOW2 },
    { "encrypt.ivgen-alg", "<str> - Name of IV generator algorithm",
      HELP_QCOW2 },
    { "encrypt.ivgen-hash-alg", "<str> - Name of IV generator hash "
      "algorithm", HELP_QCOW2 },
    { "encrypt.key-secret", "<str> - ID of secret providing qcow AES key or "
      "LUKS passphrase", HELP_QCOW2 },
    { "encryption", "<bool (on/off)> - Encrypt the image with format "
      "'aes'. (Deprecated in favor of encrypt.format=aes)", HELP_QCOW2 },
    { "extended_l2", "<bool (on/off)> - Extended L2 tables", HELP_QCOW2 },
    { "extent_size_hint", "<size> - Extent size hint for the image file, 0 "
      "to disable", HELP_FILE },
    { "lazy_refcounts", "<bool (on/off)> - Postpone refcount updates",
      HELP_QCOW2 },
    { "nocow", "<bool (on/off)>  - Turn off copy-on-write (valid only on "
      "btrfs)", HELP_FILE },
    { "preallocation", "<str>    - Preallocation mode (allowed values: off, "
      "metadata, falloc, full)", HELP_QCOW2 },
    { "preallocation", "<str>    - Preallocation mode (allowed values: off, "
      "falloc, full)", HELP_FILE },
    { "refcount_bits", "<num>    - Width of a reference count entry in bits",
      HELP_QCOW2 },
    { "size", "<size>            - Virtual disk size",
      HELP_RAW | HELP_QCOW2 | HELP_FILE },
};

void img_create_help(const char *fmt, const char *filename)
{
    unsigned own = !strcmp(fmt, "raw") ? HELP_RAW : HELP_QCOW2;
    unsigned shown = filename ? own | HELP_FILE : own;
    const char *last = "";
    size_t i;

    if (filename) {
        printf("Supported options:\n");
    } else {
        printf("Supported %s options:\n", fmt);
    }
    for (i = 0; i < G_N_ELEMENTS(img_create_help_lines); i++) {
        /* the format's line comes first when both have the name */
        if (!(img_create_help_lines[i].owners & shown) ||
            !strcmp(img_create_help_lines[i].name, last)) {
            continue;
        }
        last = img_create_help_lines[i].name;
        printf("  %s=%s\n", last, img_create_help_lines[i].text);
    }
    if (!filename) {
        printf("\nThe protocol level may support further options.\n"
               "Specify the target filename to include those options.\n");
    }
}

static bool img_check_bool_opts(ImgOptList *opts, Error **errp);

static bool img_check_opt_names(ImgOptList *opts, const char *const *names,
                                Error **errp)
{
    guint i;

    for (i = 0; i < opts->names->len; i++) {
        const char *n = g_ptr_array_index(opts->names, i);

        if (!g_strv_contains(names, n)) {
            error_setg(errp, "Invalid parameter '%s'", n);
            return false;
        }
    }
    return true;
}

bool img_create_check_opts(const char *fmt, ImgOptList *opts, Error **errp)
{
    return img_check_opt_names(opts, strcmp(fmt, "raw") ? qcow2_create_names
                                                        : raw_create_names,
                               errp) &&
           img_check_bool_opts(opts, errp);
}

/* A size option value as QEMU prints it: in bytes. */
static void img_fmt_size(GString *s, ImgOptList *opts, const char *name,
                         const char *defval)
{
    const char *v = img_opt_get(opts, name);
    uint64_t n;

    if (!v) {
        v = defval;
    }
    if (v && qemu_strtosz(v, NULL, &n) == 0) {
        g_string_append_printf(s, " %s=%" PRIu64, name, n);
    } else if (v) {
        g_string_append_printf(s, " %s=%s", name, v);
    }
}

static void img_fmt_opt(GString *s, ImgOptList *opts, const char *name,
                        const char *defval)
{
    const char *v = img_opt_get(opts, name);

    if (v || defval) {
        g_string_append_printf(s, " %s=%s", name, v ? v : defval);
    }
}

/* The "Formatting ..." line, options in the order QEMU lists them. */
static void img_print_formatting(const char *filename, const char *fmt,
                                 ImgOptList *opts)
{
    g_autoptr(GString) s = g_string_new(NULL);

    g_string_append_printf(s, "Formatting '%s', fmt=%s", filename, fmt);
    if (!strcmp(fmt, "raw")) {
        img_fmt_size(s, opts, "size", NULL);
        img_fmt_opt(s, opts, "preallocation", NULL);
    } else {
        img_fmt_opt(s, opts, "encryption", NULL);
        img_fmt_size(s, opts, "cluster_size", "65536");
        img_fmt_opt(s, opts, "extended_l2", "off");
        img_fmt_opt(s, opts, "preallocation", NULL);
        img_fmt_opt(s, opts, "compression_type", "zlib");
        img_fmt_size(s, opts, "size", NULL);
        img_fmt_opt(s, opts, "compat", NULL);
        img_fmt_opt(s, opts, "backing_file", NULL);
        img_fmt_opt(s, opts, "backing_fmt", NULL);
        img_fmt_opt(s, opts, "data_file", NULL);
        img_fmt_opt(s, opts, "lazy_refcounts", "off");
        img_fmt_opt(s, opts, "refcount_bits", "16");
    }
    printf("%s\n", s->str);
    fflush(stdout);
}

/* Parse a size argument, exiting with QEMU's messages if it is bad. */
static uint64_t img_parse_size(const char *str)
{
    uint64_t size;
    int ret = qemu_strtosz(str, NULL, &size);

    if (ret == -ERANGE || (ret == 0 && size > INT64_MAX)) {
        error_report("Invalid image size specified. Must be between 0 and "
                     "%" PRId64 ".", INT64_MAX);
        exit(EXIT_FAILURE);
    }
    if (ret < 0) {
        error_report("Invalid image size specified. You may use k, M, G, T, "
                     "P or E suffixes for");
        error_report("kilobytes, megabytes, gigabytes, terabytes, petabytes "
                     "and exabytes.");
        exit(EXIT_FAILURE);
    }
    return size;
}

/* Boolean options are checked before anything is printed, as in QEMU. */
static bool img_check_bool_opts(ImgOptList *opts, Error **errp)
{
    static const char *const names[] = {
        "lazy_refcounts", "extended_l2", "encryption", "data_file_raw",
    };
    size_t i;
    bool b;

    for (i = 0; i < G_N_ELEMENTS(names); i++) {
        const char *v = img_opt_get(opts, names[i]);

        if (v && !qapi_bool_parse(names[i], v, &b, NULL)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'",
                       names[i]);
            return false;
        }
    }
    return true;
}

/* Guess the format of an image file from its first bytes. */
const char *img_probe_format(const char *filename, Error **errp)
{
    QDict *o = qdict_new();
    BlockBackend *blk;
    uint8_t magic[4] = { 0 };
    bool qcow2;

    qdict_put_str(o, "driver", "file");
    blk = blk_new_open(filename, NULL, o, BDRV_O_PROTOCOL, errp);
    if (!blk) {
        return NULL;
    }
    qcow2 = blk_getlength(blk) >= 4 && blk_pread(blk, 0, 4, magic, 0) >= 0 &&
            ((uint32_t)magic[0] << 24 | magic[1] << 16 | magic[2] << 8 |
             magic[3]) == QCOW_MAGIC;
    blk_unref(blk);
    return qcow2 ? "qcow2" : "raw";
}

/*
 * Open @filename read-only as @fmt (probed if NULL), leaving out any
 * backing file: info and friends read only the image itself.
 */
BlockBackend *img_open(const char *filename, const char *fmt,
                              bool with_backing, Error **errp)
{
    QDict *o;

    if (!fmt) {
        Error *local_err = NULL;

        fmt = img_probe_format(filename, &local_err);
        if (!fmt) {
            error_propagate(errp, local_err);
            return NULL;
        }
    }
    if (!bdrv_find_format(fmt)) {
        error_setg(errp, "Unknown driver '%s'", fmt);
        return NULL;
    }
    o = qdict_new();
    qdict_put_str(o, "driver", fmt);
    if (!strcmp(fmt, "qcow2") && !with_backing) {
        qdict_put_str(o, "backing", "");
    }
    return blk_new_open(filename, NULL, o, 0, errp);
}

int64_t img_getlength(BlockBackend *blk)
{
    int64_t len = blk_getlength(blk);

    return len < 0 ? len : QEMU_ALIGN_UP(len, BDRV_SECTOR_SIZE);
}

/* The virtual size of the backing file, for create without a size. */
static bool img_backing_size(const char *filename, const char *backing,
                             const char *backing_fmt, uint64_t *size,
                             Error **errp)
{
    g_autofree char *path = path_combine(filename, backing);
    BlockBackend *blk = img_open(path, backing_fmt, true, errp);
    int64_t len;

    if (!blk) {
        error_append_hint(errp, "Could not open backing image.\n");
        return false;
    }
    len = img_getlength(blk);
    blk_unref(blk);
    if (len < 0) {
        error_setg_errno(errp, -len, "Could not get the backing file size");
        return false;
    }
    *size = len;
    return true;
}

static int img_create(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { NULL, 0, NULL, 0 }
    };
    const char *fmt = "raw", *filename, *backing = NULL, *backing_fmt = NULL;
    bool quiet = false, unsafe = false;
    ImgOptList opts;
    Error *err = NULL;
    uint64_t size = 0;
    bool have_size = false, ok;
    int c;

    img_opts_init(&opts);
    for (;;) {
        c = getopt_long(argc, argv, ":F:b:f:ho:qu", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case ':':
        case '?':
            img_bad_option(c, argv);
            break;
        case 'h':
            img_help();
            break;
        case 'F':
            backing_fmt = optarg;
            break;
        case 'b':
            backing = optarg;
            break;
        case 'f':
            fmt = optarg;
            break;
        case 'o':
            if (!img_opts_parse(&opts, optarg, &err)) {
                error_report_err(err);
                exit(EXIT_FAILURE);
            }
            break;
        case 'q':
            quiet = true;
            break;
        case 'u':
            unsafe = true;
            break;
        case IMG_OPTION_OBJECT:
            error_report("--object is not supported");
            exit(EXIT_FAILURE);
        }
    }

    if (strcmp(fmt, "raw") && strcmp(fmt, "qcow2")) {
        if (optind < argc) {
            error_report("%s: Unknown file format '%s'", argv[optind], fmt);
        } else {
            error_report("Unknown file format '%s'", fmt);
        }
        exit(EXIT_FAILURE);
    }
    if (img_opt_get(&opts, "help") || img_opt_get(&opts, "?")) {
        img_create_help(fmt, optind < argc ? argv[optind] : NULL);
        img_opts_free(&opts);
        return 0;
    }
    if (optind >= argc) {
        error_exit("Expecting image file name");
    }
    filename = argv[optind++];
    if (optind < argc) {
        size = img_parse_size(argv[optind]);
        have_size = true;
        optind++;
    }
    if (optind != argc) {
        error_exit("Unexpected argument: %s", argv[optind]);
    }

    if (!img_check_opt_names(&opts, strcmp(fmt, "raw") ? qcow2_create_names
                                                        : raw_create_names,
                             &err) ||
        !img_check_bool_opts(&opts, &err)) {
        error_reportf_err(err, "%s: ", filename);
        exit(EXIT_FAILURE);
    }
    if (!backing) {
        backing = img_opt_get(&opts, "backing_file");
    }
    if (!backing_fmt) {
        backing_fmt = img_opt_get(&opts, "backing_fmt");
    }
    if (!have_size && img_opt_get(&opts, "size")) {
        size = img_parse_size(img_opt_get(&opts, "size"));
        have_size = true;
    }
    if (backing && !strcmp(fmt, "raw")) {
        error_report("%s: Backing file not supported for file format 'raw'",
                     filename);
        exit(EXIT_FAILURE);
    }
    if (backing && !backing_fmt) {
        char *path = path_combine(filename, backing);
        const char *probed = unsafe ? NULL : img_probe_format(path, NULL);

        g_free(path);
        error_report("%s: Backing file specified without backing format",
                     filename);
        if (probed) {
            error_printf("Detected format of %s.", probed);
        }
        exit(EXIT_FAILURE);
    }
    if (backing && !unsafe) {
        /* QEMU opens the backing file even when the size is given. */
        uint64_t backing_size;

        if (!img_backing_size(filename, backing, backing_fmt, &backing_size,
                              &err)) {
            error_reportf_err(err, "%s: ", filename);
            exit(EXIT_FAILURE);
        }
        if (!have_size) {
            size = backing_size;
            have_size = true;
        }
    }
    if (!have_size) {
        error_report("%s: Image creation needs a size parameter", filename);
        exit(EXIT_FAILURE);
    }

    img_opt_set_size(&opts, size);
    if (backing) {
        img_opt_set(&opts, "backing_file", backing);
        img_opt_set(&opts, "backing_fmt", backing_fmt);
    }
    if (!quiet) {
        img_print_formatting(filename, fmt, &opts);
    }
    if (!strcmp(fmt, "raw")) {
        ok = img_create_raw(filename, &opts, size, &err);
    } else {
        ok = img_create_qcow2(filename, &opts, size, backing, backing_fmt,
                              &err);
    }
    img_opts_free(&opts);
    if (!ok) {
        error_reportf_err(err, "%s: ", filename);
        return 1;
    }
    return 0;
}

bool img_parse_output(const char *output, bool *json)
{
    if (!output || !strcmp(output, "human")) {
        *json = false;
    } else if (!strcmp(output, "json")) {
        *json = true;
    } else {
        error_report("--output must be used with human or json as "
                     "argument.");
        return false;
    }
    return true;
}

bool img_read_only_option(int c, char **argv, const char **fmt,
                          const char **output)
{
    switch (c) {
    case ':':
    case '?':
        img_bad_option(c, argv);
    case 'h':
        img_help();
    case 'f':
        *fmt = optarg;
        return true;
    case 'U':
        /* These images are opened read-only: sharing is already allowed. */
        return true;
    case IMG_OPTION_OUTPUT:
        *output = optarg;
        return true;
    default:
        return false;
    }
}

const char *img_single_image(int argc, char **argv, const char *output,
                             bool *json)
{
    if (optind != argc - 1) {
        error_exit("Expecting one image file name");
    }
    if (!img_parse_output(output, json)) {
        return NULL;
    }
    return argv[optind];
}

BlockBackend *img_open_reported(const char *filename, const char *fmt,
                                bool with_backing)
{
    Error *err = NULL;
    BlockBackend *blk = img_open(filename, fmt, with_backing, &err);

    if (!blk) {
        error_reportf_err(err, "Could not open '%s': ", filename);
    }
    return blk;
}

/* ---- main ---- */

typedef struct ImgCmd {
    const char *name;
    int (*handler)(int argc, char **argv);
} ImgCmd;

static const ImgCmd img_cmds[] = {
    { "create", img_create },
    { "info", img_info },
    { "map", img_map },
    { "compare", img_compare },
    { "check", img_check },
    { "convert", img_convert },
    { "dd", img_dd },
    { "resize", img_resize },
    /* qcow2-meta */
    { "measure", img_measure },
    { "snapshot", img_snapshot },
    { "amend", img_amend },
    { NULL, NULL }
};

int main(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    const ImgCmd *cmd;
    const char *name;
    int c;

    g_set_prgname("qemu-img");
    qemu_init_main_loop(&error_fatal);
    bdrv_init();
    if (argc < 2) {
        error_exit("Not enough arguments");
    }
    while ((c = getopt_long(argc, argv, "+:hVT:", long_options,
                            NULL)) != -1) {
        switch (c) {
        case ':':
        case '?':
            img_bad_option(c, argv);
            break;
        case 'h':
            img_help();
            break;
        case 'V':
            img_print_version();
            return 0;
        case 'T':
            break;
        }
    }
    if (optind >= argc) {
        error_exit("Not enough arguments");
    }
    name = argv[optind];
    /* Each subcommand parses its own options from its own argv[0]. */
    argc -= optind;
    argv += optind;
    optind = 0;
    for (cmd = img_cmds; cmd->name; cmd++) {
        if (!strcmp(name, cmd->name)) {
            return cmd->handler(argc, argv);
        }
    }
    error_exit("Command not found: %s", name);
}
