# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the QMP server iotests: start the system binary with
monitors it serves (UNIX or TCP server sockets) and connect to them.
iotests.VM covers the client mode; these cover the server side."""

import os
import re
import socket
import subprocess
import time
from typing import List, Optional

import iotests


def filter_greeting(line: str) -> str:
    line = re.sub(r'"micro": \d+, "minor": \d+, "major": \d+',
                  '"micro": MICRO, "minor": MINOR, "major": MAJOR', line)
    return re.sub(r'"package": "[^"]*"', '"package": PACKAGE', line)


def filter_version(obj):
    """Version numbers and package of a parsed greeting or reply."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in ('major', 'minor', 'micro') and isinstance(v, int):
                out[k] = k.upper()
            elif k == 'package':
                out[k] = 'PACKAGE'
            else:
                out[k] = filter_version(v)
        return out
    if isinstance(obj, list):
        return [filter_version(v) for v in obj]
    return obj


def sock_path(name: str) -> str:
    path = os.path.join(iotests.sock_dir, name)
    if os.path.exists(path):
        os.unlink(path)
    return path


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def start(args: List[str], stdin=subprocess.DEVNULL) -> subprocess.Popen:
    prog = iotests.require_binary(iotests.qemu_prog, 'qemu-system-x86_64')
    return subprocess.Popen([prog, '-nodefaults', '-display', 'none',
                             '-machine', 'none'] + args,
                            stdin=stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def connect(addr, family=socket.AF_UNIX,
            timeout: float = 30.0) -> iotests.QMPConnection:
    """Connect to a server socket of the binary, retrying while it
    starts up."""
    deadline = time.monotonic() + timeout
    while True:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.connect(addr)
            return iotests.QMPConnection(sock)
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def read_greeting(conn: iotests.QMPConnection) -> dict:
    return conn._read_message(30)


def finish(proc: subprocess.Popen, conn: Optional[iotests.QMPConnection]
           ) -> None:
    """Quit over @conn (when given) and print the exit status."""
    if conn is not None:
        iotests.log(conn.cmd('quit'))
        conn.close()
    out, _ = proc.communicate(timeout=60)
    if out:
        out = re.sub(r'"seconds": \d+, "microseconds": \d+',
                     '"seconds": SECS, "microseconds": USECS', out)
        print(out, end='')
    print(f'exit status {proc.returncode}')
