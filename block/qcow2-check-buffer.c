/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Consistency check of a qcow2 image held in memory, in the manner of
 * qemu-img check: count the references every metadata structure makes
 * to each host cluster and compare them with the stored refcounts.
 *
 * Costs: linear in the buffer, however hostile the image.  References
 * to a run of clusters and L1 tables covering a run of 8-byte slots are
 * recorded as +n/-n at the run's ends (difference arrays, one uint64_t
 * per cluster and one per slot) and summed once; every L1 slot and every
 * distinct L2 table is then decoded once, with a multiplicity, so 65536
 * snapshots sharing tables cost no more than one.  Table entries pointing
 * past the buffer are counted as corruptions, never followed.
 */
#include "qemu/osdep.h"
#include "block/qcow2-format.h"
#include "qcow2-format-int.h"

typedef struct Qcow2Checker {
    const uint8_t *img;
    uint64_t len;
    QCowHeader h;
    Qcow2Geometry g;
    uint64_t nb_clusters;       /* host clusters in the buffer */
    uint64_t *expected;         /* per cluster: deltas, then sums */
    uint64_t *l1_cover;         /* per 8-byte slot: deltas of L1 tables */
    uint64_t *bt_cover;         /* the same for bitmap tables */
    Qcow2Extensions *ext;
    GHashTable *l2_refs;        /* L2 offset -> number of references */
    Qcow2CheckResult *res;
} Qcow2Checker;

/* Count @mult references to each cluster of [offset, offset + size). */
static void qcow2_check_ref(Qcow2Checker *c, uint64_t offset, uint64_t size,
                            uint64_t mult)
{
    uint64_t first, last;

    if (!size) {
        return;
    }
    if (offset > UINT64_MAX - size ||
        offset + size >= c->len + c->g.cluster_size) {
        /*
         * Like qemu-img check, a region that ends a cluster or more past
         * the end of the file is an error in itself; one that ends less
         * than a cluster past it counts, and may reach the cluster just
         * after the file (the extra slot of c->expected).
         */
        c->res->corruptions++;
        return;
    }
    first = offset >> c->g.cluster_bits;
    last = (offset + size - 1) >> c->g.cluster_bits;
    /* Unsigned wrap-around makes the later prefix sums come out right. */
    c->expected[first] += mult;
    c->expected[last + 1] -= mult;
}

/* Turn the per-cluster deltas into reference counts. */
static void qcow2_check_sum_refs(Qcow2Checker *c)
{
    uint64_t i, sum = 0;

    for (i = 0; i <= c->nb_clusters; i++) {
        sum += c->expected[i];
        c->expected[i] = sum;
    }
}

/* Note a run of 8-byte table slots in @cover, clipped to the buffer. */
static void qcow2_check_cover(Qcow2Checker *c, uint64_t *cover,
                              uint64_t offset, uint64_t entries)
{
    if (!entries || offset >= c->len || offset % 8) {
        return;
    }
    cover[offset / 8]++;
    cover[MIN(offset + entries * 8, c->len) / 8]--;
}

/* The stored refcount of host cluster @idx (0 where none is stored). */
static uint64_t qcow2_check_stored(Qcow2Checker *c, uint64_t idx)
{
    uint64_t per_block = c->g.refcount_block_entries;
    uint64_t rt_idx = idx / per_block, entry, block;
    uint64_t rt_entries = (uint64_t)c->h.refcount_table_clusters <<
                          (c->g.cluster_bits - 3);

    if (rt_idx >= rt_entries ||
        c->h.refcount_table_offset + rt_idx * 8 + 8 > c->len) {
        return 0;
    }
    entry = qcow2_ld64(c->img + c->h.refcount_table_offset + rt_idx * 8);
    /* Like qemu-img check, read a block even if its entry is damaged. */
    block = entry & QCOW2_REFT_OFFSET_MASK;
    if (!block || block > c->len - c->g.cluster_size) {
        return 0;
    }
    return qcow2_refcount_get(c->img + block, idx % per_block,
                              c->g.refcount_order);
}

/* Note one L1 table: its clusters, and the slots to decode later. */
static void qcow2_check_l1(Qcow2Checker *c, uint64_t l1_offset,
                           uint32_t l1_size)
{
    qcow2_check_ref(c, l1_offset, (uint64_t)l1_size * 8, 1);
    qcow2_check_cover(c, c->l1_cover, l1_offset, l1_size);
}

