# SPDX-License-Identifier: GPL-2.0-or-later
"""The schema language: JSON-like text with single-quoted strings, '#'
comments, '##' documentation blocks, and the 'include' and 'pragma'
directives.  The parser turns files into a flat list of expressions, each
with its source location; it knows nothing about what the keys mean."""

import os
import re
from typing import Dict, List, Optional, Set, Union

from .source import QAPIError, QAPISourceInfo

# A parsed value: dicts keep insertion order, which is the member order.
Value = Union[str, bool, List['Value'], Dict[str, 'Value']]


class QAPIParseError(QAPIError):
    """An error at the parser's current position."""

    def __init__(self, parser: 'QAPISchemaParser', msg: str) -> None:
        col = 1
        for ch in parser.src[parser.line_pos:parser.pos]:
            col = (col + 8) & ~7 if ch == '\t' else col + 1
        super().__init__(parser.info.at_line(parser.line), msg)
        self.col = col


class QAPIExpression:
    """One top-level definition or directive and where it was written."""

    def __init__(self, expr: Dict[str, Value], info: QAPISourceInfo,
                 doc: Optional[str] = None) -> None:
        self.expr = expr
        self.info = info
        self.doc = doc


PRAGMA_LISTS = ('command-name-exceptions', 'command-returns-exceptions',
                'member-name-exceptions')


class QAPISchemaPragma:
    """Settings from {'pragma': {...}} directives, merged over all files."""

    def __init__(self) -> None:
        self.doc_required = False
        self.lists: Dict[str, List[str]] = {k: [] for k in PRAGMA_LISTS}


