/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 on-disk format as pure functions over byte buffers: header,
 * header extensions, L1/L2 entries, refcount blocks, snapshot table and a
 * whole-image consistency check.  Nothing here does I/O, so the qcow2
 * driver can stay thin and everything can be tested on buffers.
 *
 * On-disk structures carry a _disk suffix and hold big-endian fields; bytes
 * change order only in the pack and unpack functions.  Each structure has
 * one validator, with one error sentence per rule.
 */
#ifndef BLOCK_QCOW2_FORMAT_H
#define BLOCK_QCOW2_FORMAT_H

#include "qapi/error.h"

#define QCOW_MAGIC 0x514649fbU          /* "QFI\xfb" */
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_V2_HEADER_LENGTH 72
#define QCOW2_V3_HEADER_LENGTH 104
/* QEMU's limits for tables it will load into memory. */
#define QCOW2_MAX_L1_SIZE (32 * MiB)
#define QCOW2_MAX_REFTABLE_SIZE (8 * MiB)
#define QCOW2_MAX_SNAPSHOTS 65536
#define QCOW2_MAX_SNAPSHOTS_SIZE (64 * MiB)
#define QCOW2_MAX_SNAPSHOT_EXTRA_DATA 1024
#define QCOW2_MAX_BACKING_FILE_NAME 1023
#define QCOW2_MAX_BACKING_FORMAT 16     /* QEMU's buffer, with the NUL */

/* Incompatible, compatible and autoclear feature bits. */
#define QCOW2_INCOMPAT_DIRTY            (1ULL << 0)
#define QCOW2_INCOMPAT_CORRUPT          (1ULL << 1)
#define QCOW2_INCOMPAT_DATA_FILE        (1ULL << 2)
#define QCOW2_INCOMPAT_COMPRESSION      (1ULL << 3)
#define QCOW2_INCOMPAT_EXTL2            (1ULL << 4)
#define QCOW2_INCOMPAT_MASK             0x1fULL
#define QCOW2_COMPAT_LAZY_REFCOUNTS     (1ULL << 0)
#define QCOW2_AUTOCLEAR_BITMAPS         (1ULL << 0)
#define QCOW2_AUTOCLEAR_DATA_FILE_RAW   (1ULL << 1)

#define QCOW2_CRYPT_NONE 0
#define QCOW2_CRYPT_AES  1
#define QCOW2_CRYPT_LUKS 2

#define QCOW2_COMPRESSION_ZLIB 0
#define QCOW2_COMPRESSION_ZSTD 1

/* Header extension magics. */
#define QCOW2_EXT_END             0x00000000U
#define QCOW2_EXT_BACKING_FORMAT  0xe2792acaU
#define QCOW2_EXT_FEATURE_TABLE   0x6803f857U
#define QCOW2_EXT_BITMAPS         0x23852875U
#define QCOW2_EXT_CRYPTO          0x0537be77U
#define QCOW2_EXT_DATA_FILE       0x44415441U

/* L1/L2/refcount table entry bits. */
#define QCOW2_OFLAG_COPIED      (1ULL << 63)
#define QCOW2_OFLAG_COMPRESSED  (1ULL << 62)
#define QCOW2_OFLAG_ZERO        (1ULL << 0)
#define QCOW2_L1E_OFFSET_MASK   0x00fffffffffffe00ULL
#define QCOW2_L2E_OFFSET_MASK   0x00fffffffffffe00ULL
#define QCOW2_L1E_RESERVED_MASK 0x7f000000000001ffULL
#define QCOW2_L2E_RESERVED_MASK 0x3f000000000001feULL
#define QCOW2_REFT_OFFSET_MASK  0xfffffffffffffe00ULL
#define QCOW2_REFT_RESERVED_MASK 0x1ffULL

/* The fixed part of the header as stored in the image (big-endian). */
struct QEMU_PACKED qcow2_header_disk {
    uint32_t magic;
    uint32_t version;
    uint64_t backing_file_offset;
    uint32_t backing_file_size;
    uint32_t cluster_bits;
    uint64_t size;
    uint32_t crypt_method;
    uint32_t l1_size;
    uint64_t l1_table_offset;
    uint64_t refcount_table_offset;
    uint32_t refcount_table_clusters;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    /* Version 3 only from here on. */
    uint64_t incompatible_features;
    uint64_t compatible_features;
    uint64_t autoclear_features;
    uint32_t refcount_order;
    uint32_t header_length;
    uint8_t compression_type;
    uint8_t padding[7];
};

