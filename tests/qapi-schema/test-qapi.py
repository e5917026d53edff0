#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A test backend: print the model of a schema in a plain text form, one
entity per block, so golden .out files show what the front end built.
The builtin module is left out; errors go to stderr as FILE:LINE: msg."""

import os
import sys
from typing import List, Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', 'scripts'))

# pylint: disable=wrong-import-position
from qapi.schema import (BUILTIN_MODULE, QAPISchema,  # noqa: E402
                         QAPISchemaCommand, QAPISchemaEnumMember,
                         QAPISchemaEvent, QAPISchemaFeature,
                         QAPISchemaIfCond, QAPISchemaObjectType,
                         QAPISchemaObjectTypeMember, QAPISchemaType,
                         QAPISchemaVariants, QAPISchemaVisitor)
from qapi.source import QAPIError, QAPISourceInfo  # noqa: E402


def extras(ifcond: QAPISchemaIfCond, features: List[QAPISchemaFeature],
           level: int = 1) -> None:
    pad = '    ' * level
    if ifcond.is_present():
        print('%sif %s' % (pad, ifcond.describe()))
    for f in features:
        print('%sfeature %s' % (pad, f.name))
        if f.ifcond.is_present():
            print('%s    if %s' % (pad, f.ifcond.describe()))


class DumpVisitor(QAPISchemaVisitor):
    def __init__(self) -> None:
        self.skip = False

    def visit_module(self, name: str) -> None:
        self.skip = name == BUILTIN_MODULE
        if not self.skip:
            print('module %s' % name)

    def visit_include(self, name: str, info: QAPISourceInfo) -> None:
        print('include %s' % name)

    def visit_enum_type(self, name: str, info: Optional[QAPISourceInfo],
                        ifcond: QAPISchemaIfCond,
                        features: List[QAPISchemaFeature],
                        members: List[QAPISchemaEnumMember],
                        prefix: Optional[str]) -> None:
        print('enum %s' % name)
        if prefix:
            print('    prefix %s' % prefix)
        for m in members:
            print('    value %s' % m.name)
            extras(m.ifcond, m.features, 2)
        extras(ifcond, features)

    def visit_array_type(self, name: str, info: Optional[QAPISourceInfo],
                         ifcond: QAPISchemaIfCond,
                         element_type: QAPISchemaType) -> None:
        if not self.skip:
            print('array %s %s' % (name, element_type.name))
            extras(ifcond, [])

    def _members(self, members: List[QAPISchemaObjectTypeMember]) -> None:
        for m in members:
            print('    member %s: %s optional=%s'
                  % (m.name, m.type.name, m.optional))
            extras(m.ifcond, m.features, 2)

    def _variants(self, variants: Optional[QAPISchemaVariants]) -> None:
        if not variants:
            return
        if variants.tag_member:
            print('    tag %s' % variants.tag_member.name)
        else:
            print('    tag type')
        for v in variants.variants:
            print('    case %s: %s' % (v.name, v.type.name))
            extras(v.ifcond, [], 2)

    def visit_object_type(self, name: str, info: Optional[QAPISourceInfo],
                          ifcond: QAPISchemaIfCond,
                          features: List[QAPISchemaFeature],
                          base: Optional[QAPISchemaObjectType],
                          members: List[QAPISchemaObjectTypeMember],
                          variants: Optional[QAPISchemaVariants]) -> None:
        if self.skip:
            return
        print('object %s' % name)
        if base:
            print('    base %s' % base.name)
        self._members(members)
        self._variants(variants)
        extras(ifcond, features)

    def visit_alternate_type(self, name: str,
                             info: Optional[QAPISourceInfo],
                             ifcond: QAPISchemaIfCond,
                             features: List[QAPISchemaFeature],
                             variants: QAPISchemaVariants) -> None:
        print('alternate %s' % name)
        self._variants(variants)
        extras(ifcond, features)

    def visit_command(self, cmd: QAPISchemaCommand) -> None:
        print('command %s %s -> %s'
              % (cmd.name, cmd.arg_type.name if cmd.arg_type else None,
                 cmd.ret_type.name if cmd.ret_type else None))
        print('    gen=%s success_response=%s boxed=%s oob=%s '
              'preconfig=%s coroutine=%s'
              % (cmd.gen, cmd.success_response, cmd.boxed, cmd.allow_oob,
                 cmd.allow_preconfig, cmd.coroutine))
        extras(cmd.ifcond, cmd.features)

    def visit_event(self, event: QAPISchemaEvent) -> None:
        print('event %s %s' % (event.name, event.arg_type.name
                               if event.arg_type else None))
        print('    boxed=%s' % event.boxed)
        extras(event.ifcond, event.features)


def main(argv: List[str]) -> int:
    try:
        schema = QAPISchema(argv[1])
    except QAPIError as err:
        print(err, file=sys.stderr)
        return 1
    schema.visit(DumpVisitor())
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
