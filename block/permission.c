/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The permission update: after any edge change, walk the subtree below
 * the changed node in topological order, recompute what each node's
 * parents hold and share, check them against each other and against the
 * node (read-only, file locks), and derive the child edges' permissions.
 * Every old value is saved first, so a refusal restores the whole graph.
 * Cost: O(nodes + edges) of the subtree per update.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"

static const char *const perm_names[BLK_PERM_COUNT] = {
    "consistent read", "write", "write unchanged", "resize",
};

char *bdrv_perm_names(uint64_t perm)
{
    GString *s = g_string_new("");
    int i;

    for (i = 0; i < BLK_PERM_COUNT; i++) {
        if (perm & (1ULL << i)) {
            g_string_append_printf(s, "%s%s", s->len ? ", " : "",
                                   perm_names[i]);
        }
    }
    return g_string_free(s, false);
}

void bdrv_default_perms(BlockDriverState *bs, BdrvChild *c,
                        BdrvChildRole role, uint64_t perm, uint64_t shared,
                        uint64_t *nperm, uint64_t *nshared)
{
    if (role & BDRV_CHILD_FILTERED) {
        /* A filter passes its parents' needs through unchanged */
        *nperm = perm & BLK_PERM_ALL;
        *nshared = shared & BLK_PERM_ALL;
    } else if (role & BDRV_CHILD_COW) {
        /* Backing files are only read; others may keep them stable */
        *nperm = BLK_PERM_CONSISTENT_READ;
        *nshared = (shared | BLK_PERM_WRITE_UNCHANGED |
                    BLK_PERM_CONSISTENT_READ) & ~BLK_PERM_WRITE;
    } else {
        *nperm = perm & BLK_PERM_ALL;
        *nshared = shared & BLK_PERM_ALL;
        if (role & BDRV_CHILD_METADATA) {
            *nperm |= BLK_PERM_CONSISTENT_READ;
            if (!bs->read_only) {
                *nperm |= BLK_PERM_WRITE | BLK_PERM_RESIZE;
            }
            *nshared &= ~(BLK_PERM_WRITE | BLK_PERM_RESIZE);
        }
        if (perm & BLK_PERM_WRITE_UNCHANGED && !bs->read_only) {
            *nperm |= BLK_PERM_WRITE;
        }
        *nshared |= BLK_PERM_WRITE_UNCHANGED;
    }
    if (bs->force_share) {
        *nshared = BLK_PERM_ALL;
    }
}

/* Post-order DFS; the reversed list visits parents before children. */
static void bdrv_topo_collect(BlockDriverState *bs, GHashTable *seen,
                              GPtrArray *order)
{
    BdrvChild *c;

    if (!g_hash_table_add(seen, bs)) {
        return;
    }
    QLIST_FOREACH(c, &bs->children, next) {
        bdrv_topo_collect(c->bs, seen, order);
    }
    g_ptr_array_add(order, bs);
}

typedef struct PermSave {
    BdrvChild *c;                 /* edge whose perms were saved, or */
    BlockDriverState *bs;         /* node whose cumulative perms were */
    uint64_t perm, shared;
    bool checked;                 /* bs's driver accepted check_perm */
} PermSave;

static bool bdrv_parents_conflict(BlockDriverState *bs, Error **errp)
{
    BdrvChild *a, *b;

    QLIST_FOREACH(a, &bs->parents, next_parent) {
        QLIST_FOREACH(b, &bs->parents, next_parent) {
            if (a == b || (b->perm & a->shared_perm) == b->perm) {
                continue;
            }
            g_autofree char *names = bdrv_perm_names(b->perm &
                                                     ~a->shared_perm);
            g_autofree char *bdesc = bdrv_child_parent_desc(b);
            g_autofree char *adesc = bdrv_child_parent_desc(a);
            error_setg(errp, "Permission conflict on node '%s': "
                       "permissions '%s' are both required by %s (uses "
                       "node '%s' as '%s' child) and unshared by %s (uses "
                       "node '%s' as '%s' child).", bs->node_name, names,
                       bdesc, bs->node_name, b->name, adesc,
                       bs->node_name, a->name);
            return true;
        }
    }
    return false;
}