/* The header in host byte order; version 2 images get v3 defaults. */
typedef struct QCowHeader {
    uint32_t magic;
    uint32_t version;
    uint64_t backing_file_offset;
    uint32_t backing_file_size;
    uint32_t cluster_bits;
    uint64_t size;
    uint32_t crypt_method;
    uint32_t l1_size;
    uint64_t l1_table_offset;
    uint64_t refcount_table_offset;
    uint32_t refcount_table_clusters;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    uint64_t incompatible_features;
    uint64_t compatible_features;
    uint64_t autoclear_features;
    uint32_t refcount_order;
    uint32_t header_length;
    uint8_t compression_type;
} QCowHeader;

/* One header extension as stored: type, length, then padded data. */
struct QEMU_PACKED qcow2_ext_header_disk {
    uint32_t magic;
    uint32_t len;
};

/* One entry of the feature name table extension. */
struct QEMU_PACKED qcow2_feature_disk {
    uint8_t type;
    uint8_t bit;
    char name[46];
};

/* The bitmaps extension payload. */
struct QEMU_PACKED qcow2_bitmaps_ext_disk {
    uint32_t nb_bitmaps;
    uint32_t reserved;
    uint64_t bitmap_directory_size;
    uint64_t bitmap_directory_offset;
};

/* The full disk encryption extension payload. */
struct QEMU_PACKED qcow2_crypto_ext_disk {
    uint64_t offset;
    uint64_t length;
};

typedef enum Qcow2FeatureType {
    QCOW2_FEAT_TYPE_INCOMPATIBLE = 0,
    QCOW2_FEAT_TYPE_COMPATIBLE = 1,
    QCOW2_FEAT_TYPE_AUTOCLEAR = 2,
} Qcow2FeatureType;

typedef struct Qcow2Feature {
    uint8_t type;
    uint8_t bit;
    char name[47];              /* NUL-terminated copy of the 46 bytes */
} Qcow2Feature;

/* A header extension kept as an opaque blob (known ones too). */
typedef struct Qcow2Extension {
    uint32_t magic;
    uint32_t len;
    uint8_t *data;
} Qcow2Extension;

/*
 * All header extensions in file order, plus decoded views of the known
 * ones.  The raw list is the truth for packing, so unknown extensions
 * survive a round trip untouched.
 */
typedef struct Qcow2Extensions {
    GPtrArray *list;            /* of Qcow2Extension * */
    char *backing_format;       /* NULL if absent */
    char *data_file;            /* NULL if absent */
    Qcow2Feature *features;
    size_t nb_features;
    bool has_bitmaps;
    uint32_t nb_bitmaps;
    uint64_t bitmap_directory_size;
    uint64_t bitmap_directory_offset;
    bool has_crypto;
    uint64_t crypto_offset;
    uint64_t crypto_length;
} Qcow2Extensions;

/* Sizes derived from a valid header, used by every table walker. */
typedef struct Qcow2Geometry {
    unsigned cluster_bits;
    uint64_t cluster_size;
    unsigned version;
    bool extended_l2;
    unsigned l2_entry_size;     /* 8, or 16 with extended L2 entries */
    unsigned l2_bits;           /* log2 of entries per L2 table */
    uint64_t l2_size;           /* entries per L2 table */
    unsigned refcount_order;
    uint64_t refcount_block_entries;
    unsigned csize_shift;       /* first sector-count bit of compressed */
    uint64_t csize_mask;
    uint64_t cluster_offset_mask;   /* host offset of compressed entries */
} Qcow2Geometry;

typedef enum QCow2ClusterType {
    QCOW2_CLUSTER_UNALLOCATED,
    QCOW2_CLUSTER_ZERO_PLAIN,
    QCOW2_CLUSTER_ZERO_ALLOC,
    QCOW2_CLUSTER_NORMAL,
    QCOW2_CLUSTER_COMPRESSED,
} QCow2ClusterType;

