/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Describing nodes and backends in QAPI terms: the BlockDeviceInfo,
 * ImageInfo, BlockInfo and BlockStats that query-named-block-nodes,
 * query-block, query-blockstats and HMP "info block" report.  It reads
 * the graph and never changes it.
 */
#include "qemu/osdep.h"
#include "qapi/qapi-commands-block-core.h"
#include "qapi/util.h"
#include "qemu/timer.h"
#include "block/qapi.h"
#include "sysemu/blockdev.h"
#include "block/block_int.h"
#include "block/block-backend.h"

const char *bdrv_display_filename(BlockDriverState *bs)
{
    static char buf[64];

    while (bs) {
        if (bs->filename[0]) {
            return bs->filename;
        }
        if (!bs->file) {
            break;
        }
        bs = bs->file->bs;
    }
    if (bs && bs->drv && bs->drv->protocol_name) {
        /* Protocols without a file (null-co) are named by their URL */
        snprintf(buf, sizeof(buf), "%s://", bs->drv->protocol_name);
        return buf;
    }
    return "";
}

/* The backing file name as the overlay stores it, or NULL. */
static const char *bdrv_backing_name(BlockDriverState *bs)
{
    BlockDriverState *backing = bdrv_backing_bs(bs);

    return backing ? bdrv_display_filename(backing) : NULL;
}

ImageInfo *bdrv_query_image_info(BlockDriverState *bs, bool flat)
{
    ImageInfo *info = g_new0(ImageInfo, 1);
    BlockDriverState *backing = bdrv_backing_bs(bs);
    BlockDriverInfo bdi;
    int64_t n;

    info->filename = g_strdup(bdrv_display_filename(bs));
    info->format = g_strdup(bdrv_get_format_name(bs));
    info->virtual_size = MAX(bdrv_getlength(bs), 0);
    n = bdrv_get_allocated_file_size(bs);
    if (n >= 0) {
        info->has_actual_size = true;
        info->actual_size = n;
    }
    if (bdrv_get_info(bs, &bdi) >= 0) {
        info->has_dirty_flag = true;
        info->dirty_flag = bdi.is_dirty;
        if (bdi.cluster_size > 0) {
            info->has_cluster_size = true;
            info->cluster_size = bdi.cluster_size;
        }
    }
    if (backing) {
        info->has_backing_filename = true;
        info->backing_filename = g_strdup(bdrv_backing_name(bs));
        info->has_full_backing_filename = true;
        info->full_backing_filename = g_strdup(bdrv_backing_name(bs));
        if (!flat) {
            info->has_backing_image = true;
            info->backing_image = bdrv_query_image_info(backing, false);
        }
    }
    return info;
}

BlockDeviceInfo *bdrv_block_device_info(BlockDriverState *bs, bool flat)
{
    BlockDeviceInfo *info = g_new0(BlockDeviceInfo, 1);
    BlockDriverState *b;

    info->file = g_strdup(bdrv_display_filename(bs));
    info->has_node_name = true;
    info->node_name = g_strdup(bdrv_get_node_name(bs));
    info->ro = bdrv_is_read_only(bs);
    info->drv = g_strdup(bdrv_get_format_name(bs));
    info->encrypted = false;
    info->detect_zeroes = (BlockdevDetectZeroesOptions)bs->detect_zeroes;
    info->cache = g_new0(BlockdevCacheInfo, 1);
    info->cache->writeback = true;
    info->cache->direct = !!(bs->open_flags & BDRV_O_NOCACHE);
    info->cache->no_flush = !!(bs->open_flags & BDRV_O_NO_FLUSH);
    if (bdrv_backing_bs(bs)) {
        info->has_backing_file = true;
        info->backing_file = g_strdup(bdrv_backing_name(bs));
    }
    for (b = bdrv_backing_bs(bs); b; b = bdrv_backing_bs(b)) {
        info->backing_file_depth++;
    }
    info->image = bdrv_query_image_info(bs, flat);
    return info;
}

BlockDeviceInfoList *qmp_query_named_block_nodes(bool has_flat, bool flat,
                                                 Error **errp)
{
    BlockDeviceInfoList *list = NULL;
    BlockDriverState *bs = NULL;

    /* QEMU lists the newest node first */
    while ((bs = bdrv_next_node(bs))) {
        QAPI_LIST_PREPEND(list, bdrv_block_device_info(bs, has_flat &&
                                                               flat));
    }
    return list;
}

