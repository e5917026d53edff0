/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the qcow2 format code on hand-built buffers: header and
 * extension round trips, every validator rule, L1/L2 and refcount entries,
 * sizing, snapshots, the buffer check, and hostile mutations.
 */
#include "qemu/osdep.h"
#include "block/qcow2-format.h"

#define CB 12                   /* 4 KiB clusters keep images tiny */
#define CS (1U << CB)
#define NB_CLUSTERS 6
#define IMG_LEN (NB_CLUSTERS * CS)

static void st64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, 8);
}

static void st32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_BE(v);
    memcpy(p, &v, 4);
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

static void default_header(QCowHeader *h)
{
    *h = (QCowHeader) {
        .magic = QCOW_MAGIC,
        .version = 3,
        .cluster_bits = CB,
        .size = 1 * MiB,
        .l1_size = 1,
        .l1_table_offset = 3 * CS,
        .refcount_table_offset = 1 * CS,
        .refcount_table_clusters = 1,
        .refcount_order = 4,
        .header_length = 112,
    };
}

/*
 * A valid v3 image: header with a feature table and an unknown extension
 * in cluster 0, refcount table (1), refcount block (2), L1 (3), L2 (4)
 * and one data cluster (5), every cluster with refcount 1.
 */
static uint8_t *build_image(void)
{
    uint8_t *img = g_malloc0(IMG_LEN);
    uint8_t feat[48] = { 0, 1, 'c', 'o', 'r', 'r', 'u', 'p', 't' };
    g_autoptr(Qcow2Extensions) ext = qcow2_extensions_new();
    QCowHeader h;
    int i;

    default_header(&h);
    g_assert_cmpint(qcow2_header_pack(&h, img, CS, &error_abort), ==, 112);
    qcow2_extensions_set(ext, QCOW2_EXT_FEATURE_TABLE, feat, 48,
                         &error_abort);
    qcow2_extensions_set(ext, 0x12345678, "hello", 5, &error_abort);
    g_assert_cmpint(qcow2_extensions_pack(ext, img + 112, CS - 112,
                                          &error_abort), ==, 56 + 16 + 8);
    st64(img + CS, 2 * CS);
    for (i = 0; i < NB_CLUSTERS; i++) {
        qcow2_refcount_set(img + 2 * CS, i, 4, 1, &error_abort);
    }
    st64(img + 3 * CS, (4 * CS) | QCOW2_OFLAG_COPIED);
    st64(img + 4 * CS, (5 * CS) | QCOW2_OFLAG_COPIED);
    memset(img + 5 * CS, 0xaa, CS);
    return img;
}

/* Field by field: struct padding is not part of the value. */
static void assert_header_equal(const QCowHeader *a, const QCowHeader *b)
{
#define EQ(f) g_assert_cmphex(a->f, ==, b->f)
    EQ(magic); EQ(version); EQ(backing_file_offset); EQ(backing_file_size);
    EQ(cluster_bits); EQ(size); EQ(crypt_method); EQ(l1_size);
    EQ(l1_table_offset); EQ(refcount_table_offset);
    EQ(refcount_table_clusters); EQ(nb_snapshots); EQ(snapshots_offset);
    EQ(incompatible_features); EQ(compatible_features);
    EQ(autoclear_features); EQ(refcount_order); EQ(header_length);
    EQ(compression_type);
#undef EQ
}

static void test_header_roundtrip(void)
{
    QCowHeader h, h2;
    uint8_t buf[256];
    int version;

    for (version = 2; version <= 3; version++) {
        default_header(&h);
        h.version = version;
        h.backing_file_offset = 0x1234;
        h.nb_snapshots = 7;
        h.snapshots_offset = 0x50000;
        if (version == 2) {
            h.header_length = 72;
        } else {
            h.incompatible_features = QCOW2_INCOMPAT_DIRTY;
            h.compatible_features = QCOW2_COMPAT_LAZY_REFCOUNTS;
            h.autoclear_features = 0x8000000000000001ULL;
            h.refcount_order = 6;
        }
        memset(buf, 0xff, sizeof(buf));
        g_assert_cmpint(qcow2_header_pack(&h, buf, sizeof(buf),
                                          &error_abort), ==,
                        h.header_length);
        g_assert_cmphex(buf[0], ==, 'Q');
        g_assert(qcow2_header_unpack(buf, sizeof(buf), &h2, &error_abort));
        assert_header_equal(&h, &h2);
    }
}

