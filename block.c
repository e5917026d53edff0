/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Block layer core: the driver registry, opening nodes from flattened
 * option dictionaries (common options, node names, format probing),
 * references and close.  Graph edges live in block/graph.c, permissions
 * in block/permission.c, requests in block/io.c.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qobject/qbool.h"
#include "qobject/qnum.h"
#include "qobject/qstring.h"
#include "block/block_int.h"
#include "block/block-backend.h"
#include "block/qdict.h"
#include "block/aio-wait.h"
#include "block/co-sync.h"

static QLIST_HEAD(, BlockDriver) bdrv_drivers =
    QLIST_HEAD_INITIALIZER(bdrv_drivers);
static QTAILQ_HEAD(, BlockDriverState) all_bdrv_states =
    QTAILQ_HEAD_INITIALIZER(all_bdrv_states);
static uint64_t bdrv_node_name_counter;

extern BlockDriver bdrv_null_co;
extern BlockDriver bdrv_raw;
extern BlockDriver bdrv_qcow2;
extern BlockDriver bdrv_file;
extern BlockDriver bdrv_blkdebug;

void bdrv_register(BlockDriver *drv)
{
    QLIST_INSERT_HEAD(&bdrv_drivers, drv, list);
}

void bdrv_init(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    bdrv_register(&bdrv_null_co);
    bdrv_register(&bdrv_raw);
    bdrv_register(&bdrv_qcow2);
    bdrv_register(&bdrv_file);
    bdrv_register(&bdrv_blkdebug);
}

BlockDriver *bdrv_find_format(const char *format_name)
{
    BlockDriver *drv;

    bdrv_init();
    QLIST_FOREACH(drv, &bdrv_drivers, list) {
        if (!strcmp(drv->format_name, format_name)) {
            return drv;
        }
    }
    return NULL;
}

BlockDriver *bdrv_probe_all(const uint8_t *buf, int buf_size,
                            const char *filename)
{
    BlockDriver *drv, *best = NULL;
    int score, best_score = 0;

    bdrv_init();
    QLIST_FOREACH(drv, &bdrv_drivers, list) {
        if (drv->bdrv_probe) {
            score = drv->bdrv_probe(buf, buf_size, filename);
            if (score > best_score) {
                best_score = score;
                best = drv;
            }
        }
    }
    return best;
}

/* Option helpers shared by the core and the drivers */

bool bdrv_opt_take_bool(QDict *opts, const char *key, bool def, bool *out,
                        Error **errp)
{
    QObject *obj = qdict_get(opts, key);
    const char *s;

    *out = def;
    if (!obj) {
        return true;
    }
    if (qobject_type(obj) == QTYPE_QBOOL) {
        *out = qbool_get_bool(qobject_to(QBool, obj));
    } else if ((s = qobject_get_try_str(obj)) && !strcmp(s, "on")) {
        *out = true;
    } else if (s && !strcmp(s, "off")) {
        *out = false;
    } else {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    qdict_del(opts, key);
    return true;
}

bool bdrv_opt_take_size(QDict *opts, const char *key, uint64_t def,
                        uint64_t *out, Error **errp)
{
    QObject *obj = qdict_get(opts, key);
    const char *s;
    int64_t v;

    *out = def;
    if (!obj) {
        return true;
    }
    if (qobject_type(obj) == QTYPE_QNUM &&
        qnum_get_try_int(qobject_to(QNum, obj), &v) && v >= 0) {
        *out = v;
    } else if (!(s = qobject_get_try_str(obj)) ||
               qemu_strtosz(s, NULL, out) < 0) {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", key);
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means "
                          "kilo-, mega-, giga-, tera-, peta-\n"
                          "and exabytes, respectively.\n");
        return false;
    }
    qdict_del(opts, key);
    return true;
}

char *bdrv_opt_take_str(QDict *opts, const char *key)
{
    const char *s = qdict_get_try_str(opts, key);
    char *ret = g_strdup(s);

    if (s) {
        qdict_del(opts, key);
    }
    return ret;
}

