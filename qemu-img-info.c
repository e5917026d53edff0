/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-img info: what an image is (format, sizes, backing file, qcow2
 * header features) as a QDict shaped like QEMU's ImageInfo, printed as
 * JSON or in QEMU's human layout.  qcow2 details come straight from the
 * header, decoded by the qcow2 format library.
 */
#include "qemu/osdep.h"
#include <getopt.h>
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qobject/qdict.h"
#include "qobject/qjson.h"
#include "qobject/qlist.h"
#include "qobject/qbool.h"
#include "qobject/qstring.h"
#include "block/block.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/qcow2-format.h"
#include "qemu-img.h"
#include "qemu-img-snapshot.h"

/* What the qcow2 header says, for the format-specific part. */
typedef struct ImgQcow2Info {
    QCowHeader h;
    char *backing_file;
    char *backing_fmt;
} ImgQcow2Info;

static bool img_read_qcow2_info(BlockDriverState *bs, ImgQcow2Info *qi,
                                Error **errp)
{
    uint8_t hdr[QCOW2_V3_HEADER_LENGTH] = { 0 };
    g_autofree uint8_t *buf = NULL;
    g_autoptr(Qcow2Extensions) ext = NULL;
    int64_t flen = bdrv_getlength(bs->file->bs);
    size_t cs;
    int ret;

    ret = bdrv_pread(bs->file, 0, MIN(flen, (int64_t)sizeof(hdr)), hdr, 0);
    if (ret < 0 || !qcow2_header_unpack(hdr, sizeof(hdr), &qi->h, errp)) {
        if (ret < 0) {
            error_setg_errno(errp, -ret, "Could not read the qcow2 header");
        }
        return false;
    }
    cs = (size_t)1 << MIN(qi->h.cluster_bits, QCOW2_MAX_CLUSTER_BITS);
    buf = g_malloc0(cs);
    ret = bdrv_pread(bs->file, 0, MIN(flen, (int64_t)cs), buf, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read the qcow2 header");
        return false;
    }
    if (!qcow2_read_backing_file_name(&qi->h, buf, cs, &qi->backing_file,
                                      errp)) {
        return false;
    }
    ext = qcow2_extensions_unpack(&qi->h, buf, cs, errp);
    if (!ext) {
        return false;
    }
    qi->backing_fmt = g_strdup(ext->backing_format);
    return true;
}

static QDict *img_qcow2_specific(const QCowHeader *h)
{
    QDict *spec = qdict_new();
    QDict *data = qdict_new();
    bool v3 = h->version >= 3;

    qdict_put_str(data, "compat", v3 ? "1.1" : "0.10");
    qdict_put_str(data, "compression-type",
                  h->compression_type ? "zstd" : "zlib");
    if (v3) {
        qdict_put_bool(data, "lazy-refcounts",
                       h->compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS);
    }
    qdict_put_int(data, "refcount-bits", 1 << h->refcount_order);
    if (v3) {
        qdict_put_bool(data, "corrupt",
                       h->incompatible_features & QCOW2_INCOMPAT_CORRUPT);
        qdict_put_bool(data, "extended-l2",
                       h->incompatible_features & QCOW2_INCOMPAT_EXTL2);
    }
    qdict_put_str(spec, "type", "qcow2");
    qdict_put(spec, "data", data);
    return spec;
}

/*
 * Describe the image @blk opened from @filename as QEMU's ImageInfo.
 * *@backing_path gets the backing file to follow (NULL if none), and
 * *@backing_fmt its format.
 */
