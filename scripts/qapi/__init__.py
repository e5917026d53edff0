# SPDX-License-Identifier: GPL-2.0-or-later
"""The QAPI code generator: parse a schema, check it, build a typed model,
and let one backend per output file kind write C from the model."""
