/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 format code against images the real QEMU writes: parse,
 * validate and round-trip them, and compare what we decode with
 * qemu-img map, check and info, and our error sentences with qemu-img's
 * for the same broken headers.  Skips when /usr/bin/qemu-img is absent.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include <sys/wait.h>
#include "block/qcow2-format.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "qobject/qjson.h"

#define QEMU_IMG "/usr/bin/qemu-img"
#define QEMU_IO "/usr/bin/qemu-io"

static char *tmpdir;

typedef struct ImageCase {
    const char *name;
    const char *create;         /* qemu-img create options */
    const char *size;
    const char *io[4];          /* qemu-io commands */
    bool convert_compressed;    /* rewrite with qemu-img convert -c */
    bool backing;               /* on top of a backing file */
    bool snapshots;             /* take two internal snapshots */
    bool bitmaps;               /* add persistent dirty bitmaps */
} ImageCase;

static const ImageCase cases[] = {
    { "v3-64k", "cluster_size=65536", "8M",
      { "write -P 0xaa 0 64k", "write -z 1M 64k", "write -P 0xbb 2M 192k",
        "write -z -u 3M 128k" } },
    { "v2", "compat=0.10", "8M",
      { "write -P 0xaa 0 64k", "write -z 1M 64k", "write -P 1 5M 4k" } },
    { "c512-rc1", "cluster_size=512,refcount_bits=1", "2M",
      { "write -P 0xaa 0 64k", "write -z 100k 2k", "write -P 3 1M 7k" } },
    { "c2m-rc64", "cluster_size=2M,refcount_bits=64", "16M",
      { "write -P 0xaa 0 64k", "write -P 5 6M 3M" } },
    { "rc8-lazy", "refcount_bits=8,lazy_refcounts=on", "8M",
      { "write -P 0xaa 64k 64k", "write -z 0 64k" } },
    { "rc2-c4k", "refcount_bits=2,cluster_size=4096", "4M",
      { "write -P 0xaa 0 1M", "write -P 9 3M 8k" } },
    { "compressed", "cluster_size=65536", "8M",
      { "write -P 0xaa 0 1M", "write -P 0x55 2M 100k" }, true },
    { "compressed-io", "cluster_size=4096", "4M",
      { "write -c -P 0xcc 0 4k", "write -c -P 0xdd 8k 4k",
        "write -P 1 64k 4k" } },
    { "extl2", "extended_l2=on", "8M",
      { "write -P 0xaa 0 4k", "write -z 64k 4k", "write -P 1 200k 8k",
        "write -c -P 2 1M 64k" } },
    { "zstd", "compression_type=zstd", "4M",
      { "write -c -P 7 0 64k" } },
    { "backing", "cluster_size=65536", "8M",
      { "write -P 0x11 64k 64k", "write -z 1M 64k" }, false, true },
    { "snapshots", "cluster_size=65536", "8M",
      { "write -P 0x22 0 128k" }, false, false, true },
    { "bitmaps", "cluster_size=65536", "8M",
      { "write -P 0x33 0 1M", "write -P 0x44 5M 64k" }, false, false, false,
      true },
};

static char *img_path(const char *name)
{
    return g_strdup_printf("%s/%s.qcow2", tmpdir, name);
}

/* Run @argv, which must succeed; return its stdout. */
static char *run(const char *const *argv)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *err = NULL;
    char *out = NULL;
    int status;

    g_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL,
                          NULL, &out, &err, &status, &gerr));
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        g_error("%s failed: %s", argv[0], err);
    }
    return out;
}

/* Run @argv, whatever its exit status; return its stdout. */
static char *run_any(const char *const *argv)
{
    char *out = NULL;
    int status;

    g_assert(g_spawn_sync(NULL, (char **)argv, NULL,
                          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                          &status, NULL));
    return out;
}

/* Run @argv, which must fail; return its stderr. */
static char *run_fail(const char *const *argv)
{
    g_autofree char *out = NULL;
    char *err = NULL;
    int status;

    g_assert(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL,
                          NULL, &out, &err, &status, NULL));
    g_assert(!WIFEXITED(status) || WEXITSTATUS(status));
    return err;
}