bool bdrv_parse_discard_flags(const char *mode, int *flags, Error **errp)
{
    *flags &= ~BDRV_O_UNMAP;
    if (!strcmp(mode, "off") || !strcmp(mode, "ignore")) {
        return true;
    }
    if (!strcmp(mode, "on") || !strcmp(mode, "unmap")) {
        *flags |= BDRV_O_UNMAP;
        return true;
    }
    error_setg(errp, "Invalid discard option");
    return false;
}

/* Node names */

BlockDriverState *bdrv_find_node(const char *node_name)
{
    BlockDriverState *bs;

    QTAILQ_FOREACH(bs, &all_bdrv_states, node_list) {
        if (!strcmp(bs->node_name, node_name)) {
            return bs;
        }
    }
    return NULL;
}

void bdrv_node_list_move_before(BlockDriverState *bs,
                                BlockDriverState *before)
{
    QTAILQ_REMOVE(&all_bdrv_states, bs, node_list);
    QTAILQ_INSERT_BEFORE(before, bs, node_list);
}

BlockDriverState *bdrv_next_node(BlockDriverState *bs)
{
    return bs ? QTAILQ_NEXT(bs, node_list) : QTAILQ_FIRST(&all_bdrv_states);
}

const char *bdrv_get_node_name(const BlockDriverState *bs)
{
    return bs->node_name;
}

const char *bdrv_get_format_name(BlockDriverState *bs)
{
    return bs->drv ? bs->drv->format_name : NULL;
}

bool bdrv_is_read_only(BlockDriverState *bs)
{
    return bs->read_only;
}

int64_t bdrv_get_allocated_file_size(BlockDriverState *bs)
{
    BdrvChild *c;
    int64_t sum = 0, n;

    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (bs->drv->bdrv_get_allocated_file_size) {
        return bs->drv->bdrv_get_allocated_file_size(bs);
    }
    if (bs->drv->protocol_name) {
        return -ENOTSUP;
    }
    QLIST_FOREACH(c, &bs->children, next) {
        if (c->role & (BDRV_CHILD_DATA | BDRV_CHILD_METADATA |
                       BDRV_CHILD_FILTERED)) {
            n = bdrv_get_allocated_file_size(c->bs);
            if (n < 0) {
                return n;
            }
            sum += n;
        }
    }
    return sum;
}

bool bdrv_has_zero_init(BlockDriverState *bs)
{
    if (!bs->drv) {
        return false;
    }
    if (bs->drv->bdrv_has_zero_init) {
        return bs->drv->bdrv_has_zero_init(bs);
    }
    /* A format or filter without metadata inherits its file's answer */
    return !bs->drv->protocol_name && bs->file &&
           bdrv_has_zero_init(bs->file->bs);
}

int bdrv_get_refcnt(BlockDriverState *bs)
{
    return bs->refcnt;
}

