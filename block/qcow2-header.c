/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 header: pack, unpack and validate the fixed header, and read and
 * write the header extensions that follow it in the first cluster.
 * Error sentences follow what QEMU 7.2 prints for the same image.
 */
#include "qemu/osdep.h"
#include "block/qcow2-format.h"
#include "qcow2-format-int.h"

QEMU_BUILD_BUG_ON(sizeof(struct qcow2_header_disk) != 112);
QEMU_BUILD_BUG_ON(sizeof(struct qcow2_feature_disk) != 48);
QEMU_BUILD_BUG_ON(sizeof(struct qcow2_bitmaps_ext_disk) != 24);
QEMU_BUILD_BUG_ON(sizeof(struct qcow2_crypto_ext_disk) != 16);

#define QCOW2_MAX_BITMAPS 65535
#define QCOW2_MAX_BITMAP_DIRECTORY_SIZE (64 * 1024 * 1024)

bool qcow2_header_unpack(const uint8_t *buf, size_t len, QCowHeader *h,
                         Error **errp)
{
    struct qcow2_header_disk d;

    memset(&d, 0, sizeof(d));
    if (len < QCOW2_V2_HEADER_LENGTH) {
        error_setg(errp, "qcow2 header too short");
        return false;
    }
    memcpy(&d, buf, MIN(len, sizeof(d)));
    *h = (QCowHeader) {
        .magic = GUINT32_FROM_BE(d.magic),
        .version = GUINT32_FROM_BE(d.version),
        .backing_file_offset = GUINT64_FROM_BE(d.backing_file_offset),
        .backing_file_size = GUINT32_FROM_BE(d.backing_file_size),
        .cluster_bits = GUINT32_FROM_BE(d.cluster_bits),
        .size = GUINT64_FROM_BE(d.size),
        .crypt_method = GUINT32_FROM_BE(d.crypt_method),
        .l1_size = GUINT32_FROM_BE(d.l1_size),
        .l1_table_offset = GUINT64_FROM_BE(d.l1_table_offset),
        .refcount_table_offset = GUINT64_FROM_BE(d.refcount_table_offset),
        .refcount_table_clusters = GUINT32_FROM_BE(d.refcount_table_clusters),
        .nb_snapshots = GUINT32_FROM_BE(d.nb_snapshots),
        .snapshots_offset = GUINT64_FROM_BE(d.snapshots_offset),
    };
    if (h->version < 3) {
        /* Version 2 has none of the later fields: use what they imply. */
        h->refcount_order = 4;
        h->header_length = QCOW2_V2_HEADER_LENGTH;
        return true;
    }
    if (len < QCOW2_V3_HEADER_LENGTH) {
        error_setg(errp, "qcow2 header too short");
        return false;
    }
    h->incompatible_features = GUINT64_FROM_BE(d.incompatible_features);
    h->compatible_features = GUINT64_FROM_BE(d.compatible_features);
    h->autoclear_features = GUINT64_FROM_BE(d.autoclear_features);
    h->refcount_order = GUINT32_FROM_BE(d.refcount_order);
    h->header_length = GUINT32_FROM_BE(d.header_length);
    /* The compression type byte exists only if the header reaches it. */
    if (h->header_length > offsetof(struct qcow2_header_disk,
                                    compression_type) &&
        len > offsetof(struct qcow2_header_disk, compression_type)) {
        h->compression_type = d.compression_type;
    }
    return true;
}