static void make_image(const ImageCase *c, const char *path)
{
    g_autofree char *opts = g_strdup(c->create);
    g_autofree char *base = img_path("base-of-backing");
    g_autofree char *raw = g_strdup_printf("%s/%s.raw", tmpdir, c->name);
    const char *target = c->convert_compressed ? raw : path;
    const char *fmt = c->convert_compressed ? "raw" : "qcow2";
    int i;

    if (c->backing) {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                      base, c->size, NULL }));
        g_free(run((const char *[]) { QEMU_IO, "-c", "write -P 0x77 0 2M",
                                      "-f", "qcow2", base, NULL }));
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                      "-o", opts, "-b", base, "-F", "qcow2",
                                      target, NULL }));
    } else if (c->convert_compressed) {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "raw",
                                      raw, c->size, NULL }));
    } else {
        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                      "-o", opts, path, c->size, NULL }));
    }
    if (c->bitmaps) {
        g_free(run((const char *[]) { QEMU_IMG, "bitmap", "--add", target,
                                      "b0", NULL }));
    }
    for (i = 0; i < ARRAY_SIZE(c->io) && c->io[i]; i++) {
        if (c->snapshots) {
            g_autofree char *sn = g_strdup_printf("snap%d", i);

            g_free(run((const char *[]) { QEMU_IMG, "snapshot", "-c", sn,
                                          target, NULL }));
        }
        g_free(run((const char *[]) { QEMU_IO, "-f", fmt, "-c", c->io[i],
                                      target, NULL }));
    }
    if (c->snapshots) {
        g_free(run((const char *[]) { QEMU_IMG, "snapshot", "-c", "last",
                                      target, NULL }));
    }
    if (c->bitmaps) {
        g_free(run((const char *[]) { QEMU_IMG, "bitmap", "--add", "-g",
                                      "4096", target, "b1", NULL }));
    }
    if (c->convert_compressed) {
        g_free(run((const char *[]) { QEMU_IMG, "convert", "-c", "-f", "raw",
                                      "-O", "qcow2", "-o", opts, raw, path,
                                      NULL }));
    }
}

static uint8_t *dup_bytes(const uint8_t *p, size_t len)
{
    uint8_t *copy = g_malloc(len);

    memcpy(copy, p, len);
    return copy;
}

static uint8_t *load(const char *path, size_t *len)
{
    gchar *data;
    gsize n;

    g_assert(g_file_get_contents(path, &data, &n, NULL));
    *len = n;
    return (uint8_t *)data;
}

static uint64_t be64_at(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_BE(v);
}

/* What one guest unit (cluster or subcluster) looks like. */
typedef struct Unit {
    enum { U_UNALLOC, U_ZERO, U_DATA, U_COMPRESSED } kind;
    uint64_t offset;
} Unit;

static Unit classify(const Qcow2Geometry *g, const QCowHeader *h,
                     const uint8_t *img, size_t len, uint64_t guest)
{
    uint64_t cluster = guest >> g->cluster_bits, l2_offset, entry, bitmap;
    uint64_t sub_size = g->cluster_size / 32;
    Qcow2L2Entry e;
    bool copied;

    g_assert(qcow2_l1_entry_decode(g, be64_at(img + h->l1_table_offset +
                                              (cluster >> g->l2_bits) * 8),
                                   &l2_offset, &copied, &error_abort));
    if (!l2_offset) {
        return (Unit) { U_UNALLOC };
    }
    g_assert_cmpuint(l2_offset + g->cluster_size, <=, len);
    qcow2_l2_entry_at(g, img + l2_offset, cluster & (g->l2_size - 1),
                      &entry, &bitmap);
    g_assert(qcow2_l2_entry_decode(g, entry, bitmap, &e, &error_abort));
    if (e.type == QCOW2_CLUSTER_COMPRESSED) {
        return (Unit) { U_COMPRESSED };
    }
    if (g->extended_l2) {
        unsigned sc = (guest % g->cluster_size) / sub_size;

        if (e.alloc_bitmap & (1U << sc)) {
            return (Unit) { U_DATA, e.host_offset + sc * sub_size };
        }
        return (Unit) { e.zero_bitmap & (1U << sc) ? U_ZERO : U_UNALLOC };
    }
    switch (e.type) {
    case QCOW2_CLUSTER_NORMAL:
        return (Unit) { U_DATA, e.host_offset };
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        return (Unit) { U_ZERO };
    default:
        return (Unit) { U_UNALLOC };
    }
}

