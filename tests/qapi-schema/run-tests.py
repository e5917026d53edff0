#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run every generator test case in this folder.

Each CASE.json is fed to test-qapi.py (run from this folder, so messages
name files relatively).  Its stdout must equal CASE.out, its stderr
CASE.err, and the exit status is 0 when CASE.err is empty and 1
otherwise.  --update rewrites the golden files instead of comparing."""

import argparse
import contextlib
import difflib
import importlib.util
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def read(path: str) -> str:
    try:
        with open(path, encoding='utf-8') as f:
            return f.read()
    except FileNotFoundError:
        return ''


def load_dumper():
    """Import test-qapi.py; running it in-process keeps the suite fast."""
    spec = importlib.util.spec_from_file_location(
        'test_qapi', os.path.join(HERE, 'test-qapi.py'))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def run_dumper(name: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = DUMPER.main(['test-qapi.py', name + '.json'])
    return Result(rc, out.getvalue(), err.getvalue())


def run_case(name: str, update: bool) -> bool:
    proc = run_dumper(name)
    if update:
        for ext, text in (('.out', proc.stdout), ('.err', proc.stderr)):
            with open(os.path.join(HERE, name + ext), 'w',
                      encoding='utf-8') as f:
                f.write(text)
        return True
    ok = True
    for ext, text in (('.out', proc.stdout), ('.err', proc.stderr)):
        want = read(os.path.join(HERE, name + ext))
        if text != want:
            ok = False
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), text.splitlines(True),
                name + ext, name + ext + ' (actual)'))
    want_rc = 1 if read(os.path.join(HERE, name + '.err')) else 0
    if proc.returncode != want_rc:
        print('%s: exit status %d, expected %d'
              % (name, proc.returncode, want_rc))
        ok = False
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--update', action='store_true')
    parser.add_argument('cases', nargs='*')
    args = parser.parse_args()
    os.chdir(HERE)
    cases = args.cases or sorted(
        f[:-5] for f in os.listdir(HERE) if f.endswith('.json')
        and os.path.exists(os.path.join(HERE, f[:-5] + '.out')))
    failed = [c for c in cases if not run_case(c, args.update)]
    print('%d cases, %d failed%s' % (len(cases), len(failed),
                                     ': ' + ' '.join(failed)
                                     if failed else ''))
    return 1 if failed else 0


DUMPER = load_dumper()

if __name__ == '__main__':
    sys.exit(main())
