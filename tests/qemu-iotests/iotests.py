# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for python iotests: the environment the check runner exports,
running the tools, output filters, and a VM class speaking QMP.

The VM listens on a UNIX socket and the system binary connects to it
(-chardev socket without server=on), so there is no race to wait out.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from typing import Any, Callable, Dict, Iterable, List, Optional

imgfmt = os.environ.get('IMGFMT', 'qcow2')
imgproto = os.environ.get('IMGPROTO', 'file')
test_dir = os.environ.get('TEST_DIR', '/tmp')
sock_dir = os.environ.get('SOCK_DIR', '/tmp')
output_dir = os.environ.get('OUTPUT_DIR', '.')
test_name = os.environ.get('TEST_NAME', os.path.basename(sys.argv[0]))
qemu_prog = os.environ.get('QEMU_PROG', 'qemu-system-x86_64')
qemu_img_prog = os.environ.get('QEMU_IMG_PROG', 'qemu-img')
qemu_io_prog = os.environ.get('QEMU_IO_PROG', 'qemu-io')
qemu_nbd_prog = os.environ.get('QEMU_NBD_PROG', 'qemu-nbd')
real_qemu_prog = os.environ.get('REAL_QEMU_PROG')
real_qemu_img_prog = os.environ.get('REAL_QEMU_IMG_PROG')
real_qemu_io_prog = os.environ.get('REAL_QEMU_IO_PROG')

Filter = Callable[[str], str]


def notrun(reason: str) -> None:
    """Skip the whole test, telling the runner why."""
    name = os.path.basename(test_name)
    with open(os.path.join(output_dir, name + '.notrun'), 'w',
              encoding='utf-8') as f:
        f.write(reason + '\n')
    sys.exit(0)


def require_binary(path: Optional[str], what: str) -> str:
    if not path or not os.access(path, os.X_OK):
        notrun(f'{what} not available')
    assert path is not None
    return path


def verify_image_format(supported_fmts: Iterable[str] = ()) -> None:
    fmts = list(supported_fmts)
    if fmts and 'generic' not in fmts and imgfmt not in fmts:
        notrun(f'not suitable for this image format: {imgfmt}')


# Filters keep golden output free of paths, times and PIDs.

def filter_test_dir(text: str) -> str:
    for path, name in ((test_dir, 'TEST_DIR'), (sock_dir, 'SOCK_DIR')):
        text = text.replace(path, name)
    return text


def filter_qemu_io(text: str) -> str:
    text = re.sub(r'[0-9]+ ops; [0-9/:. sec]+ \([0-9/.inf]+ [EPTGMKiBbytes]+/sec'
                  r' and [0-9/.inf]+ ops/sec\)',
                  'X ops; XX:XX:XX.X (XXX YYY/sec and XXX ops/sec)', text)
    return filter_test_dir(text)


def filter_qmp_timestamp(obj: Any) -> Any:
    if isinstance(obj, dict) and 'timestamp' in obj:
        obj = dict(obj)
        obj['timestamp'] = {'seconds': 'SECS', 'microseconds': 'USECS'}
    return obj


def filter_qmp(obj: Any, fn: Filter) -> Any:
    """Apply a string filter to every string inside a QMP object."""
    if isinstance(obj, dict):
        return {k: filter_qmp(v, fn) for k, v in obj.items()}
    if isinstance(obj, list):
        return [filter_qmp(v, fn) for v in obj]
    if isinstance(obj, str):
        return fn(obj)
    return obj


def log(msg: Any, filters: Iterable[Filter] = (), indent: Optional[int] = None
        ) -> None:
    """Print a line (or a QMP object as sorted JSON) after filtering."""
    if isinstance(msg, (dict, list)):
        msg = filter_qmp_timestamp(msg)
        for f in filters:
            msg = filter_qmp(msg, f)
        print(json.dumps(msg, sort_keys=True, indent=indent))
    else:
        for f in filters:
            msg = f(msg)
        print(msg)
    sys.stdout.flush()


def run_tool(args: List[str], check: bool = False
             ) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError(f'{args[0]} failed ({proc.returncode}):\n'
                           + proc.stdout)
    return proc