/* Compare our reading of every guest unit with qemu-img map. */
static void compare_map(const char *path, const QCowHeader *h,
                        const uint8_t *img, size_t len)
{
    g_autofree char *json = run((const char *[]) { QEMU_IMG, "map",
                                 "--output=json", path, NULL });
    QObject *obj = qobject_from_json(json, &error_abort);
    QList *list = qobject_to(QList, obj);
    const QListEntry *le;
    Qcow2Geometry g;
    uint64_t unit;

    qcow2_geometry_init(&g, h);
    unit = g.extended_l2 ? g.cluster_size / 32 : g.cluster_size;
    for (le = qlist_first(list); le; le = qlist_next(le)) {
        QDict *m = qobject_to(QDict, qlist_entry_obj(le));
        uint64_t start = qdict_get_int(m, "start");
        uint64_t length = qdict_get_int(m, "length");
        uint64_t pos;

        g_assert_cmpuint(start % unit, ==, 0);
        for (pos = start; pos < start + length; pos += unit) {
            Unit u = classify(&g, h, img, len, pos);

            if (qdict_get_int(m, "depth") != 0 ||
                !qdict_get_bool(m, "present")) {
                g_assert_cmpint(u.kind, ==, U_UNALLOC);
            } else if (!qdict_get_bool(m, "data")) {
                g_assert_cmpint(u.kind, ==, U_ZERO);
            } else if (qdict_haskey(m, "offset")) {
                g_assert_cmpint(u.kind, ==, U_DATA);
                g_assert_cmphex(u.offset, ==,
                                qdict_get_int(m, "offset") + pos - start);
            } else {
                g_assert_cmpint(u.kind, ==, U_COMPRESSED);
            }
        }
    }
    qobject_unref(obj);
}

static void compare_check(const char *path, const uint8_t *img, size_t len)
{
    g_autofree char *json = run((const char *[]) { QEMU_IMG, "check",
                                 "--output=json", path, NULL });
    QDict *d = qobject_to(QDict, qobject_from_json(json, &error_abort));
    Qcow2CheckResult res;

    g_assert(qcow2_check_image_buffer(img, len, &res, &error_abort));
    g_assert_cmpuint(res.corruptions, ==, 0);
    g_assert_cmpuint(res.leaks, ==, 0);
    g_assert_cmpuint(qdict_get_try_int(d, "corruptions", 0), ==, 0);
    g_assert_cmpuint(qdict_get_try_int(d, "leaks", 0), ==, 0);
    g_assert_cmpuint(res.total_clusters, ==,
                     qdict_get_int(d, "total-clusters"));
    g_assert_cmpuint(res.allocated_clusters, ==,
                     qdict_get_int(d, "allocated-clusters"));
    g_assert_cmpuint(res.compressed_clusters, ==,
                     qdict_get_try_int(d, "compressed-clusters", 0));
    g_assert_cmpuint(res.fragmented_clusters, ==,
                     qdict_get_try_int(d, "fragmented-clusters", 0));
    g_assert_cmpuint(res.image_end_offset, ==,
                     qdict_get_int(d, "image-end-offset"));
    qobject_unref(d);
}

/* Header and extensions pack back to the very bytes QEMU wrote. */
static void check_roundtrip(const QCowHeader *h, const uint8_t *img,
                            size_t len)
{
    g_autoptr(Qcow2Extensions) ext = NULL;
    g_autofree uint8_t *buf = g_malloc0(len);
    int n;
    int64_t m;

    ext = qcow2_extensions_unpack(h, img, len, &error_abort);
    g_assert(qcow2_header_validate(h, ext, len, &error_abort));
    n = qcow2_header_pack(h, buf, len, &error_abort);
    g_assert_cmpint(n, ==, h->header_length);
    g_assert(memcmp(buf, img, n) == 0);
    m = qcow2_extensions_pack(ext, buf + n, len - n, &error_abort);
    g_assert(memcmp(buf + n, img + n, m) == 0);
    if (h->version >= 3 && h->cluster_bits > 12) {
        /* QEMU names its features, except in images of small clusters. */
        g_assert_cmpstr(qcow2_feature_name(ext, QCOW2_FEAT_TYPE_INCOMPATIBLE,
                                           1), ==, "corrupt bit");
    }
}

