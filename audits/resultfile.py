"""Read and write a result.json without holding its long lists in memory.

A 100,000-page result.json is ~240 MB; ``json.load`` makes it ~1 GB of Python objects. ``read_result``
reads the top-level object a member at a time, and the items of the long lists (findings, pages,
services, fixes) one at a time into Spools (common/spool.py). Each value is decoded by the standard library's C decoder
(``JSONDecoder.raw_decode``); only the layout between them is read here. One pass over the file.

Any valid JSON is read as ``json.load`` would (key order, duplicate keys: the last wins); invalid JSON
raises ``json.JSONDecodeError``.
"""

from __future__ import annotations

import json
import os
from typing import IO, Any

from common.fileio import atomic_open
from common.spool import Spool

STREAMED = frozenset({"findings", "pages", "services", "fixes"})
_CHUNK = 1 << 20
_SPACE = " \t\n\r"


class _Reader:
    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.buf = ""
        self.at = 0
        self.eof = False
        self.decoder = json.JSONDecoder()
        self.read = 0                       # characters consumed before self.buf

    def _more(self, size: int = _CHUNK) -> bool:
        chunk = self.fh.read(size)
        if not chunk:
            self.eof = True
            return False
        self.read += self.at
        self.buf = self.buf[self.at:] + chunk
        self.at = 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            while self.at < len(self.buf) and self.buf[self.at] in _SPACE:
                self.at += 1
            if self.at < len(self.buf) or not self._more():
                return self.buf[self.at:self.at + 1]

    def take(self, char: str) -> None:
        if self.peek() != char:
            raise self.error(f"Expecting {char!r}")
        self.at += 1

    def value(self) -> Any:
        """The next JSON value; reads on while the buffer ends inside it."""
        self.peek()
        size = _CHUNK
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.at)
            except json.JSONDecodeError:
                if self.eof or not self._more(size):
                    raise self.error("Expecting value") from None
                size *= 2           # a long value: re-decoding it costs O(its length) in all
                continue
            if end == len(self.buf) and not self.eof and self._more(size):
                continue            # a number may go on in the next chunk
            self.at = end
            return value

    def error(self, what: str) -> json.JSONDecodeError:
        return json.JSONDecodeError(what, self.buf, self.at)


def read(fh: IO[str]) -> Any:
    """The JSON document in ``fh``; its top-level "findings", "pages", "services" and "fixes" lists as Spools."""
    reader = _Reader(fh)
    if reader.peek() != "{":
        doc = reader.value()
    else:
        reader.take("{")
        doc = {}
        while reader.peek() != "}":
            if doc:
                reader.take(",")
            key = reader.value()
            if not isinstance(key, str):
                raise reader.error("Expecting property name enclosed in double quotes")
            reader.take(":")
            if key in STREAMED and reader.peek() == "[":
                doc[key] = _items(reader)
            else:
                doc[key] = reader.value()
        reader.take("}")
    if reader.peek():
        raise reader.error("Extra data")
    return doc


def _items(reader: _Reader) -> Spool:
    reader.take("[")
    spool = Spool()
    if reader.peek() == "]":
        reader.at += 1
        return spool
    while True:
        spool.append(reader.value())
        if reader.peek() == "]":
            reader.at += 1
            return spool
        reader.take(",")


def read_result(path: str | os.PathLike[str]) -> Any:
    """The document in the file at ``path`` (OSError, UnicodeDecodeError, json.JSONDecodeError)."""
    with open(path, encoding="utf-8") as fh:
        return read(fh)


def write_result(result: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a result document atomically (readers see the old file or the whole new one), compact.

    Written a piece at a time: ``json.dumps`` of each top-level value, and of each item of the long
    lists (Spools, or lists of over 100 items), runs the C encoder without one huge string in memory."""
    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    with atomic_open(path) as fh:
        fh.write("{")
        for number, (key, value) in enumerate(result.items()):
            fh.write(("," if number else "") + dumps(key) + ":")
            if isinstance(value, Spool) or (isinstance(value, list) and len(value) > 100):
                fh.write("[")
                for index, item in enumerate(value):
                    fh.write(("," if index else "") + dumps(item))
                fh.write("]")
            else:
                fh.write(dumps(value))
        fh.write("}\n")
