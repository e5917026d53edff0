/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The block graph: edges (BdrvChild) between parents and child nodes,
 * opening children from options, and walking backing chains.  Every edge
 * change goes through the permission update, so a refused change leaves
 * the graph as it was.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "block/qdict.h"

static char *bdrv_child_parent_desc_bds(BdrvChild *c)
{
    BlockDriverState *parent = c->opaque;

    return g_strdup_printf("node '%s'", bdrv_get_node_name(parent));
}

const BdrvChildClass child_of_bds = {
    .parent_is_bds = true,
    .get_parent_desc = bdrv_child_parent_desc_bds,
};

char *bdrv_child_parent_desc(BdrvChild *c)
{
    if (c->klass->get_parent_desc) {
        return c->klass->get_parent_desc(c);
    }
    return g_strdup("an unnamed user");
}

BlockDriverState *bdrv_backing_bs(BlockDriverState *bs)
{
    return bs->backing ? bs->backing->bs : NULL;
}

static BdrvChild *bdrv_child_new(BlockDriverState *child_bs,
                                 const char *name,
                                 const BdrvChildClass *klass,
                                 BdrvChildRole role, void *opaque)
{
    BdrvChild *c = g_new0(BdrvChild, 1);

    c->bs = child_bs;
    c->name = g_strdup(name);
    c->klass = klass;
    c->role = role;
    c->opaque = opaque;
    /* Newest parent first, so conflicts name the older user first */
    QLIST_INSERT_HEAD(&child_bs->parents, c, next_parent);
    return c;
}

static void bdrv_child_free(BdrvChild *c)
{
    QLIST_REMOVE(c, next_parent);
    g_free(c->name);
    g_free(c);
}

BdrvChild *bdrv_root_attach_child(BlockDriverState *child_bs,
                                  const char *child_name,
                                  const BdrvChildClass *klass,
                                  BdrvChildRole role, uint64_t perm,
                                  uint64_t shared_perm, void *opaque,
                                  Error **errp)
{
    BdrvChild *c = bdrv_child_new(child_bs, child_name, klass, role, opaque);

    c->perm = perm;
    c->shared_perm = shared_perm;
    if (bdrv_refresh_perms(child_bs, errp) < 0) {
        bdrv_child_free(c);
        return NULL;
    }
    bdrv_ref(child_bs);
    return c;
}

/* Is @needle @bs itself or somewhere below it? */
static bool bdrv_recurse_has_child(BlockDriverState *bs,
                                   BlockDriverState *needle)
{
    BdrvChild *c;

    if (bs == needle) {
        return true;
    }
    QLIST_FOREACH(c, &bs->children, next) {
        if (bdrv_recurse_has_child(c->bs, needle)) {
            return true;
        }
    }
    return false;
}

BdrvChild *bdrv_attach_child(BlockDriverState *parent_bs,
                             BlockDriverState *child_bs,
                             const char *child_name, BdrvChildRole role,
                             Error **errp)
{
    BdrvChild *c;

    if (bdrv_recurse_has_child(child_bs, parent_bs)) {
        error_setg(errp, "Making '%s' a %s child of '%s' would create a "
                   "cycle", child_bs->node_name, child_name,
                   parent_bs->node_name);
        return NULL;
    }
    c = bdrv_child_new(child_bs, child_name, &child_of_bds, role, parent_bs);

    QLIST_INSERT_HEAD(&parent_bs->children, c, next);
    if (!strcmp(child_name, "file")) {
        parent_bs->file = c;
    } else if (!strcmp(child_name, "backing")) {
        parent_bs->backing = c;
    }
    /* Computes this edge's permissions from parent_bs's driver */
    if (bdrv_refresh_perms(parent_bs, errp) < 0) {
        bdrv_unref_child_noperm(parent_bs, c);
        return NULL;
    }
    bdrv_ref(child_bs);
    return c;
}

/* Remove an edge without updating permissions (the caller does). */
void bdrv_unref_child_noperm(BlockDriverState *parent, BdrvChild *c)
{
    QLIST_REMOVE(c, next);
    if (parent->file == c) {
        parent->file = NULL;
    }
    if (parent->backing == c) {
        parent->backing = NULL;
    }
    bdrv_child_free(c);
}

void bdrv_root_unref_child(BdrvChild *child)
{
    BlockDriverState *bs = child->bs;

    bdrv_child_free(child);
    /* Dropping an edge only loosens permissions: this cannot fail */
    bdrv_refresh_perms(bs, NULL);
    bdrv_unref(bs);
}

