# SPDX-License-Identifier: GPL-2.0-or-later
"""A corpus of hostile qcow2 images, built from scratch in memory.

Every image starts from one small valid image (base()) and changes a few
bytes, so each case names one fault: a bad header field, an absurd table
size, a table entry pointing outside the file or into other metadata, a
loop between tables, an overflowing refcount, a truncated file, a huge
snapshot table, a broken extension or an unknown feature bit.  No QEMU
tool is needed to build them, so the corpus is the same on every host.

Run as a script to write the corpus to a folder (one NAME.qcow2 each).
"""

import struct
import sys
from typing import Callable, Dict, List, Tuple

CLUSTER = 65536
MAGIC = 0x514649fb
COPIED = 1 << 63
COMPRESSED = 1 << 62

# The base image, one 64 KiB cluster each:
#   0 header (and extensions), 1 refcount table, 2 refcount block,
#   3 L1 table, 4 L2 table, 5 data (guest cluster 0, pattern 0xab),
#   6 snapshot table (with_snapshot only), 7 snapshot's L1 copy.
REFTABLE = 1 * CLUSTER
REFBLOCK = 2 * CLUSTER
L1 = 3 * CLUSTER
L2 = 4 * CLUSTER
DATA = 5 * CLUSTER
SNAPTABLE = 6 * CLUSTER
SNAPL1 = 7 * CLUSTER
VIRTUAL_SIZE = 4 << 20

# Header field offsets.
H_VERSION = 4
H_BACKING_OFFSET = 8
H_BACKING_SIZE = 16
H_CLUSTER_BITS = 20
H_SIZE = 24
H_CRYPT = 32
H_L1_SIZE = 36
H_L1_OFFSET = 40
H_REFT_OFFSET = 48
H_REFT_CLUSTERS = 56
H_NB_SNAPSHOTS = 60
H_SNAPSHOTS_OFFSET = 64
H_INCOMPAT = 72
H_COMPAT = 80
H_AUTOCLEAR = 88
H_REFCOUNT_ORDER = 96
H_HEADER_LENGTH = 100
H_COMPRESSION = 104
HEADER_LENGTH = 112


class Image:
    """A mutable image with big-endian pokes."""

    def __init__(self, data: bytes):
        self.buf = bytearray(data)

    def _grow(self, end: int) -> None:
        if len(self.buf) < end:
            self.buf.extend(bytes(end - len(self.buf)))

    def put(self, off: int, fmt: str, value: int) -> 'Image':
        self._grow(off + struct.calcsize(fmt))
        struct.pack_into('>' + fmt, self.buf, off, value)
        return self

    def u16(self, off: int, value: int) -> 'Image':
        return self.put(off, 'H', value)

    def u32(self, off: int, value: int) -> 'Image':
        return self.put(off, 'I', value)

    def u64(self, off: int, value: int) -> 'Image':
        return self.put(off, 'Q', value)

    def raw(self, off: int, data: bytes) -> 'Image':
        self._grow(off + len(data))
        self.buf[off:off + len(data)] = data
        return self

    def truncate(self, length: int) -> 'Image':
        del self.buf[length:]
        return self

    def bytes(self) -> bytes:
        return bytes(self.buf)


def header(img: Image, version: int = 3) -> None:
    img.u32(0, MAGIC).u32(H_VERSION, version)
    img.u32(H_CLUSTER_BITS, 16).u64(H_SIZE, VIRTUAL_SIZE)
    img.u32(H_L1_SIZE, 1).u64(H_L1_OFFSET, L1)
    img.u64(H_REFT_OFFSET, REFTABLE).u32(H_REFT_CLUSTERS, 1)
    if version >= 3:
        img.u32(H_REFCOUNT_ORDER, 4).u32(H_HEADER_LENGTH, HEADER_LENGTH)
    # The extension area ends at once (end marker: eight zero bytes).


def base(version: int = 3, with_snapshot: bool = False) -> Image:
    """A valid image: guest cluster 0 holds 0xab, the rest is unallocated."""
    img = Image(bytes(6 * CLUSTER))
    header(img, version)
    img.u64(REFTABLE, REFBLOCK)
    for cluster in range(6):
        img.u16(REFBLOCK + 2 * cluster, 1)
    img.u64(L1, L2 | COPIED)
    img.u64(L2, DATA | COPIED)
    img.raw(DATA, b'\xab' * CLUSTER)
    if with_snapshot:
        add_snapshot(img)
    return img


