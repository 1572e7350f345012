"""A re-iterable sequence of JSON-like values kept on disk, not in memory.

A 100,000-page audit has ~375,000 findings, 100,000 page rows and ~38,000 services: as Python dicts they weigh hundreds
of megabytes. The result document holds them as ``Spool`` objects instead: each value is marshalled
to an anonymous temporary file (deleted on close, never left behind by a crash) as it is appended,
and read back, one value at a time, each time the spool is iterated. Several iterations may run at
once (reads use ``os.pread``, not the file position).

Readers that accept a list accept a spool: it has ``len()``, ``bool()``, iteration and ``==`` (to a
spool or a list), not indexing.
Values are dicts, lists, strings, numbers, booleans and None, as in JSON; tuples come back as tuples.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

_FLUSH = 1 << 20          # bytes buffered before a write
_READ = 1 << 20           # bytes read at a time
_HEAD = 4                 # length prefix of each value, little-endian


class Spool:
    """Values appended, then iterated as often as needed. ``directory``: where the temporary file
    lives (the system's temporary directory by default)."""

    def __init__(self, items: Iterable[Any] = (), directory: str | os.PathLike[str] | None = None) -> None:
        self._file = tempfile.TemporaryFile(dir=directory)
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._written = 0
        self._count = 0
        self.extend(items)

    def append(self, value: Any) -> None:
        data = marshal.dumps(value)
        self._pending.append(len(data).to_bytes(_HEAD, "little"))
        self._pending.append(data)
        self._pending_size += _HEAD + len(data)
        self._count += 1
        if self._pending_size >= _FLUSH:
            self._flush()

    def extend(self, values: Iterable[Any]) -> None:
        for value in values:
            self.append(value)

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            os.pwrite(self._file.fileno(), data, self._written)
            self._written += len(data)
            self._pending.clear()
            self._pending_size = 0

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[Any]:
        self._flush()
        return self._read(self._file.fileno(), self._written)

    @staticmethod
    def _read(fd: int, end: int) -> Iterator[Any]:
        offset, buffer, at = 0, b"", 0
        while True:
            if len(buffer) - at < _HEAD or len(buffer) - at < _HEAD + int.from_bytes(buffer[at:at + _HEAD], "little"):
                if offset >= end:
                    return
                need = _HEAD if len(buffer) - at < _HEAD else _HEAD + int.from_bytes(buffer[at:at + _HEAD], "little")
                chunk = os.pread(fd, max(_READ, need), offset)
                offset += len(chunk)
                buffer, at = buffer[at:] + chunk, 0
                continue
            size = int.from_bytes(buffer[at:at + _HEAD], "little")
            yield marshal.loads(buffer[at + _HEAD:at + _HEAD + size])
            at += _HEAD + size

    def __eq__(self, other: object) -> bool:
        """Equal to a spool or a list with equal values in the same order."""
        if not isinstance(other, (Spool, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (and deep-copied) as a new spool of the same values."""
        return (Spool, (list(self),))

    def close(self) -> None:
        self._pending.clear()
        self._file.close()

    def __repr__(self) -> str:
        return f"<Spool of {self._count} values>"


def is_rows(value: Any) -> bool:
    """A list or a spool: what a result document's long lists (findings, pages) may be."""
    return isinstance(value, (list, Spool))