/* Decode every slot some L1 table covers, once, into c->l2_refs. */
static void qcow2_check_l1_slots(Qcow2Checker *c)
{
    uint64_t i, mult = 0;

    for (i = 0; i < c->len / 8; i++) {
        uint64_t l2_offset;
        bool copied;

        mult += c->l1_cover[i];
        if (!mult) {
            continue;
        }
        if (!qcow2_l1_entry_decode(&c->g, qcow2_ld64(c->img + i * 8),
                                   &l2_offset, &copied, NULL)) {
            /* Counted, then followed anyway, as qemu-img check does. */
            c->res->corruptions += mult;
        }
        if (l2_offset) {
            gpointer key = GSIZE_TO_POINTER(l2_offset);
            gsize n = GPOINTER_TO_SIZE(g_hash_table_lookup(c->l2_refs, key));

            g_hash_table_insert(c->l2_refs, key,
                                GSIZE_TO_POINTER(n + mult));
        }
    }
}

/*
 * qemu-img check reads the zero flag of a version 2 image as it would in
 * version 3, without complaint (reads refuse it): decode @entry so.
 */
static bool qcow2_check_v2_zero(Qcow2Checker *c, uint64_t entry,
                                uint64_t bitmap, Qcow2L2Entry *e)
{
    Qcow2Geometry g3 = c->g;

    if (c->g.version >= 3 || !(entry & QCOW2_OFLAG_ZERO)) {
        return false;
    }
    g3.version = 3;
    return qcow2_l2_entry_decode(&g3, entry, bitmap, e, NULL);
}

/* Count the data references of one L2 table, @mult times. */
static void qcow2_check_l2(Qcow2Checker *c, uint64_t l2_offset,
                           uint64_t mult)
{
    const uint8_t *table = c->img + l2_offset;
    uint64_t i;

    qcow2_check_ref(c, l2_offset, c->g.cluster_size, mult);
    if (l2_offset > c->len - c->g.cluster_size) {
        return;
    }
    for (i = 0; i < c->g.l2_size; i++) {
        uint64_t entry, bitmap;
        Qcow2L2Entry e;

        qcow2_l2_entry_at(&c->g, table, i, &entry, &bitmap);
        if (!qcow2_l2_entry_decode(&c->g, entry, bitmap, &e, NULL) &&
            !qcow2_check_v2_zero(c, entry, bitmap, &e)) {
            /* As qemu-img check: count it, then use what the entry says. */
            c->res->corruptions += mult;
        }
        if (e.type == QCOW2_CLUSTER_COMPRESSED) {
            uint64_t start = e.host_offset & ~511ULL;
            uint64_t end = e.compressed_end;

            /*
             * The sector count is an upper bound: QEMU does not pad the
             * file after the last compressed cluster.
             */
            if (start < c->len) {
                end = MIN(end, c->len);
            }
            qcow2_check_ref(c, start, end - start, mult);
        } else if (e.type == QCOW2_CLUSTER_NORMAL ||
                   e.type == QCOW2_CLUSTER_ZERO_ALLOC) {
            qcow2_check_ref(c, e.host_offset, c->g.cluster_size, mult);
        }
    }
}

/* Statistics and COPIED flags of one active L2 table, as qemu-img check. */
static void qcow2_check_active_l2(Qcow2Checker *c, uint64_t l2_offset)
{
    /* Like qemu-img check, count jumps within one L2 table only. */
    uint64_t next_contiguous = 0, i;

    for (i = 0; i < c->g.l2_size; i++) {
        uint64_t entry, bitmap;
        Qcow2L2Entry e;

        qcow2_l2_entry_at(&c->g, c->img + l2_offset, i, &entry, &bitmap);
        /* Errors were counted by qcow2_check_l2(); use the entry anyway. */
        qcow2_l2_entry_decode(&c->g, entry, bitmap, &e, NULL);
        if (e.type == QCOW2_CLUSTER_COMPRESSED) {
            /* Compressed clusters count as fragmented, as QEMU has it. */
            c->res->allocated_clusters++;
            c->res->compressed_clusters++;
            c->res->fragmented_clusters++;
            continue;
        }
        if (e.type != QCOW2_CLUSTER_NORMAL &&
            e.type != QCOW2_CLUSTER_ZERO_ALLOC) {
            continue;
        }
        c->res->allocated_clusters++;
        if (next_contiguous && e.host_offset != next_contiguous) {
            c->res->fragmented_clusters++;
        }
        next_contiguous = e.host_offset + c->g.cluster_size;
        if ((qcow2_check_stored(c, e.host_offset >> c->g.cluster_bits) == 1)
            != e.copied) {
            c->res->corruptions++;
        }
    }
}

