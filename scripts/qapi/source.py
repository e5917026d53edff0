# SPDX-License-Identifier: GPL-2.0-or-later
"""Source locations and the one error type of the generator.

Every message the generator prints names FILE:LINE, and for definitions
that come through 'include' the chain of including files, so a schema
author can find the offending line without reading the generator."""

from typing import Optional


class QAPISourceInfo:
    """Where something came from: a file, a line, and who included it."""

    def __init__(self, fname: str, line: int,
                 parent: Optional['QAPISourceInfo'] = None) -> None:
        self.fname = fname
        self.line = line
        self.parent = parent
        # The definition being checked, for messages like "In command 'x':"
        self.defn_meta: Optional[str] = None
        self.defn_name: Optional[str] = None

    def at_line(self, line: int) -> 'QAPISourceInfo':
        info = QAPISourceInfo(self.fname, line, self.parent)
        return info

    def set_defn(self, meta: str, name: str) -> None:
        self.defn_meta = meta
        self.defn_name = name

    def loc(self) -> str:
        return '%s:%d' % (self.fname, self.line)

    def include_path(self) -> str:
        text = ''
        parent = self.parent
        while parent:
            text = 'In file included from %s:\n' % parent.loc() + text
            parent = parent.parent
        return text

    def in_defn(self) -> str:
        if self.defn_name:
            return "%s: In %s '%s':\n" % (self.fname, self.defn_meta,
                                          self.defn_name)
        return ''

    def __str__(self) -> str:
        return self.include_path() + self.in_defn() + self.loc()


class QAPIError(Exception):
    """A schema error; str() gives the full located message."""

    def __init__(self, info: Optional[QAPISourceInfo], msg: str) -> None:
        super().__init__(msg)
        self.info = info
        self.msg = msg

    def __str__(self) -> str:
        if self.info is None:
            return self.msg
        return '%s: %s' % (self.info, self.msg)