static void compare_snapshots(const char *path, const QCowHeader *h,
                              const uint8_t *img, size_t len)
{
    g_autofree char *json = run((const char *[]) { QEMU_IMG, "info",
                                 "--output=json", path, NULL });
    QDict *d = qobject_to(QDict, qobject_from_json(json, &error_abort));
    QList *list = qdict_get_qlist(d, "snapshots");
    const QListEntry *le;
    QCowSnapshot *sn;
    Qcow2Geometry g;
    uint32_t i = 0;

    qcow2_geometry_init(&g, h);
    g_assert_cmpuint(h->nb_snapshots, ==, list ? qlist_size(list) : 0);
    if (!h->nb_snapshots) {
        qobject_unref(d);
        return;
    }
    sn = qcow2_snapshot_table_unpack(&g, img + h->snapshots_offset,
                                     len - h->snapshots_offset,
                                     h->nb_snapshots, &error_abort);
    for (le = qlist_first(list); le; le = qlist_next(le), i++) {
        QDict *s = qobject_to(QDict, qlist_entry_obj(le));

        g_assert_cmpstr(sn[i].id_str, ==, qdict_get_str(s, "id"));
        g_assert_cmpstr(sn[i].name, ==, qdict_get_str(s, "name"));
        g_assert_cmpuint(sn[i].date_sec, ==, qdict_get_int(s, "date-sec"));
        g_assert_cmpuint(sn[i].date_nsec, ==, qdict_get_int(s, "date-nsec"));
        g_assert_cmpuint(sn[i].vm_state_size, ==,
                         qdict_get_int(s, "vm-state-size"));
        g_assert_cmpuint(sn[i].vm_clock_nsec, ==,
                         qdict_get_int(s, "vm-clock-sec") * 1000000000ULL +
                         qdict_get_int(s, "vm-clock-nsec"));
        g_assert_cmpuint(sn[i].disk_size, ==, 8 * MiB);
    }
    qcow2_snapshots_free(sn, h->nb_snapshots);
    qobject_unref(d);
}

/* Random corruption of a real image's metadata must fail cleanly. */
static void fuzz_image(const uint8_t *orig, size_t len, uint32_t seed)
{
    g_autofree uint8_t *img = dup_bytes(orig, len);
    GRand *rand = g_rand_new_with_seed(seed);
    size_t meta = MIN(len, 8 * 4096);
    int i, j;

    for (i = 0; i < 200; i++) {
        g_autoptr(Qcow2Extensions) ext = NULL;
        Qcow2CheckResult res;
        QCowHeader h;

        memcpy(img, orig, len);
        for (j = 0; j < 4; j++) {
            img[g_rand_int_range(rand, 0, meta)] ^= 1 << g_rand_int_range(rand,
                                                                         0, 8);
        }
        if (qcow2_header_unpack(img, len, &h, NULL)) {
            ext = qcow2_extensions_unpack(&h, img, len, NULL);
            qcow2_header_validate(&h, ext, len, NULL);
        }
        qcow2_check_image_buffer(img, len, &res, NULL);
    }
    g_rand_free(rand);
}

static void test_image(gconstpointer opaque)
{
    const ImageCase *c = opaque;
    g_autofree char *path = img_path(c->name);
    g_autofree uint8_t *img = NULL;
    QCowHeader h;
    size_t len;

    if (!g_file_test(QEMU_IMG, G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test(QEMU_IO, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("needs " QEMU_IMG " and " QEMU_IO);
        return;
    }
    make_image(c, path);
    img = load(path, &len);
    g_assert(qcow2_header_unpack(img, len, &h, &error_abort));
    check_roundtrip(&h, img, len);
    compare_map(path, &h, img, len);
    compare_check(path, img, len);
    compare_snapshots(path, &h, img, len);
    fuzz_image(img, len, g_str_hash(c->name));
}

/* A first cluster built from scratch equals the one qemu-img writes. */
static void test_first_cluster(void)
{
    static const char *const sizes[] = { "65536", "8192", "4096", "512" };
    size_t i;

    if (!g_file_test(QEMU_IMG, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("needs " QEMU_IMG);
        return;
    }
    for (i = 0; i < ARRAY_SIZE(sizes); i++) {
        g_autofree char *path = img_path("first-cluster");
        g_autofree char *opts = g_strdup_printf("cluster_size=%s", sizes[i]);
        g_autoptr(Qcow2Extensions) ext = qcow2_extensions_new();
        g_autofree uint8_t *img = NULL;
        g_autofree uint8_t *buf = NULL;
        QCowHeader h;
        size_t len;
        int n;

        g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f",
                                      "qcow2", "-o", opts, path, "1G",
                                      NULL }));
        img = load(path, &len);
        g_assert(qcow2_header_unpack(img, len, &h, &error_abort));
        buf = g_malloc0(1U << h.cluster_bits);
        n = qcow2_header_pack(&h, buf, 1U << h.cluster_bits, &error_abort);
        if (h.cluster_bits > 12) {
            qcow2_extensions_set_feature_table(ext);
        }
        qcow2_extensions_pack(ext, buf + n, (1U << h.cluster_bits) - n,
                              &error_abort);
        g_assert(memcmp(buf, img, 1U << h.cluster_bits) == 0);
        g_unlink(path);
    }
}

