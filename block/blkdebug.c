/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * blkdebug: a filter that injects errors for tests.  Rules
 * (inject-error.N.*) wait for a debug event; when it fires at this node,
 * that event's rules become the active ones, and a request of a matching
 * type touching the rule's sector fails with its errno (once: only the
 * first).  align/max-transfer and friends impose limits.
 * Supported: the options image, align, max-transfer, opt-write-zero,
 * max-write-zero, opt-discard, max-discard and inject-error with event,
 * state, iotype, errno, sector, once, immediately.
 */
#include "qemu/osdep.h"
#include "qobject/qlist.h"
#include "qobject/qstring.h"
#include "block/block_int.h"
#include "block/qdict.h"

typedef enum {
    BLKDEBUG_IO_READ, BLKDEBUG_IO_WRITE, BLKDEBUG_IO_WRITE_ZEROES,
    BLKDEBUG_IO_DISCARD, BLKDEBUG_IO_FLUSH, BLKDEBUG_IO_BLOCK_STATUS,
    BLKDEBUG_IO__MAX,
} BlkdebugIOType;

static const char *const blkdebug_io_names[BLKDEBUG_IO__MAX] = {
    "read", "write", "write-zeroes", "discard", "flush", "block-status",
};

static const char *const blkdebug_event_names[BLKDBG__MAX] = {
    "l1_update", "l1_grow_alloc_table", "l1_grow_write_table",
    "l1_grow_activate_table", "l2_load", "l2_update",
    "l2_update_compressed", "l2_alloc_cow_read", "l2_alloc_write",
    "read_aio", "read_backing_aio", "read_compressed", "write_aio",
    "write_compressed", "vmstate_load", "vmstate_save", "cow_read",
    "cow_write", "reftable_load", "reftable_grow", "reftable_update",
    "refblock_load", "refblock_update", "refblock_update_part",
    "refblock_alloc", "refblock_alloc_hookup", "refblock_alloc_write",
    "refblock_alloc_write_blocks", "refblock_alloc_write_table",
    "refblock_alloc_switch_table", "cluster_alloc", "cluster_alloc_bytes",
    "cluster_free", "flush_to_os", "flush_to_disk", "pwritev_rmw_head",
    "pwritev_rmw_after_head", "pwritev_rmw_tail", "pwritev_rmw_after_tail",
    "pwritev", "pwritev_zero", "pwritev_done", "empty_image_prepare",
    "l1_shrink_write_table", "l1_shrink_free_l2_clusters", "cor_write",
    "cluster_alloc_space", "none",
};

typedef struct BlkdebugRule {
    BlkdebugEvent event;
    uint64_t state;               /* 0: any */
    uint64_t error;               /* positive errno */
    int64_t sector;               /* -1: any */
    bool once;
    unsigned iotypes;             /* 1 << BlkdebugIOType */
} BlkdebugRule;

typedef struct BDRVBlkdebugState {
    GPtrArray *rules;             /* BlkdebugRule *, owned */
    GPtrArray *active;            /* the rules of the last event fired */
    int state;
    uint64_t align, max_transfer;
    uint64_t opt_write_zero, max_write_zero, opt_discard, max_discard;
} BDRVBlkdebugState;

static int blkdebug_lookup(const char *const *names, int n, const char *s)
{
    int i;

    for (i = 0; s && i < n; i++) {
        if (!strcmp(names[i], s)) {
            return i;
        }
    }
    return -1;
}

static bool blkdebug_parse_iotypes(QDict *d, BlkdebugRule *rule,
                                   Error **errp)
{
    QDict *sub = NULL;
    QList *list = NULL;
    const QListEntry *e;
    bool ok = true;

    qdict_extract_subqdict(d, &sub, "iotype.");
    qdict_array_split(sub, &list);
    rule->iotypes = qlist_empty(list) ? (1u << BLKDEBUG_IO__MAX) - 1 : 0;
    QLIST_FOREACH_ENTRY(list, e) {
        const char *name = qobject_get_try_str(qlist_entry_obj(e));
        int t = blkdebug_lookup(blkdebug_io_names, BLKDEBUG_IO__MAX, name);

        if (t < 0) {
            error_setg(errp, "Invalid parameter '%s'", name ?: "");
            ok = false;
            break;
        }
        rule->iotypes |= 1u << t;
    }
    qobject_unref(list);
    qobject_unref(sub);
    return ok;
}