int qcow2_header_pack(const QCowHeader *h, uint8_t *buf, size_t len,
                      Error **errp)
{
    struct qcow2_header_disk d = {
        .magic = GUINT32_TO_BE(h->magic),
        .version = GUINT32_TO_BE(h->version),
        .backing_file_offset = GUINT64_TO_BE(h->backing_file_offset),
        .backing_file_size = GUINT32_TO_BE(h->backing_file_size),
        .cluster_bits = GUINT32_TO_BE(h->cluster_bits),
        .size = GUINT64_TO_BE(h->size),
        .crypt_method = GUINT32_TO_BE(h->crypt_method),
        .l1_size = GUINT32_TO_BE(h->l1_size),
        .l1_table_offset = GUINT64_TO_BE(h->l1_table_offset),
        .refcount_table_offset = GUINT64_TO_BE(h->refcount_table_offset),
        .refcount_table_clusters = GUINT32_TO_BE(h->refcount_table_clusters),
        .nb_snapshots = GUINT32_TO_BE(h->nb_snapshots),
        .snapshots_offset = GUINT64_TO_BE(h->snapshots_offset),
        .incompatible_features = GUINT64_TO_BE(h->incompatible_features),
        .compatible_features = GUINT64_TO_BE(h->compatible_features),
        .autoclear_features = GUINT64_TO_BE(h->autoclear_features),
        .refcount_order = GUINT32_TO_BE(h->refcount_order),
        .header_length = GUINT32_TO_BE(h->header_length),
        .compression_type = h->compression_type,
    };
    size_t n = h->version < 3 ? QCOW2_V2_HEADER_LENGTH : h->header_length;

    if (h->version >= 3 && n < QCOW2_V3_HEADER_LENGTH) {
        error_setg(errp, "qcow2 header too short");
        return -EINVAL;
    }
    if (n > len) {
        error_setg(errp, "Buffer of %zu bytes cannot hold a header of %zu",
                   len, n);
        return -EINVAL;
    }
    /* Bytes past the fields we know (a longer header_length) are zero. */
    memset(buf, 0, n);
    memcpy(buf, &d, MIN(n, sizeof(d)));
    return n;
}

const char *qcow2_feature_name(const Qcow2Extensions *ext,
                               Qcow2FeatureType type, unsigned bit)
{
    size_t i;

    for (i = 0; ext && i < ext->nb_features; i++) {
        if (ext->features[i].type == type && ext->features[i].bit == bit) {
            return ext->features[i].name;
        }
    }
    return NULL;
}

/*
 * Name each unknown incompatible bit as QEMU does: the names the feature
 * table has, in table order, then the remaining bits as one hex mask.
 */
static void qcow2_report_unsupported(const Qcow2Extensions *ext,
                                     uint64_t mask, Error **errp)
{
    g_autoptr(GString) s = g_string_new("");
    size_t i;

    for (i = 0; ext && i < ext->nb_features; i++) {
        const Qcow2Feature *f = &ext->features[i];

        if (f->type == QCOW2_FEAT_TYPE_INCOMPATIBLE && f->bit < 64 &&
            (mask & (1ULL << f->bit))) {
            g_string_append_printf(s, "%s%s", s->len ? ", " : "", f->name);
            mask &= ~(1ULL << f->bit);
        }
    }
    if (mask) {
        g_string_append_printf(s, "%sUnknown incompatible feature: %" PRIx64,
                               s->len ? ", " : "", mask);
    }
    error_setg(errp, "Unsupported qcow2 feature(s): %s", s->str);
}

/* Rules about format, version and layout of the first cluster. */
static bool qcow2_validate_basics(const QCowHeader *h, Error **errp)
{
    uint64_t cluster_size;

    if (h->magic != QCOW_MAGIC) {
        error_setg(errp, "Image is not in qcow2 format");
        return false;
    }
    if (h->version < 2 || h->version > 3) {
        error_setg(errp, "Unsupported qcow2 version %u", h->version);
        return false;
    }
    if (h->cluster_bits < QCOW2_MIN_CLUSTER_BITS ||
        h->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "Unsupported cluster size: 2^%u", h->cluster_bits);
        return false;
    }
    cluster_size = 1ULL << h->cluster_bits;
    if (h->version >= 3 && h->header_length < QCOW2_V3_HEADER_LENGTH) {
        error_setg(errp, "qcow2 header too short");
        return false;
    }
    if (h->header_length > cluster_size) {
        error_setg(errp, "qcow2 header exceeds cluster size");
        return false;
    }
    if (h->backing_file_offset > cluster_size) {
        error_setg(errp, "Invalid backing file offset");
        return false;
    }
    if (h->backing_file_offset &&
        h->backing_file_size > MIN(QCOW2_MAX_BACKING_FILE_NAME,
                                   cluster_size - h->backing_file_offset)) {
        error_setg(errp, "Backing file name too long");
        return false;
    }
    return true;
}

