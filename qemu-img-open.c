/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Opening images for the qemu-img subcommands that read and write them
 * (convert, dd, resize, bench, ...): format or option string, open flags,
 * cache mode and -U, the way QEMU's tools interpret them.
 */
#include "qemu/osdep.h"
#include "qemu/keyval.h"
#include "block/block.h"
#include "block/block-backend.h"
#include "qemu-img.h"

bool img_parse_cache(const char *mode, QDict *opts)
{
    bool direct = false, no_flush = false;

    if (!strcmp(mode, "none") || !strcmp(mode, "off") ||
        !strcmp(mode, "directsync")) {
        direct = true;
    } else if (!strcmp(mode, "unsafe")) {
        no_flush = true;
    } else if (strcmp(mode, "writeback") && strcmp(mode, "writethrough")) {
        return false;
    }
    qdict_put_str(opts, "cache.direct", direct ? "on" : "off");
    qdict_put_str(opts, "cache.no-flush", no_flush ? "on" : "off");
    return true;
}

bool img_cache_mode_valid(const char *mode)
{
    QDict *opts = qdict_new();
    bool ok = img_parse_cache(mode, opts);

    qobject_unref(opts);
    return ok;
}

BlockBackend *img_open_ext(const char *name, const char *fmt,
                           bool image_opts, int flags, const char *cache,
                           bool force_share, Error **errp)
{
    QDict *opts = qdict_new();
    const char *filename = name;

    if (cache && !img_parse_cache(cache, opts)) {
        error_setg(errp, "Invalid cache option: %s", cache);
        qobject_unref(opts);
        return NULL;
    }
    if (force_share) {
        qdict_put_str(opts, "force-share", "on");
    }
    if (image_opts) {
        if (!keyval_parse_into(opts, name, NULL, NULL, errp)) {
            qobject_unref(opts);
            return NULL;
        }
        filename = NULL;
    } else {
        if (!fmt) {
            fmt = img_probe_format(name, errp);
            if (!fmt) {
                qobject_unref(opts);
                return NULL;
            }
        }
        if (!bdrv_find_format(fmt)) {
            error_setg(errp, "Unknown driver '%s'", fmt);
            qobject_unref(opts);
            return NULL;
        }
        qdict_put_str(opts, "driver", fmt);
    }
    return blk_new_open(filename, NULL, opts, flags, errp);
}