/* What an L2 entry says about one guest cluster. */
typedef struct Qcow2L2Entry {
    QCow2ClusterType type;
    bool copied;
    uint64_t host_offset;       /* data cluster, or compressed data start */
    uint64_t compressed_size;   /* bytes; upper bound, compressed only */
    uint64_t compressed_end;    /* end of the last 512-byte sector */
    uint32_t alloc_bitmap;      /* extended L2 only */
    uint32_t zero_bitmap;       /* extended L2 only */
} Qcow2L2Entry;

/* One snapshot table entry in host order. */
typedef struct QCowSnapshot {
    uint64_t l1_table_offset;
    uint32_t l1_size;
    char *id_str;
    char *name;
    uint32_t date_sec;
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;
    uint64_t vm_state_size;     /* the 64-bit extra field when present */
    uint64_t disk_size;         /* only if extra_data_size >= 16 */
    uint64_t icount;            /* -1 when absent */
    uint32_t extra_data_size;
    uint8_t *extra_data;        /* the raw extra data, kept for packing */
} QCowSnapshot;

/* The fixed part of a snapshot table entry as stored. */
struct QEMU_PACKED qcow2_snapshot_header_disk {
    uint64_t l1_table_offset;
    uint32_t l1_size;
    uint16_t id_str_size;
    uint16_t name_size;
    uint32_t date_sec;
    uint32_t date_nsec;
    uint64_t vm_clock_nsec;
    uint32_t vm_state_size;
    uint32_t extra_data_size;
};

/* The known part of a snapshot's extra data as stored. */
struct QEMU_PACKED qcow2_snapshot_extra_disk {
    uint64_t vm_state_size_large;
    uint64_t disk_size;
    uint64_t icount;
};

/* Counts reported by qcow2_check_image_buffer(), as qemu-img check. */
typedef struct Qcow2CheckResult {
    uint64_t corruptions;
    uint64_t leaks;
    uint64_t check_errors;
    uint64_t total_clusters;        /* guest clusters */
    uint64_t allocated_clusters;
    uint64_t compressed_clusters;
    uint64_t fragmented_clusters;
    uint64_t image_end_offset;
} Qcow2CheckResult;

/* ---- header (qcow2-header.c) ---- */

/**
 * qcow2_header_unpack:
 * Decode the header at the start of @buf (@len bytes) into @h, converting
 * byte order and filling version 2 defaults (refcount_order 4, header
 * length 72).  Only checks that the bytes are there; call
 * qcow2_header_validate() before trusting any field.
 * Returns false with @errp set if @buf is too short.
 */
bool qcow2_header_unpack(const uint8_t *buf, size_t len, QCowHeader *h,
                         Error **errp);

/**
 * qcow2_header_pack:
 * Encode @h into @buf, which must hold @len >= h->header_length bytes
 * (72 for version 2).  Returns the number of bytes written, or -EINVAL
 * with @errp set if @buf is too small or the header length is bad.
 */
int qcow2_header_pack(const QCowHeader *h, uint8_t *buf, size_t len,
                      Error **errp);

/**
 * qcow2_header_validate:
 * Check every rule a header must obey before any table is read: magic,
 * version, cluster size, header length, feature bits, encryption,
 * compression type, refcount width, table sizes and alignment, and (if
 * @file_size is not 0) that the tables lie inside the file and do not
 * overlap.  @ext (may be NULL) supplies feature names for the message on
 * unknown incompatible features, as QEMU prints it.
 */
bool qcow2_header_validate(const QCowHeader *h, const Qcow2Extensions *ext,
                           uint64_t file_size, Error **errp);

/**
 * qcow2_geometry_init:
 * Derive table sizes from a header that passed qcow2_header_validate().
 */
void qcow2_geometry_init(Qcow2Geometry *g, const QCowHeader *h);

/**
 * qcow2_l1_size_needed:
 * The number of L1 entries needed for a disk of @size bytes.
 */
uint64_t qcow2_l1_size_needed(const Qcow2Geometry *g, uint64_t size);

/**
 * qcow2_read_backing_file_name:
 * Copy the backing file name out of the first cluster @buf (@len bytes)
 * into a new string; *@name is NULL if the image has no backing file.
 */
bool qcow2_read_backing_file_name(const QCowHeader *h, const uint8_t *buf,
                                  size_t len, char **name, Error **errp);

