/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reopening nodes with new flags (read-only <-> read-write) as one
 * transaction: every driver prepares, the permission update runs with the
 * new flags, then all commit or all abort, so a refusal changes nothing.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"

/* @bs and, depth first, the children holding its data (not backing). */
static void bdrv_reopen_collect(BlockDriverState *bs, GPtrArray *nodes)
{
    BdrvChild *c;

    if (g_ptr_array_find(nodes, bs, NULL)) {
        return;
    }
    g_ptr_array_add(nodes, bs);
    QLIST_FOREACH(c, &bs->children, next) {
        if (!(c->role & BDRV_CHILD_COW)) {
            bdrv_reopen_collect(c->bs, nodes);
        }
    }
}

static void bdrv_reopen_abort_all(GArray *states, guint n)
{
    guint i;

    for (i = 0; i < n; i++) {
        BDRVReopenState *st = &g_array_index(states, BDRVReopenState, i);

        if (st->bs->drv->bdrv_reopen_abort) {
            st->bs->drv->bdrv_reopen_abort(st);
        }
    }
}

/* Swap each node's flags with its state's: applies, or undoes, a reopen. */
static void bdrv_reopen_swap_flags(GArray *states)
{
    guint i;

    for (i = 0; i < states->len; i++) {
        BDRVReopenState *st = &g_array_index(states, BDRVReopenState, i);
        int flags = st->bs->open_flags;
        bool ro = st->bs->read_only;

        st->bs->open_flags = st->flags;
        st->bs->read_only = st->read_only;
        st->flags = flags;
        st->read_only = ro;
    }
}

int bdrv_reopen_set_read_only(BlockDriverState *bs, bool read_only,
                              Error **errp)
{
    g_autoptr(GPtrArray) nodes = g_ptr_array_new();
    g_autoptr(GArray) states = g_array_new(false, true,
                                           sizeof(BDRVReopenState));
    int ret = 0;
    guint i;

    if (bs->read_only == read_only) {
        return 0;
    }
    bdrv_reopen_collect(bs, nodes);
    bdrv_drained_begin(bs);
    for (i = 0; i < nodes->len && ret == 0; i++) {
        BlockDriverState *n = g_ptr_array_index(nodes, i);
        BDRVReopenState st = {
            .bs = n, .read_only = read_only,
            .flags = read_only ? n->open_flags & ~BDRV_O_RDWR
                               : n->open_flags | BDRV_O_RDWR,
        };

        if (n->drv->bdrv_reopen_prepare) {
            ret = n->drv->bdrv_reopen_prepare(&st, errp);
        }
        if (ret == 0) {
            g_array_append_val(states, st);
        }
    }
    if (ret == 0) {
        bdrv_reopen_swap_flags(states);
        ret = bdrv_refresh_perms(bs, errp);
        if (ret < 0) {
            bdrv_reopen_swap_flags(states);
        }
    }
    if (ret < 0) {
        bdrv_reopen_abort_all(states, states->len);
    } else {
        for (i = 0; i < states->len; i++) {
            BDRVReopenState *st = &g_array_index(states, BDRVReopenState, i);
            if (st->bs->drv->bdrv_reopen_commit) {
                st->bs->drv->bdrv_reopen_commit(st);
            }
        }
    }
    bdrv_drained_end(bs);
    return ret;
}