BlockInfo *blk_query_info(BlockBackend *blk)
{
    BlockInfo *info = g_new0(BlockInfo, 1);
    BlockDriverState *bs = blk_bs(blk);
    const char *dev = blk_get_attached_dev_id(blk);

    info->device = g_strdup(blk_name(blk));
    info->type = g_strdup("unknown");
    /* Without a device, QEMU calls the medium removable */
    info->removable = !dev[0];
    if (dev[0]) {
        info->has_qdev = true;
        info->qdev = g_strdup(dev);
        info->has_io_status = true;
        info->io_status = BLOCK_DEVICE_IO_STATUS_OK;
    }
    if (bs) {
        info->has_inserted = true;
        info->inserted = bdrv_block_device_info(bs, false);
        info->inserted->cache->writeback = blk_enable_write_cache(blk);
    }
    return info;
}

BlockInfoList *qmp_query_block(Error **errp)
{
    BlockInfoList *list = NULL, **tail = &list;
    BlockBackend *blk = NULL;

    while ((blk = blk_next(blk))) {
        QAPI_LIST_APPEND(tail, blk_query_info(blk));
    }
    /* Then the anonymous backends of device stubs, as QEMU lists them */
    while ((blk = blockdev_next_device_blk(blk))) {
        QAPI_LIST_APPEND(tail, blk_query_info(blk));
    }
    return list;
}

/* Counters of a backend; nodes have none of their own (all zero). */
static BlockDeviceStats *blk_query_device_stats(BlockBackend *blk)
{
    BlockDeviceStats *s = g_new0(BlockDeviceStats, 1);
    BlockAcctStats *a;

    if (!blk) {
        return s;
    }
    a = blk_get_stats(blk);
    s->rd_bytes = a->nr_bytes[BLOCK_ACCT_READ];
    s->wr_bytes = a->nr_bytes[BLOCK_ACCT_WRITE];
    s->unmap_bytes = a->nr_bytes[BLOCK_ACCT_UNMAP];
    s->rd_operations = a->nr_ops[BLOCK_ACCT_READ];
    s->wr_operations = a->nr_ops[BLOCK_ACCT_WRITE];
    s->flush_operations = a->nr_ops[BLOCK_ACCT_FLUSH];
    s->unmap_operations = a->nr_ops[BLOCK_ACCT_UNMAP];
    s->rd_total_time_ns = a->total_time_ns[BLOCK_ACCT_READ];
    s->wr_total_time_ns = a->total_time_ns[BLOCK_ACCT_WRITE];
    s->flush_total_time_ns = a->total_time_ns[BLOCK_ACCT_FLUSH];
    s->unmap_total_time_ns = a->total_time_ns[BLOCK_ACCT_UNMAP];
    s->wr_highest_offset = a->wr_highest_offset;
    s->failed_rd_operations = a->failed_ops[BLOCK_ACCT_READ];
    s->failed_wr_operations = a->failed_ops[BLOCK_ACCT_WRITE];
    s->failed_flush_operations = a->failed_ops[BLOCK_ACCT_FLUSH];
    s->failed_unmap_operations = a->failed_ops[BLOCK_ACCT_UNMAP];
    s->invalid_rd_operations = a->invalid_ops[BLOCK_ACCT_READ];
    s->invalid_wr_operations = a->invalid_ops[BLOCK_ACCT_WRITE];
    s->invalid_flush_operations = a->invalid_ops[BLOCK_ACCT_FLUSH];
    s->invalid_unmap_operations = a->invalid_ops[BLOCK_ACCT_UNMAP];
    s->account_invalid = true;
    s->account_failed = true;
    if (a->last_access_time_ns > 0) {
        s->has_idle_time_ns = true;
        s->idle_time_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) -
                          a->last_access_time_ns;
    }
    return s;
}

/* Statistics of @bs and, below it, of its file and backing children. */
static BlockStats *bdrv_query_bds_stats(BlockDriverState *bs, bool backing)
{
    BlockStats *s = g_new0(BlockStats, 1);

    s->stats = blk_query_device_stats(NULL);
    if (!bs) {
        return s;
    }
    s->has_node_name = true;
    s->node_name = g_strdup(bdrv_get_node_name(bs));
    if (bs->drv == bdrv_find_format("file")) {
        s->has_driver_specific = true;
        s->driver_specific = g_new0(BlockStatsSpecific, 1);
        s->driver_specific->driver = BLOCKDEV_DRIVER_FILE;
    }
    if (bs->file) {
        s->has_parent = true;
        s->parent = bdrv_query_bds_stats(bs->file->bs, backing);
    }
    if (backing && bdrv_backing_bs(bs)) {
        s->has_backing = true;
        s->backing = bdrv_query_bds_stats(bdrv_backing_bs(bs), backing);
    }
    return s;
}

static BlockStats *blk_query_stats(BlockBackend *blk)
{
    const char *dev = blk_get_attached_dev_id(blk);
    BlockStats *s = bdrv_query_bds_stats(blk_bs(blk), true);

    qapi_free_BlockDeviceStats(s->stats);
    s->stats = blk_query_device_stats(blk);
    s->has_device = true;
    s->device = g_strdup(blk_name(blk));
    if (dev[0]) {
        s->has_qdev = true;
        s->qdev = g_strdup(dev);
    }
    return s;
}