def qemu_img(*args: str, check: bool = True, prog: Optional[str] = None
             ) -> subprocess.CompletedProcess:
    return run_tool([prog or qemu_img_prog] + list(args), check)


def qemu_img_log(*args: str, prog: Optional[str] = None) -> int:
    proc = qemu_img(*args, check=False, prog=prog)
    log(proc.stdout.rstrip('\n'), filters=[filter_test_dir])
    return proc.returncode


def qemu_io(*args: str, check: bool = True, prog: Optional[str] = None
            ) -> subprocess.CompletedProcess:
    return run_tool([prog or qemu_io_prog] + list(args), check)


def qemu_io_log(*args: str, prog: Optional[str] = None) -> int:
    proc = qemu_io(*args, check=False, prog=prog)
    log(proc.stdout.rstrip('\n'), filters=[filter_qemu_io])
    return proc.returncode


class QMPError(Exception):
    pass


class QMPConnection:
    """A minimal synchronous QMP client over an accepted socket."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buf = b''
        self.events: List[Dict[str, Any]] = []
        self.greeting: Dict[str, Any] = {}

    def _read_message(self, timeout: Optional[float]) -> Dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while b'\n' not in self.buf:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError('no QMP message in time')
                self.sock.settimeout(left)
            else:
                self.sock.settimeout(None)
            try:
                data = self.sock.recv(65536)
            except socket.timeout as e:
                raise TimeoutError('no QMP message in time') from e
            if not data:
                raise QMPError('QMP connection closed')
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line.decode('utf-8'))

    def negotiate(self, timeout: float = 30) -> None:
        self.greeting = self._read_message(timeout)
        if 'QMP' not in self.greeting:
            raise QMPError(f'bad greeting: {self.greeting}')
        reply = self.cmd('qmp_capabilities')
        if reply != {'return': {}}:
            raise QMPError(f'negotiation failed: {reply}')

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def cmd(self, name: str, args: Optional[Dict[str, Any]] = None,
            timeout: Optional[float] = 120, **kwargs: Any) -> Dict[str, Any]:
        msg: Dict[str, Any] = {'execute': name}
        arguments = dict(args or {})
        arguments.update({k.replace('_', '-'): v for k, v in kwargs.items()})
        if arguments:
            msg['arguments'] = arguments
        self.send_raw(json.dumps(msg).encode('utf-8') + b'\n')
        return self.read_reply(timeout)

    def read_reply(self, timeout: Optional[float] = 120) -> Dict[str, Any]:
        while True:
            resp = self._read_message(timeout)
            if 'event' in resp:
                self.events.append(resp)
                continue
            return resp

    def get_events(self, wait: float = 0.0) -> List[Dict[str, Any]]:
        """Return the events received so far, waiting up to @wait seconds
        for at least one when there are none."""
        if not self.events and wait > 0:
            try:
                msg = self._read_message(wait)
                self.events.append(msg)
            except TimeoutError:
                pass
        self.sock.setblocking(False)
        try:
            while True:
                try:
                    data = self.sock.recv(65536)
                except BlockingIOError:
                    break
                if not data:
                    break
                self.buf += data
        finally:
            self.sock.setblocking(True)
        while b'\n' in self.buf:
            self.events.append(self._read_message(None))
        events, self.events = self.events, []
        return events

    def event_wait(self, name: str, timeout: float = 60.0,
                   match: Optional[Dict[str, Any]] = None
                   ) -> Dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get('event') == name and _matches(ev, match):
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f'event {name} did not arrive')
            self.events.append(self._read_message(left))

    def close(self) -> None:
        self.sock.close()


def _matches(event: Dict[str, Any], match: Optional[Dict[str, Any]]) -> bool:
    if not match:
        return True
    for key, want in match.items():
        have = event.get(key)
        if isinstance(want, dict):
            if not isinstance(have, dict) or not _matches(have, want):
                return False
        elif have != want:
            return False
    return True


class VM:
    """The system binary under test, with a QMP connection."""

    _count = 0

    def __init__(self, binary: Optional[str] = None, name: str = 'vm'):
        VM._count += 1
        self.binary = binary or qemu_prog
        self.name = f'{name}{VM._count}'
        self.args: List[str] = []
        self.sock_path = os.path.join(sock_dir, f'{self.name}-qmp.sock')
        self.log_path = os.path.join(test_dir, f'{self.name}.log')
        self.proc: Optional[subprocess.Popen] = None
        self.qmp: Optional[QMPConnection] = None

    def add_args(self, *args: str) -> 'VM':
        self.args.extend(args)
        return self

    def add_blockdev(self, opts: str) -> 'VM':
        return self.add_args('-blockdev', opts)

    def add_drive(self, path: str, opts: str = '',
                  fmt: Optional[str] = None) -> 'VM':
        spec = f'file={path},if=none,format={fmt or imgfmt}'
        if opts:
            spec += ',' + opts
        return self.add_args('-drive', spec)

    def launch(self) -> 'VM':
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.sock_path)
        listener.listen(1)
        cmd = [self.binary, '-display', 'none', '-nodefaults',
               '-machine', 'none',
               '-chardev', f'socket,id=mon,path={self.sock_path}',
               '-mon', 'chardev=mon,mode=control'] + self.args
        self.logfile = open(self.log_path, 'w', encoding='utf-8')
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self.logfile,
                                     stderr=subprocess.STDOUT)
        listener.settimeout(1.0)
        try:
            while True:
                try:
                    conn, _ = listener.accept()
                    break
                except socket.timeout:
                    if self.proc.poll() is not None:
                        raise QMPError('VM exited during startup:\n'
                                       + self.output()) from None
        finally:
            listener.close()
        self.qmp = QMPConnection(conn)
        self.qmp.negotiate()
        return self

    def output(self) -> str:
        self.logfile.flush()
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def cmd(self, name: str, args: Optional[Dict[str, Any]] = None,
            **kwargs: Any) -> Dict[str, Any]:
        assert self.qmp is not None
        return self.qmp.cmd(name, args, **kwargs)

    def qmp_log(self, name: str, args: Optional[Dict[str, Any]] = None,
                filters: Iterable[Filter] = (), **kwargs: Any
                ) -> Dict[str, Any]:
        msg: Dict[str, Any] = {'execute': name}
        arguments = dict(args or {})
        arguments.update({k.replace('_', '-'): v for k, v in kwargs.items()})
        if arguments:
            msg['arguments'] = arguments
        log(msg, filters=filters)
        reply = self.cmd(name, arguments)
        log(reply, filters=filters)
        return reply

    def event_wait(self, name: str, timeout: float = 60.0,
                   match: Optional[Dict[str, Any]] = None
                   ) -> Dict[str, Any]:
        assert self.qmp is not None
        return self.qmp.event_wait(name, timeout, match)

    def get_events(self, wait: float = 0.0) -> List[Dict[str, Any]]:
        assert self.qmp is not None
        return self.qmp.get_events(wait)

    def hmp(self, command: str) -> Dict[str, Any]:
        return self.cmd('human-monitor-command', {'command-line': command})

    def hmp_qemu_io(self, drive: str, command: str) -> Dict[str, Any]:
        return self.hmp(f'qemu-io {drive} "{command}"')

    def shutdown(self, timeout: float = 60.0) -> int:
        """Quit over QMP (or kill on failure) and return the exit status."""
        if self.proc is None:
            return 0
        try:
            if self.qmp is not None:
                self.qmp.cmd('quit', timeout=timeout)
        except (QMPError, OSError, TimeoutError):
            pass
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        if self.qmp is not None:
            self.qmp.close()
            self.qmp = None
        self.logfile.close()
        self.proc = None
        return status

    def __enter__(self) -> 'VM':
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()


def script_main(fn: Callable[[], None],
                supported_fmts: Iterable[str] = (),
                required_binaries: Iterable[str] = ()) -> None:
    """Run a log-style test: check requirements, then call @fn."""
    verify_image_format(supported_fmts)
    for b in required_binaries:
        require_binary(b, os.path.basename(b))
    fn()
