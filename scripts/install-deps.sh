#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what building and testing this tree needs on Debian.
# Idempotent: does nothing when every package is already installed.
# The real QEMU (qemu-utils, qemu-system-x86) is the test oracle only.

set -e

PACKAGES="gcc clang make meson ninja-build pkg-config python3
libglib2.0-dev libpixman-1-dev zlib1g-dev
qemu-utils qemu-system-x86"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
