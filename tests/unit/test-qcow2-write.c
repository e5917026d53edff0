/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 driver's header updates against the real QEMU: changing the
 * backing file rewrites the header cluster and keeps every other header
 * extension (unknown ones, persistent bitmaps) byte for byte, and the
 * real qemu-img still likes the image.  Skips without /usr/bin/qemu-img.
 */
#include "qemu/osdep.h"
#include <glib/gstdio.h>
#include "block/qcow2.h"
#include "qcow2-test-util.h"

#define UNKNOWN_EXT_MAGIC 0x12345678U

/* Read the header cluster of @path and its extensions. */
static Qcow2Extensions *read_extensions(const char *path, QCowHeader *h)
{
    g_autofree char *img = NULL;
    gsize len;

    g_assert(g_file_get_contents(path, &img, &len, NULL));
    g_assert(qcow2_header_unpack((uint8_t *)img, len, h, &error_abort));
    return qcow2_extensions_unpack(h, (uint8_t *)img, len, &error_abort);
}

/* Add an extension nobody knows in front of the end marker of @path. */
static void add_unknown_extension(const char *path)
{
    g_autofree char *img = NULL;
    g_autoptr(Qcow2Extensions) ext = NULL;
    QCowHeader h;
    gsize len;

    ext = read_extensions(path, &h);
    g_assert(h.backing_file_offset == 0);
    g_assert(qcow2_extensions_set(ext, UNKNOWN_EXT_MAGIC, "opaque!", 7,
                                  &error_abort));
    g_assert(g_file_get_contents(path, &img, &len, NULL));
    g_assert(qcow2_extensions_pack(ext, (uint8_t *)img + h.header_length,
                                   (1 << h.cluster_bits) - h.header_length,
                                   &error_abort) > 0);
    g_assert(g_file_set_contents(path, img, len, NULL));
}

/* The payload of extension @magic in @ext, or NULL. */
static const Qcow2Extension *find_ext(Qcow2Extensions *ext, uint32_t magic)
{
    guint i;

    for (i = 0; i < ext->list->len; i++) {
        const Qcow2Extension *e = g_ptr_array_index(ext->list, i);

        if (e->magic == magic) {
            return e;
        }
    }
    return NULL;
}

static void check_clean(const char *path)
{
    g_free(run((const char *[]) { QEMU_IMG, "check", path, NULL }));
}

static void test_change_backing_file(void)
{
    g_autofree char *base = tmp_path("base", "qcow2");
    g_autofree char *top = tmp_path("top", "qcow2");
    g_autoptr(Qcow2Extensions) before = NULL;
    g_autoptr(Qcow2Extensions) after = NULL;
    const Qcow2Extension *b1, *b2, *u;
    g_autofree char *info = NULL;
    Error *err = NULL;
    BlockBackend *blk;
    QCowHeader h;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(base, "cluster_size=65536", NULL, "1M");
    qemu_img_create(top, "cluster_size=65536", NULL, "1M");
    g_free(run((const char *[]) { QEMU_IMG, "bitmap", "--add", top, "b0",
                                  NULL }));
    add_unknown_extension(top);
    check_clean(top);
    before = read_extensions(top, &h);

    blk = blk_new_open(top, NULL, NULL, BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(bdrv_change_backing_file(blk_bs(blk), "base.qcow2",
                                             "qcow2", &err), ==, 0);
    /* A format without a file is refused */
    g_assert_cmpint(bdrv_change_backing_file(blk_bs(blk), NULL, "qcow2",
                                             &err), ==, -EINVAL);
    error_free(err);
    blk_unref(blk);

    after = read_extensions(top, &h);
    g_assert_cmpstr(after->backing_format, ==, "qcow2");
    g_assert(h.backing_file_offset > 0);
    b1 = find_ext(before, QCOW2_EXT_BITMAPS);
    b2 = find_ext(after, QCOW2_EXT_BITMAPS);
    g_assert(b1 && b2 && b1->len == b2->len);
    g_assert(memcmp(b1->data, b2->data, b1->len) == 0);
    u = find_ext(after, UNKNOWN_EXT_MAGIC);
    g_assert(u && u->len == 7 && memcmp(u->data, "opaque!", 7) == 0);
    check_clean(top);
    info = run((const char *[]) { QEMU_IMG, "info", top, NULL });
    g_assert(strstr(info, "backing file: base.qcow2"));
    g_assert(strstr(info, "backing file format: qcow2\n"));
    g_assert(strstr(info, "name: b0\n"));

    /* And back to none: the name and the format go */
    blk = blk_new_open(top, NULL, NULL, BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(bdrv_change_backing_file(blk_bs(blk), NULL, NULL,
                                             &error_abort), ==, 0);
    blk_unref(blk);
    qcow2_extensions_free(after);
    after = read_extensions(top, &h);
    g_assert_null(after->backing_format);
    g_assert_cmpuint(h.backing_file_offset, ==, 0);
    g_assert(find_ext(after, UNKNOWN_EXT_MAGIC));
    check_clean(top);
}

/* A name too long for the header is refused and the header unchanged. */
static void test_backing_name_too_long(void)
{
    g_autofree char *top = tmp_path("long", "qcow2");
    g_autofree char *name = g_strnfill(1024, 'x');
    g_autofree char *before = NULL, *after = NULL;
    Error *err = NULL;
    BlockBackend *blk;
    gsize l1, l2;

    if (!have_qemu()) {
        return;
    }
    qemu_img_create(top, "cluster_size=65536", NULL, "1M");
    g_assert(g_file_get_contents(top, &before, &l1, NULL));
    blk = blk_new_open(top, NULL, NULL, BDRV_O_RDWR, &error_abort);
    g_assert_cmpint(bdrv_change_backing_file(blk_bs(blk), name, NULL, &err),
                    ==, -EINVAL);
    error_free(err);
    blk_unref(blk);
    g_assert(g_file_get_contents(top, &after, &l2, NULL));
    g_assert(l1 == l2 && memcmp(before, after, l1) == 0);
}

int main(int argc, char **argv)
{
    qcow2_test_init(&argc, &argv, "test-qcow2-write");
    g_test_add_func("/qcow2-write/change-backing-file",
                    test_change_backing_file);
    g_test_add_func("/qcow2-write/backing-name-too-long",
                    test_backing_name_too_long);
    return qcow2_test_run();
}
