"""The link graph on disk, read a page or a slice at a time: a few megabytes resident at any site size.

A portal page has ~115 links, most of them template links (navigation, footer) repeated on every
page: 11.5 million links at 100,000 pages. Each link is a 9-byte row (target, label code, tag code)
in an anonymous temporary file (:class:`audits.linkrows.RowFile`), in the store's order: grouped by
source page, as the crawl wrote them. What stays in memory is small: each page's id and where its
rows start (the source column is derived from these), and each distinct label (rel, anchor) once.

Rules still see :class:`Link` objects, built on demand for the page they look at (one read of the
page's rows). Site-wide questions (inlinks, images, frames, PageRank edges) are answered with
vectorised numpy over slices of about a million links that end at a page boundary; a slice is read
into memory, used and dropped, so a pass over the whole table costs no lasting resident memory (the
file's data stays in the operating system's page cache).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cached_property
from itertools import repeat
from pathlib import Path
from sys import intern
from typing import NamedTuple

import numpy as np

from audits.linkrows import RowFile, regroup
from audits.urltable import IdValues

# Edges a visitor can click (or is sent along); redirects cost no click.
CLICK_TAGS = frozenset({"a", "area", "iframe", "frame", "meta-refresh"})
_KNOWN_TAGS = ("a", "area", "iframe", "frame", "img", "canonical", "meta-refresh", "redirect")
_BUILD_ROWS = 1 << 20        # links buffered while the table is built, then written to its file


class Link(NamedTuple):
    """One link as rules see it (a tuple: built by the thousand, cheaply)."""

    source: int
    target: int
    tag: str
    rel: str | None
    anchor: str | None


_make_link = Link._make


class _Part:
    """A slice of the table holding whole pages: its columns, read from the file when first asked for."""

    def __init__(self, table: LinkTable, first: int, last: int) -> None:
        self.table, self.first, self.last = table, first, last      # page positions first..last-1
        self.rows = slice(int(table._starts[first]), int(table._starts[last]))

    @cached_property
    def _records(self) -> np.ndarray:
        return self.table._file.read(self.rows.start, self.rows.stop)

    @cached_property
    def source(self) -> np.ndarray:
        starts = self.table._starts[self.first:self.last + 1]
        return np.repeat(self.table._ids[self.first:self.last], np.diff(starts))

    @cached_property
    def target(self) -> np.ndarray:
        return np.ascontiguousarray(self._records["target"])

    @cached_property
    def tag(self) -> np.ndarray:
        return np.ascontiguousarray(self._records["tag"])

    @cached_property
    def label(self) -> np.ndarray:
        return np.ascontiguousarray(self._records["label"])


def _view(values: array, dtype: type) -> np.ndarray:
    """A numpy view of an array's buffer (numpy keeps the array alive)."""
    return np.frombuffer(values, dtype=dtype) if values else np.zeros(0, dtype)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted in place. (np.unique uses a hash table in numpy 2.3+: 8x slower
    here, and its million small nodes per slice left ~30 MB of fragmented heap resident.)"""
    values.sort()
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class LinkTable:
    def __init__(self, rows: Iterable[tuple[int, int, str, str | None, str | None]],
                 directory: str | Path | None = None) -> None:
        tags = {tag: code for code, tag in enumerate(_KNOWN_TAGS)}
        self.tag_names: list[str] = list(_KNOWN_TAGS)
        # Labels: code -> rel and code -> anchor, as two lists (no tuple per label). Anchors are not
        # interned: the codes already share each text, and interning would grow the interpreter's
        # table of interned strings for good (~10 MB for the 190,000 anchors of 100,000 pages).
        self._rels: list[str | None] = [None]
        self._anchors: list[str | None] = [None]
        # key: the anchor alone when there is no rel (nearly every link), else (rel, anchor)
        label_codes: dict[object, int] = {None: 0}
        self._file = RowFile(directory)
        chunk = _BUILD_ROWS
        target, tag_col, label_col = array("i"), array("B"), array("i")
        ids, starts = array("i"), array("q")
        written, current, bound = 0, None, 0
        for src, dst, tag, rel, anchor in rows:
            if src != current:
                if len(target) >= chunk:        # whole pages go to the file: a page is one read
                    bound = max(bound, self._file.append(target, label_col, tag_col))
                    written += len(target)
                    target, tag_col, label_col = array("i"), array("B"), array("i")
                current = src
                ids.append(src)
                starts.append(written + len(target))
            code = tags.get(tag)
            if code is None:
                code = tags[tag] = len(self.tag_names)
                self.tag_names.append(intern(tag))
            anchor = anchor or None
            key = (rel, anchor) if rel else anchor
            label = label_codes.get(key)
            if label is None:
                label = label_codes[key] = len(self._anchors)
                self._rels.append(intern(rel) if rel else None)
                self._anchors.append(anchor)
            target.append(dst)
            tag_col.append(code)
            label_col.append(label)
        del label_codes
        bound = max(bound, self._file.append(target, label_col, tag_col))
        self._size = written + len(target)
        starts.append(self._size)
        # Pages: their ids in table order and where their rows start (one more entry: the end), kept
        # as arrays (a page's lookup indexes them directly) with numpy views for the slices.
        order = np.argsort(_view(ids, np.int32), kind="stable")
        sorted_ids = _view(ids, np.int32)[order]
        if len(sorted_ids) > 1 and bool((sorted_ids[1:] == sorted_ids[:-1]).any()):
            # a page's links written twice apart (never by the crawler): group them, pages by id
            self._file, grouped_ids, grouped_starts = regroup(self._file, _view(ids, np.int32),
                                                              _view(starts, np.int64), order, directory)
            ids, starts = array("i", grouped_ids.tobytes()), array("q", grouped_starts.tobytes())
            order, sorted_ids = np.arange(len(ids)), grouped_ids
        self._bound = max(bound, int(sorted_ids[-1]) + 1 if len(sorted_ids) else 0)
        self._page_starts = starts
        self._ids, self._starts = _view(ids, np.int32), _view(starts, np.int64)
        # the ids sorted, and each one's position in the table: a page's lookup is a bisection
        self._sorted_ids = array("i", sorted_ids.astype(np.int32).tobytes())
        self._order = array("i", order.astype(np.int32).tobytes())

    def __len__(self) -> int:
        return self._size

    def close(self) -> None:
        """Delete the table's file; the table cannot be read afterwards."""
        self._file.close()

    def __enter__(self) -> LinkTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ one page
    def _page_rows(self, source: int) -> np.ndarray | None:
        """The page's rows, read from the file; None when the page has no links."""
        sorted_ids = self._sorted_ids
        at = bisect_left(sorted_ids, source)
        if at == len(sorted_ids) or sorted_ids[at] != source:
            return None
        position = self._order[at]
        return self._file.read(self._page_starts[position], self._page_starts[position + 1])

    def _links(self, source: int, target: np.ndarray, tag: np.ndarray, label: np.ndarray) -> list[Link]:
        names, rels, anchors = self.tag_names, self._rels, self._anchors
        labels = label.tolist()
        return list(map(_make_link, zip(repeat(source), target.tolist(), [names[t] for t in tag.tolist()],
                                         [rels[code] for code in labels], [anchors[code] for code in labels],
                                         strict=False)))      # repeat() is endless

    def __iter__(self) -> Iterator[Link]:
        starts, ids = self._starts, self._ids
        for part in self._parts():
            offset = part.rows.start
            for position in range(part.first, part.last):
                page = slice(int(starts[position]) - offset, int(starts[position + 1]) - offset)
                yield from self._links(int(ids[position]), part.target[page], part.tag[page], part.label[page])

    def from_page(self, source: int) -> list[Link]:
        """The page's outgoing links, in document order."""
        rows = self._page_rows(source)
        if rows is None:
            return []
        return self._links(int(source), rows["target"], rows["tag"], rows["label"])

    def targets_of(self, source: int) -> tuple[list[int], list[str]]:
        """(targets, tags) of the page's links, without building Link objects (the depth BFS)."""
        rows = self._page_rows(source)
        if rows is None:
            return [], []
        names = self.tag_names
        return rows["target"].tolist(), [names[t] for t in rows["tag"].tolist()]

    # ------------------------------------------------------------------ vectorised questions
    # Each question works on slices of about 260,000 links that end at a page boundary, and marks
    # ids in lookup tables the size of the URL count: the temporaries stay under ~10 MB at any
    # site size (one sort of every link as int64 pairs was ~400 MB at 100,000 pages).
    _CHUNK = 1 << 18

    def _parts(self) -> Iterator[_Part]:
        """The table in slices, each of whole pages and (but the last) of at least _CHUNK links."""
        starts, pages = self._starts, len(self._ids)
        first = 0
        while first < pages:
            # the first page end at least _CHUNK links on
            last = min(int(np.searchsorted(starts, starts[first] + self._CHUNK)), pages)
            yield _Part(self, first, last)
            first = last

    def _slices(self) -> Iterator[slice]:
        """Slices of the table (row ranges), each ending where a source page's links end."""
        for part in self._parts():
            yield part.rows

    def edge_slices(self, names: Iterable[str]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(sources, targets) of the links with one of these tags, a slice of the table at a time."""
        codes = self._codes(names)
        for part in self._parts():
            mask = codes[part.tag]
            yield part.source[mask], part.target[mask]

    def id_bound(self, *extra: np.ndarray) -> int:
        """One more than the largest URL id in the table (and in ``extra``)."""
        return max([self._bound] + [int(e.max(initial=-1)) + 1 for e in extra if len(e)])

    def _codes(self, names: Iterable[str]) -> np.ndarray:
        wanted = set(names)
        table = np.zeros(max(256, len(self.tag_names)), dtype=bool)
        table[[code for code, name in enumerate(self.tag_names) if name in wanted]] = True
        return table

    def _clickable(self, part: _Part) -> np.ndarray:
        return self._codes(CLICK_TAGS)[part.tag] & (part.source != part.target)

    def _lookup(self, ids: Iterable[int]) -> np.ndarray:
        wanted = np.fromiter(ids, dtype=np.int64)
        table = np.zeros(self.id_bound(wanted), dtype=bool)
        table[wanted] = True
        return table

    def inlink_counts(self) -> IdValues:
        """Target id -> number of distinct other URLs that link to it (clickable links; ids with none
        are absent)."""
        counts = np.zeros(self.id_bound(), dtype=np.int64)
        for part in self._parts():
            mask = self._clickable(part)
            # a slice holds whole pages, so a (source, target) pair repeated anywhere is inside it
            pairs = part.source[mask].astype(np.int64)
            pairs <<= 32
            pairs |= part.target[mask]
            pairs = _distinct(pairs)
            pairs &= 0xFFFFFFFF
            counts += np.bincount(pairs, minlength=len(counts))
        return IdValues(counts, counts > 0)

    def targets_linked_from(self, sources: Iterable[int]) -> set[int]:
        """Every URL that one of ``sources`` links to (clickable links)."""
        wanted = self._lookup(sources)
        found: set[int] = set()
        for part in self._parts():
            mask = self._clickable(part) & wanted[part.source]
            found.update(_distinct(part.target[mask]).tolist())
        return found

    def image_uses(self) -> Counter[int]:
        counts = np.zeros(self.id_bound(), dtype=np.int64)
        images = self._codes(("img",))
        for part in self._parts():
            counts += np.bincount(part.target[images[part.tag]], minlength=len(counts))
        targets = np.flatnonzero(counts)
        return Counter(dict(zip(targets.tolist(), counts[targets].tolist(), strict=True)))

    def frame_only_targets(self) -> set[int]:
        """URLs reached only as a frame or iframe of another page."""
        framed_to = np.zeros(self.id_bound(), dtype=bool)
        clicked_to = np.zeros(len(framed_to), dtype=bool)
        frames = self._codes(("iframe", "frame"))
        for part in self._parts():
            clickable = self._clickable(part)
            framed = clickable & frames[part.tag]
            framed_to[part.target[framed]] = True
            clicked_to[part.target[clickable & ~framed]] = True
        return set(np.flatnonzero(framed_to & ~clicked_to).tolist())

    def sources_linking(self, targets: Iterable[int]) -> set[int]:
        wanted = self._lookup(targets)
        found: set[int] = set()
        for part in self._parts():
            found.update(_distinct(part.source[wanted[part.target]]).tolist())
        return found

    def anchors_to(self, targets: Iterable[int]) -> dict[int, list[str]]:
        """Target -> anchor texts of the <a>/<area> links from other URLs, in store order."""
        wanted = self._lookup(targets)
        result: dict[int, list[str]] = {}
        anchors = self._anchors
        clicks = self._codes(("a", "area"))
        for part in self._parts():
            target = part.target
            mask = wanted[target] & clicks[part.tag] & (part.source != target) & (part.label != 0)
            for uid, label in zip(target[mask].tolist(), part.label[mask].tolist(), strict=True):
                anchor = anchors[label]
                if anchor:
                    result.setdefault(uid, []).append(anchor)
        return result


class Outlinks:
    """``site.outlinks.get(page_id, ())``: the page's links as :class:`Link` objects (a tuple).

    Several rules read the same page's links in turn over a window of pages (audits/engine.py): the
    last ``keep`` pages' links stay built (~100 links a page, ~6 MB for 640 pages)."""

    def __init__(self, table: LinkTable, keep: int = 640) -> None:
        self._table = table
        self._keep = keep
        self._recent: dict[int, tuple[Link, ...]] = {}

    def _of(self, source: int) -> tuple[Link, ...]:
        found = self._recent.get(source)
        if found is None:
            found = tuple(self._table.from_page(source))
            if len(self._recent) >= self._keep:
                del self._recent[next(iter(self._recent))]
            self._recent[source] = found
        return found

    def get(self, source: int, default: tuple[Link, ...] | tuple[()] = ()) -> tuple[Link, ...] | tuple[()]:
        return self._of(source) or default

    def __getitem__(self, source: int) -> tuple[Link, ...]:
        return self._of(source)

