/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between the qemu-img source files: the -o option list (kept in
 * the order given, as a small array, since it holds a handful of entries)
 * and the subcommands implemented outside qemu-img.c.
 */
#ifndef QEMU_IMG_H
#define QEMU_IMG_H

#include "qapi/error.h"

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

#endif
