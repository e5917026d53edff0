/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 snapshot table: a run of variable-length entries, each 8-byte
 * aligned, holding an L1 table pointer, dates, VM state size, optional
 * extra data (kept whole so unknown fields survive) and id/name strings.
 */
#include "qemu/osdep.h"
#include "block/qcow2-format.h"
#include "qcow2-format-int.h"

#define SN_HDR_LEN sizeof(struct qcow2_snapshot_header_disk)

QEMU_BUILD_BUG_ON(sizeof(struct qcow2_snapshot_header_disk) != 40);
QEMU_BUILD_BUG_ON(sizeof(struct qcow2_snapshot_extra_disk) != 24);

bool qcow2_snapshot_validate(const Qcow2Geometry *g, const QCowSnapshot *sn,
                             Error **errp)
{
    if (sn->l1_size > QCOW2_MAX_L1_SIZE / 8) {
        error_setg(errp, "Snapshot L1 table too large");
        return false;
    }
    if (sn->l1_table_offset & (g->cluster_size - 1) ||
        INT64_MAX - (uint64_t)sn->l1_size * 8 < sn->l1_table_offset) {
        error_setg(errp, "Snapshot L1 table offset invalid");
        return false;
    }
    if (sn->extra_data_size > QCOW2_MAX_SNAPSHOT_EXTRA_DATA) {
        error_setg(errp, "Too much extra metadata in snapshot table entry");
        return false;
    }
    return true;
}

/* Decode the known fields of the extra data; absent ones get defaults. */
static void qcow2_snapshot_parse_extra(QCowSnapshot *sn)
{
    const uint8_t *x = sn->extra_data;

    if (sn->extra_data_size >= 8) {
        sn->vm_state_size = qcow2_ld64(x);
    }
    if (sn->extra_data_size >= 16) {
        sn->disk_size = qcow2_ld64(x + 8);
    }
    sn->icount = sn->extra_data_size >= 24 ? qcow2_ld64(x + 16) : -1ULL;
}

/* Parse the entry at @buf (@avail bytes); returns its length or 0. */
static size_t qcow2_snapshot_unpack_one(const uint8_t *buf, size_t avail,
                                        unsigned idx, QCowSnapshot *sn,
                                        Error **errp)
{
    uint16_t id_len, name_len;
    size_t need;

    if (avail < SN_HDR_LEN) {
        error_setg(errp, "Snapshot table entry %u is truncated", idx);
        return 0;
    }
    sn->l1_table_offset = qcow2_ld64(buf);
    sn->l1_size = qcow2_ld32(buf + 8);
    id_len = qcow2_ld16(buf + 12);
    name_len = qcow2_ld16(buf + 14);
    sn->date_sec = qcow2_ld32(buf + 16);
    sn->date_nsec = qcow2_ld32(buf + 20);
    sn->vm_clock_nsec = qcow2_ld64(buf + 24);
    sn->vm_state_size = qcow2_ld32(buf + 32);
    sn->extra_data_size = qcow2_ld32(buf + 36);
    if (sn->extra_data_size > QCOW2_MAX_SNAPSHOT_EXTRA_DATA) {
        error_setg(errp, "Too much extra metadata in snapshot table entry "
                   "%u", idx);
        return 0;
    }
    need = SN_HDR_LEN + sn->extra_data_size + id_len + name_len;
    if (avail < need) {
        error_setg(errp, "Snapshot table entry %u is truncated", idx);
        return 0;
    }
    buf += SN_HDR_LEN;
    sn->extra_data = g_malloc0(sn->extra_data_size + 1);
    memcpy(sn->extra_data, buf, sn->extra_data_size);
    qcow2_snapshot_parse_extra(sn);
    buf += sn->extra_data_size;
    sn->id_str = g_strndup((const char *)buf, id_len);
    sn->name = g_strndup((const char *)buf + id_len, name_len);
    return need;
}

QCowSnapshot *qcow2_snapshot_table_unpack(const Qcow2Geometry *g,
                                          const uint8_t *buf, size_t len,
                                          uint32_t nb_snapshots,
                                          Error **errp)
{
    QCowSnapshot *sn = qcow2_snapshot_table_parse(buf, len, nb_snapshots,
                                                  NULL, errp);
    uint32_t i;

    if (!sn) {
        return NULL;
    }
    for (i = 0; i < nb_snapshots; i++) {
        if (!qcow2_snapshot_validate(g, &sn[i], errp)) {
            qcow2_snapshots_free(sn, nb_snapshots);
            return NULL;
        }
    }
    return sn;
}

