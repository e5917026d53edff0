/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -blockdev, -drive and -device for the system binary.  -blockdev goes
 * through the QAPI visitor into blockdev-add, so both check options the
 * same way; -drive opens an image behind a named BlockBackend; -device
 * attaches a guest device stub (a disk with no guest) to a backend, which
 * query-block then reports under the device's qdev path or id.
 */
#include "qemu/osdep.h"
#include "qapi/qapi-commands-block-core.h"
#include "qapi/qapi-visit-block-core.h"
#include "qapi/qobject-input-visitor.h"
#include "system/vl-block.h"
#include "sysemu/blockdev.h"
#include "block/block_int.h"
#include "qemu/keyval.h"
#include "qobject/qjson.h"

/* A guest device stub: its backend and the name query-block shows */
typedef struct VlDevice {
    char *id;                   /* NULL for an anonymous device */
    char *qdev;                 /* the qdev path query-block reports */
    BlockBackend *blk;
    bool anon_blk;              /* drive= named a node: our own backend */
} VlDevice;

static GPtrArray *vl_drives;    /* BlockBackend * from -drive */
static GPtrArray *vl_devices;   /* VlDevice * from -device, if=virtio */
static unsigned vl_anon_devices;
static unsigned vl_virtio_drives;

static QDict *vl_block_parse(const char *arg, const char *implied,
                             Error **errp)
{
    QObject *obj;
    QDict *dict;

    if (arg[0] != '{') {
        return keyval_parse(arg, implied, NULL, errp);
    }
    obj = qobject_from_json(arg, errp);
    if (!obj) {
        return NULL;
    }
    dict = qobject_to(QDict, obj);
    if (!dict) {
        error_setg(errp, "Invalid JSON object given");
        qobject_unref(obj);
    }
    return dict;
}

bool vl_blockdev_add(const char *arg, Error **errp)
{
    g_autoptr(QDict) args = vl_block_parse(arg, NULL, errp);
    BlockdevOptions *options = NULL;
    Error *local_err = NULL;
    Visitor *v;

    if (!args) {
        return false;
    }
    /* keyval values are strings; JSON ones are typed */
    v = arg[0] == '{' ? qobject_input_visitor_new(QOBJECT(args)) :
                        qobject_input_visitor_new_keyval(QOBJECT(args));
    visit_type_BlockdevOptions(v, NULL, &options, errp);
    visit_free(v);
    if (!options) {
        return false;
    }
    qmp_blockdev_add(options, &local_err);
    qapi_free_BlockdevOptions(options);
    if (local_err) {
        error_propagate(errp, local_err);
        return false;
    }
    return true;
}

/* -drive cache=MODE: the node's cache options and the write cache. */
static bool vl_drive_cache(QDict *opts, bool *wce, Error **errp)
{
    g_autofree char *mode = bdrv_opt_take_str(opts, "cache");
    bool direct = false, no_flush = false;

    *wce = true;
    if (!mode) {
        return true;
    }
    if (!strcmp(mode, "none")) {
        direct = true;
    } else if (!strcmp(mode, "writethrough")) {
        *wce = false;
    } else if (!strcmp(mode, "directsync")) {
        direct = true;
        *wce = false;
    } else if (!strcmp(mode, "unsafe")) {
        no_flush = true;
    } else if (strcmp(mode, "writeback")) {
        error_setg(errp, "invalid cache option");
        return false;
    }
    qdict_put_str(opts, "cache.direct", direct ? "on" : "off");
    qdict_put_str(opts, "cache.no-flush", no_flush ? "on" : "off");
    return true;
}

/* -drive aio=MODE; native needs O_DIRECT as in QEMU. */
static bool vl_drive_aio(QDict *opts, Error **errp)
{
    g_autofree char *aio = bdrv_opt_take_str(opts, "aio");
    const char *direct = qdict_get_try_str(opts, "cache.direct");

    if (!aio || !strcmp(aio, "threads")) {
        return true;
    }
    if (strcmp(aio, "native") && strcmp(aio, "io_uring")) {
        error_setg(errp, "invalid aio option");
        return false;
    }
    if (!strcmp(aio, "native") && (!direct || strcmp(direct, "on"))) {
        error_setg(errp, "aio=native was specified, but it requires "
                   "cache.direct=on, which was not specified.");
        return false;
    }
    if (!strcmp(aio, "io_uring")) {
        error_setg(errp, "aio=io_uring is not supported by this build");
        return false;
    }
    /* Linux AIO is not built: its requests go to the thread pool */
    return true;
}