/* Check @bs against its parents' edges and derive its children's. */
static bool bdrv_node_update_perm(BlockDriverState *bs, GArray *saves,
                                  Error **errp)
{
    uint64_t perm = 0, shared = BLK_PERM_ALL;
    PermSave s = { .bs = bs, .perm = bs->cumulative_perm,
                   .shared = bs->cumulative_shared_perm };
    BdrvChild *c;

    QLIST_FOREACH(c, &bs->parents, next_parent) {
        perm |= c->perm;
        shared &= c->shared_perm;
    }
    if (bdrv_parents_conflict(bs, errp)) {
        return false;
    }
    if ((perm & (BLK_PERM_WRITE | BLK_PERM_WRITE_UNCHANGED |
                 BLK_PERM_RESIZE)) && bs->read_only) {
        error_setg(errp, "Block node is read-only");
        return false;
    }
    if (bs->drv && bs->drv->bdrv_check_perm) {
        if (bs->drv->bdrv_check_perm(bs, perm, shared, errp) < 0) {
            return false;
        }
        s.checked = true;
    }
    g_array_append_val(saves, s);
    bs->cumulative_perm = perm;
    bs->cumulative_shared_perm = shared;

    QLIST_FOREACH(c, &bs->children, next) {
        PermSave cs = { .c = c, .perm = c->perm, .shared = c->shared_perm };

        g_array_append_val(saves, cs);
        if (bs->drv && bs->drv->bdrv_child_perm) {
            bs->drv->bdrv_child_perm(bs, c, c->role, perm, shared,
                                     &c->perm, &c->shared_perm);
        } else {
            bdrv_default_perms(bs, c, c->role, perm, shared,
                               &c->perm, &c->shared_perm);
        }
    }
    return true;
}

static void bdrv_perm_finish(GArray *saves, bool ok)
{
    guint i;

    for (i = saves->len; i > 0; i--) {
        PermSave *s = &g_array_index(saves, PermSave, i - 1);

        if (s->c && !ok) {
            s->c->perm = s->perm;
            s->c->shared_perm = s->shared;
        } else if (s->bs && !ok) {
            s->bs->cumulative_perm = s->perm;
            s->bs->cumulative_shared_perm = s->shared;
            if (s->checked && s->bs->drv->bdrv_abort_perm_update) {
                s->bs->drv->bdrv_abort_perm_update(s->bs);
            }
        } else if (s->bs && s->checked && s->bs->drv->bdrv_set_perm) {
            s->bs->drv->bdrv_set_perm(s->bs, s->bs->cumulative_perm,
                                      s->bs->cumulative_shared_perm);
        }
    }
}

int bdrv_refresh_perms(BlockDriverState *bs, Error **errp)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    g_autoptr(GPtrArray) order = g_ptr_array_new();
    g_autoptr(GArray) saves = g_array_new(false, false, sizeof(PermSave));
    bool ok = true;
    guint i;

    bdrv_topo_collect(bs, seen, order);
    for (i = order->len; i > 0 && ok; i--) {
        ok = bdrv_node_update_perm(g_ptr_array_index(order, i - 1), saves,
                                   errp);
    }
    bdrv_perm_finish(saves, ok);
    return ok ? 0 : -EPERM;
}

int bdrv_child_try_set_perm(BdrvChild *c, uint64_t perm, uint64_t shared,
                            Error **errp)
{
    uint64_t old_perm = c->perm, old_shared = c->shared_perm;

    c->perm = perm;
    c->shared_perm = shared;
    if (bdrv_refresh_perms(c->bs, errp) < 0) {
        c->perm = old_perm;
        c->shared_perm = old_shared;
        return -EPERM;
    }
    return 0;
}