typedef struct Mutation {
    unsigned off, width;
    uint64_t value;
    unsigned off2, width2;      /* an optional second write */
    uint64_t value2;
} Mutation;

static void store_be(uint8_t *p, unsigned width, uint64_t value)
{
    while (width--) {
        p[width] = value & 0xff;
        value >>= 8;
    }
}

/* Broken headers that QEMU refuses to open, with a reason to compare. */
static const Mutation mutations[] = {
    { 0, 4, 0x12345678 }, { 4, 4, 4 }, { 20, 4, 8 }, { 20, 4, 22 },
    { 20, 4, 9 }, { 32, 4, 3 }, { 36, 4, 0x1000000 }, { 36, 4, 0 },
    { 40, 8, 0x30001 }, { 48, 8, 0x10001 }, { 56, 4, 1 << 24 },
    { 56, 4, 0 }, { 60, 4, 70000 }, { 72, 8, 1 << 5 },
    { 72, 8, (1ULL << 40) | (1 << 6) }, { 72, 8, 8 }, { 96, 4, 7 },
    { 100, 4, 100 }, { 100, 4, 0x10008 }, { 24, 8, 1ULL << 63 },
    { 24, 8, 2 * GiB }, { 116, 4, 0x10000 },
    /* The feature table renamed: "corrupt bit" now names bit 5. */
    { 72, 8, 0xe0, 0xa9, 1, 5 },
};

static void test_messages(void)
{
    g_autofree char *path = img_path("messages");
    g_autofree uint8_t *orig = NULL;
    size_t len, i;

    if (!g_file_test(QEMU_IMG, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("needs " QEMU_IMG);
        return;
    }
    g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                  path, "1G", NULL }));
    orig = load(path, &len);
    for (i = 0; i < ARRAY_SIZE(mutations); i++) {
        g_autofree uint8_t *img = dup_bytes(orig, len);
        g_autoptr(Qcow2Extensions) ext = NULL;
        g_autofree char *qemu_err = NULL;
        g_autofree char *ours = NULL;
        Error *err = NULL;
        QCowHeader h;

        store_be(img + mutations[i].off, mutations[i].width,
                 mutations[i].value);
        store_be(img + mutations[i].off2, mutations[i].width2,
                 mutations[i].value2);
        g_assert(g_file_set_contents(path, (char *)img, len, NULL));
        qemu_err = run_fail((const char *[]) { QEMU_IMG, "info", "-f",
                                               "qcow2", path, NULL });
        g_strchomp(qemu_err);
        g_assert(qcow2_header_unpack(img, len, &h, &error_abort));
        /* Header rules come first; extensions are read once they pass. */
        ext = qcow2_extensions_unpack(&h, img, len, NULL);
        if (qcow2_header_validate(&h, ext, len, &err)) {
            g_assert_null(ext);
            g_assert_null(qcow2_extensions_unpack(&h, img, len, &err));
        }
        ours = g_strdup_printf("qemu-img: Could not open '%s': %s", path,
                               error_get_pretty(err));
        g_assert_cmpstr(ours, ==, qemu_err);
        error_free(err);
    }
}

/* Damage to the tables of a small image, and how to apply it. */
typedef struct Damage {
    const char *what;
    unsigned off, width;
    enum { SET, OR, AND_NOT } op;
    uint64_t value;
} Damage;

/*
 * The layout of a fresh 8M image after two writes (asserted below):
 * refcount table 0x10000, refcount block 0x20000, L1 0x30000, L2 0x40000,
 * data 0x50000-0x7ffff for guest 0-192k and 0x80000 for guest 4M.
 */