def snapshot_entry(l1_offset: int, l1_size: int, sn_id: bytes, name: bytes,
                   extra: bytes = None) -> bytes:
    """One snapshot table entry, padded to 8 bytes."""
    if extra is None:
        extra = struct.pack('>QQ', 0, VIRTUAL_SIZE)
    entry = struct.pack('>QIHHIIQII', l1_offset, l1_size, len(sn_id),
                        len(name), 1700000000, 0, 0, 0, len(extra))
    entry += extra + sn_id + name
    return entry + bytes(-len(entry) % 8)


def add_snapshot(img: Image) -> None:
    """One internal snapshot sharing the L2 table and the data cluster."""
    img.raw(SNAPTABLE, snapshot_entry(SNAPL1, 1, b'1', b'snap'))
    img.u64(SNAPL1, L2)
    img.u64(L1, L2)                  # shared now: COPIED cleared
    img.u64(L2, DATA)
    img.u16(REFBLOCK + 2 * 4, 2)
    img.u16(REFBLOCK + 2 * 5, 2)
    img.u16(REFBLOCK + 2 * 6, 1)
    img.u16(REFBLOCK + 2 * 7, 1)
    img.u32(H_NB_SNAPSHOTS, 1).u64(H_SNAPSHOTS_OFFSET, SNAPTABLE)
    img.raw(SNAPL1 + 8, bytes(CLUSTER - 8))


def snapshot_entry_full(l1_offset: int, sn_id: bytes, name: bytes,
                        date: Tuple[int, int], vm_clock: int, vm_state: int,
                        icount: int = None) -> bytes:
    """A snapshot table entry with every field chosen (extra data of 16
    bytes, or 24 with an instruction count)."""
    extra = struct.pack('>QQ', vm_state, VIRTUAL_SIZE)
    if icount is not None:
        extra += struct.pack('>Q', icount)
    entry = struct.pack('>QIHHIIQII', l1_offset, 1, len(sn_id), len(name),
                        date[0], date[1], vm_clock, vm_state & 0xffffffff,
                        len(extra))
    entry += extra + sn_id + name
    return entry + bytes(-len(entry) % 8)


def with_snapshots(entries) -> Image:
    """A valid image whose snapshots (@entries: the arguments of
    snapshot_entry_full() after the L1 offset) share its L2 table and data
    cluster, each with an L1 copy of its own after the snapshot table."""
    img = base()
    n = len(entries)
    table = b''.join(snapshot_entry_full(SNAPL1 + i * CLUSTER, *e)
                     for i, e in enumerate(entries))
    assert len(table) <= CLUSTER
    img.raw(SNAPTABLE, table + bytes(CLUSTER - len(table)))
    img.u64(L1, L2).u64(L2, DATA)
    img.u16(REFBLOCK + 2 * 4, n + 1).u16(REFBLOCK + 2 * 5, n + 1)
    img.u16(REFBLOCK + 2 * 6, 1)
    for i in range(n):
        img.u16(REFBLOCK + 2 * (7 + i), 1)
        img.raw(SNAPL1 + i * CLUSTER, struct.pack('>Q', L2) +
                bytes(CLUSTER - 8))
    img.u32(H_NB_SNAPSHOTS, n).u64(H_SNAPSHOTS_OFFSET, SNAPTABLE)
    return img


def extension(img: Image, off: int, magic: int, data: bytes,
              length: int = None) -> int:
    """Write one header extension at @off; returns the offset after it."""
    img.u32(off, magic).u32(off + 4, len(data) if length is None else length)
    img.raw(off + 8, data + bytes(-len(data) % 8))
    return off + 8 + len(data) + (-len(data) % 8)


def with_backing(name: bytes, fmt: bytes = b'qcow2') -> Image:
    img = base()
    off = extension(img, HEADER_LENGTH, 0xe2792aca, fmt)
    off = extension(img, off, 0, b'')
    img.raw(off, name)
    img.u64(H_BACKING_OFFSET, off).u32(H_BACKING_SIZE, len(name))
    return img


def feature_table(entries: List[Tuple[int, int, bytes]]) -> bytes:
    return b''.join(struct.pack('>BB46s', t, b, n) for t, b, n in entries)


