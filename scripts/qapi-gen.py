#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Entry point of the QAPI code generator: see scripts/qapi/main.py.

Usage: qapi-gen.py [-b] [-o OUTDIR] [-p PREFIX] SCHEMA"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from qapi.main import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main())