typedef struct VlDriveKeys {
    char *iface;
    char *id;
    char *file;
    bool wce;
} VlDriveKeys;

/* Move the -drive keys that are not block options out of @opts. */
static bool vl_drive_take_keys(QDict *opts, VlDriveKeys *k, Error **errp)
{
    g_autofree char *format = bdrv_opt_take_str(opts, "format");
    g_autofree char *readonly = bdrv_opt_take_str(opts, "readonly");
    g_autofree char *snapshot = bdrv_opt_take_str(opts, "snapshot");

    k->iface = bdrv_opt_take_str(opts, "if");
    k->id = bdrv_opt_take_str(opts, "id");
    k->file = bdrv_opt_take_str(opts, "file");
    if (k->iface && strcmp(k->iface, "none") && strcmp(k->iface, "virtio")) {
        if (!strcmp(k->iface, "ide") || !strcmp(k->iface, "scsi") ||
            !strcmp(k->iface, "floppy") || !strcmp(k->iface, "pflash") ||
            !strcmp(k->iface, "mtd") || !strcmp(k->iface, "sd") ||
            !strcmp(k->iface, "xen")) {
            error_setg(errp, "machine type does not support if=%s,bus=0,"
                       "unit=0", k->iface);
        } else {
            error_setg(errp, "unsupported bus type '%s'", k->iface);
        }
        return false;
    }
    if (!k->iface) {
        /* QEMU's default is an IDE disk, which there is no bus for */
        error_setg(errp, "machine type does not support if=ide,bus=0,"
                   "unit=0");
        return false;
    }
    if (snapshot && strcmp(snapshot, "off")) {
        error_setg(errp, "snapshot=%s is not supported by this build",
                   snapshot);
        return false;
    }
    if (format) {
        qdict_put_str(opts, "driver", format);
    }
    if (readonly) {
        qdict_put_str(opts, "read-only", readonly);
    }
    return vl_drive_cache(opts, &k->wce, errp) && vl_drive_aio(opts, errp);
}

static void vl_device_free(VlDevice *dev)
{
    if (dev->anon_blk) {
        blk_unref(dev->blk);
    } else {
        blk_set_attached_dev_id(dev->blk, NULL);
    }
    g_free(dev->id);
    g_free(dev->qdev);
    g_free(dev);
}

/* Register a stub named @qdev on @blk. */
static void vl_device_add(const char *id, const char *qdev, BlockBackend *blk,
                          bool anon_blk)
{
    VlDevice *dev = g_new0(VlDevice, 1);

    dev->id = g_strdup(id);
    dev->qdev = g_strdup(qdev);
    dev->blk = blk;
    dev->anon_blk = anon_blk;
    blk_set_attached_dev_id(blk, qdev);
    if (!vl_devices) {
        vl_devices = g_ptr_array_new();
    }
    g_ptr_array_add(vl_devices, dev);
}

/* The qdev path of a new device: QEMU's peripheral containers. */
static char *vl_device_qdev(const char *id, bool virtio)
{
    g_autofree char *base = NULL;

    if (id) {
        base = virtio ? g_strdup_printf("/machine/peripheral/%s", id)
                      : g_strdup(id);
    } else {
        base = g_strdup_printf("/machine/peripheral-anon/device[%u]",
                               vl_anon_devices++);
    }
    return virtio ? g_strdup_printf("%s/virtio-backend", base)
                  : g_steal_pointer(&base);
}

static BlockBackend *vl_device_blk(const char *type, const char *drive,
                                   bool share_rw, bool *anon, Error **errp);