def cases() -> Dict[str, Callable[[], Image]]:
    """Name -> builder for every image of the corpus."""
    c: Dict[str, Callable[[], Image]] = {}

    # -- sanity: the valid starting points --
    c['valid'] = base
    c['valid-v2'] = lambda: base(2)
    c['valid-snapshot'] = lambda: base(with_snapshot=True)

    # -- header fields --
    c['magic'] = lambda: base().u32(0, 0x514649fc)
    c['version-1'] = lambda: base().u32(H_VERSION, 1)
    c['version-4'] = lambda: base().u32(H_VERSION, 4)
    c['cluster-bits-8'] = lambda: base().u32(H_CLUSTER_BITS, 8)
    c['cluster-bits-22'] = lambda: base().u32(H_CLUSTER_BITS, 22)
    c['cluster-bits-huge'] = lambda: base().u32(H_CLUSTER_BITS, 0xffffffff)
    c['header-length-short'] = lambda: base().u32(H_HEADER_LENGTH, 100)
    c['header-length-odd'] = lambda: base().u32(H_HEADER_LENGTH, 105)
    c['header-length-huge'] = lambda: base().u32(H_HEADER_LENGTH,
                                                 0x7fffffff)
    c['refcount-order-7'] = lambda: base().u32(H_REFCOUNT_ORDER, 7)
    c['refcount-order-huge'] = lambda: base().u32(H_REFCOUNT_ORDER,
                                                  0xffffffff)
    c['crypt-aes'] = lambda: base().u32(H_CRYPT, 1)
    c['crypt-3'] = lambda: base().u32(H_CRYPT, 3)
    c['compression-type-2'] = lambda: (
        base().u64(H_INCOMPAT, 1 << 3).put(H_COMPRESSION, 'B', 2))
    c['compression-type-no-bit'] = lambda: base().put(H_COMPRESSION, 'B', 1)
    c['size-huge'] = lambda: base().u64(H_SIZE, 1 << 62)
    c['size-negative'] = lambda: base().u64(H_SIZE, 1 << 63)
    c['v2-zero-flag'] = lambda: base(2).u64(L2, 1)

    # -- feature bits --
    c['incompat-unknown'] = lambda: base().u64(H_INCOMPAT, 1 << 40)
    c['incompat-unknown-named'] = lambda: _named_feature()
    c['incompat-data-file'] = lambda: base().u64(H_INCOMPAT, 1 << 2)
    c['incompat-corrupt'] = lambda: base().u64(H_INCOMPAT, 1 << 1)
    c['incompat-dirty'] = lambda: base().u64(H_INCOMPAT, 1 << 0)
    c['incompat-extl2-small'] = lambda: (
        _cluster_bits(base(), 12).u64(H_INCOMPAT, 1 << 4))
    c['compat-unknown'] = lambda: base().u64(H_COMPAT, 1 << 30)
    c['autoclear-unknown'] = lambda: base().u64(H_AUTOCLEAR, 1 << 30)

    # -- L1 table --
    c['l1-size-huge'] = lambda: base().u32(H_L1_SIZE, 0x10000000)
    c['l1-size-max'] = lambda: base().u32(H_L1_SIZE, 0xffffffff)
    c['l1-size-too-small'] = lambda: base().u32(H_L1_SIZE, 0)
    c['l1-offset-unaligned'] = lambda: base().u64(H_L1_OFFSET, L1 + 8)
    c['l1-offset-past-eof'] = lambda: base().u64(H_L1_OFFSET, 1 << 40)
    c['l1-offset-huge'] = lambda: base().u64(H_L1_OFFSET,
                                             0xffffffffffff0000)
    c['l1-offset-header'] = lambda: base().u64(H_L1_OFFSET, 0)
    c['l1-entry-past-eof'] = lambda: base().u64(L1, (1 << 40) | COPIED)
    c['l1-entry-unaligned'] = lambda: base().u64(L1, (L2 + 512) | COPIED)
    c['l1-entry-reserved'] = lambda: base().u64(L1, L2 | COPIED | 1)
    c['l1-entry-header'] = lambda: base().u64(L1, COPIED)
    c['l1-entry-self'] = lambda: base().u64(L1, L1 | COPIED)
    c['l1-entry-reftable'] = lambda: base().u64(L1, REFTABLE | COPIED)
    c['l1-shared-l2'] = lambda: (
        base().u64(H_SIZE, 1 << 30).u32(H_L1_SIZE, 2)
        .u64(L1 + 8, L2 | COPIED))

    # -- L2 table --
    c['l2-entry-past-eof'] = lambda: base().u64(L2, (1 << 40) | COPIED)
    c['l2-entry-max'] = lambda: base().u64(L2, 0x00ffffffffff0000 | COPIED)
    c['l2-entry-unaligned'] = lambda: base().u64(L2, (DATA + 512) | COPIED)
    c['l2-entry-reserved'] = lambda: base().u64(L2, DATA | COPIED | 2)
    c['l2-entry-copied-zero-offset'] = lambda: base().u64(L2, COPIED)
    c['l2-entry-l1'] = lambda: base().u64(L2, L1 | COPIED)
    c['l2-entry-self'] = lambda: base().u64(L2, L2 | COPIED)
    c['l2-entry-refblock'] = lambda: base().u64(L2, REFBLOCK | COPIED)
    c['l2-same-data-twice'] = lambda: base().u64(L2 + 8, DATA | COPIED)
    c['l2-compressed-past-eof'] = lambda: base().u64(
        L2, COMPRESSED | (1 << 40) | (3 << 54))
    c['l2-compressed-header'] = lambda: base().u64(L2, COMPRESSED | 64)
    c['l2-compressed-garbage'] = lambda: base().u64(L2, COMPRESSED | DATA)
    c['l2-zero-alloc-past-eof'] = lambda: base().u64(L2, (1 << 40) | 1)

    # -- refcounts --
    c['reftable-clusters-huge'] = lambda: base().u32(H_REFT_CLUSTERS,
                                                     0xffffffff)
    c['reftable-clusters-zero'] = lambda: base().u32(H_REFT_CLUSTERS, 0)
    c['reftable-offset-unaligned'] = lambda: base().u64(H_REFT_OFFSET,
                                                        REFTABLE + 8)
    c['reftable-offset-past-eof'] = lambda: base().u64(H_REFT_OFFSET,
                                                       1 << 40)
    c['reftable-offset-header'] = lambda: base().u64(H_REFT_OFFSET, 0)
    c['reftable-overlaps-l1'] = lambda: base().u64(H_REFT_OFFSET, L1)
    c['refblock-past-eof'] = lambda: base().u64(REFTABLE, 1 << 40)
    c['refblock-unaligned'] = lambda: base().u64(REFTABLE, REFBLOCK + 8)
    c['refblock-header'] = lambda: base().u64(REFTABLE, 0)
    c['refblock-is-l2'] = lambda: base().u64(REFTABLE, L2)
    c['refblock-missing'] = lambda: base().u64(REFTABLE, 0)
    c['refcount-overflow'] = lambda: base().u16(REFBLOCK + 2 * 5, 0xffff)
    c['refcount-zero-data'] = lambda: base().u16(REFBLOCK + 2 * 5, 0)
    c['refcount-zero-l1'] = lambda: base().u16(REFBLOCK + 2 * 3, 0)
    c['refcount-shared-overflow'] = lambda: (
        base(with_snapshot=True).u16(REFBLOCK + 2 * 5, 0xffff))

    # -- snapshots --
    c['snapshots-count-huge'] = lambda: (
        base(with_snapshot=True).u32(H_NB_SNAPSHOTS, 0xffffffff))
    c['snapshots-count-many'] = lambda: (
        base(with_snapshot=True).u32(H_NB_SNAPSHOTS, 70000))
    c['snapshots-offset-unaligned'] = lambda: (
        base(with_snapshot=True).u64(H_SNAPSHOTS_OFFSET, SNAPTABLE + 8))
    c['snapshots-offset-past-eof'] = lambda: (
        base(with_snapshot=True).u64(H_SNAPSHOTS_OFFSET, 1 << 40))
    c['snapshots-table-truncated'] = lambda: (
        base(with_snapshot=True).u32(H_NB_SNAPSHOTS, 5000))
    c['snapshot-l1-size-huge'] = lambda: (
        base(with_snapshot=True).u32(SNAPTABLE + 8, 0x10000000))
    c['snapshot-l1-past-eof'] = lambda: (
        base(with_snapshot=True).u64(SNAPTABLE, 1 << 40))
    c['snapshot-l1-unaligned'] = lambda: (
        base(with_snapshot=True).u64(SNAPTABLE, SNAPL1 + 8))
    c['snapshot-id-size-huge'] = lambda: (
        base(with_snapshot=True).u16(SNAPTABLE + 12, 0xffff))
    c['snapshot-extra-huge'] = lambda: (
        base(with_snapshot=True).u32(SNAPTABLE + 36, 0xffffffff))
    c['snapshot-l1-entry-past-eof'] = lambda: (
        base(with_snapshot=True).u64(SNAPL1, 1 << 40))

    # -- header extensions and backing file --
    c['ext-length-huge'] = lambda: _ext(0x12345678, b'x' * 8, 0xfffffff0)
    c['ext-length-past-cluster'] = lambda: _ext(0x12345678, b'x' * 8,
                                                CLUSTER)
    c['ext-unknown'] = lambda: _ext(0x12345678, b'unknown!', None)
    c['ext-backing-fmt-long'] = lambda: _ext(0xe2792aca, b'q' * 1000, None)
    c['ext-feature-table-odd'] = lambda: _ext(0x6803f857, b'x' * 47, None)
    c['ext-bitmaps-short'] = lambda: _ext(0x23852875, b'x' * 8, None)
    c['ext-bitmaps-huge-dir'] = lambda: _ext(
        0x23852875, struct.pack('>IIQQ', 1, 0, 1 << 40, 8 * CLUSTER), None,
        autoclear=1)
    c['ext-crypto-no-crypt'] = lambda: _ext(
        0x0537be77, struct.pack('>QQ', 0, 0), None)
    c['ext-no-end'] = lambda: _ext_fill()
    c['backing-name-past-cluster'] = lambda: (
        base().u64(H_BACKING_OFFSET, CLUSTER - 4).u32(H_BACKING_SIZE, 100))
    c['backing-name-huge'] = lambda: (
        base().u64(H_BACKING_OFFSET, 512).u32(H_BACKING_SIZE, 0x7fffffff))
    c['backing-name-1024'] = lambda: (
        base().u64(H_BACKING_OFFSET, 512).u32(H_BACKING_SIZE, 1024))
    c['backing-self'] = lambda: with_backing(b'backing-self.qcow2')
    c['backing-missing'] = lambda: with_backing(b'no-such-file.qcow2')

    # -- truncated files --
    c['truncated-0'] = lambda: base().truncate(0)
    c['truncated-50'] = lambda: base().truncate(50)
    c['truncated-header-v3'] = lambda: base().truncate(80)
    c['truncated-in-reftable'] = lambda: base().truncate(REFTABLE + 4)
    c['truncated-before-l1'] = lambda: base().truncate(L1)
    c['truncated-before-l2'] = lambda: base().truncate(L2)
    c['truncated-before-data'] = lambda: base().truncate(DATA)
    c['truncated-in-data'] = lambda: base().truncate(DATA + 100)
    return c


