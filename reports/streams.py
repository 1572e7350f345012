"""Bounded-memory helpers for the long lists of a result document (findings, pages, services).

``Smallest`` keeps the first ``n`` items of a stream in sort order, as ``sorted(...)[:n]`` would;
``sorted_stream`` yields a whole stream in sort order, as ``sorted(...)`` would, spilling sorted runs
to disk (``Spool``) when the stream is long. Both are stable: equal keys keep their input order.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from common.spool import Spool

RUN_ROWS = 25_000  # items sorted in memory at a time by sorted_stream; longer streams are merged from disk


class _Entry:
    """A heap entry ordered backwards, so that a min-heap keeps its largest key on top."""

    __slots__ = ("item", "key")

    def __init__(self, key: tuple[Any, int], item: Any) -> None:
        self.key, self.item = key, item

    def __lt__(self, other: _Entry) -> bool:
        return other.key < self.key


class Smallest:
    """The ``n`` smallest items by key added so far (ties: the first added wins), in O(n) memory."""

    __slots__ = ("_heap", "_n", "_seen")

    def __init__(self, n: int) -> None:
        self._n, self._seen = n, 0
        self._heap: list[_Entry] = []

    def add(self, key: Any, item: Any) -> None:
        entry = _Entry((key, self._seen), item)  # the arrival number makes keys unique and the order stable
        self._seen += 1
        if len(self._heap) < self._n:
            heapq.heappush(self._heap, entry)
        elif self._heap and entry.key < self._heap[0].key:
            heapq.heapreplace(self._heap, entry)

    def __len__(self) -> int:
        """How many items are kept (never more than ``n``)."""
        return len(self._heap)

    @property
    def seen(self) -> int:
        """How many items were added in all (kept or not)."""
        return self._seen

    def items(self) -> list[Any]:
        """The kept items, smallest first."""
        return [entry.item for entry in sorted(self._heap, key=lambda e: e.key)]


def sorted_stream(items: Iterable[Any], key: Callable[[Any], Any], run_rows: int | None = None) -> Iterator[Any]:
    """``sorted(items, key=key)``, yielded one item at a time with at most ``run_rows`` (default
    ``RUN_ROWS``) items in memory.

    Longer inputs are sorted in runs of ``run_rows`` that are written to spools and merged
    (``heapq.merge`` takes equal keys from earlier runs first, so the result is stable). Items must
    survive ``marshal`` (strings, numbers, lists, tuples, dicts); the spools are closed when done.
    """
    run_rows = run_rows or RUN_ROWS
    runs: list[Spool] = []
    chunk: list[Any] = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) >= run_rows:
                chunk.sort(key=key)
                runs.append(Spool(chunk))
                chunk = []
        chunk.sort(key=key)
        if not runs:
            yield from chunk
            return
        if chunk:
            runs.append(Spool(chunk))
            chunk = []
        yield from heapq.merge(*runs, key=key)
    finally:
        for run in runs:
            run.close()