bool vl_drive_add(const char *arg, Error **errp)
{
    g_autoptr(QDict) opts = vl_block_parse(arg, NULL, errp);
    VlDriveKeys k = { 0 };
    BlockBackend *blk = NULL;
    g_autofree char *qdev = NULL;
    const char *ro;
    bool virtio;

    if (!opts || !vl_drive_take_keys(opts, &k, errp)) {
        goto out;
    }
    virtio = !strcmp(k.iface, "virtio");
    if (!vl_drives) {
        vl_drives = g_ptr_array_new();
    }
    if (!k.id) {
        k.id = virtio ? g_strdup_printf("virtio%u", vl_virtio_drives)
                      : g_strdup_printf("none%u", vl_drives->len);
    }
    if (blk_by_name(k.id)) {
        error_setg(errp, "drive with bus=0, unit=0 (index=0) exists");
        goto out;
    }
    bdrv_init();
    ro = qdict_get_try_str(opts, "read-only");
    blk = blk_new_open(k.file, NULL, qobject_ref(opts),
                       ro && !strcmp(ro, "on") ? 0 : BDRV_O_RDWR, errp);
    if (!blk) {
        goto out;
    }
    if (!blk_set_name(blk, k.id, errp)) {
        blk_unref(blk);
        blk = NULL;
        goto out;
    }
    /*
     * As in QEMU, a drive only reads until a user needs more: a device
     * stub, or qemu-io taking write permission for its command
     */
    if (blk_set_perm(blk, BLK_PERM_CONSISTENT_READ, BLK_PERM_ALL,
                     errp) < 0) {
        blk_unref(blk);
        blk = NULL;
        goto out;
    }
    blk_set_enable_write_cache(blk, k.wce);
    g_ptr_array_add(vl_drives, blk);
    if (virtio) {
        bool anon;

        if (!vl_device_blk("virtio-blk-device", k.id, false, &anon, errp)) {
            g_ptr_array_remove(vl_drives, blk);
            blk_unref(blk);
            blk = NULL;
            goto out;
        }
        vl_virtio_drives++;
        qdev = vl_device_qdev(NULL, true);
        vl_device_add(NULL, qdev, blk, false);
    }
out:
    g_free(k.iface);
    g_free(k.id);
    g_free(k.file);
    return blk != NULL;
}

static bool vl_device_id_taken(const char *id)
{
    guint i;

    for (i = 0; vl_devices && i < vl_devices->len; i++) {
        VlDevice *dev = g_ptr_array_index(vl_devices, i);

        if (dev->id && !strcmp(dev->id, id)) {
            return true;
        }
    }
    return false;
}

/*
 * The backend @drive names (a -drive, or a new one on a node) with the
 * permissions of a guest disk: it writes unless read-only, and lets
 * others only read and resize (also write with share-rw=on).
 */
static BlockBackend *vl_device_blk(const char *type, const char *drive,
                                   bool share_rw, bool *anon, Error **errp)
{
    BlockBackend *blk = blk_by_name(drive);
    BlockDriverState *bs = blk ? blk_bs(blk) : bdrv_find_node(drive);
    uint64_t perm = BLK_PERM_CONSISTENT_READ;
    uint64_t shared = BLK_PERM_CONSISTENT_READ | BLK_PERM_WRITE_UNCHANGED |
                      BLK_PERM_RESIZE | (share_rw ? BLK_PERM_WRITE : 0);

    *anon = !blk;
    if (blk && blk_get_attached_dev_id(blk)[0]) {
        error_setg(errp, "Drive '%s' is already in use by another device",
                   drive);
        return NULL;
    }
    if (!blk && !bs) {
        error_setg(errp, "Property '%s.drive' can't find value '%s'",
                   type, drive);
        return NULL;
    }
    if (bs && !bdrv_is_read_only(bs)) {
        perm |= BLK_PERM_WRITE;
    }
    if (blk) {
        if (blk_set_perm(blk, perm, shared, errp) < 0) {
            return NULL;
        }
        return blk;
    }
    blk = blk_new(qemu_get_aio_context(), perm, shared);
    if (blk_insert_bs(blk, bs, errp) < 0) {
        blk_unref(blk);
        return NULL;
    }
    return blk;
}

