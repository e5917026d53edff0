#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Self-test of scripts/qapi-compare-schema.py: it must accept our schema
compared with itself under any type numbering, and report each kind of
difference an edit to the reference introduces."""

import copy
import importlib.util
import os
import sys
import unittest
from typing import Any, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, '..', '..', 'scripts')
sys.path.insert(0, SCRIPTS)


def load_comparer() -> Any:
    spec = importlib.util.spec_from_file_location(
        'qapi_compare_schema', os.path.join(SCRIPTS, 'qapi-compare-schema.py'))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CMP = load_comparer()
SCHEMA = os.path.join(HERE, '..', '..', 'qapi', 'qapi-schema.json')


def renumber(entries: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Rename every numbered type (n -> 1000 + n), as another QEMU build
    with more types would, and rewrite every reference."""
    def new(name: str) -> str:
        if name.isdigit():
            return str(1000 + int(name))
        if name.startswith('[') and name[1:-1].isdigit():
            return '[%d]' % (1000 + int(name[1:-1]))
        return name

    def walk(value: Any, key: str = '') -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in ('name', 'type', 'arg-type',
                                              'ret-type', 'element-type'):
            return new(value)
        return value
    return [walk(e) for e in entries]


def entity(entries: List[Dict[str, Any]], name: str) -> Dict[str, Any]:
    return next(e for e in entries if e['name'] == name)


class TestCompare(unittest.TestCase):
    def setUp(self) -> None:
        self.ours = CMP.our_schema(SCHEMA)

    def differences(self, ref: List[Dict[str, Any]]) -> List[str]:
        comparer = CMP.Comparer(self.ours, ref)
        comparer.run()
        return comparer.errors

    def test_identical(self) -> None:
        self.assertEqual(self.differences(self.ours), [])

    def test_renumbered(self) -> None:
        self.assertEqual(self.differences(renumber(self.ours)), [])

    def test_missing_command(self) -> None:
        ref = [e for e in self.ours if e['name'] != 'query-status']
        self.assertEqual(self.differences(ref),
                         ['query-status: command not in QEMU'])

    def test_optional_differs(self) -> None:
        ref = copy.deepcopy(self.ours)
        arg = entity(ref, entity(ref, 'human-monitor-command')['arg-type'])
        del arg['members'][1]['default']
        self.assertEqual(self.differences(ref),
                         ['human-monitor-command arg.cpu-index: optional '
                          'is True, QEMU False'])

    def test_enum_values_differ(self) -> None:
        ref = copy.deepcopy(self.ours)
        event = entity(ref, 'SHUTDOWN')
        reason = entity(ref, entity(ref, event['arg-type'])
                        ['members'][1]['type'])
        reason['values'] = reason['values'][:-1]
        errors = self.differences(ref)
        self.assertEqual(len(errors), 1)
        self.assertTrue(errors[0].startswith('SHUTDOWN arg.reason: enum'))

    def test_member_renamed(self) -> None:
        ref = copy.deepcopy(self.ours)
        ret = entity(ref, entity(ref, 'query-version')['ret-type'])
        ret['members'][1]['name'] = 'pkg'
        self.assertEqual(len(self.differences(ref)), 1)

    def test_features_differ(self) -> None:
        ref = copy.deepcopy(self.ours)
        del entity(ref, 'human-monitor-command')['features']
        self.assertEqual(len(self.differences(ref)), 1)


if __name__ == '__main__':
    unittest.main()
