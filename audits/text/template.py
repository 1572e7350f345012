"""Site template (navigation, footer, sidebars) detection from text blocks repeated across pages.

Feed every page's text blocks with :meth:`TemplateDetector.add`, call :meth:`finalise`, then ask
:meth:`is_template` or :meth:`main_text`. A block is template when, normalised (whitespace collapsed,
every run of digits replaced by "0" so that "更新时间：2026-11-03" matches on every page), it occurs
on at least ``max(min_pages, ceil(ratio * pages))`` distinct pages.

Memory stays bounded for large sites: blocks are counted as 8-byte blake2b digests, never stored as
text, and page-specific blocks are pruned with lossy counting (Manku and Motwani, 2002): every
``1/epsilon`` pages, a digest whose count (plus the number of pages it may have missed before it was
first counted) does not exceed the number of completed buckets is dropped. Counts are exact for
sites of up to ``1/epsilon`` pages (100 by default); beyond that a block's count can fall short by at
most ``epsilon * pages`` (it is never over): a block called template really occurs on at least
``threshold`` pages, and one occurring on ``threshold + epsilon * pages`` or more is always found. The table holds at most about ``(1/epsilon) * log(epsilon *
pages)`` pages' worth of distinct blocks plus the frequent ones.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable
from hashlib import blake2b

__all__ = ["TemplateDetector", "block_digest", "normalise_block"]

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


_MEMO_LIMIT = 2_000_000
# Only blocks up to this long are memoised: template blocks (menus, footers, labels) are short, and a
# memo of 20,000 long blocks (up to audits.artifacts.MAX_BLOCK_CHARS each) could hold 200 MB of text.
MEMO_MAX_CHARS = 500


def normalise_block(block: str) -> str:
    """Whitespace collapsed to one space and trimmed, each run of digits replaced by "0"."""
    return _DIGITS.sub("0", _SPACE.sub(" ", block).strip())


def _digest(text: str) -> int:
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def block_digest(block: str, memo: dict[str, int]) -> int:
    """Digest of the normalised block (0 for a block that is empty once normalised), memoised in
    ``memo``: template blocks repeat on every page."""
    found = memo.get(block)
    if found is None:
        normalised = normalise_block(block)
        found = _digest(normalised) or 1 if normalised else 0
        if len(memo) < _MEMO_LIMIT and len(block) <= MEMO_MAX_CHARS:
            memo[block] = found
    return found


class TemplateDetector:
    """Finds the text blocks that a site repeats on many pages."""

    def __init__(self, ratio: float = 0.3, min_pages: int = 3, epsilon: float | None = None,
                 memo: dict[str, int] | None = None) -> None:
        if not 0 < ratio <= 1:
            raise ValueError("ratio must be in (0, 1]")
        self.ratio = ratio
        self.min_pages = min_pages
        self.epsilon = epsilon if epsilon is not None else ratio / 30
        if not 0 < self.epsilon < ratio:
            raise ValueError("epsilon must be in (0, ratio)")
        self._bucket_pages = max(1, math.ceil(1 / self.epsilon))
        # block -> digest of its normalised text (0: empty); may be shared and filled ahead of time
        self.memo: dict[str, int] = memo if memo is not None else {}
        self._counts: dict[int, int] = {}
        self._missed: dict[int, int] = {}  # lossy counting's delta, only for digests first seen late
        self._page_ids: set[int] = set()
        self._template: frozenset[int] | None = None
        self.pages = 0
        self.threshold = 0

    def add(self, page_id: Hashable, blocks: Iterable[str]) -> None:
        """Count a page's blocks (each distinct block once per page; a page id seen before is ignored)."""
        self.add_digests(page_id, [self.digest(b) for b in blocks])

    def add_digests(self, page_id: Hashable, digests: Iterable[int]) -> None:
        """:meth:`add` for blocks already digested (:func:`block_digest`)."""
        if self._template is not None:
            raise RuntimeError("TemplateDetector.add() after finalise()")
        pid = _digest(repr(page_id))
        if pid in self._page_ids:
            return
        self._page_ids.add(pid)
        self.pages += 1
        bucket = math.ceil(self.pages / self._bucket_pages)
        counts = self._counts
        for digest in set(digests) - {0}:
            if digest in counts:
                counts[digest] += 1
            else:
                counts[digest] = 1
                if bucket > 1:
                    self._missed[digest] = bucket - 1
        if self.pages % self._bucket_pages == 0:
            self._prune(bucket)

    def _prune(self, bucket: int) -> None:
        missed = self._missed
        for digest in [d for d, c in self._counts.items() if c + missed.get(d, 0) <= bucket]:
            del self._counts[digest]
            missed.pop(digest, None)

    @property
    def tracked_blocks(self) -> int:
        """Distinct block digests currently counted (for memory checks)."""
        return len(self._counts)

    def finalise(self) -> None:
        """Fix the template set and free the counters; further add() calls raise."""
        if self._template is not None:
            return
        self.threshold = max(self.min_pages, math.ceil(self.ratio * self.pages))
        self._template = frozenset(d for d, c in self._counts.items() if c >= self.threshold)
        self._counts, self._missed, self._page_ids = {}, {}, set()

    @property
    def digests(self) -> frozenset[int]:
        """Digests of the template blocks (after finalise)."""
        if self._template is None:
            raise RuntimeError("TemplateDetector.digests before finalise()")
        return self._template

    @property
    def template_size(self) -> int:
        """Number of distinct template blocks (after finalise)."""
        return len(self._template or ())

    def is_template(self, block: str) -> bool:
        if self._template is None:
            raise RuntimeError("TemplateDetector.is_template() before finalise()")
        digest = self.digest(block)
        return bool(digest) and digest in self._template

    def digest(self, block: str) -> int:
        return block_digest(block, self.memo)

    def main_blocks(self, blocks: Iterable[str]) -> list[str]:
        """The blocks that are not template (empty blocks dropped), in order."""
        return [b for b in blocks if b.strip() and not self.is_template(b)]

    def main_text(self, blocks: Iterable[str]) -> str:
        """The page's own text: its non-template blocks joined by newlines."""
        return "\n".join(self.main_blocks(blocks))
