#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare our query-qmp-schema with the real QEMU's.

For every command and event our schema defines, the real QEMU must have
one of the same name whose argument and return types have the same shape:
the same member names, optionality, features and, recursively, types,
however the types are numbered.  Enums must have the same values in the
same order.  Our reply comes from the generator's model (the same data
qapi-introspect.c is built from) or from a JSON file (-o, e.g. captured
from our binary); the reference from QEMU run with -machine none, or from
a JSON file (-r).  Exit status 0 when they match, 1 with a list of
differences, 77 when no reference is available."""

import argparse
import json
import os
import shutil
import subprocess
import sys
from typing import Any, Dict, List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from qapi.introspect import (QAPISchemaGenIntrospectVisitor,  # noqa: E402
                             to_json)
from qapi.schema import QAPISchema  # noqa: E402

SchemaDict = Dict[str, Dict[str, Any]]


def our_schema(schema_file: str) -> List[Dict[str, Any]]:
    vis = QAPISchemaGenIntrospectVisitor('')
    QAPISchema(schema_file).visit(vis)
    return [to_json(e.value) for e in vis.entries()]


def qemu_schema(binary: str) -> Optional[List[Dict[str, Any]]]:
    if not shutil.which(binary):
        return None
    msgs = ('{"execute":"qmp_capabilities"}\n'
            '{"execute":"query-qmp-schema"}\n{"execute":"quit"}\n')
    out = subprocess.run([binary, '-nodefaults', '-display', 'none',
                          '-machine', 'none', '-qmp', 'stdio'],
                         input=msgs, capture_output=True, text=True,
                         timeout=60, check=False).stdout
    for line in out.splitlines():
        reply = json.loads(line)
        if isinstance(reply.get('return'), list):
            return reply['return']
    return None


class Comparer:
    def __init__(self, ours: List[Dict[str, Any]],
                 ref: List[Dict[str, Any]]) -> None:
        self.ours: SchemaDict = {e['name']: e for e in ours}
        self.ref: SchemaDict = {e['name']: e for e in ref}
        self.errors: List[str] = []
        self.notes: List[str] = []
        self._pairs: Dict[str, str] = {}

    def fail(self, where: str, msg: str) -> None:
        self.errors.append('%s: %s' % (where, msg))

    def same_type(self, where: str, ours: str, ref: str) -> None:
        """Compare two types by structure, following references."""
        if ours in self._pairs:
            if self._pairs[ours] != ref:
                self.fail(where, 'type used inconsistently')
            return
        self._pairs[ours] = ref
        a, b = self.ours.get(ours), self.ref.get(ref)
        if a is None or b is None:
            self.fail(where, 'type %s/%s missing' % (ours, ref))
            return
        if a['meta-type'] != b['meta-type']:
            self.fail(where, 'is %s, QEMU has %s'
                      % (a['meta-type'], b['meta-type']))
            return
        meta = a['meta-type']
        if a.get('features', []) != b.get('features', []):
            self.fail(where, 'features %s, QEMU has %s'
                      % (a.get('features'), b.get('features')))
        if meta == 'builtin':
            if a['name'] != b['name'] or a['json-type'] != b['json-type']:
                self.fail(where, 'builtin %s, QEMU has %s'
                          % (a['name'], b['name']))
        elif meta == 'enum':
            if a['values'] != b['values']:
                self.fail(where, 'enum values %s, QEMU has %s'
                          % (a['values'], b['values']))
        elif meta == 'array':
            self.same_type(where + '[]', a['element-type'],
                           b['element-type'])
        elif meta == 'object':
            self.same_object(where, a, b)
        elif meta == 'alternate':
            ta = [m['type'] for m in a['members']]
            tb = [m['type'] for m in b['members']]
            if len(ta) != len(tb):
                self.fail(where, 'alternate has %d branches, QEMU %d'
                          % (len(ta), len(tb)))
            for x, y in zip(ta, tb):
                self.same_type(where + '|', x, y)

    def same_object(self, where: str, a: Dict[str, Any],
                    b: Dict[str, Any]) -> None:
        ma = {m['name']: m for m in a['members']}
        mb = {m['name']: m for m in b['members']}
        if list(ma) != list(mb):
            self.fail(where, 'members %s, QEMU has %s'
                      % (list(ma), list(mb)))
        for name in ma:
            if name not in mb:
                continue
            x, y = ma[name], mb[name]
            if ('default' in x) != ('default' in y):
                self.fail(where + '.' + name, 'optional is %s, QEMU %s'
                          % ('default' in x, 'default' in y))
            if x.get('features', []) != y.get('features', []):
                self.fail(where + '.' + name, 'features %s, QEMU has %s'
                          % (x.get('features'), y.get('features')))
            self.same_type(where + '.' + name, x['type'], y['type'])
        if a.get('tag') != b.get('tag'):
            self.fail(where, 'tag %s, QEMU has %s'
                      % (a.get('tag'), b.get('tag')))
        va = {v['case']: v['type'] for v in a.get('variants', [])}
        vb = {v['case']: v['type'] for v in b.get('variants', [])}
        # Branches we build come in QEMU's order; unbuilt ones follow
        built = [c for c in va if not self.is_empty(self.ours, va[c])]
        if set(va) != set(vb) or \
                built != [c for c in vb if c in built]:
            self.fail(where, 'variants %s, QEMU has %s'
                      % (list(va), list(vb)))
        for case in va:
            if case not in vb:
                continue
            if self.is_empty(self.ours, va[case]) and \
                    not self.is_empty(self.ref, vb[case]):
                # A branch we do not build: its tag value is accepted and
                # refused later, so report it without failing
                self.notes.append('%s{%s}: branch not built' % (where, case))
                continue
            self.same_type('%s{%s}' % (where, case), va[case], vb[case])

    @staticmethod
    def is_empty(schema: SchemaDict, name: str) -> bool:
        ent = schema.get(name, {})
        return ent.get('meta-type') == 'object' and not ent['members'] \
            and not ent.get('variants')

    def run(self) -> None:
        for name, ent in self.ours.items():
            if ent['meta-type'] not in ('command', 'event'):
                continue
            ref = self.ref.get(name)
            if ref is None or ref['meta-type'] != ent['meta-type']:
                self.fail(name, '%s not in QEMU' % ent['meta-type'])
                continue
            if ent.get('features', []) != ref.get('features', []):
                self.fail(name, 'features %s, QEMU has %s'
                          % (ent.get('features'), ref.get('features')))
            if ent.get('allow-oob', False) != ref.get('allow-oob', False):
                self.fail(name, 'allow-oob differs')
            self.same_type(name + ' arg', ent['arg-type'], ref['arg-type'])
            if 'ret-type' in ent:
                self.same_type(name + ' ret', ent['ret-type'],
                               ref['ret-type'])


def same_as_model(ours: List[Dict[str, Any]],
                  model: List[Dict[str, Any]]) -> int:
    """Exact comparison, entry by entry, in order."""
    if ours == model:
        print('%d entries match the model' % len(model))
        return 0
    for i, (a, b) in enumerate(zip(ours, model)):
        if a != b:
            print('entry %d differs:\n  C:     %s\n  model: %s'
                  % (i, json.dumps(a), json.dumps(b)))
            return 1
    print('%d entries, model has %d' % (len(ours), len(model)))
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--schema', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'qapi',
        'qapi-schema.json'))
    parser.add_argument('-o', '--ours', help='our reply as a JSON file')
    parser.add_argument('--ours-exe', help='a program printing our reply')
    parser.add_argument('--against-model', action='store_true',
                        help='instead of QEMU, require our reply to equal '
                        'the generator model exactly')
    parser.add_argument('-r', '--reference', help='QEMU reply, JSON file')
    parser.add_argument('--qemu', default='qemu-system-x86_64')
    args = parser.parse_args()
    if args.ours:
        with open(args.ours, encoding='utf-8') as f:
            ours = json.load(f)
    elif args.ours_exe:
        ours = json.loads(subprocess.run([args.ours_exe], check=True,
                                         capture_output=True, text=True,
                                         timeout=60).stdout)
    else:
        ours = our_schema(args.schema)
    if args.against_model:
        return same_as_model(ours, our_schema(args.schema))
    if args.reference:
        with open(args.reference, encoding='utf-8') as f:
            ref = json.load(f)
    else:
        ref = qemu_schema(args.qemu)
        if ref is None:
            print('SKIP: %s not available' % args.qemu)
            return 77
    cmp = Comparer(ours, ref)
    cmp.run()
    for note in sorted(set(cmp.notes)):
        print('note: ' + note)
    for err in cmp.errors:
        print(err)
    count = sum(1 for e in ours if e['meta-type'] in ('command', 'event'))
    if cmp.errors:
        print('%d differences' % len(cmp.errors))
        return 1
    print('%d commands and events match QEMU' % count)
    return 0


if __name__ == '__main__':
    sys.exit(main())