static bool bdrv_assign_node_name(BlockDriverState *bs, const char *name,
                                  Error **errp)
{
    g_autofree char *gen = NULL;

    if (!name) {
        gen = g_strdup_printf("#block%03" PRIu64, bdrv_node_name_counter++);
        name = gen;
    } else if (!id_wellformed(name)) {
        error_setg(errp, "Invalid node-name: '%s'", name);
        return false;
    } else if (blk_by_name(name)) {
        error_setg(errp, "node-name=%s is conflicting with a device id",
                   name);
        return false;
    }
    if (bdrv_find_node(name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", name);
        return false;
    }
    if (strlen(name) >= sizeof(bs->node_name)) {
        error_setg(errp, "Node name too long");
        return false;
    }
    pstrcpy(bs->node_name, sizeof(bs->node_name), name);
    return true;
}

int64_t bdrv_getlength(BlockDriverState *bs)
{
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    return bs->total_bytes;
}

int bdrv_refresh_total_bytes(BlockDriverState *bs, int64_t hint)
{
    int64_t len = hint;

    if (bs->drv->bdrv_getlength) {
        len = bs->drv->bdrv_getlength(bs);
    } else if (hint < 0 && bs->file) {
        len = bdrv_getlength(bs->file->bs);
    }
    if (len < 0) {
        return len;
    }
    /*
     * QEMU counts a node's size in whole 512-byte sectors: a 1000-byte
     * file is a 1024-byte node whose tail reads as zeroes.
     */
    bs->total_bytes = QEMU_ALIGN_UP(len, BDRV_SECTOR_SIZE);
    return 0;
}

/* Open */

static bool bdrv_take_detect_zeroes(BlockDriverState *bs, QDict *opts,
                                    Error **errp)
{
    static const char *const modes[] = { "off", "on", "unmap" };
    g_autofree char *mode = bdrv_opt_take_str(opts, "detect-zeroes");
    int i;

    for (i = 0; mode && i < ARRAY_SIZE(modes); i++) {
        if (!strcmp(mode, modes[i])) {
            bs->detect_zeroes = i;
            return true;
        }
    }
    if (mode) {
        error_setg(errp, "invalid parameter value: %s", mode);
        return false;
    }
    return true;
}

/* Read the options every node accepts into @bs and remove them. */
static bool bdrv_take_common_opts(BlockDriverState *bs, QDict *opts,
                                  int *flags, Error **errp)
{
    g_autofree char *discard = bdrv_opt_take_str(opts, "discard");
    bool ro, direct, no_flush, force_share, auto_ro;

    if (!bdrv_opt_take_bool(opts, "read-only", !(*flags & BDRV_O_RDWR),
                            &ro, errp) ||
        !bdrv_opt_take_bool(opts, "auto-read-only", false, &auto_ro, errp) ||
        !bdrv_opt_take_bool(opts, "cache.direct",
                            *flags & BDRV_O_NOCACHE, &direct, errp) ||
        !bdrv_opt_take_bool(opts, "cache.no-flush",
                            *flags & BDRV_O_NO_FLUSH, &no_flush, errp) ||
        !bdrv_opt_take_bool(opts, "force-share", false, &force_share,
                            errp)) {
        return false;
    }
    if (discard && !bdrv_parse_discard_flags(discard, flags, errp)) {
        return false;
    }
    if (!bdrv_take_detect_zeroes(bs, opts, errp)) {
        return false;
    }
    if (force_share && !ro) {
        error_setg(errp, "force-share=on can only be used with read-only "
                   "images");
        return false;
    }
    *flags = (*flags & ~(BDRV_O_RDWR | BDRV_O_NOCACHE | BDRV_O_NO_FLUSH)) |
             (ro ? 0 : BDRV_O_RDWR) | (direct ? BDRV_O_NOCACHE : 0) |
             (no_flush ? BDRV_O_NO_FLUSH : 0);
    bs->read_only = ro;
    bs->force_share = force_share;
    return true;
}

static BlockDriverState *bdrv_new(void)
{
    BlockDriverState *bs = g_new0(BlockDriverState, 1);

    bs->refcnt = 1;
    bs->bl.request_alignment = 1;
    QLIST_INIT(&bs->children);
    QLIST_INIT(&bs->parents);
    QTAILQ_INIT(&bs->tracked_requests);
    qemu_co_queue_init(&bs->drain_queue);
    bs->dirty_bitmaps = g_ptr_array_new();
    return bs;
}

static void bdrv_free(BlockDriverState *bs)
{
    if (bs->node_name[0]) {
        QTAILQ_REMOVE(&all_bdrv_states, bs, node_list);
    }
    qobject_unref(bs->options);
    g_ptr_array_free(bs->dirty_bitmaps, true);
    g_free(bs->opaque);
    g_free(bs);
}

/* Limits: the driver's answer, bounded by what its primary child needs. */
static bool bdrv_refresh_limits(BlockDriverState *bs, Error **errp)
{
    BdrvChild *c = bs->file;
    Error *local_err = NULL;

    memset(&bs->bl, 0, sizeof(bs->bl));
    bs->bl.request_alignment = 1;
    if (c) {
        bs->bl.max_transfer = c->bs->bl.max_transfer;
        bs->bl.opt_transfer = c->bs->bl.opt_transfer;
        bs->bl.min_mem_alignment = c->bs->bl.min_mem_alignment;
    }
    if (bs->drv->bdrv_refresh_limits) {
        bs->drv->bdrv_refresh_limits(bs, &local_err);
        if (local_err) {
            error_propagate(errp, local_err);
            return false;
        }
    }
    assert(is_power_of_2(bs->bl.request_alignment));
    return true;
}

/* The first option key nobody consumed, to reject it as QEMU does. */
static bool bdrv_check_leftover(BlockDriverState *bs, QDict *opts,
                                Error **errp)
{
    const QDictEntry *e = qdict_first(opts);

    if (!e) {
        return true;
    }
    if (bs->drv->protocol_name) {
        error_setg(errp, "Block protocol '%s' doesn't support the option "
                   "'%s'", bs->drv->format_name, qdict_entry_key(e));
    } else {
        error_setg(errp, "Block format '%s' does not support the option "
                   "'%s'", bs->drv->format_name, qdict_entry_key(e));
    }
    return false;
}

/* Format probing of the legacy filename path: read the first bytes. */
static BlockDriver *bdrv_probe_file(BlockDriverState *file_bs,
                                    const char *filename, Error **errp)
{
    uint8_t buf[2048];
    int64_t len = bdrv_getlength(file_bs);
    BlockDriver *drv;
    BdrvChild *c;
    int ret = 0;

    memset(buf, 0, sizeof(buf));
    c = bdrv_root_attach_child(file_bs, "probe", &child_of_bds,
                               BDRV_CHILD_DATA, BLK_PERM_CONSISTENT_READ,
                               BLK_PERM_ALL, NULL, errp);
    if (!c) {
        return NULL;
    }
    if (len > 0) {
        ret = bdrv_pread(c, 0, MIN(len, (int64_t)sizeof(buf)), buf, 0);
    }
    bdrv_root_unref_child(c);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read image for determining "
                         "its format");
        return NULL;
    }
    drv = bdrv_probe_all(buf, MIN(len, (int64_t)sizeof(buf)), filename);
    if (!drv) {
        error_setg(errp, "Could not determine image format: No compatible "
                   "driver found");
    }
    return drv;
}

