# SPDX-License-Identifier: GPL-2.0-or-later
"""Command line of the generator: parse the schema, run every backend."""

import argparse
import sys
from typing import List, Optional

from .commands import gen_commands
from .events import gen_events
from .introspect import gen_introspect
from .schema import QAPISchema
from .source import QAPIError
from .types import gen_types
from .visit import gen_visit


def generate(schema_file: str, output_dir: str, prefix: str,
             builtins: bool) -> List[str]:
    """Write every output file; return their names (relative)."""
    schema = QAPISchema(schema_file)
    out = gen_types(schema, output_dir, prefix, builtins)
    out += gen_visit(schema, output_dir, prefix, builtins)
    out += gen_commands(schema, output_dir, prefix)
    out += gen_events(schema, output_dir, prefix)
    out += gen_introspect(schema, output_dir, prefix)
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Generate C code from a QAPI schema.')
    parser.add_argument('-b', '--builtins', action='store_true',
                        help='also generate code for the built-in types')
    parser.add_argument('-o', '--output-dir', default='',
                        help='write output files to this directory')
    parser.add_argument('-p', '--prefix', default='',
                        help='prefix for the names of output files and '
                        'of the global C functions')
    parser.add_argument('--list-outputs', action='store_true',
                        help='print the output file names, one a line')
    parser.add_argument('schema', help='the main schema file')
    args = parser.parse_args(argv)
    if args.prefix and not all(ch.isalnum() or ch in '_-'
                               for ch in args.prefix):
        print('%s: funny character in --prefix' % sys.argv[0],
              file=sys.stderr)
        return 1
    try:
        outputs = generate(args.schema, args.output_dir, args.prefix,
                           args.builtins)
    except QAPIError as err:
        print(err, file=sys.stderr)
        return 1
    if args.list_outputs:
        print('\n'.join(outputs))
    return 0