static BlkdebugRule *blkdebug_parse_rule(QDict *d, Error **errp)
{
    g_autofree char *event = bdrv_opt_take_str(d, "event");
    g_autofree BlkdebugRule *rule = g_new0(BlkdebugRule, 1);
    uint64_t sector;
    bool immediately;
    int ev = blkdebug_lookup(blkdebug_event_names, BLKDBG__MAX, event);

    if (ev < 0) {
        error_setg(errp, "Invalid parameter '%s'", event ?: "");
        return NULL;
    }
    rule->event = ev;
    if (!bdrv_opt_take_size(d, "state", 0, &rule->state, errp) ||
        !bdrv_opt_take_size(d, "errno", EIO, &rule->error, errp) ||
        !bdrv_opt_take_bool(d, "once", false, &rule->once, errp) ||
        !bdrv_opt_take_bool(d, "immediately", false, &immediately, errp) ||
        !blkdebug_parse_iotypes(d, rule, errp)) {
        return NULL;
    }
    rule->sector = -1;
    if (qdict_haskey(d, "sector")) {
        if (!bdrv_opt_take_size(d, "sector", 0, &sector, errp)) {
            return NULL;
        }
        rule->sector = sector;
    }
    if (qdict_size(d)) {
        error_setg(errp, "Invalid parameter '%s'",
                   qdict_entry_key(qdict_first(d)));
        return NULL;
    }
    return g_steal_pointer(&rule);
}

static bool blkdebug_parse_rules(BDRVBlkdebugState *s, QDict *options,
                                 Error **errp)
{
    QDict *sub = NULL;
    QList *list = NULL;
    const QListEntry *e;
    bool ok = true;

    qdict_extract_subqdict(options, &sub, "inject-error.");
    qdict_array_split(sub, &list);
    if (qdict_size(sub)) {
        error_setg(errp, "Invalid parameter 'inject-error.%s'",
                   qdict_entry_key(qdict_first(sub)));
        ok = false;
    }
    QLIST_FOREACH_ENTRY(list, e) {
        QDict *d = qobject_to(QDict, qlist_entry_obj(e));
        BlkdebugRule *rule = d ? blkdebug_parse_rule(d, errp) : NULL;

        if (!ok || !rule) {
            if (ok && !d) {
                error_setg(errp, "Invalid parameter 'inject-error'");
            }
            ok = false;
            break;
        }
        g_ptr_array_add(s->rules, rule);
    }
    qobject_unref(list);
    qobject_unref(sub);
    return ok;
}

static void blkdebug_debug_event(BlockDriverState *bs, BlkdebugEvent event)
{
    BDRVBlkdebugState *s = bs->opaque;
    bool reset = false;
    guint i;

    for (i = 0; i < s->rules->len; i++) {
        BlkdebugRule *r = g_ptr_array_index(s->rules, i);

        if (r->event != event || (r->state && r->state != s->state)) {
            continue;
        }
        /* An event with rules replaces what was active before */
        if (!reset) {
            g_ptr_array_set_size(s->active, 0);
            reset = true;
        }
        g_ptr_array_add(s->active, r);
    }
}

static int blkdebug_open(BlockDriverState *bs, QDict *options, int flags,
                         Error **errp)
{
    BDRVBlkdebugState *s = bs->opaque;

    s->rules = g_ptr_array_new_with_free_func(g_free);
    s->active = g_ptr_array_new();
    s->state = 1;
    if (!blkdebug_parse_rules(s, options, errp) ||
        !bdrv_opt_take_size(options, "align", 0, &s->align, errp) ||
        !bdrv_opt_take_size(options, "max-transfer", 0, &s->max_transfer,
                            errp) ||
        !bdrv_opt_take_size(options, "opt-write-zero", 0,
                            &s->opt_write_zero, errp) ||
        !bdrv_opt_take_size(options, "max-write-zero", 0,
                            &s->max_write_zero, errp) ||
        !bdrv_opt_take_size(options, "opt-discard", 0, &s->opt_discard,
                            errp) ||
        !bdrv_opt_take_size(options, "max-discard", 0, &s->max_discard,
                            errp)) {
        goto fail;
    }
    if (s->align && (!is_power_of_2(s->align) || s->align > INT32_MAX)) {
        error_setg(errp, "Cannot meet constraints with align %" PRIu64,
                   s->align);
        goto fail;
    }
    if (s->max_transfer && s->align && s->max_transfer % s->align) {
        error_setg(errp, "Cannot meet constraints with max-transfer %"
                   PRIu64, s->max_transfer);
        goto fail;
    }
    bs->file = bdrv_open_child(NULL, options, "image", bs,
                               BDRV_CHILD_FILTERED | BDRV_CHILD_PRIMARY,
                               false, errp);
    if (!bs->file) {
        goto fail;
    }
    blkdebug_debug_event(bs, BLKDBG_NONE);
    return 0;

fail:
    g_ptr_array_free(s->active, true);
    g_ptr_array_free(s->rules, true);
    return -EINVAL;
}

static void blkdebug_close(BlockDriverState *bs)
{
    BDRVBlkdebugState *s = bs->opaque;

    g_ptr_array_free(s->active, true);
    g_ptr_array_free(s->rules, true);
}

static void blkdebug_refresh_limits(BlockDriverState *bs, Error **errp)
{
    BDRVBlkdebugState *s = bs->opaque;

    if (s->align) {
        bs->bl.request_alignment = s->align;
    }
    if (s->max_transfer) {
        bs->bl.max_transfer = s->max_transfer;
    }
    if (s->opt_write_zero) {
        bs->bl.pwrite_zeroes_alignment = s->opt_write_zero;
    }
    if (s->max_write_zero) {
        bs->bl.max_pwrite_zeroes = s->max_write_zero;
    }
    if (s->opt_discard) {
        bs->bl.pdiscard_alignment = s->opt_discard;
    }
    if (s->max_discard) {
        bs->bl.max_pdiscard = s->max_discard;
    }
}

