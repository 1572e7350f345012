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
    def tag_mask(self, names: Iterable[str]) -> np.ndarray:
        codes = [code for code, name in enumerate(self.tag_names) if name in set(names)]
        return np.isin(self.tag, np.array(codes, dtype=np.uint8))

    def _clickable(self) -> np.ndarray:
        return self.tag_mask(CLICK_TAGS) & (self.source != self.target)

    def inlink_counts(self) -> dict[int, int]:
        """Target id -> number of distinct other URLs that link to it (clickable links)."""
        mask = self._clickable()
        keys = np.unique((self.target[mask].astype(np.int64) << 32) | self.source[mask].astype(np.int64))
        targets, counts = np.unique(keys >> 32, return_counts=True)
        return dict(zip(targets.tolist(), counts.tolist(), strict=True))

    def targets_linked_from(self, sources: Iterable[int]) -> set[int]:
        """Every URL that one of ``sources`` links to (clickable links)."""
        wanted = np.fromiter(sources, dtype=np.int32)
        return set(np.unique(self.target[self._clickable() & np.isin(self.source, wanted)]).tolist())

    def image_uses(self) -> Counter[int]:
        targets, counts = np.unique(self.target[self.tag_mask(("img",))], return_counts=True)
        return Counter(dict(zip(targets.tolist(), counts.tolist(), strict=True)))

    def frame_only_targets(self) -> set[int]:
        """URLs reached only as a frame or iframe of another page."""
        clickable = self.tag_mask(CLICK_TAGS) & (self.source != self.target)
        framed = clickable & self.tag_mask(("iframe", "frame"))
        return set(np.setdiff1d(self.target[framed], self.target[clickable & ~framed]).tolist())

    def edges(self, names: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sources, targets) of the links with one of these tags."""
        mask = self.tag_mask(names)
        return self.source[mask], self.target[mask]

    def sources_linking(self, targets: Iterable[int]) -> set[int]:
        wanted = np.fromiter(targets, dtype=np.int32)
        return set(np.unique(self.source[np.isin(self.target, wanted)]).tolist())

    def anchors_to(self, targets: Iterable[int]) -> dict[int, list[str]]:
        """Target -> anchor texts of the <a>/<area> links from other URLs, in store order."""
        wanted = np.fromiter(targets, dtype=np.int32)
        mask = (np.isin(self.target, wanted) & self.tag_mask(("a", "area")) & (self.source != self.target)
                & (self.label != 0))
        result: dict[int, list[str]] = {}
        labels = self.labels
        for target, label in zip(self.target[mask].tolist(), self.label[mask].tolist(), strict=True):
            anchor = labels[label][1]
            if anchor:
                result.setdefault(target, []).append(anchor)
        return result


class Outlinks:
    """``site.outlinks.get(page_id, ())``: the page's links as :class:`Link` objects."""

    def __init__(self, table: LinkTable) -> None:
        self._table = table

    def get(self, source: int, default: list[Link] | tuple[()] = ()) -> list[Link] | tuple[()]:
        return self._table.from_page(source) or default

    def __getitem__(self, source: int) -> list[Link]:
        return self._table.from_page(source)
