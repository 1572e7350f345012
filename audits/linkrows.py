"""The rows of the link table (audits/links.py) in an anonymous temporary file.

Each link is a packed 9-byte row: target id (int32), label code (int32), tag code (uint8), appended a
build chunk at a time and read back a page or a slice at a time with ``os.pread`` into a fresh array,
never through a mapping: what a read brings in is freed with its array, and the file's data stays in
the operating system's page cache, outside the process's resident set. A page's links are one read.
The file is deleted when closed, and by the system if the process ends first.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from pathlib import Path

import numpy as np

ROW = np.dtype([("target", "<i4"), ("label", "<i4"), ("tag", "u1")])     # packed: 9 bytes


class RowFile:
    def __init__(self, directory: str | Path | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix="govseo-links-", dir=directory)
        self._fd = self._file.fileno()
        self.rows = 0

    def append(self, target: array, label: array, tag: array) -> int:
        """Append rows given as three columns of equal length; returns one more than their largest
        target (0 when there is none)."""
        if not target:
            return 0
        records = np.empty(len(target), ROW)
        records["target"] = np.frombuffer(target, dtype=np.int32)
        records["label"] = np.frombuffer(label, dtype=np.int32)
        records["tag"] = np.frombuffer(tag, dtype=np.uint8)
        self.append_records(records)
        return int(records["target"].max()) + 1

    def append_records(self, records: np.ndarray) -> None:
        view, offset = memoryview(records.view(np.uint8)), self.rows * ROW.itemsize
        while view:
            written = os.pwrite(self._fd, view, offset)
            view, offset = view[written:], offset + written
        self.rows += len(records)

    def read(self, start: int, stop: int) -> np.ndarray:
        """Rows start..stop-1, as a (read-only) structured array."""
        if self._file.closed:
            raise ValueError("the link table is closed")
        size, offset = (stop - start) * ROW.itemsize, start * ROW.itemsize
        data = os.pread(self._fd, size, offset)
        while len(data) < size:         # one read returns at most ~2 GB
            more = os.pread(self._fd, size - len(data), offset + len(data))
            if not more:
                raise EOFError(f"link rows {start}..{stop} are past the end of the file")
            data += more
        return np.frombuffer(data, dtype=ROW)

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        self._file.close()


def regroup(rows: RowFile, ids: np.ndarray, starts: np.ndarray, order: np.ndarray,
            directory: str | Path | None) -> tuple[RowFile, np.ndarray, np.ndarray]:
    """The rows with each page's links together, pages in id order (a page's links keep their order):
    a new file, the page ids and their starts. ``order``: a stable sort of ``ids``. For a table whose
    pages came in several runs apart (never from the crawler): it reads the whole table at once."""
    lengths = np.diff(starts)[order]
    moved = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(lengths, out=moved[1:])
    # new row k, in the j-th page run of the new order, is old row starts[order[j]] + (k - moved[j])
    where = np.arange(rows.rows, dtype=np.int64) + np.repeat(starts[:-1][order] - moved[:-1], lengths)
    grouped = RowFile(directory)
    grouped.append_records(rows.read(0, rows.rows)[where])
    rows.close()
    sorted_ids = ids[order]
    first = np.ones(len(sorted_ids), dtype=bool)
    first[1:] = sorted_ids[1:] != sorted_ids[:-1]
    return grouped, sorted_ids[first], np.append(moved[:-1][first], rows.rows)