bool vl_device_add_opts(const char *arg, Error **errp)
{
    static const char *const known[] = {
        "driver", "id", "drive", "bus", "unit", "serial", "bootindex",
        "share-rw", "logical_block_size", "physical_block_size", NULL,
    };
    g_autoptr(QDict) opts = vl_block_parse(arg, "driver", errp);
    const char *driver, *id, *drive, *share_rw;
    const char *type;
    g_autofree char *qdev = NULL;
    const QDictEntry *e;
    BlockBackend *blk;
    bool virtio, anon;

    if (!opts) {
        return false;
    }
    driver = qdict_get_try_str(opts, "driver");
    id = qdict_get_try_str(opts, "id");
    drive = qdict_get_try_str(opts, "drive");
    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return false;
    }
    virtio = !strcmp(driver, "virtio-blk") ||
             !strcmp(driver, "virtio-blk-pci");
    if (!virtio && strcmp(driver, "scsi-hd") && strcmp(driver, "ide-hd")) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return false;
    }
    type = virtio ? "virtio-blk-device" : driver;
    for (e = qdict_first(opts); e; e = qdict_next(opts, e)) {
        if (!g_strv_contains(known, qdict_entry_key(e))) {
            error_setg(errp, "Property '%s.%s' not found", type,
                       qdict_entry_key(e));
            return false;
        }
    }
    if (id && vl_device_id_taken(id)) {
        error_setg(errp, "Duplicate ID '%s' for device", id);
        return false;
    }
    if (!drive) {
        error_setg(errp, "drive property not set");
        return false;
    }
    share_rw = qdict_get_try_str(opts, "share-rw");
    if (share_rw && strcmp(share_rw, "on") && strcmp(share_rw, "off")) {
        error_setg(errp, "Parameter 'share-rw' expects 'on' or 'off'");
        return false;
    }
    blk = vl_device_blk(type, drive, share_rw && !strcmp(share_rw, "on"),
                        &anon, errp);
    if (!blk) {
        return false;
    }
    qdev = vl_device_qdev(id, virtio);
    vl_device_add(id, qdev, blk, anon);
    return true;
}

BlockBackend *blockdev_next_device_blk(BlockBackend *blk)
{
    guint i;
    bool found = !blk;

    for (i = 0; vl_devices && i < vl_devices->len; i++) {
        VlDevice *dev = g_ptr_array_index(vl_devices, i);

        if (!dev->anon_blk) {
            continue;
        }
        if (found) {
            return dev->blk;
        }
        found = dev->blk == blk;
    }
    return NULL;
}

BlockBackend *blk_by_qdev_id(const char *id, Error **errp)
{
    guint i;

    for (i = 0; vl_devices && i < vl_devices->len; i++) {
        VlDevice *dev = g_ptr_array_index(vl_devices, i);

        if (!dev->id || strcmp(dev->id, id)) {
            continue;
        }
        if (g_str_has_suffix(dev->qdev, "/virtio-backend")) {
            /* The id names the PCI proxy, whose child has the drive */
            error_setg(errp, "Device does not have a block device backend");
            return NULL;
        }
        return dev->blk;
    }
    error_setg(errp, "Device '%s' not found", id);
    return NULL;
}

void vl_block_cleanup(void)
{
    guint i;

    /*
     * Let requests in flight finish, then close users before the nodes
     * they use; closing a node flushes it and releases its locks.
     */
    bdrv_drain_all_begin();
    bdrv_drain_all_end();
    for (i = 0; vl_devices && i < vl_devices->len; i++) {
        vl_device_free(g_ptr_array_index(vl_devices, i));
    }
    for (i = 0; vl_drives && i < vl_drives->len; i++) {
        blk_unref(g_ptr_array_index(vl_drives, i));
    }
    g_clear_pointer(&vl_devices, g_ptr_array_unref);
    g_clear_pointer(&vl_drives, g_ptr_array_unref);
    blockdev_close_all();
}