BlockStatsList *qmp_query_blockstats(bool has_query_nodes, bool query_nodes,
                                     Error **errp)
{
    BlockStatsList *list = NULL, **tail = &list;
    BlockBackend *blk = NULL;
    BlockDriverState *bs = NULL;

    if (has_query_nodes && query_nodes) {
        while ((bs = bdrv_next_node(bs))) {
            QAPI_LIST_APPEND(tail, bdrv_query_bds_stats(bs, false));
        }
        return list;
    }
    while ((blk = blk_next(blk))) {
        QAPI_LIST_APPEND(tail, blk_query_stats(blk));
    }
    while ((blk = blockdev_next_device_blk(blk))) {
        QAPI_LIST_APPEND(tail, blk_query_stats(blk));
    }
    return list;
}

/* BlockPermission list of @perm, highest bit first as QEMU prints it. */
static BlockPermissionList *bdrv_perm_list(uint64_t perm)
{
    BlockPermissionList *list = NULL;
    int i;

    for (i = 0; i < BLK_PERM_COUNT; i++) {
        if (perm & (1ull << i)) {
            QAPI_LIST_PREPEND(list, (BlockPermission)i);
        }
    }
    return list;
}

typedef struct GraphDump {
    XDbgBlockGraph *graph;
    GHashTable *ids;            /* parent or node pointer -> id */
} GraphDump;

static uint64_t graph_dump_add(GraphDump *d, void *obj,
                               XDbgBlockGraphNodeType type, const char *name)
{
    XDbgBlockGraphNode *n = g_new0(XDbgBlockGraphNode, 1);

    n->id = g_hash_table_size(d->ids) + 1;
    n->type = type;
    n->name = g_strdup(name);
    g_hash_table_insert(d->ids, obj, GUINT_TO_POINTER(n->id));
    QAPI_LIST_PREPEND(d->graph->nodes, n);
    return n->id;
}

static void graph_dump_edge(GraphDump *d, uint64_t parent, BdrvChild *c)
{
    XDbgBlockGraphEdge *e = g_new0(XDbgBlockGraphEdge, 1);

    e->parent = parent;
    e->child = GPOINTER_TO_UINT(g_hash_table_lookup(d->ids, c->bs));
    e->name = g_strdup(c->name);
    e->perm = bdrv_perm_list(c->perm);
    e->shared_perm = bdrv_perm_list(c->shared_perm);
    QAPI_LIST_PREPEND(d->graph->edges, e);
}

XDbgBlockGraph *qmp_x_debug_query_block_graph(Error **errp)
{
    GraphDump d = { g_new0(XDbgBlockGraph, 1),
                    g_hash_table_new(NULL, NULL) };
    BlockBackend *blk = NULL;
    BlockDriverState *bs = NULL;
    BdrvChild *c;
    GPtrArray *blks = g_ptr_array_new();
    guint i;

    /* Numbered as QEMU numbers them: backends, their roots, the rest */
    while ((blk = blk_next(blk))) {
        graph_dump_add(&d, blk, X_DBG_BLOCK_GRAPH_NODE_TYPE_BLOCK_BACKEND,
                       blk_name(blk));
        g_ptr_array_add(blks, blk);
        bs = blk_bs(blk);
        if (bs && !g_hash_table_contains(d.ids, bs)) {
            graph_dump_add(&d, bs, X_DBG_BLOCK_GRAPH_NODE_TYPE_BLOCK_DRIVER,
                           bdrv_get_node_name(bs));
        }
    }
    bs = NULL;
    while ((bs = bdrv_next_node(bs))) {
        if (!g_hash_table_contains(d.ids, bs)) {
            graph_dump_add(&d, bs, X_DBG_BLOCK_GRAPH_NODE_TYPE_BLOCK_DRIVER,
                           bdrv_get_node_name(bs));
        }
    }
    for (i = 0; i < blks->len; i++) {
        blk = g_ptr_array_index(blks, i);
        if (blk_root(blk)) {
            graph_dump_edge(&d, GPOINTER_TO_UINT(
                                g_hash_table_lookup(d.ids, blk)),
                            blk_root(blk));
        }
    }
    while ((bs = bdrv_next_node(bs))) {
        QLIST_FOREACH(c, &bs->children, next) {
            graph_dump_edge(&d, GPOINTER_TO_UINT(
                                g_hash_table_lookup(d.ids, bs)), c);
        }
    }
    g_ptr_array_free(blks, true);
    g_hash_table_destroy(d.ids);
    return d.graph;
}
