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
