#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run every test (meson unit tests, then the iotests in each format) and
print one closing line, "N passed, N failed, N skipped", covering all."""

import argparse
import json
import os
import re
import subprocess
import sys

SUMMARY_RE = re.compile(r'^(\d+) passed, (\d+) failed, (\d+) skipped$')


def run_unit(build_dir):
    log = os.path.join(build_dir, 'meson-logs', 'testlog.json')
    if os.path.exists(log):
        os.remove(log)
    subprocess.call(['meson', 'test', '-C', build_dir, '--print-errorlogs',
                     '--num-processes', str(os.cpu_count() or 2)])
    counts = [0, 0, 0]
    if not os.path.exists(log):
        print('run-checks: meson test wrote no log', file=sys.stderr)
        return [0, 1, 0]
    with open(log, encoding='utf-8') as f:
        for line in f:
            result = json.loads(line).get('result', 'FAIL')
            if result in ('OK', 'EXPECTEDFAIL'):
                counts[0] += 1
            elif result == 'SKIP':
                counts[2] += 1
            else:
                counts[1] += 1
    return counts


def run_iotests(build_dir, extra):
    here = os.path.dirname(os.path.abspath(__file__))
    check = os.path.join(os.path.dirname(here), 'tests', 'qemu-iotests',
                         'check')
    jobs = str(os.cpu_count() or 2)
    cmd = [sys.executable, check, '--build-dir', build_dir, '-j', jobs,
           '-qcow2', '-raw'] + extra
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    last = ''
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.strip():
            last = line.strip()
    proc.wait()
    m = SUMMARY_RE.match(last)
    if not m:
        print('run-checks: the iotests runner printed no summary',
              file=sys.stderr)
        return [0, 1, 0]
    return [int(x) for x in m.groups()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--build-dir', required=True)
    p.add_argument('--unit-only', action='store_true')
    p.add_argument('--iotests-only', action='store_true')
    p.add_argument('iotest_args', nargs='*')
    args = p.parse_args()
    build_dir = os.path.abspath(args.build_dir)

    total = [0, 0, 0]
    if not args.iotests_only:
        print('== unit tests ==', flush=True)
        total = [a + b for a, b in zip(total, run_unit(build_dir))]
    if not args.unit_only:
        print('== iotests ==', flush=True)
        total = [a + b for a, b in zip(total,
                                       run_iotests(build_dir,
                                                   args.iotest_args))]
    print(f'{total[0]} passed, {total[1]} failed, {total[2]} skipped')
    return 1 if total[1] else 0


if __name__ == '__main__':
    sys.exit(main())
