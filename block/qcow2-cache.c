/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qcow2 L2 table cache: a fixed number of cluster-sized slots, found
 * by a linear scan and evicted least recently used first.  A scan costs
 * O(slots) per lookup, which is cheap next to the I/O it saves for the
 * few hundred slots an image needs; a slot in use (ref > 0) is never
 * evicted.  Changed tables stay dirty until written back by a flush or
 * when their slot is evicted.  A cache may depend on another (L2 tables
 * on refcount blocks): before it writes anything back, the other one is
 * written back and the file flushed, so a table on disk never points at
 * a cluster whose refcount is not on disk yet.
 */
#include "qemu/osdep.h"
#include "qcow2.h"

typedef struct Qcow2CacheEntry {
    uint64_t offset;            /* 0: the slot is empty */
    int ref;
    uint64_t lru;               /* larger is more recent */
    bool dirty;                 /* changed since read or written */
} Qcow2CacheEntry;

struct Qcow2Cache {
    Qcow2CacheEntry *entries;
    uint8_t *tables;            /* nb_tables * table_size bytes */
    int nb_tables;
    size_t table_size;
    uint64_t lru_counter;
    Qcow2Cache *depends;        /* written back before this one */
    int nb_dirty;
};

Qcow2Cache *qcow2_cache_create(int nb_tables, size_t table_size)
{
    Qcow2Cache *c = g_new0(Qcow2Cache, 1);

    assert(nb_tables > 0);
    c->entries = g_new0(Qcow2CacheEntry, nb_tables);
    c->tables = g_malloc0_n(nb_tables, table_size);
    c->nb_tables = nb_tables;
    c->table_size = table_size;
    return c;
}

void qcow2_cache_destroy(Qcow2Cache *c)
{
    if (!c) {
        return;
    }
    g_free(c->entries);
    g_free(c->tables);
    g_free(c);
}

int qcow2_cache_nb_tables(const Qcow2Cache *c)
{
    return c->nb_tables;
}

static void *qcow2_cache_table(Qcow2Cache *c, int i)
{
    return c->tables + (size_t)i * c->table_size;
}

/* The slot holding @offset, or the best victim with *@hit false. */
static int qcow2_cache_find(Qcow2Cache *c, uint64_t offset, bool *hit)
{
    int i, victim = -1;

    for (i = 0; i < c->nb_tables; i++) {
        if (c->entries[i].offset == offset) {
            *hit = true;
            return i;
        }
        if (c->entries[i].ref == 0 &&
            (victim < 0 || c->entries[i].lru < c->entries[victim].lru)) {
            victim = i;
        }
    }
    *hit = false;
    return victim;
}

void qcow2_cache_set_dependency(Qcow2Cache *c, Qcow2Cache *depends)
{
    c->depends = depends;
}

/* Write back the dirty tables of the cache @c depends on, then flush. */
static int coroutine_fn qcow2_cache_flush_depends(Qcow2Cache *c,
                                                  BdrvChild *child)
{
    int ret;

    if (!c->depends || !c->depends->nb_dirty) {
        return 0;
    }
    ret = qcow2_cache_flush(c->depends, child);
    if (ret < 0) {
        return ret;
    }
    return bdrv_co_flush(child->bs);
}

static int coroutine_fn qcow2_cache_write_entry(Qcow2Cache *c,
                                                BdrvChild *child, int i)
{
    QEMUIOVector qiov;
    int ret;

    if (!c->entries[i].dirty) {
        return 0;
    }
    ret = qcow2_cache_flush_depends(c, child);
    if (ret < 0) {
        return ret;
    }
    qemu_iovec_init_buf(&qiov, qcow2_cache_table(c, i), c->table_size);
    ret = bdrv_co_pwritev(child, c->entries[i].offset, c->table_size, &qiov,
                          0);
    if (ret < 0) {
        return ret;
    }
    c->entries[i].dirty = false;
    c->nb_dirty--;
    return 0;
}

int coroutine_fn qcow2_cache_flush(Qcow2Cache *c, BdrvChild *child)
{
    int i, ret, result = 0;

    if (!c->nb_dirty) {
        return 0;
    }
    for (i = 0; i < c->nb_tables; i++) {
        ret = qcow2_cache_write_entry(c, child, i);
        if (ret < 0 && result == 0) {
            result = ret;
        }
    }
    return result;
}

bool qcow2_cache_is_dirty(const Qcow2Cache *c)
{
    return c->nb_dirty > 0;
}

/* A slot for @offset: its own on a hit, else an evicted (clean) one. */
static int coroutine_fn qcow2_cache_slot(Qcow2Cache *c, BdrvChild *child,
                                         uint64_t offset, bool *hit)
{
    int i, ret;

    assert(offset != 0);
    i = qcow2_cache_find(c, offset, hit);
    if (i < 0) {
        /* Every slot is in use: the caller holds too many tables */
        return -ENOSPC;
    }
    if (!*hit) {
        ret = qcow2_cache_write_entry(c, child, i);
        if (ret < 0) {
            return ret;
        }
        c->entries[i].offset = 0;
    }
    return i;
}

int coroutine_fn qcow2_cache_get(Qcow2Cache *c, BdrvChild *child,
                                 uint64_t offset, void **table)
{
    QEMUIOVector qiov;
    bool hit;
    int i, ret;

    i = qcow2_cache_slot(c, child, offset, &hit);
    if (i < 0) {
        return i;
    }
    if (!hit) {
        qemu_iovec_init_buf(&qiov, qcow2_cache_table(c, i), c->table_size);
        ret = bdrv_co_preadv(child, offset, c->table_size, &qiov, 0);
        if (ret < 0) {
            return ret;
        }
        c->entries[i].offset = offset;
    }
    c->entries[i].ref++;
    c->entries[i].lru = ++c->lru_counter;
    *table = qcow2_cache_table(c, i);
    return 0;
}

int coroutine_fn qcow2_cache_get_empty(Qcow2Cache *c, BdrvChild *child,
                                       uint64_t offset, void **table)
{
    bool hit;
    int i = qcow2_cache_slot(c, child, offset, &hit);

    if (i < 0) {
        return i;
    }
    c->entries[i].offset = offset;
    c->entries[i].ref++;
    c->entries[i].lru = ++c->lru_counter;
    *table = qcow2_cache_table(c, i);
    return 0;
}

static int qcow2_cache_index(Qcow2Cache *c, const void *table)
{
    size_t i = ((const uint8_t *)table - c->tables) / c->table_size;

    assert(i < (size_t)c->nb_tables && c->entries[i].ref > 0);
    return i;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, void *table)
{
    int i = qcow2_cache_index(c, table);

    if (!c->entries[i].dirty) {
        c->entries[i].dirty = true;
        c->nb_dirty++;
    }
}

void qcow2_cache_put(Qcow2Cache *c, void **table)
{
    int i = qcow2_cache_index(c, *table);

    c->entries[i].ref--;
    *table = NULL;
}

void qcow2_cache_discard(Qcow2Cache *c, uint64_t offset)
{
    int i;

    for (i = 0; i < c->nb_tables; i++) {
        if (c->entries[i].offset == offset && c->entries[i].ref == 0) {
            if (c->entries[i].dirty) {
                c->nb_dirty--;
            }
            c->entries[i].offset = 0;
            c->entries[i].dirty = false;
            c->entries[i].lru = 0;
        }
    }
}