/* Rules about features, compression, refcounts, encryption and size. */
static bool qcow2_validate_features(const QCowHeader *h,
                                    const Qcow2Extensions *ext, Error **errp)
{
    if (h->incompatible_features & ~QCOW2_INCOMPAT_MASK) {
        qcow2_report_unsupported(ext, h->incompatible_features &
                                 ~QCOW2_INCOMPAT_MASK, errp);
        return false;
    }
    if (h->compression_type > QCOW2_COMPRESSION_ZSTD) {
        error_setg(errp, "qcow2: unknown compression type: %u",
                   h->compression_type);
        return false;
    }
    if (h->compression_type == QCOW2_COMPRESSION_ZLIB &&
        (h->incompatible_features & QCOW2_INCOMPAT_COMPRESSION)) {
        error_setg(errp, "qcow2: Compression type incompatible feature bit "
                   "must not be set");
        return false;
    }
    if (h->compression_type != QCOW2_COMPRESSION_ZLIB &&
        !(h->incompatible_features & QCOW2_INCOMPAT_COMPRESSION)) {
        error_setg(errp, "qcow2: Compression type incompatible feature bit "
                   "must be set");
        return false;
    }
    if (h->refcount_order > 6) {
        error_setg(errp, "Reference count entry width too large; may not "
                   "exceed 64 bits");
        return false;
    }
    if (h->crypt_method > QCOW2_CRYPT_LUKS) {
        error_setg(errp, "Unsupported encryption method %u", h->crypt_method);
        return false;
    }
    if (h->crypt_method != QCOW2_CRYPT_NONE) {
        /* We have no crypto layer: refuse rather than show ciphertext. */
        error_setg(errp, "Encrypted qcow2 images are not supported "
                   "(encryption method %u)", h->crypt_method);
        return false;
    }
    if ((h->incompatible_features & QCOW2_INCOMPAT_EXTL2) &&
        h->cluster_bits < 14) {
        error_setg(errp, "Extended L2 entries are only supported with "
                   "cluster sizes of at least 16384 bytes");
        return false;
    }
    if (h->size > INT64_MAX) {
        error_setg(errp, "Image is too big");
        return false;
    }
    return true;
}

/*
 * A table of @entries entries of @entry_len bytes at @offset: at most
 * @max_bytes long, cluster aligned, and addressable.
 */
static bool qcow2_validate_table(uint64_t offset, uint64_t entries,
                                 size_t entry_len, uint64_t max_bytes,
                                 unsigned cluster_bits, const char *what,
                                 Error **errp)
{
    uint64_t size;

    if (entries > max_bytes / entry_len) {
        error_setg(errp, "%s too large", what);
        return false;
    }
    size = entries * entry_len;
    if (INT64_MAX - size < offset ||
        offset & ((1ULL << cluster_bits) - 1)) {
        error_setg(errp, "%s offset invalid", what);
        return false;
    }
    return true;
}

void qcow2_geometry_init(Qcow2Geometry *g, const QCowHeader *h)
{
    g->cluster_bits = h->cluster_bits;
    g->cluster_size = 1ULL << h->cluster_bits;
    g->version = h->version;
    g->extended_l2 = h->version >= 3 &&
                     (h->incompatible_features & QCOW2_INCOMPAT_EXTL2);
    g->l2_entry_size = g->extended_l2 ? 16 : 8;
    g->l2_bits = h->cluster_bits - (g->extended_l2 ? 4 : 3);
    g->l2_size = 1ULL << g->l2_bits;
    g->refcount_order = h->refcount_order;
    g->refcount_block_entries = (g->cluster_size * 8) >> h->refcount_order;
    /* Compressed entries split 62 bits between offset and sector count. */
    g->csize_shift = 62 - (h->cluster_bits - 8);
    g->csize_mask = (1ULL << (h->cluster_bits - 8)) - 1;
    g->cluster_offset_mask = (1ULL << g->csize_shift) - 1;
}

