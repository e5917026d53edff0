#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# qemu-img against the real QEMU 7.2 qemu-img, in the same run: convert
# (and, where our qcow2 writes allow, commit and rebase) of a 4 GiB image
# half full of data, and "qemu-img bench".  Prints seconds or ops/s and
# the ratio ours/real (time) or real/ours (throughput); the target is
# 1.2 or less.  Run by hand: bench/qemu-img-bench.sh [BUILD_DIR] [SIZE_MB]
# It is not part of "make check".

set -e
BUILD=${1:-$(dirname "$0")/../build}
SIZE_MB=${2:-4096}
OURS=$(realpath "$BUILD/qemu-img")
REAL=${REAL_QEMU_IMG:-/usr/bin/qemu-img}
RIO=${REAL_QEMU_IO:-/usr/bin/qemu-io}
DIR=$(mktemp -d "${TMPDIR:-/var/tmp}/qemu-img-bench.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
cd "$DIR"

now() { date +%s.%N; }

# time_cmd1 CMD...: seconds taken by one run.
time_cmd1()
{
    local t0 t1
    t0=$(now)
    "$@" >/dev/null
    t1=$(now)
    echo "$t1 - $t0" | bc -l
}

# best A B: the smaller of two figures (A may be empty).
best()
{
    if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then
        echo "$2"
    else
        echo "$1"
    fi
}

report()
{
    printf '%-34s ours %8.3f  real %8.3f  ratio %5.2f\n' "$1" "$2" "$3" \
        "$(echo "$2 / $3" | bc -l)"
}

# 50% data: 1 MiB of random data in every 2 MiB.
"$REAL" create -q -f raw src.raw "${SIZE_MB}M"
head -c 1M /dev/urandom >chunk
python3 - "$SIZE_MB" <<'PY'
import sys
size = int(sys.argv[1])
chunk = open("chunk", "rb").read()
with open("src.raw", "r+b") as f:
    for mb in range(0, size, 2):
        f.seek(mb << 20)
        f.write(chunk)
PY
"$REAL" convert -O qcow2 src.raw src.qcow2

# bench_convert NAME ARGS...: best of three runs each, alternating ours
# and real, each on a fresh target after the page cache was written back.
bench_convert()
{
    local name=$1 o="" r="" t i
    shift
    for i in 1 2 3; do
        rm -f o.img; sync
        t=$(time_cmd1 "$OURS" "$@" o.img)
        o=$(best "$o" "$t")
        rm -f o.img; sync
        t=$(time_cmd1 "$REAL" "$@" o.img)
        r=$(best "$r" "$t")
    done
    rm -f o.img
    report "$name" "$o" "$r"
}

echo "qemu-img, ours vs QEMU 7.2, ${SIZE_MB} MiB image with 50% data"
bench_convert "convert raw -> raw" convert -f raw -O raw src.raw
bench_convert "convert qcow2 -> raw" convert -f qcow2 -O raw src.qcow2
if "$OURS" convert -O qcow2 src.raw o.img 2>/dev/null; then
    bench_convert "convert raw -> qcow2" convert -f raw -O qcow2 src.raw
    bench_convert "convert qcow2 -> qcow2" convert -f qcow2 -O qcow2 \
        src.qcow2
fi
rm -f o.img

# qemu-img bench: ops/s from its "Run completed in X seconds." line.
bench_ops()
{
    local name=$1
    shift
    local o r
    "$REAL" create -q -f "$BENCH_FMT" b.img 1G
    o=$("$OURS" bench "$@" b.img 2>&1 | sed -n 's/.*completed in \([0-9.]*\).*/\1/p')
    rm -f b.img
    "$REAL" create -q -f "$BENCH_FMT" b.img 1G
    r=$("$REAL" bench "$@" b.img 2>&1 | sed -n 's/.*completed in \([0-9.]*\).*/\1/p')
    rm -f b.img
    if [ -n "$o" ] && [ -n "$r" ]; then
        report "$name (s)" "$o" "$r"
    else
        echo "$name: not run (ours: '${o}')"
    fi
}

BENCH_FMT=raw bench_ops "bench raw 4k read" -f raw -c 200000 -d 32 -s 4k
BENCH_FMT=raw bench_ops "bench raw 4k write" -f raw -w -c 200000 -d 32 -s 4k
BENCH_FMT=qcow2 bench_ops "bench qcow2 4k write" -f qcow2 -w -c 100000 \
    -d 32 -s 4k -S 7777