QCowSnapshot *qcow2_snapshot_table_parse(const uint8_t *buf, size_t len,
                                         uint32_t nb_snapshots,
                                         size_t *table_len, Error **errp)
{
    QCowSnapshot *sn;
    size_t offset = 0;
    uint32_t i;

    if (nb_snapshots > QCOW2_MAX_SNAPSHOTS) {
        error_setg(errp, "Snapshot table too large");
        return NULL;
    }
    /* Each entry takes at least 40 bytes: no huge array for a tiny table. */
    if (nb_snapshots > len / SN_HDR_LEN) {
        error_setg(errp, "Snapshot table entry %u is truncated",
                   (unsigned)(len / SN_HDR_LEN));
        return NULL;
    }
    sn = g_new0(QCowSnapshot, nb_snapshots);
    for (i = 0; i < nb_snapshots; i++) {
        size_t n;

        offset = ROUND_UP(offset, 8);
        n = offset <= len ? qcow2_snapshot_unpack_one(buf + offset,
                                                      len - offset, i,
                                                      &sn[i], errp)
                          : qcow2_snapshot_unpack_one(NULL, 0, i, &sn[i],
                                                      errp);
        if (!n) {
            qcow2_snapshots_free(sn, nb_snapshots);
            return NULL;
        }
        offset += n;
        if (offset > QCOW2_MAX_SNAPSHOTS_SIZE) {
            error_setg(errp, "Snapshot table too large");
            qcow2_snapshots_free(sn, nb_snapshots);
            return NULL;
        }
    }
    if (table_len) {
        *table_len = ROUND_UP(offset, 8);
    }
    if (table_len) {
        *table_len = ROUND_UP(offset, 8);
    }
    return sn;
}

static size_t qcow2_snapshot_entry_size(const QCowSnapshot *sn)
{
    return ROUND_UP(SN_HDR_LEN + sn->extra_data_size + strlen(sn->id_str) +
                    strlen(sn->name), 8);
}

size_t qcow2_snapshot_table_size(const QCowSnapshot *sn, uint32_t nb)
{
    size_t total = 0;
    uint32_t i;

    for (i = 0; i < nb; i++) {
        total += qcow2_snapshot_entry_size(&sn[i]);
    }
    return total;
}

static void qcow2_snapshot_pack_one(const QCowSnapshot *sn, uint8_t *p)
{
    size_t id_len = strlen(sn->id_str), name_len = strlen(sn->name);
    uint8_t *x = p + SN_HDR_LEN;

    qcow2_st64(p, sn->l1_table_offset);
    qcow2_st32(p + 8, sn->l1_size);
    qcow2_st16(p + 12, id_len);
    qcow2_st16(p + 14, name_len);
    qcow2_st32(p + 16, sn->date_sec);
    qcow2_st32(p + 20, sn->date_nsec);
    qcow2_st64(p + 24, sn->vm_clock_nsec);
    /* The 32-bit field keeps the low half; the extra field the whole. */
    qcow2_st32(p + 32, (uint32_t)sn->vm_state_size);
    qcow2_st32(p + 36, sn->extra_data_size);
    if (sn->extra_data_size) {
        memcpy(x, sn->extra_data, sn->extra_data_size);
    }
    if (sn->extra_data_size >= 8) {
        qcow2_st64(x, sn->vm_state_size);
    }
    if (sn->extra_data_size >= 16) {
        qcow2_st64(x + 8, sn->disk_size);
    }
    if (sn->extra_data_size >= 24) {
        qcow2_st64(x + 16, sn->icount);
    }
    x += sn->extra_data_size;
    memcpy(x, sn->id_str, id_len);
    memcpy(x + id_len, sn->name, name_len);
}

uint8_t *qcow2_snapshot_table_pack(const QCowSnapshot *sn, uint32_t nb,
                                   size_t *len)
{
    uint8_t *buf;
    size_t offset = 0;
    uint32_t i;

    *len = qcow2_snapshot_table_size(sn, nb);
    buf = g_malloc0(*len ? *len : 1);
    for (i = 0; i < nb; i++) {
        qcow2_snapshot_pack_one(&sn[i], buf + offset);
        offset += qcow2_snapshot_entry_size(&sn[i]);
    }
    return buf;
}

void qcow2_snapshots_free(QCowSnapshot *sn, uint32_t nb)
{
    uint32_t i;

    if (!sn) {
        return;
    }
    for (i = 0; i < nb; i++) {
        g_free(sn[i].id_str);
        g_free(sn[i].name);
        g_free(sn[i].extra_data);
    }
    g_free(sn);
}