uint64_t qcow2_l1_size_needed(const Qcow2Geometry *g, uint64_t size)
{
    unsigned shift = g->cluster_bits + g->l2_bits;

    return (size >> shift) + !!(size & ((1ULL << shift) - 1));
}

/* The three tables the header points at, for the EOF and overlap rules. */
typedef struct Qcow2Region {
    const char *name;
    const char *other;          /* the name as the object of a sentence */
    uint64_t offset;
    uint64_t len;
} Qcow2Region;

static bool qcow2_validate_layout(const QCowHeader *h, uint64_t file_size,
                                  Error **errp)
{
    uint64_t cs = 1ULL << h->cluster_bits;
    Qcow2Region r[] = {
        { "Image header", "the image header", 0, cs },
        { "Active L1 table", "the active L1 table", h->l1_table_offset,
          (uint64_t)h->l1_size * 8 },
        { "Reference count table", "the reference count table",
          h->refcount_table_offset,
          (uint64_t)h->refcount_table_clusters * cs },
        { "Snapshot table", "the snapshot table", h->snapshots_offset,
          (uint64_t)h->nb_snapshots *
          sizeof(struct qcow2_snapshot_header_disk) },
    };
    size_t i, j;

    for (i = 1; i < ARRAY_SIZE(r); i++) {
        if (r[i].len && r[i].offset + r[i].len > file_size) {
            error_setg(errp, "%s exceeds the end of the image file",
                       r[i].name);
            return false;
        }
    }
    for (i = 0; i < ARRAY_SIZE(r); i++) {
        for (j = i + 1; j < ARRAY_SIZE(r); j++) {
            if (qcow2_ranges_overlap(r[i].offset, r[i].len,
                                     r[j].offset, r[j].len)) {
                error_setg(errp, "%s overlaps %s", r[j].name, r[i].other);
                return false;
            }
        }
    }
    return true;
}

bool qcow2_header_validate(const QCowHeader *h, const Qcow2Extensions *ext,
                           uint64_t file_size, Error **errp)
{
    Qcow2Geometry g;

    /* The rules come in the order QEMU checks them, so messages match. */
    if (!qcow2_validate_basics(h, errp) ||
        !qcow2_validate_features(h, ext, errp)) {
        return false;
    }
    if (!qcow2_validate_table(h->refcount_table_offset,
                              (uint64_t)h->refcount_table_clusters <<
                              (h->cluster_bits - 3), 8,
                              QCOW2_MAX_REFTABLE_SIZE, h->cluster_bits,
                              "Reference count table", errp)) {
        return false;
    }
    if (h->refcount_table_clusters == 0) {
        error_setg(errp, "Image does not contain a reference count table");
        return false;
    }
    if (!qcow2_validate_table(h->snapshots_offset, h->nb_snapshots,
                              sizeof(struct qcow2_snapshot_header_disk),
                              sizeof(struct qcow2_snapshot_header_disk) *
                              QCOW2_MAX_SNAPSHOTS, h->cluster_bits,
                              "Snapshot table", errp)) {
        return false;
    }
    qcow2_geometry_init(&g, h);
    if (h->l1_size > QCOW2_MAX_L1_SIZE / 8) {
        error_setg(errp, "Active L1 table too large");
        return false;
    }
    if (h->l1_size < qcow2_l1_size_needed(&g, h->size)) {
        error_setg(errp, "L1 table is too small");
        return false;
    }
    if (!qcow2_validate_table(h->l1_table_offset, h->l1_size, 8,
                              QCOW2_MAX_L1_SIZE, h->cluster_bits,
                              "Active L1 table", errp)) {
        return false;
    }
    return !file_size || qcow2_validate_layout(h, file_size, errp);
}