static void qcow2_check_active(Qcow2Checker *c)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
    uint64_t i;

    for (i = 0; i < c->h.l1_size; i++) {
        uint64_t pos = c->h.l1_table_offset + i * 8, l2_offset;
        bool copied;

        if (pos >= c->len || c->len - pos < 8) {
            break;
        }
        qcow2_l1_entry_decode(&c->g, qcow2_ld64(c->img + pos), &l2_offset,
                              &copied, NULL);
        if (!l2_offset || l2_offset > c->len - c->g.cluster_size ||
            !g_hash_table_add(seen, GSIZE_TO_POINTER(l2_offset))) {
            continue;
        }
        if ((qcow2_check_stored(c, l2_offset >> c->g.cluster_bits) == 1) !=
            copied) {
            c->res->corruptions++;
        }
        qcow2_check_active_l2(c, l2_offset);
    }
}

static void qcow2_check_snapshots(Qcow2Checker *c)
{
    QCowSnapshot *sn;
    uint64_t off = c->h.snapshots_offset;
    uint32_t i, nb = c->h.nb_snapshots;
    size_t table_len = 0;

    if (!nb) {
        return;
    }
    sn = off < c->len ? qcow2_snapshot_table_parse(c->img + off,
                                                   c->len - off, nb,
                                                   &table_len, NULL)
                      : NULL;
    if (!sn) {
        c->res->corruptions++;
        return;
    }
    /* QEMU does not write the padding after the last entry. */
    qcow2_check_ref(c, off, MIN(table_len, c->len - off), 1);
    for (i = 0; i < nb; i++) {
        /* Like qemu-img check, a bad entry is an error; the rest count. */
        if (!qcow2_snapshot_validate(&c->g, &sn[i], NULL)) {
            c->res->corruptions++;
            continue;
        }
        qcow2_check_l1(c, sn[i].l1_table_offset, sn[i].l1_size);
    }
    qcow2_snapshots_free(sn, nb);
}

/*
 * Persistent bitmaps: the directory, each bitmap table and the data
 * clusters they point at.  Bitmap table entries hold a data cluster
 * offset in bits 9-55 and an all-ones flag in bit 0.
 */
static void qcow2_check_bitmaps(Qcow2Checker *c)
{
    uint64_t pos = c->ext->bitmap_directory_offset, end, i, mult = 0;
    uint32_t n;

    if (!c->ext->has_bitmaps ||
        !(c->h.autoclear_features & QCOW2_AUTOCLEAR_BITMAPS)) {
        return;
    }
    qcow2_check_ref(c, pos, c->ext->bitmap_directory_size, 1);
    end = MIN(pos + c->ext->bitmap_directory_size, c->len);
    for (n = 0; n < c->ext->nb_bitmaps && pos + 24 <= end; n++) {
        uint64_t table = qcow2_ld64(c->img + pos);
        uint32_t size = qcow2_ld32(c->img + pos + 8);

        qcow2_check_ref(c, table, (uint64_t)size * 8, 1);
        qcow2_check_cover(c, c->bt_cover, table, size);
        pos += ROUND_UP(24 + (uint64_t)qcow2_ld32(c->img + pos + 20) +
                        qcow2_ld16(c->img + pos + 18), 8);
    }
    for (i = 0; i < c->len / 8; i++) {
        uint64_t entry, data;

        mult += c->bt_cover[i];
        if (!mult) {
            continue;
        }
        entry = qcow2_ld64(c->img + i * 8);
        data = entry & QCOW2_L1E_OFFSET_MASK;
        if ((entry & 0xff000000000001feULL) ||
            (data & (c->g.cluster_size - 1))) {
            c->res->corruptions += mult;
        } else if (data) {
            qcow2_check_ref(c, data, c->g.cluster_size, mult);
        }
    }
}

