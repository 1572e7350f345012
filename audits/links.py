"""The link graph in compact arrays: about 13 bytes a link instead of a Python object each.

A portal page has ~115 links, most of them template links (navigation, footer) repeated on every
page: 11.5 million links at 100,000 pages. They are held as numpy columns (source, target, tag code,
label code) in the store's order (grouped by source page, as the crawl wrote them), with each
distinct (rel, anchor) pair held once. Rules still see :class:`Link` objects, built on demand for the
page they look at; site-wide questions (inlinks, images, frames, PageRank edges) are answered with
vectorised numpy.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import repeat
from sys import intern
from typing import NamedTuple

import numpy as np

# Edges a visitor can click (or is sent along); redirects cost no click.
CLICK_TAGS = frozenset({"a", "area", "iframe", "frame", "meta-refresh"})
_KNOWN_TAGS = ("a", "area", "iframe", "frame", "img", "canonical", "meta-refresh", "redirect")


class Link(NamedTuple):
    """One link as rules see it (a tuple: built by the thousand, cheaply)."""

    source: int
    target: int
    tag: str
    rel: str | None
    anchor: str | None


_make_link = Link._make


class LinkTable:
    def __init__(self, rows: Iterable[tuple[int, int, str, str | None, str | None]]) -> None:
        tags = {tag: code for code, tag in enumerate(_KNOWN_TAGS)}
        self.tag_names: list[str] = list(_KNOWN_TAGS)
        label_codes: dict[tuple[str | None, str | None], int] = {(None, None): 0}
        self.labels: list[tuple[str | None, str | None]] = [(None, None)]
        source, target, tag_col, label_col = array("i"), array("i"), array("B"), array("i")
        spans: dict[int, tuple[int, int]] = {}
        current, start, contiguous = None, 0, True
        for index, (src, dst, tag, rel, anchor) in enumerate(rows):
            code = tags.get(tag)
            if code is None:
                code = tags[tag] = len(self.tag_names)
                self.tag_names.append(intern(tag))
            key = (rel or None, anchor or None)
            label = label_codes.get(key)
            if label is None:
                label = label_codes[key] = len(self.labels)
                self.labels.append((intern(rel) if rel else None, intern(anchor) if anchor else None))
            if src != current:
                if current is not None:
                    contiguous = contiguous and current not in spans
                    spans[current] = (start, index)
                current, start = src, index
            source.append(src)
            target.append(dst)
            tag_col.append(code)
            label_col.append(label)
        if current is not None:
            contiguous = contiguous and current not in spans
            spans[current] = (start, len(source))
        # zero-copy views of the arrays' buffers (numpy keeps the arrays alive)
        self.source = np.frombuffer(source, dtype=np.int32) if source else np.zeros(0, np.int32)
        self.target = np.frombuffer(target, dtype=np.int32) if target else np.zeros(0, np.int32)
        self.tag = np.frombuffer(tag_col, dtype=np.uint8) if tag_col else np.zeros(0, np.uint8)
        self.label = np.frombuffer(label_col, dtype=np.int32) if label_col else np.zeros(0, np.int32)
        if not contiguous:       # a page's links written twice apart (never by the crawler): group them
            order = np.argsort(self.source, kind="stable")
            self.source, self.target = self.source[order], self.target[order]
            self.tag, self.label = self.tag[order], self.label[order]
            bounds = np.flatnonzero(np.diff(self.source)) + 1
            starts = np.concatenate(([0], bounds)) if len(self.source) else np.zeros(0, np.int64)
            ends = np.concatenate((bounds, [len(self.source)])) if len(self.source) else np.zeros(0, np.int64)
            spans = {int(self.source[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}
        self._spans = spans

    def __len__(self) -> int:
        return len(self.source)

    def _links(self, start: int, end: int) -> list[Link]:
        if end <= start:
            return []
        names, labels = self.tag_names, self.labels
        label_pairs = [labels[label] for label in self.label[start:end].tolist()]
        return list(map(_make_link, zip(repeat(int(self.source[start])), self.target[start:end].tolist(),
                                         [names[tag] for tag in self.tag[start:end].tolist()],
                                         [rel for rel, _ in label_pairs], [anchor for _, anchor in label_pairs],
                                         strict=False)))      # repeat() is endless

    def __iter__(self) -> Iterator[Link]:
        for start, end in self._spans.values():
            yield from self._links(start, end)

    def from_page(self, source: int) -> list[Link]:
        """The page's outgoing links, in document order."""
        span = self._spans.get(source)
        return self._links(*span) if span else []

    def targets_of(self, source: int) -> tuple[list[int], list[str]]:
        """(targets, tags) of the page's links, without building Link objects (the depth BFS)."""
        span = self._spans.get(source)
        if not span:
            return [], []
        names = self.tag_names
        return self.target[span[0]:span[1]].tolist(), [names[t] for t in self.tag[span[0]:span[1]].tolist()]

    # ------------------------------------------------------------------ vectorised questions
    # Each question works on slices of about a million links that end at a page boundary, and marks
    # ids in lookup tables the size of the URL count: the temporaries stay a few megabytes at any
    # site size (one sort of every link as int64 pairs was ~400 MB at 100,000 pages).
    _CHUNK = 1 << 20

    def _slices(self) -> Iterator[slice]:
        """Slices of the columns, each ending where a source page's links end."""
        start, size = 0, len(self.source)
        ends = (end for _, end in self._spans.values())
        for end in ends:
            if end - start >= self._CHUNK:
                yield slice(start, end)
                start = end
        if start < size:
            yield slice(start, size)

    def edge_slices(self, names: Iterable[str]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(sources, targets) of the links with one of these tags, a slice of the table at a time."""
        codes = self._codes(names)
        for part in self._slices():
            mask = codes[self.tag[part]]
            yield self.source[part][mask], self.target[part][mask]

    def id_bound(self, *extra: np.ndarray) -> int:
        """One more than the largest URL id in the table (and in ``extra``)."""
        values = [int(self.source.max(initial=-1)), int(self.target.max(initial=-1))]
        values += [int(e.max(initial=-1)) for e in extra if len(e)]
        return max(values) + 1

    def _codes(self, names: Iterable[str]) -> np.ndarray:
        wanted = set(names)
        table = np.zeros(max(256, len(self.tag_names)), dtype=bool)
        table[[code for code, name in enumerate(self.tag_names) if name in wanted]] = True
        return table

    def tag_mask(self, names: Iterable[str], part: slice = slice(None)) -> np.ndarray:
        return self._codes(names)[self.tag[part]]

    def _clickable(self, part: slice = slice(None)) -> np.ndarray:
        return self.tag_mask(CLICK_TAGS, part) & (self.source[part] != self.target[part])

    def _lookup(self, ids: Iterable[int]) -> np.ndarray:
        wanted = np.fromiter(ids, dtype=np.int64)
        table = np.zeros(self.id_bound(wanted), dtype=bool)
        table[wanted] = True
        return table

    def inlink_counts(self) -> dict[int, int]:
        """Target id -> number of distinct other URLs that link to it (clickable links)."""
        counts = np.zeros(self.id_bound(), dtype=np.int64)
        for part in self._slices():
            mask = self._clickable(part)
            # a slice holds whole pages, so a (source, target) pair repeated anywhere is inside it
            pairs = np.unique((self.source[part][mask].astype(np.int64) << 32) | self.target[part][mask])
            counts += np.bincount(pairs & 0xFFFFFFFF, minlength=len(counts))
        targets = np.flatnonzero(counts)
        return dict(zip(targets.tolist(), counts[targets].tolist(), strict=True))

    def targets_linked_from(self, sources: Iterable[int]) -> set[int]:
        """Every URL that one of ``sources`` links to (clickable links)."""
        wanted = self._lookup(sources)
        found: set[int] = set()
        for part in self._slices():
            mask = self._clickable(part) & wanted[self.source[part]]
            found.update(np.unique(self.target[part][mask]).tolist())
        return found

    def image_uses(self) -> Counter[int]:
        counts = np.zeros(self.id_bound(), dtype=np.int64)
        for part in self._slices():
            counts += np.bincount(self.target[part][self.tag_mask(("img",), part)], minlength=len(counts))
        targets = np.flatnonzero(counts)
        return Counter(dict(zip(targets.tolist(), counts[targets].tolist(), strict=True)))

    def frame_only_targets(self) -> set[int]:
        """URLs reached only as a frame or iframe of another page."""
        framed_to = np.zeros(self.id_bound(), dtype=bool)
        clicked_to = np.zeros(len(framed_to), dtype=bool)
        for part in self._slices():
            clickable = self._clickable(part)
            framed = clickable & self.tag_mask(("iframe", "frame"), part)
            framed_to[self.target[part][framed]] = True
            clicked_to[self.target[part][clickable & ~framed]] = True
        return set(np.flatnonzero(framed_to & ~clicked_to).tolist())

    def sources_linking(self, targets: Iterable[int]) -> set[int]:
        wanted = self._lookup(targets)
        found: set[int] = set()
        for part in self._slices():
            found.update(np.unique(self.source[part][wanted[self.target[part]]]).tolist())
        return found

    def anchors_to(self, targets: Iterable[int]) -> dict[int, list[str]]:
        """Target -> anchor texts of the <a>/<area> links from other URLs, in store order."""
        wanted = self._lookup(targets)
        result: dict[int, list[str]] = {}
        labels = self.labels
        for part in self._slices():
            target = self.target[part]
            mask = (wanted[target] & self.tag_mask(("a", "area"), part) & (self.source[part] != target)
                    & (self.label[part] != 0))
            for uid, label in zip(target[mask].tolist(), self.label[part][mask].tolist(), strict=True):
                anchor = labels[label][1]
                if anchor:
                    result.setdefault(uid, []).append(anchor)
        return result


class Outlinks:
    """``site.outlinks.get(page_id, ())``: the page's links as :class:`Link` objects."""

    def __init__(self, table: LinkTable) -> None:
        self._table = table

    def get(self, source: int, default: list[Link] | tuple[()] = ()) -> list[Link] | tuple[()]:
        return self._table.from_page(source) or default

    def __getitem__(self, source: int) -> list[Link]:
        return self._table.from_page(source)