class QAPISchemaParser:
    """Parse @fname and, recursively, the files it includes."""

    def __init__(self, fname: str,
                 previously_included: Optional[Set[str]] = None,
                 incl_info: Optional[QAPISourceInfo] = None,
                 pragma: Optional[QAPISchemaPragma] = None) -> None:
        self.fname = fname
        self.included = previously_included if previously_included \
            is not None else set()
        self.included.add(os.path.abspath(fname))
        self.pragma = pragma or QAPISchemaPragma()
        self.exprs: List[QAPIExpression] = []
        self.info = QAPISourceInfo(fname, 1, incl_info)
        raw = b''
        try:
            with open(fname, 'rb') as f:
                raw = f.read()
        except OSError as e:
            raise QAPIError(incl_info, "can't read %s file '%s': %s"
                            % ('include' if incl_info else 'schema',
                               fname, e.strerror)) from e
        try:
            self.src = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            line = raw[:e.start].count(b'\n') + 1
            raise QAPIError(self.info.at_line(line),
                            'invalid UTF-8 sequence') from e
        if not self.src.endswith('\n'):
            self.src += '\n'
        self.pos = 0
        self.line = 1
        self.line_pos = 0
        self.tok = ''
        self.val: Value = ''
        self.pending_doc: Optional[str] = None
        self.pending_doc_info: Optional[QAPISourceInfo] = None
        self._parse()

    # --- top level -------------------------------------------------------

    def _parse(self) -> None:
        self._accept()
        while self.tok != '':
            info = self.info.at_line(self.line)
            if self.tok == '#':
                self._take_doc()
                continue
            expr = self._get_expr()
            if not isinstance(expr, dict):
                raise QAPIError(info, 'top-level expression must be an '
                                'object')
            doc = self._claim_doc(expr, info)
            if 'include' in expr:
                self._include(expr, info)
            elif 'pragma' in expr:
                self._pragma(expr, info)
            else:
                self.exprs.append(QAPIExpression(expr, info, doc))
        if self.pending_doc is not None:
            self._check_doc_target(None)

    def _take_doc(self) -> None:
        if self.pending_doc is not None:
            self._check_doc_target(None)
        self.pending_doc_info = self.info.at_line(self.line)
        self.pending_doc = str(self.val)
        self._accept()

    def _doc_symbol(self) -> Optional[str]:
        assert self.pending_doc is not None
        first = self.pending_doc.split('\n', 1)[0].strip()
        m = re.fullmatch(r'@([^:\s]+):', first)
        return m.group(1) if m else None

    def _check_doc_target(self, name: Optional[str]) -> None:
        symbol = self._doc_symbol()
        if symbol is not None and symbol != name:
            raise QAPIError(self.pending_doc_info,
                            "documentation for '%s' is not followed by its "
                            "definition" % symbol)

    def _claim_doc(self, expr: Dict[str, Value],
                   info: QAPISourceInfo) -> Optional[str]:
        name = None
        for meta in ('enum', 'struct', 'union', 'alternate', 'command',
                     'event'):
            if isinstance(expr.get(meta), str):
                name = str(expr[meta])
        doc = self.pending_doc
        if doc is not None:
            self._check_doc_target(name)
        elif name is not None and self.pragma.doc_required:
            raise QAPIError(info, "definition of '%s' lacks documentation"
                            % name)
        self.pending_doc = None
        return doc

    def _include(self, expr: Dict[str, Value],
                 info: QAPISourceInfo) -> None:
        if len(expr) != 1:
            raise QAPIError(info, "invalid 'include' directive")
        target = expr['include']
        if not isinstance(target, str):
            raise QAPIError(info, "value of 'include' must be a string")
        path = os.path.join(os.path.dirname(self.fname), target)
        # Record the include even when the file was parsed already: the
        # module still depends on it
        self.exprs.append(QAPIExpression({'include': path}, info))
        if os.path.abspath(path) in self.included:
            return
        sub = QAPISchemaParser(path, self.included, info, self.pragma)
        self.exprs.extend(sub.exprs)

    def _pragma(self, expr: Dict[str, Value], info: QAPISourceInfo) -> None:
        if len(expr) != 1:
            raise QAPIError(info, "invalid 'pragma' directive")
        body = expr['pragma']
        if not isinstance(body, dict):
            raise QAPIError(info, "value of 'pragma' must be an object")
        for name, value in body.items():
            if name == 'doc-required':
                if not isinstance(value, bool):
                    raise QAPIError(info, "pragma 'doc-required' must be "
                                    "boolean")
                self.pragma.doc_required = value
            elif name in PRAGMA_LISTS:
                if not isinstance(value, list) or \
                        not all(isinstance(v, str) for v in value):
                    raise QAPIError(info, "pragma %s must be a list of "
                                    "strings" % name)
                self.pragma.lists[name].extend(str(v) for v in value)
            else:
                raise QAPIError(info, "unknown pragma '%s'" % name)

    # --- values ----------------------------------------------------------

    def _get_expr(self) -> Value:
        if self.tok == '{':
            self._accept()
            return self._get_members()
        if self.tok == '[':
            self._accept()
            return self._get_values()
        if self.tok in ("'", 't', 'f'):
            val = self.val
            self._accept()
            return val
        raise QAPIParseError(self, 'expected \'{\', \'[\', string, or '
                             'boolean')

    def _get_members(self) -> Dict[str, Value]:
        members: Dict[str, Value] = {}
        if self.tok == '}':
            self._accept()
            return members
        while True:
            if self.tok != "'":
                raise QAPIParseError(self, 'expected string or \'}\'')
            key = str(self.val)
            if key in members:
                raise QAPIParseError(self, "duplicate key '%s'" % key)
            self._accept()
            if self.tok != ':':
                raise QAPIParseError(self, "expected ':'")
            self._accept()
            members[key] = self._get_expr()
            if self.tok == '}':
                self._accept()
                return members
            if self.tok != ',':
                raise QAPIParseError(self, "expected ',' or '}'")
            self._accept()

    def _get_values(self) -> List[Value]:
        values: List[Value] = []
        if self.tok == ']':
            self._accept()
            return values
        while True:
            values.append(self._get_expr())
            if self.tok == ']':
                self._accept()
                return values
            if self.tok != ',':
                raise QAPIParseError(self, "expected ',' or ']'")
            self._accept()

    # --- tokens ----------------------------------------------------------

    def _accept(self) -> None:
        """Read the next token into self.tok (and its value into val).

        Plain comments are skipped; a '##' line opens a documentation
        block, returned as one '#' token whose value is its text."""
        while True:
            if self.pos >= len(self.src):
                self.tok = ''
                return
            ch = self.src[self.pos]
            self.tok = ch
            self.pos += 1
            if ch == '#':
                if self._at_doc_start():
                    self.val = self._read_doc()
                    return
                self._skip_line()
            elif ch in '{}:,[]':
                return
            elif ch == "'":
                self.val = self._read_string()
                return
            elif self.src.startswith('true', self.pos - 1):
                self.val = True
                self.pos += 3
                return
            elif self.src.startswith('false', self.pos - 1):
                self.val = False
                self.pos += 4
                return
            elif ch == '\n':
                self.line += 1
                self.line_pos = self.pos
            elif ch not in ' \t':
                end = self.pos
                while end < len(self.src) and \
                        re.match(r'[^\s[\]{}:,\']', self.src[end]):
                    end += 1
                self.pos -= 1
                raise QAPIParseError(self, "stray '%s'"
                                     % self.src[self.pos:end])

    def _at_doc_start(self) -> bool:
        start = self.pos - 1
        return start == self.line_pos and \
            self.src.startswith('##\n', start)

    def _skip_line(self) -> None:
        end = self.src.find('\n', self.pos)
        self.pos = end

    def _read_doc(self) -> str:
        """Read the '##' ... '##' block; return its text without '#'."""
        lines: List[str] = []
        self._skip_line()
        while True:
            self.pos += 1
            self.line += 1
            self.line_pos = self.pos
            end = self.src.find('\n', self.pos)
            if end < 0:
                raise QAPIParseError(self, 'documentation block is not '
                                     'closed with \'##\'')
            text = self.src[self.pos:end]
            self.pos = end
            if text == '##':
                return '\n'.join(lines)
            if not text.startswith('#'):
                raise QAPIParseError(self, "missing '#' at start of "
                                     "documentation comment line")
            lines.append(text[1:].lstrip(' ') if text != '#' else '')

    def _read_string(self) -> str:
        out = ''
        while True:
            if self.pos >= len(self.src) or self.src[self.pos] == '\n':
                raise QAPIParseError(self, 'missing terminating "\'"')
            ch = self.src[self.pos]
            self.pos += 1
            if ch == "'":
                return out
            if ch == '\\':
                esc = self.src[self.pos]
                if esc == '\n':
                    raise QAPIParseError(self, 'missing terminating "\'"')
                self.pos += 1
                if esc not in "\\'/":
                    raise QAPIParseError(self, "unknown escape \\%s" % esc)
                ch = esc
            elif not ch.isprintable() or ord(ch) > 127:
                raise QAPIParseError(self, 'funny character in string')
            out += ch
