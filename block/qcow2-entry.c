/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 table entries: L1 and L2 entries (standard, zero, compressed and
 * extended with subcluster bitmaps) and refcount block entries of 1 to 64
 * bits, plus the arithmetic of how much refcount metadata an image needs.
 */
#include "qemu/osdep.h"
#include "block/qcow2-format.h"
#include "qcow2-format-int.h"

bool qcow2_l1_entry_decode(const Qcow2Geometry *g, uint64_t entry,
                           uint64_t *l2_offset, bool *copied, Error **errp)
{
    uint64_t offset = entry & QCOW2_L1E_OFFSET_MASK;

    /* Filled even on failure, for checkers that go on regardless. */
    *l2_offset = offset;
    *copied = entry & QCOW2_OFLAG_COPIED;
    if (entry & QCOW2_L1E_RESERVED_MASK) {
        error_setg(errp, "L1 entry %#" PRIx64 " has reserved bits set",
                   entry);
        return false;
    }
    if (offset & (g->cluster_size - 1)) {
        error_setg(errp, "L2 table offset %#" PRIx64 " unaligned", offset);
        return false;
    }
    return true;
}

uint64_t qcow2_l1_entry_encode(uint64_t l2_offset, bool copied)
{
    return (l2_offset & QCOW2_L1E_OFFSET_MASK) |
           (copied ? QCOW2_OFLAG_COPIED : 0);
}

static bool qcow2_decode_compressed(const Qcow2Geometry *g, uint64_t entry,
                                    uint64_t bitmap, Qcow2L2Entry *out,
                                    Error **errp)
{
    /* The sector count field stores the number of sectors minus one. */
    uint64_t sectors = ((entry >> g->csize_shift) & g->csize_mask) + 1;

    out->type = QCOW2_CLUSTER_COMPRESSED;
    out->host_offset = entry & g->cluster_offset_mask;
    out->compressed_end = (out->host_offset & ~511ULL) + sectors * 512;
    out->compressed_size = out->compressed_end - out->host_offset;
    if (entry & QCOW2_OFLAG_COPIED) {
        error_setg(errp, "Compressed cluster entry %#" PRIx64
                   " has the COPIED flag set", entry);
        return false;
    }
    if (g->extended_l2 && bitmap) {
        error_setg(errp, "Compressed cluster entry has a non-zero "
                   "subcluster bitmap %#" PRIx64, bitmap);
        return false;
    }
    return true;
}

static bool qcow2_check_bitmap(const Qcow2L2Entry *e, uint64_t bitmap,
                               Error **errp)
{
    if (e->alloc_bitmap & e->zero_bitmap) {
        error_setg(errp, "Subcluster bitmap %#" PRIx64 " marks a subcluster "
                   "both allocated and zero", bitmap);
        return false;
    }
    if (!e->host_offset && e->alloc_bitmap) {
        error_setg(errp, "Subcluster bitmap %#" PRIx64 " allocates "
                   "subclusters of an unallocated cluster", bitmap);
        return false;
    }
    return true;
}

bool qcow2_l2_entry_decode(const Qcow2Geometry *g, uint64_t entry,
                           uint64_t bitmap, Qcow2L2Entry *out, Error **errp)
{
    uint64_t reserved = QCOW2_L2E_RESERVED_MASK;
    uint64_t offset = entry & QCOW2_L2E_OFFSET_MASK;

    memset(out, 0, sizeof(*out));
    if (entry & QCOW2_OFLAG_COMPRESSED) {
        return qcow2_decode_compressed(g, entry, bitmap, out, errp);
    }
    /* Fill @out first: a checker goes on with what the entry says. */
    out->copied = entry & QCOW2_OFLAG_COPIED;
    out->host_offset = offset;
    if (entry & QCOW2_OFLAG_ZERO) {
        out->type = offset ? QCOW2_CLUSTER_ZERO_ALLOC
                           : QCOW2_CLUSTER_ZERO_PLAIN;
    } else {
        out->type = offset ? QCOW2_CLUSTER_NORMAL : QCOW2_CLUSTER_UNALLOCATED;
    }
    if (g->extended_l2) {
        out->alloc_bitmap = bitmap & 0xffffffffU;
        out->zero_bitmap = bitmap >> 32;
    }
    /* Extended L2 keeps zeroes in the bitmap. */
    if (g->extended_l2) {
        reserved |= QCOW2_OFLAG_ZERO;
    }
    if (entry & reserved) {
        error_setg(errp, "L2 entry %#" PRIx64 " has reserved bits set",
                   entry);
        return false;
    }
    if (g->version < 3 && (entry & QCOW2_OFLAG_ZERO)) {
        error_setg(errp, "Zero cluster entry found in pre-v3 image");
        return false;
    }
    if (offset & (g->cluster_size - 1)) {
        error_setg(errp, "Cluster allocation offset %#" PRIx64 " unaligned",
                   offset);
        return false;
    }
    return !g->extended_l2 || qcow2_check_bitmap(out, bitmap, errp);
}