bool qcow2_read_backing_file_name(const QCowHeader *h, const uint8_t *buf,
                                  size_t len, char **name, Error **errp)
{
    *name = NULL;
    if (!h->backing_file_offset) {
        return true;
    }
    if (h->backing_file_size > QCOW2_MAX_BACKING_FILE_NAME ||
        h->backing_file_offset > len ||
        h->backing_file_size > len - h->backing_file_offset) {
        error_setg(errp, "Backing file name too long");
        return false;
    }
    *name = g_strndup((const char *)buf + h->backing_file_offset,
                      h->backing_file_size);
    return true;
}

/* ---- header extensions ---- */

static void qcow2_extension_free(gpointer p)
{
    Qcow2Extension *e = p;

    g_free(e->data);
    g_free(e);
}

Qcow2Extensions *qcow2_extensions_new(void)
{
    Qcow2Extensions *ext = g_new0(Qcow2Extensions, 1);

    ext->list = g_ptr_array_new_with_free_func(qcow2_extension_free);
    return ext;
}

void qcow2_extensions_free(Qcow2Extensions *ext)
{
    if (!ext) {
        return;
    }
    g_ptr_array_free(ext->list, true);
    g_free(ext->backing_format);
    g_free(ext->data_file);
    g_free(ext->features);
    g_free(ext);
}

static void qcow2_decode_features(Qcow2Extensions *ext,
                                  const Qcow2Extension *e)
{
    size_t i, n = e->len / sizeof(struct qcow2_feature_disk);

    g_free(ext->features);
    ext->features = g_new0(Qcow2Feature, n);
    ext->nb_features = n;
    for (i = 0; i < n; i++) {
        const uint8_t *p = e->data + i * sizeof(struct qcow2_feature_disk);

        ext->features[i].type = p[0];
        ext->features[i].bit = p[1];
        memcpy(ext->features[i].name, p + 2, 46);
    }
}

static bool qcow2_decode_bitmaps(Qcow2Extensions *ext,
                                 const Qcow2Extension *e, Error **errp)
{
    const uint8_t *p = e->data;

    if (e->len != sizeof(struct qcow2_bitmaps_ext_disk)) {
        error_setg(errp, "bitmaps_ext: Invalid extension length");
        return false;
    }
    if (qcow2_ld32(p + 4) != 0) {
        error_setg(errp, "bitmaps_ext: Reserved field is not zero");
        return false;
    }
    ext->nb_bitmaps = qcow2_ld32(p);
    ext->bitmap_directory_size = qcow2_ld64(p + 8);
    ext->bitmap_directory_offset = qcow2_ld64(p + 16);
    if (ext->nb_bitmaps == 0) {
        error_setg(errp, "found bitmaps extension with zero bitmaps");
        return false;
    }
    if (ext->nb_bitmaps > QCOW2_MAX_BITMAPS) {
        error_setg(errp, "bitmaps_ext: Image has %u bitmaps, exceeding the "
                   "QEMU supported maximum of %d", ext->nb_bitmaps,
                   QCOW2_MAX_BITMAPS);
        return false;
    }
    if (ext->bitmap_directory_size > QCOW2_MAX_BITMAP_DIRECTORY_SIZE) {
        error_setg(errp, "bitmaps_ext: bitmap directory size (%" PRIu64
                   ") exceeds the maximum supported size (%d)",
                   ext->bitmap_directory_size,
                   QCOW2_MAX_BITMAP_DIRECTORY_SIZE);
        return false;
    }
    ext->has_bitmaps = true;
    return true;
}

