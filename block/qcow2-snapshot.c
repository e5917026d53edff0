/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 internal snapshots, driver side: the snapshot table is read at
 * open, entry by entry (each is variable length), so an image whose
 * table is damaged is refused in QEMU's words, and the snapshots are at
 * hand for listing.  The table itself is never rewritten here.
 */
#include "qemu/osdep.h"
#include "qcow2.h"
#include "qcow2-format-int.h"

#define QCOW2_SN_HDR_LEN sizeof(struct qcow2_snapshot_header_disk)

/* Read @len bytes at @pos of the table into @buf, growing it. */
static int qcow2_snapshot_read(BlockDriverState *bs, GByteArray *buf,
                               uint64_t pos, uint64_t len, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    g_byte_array_set_size(buf, pos + len);
    ret = bdrv_pread(bs->file, s->header.snapshots_offset + pos, len,
                     buf->data + pos, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Failed to read snapshot table");
    }
    return ret;
}

int qcow2_read_snapshots(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    g_autoptr(GByteArray) buf = g_byte_array_new();
    uint32_t i, nb = s->header.nb_snapshots;
    uint64_t pos = 0;
    int ret;

    for (i = 0; i < nb; i++) {
        const uint8_t *p;
        uint64_t rest;

        pos = ROUND_UP(pos, 8);
        if (pos + QCOW2_SN_HDR_LEN > s->file_size - s->header.snapshots_offset
            || s->header.snapshots_offset > s->file_size) {
            error_setg(errp, "Snapshot table entry %u is truncated", i);
            return -EINVAL;
        }
        ret = qcow2_snapshot_read(bs, buf, pos, QCOW2_SN_HDR_LEN, errp);
        if (ret < 0) {
            return ret;
        }
        p = buf->data + pos;
        /* Extra data, then the id and name strings. */
        rest = (uint64_t)qcow2_ld32(p + 36) + qcow2_ld16(p + 12) +
               qcow2_ld16(p + 14);
        if (qcow2_ld32(p + 36) > QCOW2_MAX_SNAPSHOT_EXTRA_DATA) {
            error_setg(errp, "Too much extra metadata in snapshot table "
                       "entry %u", i);
            error_append_hint(errp, "You can force-remove this extra "
                              "metadata with qemu-img check -r all\n");
            return -EFBIG;
        }
        pos += QCOW2_SN_HDR_LEN;
        if (pos + rest > QCOW2_MAX_SNAPSHOTS_SIZE) {
            error_setg(errp, "Snapshot table too large");
            return -EFBIG;
        }
        ret = qcow2_snapshot_read(bs, buf, pos, rest, errp);
        if (ret < 0) {
            return ret;
        }
        pos += rest;
    }
    if (!nb) {
        return 0;
    }
    s->snapshots = qcow2_snapshot_table_parse(buf->data, buf->len, nb, NULL,
                                              errp);
    return s->snapshots ? 0 : -EINVAL;
}

void qcow2_free_snapshots(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    qcow2_snapshots_free(s->snapshots, s->header.nb_snapshots);
    s->snapshots = NULL;
}

int qcow2_snapshot_list(BlockDriverState *bs, QEMUSnapshotInfo **psn_info)
{
    BDRVQcow2State *s = bs->opaque;
    uint32_t i, nb = s->header.nb_snapshots;
    QEMUSnapshotInfo *info = g_new0(QEMUSnapshotInfo, MAX(nb, 1));

    for (i = 0; i < nb; i++) {
        const QCowSnapshot *sn = &s->snapshots[i];

        g_strlcpy(info[i].id_str, sn->id_str, sizeof(info[i].id_str));
        g_strlcpy(info[i].name, sn->name, sizeof(info[i].name));
        info[i].vm_state_size = sn->vm_state_size;
        info[i].date_sec = sn->date_sec;
        info[i].date_nsec = sn->date_nsec;
        info[i].vm_clock_nsec = sn->vm_clock_nsec;
        info[i].icount = sn->icount;
    }
    *psn_info = info;
    return nb;
}

/* The index of the snapshot matching @id and/or @name, or -1. */
static int qcow2_find_snapshot(BDRVQcow2State *s, const char *id,
                               const char *name)
{
    uint32_t i;

    for (i = 0; i < s->header.nb_snapshots; i++) {
        const QCowSnapshot *sn = &s->snapshots[i];

        if ((!id || !strcmp(sn->id_str, id)) &&
            (!name || !strcmp(sn->name, name))) {
            return i;
        }
    }
    return -1;
}

int qcow2_snapshot_load_tmp(BlockDriverState *bs, const char *snapshot_id,
                            const char *name, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    const QCowSnapshot *sn;
    g_autofree uint64_t *l1 = NULL;
    uint32_t i;
    int idx, ret;

    if (!bdrv_is_read_only(bs)) {
        error_setg(errp, "Device is not readonly");
        return -EINVAL;
    }
    idx = qcow2_find_snapshot(s, snapshot_id, name);
    if (idx < 0) {
        error_setg(errp, "Can't find snapshot");
        return -ENOENT;
    }
    sn = &s->snapshots[idx];
    if (!qcow2_snapshot_validate(&s->g, sn, errp)) {
        return -EFBIG;
    }
    l1 = g_new0(uint64_t, MAX(sn->l1_size, 1));
    ret = bdrv_pread(bs->file, sn->l1_table_offset,
                     (int64_t)sn->l1_size * sizeof(uint64_t), l1, 0);
    if (ret < 0) {
        error_setg(errp, "Failed to read l1 table for snapshot");
        return ret;
    }
    for (i = 0; i < sn->l1_size; i++) {
        l1[i] = GUINT64_FROM_BE(l1[i]);
    }
    /* The node is read-only: the header in memory is never written back. */
    g_free(s->l1_table);
    s->l1_table = g_steal_pointer(&l1);
    s->header.l1_size = sn->l1_size;
    s->header.l1_table_offset = sn->l1_table_offset;
    return 0;
}