uint64_t qcow2_l2_entry_encode(const Qcow2Geometry *g, QCow2ClusterType type,
                               uint64_t host_offset, uint64_t nb_sectors,
                               bool copied)
{
    uint64_t flag = copied ? QCOW2_OFLAG_COPIED : 0;

    switch (type) {
    case QCOW2_CLUSTER_UNALLOCATED:
        return 0;
    case QCOW2_CLUSTER_ZERO_PLAIN:
        return QCOW2_OFLAG_ZERO;
    case QCOW2_CLUSTER_ZERO_ALLOC:
        return (host_offset & QCOW2_L2E_OFFSET_MASK) | QCOW2_OFLAG_ZERO | flag;
    case QCOW2_CLUSTER_NORMAL:
        return (host_offset & QCOW2_L2E_OFFSET_MASK) | flag;
    case QCOW2_CLUSTER_COMPRESSED:
        assert(nb_sectors >= 1 && nb_sectors - 1 <= g->csize_mask);
        return QCOW2_OFLAG_COMPRESSED |
               ((nb_sectors - 1) << g->csize_shift) |
               (host_offset & g->cluster_offset_mask);
    }
    g_assert_not_reached();
}

void qcow2_l2_entry_at(const Qcow2Geometry *g, const uint8_t *table,
                       uint64_t index, uint64_t *entry, uint64_t *bitmap)
{
    const uint8_t *p = table + index * g->l2_entry_size;

    *entry = qcow2_ld64(p);
    *bitmap = g->extended_l2 ? qcow2_ld64(p + 8) : 0;
}

/* ---- refcount blocks ---- */

uint64_t qcow2_refcount_max(unsigned refcount_order)
{
    unsigned bits = 1U << refcount_order;

    return bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
}

uint64_t qcow2_refcount_get(const uint8_t *block, uint64_t index,
                            unsigned refcount_order)
{
    unsigned bits = 1U << refcount_order;
    const uint8_t *p;
    uint64_t v = 0;
    unsigned i;

    if (bits < 8) {
        /* Narrow entries fill each byte from its least significant bit. */
        unsigned shift = (index * bits) % 8;

        return (block[index * bits / 8] >> shift) & ((1U << bits) - 1);
    }
    p = block + index * (bits / 8);
    for (i = 0; i < bits / 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void qcow2_refcount_store(uint8_t *block, uint64_t index,
                                 unsigned refcount_order, uint64_t value)
{
    unsigned bits = 1U << refcount_order;
    uint8_t *p;
    int i;

    if (bits < 8) {
        unsigned shift = (index * bits) % 8;
        uint8_t mask = ((1U << bits) - 1) << shift;

        p = &block[index * bits / 8];
        *p = (*p & ~mask) | ((value << shift) & mask);
        return;
    }
    p = block + index * (bits / 8);
    for (i = bits / 8 - 1; i >= 0; i--) {
        p[i] = value & 0xff;
        value >>= 8;
    }
}

bool qcow2_refcount_set(uint8_t *block, uint64_t index,
                        unsigned refcount_order, uint64_t value,
                        Error **errp)
{
    if (value > qcow2_refcount_max(refcount_order)) {
        error_setg(errp, "Refcount %" PRIu64 " does not fit in %u bits",
                   value, 1U << refcount_order);
        return false;
    }
    qcow2_refcount_store(block, index, refcount_order, value);
    return true;
}

bool qcow2_refcount_add(uint8_t *block, uint64_t index,
                        unsigned refcount_order, int64_t delta,
                        Error **errp)
{
    uint64_t old = qcow2_refcount_get(block, index, refcount_order);
    uint64_t max = qcow2_refcount_max(refcount_order);
    uint64_t mag = delta < 0 ? -(uint64_t)delta : (uint64_t)delta;

    if (delta < 0 && mag > old) {
        error_setg(errp, "Refcount %" PRIu64 " would drop below zero",
                   old);
        return false;
    }
    if (delta > 0 && mag > max - old) {
        error_setg(errp, "Refcount %" PRIu64 " would overflow %u bits",
                   old, 1U << refcount_order);
        return false;
    }
    qcow2_refcount_store(block, index, refcount_order,
                         delta < 0 ? old - mag : old + mag);
    return true;
}

void qcow2_refcount_metadata_clusters(uint64_t clusters,
                                      unsigned cluster_bits,
                                      unsigned refcount_order,
                                      uint64_t *blocks,
                                      uint64_t *table_clusters)
{
    uint64_t per_block = (8ULL << cluster_bits) >> refcount_order;
    uint64_t per_table_cluster = (1ULL << cluster_bits) / 8;
    uint64_t b = 0, t = 0, last;

    /*
     * Refcount blocks and table clusters need refcounts themselves, so
     * grow both until covering clusters + b + t adds nothing more.  Each
     * round only grows, and b + t < clusters / 8 + 2, so it terminates.
     */
    do {
        last = b + t;
        b = DIV_ROUND_UP(clusters + b + t, per_block);
        t = DIV_ROUND_UP(b, per_table_cluster);
    } while (b + t != last);
    *blocks = b;
    *table_clusters = t;
}

uint64_t qcow2_calc_metadata_size(uint64_t virtual_size,
                                  unsigned cluster_bits,
                                  unsigned refcount_order, bool extended_l2)
{
    uint64_t cs = 1ULL << cluster_bits;
    uint64_t l2e = extended_l2 ? 16 : 8;
    uint64_t data = ROUND_UP(virtual_size, cs);
    uint64_t meta = cs;                     /* the header cluster */
    uint64_t nl2e, nl1e, blocks, table;

    nl2e = ROUND_UP(data / cs, cs / l2e);   /* whole L2 tables */
    meta += nl2e * l2e;
    nl1e = ROUND_UP(nl2e * l2e / cs, cs / 8);  /* whole L1 clusters */
    meta += nl1e * 8;
    qcow2_refcount_metadata_clusters((meta + data) / cs, cluster_bits,
                                     refcount_order, &blocks, &table);
    return meta + (blocks + table) * cs;
}