static void test_header_unpack_short(void)
{
    uint8_t buf[112] = { 0 };
    QCowHeader h;
    Error *err = NULL;

    default_header(&h);
    qcow2_header_pack(&h, buf, sizeof(buf), &error_abort);
    g_assert(!qcow2_header_unpack(buf, 71, &h, &err));
    error_free_or_abort(&err);
    g_assert(!qcow2_header_unpack(buf, 100, &h, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "qcow2 header too short");
    error_free(err);
    err = NULL;
    /* A 104-byte header has no compression type byte. */
    h.header_length = 104;
    qcow2_header_pack(&h, buf, sizeof(buf), &error_abort);
    buf[104] = 1;
    g_assert(qcow2_header_unpack(buf, sizeof(buf), &h, &error_abort));
    g_assert_cmpint(h.compression_type, ==, 0);
    /* Pack refuses a buffer that cannot hold the header. */
    g_assert_cmpint(qcow2_header_pack(&h, buf, 80, &err), ==, -EINVAL);
    error_free_or_abort(&err);
    h.header_length = 90;
    g_assert_cmpint(qcow2_header_pack(&h, buf, sizeof(buf), &err), ==,
                    -EINVAL);
    error_free_or_abort(&err);
}

typedef struct HeaderCase {
    const char *field;
    uint64_t value;
    const char *msg;            /* NULL: must pass */
} HeaderCase;

static void set_field(QCowHeader *h, const char *f, uint64_t v)
{
#define F(name) if (!strcmp(f, #name)) { h->name = v; return; }
    F(magic) F(version) F(backing_file_offset) F(backing_file_size)
    F(cluster_bits) F(size) F(crypt_method) F(l1_size) F(l1_table_offset)
    F(refcount_table_offset) F(refcount_table_clusters) F(nb_snapshots)
    F(snapshots_offset) F(incompatible_features) F(compatible_features)
    F(autoclear_features) F(refcount_order) F(header_length)
    F(compression_type)
#undef F
    g_assert_not_reached();
}

/* Messages as QEMU 7.2 prints them for the same header (observed). */
static const HeaderCase header_cases[] = {
    { "magic", 0x12345678, "Image is not in qcow2 format" },
    { "version", 1, "Unsupported qcow2 version 1" },
    { "version", 4, "Unsupported qcow2 version 4" },
    { "cluster_bits", 8, "Unsupported cluster size: 2^8" },
    { "cluster_bits", 22, "Unsupported cluster size: 2^22" },
    { "cluster_bits", 9, "L1 table is too small" },
    { "header_length", 100, "qcow2 header too short" },
    { "header_length", CS + 8, "qcow2 header exceeds cluster size" },
    { "header_length", 105, NULL },
    { "header_length", 200, NULL },
    { "incompatible_features", 1ULL << 5,
      "Unsupported qcow2 feature(s): Unknown incompatible feature: 20" },
    { "incompatible_features", QCOW2_INCOMPAT_COMPRESSION,
      "qcow2: Compression type incompatible feature bit must not be set" },
    { "incompatible_features", QCOW2_INCOMPAT_DIRTY, NULL },
    { "incompatible_features", QCOW2_INCOMPAT_CORRUPT, NULL },
    { "compression_type", 1,
      "qcow2: Compression type incompatible feature bit must be set" },
    { "compression_type", 2, "qcow2: unknown compression type: 2" },
    { "refcount_order", 7,
      "Reference count entry width too large; may not exceed 64 bits" },
    { "refcount_order", 0, NULL },
    { "refcount_order", 6, NULL },
    { "crypt_method", 3, "Unsupported encryption method 3" },
    { "crypt_method", 1,
      "Encrypted qcow2 images are not supported (encryption method 1)" },
    { "crypt_method", 2,
      "Encrypted qcow2 images are not supported (encryption method 2)" },
    { "size", 1ULL << 63, "Image is too big" },
    { "size", 2 * MiB + 1, "L1 table is too small" },
    { "l1_size", 0x2000001, "Active L1 table too large" },
    { "l1_size", 0x1000000, "Active L1 table too large" },
    { "l1_size", 0, "L1 table is too small" },
    { "l1_table_offset", 3 * CS + 1, "Active L1 table offset invalid" },
    { "l1_table_offset", INT64_MAX - 4, "Active L1 table offset invalid" },
    { "l1_table_offset", 100 * CS,
      "Active L1 table exceeds the end of the image file" },
    { "l1_table_offset", 0, "Active L1 table overlaps the image header" },
    { "l1_table_offset", CS,
      "Reference count table overlaps the active L1 table" },
    { "refcount_table_offset", CS + 1,
      "Reference count table offset invalid" },
    { "refcount_table_clusters", 1 << 24, "Reference count table too large" },
    { "refcount_table_clusters", 0,
      "Image does not contain a reference count table" },
    { "refcount_table_offset", 1ULL << 50,
      "Reference count table exceeds the end of the image file" },
    { "nb_snapshots", 70000, "Snapshot table too large" },
    { "backing_file_offset", CS + 8, "Invalid backing file offset" },
};

static void test_header_validate(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(header_cases); i++) {
        const HeaderCase *c = &header_cases[i];
        Error *err = NULL;
        QCowHeader h;
        bool ok;

        default_header(&h);
        set_field(&h, c->field, c->value);
        ok = qcow2_header_validate(&h, NULL, IMG_LEN, &err);
        if (g_test_verbose()) {
            g_test_message("%s=%#" PRIx64 ": %s", c->field, c->value,
                           err ? error_get_pretty(err) : "ok");
        }
        g_assert_cmpint(ok, ==, !c->msg);
        if (c->msg) {
            g_assert_cmpstr(error_get_pretty(err), ==, c->msg);
            error_free(err);
            err = NULL;
        }
    }
}

