/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img snapshot, and the internal snapshot pieces other subcommands
 * share: the listing table (snapshot -l, info), the JSON list of info,
 * and loading a snapshot for reading (measure -l).  Listing is complete;
 * creating, applying and deleting snapshots end with the errors QEMU
 * gives for a format that cannot do them.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/snapshot.h"
#include "qemu-img.h"
#include "qemu-img-snapshot.h"

void img_snapshot_dump(const QEMUSnapshotInfo *sn)
{
    g_autoptr(GDateTime) date = NULL;
    g_autofree char *date_buf = NULL, *sizing = NULL;
    char clock_buf[64], icount_buf[32] = "";
    uint64_t secs;

    if (!sn) {
        printf("%-10s%-17s%8s%20s%13s%11s", "ID", "TAG", "VM SIZE", "DATE",
               "VM CLOCK", "ICOUNT");
        return;
    }
    /* Local time, as QEMU prints it. */
    date = g_date_time_new_from_unix_local(sn->date_sec);
    date_buf = date ? g_date_time_format(date, "%Y-%m-%d %H:%M:%S")
                    : g_strdup("");
    secs = sn->vm_clock_nsec / 1000000000;
    snprintf(clock_buf, sizeof(clock_buf), "%02d:%02d:%02d.%03d",
             (int)(secs / 3600), (int)((secs / 60) % 60), (int)(secs % 60),
             (int)((sn->vm_clock_nsec / 1000000) % 1000));
    sizing = size_to_str(sn->vm_state_size);
    if (sn->icount != -1ULL) {
        snprintf(icount_buf, sizeof(icount_buf), "%" PRId64,
                 (int64_t)sn->icount);
    }
    printf("%-9s %-16s %8s%20s%13s%11s", sn->id_str, sn->name, sizing,
           date_buf, clock_buf, icount_buf);
}

bool img_snapshot_dump_list(BlockDriverState *bs)
{
    g_autofree QEMUSnapshotInfo *sn = NULL;
    int i, nb = bdrv_snapshot_list(bs, &sn);

    if (nb <= 0) {
        return false;
    }
    printf("Snapshot list:\n");
    img_snapshot_dump(NULL);
    printf("\n");
    for (i = 0; i < nb; i++) {
        img_snapshot_dump(&sn[i]);
        printf("\n");
    }
    return true;
}

QList *img_snapshot_info_list(BlockDriverState *bs)
{
    g_autofree QEMUSnapshotInfo *sn = NULL;
    int i, nb = bdrv_snapshot_list(bs, &sn);
    QList *list;

    if (nb <= 0) {
        return NULL;
    }
    list = qlist_new();
    for (i = 0; i < nb; i++) {
        QDict *d = qdict_new();

        /* SnapshotInfo's members, in QAPI order. */
        qdict_put_str(d, "id", sn[i].id_str);
        qdict_put_str(d, "name", sn[i].name);
        qdict_put_int(d, "vm-state-size", sn[i].vm_state_size);
        qdict_put_int(d, "date-sec", sn[i].date_sec);
        qdict_put_int(d, "date-nsec", sn[i].date_nsec);
        qdict_put_int(d, "vm-clock-sec", sn[i].vm_clock_nsec / 1000000000);
        qdict_put_int(d, "vm-clock-nsec", sn[i].vm_clock_nsec % 1000000000);
        if (sn[i].icount != -1ULL) {
            qdict_put_int(d, "icount", sn[i].icount);
        }
        qlist_append(list, d);
    }
    return list;
}

bool img_snapshot_param_valid(const char *param)
{
    g_auto(GStrv) parts = g_strsplit(param, ",", -1);
    size_t i;

    for (i = 0; parts[i]; i++) {
        g_autofree char *name = g_strdup(parts[i]);
        char *eq = strchr(name, '=');

        if (eq) {
            *eq = '\0';
        }
        if (strcmp(name, "snapshot.id") && strcmp(name, "snapshot.name")) {
            error_report("Invalid parameter '%s'", name);
            error_report("Failed in parsing snapshot param '%s'", param);
            return false;
        }
    }
    return true;
}

/* The value of "snapshot.@key=VALUE" in @param, or NULL. */
static char *img_snapshot_param_get(const char *param, const char *key)
{
    g_auto(GStrv) parts = g_strsplit(param, ",", -1);
    g_autofree char *prefix = g_strdup_printf("snapshot.%s=", key);
    char *value = NULL;
    size_t i;

    for (i = 0; parts[i]; i++) {
        if (g_str_has_prefix(parts[i], prefix)) {
            g_free(value);
            value = g_strdup(parts[i] + strlen(prefix));
        }
    }
    return value;
}

bool img_snapshot_load_tmp(BlockDriverState *bs, const char *id_or_name,
                           const char *param, Error **errp)
{
    Error *err = NULL;
    int ret;

    if (param) {
        g_autofree char *id = img_snapshot_param_get(param, "id");
        g_autofree char *name = img_snapshot_param_get(param, "name");

        ret = bdrv_snapshot_load_tmp(bs, id, name, &err);
    } else {
        ret = bdrv_snapshot_load_tmp_by_id_or_name(bs, id_or_name, &err);
    }
    if (ret < 0) {
        error_propagate_prepend(errp, err, "Failed to load snapshot: ");
        return false;
    }
    return true;
}