/* The errno of the first active rule matching the request, or 0. */
static int blkdebug_rule_check(BlockDriverState *bs, int64_t offset,
                               int64_t bytes, BlkdebugIOType type)
{
    BDRVBlkdebugState *s = bs->opaque;
    guint i;

    for (i = 0; i < s->active->len; i++) {
        BlkdebugRule *r = g_ptr_array_index(s->active, i);
        int64_t start = r->sector * BDRV_SECTOR_SIZE;
        int err = r->error;

        if (!(r->iotypes & (1u << type)) ||
            (r->sector >= 0 && (offset >= start + BDRV_SECTOR_SIZE ||
                                offset + bytes <= start))) {
            continue;
        }
        if (r->once) {
            g_ptr_array_remove_index(s->active, i);
            g_ptr_array_remove(s->rules, r);
        }
        return -err;
    }
    return 0;
}

static int coroutine_fn blkdebug_co_preadv(BlockDriverState *bs,
                                           int64_t offset, int64_t bytes,
                                           QEMUIOVector *qiov,
                                           BdrvRequestFlags flags)
{
    int ret = blkdebug_rule_check(bs, offset, bytes, BLKDEBUG_IO_READ);

    return ret ?: bdrv_co_preadv(bs->file, offset, bytes, qiov, flags);
}

static int coroutine_fn blkdebug_co_pwritev(BlockDriverState *bs,
                                            int64_t offset, int64_t bytes,
                                            QEMUIOVector *qiov,
                                            BdrvRequestFlags flags)
{
    int ret = blkdebug_rule_check(bs, offset, bytes, BLKDEBUG_IO_WRITE);

    return ret ?: bdrv_co_pwritev(bs->file, offset, bytes, qiov, flags);
}

static int coroutine_fn blkdebug_co_pwrite_zeroes(BlockDriverState *bs,
                                                  int64_t offset,
                                                  int64_t bytes,
                                                  BdrvRequestFlags flags)
{
    int ret = blkdebug_rule_check(bs, offset, bytes,
                                  BLKDEBUG_IO_WRITE_ZEROES);

    return ret ?: bdrv_co_pwrite_zeroes(bs->file, offset, bytes, flags);
}

static int coroutine_fn blkdebug_co_pdiscard(BlockDriverState *bs,
                                             int64_t offset, int64_t bytes)
{
    int ret = blkdebug_rule_check(bs, offset, bytes, BLKDEBUG_IO_DISCARD);

    return ret ?: bdrv_co_pdiscard(bs->file, offset, bytes);
}

static int coroutine_fn blkdebug_co_flush(BlockDriverState *bs)
{
    /* The core flushes the image child after this */
    return blkdebug_rule_check(bs, 0, 0, BLKDEBUG_IO_FLUSH);
}

static int coroutine_fn blkdebug_co_block_status(BlockDriverState *bs,
                                                 int64_t offset,
                                                 int64_t bytes,
                                                 int64_t *pnum,
                                                 int64_t *map,
                                                 BlockDriverState **file)
{
    int ret = blkdebug_rule_check(bs, offset, bytes,
                                  BLKDEBUG_IO_BLOCK_STATUS);

    if (ret < 0) {
        return ret;
    }
    *pnum = bytes;
    *map = offset;
    *file = bs->file->bs;
    return BDRV_BLOCK_RAW | BDRV_BLOCK_OFFSET_VALID;
}

static int coroutine_fn blkdebug_co_truncate(BlockDriverState *bs,
                                             int64_t offset, bool exact,
                                             PreallocMode prealloc,
                                             Error **errp)
{
    return bdrv_co_truncate(bs->file, offset, exact, prealloc, errp);
}

BlockDriver bdrv_blkdebug = {
    .format_name            = "blkdebug",
    .protocol_name          = "blkdebug",
    .instance_size          = sizeof(BDRVBlkdebugState),
    .is_filter              = true,
    .bdrv_open              = blkdebug_open,
    .bdrv_close             = blkdebug_close,
    .bdrv_refresh_limits    = blkdebug_refresh_limits,
    .bdrv_debug_event       = blkdebug_debug_event,
    .bdrv_co_preadv         = blkdebug_co_preadv,
    .bdrv_co_pwritev        = blkdebug_co_pwritev,
    .bdrv_co_pwrite_zeroes  = blkdebug_co_pwrite_zeroes,
    .bdrv_co_pdiscard       = blkdebug_co_pdiscard,
    .bdrv_co_flush          = blkdebug_co_flush,
    .bdrv_co_block_status   = blkdebug_co_block_status,
    .bdrv_co_truncate       = blkdebug_co_truncate,
    .supported_write_flags  = BDRV_REQ_FUA,
    .supported_zero_flags   = BDRV_REQ_MAY_UNMAP | BDRV_REQ_FUA |
                              BDRV_REQ_NO_FALLBACK,
};