/* Where the driver comes from: the option, the protocol or probing. */
static BlockDriver *bdrv_pick_driver(const char *filename, QDict *opts,
                                     int flags, bool *probed, Error **errp)
{
    g_autofree char *name = bdrv_opt_take_str(opts, "driver");
    BlockDriver *drv;

    *probed = false;
    if (!name && filename && (flags & BDRV_O_PROTOCOL)) {
        name = g_strdup("file");
    } else if (!name && filename) {
        *probed = true;
        return NULL;
    } else if (!name) {
        error_setg(errp, "Must specify either driver or file");
        return NULL;
    }
    drv = bdrv_find_format(name);
    if (!drv) {
        error_setg(errp, "Unknown driver '%s'", name);
    }
    return drv;
}

static BlockDriverState *bdrv_open_probed(const char *filename, QDict *opts,
                                          int flags, Error **errp)
{
    BlockDriverState *file_bs;
    BlockDriver *drv;
    QDict *file_opts = qdict_new();

    qdict_put_str(file_opts, "driver", "file");
    qdict_put_str(file_opts, "filename", filename);
    file_bs = bdrv_open(NULL, NULL, file_opts, flags | BDRV_O_PROTOCOL,
                        errp);
    if (!file_bs) {
        return NULL;
    }
    drv = bdrv_probe_file(file_bs, filename, errp);
    if (!drv) {
        bdrv_unref(file_bs);
        return NULL;
    }
    qdict_put_str(opts, "driver", drv->format_name);
    qdict_put_str(opts, "file", bdrv_get_node_name(file_bs));
    return file_bs;
}