void bdrv_unref_child(BlockDriverState *parent, BdrvChild *child)
{
    BlockDriverState *bs = child->bs;

    bdrv_unref_child_noperm(parent, child);
    bdrv_refresh_perms(bs, NULL);
    bdrv_unref(bs);
}

void bdrv_close_children(BlockDriverState *bs)
{
    BdrvChild *c, *next;

    QLIST_FOREACH_SAFE(c, &bs->children, next, next) {
        bdrv_unref_child(bs, c);
    }
}

/* Options a child inherits from its parent unless it sets them itself. */
static int bdrv_child_flags(BlockDriverState *parent)
{
    return parent->open_flags & (BDRV_O_RDWR | BDRV_O_NOCACHE |
                                 BDRV_O_NO_FLUSH | BDRV_O_UNMAP);
}

BdrvChild *bdrv_open_child(const char *filename, QDict *options,
                           const char *name, BlockDriverState *parent,
                           BdrvChildRole role, bool allow_none,
                           Error **errp)
{
    g_autofree char *prefix = g_strdup_printf("%s.", name);
    const char *ref = qdict_get_try_str(options, name);
    g_autofree char *reference = g_strdup(ref);
    BlockDriverState *child_bs;
    QDict *sub = NULL;
    BdrvChild *c;
    int flags = bdrv_child_flags(parent);

    qdict_del(options, name);
    qdict_extract_subqdict(options, &sub, prefix);
    if (!reference && !filename && !qdict_size(sub)) {
        qobject_unref(sub);
        if (!allow_none) {
            error_setg(errp, "A block device must be specified for \"%s\"",
                       name);
        }
        return NULL;
    }
    if (!reference && !qdict_haskey(sub, "driver")) {
        /* A bare file name names a file, as with -drive file=... */
        flags |= BDRV_O_PROTOCOL;
        if (qdict_haskey(sub, "filename")) {
            qdict_put_str(sub, "driver", "file");
        }
    }
    child_bs = bdrv_open(reference ? NULL : filename, reference, sub, flags,
                         errp);
    if (!child_bs) {
        return NULL;
    }
    if (!reference && !strcmp(name, "file")) {
        /* QEMU opens the file before naming its parent: list it first */
        bdrv_node_list_move_before(child_bs, parent);
    }
    c = bdrv_attach_child(parent, child_bs, name, role, errp);
    bdrv_unref(child_bs);
    return c;
}

/* Move edge @c to point at @to (no permission update, no references). */
static void bdrv_child_move(BdrvChild *c, BlockDriverState *to)
{
    QLIST_REMOVE(c, next_parent);
    QLIST_INSERT_HEAD(&to->parents, c, next_parent);
    c->bs = to;
}

int bdrv_replace_node(BlockDriverState *from, BlockDriverState *to,
                      Error **errp)
{
    g_autoptr(GPtrArray) moved = g_ptr_array_new();
    BdrvChild *c, *next;
    guint i;

    QLIST_FOREACH_SAFE(c, &from->parents, next_parent, next) {
        /* A filter inserted above @from keeps pointing at it */
        if (c->klass->parent_is_bds && c->opaque == to) {
            continue;
        }
        if (c->klass->parent_is_bds &&
            bdrv_recurse_has_child(to, c->opaque)) {
            error_setg(errp, "Making '%s' a %s child of '%s' would create "
                       "a cycle", to->node_name, c->name,
                       ((BlockDriverState *)c->opaque)->node_name);
            for (i = 0; i < moved->len; i++) {
                bdrv_child_move(g_ptr_array_index(moved, i), from);
            }
            return -EINVAL;
        }
        bdrv_child_move(c, to);
        g_ptr_array_add(moved, c);
    }
    if (bdrv_refresh_perms(to, errp) < 0) {
        for (i = 0; i < moved->len; i++) {
            bdrv_child_move(g_ptr_array_index(moved, i), from);
        }
        return -EPERM;
    }
    /* @from only loses users: this cannot fail */
    bdrv_refresh_perms(from, NULL);
    for (i = 0; i < moved->len; i++) {
        bdrv_ref(to);
    }
    bdrv_ref(from);
    for (i = 0; i < moved->len; i++) {
        bdrv_unref(from);
    }
    bdrv_unref(from);
    return 0;
}

int bdrv_set_backing_hd(BlockDriverState *bs, BlockDriverState *backing_hd,
                        Error **errp)
{
    BdrvChild *old = bs->backing;

    if (backing_hd && !bdrv_attach_child(bs, backing_hd, "backing",
                                         BDRV_CHILD_COW, errp)) {
        bs->backing = old;
        return -EPERM;
    }
    if (old) {
        bdrv_unref_child(bs, old);
    }
    return 0;
}
