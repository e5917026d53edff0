/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QMP commands that change the block graph: blockdev-add and
 * blockdev-del (nodes the monitor owns), block_resize and the external
 * snapshot commands.  Every command checks everything it can before it
 * changes anything, so a refused command leaves the graph as it was.
 */
#include "qemu/osdep.h"
#include "qapi/qapi-commands-block-core.h"
#include "qapi/qapi-visit-block-core.h"
#include "qapi/qobject-output-visitor.h"
#include "qobject/qdict.h"
#include "sysemu/blockdev.h"
#include "block/qapi.h"
#include "block/block_int.h"
#include "qemu-img.h"

/* Nodes blockdev-add and -blockdev opened: the monitor's references. */
static GPtrArray *monitor_bdrv_states;

static bool blockdev_is_monitor_owned(BlockDriverState *bs)
{
    return monitor_bdrv_states &&
           g_ptr_array_find(monitor_bdrv_states, bs, NULL);
}

BlockDriverState *blockdev_open_monitor_node(QDict *options, Error **errp)
{
    BlockDriverState *bs;

    if (!qdict_get_try_str(options, "node-name")) {
        error_setg(errp, "'node-name' must be specified for the root node");
        qobject_unref(options);
        return NULL;
    }
    bdrv_init();
    bs = bdrv_open(NULL, NULL, options, BDRV_O_RDWR, errp);
    if (!bs) {
        return NULL;
    }
    if (!monitor_bdrv_states) {
        monitor_bdrv_states = g_ptr_array_new();
    }
    g_ptr_array_add(monitor_bdrv_states, bs);
    return bs;
}

void qmp_blockdev_add(BlockdevOptions *options, Error **errp)
{
    QObject *obj = NULL;
    Visitor *v = qobject_output_visitor_new(&obj);

    /* Back to a dictionary: bdrv_open() takes options in that form */
    visit_type_BlockdevOptions(v, NULL, &options, &error_abort);
    visit_complete(v, &obj);
    visit_free(v);
    blockdev_open_monitor_node(qobject_to(QDict, obj), errp);
}

/* Whether a BlockBackend (not another node) uses @bs directly. */
static bool blockdev_has_blk(BlockDriverState *bs)
{
    BdrvChild *c;

    QLIST_FOREACH(c, &bs->parents, next_parent) {
        if (!c->klass->parent_is_bds) {
            return true;
        }
    }
    return false;
}

void qmp_blockdev_del(const char *node_name, Error **errp)
{
    BlockDriverState *bs = bdrv_find_node(node_name);

    if (!bs) {
        error_setg(errp, "Failed to find node with node-name='%s'",
                   node_name);
        return;
    }
    if (!blockdev_is_monitor_owned(bs)) {
        error_setg(errp, "Node %s is not owned by the monitor", node_name);
        return;
    }
    if (blockdev_has_blk(bs)) {
        error_setg(errp, "Node %s is in use", node_name);
        return;
    }
    if (bdrv_get_refcnt(bs) > 1) {
        error_setg(errp, "Block device %s is in use", node_name);
        return;
    }
    g_ptr_array_remove(monitor_bdrv_states, bs);
    bdrv_unref(bs);
}

void blockdev_close_all(void)
{
    BlockDriverState *bs;

    if (!monitor_bdrv_states) {
        return;
    }
    /* Newest first: an overlay goes before the node it was put over */
    while (monitor_bdrv_states->len) {
        bs = g_ptr_array_remove_index(monitor_bdrv_states,
                                       monitor_bdrv_states->len - 1);
        bdrv_unref(bs);
    }
    g_clear_pointer(&monitor_bdrv_states, g_ptr_array_unref);
}

BlockDriverState *blockdev_lookup_bs(const char *device,
                                     const char *node_name, Error **errp)
{
    BlockBackend *blk;
    BlockDriverState *bs;

    if (device) {
        blk = blk_by_name(device);
        if (blk && blk_bs(blk)) {
            return blk_bs(blk);
        }
        if (blk) {
            error_setg(errp, "Device '%s' has no medium", device);
            return NULL;
        }
    }
    if (node_name) {
        bs = bdrv_find_node(node_name);
        if (bs) {
            return bs;
        }
    }
    error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
               device ?: "", node_name ?: "");
    return NULL;
}

void qmp_block_resize(bool has_device, const char *device,
                      bool has_node_name, const char *node_name,
                      int64_t size, Error **errp)
{
    BlockDriverState *bs;
    BlockBackend *blk;

    bs = blockdev_lookup_bs(has_device ? device : NULL,
                            has_node_name ? node_name : NULL, errp);
    if (!bs) {
        return;
    }
    if (size < 0) {
        error_setg(errp, "Parameter 'size' expects a >0 size");
        return;
    }
    blk = blk_new(qemu_get_aio_context(), BLK_PERM_RESIZE, BLK_PERM_ALL);
    if (blk_insert_bs(blk, bs, errp) < 0) {
        blk_unref(blk);
        return;
    }
    /*
     * Not drained: our own backend's requests would wait for the drain.
     * The node serialises the truncate against requests in flight.
     */
    blk_truncate(blk, size, false, PREALLOC_MODE_OFF, errp);
    blk_unref(blk);
}