static bool bdrv_open_driver(BlockDriverState *bs, BlockDriver *drv,
                             QDict *opts, int flags, Error **errp)
{
    bs->drv = drv;
    bs->opaque = g_malloc0(drv->instance_size);
    bs->open_flags = flags;
    if (drv->bdrv_open(bs, opts, flags, errp) < 0) {
        goto fail;
    }
    if (!bdrv_check_leftover(bs, opts, errp) ||
        !bdrv_refresh_limits(bs, errp)) {
        if (drv->bdrv_close) {
            drv->bdrv_close(bs);
        }
        goto fail;
    }
    if (bdrv_refresh_total_bytes(bs, -1) < 0) {
        error_setg(errp, "Could not refresh total sector count");
        if (drv->bdrv_close) {
            drv->bdrv_close(bs);
        }
        goto fail;
    }
    return true;

fail:
    bdrv_close_children(bs);
    bs->drv = NULL;
    return false;
}

BlockDriverState *bdrv_open(const char *filename, const char *reference,
                            QDict *options, int flags, Error **errp)
{
    g_autoptr(QDict) opts = options ? options : qdict_new();
    g_autofree char *node_name = NULL;
    BlockDriverState *bs, *probe_file = NULL;
    BlockDriver *drv;
    bool probed;

    bdrv_init();
    if (reference) {
        if (filename || qdict_size(opts)) {
            error_setg(errp, "Cannot reference an existing block device "
                       "with additional options or a new filename");
            return NULL;
        }
        bs = bdrv_find_node(reference);
        if (!bs) {
            error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                       reference, reference);
            return NULL;
        }
        bdrv_ref(bs);
        return bs;
    }
    /* QMP callers pass nested dictionaries; work on dotted keys */
    qdict_flatten(opts);
    bs = bdrv_new();
    if (!bdrv_take_common_opts(bs, opts, &flags, errp)) {
        goto fail;
    }
    drv = bdrv_pick_driver(filename, opts, flags, &probed, errp);
    if (probed) {
        probe_file = bdrv_open_probed(filename, opts, flags, errp);
        if (!probe_file) {
            goto fail;
        }
        drv = bdrv_find_format(qdict_get_str(opts, "driver"));
        qdict_del(opts, "driver");
    }
    if (!drv) {
        goto fail;
    }
    if (filename && !probed) {
        const char *key = drv->protocol_name ? "filename" : "file.filename";
        if (!qdict_haskey(opts, key) && !qdict_haskey(opts, "file")) {
            qdict_put_str(opts, key, filename);
        }
    }
    bs->options = qdict_clone_shallow(opts);
    node_name = bdrv_opt_take_str(opts, "node-name");
    if (!bdrv_assign_node_name(bs, node_name, errp)) {
        goto fail;
    }
    QTAILQ_INSERT_TAIL(&all_bdrv_states, bs, node_list);
    pstrcpy(bs->filename, sizeof(bs->filename),
            filename ? filename : qdict_get_try_str(opts, "filename") ?: "");
    bs->probed = probed;
    if (!bdrv_open_driver(bs, drv, opts, flags, errp)) {
        goto fail;
    }
    if (!bs->filename[0] && bs->file) {
        /* A format over a file is known by the file's name */
        pstrcpy(bs->filename, sizeof(bs->filename), bs->file->bs->filename);
    }
    if (probe_file) {
        bdrv_unref(probe_file);
    }
    return bs;

fail:
    if (probe_file) {
        bdrv_unref(probe_file);
    }
    bdrv_free(bs);
    return NULL;
}

char *bdrv_probe_warning(BlockDriverState *bs)
{
    if (!bs->probed || strcmp(bs->drv->format_name, "raw")) {
        return NULL;
    }
    return g_strdup_printf("WARNING: Image format was not specified for "
                           "'%s' and probing guessed raw.\n"
                           "         Automatically detecting the format is "
                           "dangerous for raw images, write operations on "
                           "block 0 will be restricted.\n"
                           "         Specify the 'raw' format explicitly to "
                           "remove the restrictions.", bs->filename);
}