/* Update the decoded view of @e; unknown magics have none. */
static bool qcow2_decode_extension(Qcow2Extensions *ext,
                                   const Qcow2Extension *e, Error **errp)
{
    switch (e->magic) {
    case QCOW2_EXT_BACKING_FORMAT:
        if (e->len >= QCOW2_MAX_BACKING_FORMAT) {
            error_setg(errp, "ERROR: ext_backing_format: len=%u too large "
                       "(>=%d)", e->len, QCOW2_MAX_BACKING_FORMAT);
            return false;
        }
        g_free(ext->backing_format);
        ext->backing_format = g_strndup((const char *)e->data, e->len);
        return true;
    case QCOW2_EXT_FEATURE_TABLE:
        qcow2_decode_features(ext, e);
        return true;
    case QCOW2_EXT_BITMAPS:
        return qcow2_decode_bitmaps(ext, e, errp);
    case QCOW2_EXT_CRYPTO:
        if (e->len != sizeof(struct qcow2_crypto_ext_disk)) {
            error_setg(errp, "CRYPTO header extension size %u, but expected "
                       "size %zu", e->len,
                       sizeof(struct qcow2_crypto_ext_disk));
            return false;
        }
        ext->has_crypto = true;
        ext->crypto_offset = qcow2_ld64(e->data);
        ext->crypto_length = qcow2_ld64(e->data + 8);
        return true;
    case QCOW2_EXT_DATA_FILE:
        g_free(ext->data_file);
        ext->data_file = g_strndup((const char *)e->data, e->len);
        return true;
    default:
        return true;
    }
}

static Qcow2Extension *qcow2_extension_new(uint32_t magic, const void *data,
                                           uint32_t len)
{
    Qcow2Extension *e = g_new0(Qcow2Extension, 1);

    e->magic = magic;
    e->len = len;
    e->data = g_malloc(len);
    if (len) {
        memcpy(e->data, data, len);
    }
    return e;
}

Qcow2Extensions *qcow2_extensions_unpack(const QCowHeader *h,
                                         const uint8_t *buf, size_t len,
                                         Error **errp)
{
    g_autoptr(Qcow2Extensions) ext = qcow2_extensions_new();
    uint64_t offset = h->version < 3 ? QCOW2_V2_HEADER_LENGTH
                                     : h->header_length;
    uint64_t end = h->backing_file_offset ? h->backing_file_offset
                                          : 1ULL << MIN(h->cluster_bits, 63);

    end = MIN(end, len);
    while (offset < end) {
        uint32_t magic, elen;
        Qcow2Extension *e;

        if (end - offset < sizeof(struct qcow2_ext_header_disk)) {
            error_setg(errp, "Header extension too large");
            return NULL;
        }
        magic = qcow2_ld32(buf + offset);
        elen = qcow2_ld32(buf + offset + 4);
        offset += sizeof(struct qcow2_ext_header_disk);
        if (magic == QCOW2_EXT_END) {
            break;
        }
        if (elen > end - offset) {
            error_setg(errp, "Header extension too large");
            return NULL;
        }
        e = qcow2_extension_new(magic, buf + offset, elen);
        g_ptr_array_add(ext->list, e);
        if (!qcow2_decode_extension(ext, e, errp)) {
            return NULL;
        }
        /* Each payload is padded to 8 bytes, so offsets only grow. */
        offset += ROUND_UP((uint64_t)elen, 8);
    }
    return g_steal_pointer(&ext);
}

int64_t qcow2_extensions_pack(const Qcow2Extensions *ext, uint8_t *buf,
                              size_t len, Error **errp)
{
    size_t need = sizeof(struct qcow2_ext_header_disk), pos = 0;
    guint i;

    for (i = 0; i < ext->list->len; i++) {
        const Qcow2Extension *e = g_ptr_array_index(ext->list, i);

        need += sizeof(struct qcow2_ext_header_disk) + ROUND_UP(e->len, 8);
    }
    if (need > len) {
        error_setg(errp, "Header extensions need %zu bytes, only %zu "
                   "available", need, len);
        return -ENOSPC;
    }
    memset(buf, 0, need);
    for (i = 0; i < ext->list->len; i++) {
        const Qcow2Extension *e = g_ptr_array_index(ext->list, i);

        qcow2_st32(buf + pos, e->magic);
        qcow2_st32(buf + pos + 4, e->len);
        if (e->len) {
            memcpy(buf + pos + 8, e->data, e->len);
        }
        pos += 8 + ROUND_UP(e->len, 8);
    }
    /* The end marker: magic 0 and length 0, already zeroed. */
    return need;
}