def _cluster_bits(img: Image, bits: int) -> Image:
    """Shrink the clusters without moving tables (they stay aligned)."""
    return img.u32(H_CLUSTER_BITS, bits)


def _named_feature() -> Image:
    img = base()
    table = feature_table([(0, 40, b'future'), (0, 0, b'dirty bit')])
    off = extension(img, HEADER_LENGTH, 0x6803f857, table)
    extension(img, off, 0, b'')
    return img.u64(H_INCOMPAT, 1 << 40)


def _ext(magic: int, data: bytes, length, autoclear: int = 0) -> Image:
    img = base()
    off = extension(img, HEADER_LENGTH, magic, data, length)
    extension(img, off, 0, b'')
    if autoclear:
        img.u64(H_AUTOCLEAR, autoclear)
    return img


def _ext_fill() -> Image:
    """Unknown extensions up to the end of the cluster, no end marker."""
    img = base()
    off = HEADER_LENGTH
    while off + 16 <= CLUSTER:
        off = extension(img, off, 0x12345678, b'fill-ext')
    return img


def write_corpus(folder: str) -> List[str]:
    """Write every image as FOLDER/NAME.qcow2; returns the names."""
    names = []
    for name, build in cases().items():
        with open(f'{folder}/{name}.qcow2', 'wb') as f:
            f.write(build().bytes())
        names.append(name)
    return names


if __name__ == '__main__':
    for n in write_corpus(sys.argv[1] if len(sys.argv) > 1 else '.'):
        print(n)