void bdrv_debug_event(BlockDriverState *bs, BlkdebugEvent event)
{
    if (bs && bs->drv && bs->drv->bdrv_debug_event) {
        bs->drv->bdrv_debug_event(bs, event);
    }
}

void bdrv_ref(BlockDriverState *bs)
{
    bs->refcnt++;
}

static void bdrv_close(BlockDriverState *bs)
{
    assert(QLIST_EMPTY(&bs->parents));
    bdrv_drained_begin(bs);
    if (bs->drv) {
        bdrv_flush(bs);
        if (bs->drv->bdrv_close) {
            bs->drv->bdrv_close(bs);
        }
    }
    bdrv_close_children(bs);
    bdrv_drained_end(bs);
}

void bdrv_unref(BlockDriverState *bs)
{
    if (!bs) {
        return;
    }
    assert(bs->refcnt > 0);
    if (--bs->refcnt == 0) {
        bdrv_close(bs);
        bdrv_free(bs);
    }
}

/* Image creation */

typedef struct BdrvCreateCo {
    BlockDriver *drv;
    const char *filename;
    QDict *opts;
    Error **errp;
} BdrvCreateCo;

static int coroutine_fn bdrv_create_co(void *opaque)
{
    BdrvCreateCo *c = opaque;

    return c->drv->bdrv_co_create_opts(c->drv, c->filename, c->opts,
                                       c->errp);
}

int bdrv_create(BlockDriver *drv, const char *filename, QDict *opts,
                Error **errp)
{
    g_autoptr(QDict) copy = opts ? qdict_clone_shallow(opts) : qdict_new();
    BdrvCreateCo c = { .drv = drv, .filename = filename, .opts = copy,
                       .errp = errp };

    if (!drv->bdrv_co_create_opts) {
        error_setg(errp, "Driver '%s' does not support image creation",
                   drv->format_name);
        return -ENOTSUP;
    }
    return co_run_sync(NULL, bdrv_create_co, &c);
}

int bdrv_change_backing_file(BlockDriverState *bs, const char *backing_file,
                             const char *backing_fmt, Error **errp)
{
    int ret;

    if (!bs->drv) {
        error_setg(errp, "No medium");
        return -ENOMEDIUM;
    }
    if (backing_fmt && !(backing_file && *backing_file)) {
        error_setg(errp, "A backing format needs a backing file");
        return -EINVAL;
    }
    if (!bs->drv->bdrv_change_backing_file) {
        error_setg(errp, "Driver '%s' does not support backing files",
                   bs->drv->format_name);
        return -ENOTSUP;
    }
    if (bs->read_only) {
        error_setg(errp, "Node '%s' is read only", bdrv_get_node_name(bs));
        return -EACCES;
    }
    ret = bs->drv->bdrv_change_backing_file(bs, backing_file, backing_fmt);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not change the backing file to "
                         "'%s'", backing_file ? backing_file : "");
    }
    return ret;
}

/* Format information and checks */

int bdrv_get_info(BlockDriverState *bs, BlockDriverInfo *bdi)
{
    memset(bdi, 0, sizeof(*bdi));
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (!bs->drv->bdrv_get_info) {
        return -ENOTSUP;
    }
    return bs->drv->bdrv_get_info(bs, bdi);
}

typedef struct BdrvCheckCo {
    BlockDriverState *bs;
    BdrvCheckResult *res;
    BdrvCheckMode fix;
} BdrvCheckCo;

static int coroutine_fn bdrv_check_co(void *opaque)
{
    BdrvCheckCo *c = opaque;

    return c->bs->drv->bdrv_co_check(c->bs, c->res, c->fix);
}

int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res, BdrvCheckMode fix)
{
    BdrvCheckCo c = { .bs = bs, .res = res, .fix = fix };

    memset(res, 0, sizeof(*res));
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (!bs->drv->bdrv_co_check) {
        return -ENOTSUP;
    }
    return co_run_sync(NULL, bdrv_check_co, &c);
}