/* Whether @bs has a snapshot whose id or name is @name. */
static bool img_snapshot_exists(BlockDriverState *bs, const char *name)
{
    g_autofree QEMUSnapshotInfo *sn = NULL;
    int i, nb = bdrv_snapshot_list(bs, &sn);

    for (i = 0; i < nb; i++) {
        if (!strcmp(sn[i].id_str, name) || !strcmp(sn[i].name, name)) {
            return true;
        }
    }
    return false;
}

typedef enum ImgSnapshotAction {
    IMG_SNAPSHOT_NONE,
    IMG_SNAPSHOT_LIST,
    IMG_SNAPSHOT_CREATE,
    IMG_SNAPSHOT_APPLY,
    IMG_SNAPSHOT_DELETE,
} ImgSnapshotAction;

/* Creating, applying and deleting: QEMU's errors for a format without. */
static int img_snapshot_change(BlockDriverState *bs, ImgSnapshotAction act,
                               const char *name)
{
    bool has_snapshots = bs->drv && bs->drv->bdrv_snapshot_list;

    switch (act) {
    case IMG_SNAPSHOT_CREATE:
        error_report("Could not create snapshot '%s': %d (%s)", name,
                     -ENOTSUP, strerror(ENOTSUP));
        return 1;
    case IMG_SNAPSHOT_APPLY:
        if (!has_snapshots) {
            error_report("Could not apply snapshot '%s': Block driver does "
                         "not support snapshots", name);
        } else if (!img_snapshot_exists(bs, name)) {
            error_report("Could not apply snapshot '%s': Failed to load "
                         "snapshot: %s", name, strerror(ENOENT));
        } else {
            error_report("Could not apply snapshot '%s': Failed to load "
                         "snapshot: %s", name, strerror(ENOTSUP));
        }
        return 1;
    case IMG_SNAPSHOT_DELETE:
        if (!img_snapshot_exists(bs, name)) {
            error_report("Could not delete snapshot '%s': snapshot not found",
                         name);
        } else {
            error_report("Could not delete snapshot '%s': Block format '%s' "
                         "used by device '' does not support internal "
                         "snapshot deletion", name, bs->drv->format_name);
        }
        return 1;
    default:
        return 0;
    }
}

int img_snapshot(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 }
    };
    ImgSnapshotAction action = IMG_SNAPSHOT_NONE;
    const char *name = NULL;
    bool image_opts = false, force_share = false;
    int flags = BDRV_O_RDWR, c, ret;
    Error *err = NULL;
    BlockBackend *blk;

    while ((c = getopt_long(argc, argv, ":la:c:d:hqU", long_options,
                            NULL)) != -1) {
        switch (c) {
        case ':':
        case '?':
            img_bad_option(c, argv);
            break;
        case 'h':
            img_help();
            break;
        case 'l':
        case 'a':
        case 'c':
        case 'd':
            if (action != IMG_SNAPSHOT_NONE) {
                error_exit("Cannot mix '-l', '-a', '-c', '-d'");
            }
            action = c == 'l' ? IMG_SNAPSHOT_LIST
                   : c == 'a' ? IMG_SNAPSHOT_APPLY
                   : c == 'c' ? IMG_SNAPSHOT_CREATE : IMG_SNAPSHOT_DELETE;
            if (c == 'l') {
                flags &= ~BDRV_O_RDWR;      /* listing only reads */
            } else {
                name = optarg;
            }
            break;
        case 'q':
            break;                          /* nothing is printed anyway */
        case 'U':
            force_share = true;
            break;
        case IMG_OPTION_OBJECT:
            img_object_add(optarg);
            break;
        case IMG_OPTION_IMAGE_OPTS:
            image_opts = true;
            break;
        }
    }
    if (optind != argc - 1) {
        error_exit("Expecting one image file name");
    }
    if (force_share && (flags & BDRV_O_RDWR)) {
        error_report("Could not open '%s': force-share=on can only be used "
                     "with read-only images", argv[optind]);
        return 1;
    }
    blk = img_open_ext(argv[optind], NULL, image_opts, flags, NULL,
                       force_share, &err);
    if (!blk) {
        error_reportf_err(err, "Could not open '%s': ", argv[optind]);
        return 1;
    }
    if (action == IMG_SNAPSHOT_LIST) {
        img_snapshot_dump_list(blk_bs(blk));
        ret = 0;
    } else {
        ret = img_snapshot_change(blk_bs(blk), action, name);
    }
    blk_unref(blk);
    return ret;
}

void img_object_add(const char *optarg)
{
    g_autofree char *type = g_strdup(optarg);
    char *comma = strchr(type, ',');

    if (comma) {
        *comma = '\0';
    }
    if (g_str_has_prefix(type, "qom-type=")) {
        memmove(type, type + strlen("qom-type="),
                strlen(type) - strlen("qom-type=") + 1);
    }
    /* Secrets are the only objects the tools use; nothing needs them yet. */
    if (strcmp(type, "secret")) {
        error_report("Parameter 'qom-type' does not accept value '%s'",
                     type);
        exit(EXIT_FAILURE);
    }
}
