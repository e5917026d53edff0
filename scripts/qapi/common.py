# SPDX-License-Identifier: GPL-2.0-or-later
"""Naming rules shared by the model and the backends: how schema names
become C identifiers, and small helpers for emitting C text."""

import re
from typing import List

C_KEYWORDS = frozenset('''
    auto break case char const continue default do double else enum extern
    float for goto if inline int long register restrict return short signed
    sizeof static struct switch typedef union unsigned void volatile while
    _Bool _Complex _Imaginary bool true false asm typeof unix errno
'''.split())


def c_name(name: str, protect: bool = True) -> str:
    """Map a schema name to a C identifier: '-' and '.' become '_';
    with @protect, C keywords and names starting with a digit get 'q_'."""
    name = re.sub(r'[^A-Za-z0-9_]', '_', name)
    if protect and (name in C_KEYWORDS or name[0].isdigit()):
        return 'q_' + name
    return name


def camel_to_upper(value: str) -> str:
    """'RunState' -> 'RUN_STATE', 'QMPCapability' -> 'QMP_CAPABILITY'.

    A new word starts at a capital that is followed by a lower-case
    letter, or at a capital right after a digit."""
    name = c_name(value, False)
    if name.isupper():
        return name
    out = ''
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and name[i - 1] != '_':
            nxt = name[i + 1] if i + 1 < len(name) else ''
            if nxt.islower() or name[i - 1].isdigit():
                out += '_'
        out += ch
    return out.lstrip('_').upper()


def c_enum_const(type_name: str, value: str, prefix: str = '') -> str:
    """The C constant of enum value @value of enum @type_name."""
    return (prefix or camel_to_upper(type_name)) + '_' + \
        c_name(value, False).upper()


def indent(text: str, levels: int = 1) -> str:
    """Indent every non-empty line of @text by four spaces per level."""
    pad = '    ' * levels
    return ''.join(pad + line if line.strip() else line
                   for line in text.splitlines(True))


def mcgen(text: str, **kwds: str) -> str:
    """Dedent a triple-quoted template, drop its first newline, and fill
    in %(name)s fields."""
    lines: List[str] = text.split('\n')
    if lines and lines[0] == '':
        lines = lines[1:]
    width = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()),
                default=0)
    body = '\n'.join(ln[width:] for ln in lines)
    return body % kwds if kwds else body


def c_decl(head: str, params: List[str], tail: str = ';') -> str:
    """'HEAD(P1, P2, ...)TAIL', wrapped at 80 columns with the parameters
    aligned after the parenthesis, as QEMU's style asks."""
    text = head + '('
    line_len = len(text)
    pad = ' ' * len(text)
    args = params or ['void']
    for i, param in enumerate(args):
        piece = param + (', ' if i + 1 < len(args) else ')' + tail)
        if line_len + len(piece.rstrip()) > 80 and i > 0:
            text = text.rstrip() + '\n' + pad
            line_len = len(pad)
        text += piece
        line_len += len(piece)
    return text + '\n'