/* ---- header extensions (qcow2-header.c) ---- */

/**
 * qcow2_extensions_unpack:
 * Parse the header extensions of the first cluster @buf (@len bytes),
 * which start after the header and end at the end marker, the backing
 * file name or the end of the cluster.  Returns a new list or NULL with
 * @errp set.
 */
Qcow2Extensions *qcow2_extensions_unpack(const QCowHeader *h,
                                         const uint8_t *buf, size_t len,
                                         Error **errp);

/**
 * qcow2_extensions_pack:
 * Write @ext (in order, each padded to 8 bytes, then the end marker) to
 * @buf of @len bytes.  Returns the bytes written or -ENOSPC with @errp set.
 */
int64_t qcow2_extensions_pack(const Qcow2Extensions *ext, uint8_t *buf,
                              size_t len, Error **errp);

/**
 * qcow2_extensions_set:
 * Replace the data of the first extension with @magic (or append one)
 * with a copy of @data, keeping the decoded views up to date.
 * Returns false with @errp set if the new payload does not decode.
 */
bool qcow2_extensions_set(Qcow2Extensions *ext, uint32_t magic,
                          const void *data, uint32_t len, Error **errp);

/**
 * qcow2_extensions_remove:
 * Drop every extension with @magic (and its decoded view); no-op if
 * there is none.
 */
void qcow2_extensions_remove(Qcow2Extensions *ext, uint32_t magic);

/**
 * qcow2_extensions_new:
 * An empty extension list.
 */
Qcow2Extensions *qcow2_extensions_new(void);

/**
 * qcow2_extensions_free:
 * Free @ext and everything it owns; NULL is allowed.
 */
void qcow2_extensions_free(Qcow2Extensions *ext);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Qcow2Extensions, qcow2_extensions_free)

/**
 * qcow2_extensions_set_feature_table:
 * Set the feature name table extension to the eight names QEMU 7.2
 * writes, in its order.  QEMU writes the table only in images whose
 * clusters are larger than 4 KiB; the caller decides.
 */
void qcow2_extensions_set_feature_table(Qcow2Extensions *ext);

/**
 * qcow2_feature_name:
 * The name the feature table gives to bit @bit of @type, or NULL.
 */
const char *qcow2_feature_name(const Qcow2Extensions *ext,
                               Qcow2FeatureType type, unsigned bit);

/* ---- L1/L2 entries and refcounts (qcow2-entry.c) ---- */

/**
 * qcow2_l1_entry_decode:
 * Return the L2 table offset of L1 entry @entry (0 if unallocated) in
 * *@l2_offset and its COPIED flag in *@copied.  Fails with @errp set if
 * reserved bits are set or the offset is not cluster aligned; the outputs
 * are filled even then.
 */
bool qcow2_l1_entry_decode(const Qcow2Geometry *g, uint64_t entry,
                           uint64_t *l2_offset, bool *copied, Error **errp);

/**
 * qcow2_l1_entry_encode:
 * Build an L1 entry for an L2 table at @l2_offset.
 */
uint64_t qcow2_l1_entry_encode(uint64_t l2_offset, bool copied);

/**
 * qcow2_l2_entry_decode:
 * Classify L2 entry @entry (and @bitmap, the second word of an extended
 * entry, ignored otherwise) into @out.  Fails with @errp set, meaning the
 * image is corrupt, if reserved bits are set, the zero flag appears in a
 * version 2 image, a data offset is not cluster aligned or a subcluster
 * bitmap is inconsistent.  @out is filled as far as the entry can be read
 * even on failure, so a checker can count the error and go on.
 */
bool qcow2_l2_entry_decode(const Qcow2Geometry *g, uint64_t entry,
                           uint64_t bitmap, Qcow2L2Entry *out, Error **errp);

/**
 * qcow2_l2_entry_encode:
 * Build the first word of an L2 entry for @type: @host_offset is the data
 * cluster (normal, zero-alloc) or the compressed data start; @nb_sectors
 * is the number of 512-byte sectors the compressed data touches.
 */
uint64_t qcow2_l2_entry_encode(const Qcow2Geometry *g, QCow2ClusterType type,
                               uint64_t host_offset, uint64_t nb_sectors,
                               bool copied);