static void qcow2_check_refcount_table(Qcow2Checker *c)
{
    uint64_t n = (uint64_t)c->h.refcount_table_clusters <<
                 (c->g.cluster_bits - 3);
    uint64_t i;

    qcow2_check_ref(c, c->h.refcount_table_offset, n * 8, 1);
    for (i = 0; i < n; i++) {
        uint64_t pos = c->h.refcount_table_offset + i * 8, entry, block;

        if (pos >= c->len || c->len - pos < 8) {
            break;
        }
        entry = qcow2_ld64(c->img + pos);
        block = entry & QCOW2_REFT_OFFSET_MASK;
        if ((entry & QCOW2_REFT_RESERVED_MASK) ||
            (block & (c->g.cluster_size - 1))) {
            c->res->corruptions++;
            continue;
        }
        qcow2_check_ref(c, block, block ? c->g.cluster_size : 0, 1);
    }
}

/* Compare expected with stored refcounts, cluster by cluster. */
static void qcow2_check_compare(Qcow2Checker *c)
{
    uint64_t i, highest = 0;
    bool any = false;

    for (i = 0; i <= c->nb_clusters; i++) {
        uint64_t stored;

        if (i == c->nb_clusters && !c->expected[i]) {
            break;              /* past the file and unreferenced */
        }
        stored = qcow2_check_stored(c, i);

        /* Like qemu-img check: the last cluster in use either way. */
        if (c->expected[i] || stored) {
            highest = i;
            any = true;
        }
        if (stored > c->expected[i]) {
            c->res->leaks++;
        } else if (stored < c->expected[i]) {
            c->res->corruptions++;
        }
    }
    c->res->image_end_offset = any ? (highest + 1) << c->g.cluster_bits : 0;
}

static bool qcow2_check_start(Qcow2Checker *c, Error **errp)
{
    if (!qcow2_header_unpack(c->img, c->len, &c->h, errp)) {
        return false;
    }
    c->ext = qcow2_extensions_unpack(&c->h, c->img, c->len, NULL);
    if (!qcow2_header_validate(&c->h, c->ext, 0, errp)) {
        return false;
    }
    if (!c->ext) {
        /* Broken extensions: go on without bitmaps, as a corruption. */
        c->ext = qcow2_extensions_new();
        c->res->corruptions++;
    }
    qcow2_geometry_init(&c->g, &c->h);
    if (c->len < c->g.cluster_size) {
        error_setg(errp, "Image is shorter than one cluster");
        return false;
    }
    return true;
}

bool qcow2_check_image_buffer(const uint8_t *img, size_t len,
                              Qcow2CheckResult *res, Error **errp)
{
    Qcow2Checker c = { .img = img, .len = len, .res = res };
    GHashTableIter iter;
    gpointer key, value;

    memset(res, 0, sizeof(*res));
    if (!qcow2_check_start(&c, errp)) {
        qcow2_extensions_free(c.ext);
        return false;
    }
    c.nb_clusters = DIV_ROUND_UP((uint64_t)len, c.g.cluster_size);
    /* One cluster past the file, and one for the end of the last run. */
    c.expected = g_new0(uint64_t, c.nb_clusters + 2);
    c.l1_cover = g_new0(uint64_t, len / 8 + 1);
    c.bt_cover = g_new0(uint64_t, len / 8 + 1);
    c.l2_refs = g_hash_table_new(NULL, NULL);
    res->total_clusters = DIV_ROUND_UP(c.h.size, c.g.cluster_size);

    qcow2_check_ref(&c, 0, c.g.cluster_size, 1);
    qcow2_check_l1(&c, c.h.l1_table_offset, c.h.l1_size);
    qcow2_check_snapshots(&c);
    qcow2_check_l1_slots(&c);
    g_hash_table_iter_init(&iter, c.l2_refs);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        qcow2_check_l2(&c, GPOINTER_TO_SIZE(key), GPOINTER_TO_SIZE(value));
    }
    qcow2_check_bitmaps(&c);
    qcow2_check_refcount_table(&c);
    qcow2_check_sum_refs(&c);
    qcow2_check_compare(&c);
    qcow2_check_active(&c);

    g_hash_table_destroy(c.l2_refs);
    g_free(c.expected);
    g_free(c.l1_cover);
    g_free(c.bt_cover);
    qcow2_extensions_free(c.ext);
    return true;
}
