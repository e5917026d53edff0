/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between the qemu-img source files: the -o option list (kept in
 * the order given, as a small array, since it holds a handful of entries)
 * and the subcommands implemented outside qemu-img.c.
 */
#ifndef QEMU_IMG_H
#define QEMU_IMG_H

#include "qapi/error.h"
#include "block/block-backend.h"

/* Long options without a short form, shared by the subcommands. */
enum {
    IMG_OPTION_OUTPUT = 256,
    IMG_OPTION_BACKING_CHAIN,
    IMG_OPTION_OBJECT,
    IMG_OPTION_IMAGE_OPTS,
};

/**
 * error_exit:
 * Report a command line mistake, point at --help and exit with status 1.
 */
void G_GNUC_PRINTF(1, 2) QEMU_NORETURN error_exit(const char *fmt, ...);

/**
 * img_bad_option:
 * Exit with QEMU's message for getopt's answer @c (':' or '?').
 */
void QEMU_NORETURN img_bad_option(int c, char **argv);

/**
 * img_help:
 * Print the usage text and exit with status 0.
 */
void QEMU_NORETURN img_help(void);

/**
 * img_open:
 * Open @filename read-only as @fmt (probed if NULL) in a new backend;
 * the backing file is opened too only if @with_backing.
 */
BlockBackend *img_open(const char *filename, const char *fmt,
                       bool with_backing, Error **errp);

/**
 * img_getlength:
 * The virtual size of @blk as QEMU's tools see it: QEMU counts whole
 * 512-byte sectors, so a raw file of odd length is rounded up.
 */
int64_t img_getlength(BlockBackend *blk);

/**
 * img_parse_output:
 * Parse an --output argument (NULL means human) into *@json; reports and
 * returns false if it is neither "human" nor "json".
 */
bool img_parse_output(const char *output, bool *json);

/**
 * img_read_only_option:
 * Handle an option that the read-only subcommands (check, info, map)
 * share: getopt's errors, -h, -f (into *@fmt), -U and --output (into
 * *@output).  Returns false if @c is none of them.
 */
bool img_read_only_option(int c, char **argv, const char **fmt,
                          const char **output);

/**
 * img_single_image:
 * After a subcommand's options: require exactly one image name (exiting
 * with QEMU's message otherwise) and parse @output into *@json.  Returns
 * the image name, or NULL after reporting a bad --output.
 */
const char *img_single_image(int argc, char **argv, const char *output,
                             bool *json);

/**
 * img_open_reported:
 * img_open(), reporting a failure as QEMU's tools do
 * ("Could not open 'FILE': ...").  Returns NULL after reporting.
 */
BlockBackend *img_open_reported(const char *filename, const char *fmt,
                                bool with_backing);

/**
 * img_info:
 * The info subcommand; returns the exit status.
 */
int img_info(int argc, char **argv);

/**
 * img_map:
 * The map subcommand; returns the exit status.
 */
int img_map(int argc, char **argv);

/**
 * img_compare:
 * The compare subcommand; returns 0 (identical), 1 (different) or 2.
 */
int img_compare(int argc, char **argv);

/**
 * img_check:
 * The check subcommand (qcow2, no repairs); returns QEMU's exit status.
 */
int img_check(int argc, char **argv);

/* "-o" options: name/value pairs in the order given, later wins. */
typedef struct ImgOptList {
    GPtrArray *names;
    GPtrArray *values;
} ImgOptList;

/**
 * img_opt_get:
 * The value of option @name in @opts (the last one given), or NULL.
 */
const char *img_opt_get(ImgOptList *opts, const char *name);

/**
 * img_create_qcow2:
 * Write a fresh qcow2 image of @size bytes to @filename with the creation
 * options @opts, naming @backing_file (may be NULL) of format
 * @backing_fmt (may be NULL).  Returns false with @errp set.
 */
bool img_create_qcow2(const char *filename, ImgOptList *opts, uint64_t size,
                      const char *backing_file, const char *backing_fmt,
                      Error **errp);

/**
 * img_create_raw:
 * Create a raw image of @size bytes, honouring "preallocation" in @opts.
 */
bool img_create_raw(const char *filename, ImgOptList *opts, uint64_t size,
                    Error **errp);

/**
 * img_opts_init:
 * Start an empty -o option list.
 */
void img_opts_init(ImgOptList *opts);

/**
 * img_opts_free:
 * Free the contents of @opts.
 */
void img_opts_free(ImgOptList *opts);

/**
 * img_opts_parse:
 * Append "a=b,c=d" (",," is a literal comma) to @opts; a bare "help"
 * or "?" is kept as a name with an empty value.
 */
bool img_opts_parse(ImgOptList *opts, const char *str, Error **errp);

/**
 * img_opt_set:
 * Append @name=@value to @opts (overriding an earlier @name).
 */
void img_opt_set(ImgOptList *opts, const char *name, const char *value);

/**
 * img_create_help:
 * Print "-o help" for creating @fmt images; with a target @filename
 * (may be NULL) the file protocol's options are listed too, as in QEMU.
 */
void img_create_help(const char *fmt, const char *filename);

/**
 * img_create_check_opts:
 * Check that @opts only names creation options of @fmt ("raw" or
 * "qcow2") and that its boolean options are on or off.
 */
bool img_create_check_opts(const char *fmt, ImgOptList *opts, Error **errp);

/**
 * img_probe_format:
 * "qcow2" or "raw", from the first bytes of @filename.
 */
const char *img_probe_format(const char *filename, Error **errp);

/**
 * img_parse_cache:
 * Put the cache.* options for cache mode @mode ("none", "off",
 * "writeback", "writethrough", "directsync", "unsafe") into @opts;
 * false if @mode is none of them.
 */
bool img_parse_cache(const char *mode, QDict *opts);

/**
 * img_cache_mode_valid:
 * Is @mode a cache mode img_parse_cache() knows?
 */
bool img_cache_mode_valid(const char *mode);

/**
 * img_open_ext:
 * Open @name in a new backend with bdrv_open() @flags: as @fmt (probed
 * when NULL), or, if @image_opts, @name is an option string such as
 * "driver=qcow2,file.filename=a.qcow2".  @cache (may be NULL) is a
 * cache mode for img_parse_cache(); @force_share is -U.
 */
BlockBackend *img_open_ext(const char *name, const char *fmt,
                           bool image_opts, int flags, const char *cache,
                           bool force_share, Error **errp);

/**
 * img_progress_init:
 * Start a progress line at 0% if @enabled (qemu-img -p).
 */
void img_progress_init(bool enabled);

/**
 * img_progress_print:
 * Move the progress line to @percent, redrawing it when it moved by one
 * percent or more or reached 100.
 */
void img_progress_print(float percent);

/**
 * img_progress_end:
 * Draw the progress line at 100% and end it with a newline.
 */
void img_progress_end(void);

/**
 * img_convert:
 * The convert subcommand; returns the exit status.
 */
int img_convert(int argc, char **argv);

#endif