/**
 * qcow2_l2_entry_at:
 * Read entry @index of the L2 table @table (both words if extended).
 */
void qcow2_l2_entry_at(const Qcow2Geometry *g, const uint8_t *table,
                       uint64_t index, uint64_t *entry, uint64_t *bitmap);

/**
 * qcow2_refcount_get:
 * Entry @index of the refcount block @block, 2^@refcount_order bits wide.
 */
uint64_t qcow2_refcount_get(const uint8_t *block, uint64_t index,
                            unsigned refcount_order);

/**
 * qcow2_refcount_set:
 * Store @value as entry @index of @block.  Fails with @errp set, leaving
 * the block untouched, if @value does not fit the entry width.
 */
bool qcow2_refcount_set(uint8_t *block, uint64_t index,
                        unsigned refcount_order, uint64_t value,
                        Error **errp);

/**
 * qcow2_refcount_add:
 * Add @delta (may be negative) to entry @index of @block.  Fails with
 * @errp set, leaving the block untouched, on overflow or underflow.
 */
bool qcow2_refcount_add(uint8_t *block, uint64_t index,
                        unsigned refcount_order, int64_t delta,
                        Error **errp);

/**
 * qcow2_refcount_max:
 * The largest refcount an entry of 2^@refcount_order bits holds.
 */
uint64_t qcow2_refcount_max(unsigned refcount_order);

/**
 * qcow2_refcount_metadata_clusters:
 * How many refcount blocks (*@blocks) and refcount table clusters
 * (*@table_clusters) cover @clusters clusters plus the refcount
 * structures themselves, which need refcounts too.
 */
void qcow2_refcount_metadata_clusters(uint64_t clusters,
                                      unsigned cluster_bits,
                                      unsigned refcount_order,
                                      uint64_t *blocks,
                                      uint64_t *table_clusters);

/**
 * qcow2_calc_metadata_size:
 * Bytes of metadata (header, L1, L2 and refcount structures) that a
 * fully allocated image of @virtual_size bytes needs, as qemu-img measure
 * adds to the data for "fully allocated size".
 */
uint64_t qcow2_calc_metadata_size(uint64_t virtual_size,
                                  unsigned cluster_bits,
                                  unsigned refcount_order, bool extended_l2);

/* ---- snapshot table (qcow2-snapshot-format.c) ---- */

/**
 * qcow2_snapshot_table_unpack:
 * Parse @nb_snapshots entries from @buf (@len bytes, the snapshot table
 * read from the image) and validate each one.  Returns an array of
 * *@nb or NULL with @errp set; free with qcow2_snapshots_free().
 */
QCowSnapshot *qcow2_snapshot_table_unpack(const Qcow2Geometry *g,
                                          const uint8_t *buf, size_t len,
                                          uint32_t nb_snapshots,
                                          Error **errp);

/**
 * qcow2_snapshot_validate:
 * Check one snapshot entry: L1 table alignment and size, extra data.
 */
bool qcow2_snapshot_validate(const Qcow2Geometry *g, const QCowSnapshot *sn,
                             Error **errp);

/**
 * qcow2_snapshot_table_size:
 * Bytes the table of @nb snapshots @sn takes when packed.
 */
size_t qcow2_snapshot_table_size(const QCowSnapshot *sn, uint32_t nb);

/**
 * qcow2_snapshot_table_pack:
 * Serialise @nb snapshots into a new buffer of *@len bytes.
 */
uint8_t *qcow2_snapshot_table_pack(const QCowSnapshot *sn, uint32_t nb,
                                   size_t *len);

/**
 * qcow2_snapshots_free:
 * Free an array returned by qcow2_snapshot_table_unpack().
 */
void qcow2_snapshots_free(QCowSnapshot *sn, uint32_t nb);

/* ---- whole-image check (qcow2-check-buffer.c) ---- */

/**
 * qcow2_check_image_buffer:
 * Check an image held entirely in memory, as qemu-img check does: walk
 * every L1/L2 table (active and snapshots) and the refcount structures,
 * count the references each cluster should have and compare with the
 * stored refcounts.  Fills @res; returns false with @errp set only if the
 * header is too broken to start the walk.
 */
bool qcow2_check_image_buffer(const uint8_t *img, size_t len,
                              Qcow2CheckResult *res, Error **errp);

#endif
