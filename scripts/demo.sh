#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job, end to end, with what the tree can do today.  Each step
# that is not built yet says so instead of pretending.
set -e
BUILD_DIR=${1:-build}

echo "== qemu-block demo =="
echo "Built in $BUILD_DIR."
for prog in qemu-system-x86_64 qemu-img qemu-io qemu-nbd; do
    if [ -x "$BUILD_DIR/$prog" ]; then
        echo "  $prog: $("$BUILD_DIR/$prog" --version | head -n 1)"
    else
        echo "  $prog: not built yet"
    fi
done
echo
echo "The main job is an incremental backup driven over QMP:"
echo "  1. start qemu-system-x86_64 with a qcow2 drive and a QMP socket;"
echo "  2. transaction: block-dirty-bitmap-add + drive-backup sync=full;"
echo "  3. guest writes through HMP qemu-io;"
echo "  4. drive-backup sync=incremental with the bitmap;"
echo "  5. qemu-img compare the restored chain with the source."
if [ ! -x "$BUILD_DIR/qemu-system-x86_64" ] || [ ! -x "$BUILD_DIR/qemu-img" ]; then
    echo
    echo "Not possible yet: the system binary and qemu-img are not built."
    echo "What runs today is the test suite: make check."
    exit 0
fi
