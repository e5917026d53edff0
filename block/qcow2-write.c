/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qcow2 header updates: the header cluster is rebuilt from the state kept
 * in memory (fixed fields, every header extension in file order, the
 * backing file name) and written in one piece, so a crash leaves either
 * the old or the new header.  Changing the backing file goes through
 * here too.
 */
#include "qemu/osdep.h"
#include "qcow2.h"

/* Build the header cluster into @buf (cluster size, zeroed). */
static int qcow2_build_header_cluster(BlockDriverState *bs, uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    size_t cs = s->g.cluster_size;
    QCowHeader h = s->header;
    Error *err = NULL;
    size_t hlen = h.version < 3 ? QCOW2_V2_HEADER_LENGTH : h.header_length;
    size_t name_len = s->backing_file ? strlen(s->backing_file) : 0;
    int64_t ext_len;

    ext_len = qcow2_extensions_pack(s->ext, buf + hlen, cs - hlen, &err);
    if (ext_len < 0) {
        error_free(err);
        return -ENOSPC;
    }
    if (hlen + ext_len + name_len > cs) {
        return -ENOSPC;
    }
    h.backing_file_offset = name_len ? hlen + ext_len : 0;
    h.backing_file_size = name_len;
    if (name_len) {
        memcpy(buf + hlen + ext_len, s->backing_file, name_len);
    }
    if (qcow2_header_pack(&h, buf, cs, &err) < 0) {
        error_free(err);
        return -EINVAL;
    }
    s->header.backing_file_offset = h.backing_file_offset;
    s->header.backing_file_size = h.backing_file_size;
    return 0;
}

int qcow2_update_header(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *buf = g_malloc0(s->g.cluster_size);
    int ret;

    if (bs->read_only) {
        return -EACCES;
    }
    ret = qcow2_build_header_cluster(bs, buf);
    if (ret < 0) {
        return ret;
    }
    return bdrv_pwrite(bs->file, 0, s->g.cluster_size, buf, 0);
}

/*
 * Point the backing format extension at @fmt (NULL drops it).  QEMU
 * writes it as the first extension, so a new one goes in front.
 */
static void qcow2_set_backing_format_ext(BDRVQcow2State *s, const char *fmt)
{
    bool had = s->ext->backing_format != NULL;
    GPtrArray *list = s->ext->list;

    if (!fmt) {
        qcow2_extensions_remove(s->ext, QCOW2_EXT_BACKING_FORMAT);
        return;
    }
    qcow2_extensions_set(s->ext, QCOW2_EXT_BACKING_FORMAT, fmt, strlen(fmt),
                         &error_abort);
    if (!had && list->len > 1) {
        gpointer e = g_ptr_array_steal_index(list, list->len - 1);

        g_ptr_array_insert(list, 0, e);
    }
}

int qcow2_change_backing_file(BlockDriverState *bs, const char *backing_file,
                              const char *backing_fmt)
{
    BDRVQcow2State *s = bs->opaque;
    char *old_file = s->backing_file;
    g_autofree char *old_fmt = g_strdup(s->ext->backing_format);
    int ret;

    if (backing_file && strlen(backing_file) > QCOW2_MAX_BACKING_FILE_NAME) {
        return -EINVAL;
    }
    if (backing_fmt && (!backing_file ||
                        strlen(backing_fmt) >= QCOW2_MAX_BACKING_FORMAT)) {
        return -EINVAL;
    }
    s->backing_file = backing_file && *backing_file ? g_strdup(backing_file)
                                                    : NULL;
    qcow2_set_backing_format_ext(s, s->backing_file ? backing_fmt : NULL);
    ret = qcow2_update_header(bs);
    if (ret < 0) {
        /* Put the old names back: the header on disk still has them */
        g_free(s->backing_file);
        s->backing_file = old_file;
        qcow2_set_backing_format_ext(s, old_fmt);
        return ret;
    }
    g_free(old_file);
    return 0;
}