static void test_header_validate_more(void)
{
    QCowHeader h;
    Error *err = NULL;

    /* Snapshot table: alignment and overlap with the other tables. */
    default_header(&h);
    h.nb_snapshots = 1;
    h.snapshots_offset = 4 * CS + 1;
    g_assert(!qcow2_header_validate(&h, NULL, IMG_LEN, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Snapshot table offset invalid");
    error_free(err);
    err = NULL;
    h.snapshots_offset = 3 * CS;
    g_assert(!qcow2_header_validate(&h, NULL, IMG_LEN, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Snapshot table overlaps the active L1 table");
    error_free(err);
    err = NULL;
    /* Without a file size, past-EOF tables are not checked. */
    default_header(&h);
    h.l1_table_offset = 1000 * CS;
    g_assert(qcow2_header_validate(&h, NULL, 0, &error_abort));
    /* The backing file name must fit in the first cluster. */
    default_header(&h);
    h.backing_file_offset = CS - 8;
    h.backing_file_size = 16;
    g_assert(!qcow2_header_validate(&h, NULL, IMG_LEN, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Backing file name too long");
    error_free(err);
    err = NULL;
    /* Version 2 passes with v3 defaults, extended L2 needs big clusters. */
    default_header(&h);
    h.version = 2;
    h.header_length = 72;
    g_assert(qcow2_header_validate(&h, NULL, IMG_LEN, &error_abort));
    default_header(&h);
    h.incompatible_features = QCOW2_INCOMPAT_EXTL2;
    g_assert(!qcow2_header_validate(&h, NULL, IMG_LEN, &err));
    error_free_or_abort(&err);
}

static void test_header_feature_names(void)
{
    g_autofree uint8_t *img = build_image();
    g_autoptr(Qcow2Extensions) ext = NULL;
    uint8_t feat[96] = { 0, 1, 'c', 'o', 'r', 'r', 'u', 'p', 't', ' ', 'b',
                         'i', 't' };
    Error *err = NULL;
    QCowHeader h;

    g_assert(qcow2_header_unpack(img, IMG_LEN, &h, &error_abort));
    ext = qcow2_extensions_unpack(&h, img, IMG_LEN, &error_abort);
    /* As QEMU: names from the table in table order, then the rest. */
    feat[1] = 5;
    memcpy(feat + 48, "\0\x07seven", 7);
    g_assert(qcow2_extensions_set(ext, QCOW2_EXT_FEATURE_TABLE, feat, 96,
                                  &error_abort));
    g_assert_cmpstr(qcow2_feature_name(ext, QCOW2_FEAT_TYPE_INCOMPATIBLE, 7),
                    ==, "seven");
    g_assert_null(qcow2_feature_name(ext, QCOW2_FEAT_TYPE_COMPATIBLE, 7));
    h.incompatible_features = (1 << 5) | (1 << 6) | (1 << 7);
    g_assert(!qcow2_header_validate(&h, ext, IMG_LEN, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Unsupported qcow2 feature(s): corrupt bit, seven, "
                    "Unknown incompatible feature: 40");
    error_free(err);
    err = NULL;
}

static void test_geometry(void)
{
    QCowHeader h;
    Qcow2Geometry g;

    default_header(&h);
    h.cluster_bits = 16;
    qcow2_geometry_init(&g, &h);
    g_assert_cmpuint(g.l2_size, ==, 8192);
    g_assert_cmpuint(g.csize_shift, ==, 54);
    g_assert_cmpuint(g.refcount_block_entries, ==, 32768);
    g_assert_cmpuint(qcow2_l1_size_needed(&g, 1 * GiB), ==, 2);
    g_assert_cmpuint(qcow2_l1_size_needed(&g, 1 * GiB + 1), ==, 3);
    g_assert_cmpuint(qcow2_l1_size_needed(&g, 0), ==, 0);
    h.incompatible_features = QCOW2_INCOMPAT_EXTL2;
    qcow2_geometry_init(&g, &h);
    g_assert_cmpuint(g.l2_size, ==, 4096);
    g_assert_cmpuint(g.l2_entry_size, ==, 16);
    g_assert_cmpuint(qcow2_l1_size_needed(&g, 1 * GiB), ==, 4);
}

static void test_backing_file_name(void)
{
    uint8_t buf[CS] = { 0 };
    g_autofree char *name = NULL;
    Error *err = NULL;
    QCowHeader h;

    default_header(&h);
    g_assert(qcow2_read_backing_file_name(&h, buf, sizeof(buf), &name,
                                          &error_abort));
    g_assert_null(name);
    h.backing_file_offset = 0x200;
    h.backing_file_size = 8;
    memcpy(buf + 0x200, "base.img", 8);
    g_assert(qcow2_read_backing_file_name(&h, buf, sizeof(buf), &name,
                                          &error_abort));
    g_assert_cmpstr(name, ==, "base.img");
    g_free(g_steal_pointer(&name));
    h.backing_file_offset = CS - 4;
    g_assert(!qcow2_read_backing_file_name(&h, buf, sizeof(buf), &name,
                                           &err));
    error_free_or_abort(&err);
}

static void test_extensions_roundtrip(void)
{
    g_autofree uint8_t *img = build_image();
    g_autofree uint8_t *out = g_malloc0(CS);
    g_autoptr(Qcow2Extensions) ext = NULL;
    Qcow2Extension *e;
    QCowHeader h;
    int64_t n;

    g_assert(qcow2_header_unpack(img, IMG_LEN, &h, &error_abort));
    ext = qcow2_extensions_unpack(&h, img, IMG_LEN, &error_abort);
    g_assert_cmpuint(ext->list->len, ==, 2);
    g_assert_cmpuint(ext->nb_features, ==, 1);
    g_assert_cmpstr(ext->features[0].name, ==, "corrupt");
    e = g_ptr_array_index(ext->list, 1);
    g_assert_cmphex(e->magic, ==, 0x12345678);
    g_assert_cmpuint(e->len, ==, 5);
    g_assert(memcmp(e->data, "hello", 5) == 0);
    n = qcow2_extensions_pack(ext, out, CS - 112, &error_abort);
    g_assert_cmpint(n, ==, 80);
    g_assert(memcmp(out, img + 112, n) == 0);

    /* Setting a known one keeps order and refreshes the view. */
    g_assert(qcow2_extensions_set(ext, QCOW2_EXT_BACKING_FORMAT, "raw", 3,
                                  &error_abort));
    g_assert_cmpstr(ext->backing_format, ==, "raw");
    g_assert(qcow2_extensions_set(ext, QCOW2_EXT_BACKING_FORMAT, "qcow2", 5,
                                  &error_abort));
    g_assert_cmpstr(ext->backing_format, ==, "qcow2");
    g_assert_cmpuint(ext->list->len, ==, 3);
    g_assert(qcow2_extensions_set(ext, QCOW2_EXT_DATA_FILE, "d.raw", 5,
                                  &error_abort));
    g_assert_cmpstr(ext->data_file, ==, "d.raw");
    g_assert_cmpint(qcow2_extensions_pack(ext, out, 100, NULL), ==, -ENOSPC);
}

static void test_extensions_errors(void)
{
    g_autofree uint8_t *img = build_image();
    g_autoptr(Qcow2Extensions) ext = qcow2_extensions_new();
    uint8_t bm[24] = { 0 };
    Qcow2Extensions *bad;
    Error *err = NULL;
    QCowHeader h;

    g_assert(qcow2_header_unpack(img, IMG_LEN, &h, &error_abort));
    /* An extension longer than what is left of the cluster. */
    st32(img + 112 + 4, CS);
    bad = qcow2_extensions_unpack(&h, img, IMG_LEN, &err);
    g_assert_null(bad);
    g_assert_cmpstr(error_get_pretty(err), ==, "Header extension too large");
    error_free(err);
    err = NULL;
    /* A backing file name cuts the extension area short. */
    st32(img + 112 + 4, 48);
    h.backing_file_offset = 150;
    bad = qcow2_extensions_unpack(&h, img, IMG_LEN, &err);
    g_assert_null(bad);
    error_free_or_abort(&err);
    /* No room even for an extension header: the end is implied. */
    h.backing_file_offset = 116;
    bad = qcow2_extensions_unpack(&h, img, IMG_LEN, &err);
    g_assert_null(bad);
    error_free_or_abort(&err);
    h.backing_file_offset = 112;
    bad = qcow2_extensions_unpack(&h, img, IMG_LEN, &error_abort);
    g_assert_cmpuint(bad->list->len, ==, 0);
    qcow2_extensions_free(bad);

    g_assert(!qcow2_extensions_set(ext, QCOW2_EXT_BACKING_FORMAT,
                                   "0123456789abcdef", 16, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "ERROR: ext_backing_format: "
                    "len=16 too large (>=16)");
    error_free(err);
    err = NULL;
    g_assert(!qcow2_extensions_set(ext, QCOW2_EXT_BITMAPS, bm, 20, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "bitmaps_ext: Invalid extension length");
    error_free(err);
    err = NULL;
    g_assert(!qcow2_extensions_set(ext, QCOW2_EXT_BITMAPS, bm, 24, &err));
    error_free_or_abort(&err);
    st32(bm, 3);
    st64(bm + 16, 0x30000);
    g_assert(qcow2_extensions_set(ext, QCOW2_EXT_BITMAPS, bm, 24,
                                  &error_abort));
    g_assert(ext->has_bitmaps);
    g_assert_cmpuint(ext->nb_bitmaps, ==, 3);
    g_assert_cmphex(ext->bitmap_directory_offset, ==, 0x30000);
    st32(bm + 4, 1);
    g_assert(!qcow2_extensions_set(ext, QCOW2_EXT_BITMAPS, bm, 24, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "bitmaps_ext: Reserved field is not zero");
    error_free(err);
    err = NULL;
    g_assert(!qcow2_extensions_set(ext, QCOW2_EXT_CRYPTO, bm, 8, &err));
    error_free_or_abort(&err);
    g_assert(qcow2_extensions_set(ext, QCOW2_EXT_CRYPTO, bm + 8, 16,
                                  &error_abort));
    g_assert(ext->has_crypto);
    g_assert(!qcow2_extensions_set(ext, QCOW2_EXT_END, "", 0, &err));
    error_free_or_abort(&err);
}

static void geometry_for(Qcow2Geometry *g, unsigned cluster_bits,
                         unsigned version, bool extl2)
{
    QCowHeader h;

    default_header(&h);
    h.cluster_bits = cluster_bits;
    h.version = version;
    h.incompatible_features = extl2 ? QCOW2_INCOMPAT_EXTL2 : 0;
    qcow2_geometry_init(g, &h);
}

static void test_l1_entry(void)
{
    Qcow2Geometry g;
    uint64_t off;
    bool copied;
    Error *err = NULL;

    geometry_for(&g, 16, 3, false);
    g_assert_cmphex(qcow2_l1_entry_encode(0x50000, true), ==,
                    0x8000000000050000ULL);
    g_assert(qcow2_l1_entry_decode(&g, 0x8000000000050000ULL, &off, &copied,
                                   &error_abort));
    g_assert_cmphex(off, ==, 0x50000);
    g_assert(copied);
    g_assert(qcow2_l1_entry_decode(&g, 0, &off, &copied, &error_abort));
    g_assert_cmphex(off, ==, 0);
    g_assert(!qcow2_l1_entry_decode(&g, 0x50001, &off, &copied, &err));
    error_free_or_abort(&err);
    g_assert(!qcow2_l1_entry_decode(&g, 1ULL << 60, &off, &copied, &err));
    error_free_or_abort(&err);
    g_assert(!qcow2_l1_entry_decode(&g, 0x50200, &off, &copied, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "L2 table offset 0x50200 unaligned");
    error_free(err);
    err = NULL;
}

static void test_l2_entry_standard(void)
{
    Qcow2Geometry g;
    Qcow2L2Entry e;
    Error *err = NULL;

    geometry_for(&g, 16, 3, false);
    g_assert(qcow2_l2_entry_decode(&g, 0, 0, &e, &error_abort));
    g_assert_cmpint(e.type, ==, QCOW2_CLUSTER_UNALLOCATED);
    g_assert(qcow2_l2_entry_decode(&g, 1, 0, &e, &error_abort));
    g_assert_cmpint(e.type, ==, QCOW2_CLUSTER_ZERO_PLAIN);
    g_assert(qcow2_l2_entry_decode(&g, 0x8000000000070001ULL, 0, &e,
                                   &error_abort));
    g_assert_cmpint(e.type, ==, QCOW2_CLUSTER_ZERO_ALLOC);
    g_assert_cmphex(e.host_offset, ==, 0x70000);
    g_assert(e.copied);
    g_assert(qcow2_l2_entry_decode(&g, 0x70000, 0, &e, &error_abort));
    g_assert_cmpint(e.type, ==, QCOW2_CLUSTER_NORMAL);
    g_assert(!e.copied);
    g_assert_cmphex(qcow2_l2_entry_encode(&g, QCOW2_CLUSTER_NORMAL, 0x70000,
                                          0, true), ==,
                    0x8000000000070000ULL);
    g_assert_cmphex(qcow2_l2_entry_encode(&g, QCOW2_CLUSTER_ZERO_ALLOC,
                                          0x70000, 0, false), ==, 0x70001);
    g_assert_cmphex(qcow2_l2_entry_encode(&g, QCOW2_CLUSTER_ZERO_PLAIN, 0, 0,
                                          false), ==, 1);
    g_assert_cmphex(qcow2_l2_entry_encode(&g, QCOW2_CLUSTER_UNALLOCATED, 0,
                                          0, false), ==, 0);
    /* Misaligned data, reserved bits, zero flag in version 2. */
    g_assert(!qcow2_l2_entry_decode(&g, 0x70200, 0, &e, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Cluster allocation offset 0x70200 unaligned");
    error_free(err);
    err = NULL;
    g_assert(!qcow2_l2_entry_decode(&g, 0x70002, 0, &e, &err));
    error_free_or_abort(&err);
    g_assert(!qcow2_l2_entry_decode(&g, (1ULL << 56) | 0x70000, 0, &e, &err));
    error_free_or_abort(&err);
    geometry_for(&g, 16, 2, false);
    g_assert(!qcow2_l2_entry_decode(&g, 1, 0, &e, &err));
    error_free_or_abort(&err);
}

static void test_l2_entry_compressed(void)
{
    unsigned cb;

    for (cb = QCOW2_MIN_CLUSTER_BITS; cb <= QCOW2_MAX_CLUSTER_BITS; cb++) {
        Qcow2Geometry g;
        Qcow2L2Entry e;
        uint64_t max_sectors, entry;

        geometry_for(&g, cb, 3, false);
        g_assert_cmpuint(g.csize_shift, ==, 62 - (cb - 8));
        max_sectors = g.csize_mask + 1;
        /* Compressed data may start anywhere, even mid-sector. */
        entry = qcow2_l2_entry_encode(&g, QCOW2_CLUSTER_COMPRESSED,
                                      0x123456789aULL, max_sectors, false);
        g_assert(qcow2_l2_entry_decode(&g, entry, 0, &e, &error_abort));
        g_assert_cmpint(e.type, ==, QCOW2_CLUSTER_COMPRESSED);
        g_assert_cmphex(e.host_offset, ==, 0x123456789aULL);
        g_assert_cmphex(e.compressed_end, ==,
                        0x1234567800ULL + max_sectors * 512);
        g_assert_cmpuint(e.compressed_size, ==, max_sectors * 512 - 0x9a);
        entry = qcow2_l2_entry_encode(&g, QCOW2_CLUSTER_COMPRESSED, 0x400, 1,
                                      false);
        g_assert(qcow2_l2_entry_decode(&g, entry, 0, &e, &error_abort));
        g_assert_cmpuint(e.compressed_size, ==, 512);
        g_assert(!qcow2_l2_entry_decode(&g, entry | QCOW2_OFLAG_COPIED, 0,
                                        &e, NULL));
    }
}

static void test_l2_entry_extended(void)
{
    Qcow2Geometry g;
    Qcow2L2Entry e;
    uint8_t table[32] = { 0 };
    uint64_t entry, bitmap;
    Error *err = NULL;

    geometry_for(&g, 16, 3, true);
    st64(table + 16, 0x70000);
    st64(table + 24, 0x0000000f000000f0ULL);
    qcow2_l2_entry_at(&g, table, 1, &entry, &bitmap);
    g_assert_cmphex(entry, ==, 0x70000);
    g_assert(qcow2_l2_entry_decode(&g, entry, bitmap, &e, &error_abort));
    g_assert_cmpint(e.type, ==, QCOW2_CLUSTER_NORMAL);
    g_assert_cmphex(e.alloc_bitmap, ==, 0xf0);
    g_assert_cmphex(e.zero_bitmap, ==, 0xf);
    /* Unallocated cluster that reads as zeroes in places. */
    g_assert(qcow2_l2_entry_decode(&g, 0, 0xffffffff00000000ULL, &e,
                                   &error_abort));
    g_assert_cmpint(e.type, ==, QCOW2_CLUSTER_UNALLOCATED);
    g_assert_cmphex(e.zero_bitmap, ==, 0xffffffff);
    g_assert(!qcow2_l2_entry_decode(&g, 0x70000, 0x100000001ULL, &e, &err));
    error_free_or_abort(&err);
    g_assert(!qcow2_l2_entry_decode(&g, 0, 1, &e, &err));
    error_free_or_abort(&err);
    g_assert(!qcow2_l2_entry_decode(&g, 0x70001, 0, &e, &err));
    error_free_or_abort(&err);
    g_assert(!qcow2_l2_entry_decode(&g, QCOW2_OFLAG_COMPRESSED, 1, &e, &err));
    error_free_or_abort(&err);
}

static void test_refcount_entries(void)
{
    unsigned order;

    for (order = 0; order <= 6; order++) {
        g_autofree uint8_t *block = g_malloc0(512);
        uint64_t entries = 512 * 8 >> order, max = qcow2_refcount_max(order);
        uint64_t i;
        Error *err = NULL;

        for (i = 0; i < entries; i++) {
            g_assert(qcow2_refcount_set(block, i, order, (i * 37) & max,
                                        &error_abort));
        }
        for (i = 0; i < entries; i++) {
            g_assert_cmphex(qcow2_refcount_get(block, i, order), ==,
                            (i * 37) & max);
        }
        g_assert(qcow2_refcount_set(block, 5, order, max, &error_abort));
        g_assert(!qcow2_refcount_add(block, 5, order, 1, &err));
        error_free_or_abort(&err);
        g_assert_cmphex(qcow2_refcount_get(block, 5, order), ==, max);
        g_assert(qcow2_refcount_set(block, 5, order, 0, &error_abort));
        g_assert(!qcow2_refcount_add(block, 5, order, -1, &err));
        error_free_or_abort(&err);
        g_assert(qcow2_refcount_add(block, 5, order, 1, &error_abort));
        g_assert_cmpuint(qcow2_refcount_get(block, 5, order), ==, 1);
        g_assert(qcow2_refcount_add(block, 5, order, -1, &error_abort));
        g_assert_cmpuint(qcow2_refcount_get(block, 5, order), ==, 0);
        if (order < 6) {
            g_assert(!qcow2_refcount_set(block, 5, order, max + 1, &err));
            error_free_or_abort(&err);
        }
    }
}

static void test_refcount_layout(void)
{
    uint8_t block[16] = { 0 };

    /* Narrow entries start at the least significant bit of each byte. */
    qcow2_refcount_set(block, 0, 0, 1, &error_abort);
    qcow2_refcount_set(block, 9, 0, 1, &error_abort);
    g_assert_cmphex(block[0], ==, 0x01);
    g_assert_cmphex(block[1], ==, 0x02);
    memset(block, 0, sizeof(block));
    qcow2_refcount_set(block, 1, 2, 0xa, &error_abort);
    g_assert_cmphex(block[0], ==, 0xa0);
    /* Wide entries are big-endian. */
    memset(block, 0, sizeof(block));
    qcow2_refcount_set(block, 1, 4, 0x1234, &error_abort);
    g_assert_cmphex(block[2], ==, 0x12);
    g_assert_cmphex(block[3], ==, 0x34);
    qcow2_refcount_set(block, 1, 6, 0x0102030405060708ULL, &error_abort);
    g_assert_cmphex(block[8], ==, 0x01);
    g_assert_cmphex(block[15], ==, 0x08);
}

static void test_refcount_sizing(void)
{
    uint64_t b, t;
    /* qemu-img measure: size, cluster size, refcount bits, extl2, full. */
    static const struct {
        uint64_t size;
        unsigned cb, order;
        bool extl2;
        uint64_t full;
    } m[] = {
        { 1 * GiB, 16, 4, false, 1074135040 },
        { 1 * GiB, 9, 4, false, 1095127040 },
        { 100 * MiB, 12, 0, false, 105078784 },
        { 1 * TiB, 16, 6, false, 1099780325376ULL },
        { 10 * GiB, 21, 4, false, 10747904000ULL },
        { 0, 16, 4, false, 196608 },
        { 1 * GiB, 16, 4, true, 1074266112 },
    };
    size_t i;

    /* One block covers itself and the table: 32768 entries of 16 bits. */
    qcow2_refcount_metadata_clusters(1, 16, 4, &b, &t);
    g_assert_cmpuint(b, ==, 1);
    g_assert_cmpuint(t, ==, 1);
    qcow2_refcount_metadata_clusters(32766, 16, 4, &b, &t);
    g_assert_cmpuint(b, ==, 1);
    qcow2_refcount_metadata_clusters(32767, 16, 4, &b, &t);
    g_assert_cmpuint(b, ==, 2);
    /* 512-byte clusters with 64-bit refcounts: 64 per block, 64 per table. */
    qcow2_refcount_metadata_clusters(64 * 64, 9, 6, &b, &t);
    g_assert_cmpuint(t, ==, 2);
    g_assert_cmpuint(b * 64, >=, 64 * 64 + b + t);
    for (i = 0; i < ARRAY_SIZE(m); i++) {
        g_assert_cmpuint(qcow2_calc_metadata_size(m[i].size, m[i].cb,
                                                  m[i].order, m[i].extl2) +
                         ROUND_UP(m[i].size, 1ULL << m[i].cb), ==, m[i].full);
    }
}

static QCowSnapshot make_snapshot(const char *id, const char *name,
                                  uint32_t extra)
{
    QCowSnapshot sn = {
        .l1_table_offset = 0x30000, .l1_size = 2,
        .id_str = g_strdup(id), .name = g_strdup(name),
        .date_sec = 1700000000, .date_nsec = 5, .vm_clock_nsec = 123456789,
        .vm_state_size = extra >= 8 ? 0x100000000ULL : 77,
        .disk_size = extra >= 16 ? 1 * GiB : 0,
        .icount = extra >= 24 ? 99 : -1ULL,
        .extra_data_size = extra, .extra_data = g_malloc0(extra + 1),
    };

    return sn;
}

static void test_snapshot_roundtrip(void)
{
    QCowSnapshot *sn = g_new0(QCowSnapshot, 3), *back;
    g_autofree uint8_t *buf = NULL;
    g_autofree uint8_t *buf2 = NULL;
    Qcow2Geometry g;
    size_t len, len2;
    int i;

    geometry_for(&g, 16, 3, false);
    sn[0] = make_snapshot("1", "first", 16);
    sn[1] = make_snapshot("2", "a longer snapshot name", 24);
    sn[2] = make_snapshot("3", "", 0);
    buf = qcow2_snapshot_table_pack(sn, 3, &len);
    g_assert_cmpuint(len % 8, ==, 0);
    g_assert_cmpuint(len, ==, qcow2_snapshot_table_size(sn, 3));
    back = qcow2_snapshot_table_unpack(&g, buf, len, 3, &error_abort);
    for (i = 0; i < 3; i++) {
        g_assert_cmpstr(back[i].id_str, ==, sn[i].id_str);
        g_assert_cmpstr(back[i].name, ==, sn[i].name);
        g_assert_cmphex(back[i].vm_state_size, ==, sn[i].vm_state_size);
        g_assert_cmpuint(back[i].disk_size, ==, sn[i].disk_size);
        g_assert_cmpuint(back[i].icount, ==, sn[i].icount);
        g_assert_cmpuint(back[i].vm_clock_nsec, ==, 123456789);
        g_assert_cmpuint(back[i].l1_size, ==, 2);
    }
    buf2 = qcow2_snapshot_table_pack(back, 3, &len2);
    g_assert_cmpuint(len2, ==, len);
    g_assert(memcmp(buf, buf2, len) == 0);
    qcow2_snapshots_free(back, 3);
    qcow2_snapshots_free(sn, 3);
}

static void test_snapshot_errors(void)
{
    QCowSnapshot *sn = g_new0(QCowSnapshot, 1);
    g_autofree uint8_t *buf = NULL;
    Qcow2Geometry g;
    Error *err = NULL;
    size_t len;

    geometry_for(&g, 16, 3, false);
    sn[0] = make_snapshot("1", "x", 16);
    buf = qcow2_snapshot_table_pack(sn, 1, &len);
    g_assert_null(qcow2_snapshot_table_unpack(&g, buf, len - 8, 1, &err));
    error_free_or_abort(&err);
    g_assert_null(qcow2_snapshot_table_unpack(&g, buf, len, 2, &err));
    error_free_or_abort(&err);
    g_assert_null(qcow2_snapshot_table_unpack(&g, buf, len, 70000, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Snapshot table too large");
    error_free(err);
    err = NULL;
    st64(buf, 0x30001);
    g_assert_null(qcow2_snapshot_table_unpack(&g, buf, len, 1, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Snapshot L1 table offset invalid");
    error_free(err);
    err = NULL;
    st64(buf, 0x30000);
    st32(buf + 8, 0x1000000);
    g_assert_null(qcow2_snapshot_table_unpack(&g, buf, len, 1, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Snapshot L1 table too large");
    error_free(err);
    err = NULL;
    st32(buf + 8, 2);
    st32(buf + 36, 2000);
    g_assert_null(qcow2_snapshot_table_unpack(&g, buf, len, 1, &err));
    error_free_or_abort(&err);
    qcow2_snapshots_free(sn, 1);
}

static void check_counts(const uint8_t *img, size_t len, uint64_t corrupt,
                         uint64_t leaks)
{
    Qcow2CheckResult res;

    g_assert(qcow2_check_image_buffer(img, len, &res, &error_abort));
    g_assert_cmpuint(res.corruptions, ==, corrupt);
    g_assert_cmpuint(res.leaks, ==, leaks);
}

static void test_check_buffer(void)
{
    g_autofree uint8_t *img = build_image();
    Qcow2CheckResult res;
    Error *err = NULL;

    g_assert(qcow2_check_image_buffer(img, IMG_LEN, &res, &error_abort));
    g_assert_cmpuint(res.corruptions, ==, 0);
    g_assert_cmpuint(res.leaks, ==, 0);
    g_assert_cmpuint(res.allocated_clusters, ==, 1);
    g_assert_cmpuint(res.total_clusters, ==, 256);
    g_assert_cmpuint(res.image_end_offset, ==, IMG_LEN);

    /* An extra cluster with a refcount but no reference leaks. */
    img = g_realloc(img, IMG_LEN + CS);
    memset(img + IMG_LEN, 0, CS);
    qcow2_refcount_set(img + 2 * CS, NB_CLUSTERS, 4, 1, &error_abort);
    check_counts(img, IMG_LEN + CS, 0, 1);
    /*
     * A second reference to the data cluster without refcount 2; the new
     * entry also lacks COPIED while the stored refcount is 1.
     */
    st64(img + 4 * CS + 8, 5 * CS);
    check_counts(img, IMG_LEN + CS, 2, 1);
    st64(img + 4 * CS + 8, 0);
    /* COPIED flag while the refcount is 2. */
    qcow2_refcount_set(img + 2 * CS, 5, 4, 2, &error_abort);
    check_counts(img, IMG_LEN + CS, 1, 2);
    qcow2_refcount_set(img + 2 * CS, 5, 4, 1, &error_abort);
    /* Data past the end of the buffer. */
    st64(img + 4 * CS + 16, 100 * CS);
    check_counts(img, IMG_LEN + CS, 1, 1);
    /*
     * Misaligned data counts, and is then used as qemu-img check does:
     * its cluster range ends less than a cluster past the end of the
     * file, so it references cluster 6 (no more a leak; refcount 1, so
     * the missing COPIED flag is an error) and cluster 7 past the end,
     * which has no refcount.
     */
    st64(img + 4 * CS + 16, 6 * CS + 512);
    check_counts(img, IMG_LEN + CS, 3, 0);
    st64(img + 4 * CS + 16, 0);
    st64(img + 3 * CS, ld64(img + 3 * CS) | 1);
    g_assert(qcow2_check_image_buffer(img, IMG_LEN + CS, &res, &error_abort));
    g_assert_cmpuint(res.corruptions, >=, 1);
    /* Unreadable header extensions are a corruption, not a stop. */
    st64(img + 3 * CS, ld64(img + 3 * CS) & ~1ULL);
    st32(img + 112 + 4, CS);
    check_counts(img, IMG_LEN + CS, 1, 1);
    /* A header that does not validate stops the check. */
    img[0] = 0;
    g_assert(!qcow2_check_image_buffer(img, IMG_LEN + CS, &res, &err));
    error_free_or_abort(&err);
}

/* Every outcome is fine except a crash, a hang or a leak. */
static void exercise(const uint8_t *img, size_t len)
{
    g_autoptr(Qcow2Extensions) ext = NULL;
    g_autofree char *backing = NULL;
    Qcow2CheckResult res;
    QCowHeader h;

    if (!qcow2_header_unpack(img, len, &h, NULL)) {
        return;
    }
    ext = qcow2_extensions_unpack(&h, img, len, NULL);
    if (qcow2_header_validate(&h, ext, len, NULL)) {
        qcow2_read_backing_file_name(&h, img, len, &backing, NULL);
    }
    qcow2_check_image_buffer(img, len, &res, NULL);
}

static void test_hostile_random(void)
{
    g_autofree uint8_t *orig = build_image();
    g_autofree uint8_t *img = g_malloc(IMG_LEN);
    GRand *rand = g_rand_new_with_seed(0x51f1);
    int i, j;

    for (i = 0; i < 20000; i++) {
        int flips = g_rand_int_range(rand, 1, 8);

        memcpy(img, orig, IMG_LEN);
        for (j = 0; j < flips; j++) {
            /* Mostly the header and extensions, sometimes the tables. */
            uint32_t pos = g_rand_boolean(rand)
                ? g_rand_int_range(rand, 0, 200)
                : g_rand_int_range(rand, 0, IMG_LEN);

            img[pos] = g_rand_int_range(rand, 0, 256);
        }
        exercise(img, g_rand_int_range(rand, 72, IMG_LEN + 1));
    }
    g_rand_free(rand);
}

static void test_hostile_targeted(void)
{
    static const struct {
        unsigned off, width;
        uint64_t value;
    } t[] = {
        { 36, 4, 0xffffffff }, { 36, 4, 0x400000 },     /* l1_size */
        { 40, 8, 0 }, { 40, 8, 0xfffffffffffff000ULL }, /* l1 offset */
        { 48, 8, 3 * CS }, { 48, 8, -1ULL },           /* reftable */
        { 56, 4, 0xffffffff }, { 56, 4, 2048 },
        { 60, 4, 65536 }, { 64, 8, 3 * CS },           /* snapshots */
        { 60, 4, 1 }, { 64, 8, 0 },
        { 100, 4, 72 }, { 100, 4, CS }, { 100, 4, 0xffffffff },
        { 116, 4, 0xffffffff }, { 116, 4, CS - 120 },   /* ext length */
        { 112, 4, QCOW2_EXT_BITMAPS }, { 112, 4, QCOW2_EXT_CRYPTO },
        { 112, 4, QCOW2_EXT_BACKING_FORMAT },
        { 8, 8, 120 }, { 16, 4, 0xffffffff },           /* backing file */
        { 24, 8, -1ULL }, { 20, 4, 21 }, { 20, 4, 9 },
        { 96, 4, 0 }, { 96, 4, 6 },
        { 3 * CS, 8, 0x8000000000000000ULL | 3 * CS },  /* L1 -> L1 */
        { 3 * CS, 8, 0x00fffffffffffe00ULL },
        { 4 * CS, 8, QCOW2_OFLAG_COMPRESSED | 0x3fffffffffffffffULL },
        { 4 * CS, 8, QCOW2_OFLAG_COMPRESSED },
        { CS, 8, 0xfffffffffffffe00ULL }, { CS, 8, 0 },  /* reftable */
    };
    g_autofree uint8_t *orig = build_image();
    g_autofree uint8_t *img = g_malloc(IMG_LEN);
    size_t i;

    for (i = 0; i < ARRAY_SIZE(t); i++) {
        memcpy(img, orig, IMG_LEN);
        if (t[i].width == 8) {
            st64(img + t[i].off, t[i].value);
        } else {
            st32(img + t[i].off, t[i].value);
        }
        exercise(img, IMG_LEN);
        exercise(img, 112);
    }
}

/* Each header field in turn takes edge values and random ones. */
static void test_hostile_fields(void)
{
    static const struct {
        unsigned off, width;
    } fields[] = {
        { 0, 4 }, { 4, 4 }, { 8, 8 }, { 16, 4 }, { 20, 4 }, { 24, 8 },
        { 32, 4 }, { 36, 4 }, { 40, 8 }, { 48, 8 }, { 56, 4 }, { 60, 4 },
        { 64, 8 }, { 72, 8 }, { 80, 8 }, { 88, 8 }, { 96, 4 }, { 100, 4 },
        { 104, 1 }, { 112, 4 }, { 116, 4 },
    };
    static const uint64_t edges[] = {
        0, 1, 7, 8, 9, 12, 21, 22, 63, 64, 72, 104, 112, CS - 1, CS, CS + 1,
        2 * CS, 3 * CS, IMG_LEN, IMG_LEN + 8, 0x7fffffff, 0x80000000,
        0xffffffff, INT64_MAX, 1ULL << 63, UINT64_MAX,
    };
    g_autofree uint8_t *orig = build_image();
    g_autofree uint8_t *img = g_malloc(IMG_LEN);
    GRand *rand = g_rand_new_with_seed(0x9c0);
    size_t f, i;

    for (f = 0; f < ARRAY_SIZE(fields); f++) {
        for (i = 0; i < ARRAY_SIZE(edges) + 100; i++) {
            uint64_t v = i < ARRAY_SIZE(edges) ? edges[i]
                : ((uint64_t)g_rand_int(rand) << 32) | g_rand_int(rand);
            unsigned w = fields[f].width, b;

            memcpy(img, orig, IMG_LEN);
            for (b = 0; b < w; b++) {
                img[fields[f].off + b] = v >> (8 * (w - 1 - b));
            }
            exercise(img, IMG_LEN);
        }
    }
    g_rand_free(rand);
}

/*
 * 20000 snapshots whose L1 tables cover most of the file: the check must
 * stay linear in the buffer, not in snapshots times entries (5 billion).
 */
static void test_hostile_snapshot_bomb(void)
{
    const uint32_t nb = 20000, clusters = 512;
    g_autofree uint8_t *orig = build_image();
    g_autofree uint8_t *img = g_malloc0(clusters * CS);
    Qcow2CheckResult res;
    uint32_t i;

    memcpy(img, orig, IMG_LEN);
    st32(img + 60, nb);
    st64(img + 64, 6 * CS);
    for (i = 0; i < nb; i++) {
        uint8_t *e = img + 6 * CS + i * 48;

        st64(e, 3 * CS);
        st32(e + 8, (clusters - 3) * CS / 8);
        e[13] = 1;              /* id_str_size: one byte */
        e[40] = '1';
    }
    g_assert(qcow2_check_image_buffer(img, clusters * CS, &res,
                                      &error_abort));
    /* A walk per snapshot would take minutes and hit the test timeout. */
    g_assert_cmpuint(res.corruptions, >, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qcow2/header/roundtrip", test_header_roundtrip);
    g_test_add_func("/qcow2/header/unpack-short", test_header_unpack_short);
    g_test_add_func("/qcow2/header/validate", test_header_validate);
    g_test_add_func("/qcow2/header/validate-more", test_header_validate_more);
    g_test_add_func("/qcow2/header/feature-names", test_header_feature_names);
    g_test_add_func("/qcow2/header/geometry", test_geometry);
    g_test_add_func("/qcow2/header/backing-file", test_backing_file_name);
    g_test_add_func("/qcow2/ext/roundtrip", test_extensions_roundtrip);
    g_test_add_func("/qcow2/ext/errors", test_extensions_errors);
    g_test_add_func("/qcow2/l1/entry", test_l1_entry);
    g_test_add_func("/qcow2/l2/standard", test_l2_entry_standard);
    g_test_add_func("/qcow2/l2/compressed", test_l2_entry_compressed);
    g_test_add_func("/qcow2/l2/extended", test_l2_entry_extended);
    g_test_add_func("/qcow2/refcount/entries", test_refcount_entries);
    g_test_add_func("/qcow2/refcount/layout", test_refcount_layout);
    g_test_add_func("/qcow2/refcount/sizing", test_refcount_sizing);
    g_test_add_func("/qcow2/snapshot/roundtrip", test_snapshot_roundtrip);
    g_test_add_func("/qcow2/snapshot/errors", test_snapshot_errors);
    g_test_add_func("/qcow2/check/buffer", test_check_buffer);
    g_test_add_func("/qcow2/hostile/random", test_hostile_random);
    g_test_add_func("/qcow2/hostile/targeted", test_hostile_targeted);
    g_test_add_func("/qcow2/hostile/fields", test_hostile_fields);
    g_test_add_func("/qcow2/hostile/snapshot-bomb",
                    test_hostile_snapshot_bomb);
    return g_test_run();
}