void qcow2_extensions_set_feature_table(Qcow2Extensions *ext)
{
    static const struct {
        Qcow2FeatureType type;
        uint8_t bit;
        const char *name;
    } names[] = {
        { QCOW2_FEAT_TYPE_INCOMPATIBLE, 0, "dirty bit" },
        { QCOW2_FEAT_TYPE_INCOMPATIBLE, 1, "corrupt bit" },
        { QCOW2_FEAT_TYPE_INCOMPATIBLE, 2, "external data file" },
        { QCOW2_FEAT_TYPE_INCOMPATIBLE, 3, "compression type" },
        { QCOW2_FEAT_TYPE_INCOMPATIBLE, 4, "extended L2 entries" },
        { QCOW2_FEAT_TYPE_COMPATIBLE, 0, "lazy refcounts" },
        { QCOW2_FEAT_TYPE_AUTOCLEAR, 0, "bitmaps" },
        { QCOW2_FEAT_TYPE_AUTOCLEAR, 1, "raw external data" },
    };
    uint8_t table[ARRAY_SIZE(names) * sizeof(struct qcow2_feature_disk)];
    size_t i;

    memset(table, 0, sizeof(table));
    for (i = 0; i < ARRAY_SIZE(names); i++) {
        uint8_t *p = table + i * sizeof(struct qcow2_feature_disk);

        p[0] = names[i].type;
        p[1] = names[i].bit;
        memcpy(p + 2, names[i].name, strlen(names[i].name));
    }
    qcow2_extensions_set(ext, QCOW2_EXT_FEATURE_TABLE, table, sizeof(table),
                         &error_abort);
}

bool qcow2_extensions_set(Qcow2Extensions *ext, uint32_t magic,
                          const void *data, uint32_t len, Error **errp)
{
    Qcow2Extension *e = qcow2_extension_new(magic, data, len);
    Qcow2Extensions *probe = qcow2_extensions_new();
    bool ok = qcow2_decode_extension(probe, e, errp);
    guint i;

    qcow2_extensions_free(probe);
    if (!ok || magic == QCOW2_EXT_END) {
        if (ok) {
            error_setg(errp, "The end marker is not an extension");
        }
        qcow2_extension_free(e);
        return false;
    }
    qcow2_decode_extension(ext, e, &error_abort);
    for (i = 0; i < ext->list->len; i++) {
        Qcow2Extension *old = g_ptr_array_index(ext->list, i);

        if (old->magic == magic) {
            g_ptr_array_index(ext->list, i) = e;
            qcow2_extension_free(old);
            return true;
        }
    }
    g_ptr_array_add(ext->list, e);
    return true;
}

void qcow2_extensions_remove(Qcow2Extensions *ext, uint32_t magic)
{
    guint i = 0;

    while (i < ext->list->len) {
        Qcow2Extension *e = g_ptr_array_index(ext->list, i);

        if (e->magic == magic) {
            g_ptr_array_remove_index(ext->list, i);
        } else {
            i++;
        }
    }
    /* Keep the decoded views in step with the list */
    switch (magic) {
    case QCOW2_EXT_BACKING_FORMAT:
        g_free(ext->backing_format);
        ext->backing_format = NULL;
        break;
    case QCOW2_EXT_DATA_FILE:
        g_free(ext->data_file);
        ext->data_file = NULL;
        break;
    case QCOW2_EXT_FEATURE_TABLE:
        g_free(ext->features);
        ext->features = NULL;
        ext->nb_features = 0;
        break;
    case QCOW2_EXT_BITMAPS:
        ext->has_bitmaps = false;
        ext->nb_bitmaps = 0;
        ext->bitmap_directory_size = 0;
        ext->bitmap_directory_offset = 0;
        break;
    case QCOW2_EXT_CRYPTO:
        ext->has_crypto = false;
        ext->crypto_offset = 0;
        ext->crypto_length = 0;
        break;
    }
}