static QDict *img_image_info(BlockBackend *blk, const char *filename,
                             char **backing_path, char **backing_fmt,
                             Error **errp)
{
    BlockDriverState *bs = blk_bs(blk);
    const char *fmt = bdrv_get_format_name(bs);
    QDict *info = qdict_new();
    ImgQcow2Info qi = { 0 };
    bool dirty = false;
    QList *snapshots;
    int64_t actual;

    *backing_path = NULL;
    *backing_fmt = NULL;
    if (!strcmp(fmt, "qcow2")) {
        if (!img_read_qcow2_info(bs, &qi, errp)) {
            g_free(qi.backing_file);
            g_free(qi.backing_fmt);
            qobject_unref(info);
            return NULL;
        }
        dirty = qi.h.incompatible_features & QCOW2_INCOMPAT_DIRTY;
        qdict_put_int(info, "cluster-size", 1 << qi.h.cluster_bits);
        qdict_put(info, "format-specific", img_qcow2_specific(&qi.h));
        if (qi.backing_file) {
            *backing_path = path_combine(filename, qi.backing_file);
            qdict_put_str(info, "backing-filename", qi.backing_file);
            qdict_put_str(info, "full-backing-filename", *backing_path);
        }
        if (qi.backing_fmt) {
            qdict_put_str(info, "backing-filename-format", qi.backing_fmt);
            *backing_fmt = g_steal_pointer(&qi.backing_fmt);
        }
    }
    snapshots = img_snapshot_info_list(bs);
    if (snapshots) {
        qdict_put(info, "snapshots", snapshots);
    }
    qdict_put_int(info, "virtual-size", img_getlength(blk));
    qdict_put_str(info, "filename", filename);
    qdict_put_str(info, "format", fmt);
    actual = bdrv_get_allocated_file_size(bs);
    if (actual >= 0) {
        qdict_put_int(info, "actual-size", actual);
    }
    qdict_put_bool(info, "dirty-flag", dirty);
    g_free(qi.backing_file);
    g_free(qi.backing_fmt);
    return info;
}

static void img_print_qcow2_specific(QDict *data)
{
    static const struct {
        const char *key, *label;
    } fields[] = {
        { "compat", "compat" },
        { "compression-type", "compression type" },
        { "lazy-refcounts", "lazy refcounts" },
        { "refcount-bits", "refcount bits" },
        { "corrupt", "corrupt" },
        { "extended-l2", "extended l2" },
    };
    size_t i;

    printf("Format specific information:\n");
    for (i = 0; i < G_N_ELEMENTS(fields); i++) {
        QObject *v = qdict_get(data, fields[i].key);
        QString *s = qobject_to(QString, v);
        QBool *b = qobject_to(QBool, v);

        if (s) {
            printf("    %s: %s\n", fields[i].label, qstring_get_str(s));
        } else if (b) {
            printf("    %s: %s\n", fields[i].label,
                   qbool_get_bool(b) ? "true" : "false");
        } else if (v) {
            printf("    %s: %" PRId64 "\n", fields[i].label,
                   qdict_get_int(data, fields[i].key));
        }
    }
}

/* The "Snapshot list:" section, from info's "snapshots". */
static void img_print_snapshots(QList *list)
{
    const QListEntry *e;

    printf("Snapshot list:\n");
    img_snapshot_dump(NULL);
    printf("\n");
    QLIST_FOREACH_ENTRY(list, e) {
        QDict *d = qobject_to(QDict, qlist_entry_obj(e));
        QEMUSnapshotInfo sn = {
            .vm_state_size = qdict_get_int(d, "vm-state-size"),
            .date_sec = qdict_get_int(d, "date-sec"),
            .date_nsec = qdict_get_int(d, "date-nsec"),
            .vm_clock_nsec = qdict_get_int(d, "vm-clock-sec") * 1000000000ULL +
                             qdict_get_int(d, "vm-clock-nsec"),
            .icount = qdict_haskey(d, "icount") ? qdict_get_int(d, "icount")
                                                : -1ULL,
        };

        g_strlcpy(sn.id_str, qdict_get_str(d, "id"), sizeof(sn.id_str));
        g_strlcpy(sn.name, qdict_get_str(d, "name"), sizeof(sn.name));
        img_snapshot_dump(&sn);
        printf("\n");
    }
}

