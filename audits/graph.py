"""Internal link score: PageRank over the crawled link graph (numpy, sparse via bincount)."""

from __future__ import annotations

import numpy as np

PART = 1 << 18      # edges a bincount takes at a time: temporaries of a few MB (12 M edges at 100,000 pages)


class Runs:
    """An integer array held as runs of equal values: the sources of a crawl's edges, which come a
    page at a time (12 M edges, ~100,000 runs). ``runs[a:b]`` is the plain array's slice."""

    def __init__(self, values: np.ndarray, lengths: np.ndarray) -> None:
        self.values = np.asarray(values)
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.ends = np.cumsum(self.lengths)

    @classmethod
    def of(cls, array: np.ndarray) -> Runs:
        array = np.asarray(array)
        bounds = np.concatenate(([0], np.flatnonzero(np.diff(array)) + 1, [len(array)])) if len(array) else np.zeros(1, int)
        return cls(array[bounds[:-1]], np.diff(bounds))

    def __len__(self) -> int:
        return int(self.ends[-1]) if len(self.ends) else 0

    def __getitem__(self, part: slice) -> np.ndarray:
        start, stop, _ = part.indices(len(self))
        if stop <= start:
            return self.values[:0]
        first = int(np.searchsorted(self.ends, start, side="right"))
        last = int(np.searchsorted(self.ends, stop - 1, side="right"))
        block = np.repeat(self.values[first:last + 1], self.lengths[first:last + 1])
        offset = start - (int(self.ends[first - 1]) if first else 0)
        return block[offset:offset + stop - start]


def pagerank(n: int, sources: np.ndarray | Runs, targets: np.ndarray, *, damping: float = 0.85,
             max_iter: int = 100, tol: float = 1e-10) -> np.ndarray:
    """PageRank of nodes 0..n-1 over edges sources[i] -> targets[i] (duplicates count once each).

    Dangling nodes spread their rank evenly, so the ranks always sum to 1. O(edges) per iteration.
    ``sources`` may be :class:`Runs` (the same answer, bit for bit, without the array).
    """
    if n == 0:
        return np.zeros(0)
    targets = np.asarray(targets)
    if not isinstance(sources, Runs):
        sources = np.asarray(sources)
        if sources.dtype.kind not in "iu":     # e.g. an empty float array
            sources = sources.astype(np.int64)
    if targets.dtype.kind not in "iu":
        targets = targets.astype(np.int64)
    outdeg = np.zeros(n)
    for part in _parts(len(sources)):
        outdeg += np.bincount(sources[part], minlength=n)
    dangling = outdeg == 0
    weights_per_source = np.divide(1.0, outdeg, out=np.zeros(n), where=~dangling)
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        share = rank * weights_per_source          # what each page passes along each of its links
        flow = np.zeros(n)
        for part in _parts(len(sources)):          # bounded temporaries: 11 M edges at 100,000 pages
            flow += np.bincount(targets[part], weights=share[sources[part]], minlength=n)
        new = (1.0 - damping) / n + damping * (flow + rank[dangling].sum() / n)
        if np.abs(new - rank).sum() < tol:
            return new
        rank = new
    return rank


def _parts(size: int) -> list[slice]:
    return [slice(start, min(start + PART, size)) for start in range(0, size, PART)]


def link_scores(n: int, sources: np.ndarray | Runs, targets: np.ndarray) -> np.ndarray:
    """PageRank scaled 0-100 on a log scale, like Screaming Frog's Link Score: the best page gets 100."""
    rank = pagerank(n, sources, targets)
    if n == 0:
        return rank
    logs = np.log(rank)
    low, high = logs.min(), logs.max()
    if high - low < 1e-12:
        return np.full(n, 100.0)
    return 100.0 * (logs - low) / (high - low)