static const Damage damages[] = {
    { "refcount 2 on data", 0x2000a, 2, SET, 2 },
    { "refcount 0 on data", 0x2000a, 2, SET, 0 },
    { "data referenced twice", 0x40050, 8, SET, 0x8000000000050000ULL },
    { "unaligned data", 0x40050, 8, SET, 0x8000000000050200ULL },
    { "data past EOF", 0x40050, 8, SET, 0x8000000100000000ULL },
    { "COPIED missing", 0x40000, 8, AND_NOT, QCOW2_OFLAG_COPIED },
    { "L2 reserved bit", 0x40000, 8, OR, 2 },
    { "compressed with COPIED", 0x40050, 8, SET, 0xc000000000050000ULL },
    { "zero flag on data", 0x40000, 8, OR, 1 },
    { "L1 reserved bit", 0x30000, 8, OR, 1ULL << 60 },
    { "unaligned L2 table", 0x30000, 8, OR, 0x200 },
    { "L2 table leaked", 0x30000, 8, SET, 0 },
    { "refcount table reserved bit", 0x10000, 8, OR, 1 },
    { "refcount block past EOF", 0x10000, 8, SET, 0x100000000ULL },
};

static void apply_damage(uint8_t *img, const Damage *d)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < d->width; i++) {
        v = (v << 8) | img[d->off + i];
    }
    v = d->op == SET ? d->value : d->op == OR ? v | d->value : v & ~d->value;
    for (i = d->width; i > 0; i--) {
        img[d->off + i - 1] = v & 0xff;
        v >>= 8;
    }
}

/* Our counts for damaged images are the ones qemu-img check reports. */
static void test_check_damage(void)
{
    g_autofree char *path = img_path("damage");
    g_autofree uint8_t *orig = NULL;
    size_t len, i;

    if (!g_file_test(QEMU_IMG, G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test(QEMU_IO, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("needs " QEMU_IMG " and " QEMU_IO);
        return;
    }
    g_free(run((const char *[]) { QEMU_IMG, "create", "-q", "-f", "qcow2",
                                  path, "8M", NULL }));
    g_free(run((const char *[]) { QEMU_IO, "-c", "write -P 1 0 192k", "-c",
                                  "write -P 2 4M 64k", path, NULL }));
    orig = load(path, &len);
    g_assert_cmphex(be64_at(orig + 40), ==, 0x30000);
    g_assert_cmphex(be64_at(orig + 0x10000), ==, 0x20000);
    g_assert_cmphex(be64_at(orig + 0x30000), ==, 0x8000000000040000ULL);
    g_assert_cmphex(be64_at(orig + 0x40000), ==, 0x8000000000050000ULL);
    for (i = 0; i < ARRAY_SIZE(damages); i++) {
        g_autofree uint8_t *img = dup_bytes(orig, len);
        g_autofree char *json = NULL;
        Qcow2CheckResult res;
        QDict *d;

        apply_damage(img, &damages[i]);
        g_assert(g_file_set_contents(path, (char *)img, len, NULL));
        json = run_any((const char *[]) { QEMU_IMG, "check",
                                          "--output=json", path, NULL });
        d = qobject_to(QDict, qobject_from_json(json, &error_abort));
        g_assert(qcow2_check_image_buffer(img, len, &res, &error_abort));
        if (g_test_verbose()) {
            g_test_message("%s: %s", damages[i].what, json);
        }
        g_assert_cmpuint(res.corruptions, ==,
                         qdict_get_try_int(d, "corruptions", 0));
        g_assert_cmpuint(res.leaks, ==, qdict_get_try_int(d, "leaks", 0));
        g_assert_cmpuint(res.allocated_clusters, ==,
                         qdict_get_try_int(d, "allocated-clusters", 0));
        g_assert_cmpuint(res.fragmented_clusters, ==,
                         qdict_get_try_int(d, "fragmented-clusters", 0));
        g_assert_cmpuint(res.image_end_offset, ==,
                         qdict_get_int(d, "image-end-offset"));
        qobject_unref(d);
    }
}

static void remove_tmpdir(void)
{
    const char *name;
    GDir *dir = g_dir_open(tmpdir, 0, NULL);

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *p = g_build_filename(tmpdir, name, NULL);

        g_unlink(p);
    }
    if (dir) {
        g_dir_close(dir);
    }
    g_rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    size_t i;
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-qcow2-XXXXXX", NULL);
    g_assert(tmpdir);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        g_autofree char *name = g_strdup_printf("/qcow2-interop/image/%s",
                                                cases[i].name);

        g_test_add_data_func(name, &cases[i], test_image);
    }
    g_test_add_func("/qcow2-interop/messages", test_messages);
    g_test_add_func("/qcow2-interop/first-cluster", test_first_cluster);
    g_test_add_func("/qcow2-interop/check-damage", test_check_damage);
    ret = g_test_run();
    remove_tmpdir();
    g_free(tmpdir);
    return ret;
}