static void img_print_human(QDict *info)
{
    g_autofree char *vsize =
        size_to_str(qdict_get_int(info, "virtual-size"));
    const char *backing = qdict_get_try_str(info, "backing-filename");
    QDict *spec = qdict_get_qdict(info, "format-specific");

    printf("image: %s\n", qdict_get_str(info, "filename"));
    printf("file format: %s\n", qdict_get_str(info, "format"));
    printf("virtual size: %s (%" PRId64 " bytes)\n", vsize,
           qdict_get_int(info, "virtual-size"));
    if (qdict_haskey(info, "actual-size")) {
        g_autofree char *dsize =
            size_to_str(qdict_get_int(info, "actual-size"));

        printf("disk size: %s\n", dsize);
    } else {
        printf("disk size: unavailable\n");
    }
    if (qdict_haskey(info, "cluster-size")) {
        printf("cluster_size: %" PRId64 "\n",
               qdict_get_int(info, "cluster-size"));
    }
    if (qdict_get_bool(info, "dirty-flag")) {
        printf("cleanly shut down: no\n");
    }
    if (backing) {
        const char *full = qdict_get_str(info, "full-backing-filename");

        printf("backing file: %s", backing);
        if (strcmp(backing, full)) {
            printf(" (actual path: %s)", full);
        }
        printf("\n");
    }
    if (qdict_haskey(info, "backing-filename-format")) {
        printf("backing file format: %s\n",
               qdict_get_str(info, "backing-filename-format"));
    }
    if (qdict_haskey(info, "snapshots")) {
        img_print_snapshots(qdict_get_qlist(info, "snapshots"));
    }
    if (spec) {
        img_print_qcow2_specific(qdict_get_qdict(spec, "data"));
    }
}

/* Collect the ImageInfo of @filename and (if @chain) its backing files. */
static QList *img_collect_info(const char *filename, const char *fmt,
                               bool chain, Error **errp)
{
    QList *list = qlist_new();
    g_autofree char *name = g_strdup(filename);
    g_autofree char *cur_fmt = g_strdup(fmt);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal,
                                             g_free, NULL);

    while (name) {
        Error *local_err = NULL;
        BlockBackend *blk;
        char *next = NULL, *next_fmt = NULL;
        QDict *info;

        if (g_hash_table_contains(seen, name)) {
            error_setg(errp, "Backing file '%s' creates an infinite loop.",
                       name);
            goto fail;
        }
        g_hash_table_add(seen, g_strdup(name));
        blk = img_open(name, cur_fmt, false, &local_err);
        if (!blk) {
            error_propagate_prepend(errp, local_err, "Could not open '%s': ",
                                    name);
            goto fail;
        }
        info = img_image_info(blk, name, &next, &next_fmt, errp);
        blk_unref(blk);
        if (!info) {
            goto fail;
        }
        qlist_append(list, info);
        g_free(name);
        g_free(cur_fmt);
        name = chain ? next : NULL;
        cur_fmt = next_fmt;
        if (!chain) {
            g_free(next);
        }
    }
    g_hash_table_destroy(seen);
    return list;

fail:
    g_hash_table_destroy(seen);
    qobject_unref(list);
    return NULL;
}

int img_info(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, IMG_OPTION_OUTPUT },
        { "backing-chain", no_argument, NULL, IMG_OPTION_BACKING_CHAIN },
        { "object", required_argument, NULL, IMG_OPTION_OBJECT },
        { "image-opts", no_argument, NULL, IMG_OPTION_IMAGE_OPTS },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 }
    };
    const char *fmt = NULL, *output = NULL, *filename;
    bool chain = false, json;
    Error *err = NULL;
    QList *list;
    const QListEntry *e;
    int c;

    for (;;) {
        c = getopt_long(argc, argv, ":f:hU", long_options, NULL);
        if (c == -1) {
            break;
        }
        if (img_read_only_option(c, argv, &fmt, &output)) {
            continue;
        }
        switch (c) {
        case IMG_OPTION_BACKING_CHAIN:
            chain = true;
            break;
        default:
            error_report("This option is not supported yet");
            return 1;
        }
    }
    filename = img_single_image(argc, argv, output, &json);
    if (!filename) {
        return 1;
    }
    list = img_collect_info(filename, fmt, chain, &err);
    if (!list) {
        error_report_err(err);
        return 1;
    }
    if (json) {
        QObject *top = chain ? QOBJECT(list) : qlist_peek(list);
        g_autoptr(GString) s = qobject_to_json_pretty(top, true);

        printf("%s\n", s->str);
    } else {
        bool first = true;

        QLIST_FOREACH_ENTRY(list, e) {
            if (!first) {
                printf("\n");
            }
            first = false;
            img_print_human(qobject_to(QDict, qlist_entry_obj(e)));
        }
    }
    qobject_unref(list);
    return 0;
}