/*
 * Put @overlay over @bs: @bs becomes its backing file and every user of
 * @bs moves to @overlay.  Unchanged on failure.
 */
static bool blockdev_append(BlockDriverState *overlay, BlockDriverState *bs,
                            Error **errp)
{
    bool ok;

    /*
     * Drain everything: the edges change under the drained section, so
     * a per-node drain would end on a different set of ancestors
     */
    bdrv_drain_all_begin();
    ok = bdrv_set_backing_hd(overlay, bs, errp) >= 0;
    if (ok && bdrv_replace_node(bs, overlay, errp) < 0) {
        bdrv_set_backing_hd(overlay, NULL, &error_abort);
        ok = false;
    }
    bdrv_drain_all_end();
    return ok;
}

/* The checks QEMU makes on a node about to become an overlay. */
static bool blockdev_check_overlay(BlockDriverState *overlay, Error **errp)
{
    if (!QLIST_EMPTY(&overlay->parents)) {
        error_setg(errp, "The overlay is already in use");
        return false;
    }
    if (bdrv_backing_bs(overlay)) {
        error_setg(errp, "The overlay already has a backing image");
        return false;
    }
    if (strcmp(bdrv_get_format_name(overlay), "qcow2")) {
        error_setg(errp, "The overlay does not support backing images");
        return false;
    }
    return true;
}

/* Create @filename as a @format image over @bs. */
static bool blockdev_create_overlay(const char *filename, const char *format,
                                    BlockDriverState *bs, Error **errp)
{
    ImgOptList opts = { g_ptr_array_new(), g_ptr_array_new() };
    int64_t size = bdrv_getlength(bs);
    bool ok;

    if (strcmp(format, "qcow2")) {
        /* Of the formats built here, only qcow2 has backing files */
        error_setg(errp, "Backing file not supported for file format '%s'",
                   format);
        ok = false;
    } else if (size < 0) {
        error_setg_errno(errp, -size, "Could not get the size of '%s'",
                         bdrv_get_node_name(bs));
        ok = false;
    } else {
        /* QEMU reports the creation on stdout, as qemu-img create does */
        printf("Formatting '%s', fmt=qcow2 cluster_size=65536 "
               "extended_l2=off compression_type=zlib size=%" PRId64
               " backing_file=%s backing_fmt=%s lazy_refcounts=off "
               "refcount_bits=16\n", filename, size,
               bdrv_display_filename(bs), bdrv_get_format_name(bs));
        fflush(stdout);
        ok = img_create_qcow2(filename, &opts, size,
                              bdrv_display_filename(bs),
                              bdrv_get_format_name(bs), errp);
    }
    g_ptr_array_unref(opts.names);
    g_ptr_array_unref(opts.values);
    return ok;
}

void qmp_blockdev_snapshot_sync(bool has_device, const char *device,
                                bool has_node_name, const char *node_name,
                                const char *snapshot_file,
                                bool has_snapshot_node_name,
                                const char *snapshot_node_name,
                                bool has_format, const char *format,
                                bool has_mode, NewImageMode mode,
                                Error **errp)
{
    BlockDriverState *bs, *overlay;
    QDict *options;

    bs = blockdev_lookup_bs(has_device ? device : NULL,
                            has_node_name ? node_name : NULL, errp);
    if (!bs) {
        return;
    }
    format = has_format ? format : "qcow2";
    if (has_node_name && !has_snapshot_node_name) {
        error_setg(errp, "New overlay node-name missing");
        return;
    }
    if (has_snapshot_node_name && (bdrv_find_node(snapshot_node_name) ||
                                   blk_by_name(snapshot_node_name))) {
        error_setg(errp, "New overlay node-name already in use");
        return;
    }
    if (!bdrv_find_format(format)) {
        error_setg(errp, "Unknown file format '%s'", format);
        return;
    }
    if ((!has_mode || mode == NEW_IMAGE_MODE_ABSOLUTE_PATHS) &&
        !blockdev_create_overlay(snapshot_file, format, bs, errp)) {
        return;
    }
    options = qdict_new();
    qdict_put_str(options, "driver", format);
    qdict_put_null(options, "backing");
    if (has_snapshot_node_name) {
        qdict_put_str(options, "node-name", snapshot_node_name);
    }
    overlay = bdrv_open(snapshot_file, NULL, options, BDRV_O_RDWR, errp);
    if (!overlay) {
        return;
    }
    if (blockdev_check_overlay(overlay, errp)) {
        blockdev_append(overlay, bs, errp);
    }
    /* On success the overlay lives on through the users it took over */
    bdrv_unref(overlay);
}

void qmp_blockdev_snapshot(const char *node, const char *overlay,
                           Error **errp)
{
    BlockDriverState *bs, *top;

    bs = bdrv_find_node(node);
    if (!bs) {
        error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                   node, node);
        return;
    }
    top = bdrv_find_node(overlay);
    if (!top) {
        error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                   overlay, overlay);
        return;
    }
    if (blockdev_check_overlay(top, errp)) {
        blockdev_append(top, bs, errp);
    }
}
