"""Parsed pages kept on disk, read back one at a time: an audit's memory does not grow with its text.

Parsing a page gives its artifacts (text blocks, meta, headers…), a template digest per text block and
the words of each block. Held as Python objects that is 10-15 KB a page, 1-1.5 GB at 100,000 pages.
A ``PageShelf`` writes them once, marshalled, to an anonymous temporary file (deleted when closed or
when the process ends) and keeps only their offsets; a rule that asks for a page's artifacts gets
them back from the file (the operating system's page cache, in practice) in ~10 µs. A few recently
read pages stay decoded, so the several questions a rule asks about one page decode it once.

Nothing here is a source of truth: the crawl store keeps the raw pages, and a shelf is rebuilt from
them by every audit.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from audits.artifacts import PageArtifacts, parse_artifacts
from audits.text.memo import RecentMemo
from audits.text.template import MEMO_MAX_CHARS, block_digest
from audits.text.tokenizer import Tokenizer
from crawler.store import FetchRecord

_FIELDS = PageArtifacts.__slots__
# The page's text and lists of things are its "body"; the rest (title, meta, headers' directives…) is
# small and is what most rules and site-wide passes read: a page's head is decoded without its body.
_BODY = ("blocks", "images", "json_ld", "script_srcs")
_HEAD = tuple(name for name in _FIELDS if name not in _BODY)
Segmentation = tuple[tuple[str, ...], int]      # a block's word tokens and its word count
# offset on the shelf, sizes of head and body; offset and size of the block words (size 0: not yet)
Where = tuple[int, int, int, int, int]
# Pages read back stay decoded within a memory budget, estimated from their bytes on the shelf: a
# decoded page (its head, blocks, images, words) holds about twice its marshalled size (measured with
# tracemalloc: 1.85x on the bench portal's 14 KB pages, 2.0x on 70 KB pages, 2.1x on the sample
# portal's), counted as 2.5x. A site that fits is kept decoded whole (:meth:`PageShelf.keep_all`):
# rules that compare pages read every page in turn, one rule after another, and a cache smaller than
# the site never hits on such a scan (measured at 2,000 pages: 3.3 s → 2.6 s); the bench portal fits up
# to ~3,600 pages. A bigger site keeps a window's worth (``cache_size``), never more than the budget:
# 640 pages of 70 KB are ~50 MB (a site of 3,000 such pages kept whole was ~230 MB).
DECODED_PER_SHELF_BYTES = (5, 2)       # 2.5 decoded bytes a shelf byte, as a fraction
CACHE_BYTES = 64 * 1024 * 1024


class ShelvedArtifacts(PageArtifacts):
    """Artifacts whose body fields are read from the shelf the first time one is asked for."""

    __slots__ = ("_body_from", "_digests")

    def _load_body(self) -> None:
        shelf, start, size = self._body_from
        self._body_from = None
        blocks, images, json_ld, script_srcs, digests = shelf._get(start, size)
        for name, value in (("blocks", blocks.split("\n") if blocks else []), ("images", images),
                            ("json_ld", json_ld), ("script_srcs", script_srcs)):
            _SLOTS[name].__set__(self, value)
        self._digests = array("Q", digests)

    @property
    def digests(self) -> array:
        """Template digest of each text block (0: a block empty once normalised)."""
        if self._body_from is not None:
            self._load_body()
        return self._digests


_SLOTS = {name: PageArtifacts.__dict__[name] for name in _BODY}


def _body_field(name: str) -> property:
    slot = _SLOTS[name]

    def get(self: ShelvedArtifacts) -> Any:
        if self._body_from is not None:
            self._load_body()
        return slot.__get__(self, ShelvedArtifacts)

    def put(self: ShelvedArtifacts, value: Any) -> None:
        slot.__set__(self, value)

    return property(get, put)


for _name in _BODY:
    setattr(ShelvedArtifacts, _name, _body_field(_name))


@dataclass(slots=True)
class Parsed:
    """One page as the shelf gives it back."""

    artifacts: ShelvedArtifacts
    own: list[bool] | None = None     # per block: not a template block, once the template is known
    main: list[str] | None = None     # the page's own blocks
    segmented: tuple[list[str], int] | None = None    # word tokens and word count of those blocks

    @property
    def digests(self) -> array:
        return self.artifacts.digests


@dataclass
class PageShelf:
    directory: str | Path | None = None
    cache_size: int = 640         # decoded pages kept: a window (audits.engine.WINDOW, 512) and some…
    cache_bytes: int = CACHE_BYTES    # …within this many bytes of memory (estimated: see decoded_bytes)
    digest_memo: RecentMemo = field(default_factory=RecentMemo)
    segment_memo: RecentMemo = field(default_factory=RecentMemo)
    file: IO[bytes] | None = None     # an open file to write to (a feed process's); else a new temporary one

    def __post_init__(self) -> None:
        self._file = self.file if self.file is not None else tempfile.TemporaryFile(
            prefix="govseo-shelf-", dir=self.directory)
        self._end = 0
        self._dirty = False
        self._recent: dict[int, Parsed] = {}
        self._costs: dict[int, int] = {}      # estimated bytes of each page in _recent
        self._held = 0
        # where each page is, by page id: 5 values an id (Where), start -1 for none. A tuple of five
        # ints a page was ~220 bytes (45 MB at 100,000 pages).
        self._places = array("q")

    # ------------------------------------------------------------------ writing
    def add(self, record: FetchRecord, tokenizer: Tokenizer | None = None) -> tuple[Where, PageArtifacts]:
        """Parse the record's page; store its artifacts and block digests and, with a ``tokenizer``,
        the words of every block (a crawl-time feed has a core to spare; an audit segments only the
        page's own blocks, later: see :meth:`put_words`). Returns where they are (the page keeps
        this) and the artifacts (for flags the page keeps unpacked)."""
        art = parse_artifacts(record)
        digests = array("Q", [block_digest(block, self.digest_memo) for block in art.blocks])
        head = marshal.dumps(tuple(getattr(art, name) for name in _HEAD))
        # the blocks as one string: decoding ~70 block strings was most of the cost
        body = marshal.dumps(("\n".join(art.blocks), art.images, art.json_ld, art.script_srcs, digests.tobytes()))
        start = self._write(head + body)
        where = (start, len(head), len(body), 0, 0)
        if tokenizer is not None:
            where = self.put_words(where, [segment(block, self.segment_memo, tokenizer) for block in art.blocks])
        return where, art

    def _write(self, data: bytes) -> int:
        self._file.seek(self._end)
        self._file.write(data)
        self._dirty = True
        start, self._end = self._end, self._end + len(data)
        return start

    def put_words(self, where: Where, words: list[Segmentation | None]) -> Where:
        """Store the words of each block of the page (None for a block not segmented)."""
        data = marshal.dumps(words)
        return (*where[:3], self._write(data), len(data))

    def place(self, page_id: int, where: Where) -> None:
        """Remember where page ``page_id`` is (as :meth:`add` returned it)."""
        if 5 * page_id >= len(self._places):
            grow = page_id + 1 - len(self._places) // 5 + len(self._places) // 10
            self._places.extend(array("q", [-1, 0, 0, 0, 0]) * grow)
        self._places[5 * page_id:5 * page_id + 5] = array("q", where)

    def where(self, page_id: int) -> Where | None:
        at = 5 * page_id
        if not 0 <= at < len(self._places) or self._places[at] < 0:
            return None
        w = self._places
        return (w[at], w[at + 1], w[at + 2], w[at + 3], w[at + 4])

    def store_words(self, page_id: int, words: list[Segmentation | None]) -> None:
        """:meth:`put_words` for a placed page."""
        where = self.where(page_id)
        if where is None:
            raise KeyError(page_id)
        self.place(page_id, self.put_words(where, words))

    @staticmethod
    def decoded_bytes(where: Where) -> int:
        """Estimated memory of the page at ``where`` once decoded, with its words (a page not yet
        segmented is counted as if its words took as much as its body)."""
        _, head, body, _, words = where
        num, den = DECODED_PER_SHELF_BYTES
        return (head + body + (words or body)) * num // den

    def site_bytes(self) -> int:
        """Estimated memory of every placed page decoded."""
        w = self._places
        return sum(self.decoded_bytes(tuple(w[at:at + 5])) for at in range(0, len(w), 5) if w[at] >= 0)

    def keep_all(self, pages: int) -> None:
        """Keep all ``pages`` decoded when they fit in ``cache_bytes`` (small sites; see CACHE_BYTES)."""
        if self.site_bytes() <= self.cache_bytes:
            self.cache_size = max(self.cache_size, pages)

    @property
    def held_bytes(self) -> int:
        """Estimated memory of the pages kept decoded now (at most ``cache_bytes``, or one page)."""
        return self._held

    def _forget_recent(self) -> None:
        self._recent.clear()
        self._costs.clear()
        self._held = 0

    def state(self) -> tuple[bytes, int]:
        """Where every page is and the file's end: what another process needs to read this shelf's
        file (see :meth:`restore`)."""
        self._file.flush()
        return self._places.tobytes(), self._end

    def restore(self, state: tuple[bytes, int]) -> None:
        """Take over the pages another process wrote to this shelf's file (its :meth:`state`)."""
        places, self._end = state
        self._places = array("q")
        self._places.frombytes(places)
        self._forget_recent()

    # ------------------------------------------------------------------ reading
    def _get(self, start: int, size: int) -> Any:
        if self._dirty:
            self._file.flush()
            self._dirty = False
        return marshal.loads(os.pread(self._file.fileno(), size, start))

    def parsed(self, page_id: int) -> Parsed:
        """The placed page ``page_id``, decoded (its body when asked for; recent pages are kept, within
        ``cache_size`` pages and ``cache_bytes``)."""
        found = self._recent.get(page_id)
        if found is None:
            where = self.where(page_id)
            if where is None:
                raise KeyError(page_id)
            start, head, body, _, _ = where
            art = ShelvedArtifacts.__new__(ShelvedArtifacts)
            for name, value in zip(_HEAD, self._get(start, head), strict=True):
                setattr(art, name, value)
            art._body_from = (self, start + head, body)
            found = Parsed(art)
            cost = self.decoded_bytes(where)
            while self._recent and (len(self._recent) >= self.cache_size or self._held + cost > self.cache_bytes):
                oldest = next(iter(self._recent))
                del self._recent[oldest]
                self._held -= self._costs.pop(oldest)
            self._recent[page_id] = found
            self._costs[page_id] = cost
            self._held += cost
        return found

    def words(self, page_id: int) -> list[Segmentation | None] | None:
        """(word tokens, word count) of each text block of the page, in order; None when not stored."""
        where = self.where(page_id)
        return self._get(where[3], where[4]) if where is not None and where[4] else None

    @property
    def size(self) -> int:
        """Bytes written to the shelf file."""
        return self._end

    def close(self) -> None:
        self._file.close()
        self._forget_recent()
        self._places = array("q")


def segment(block: str, memo: RecentMemo | dict[str, Segmentation], tokenizer: Tokenizer) -> Segmentation:
    """(word tokens, word count) of one text block, from ``memo`` or segmented into it (short blocks:
    the ones that recur, see audits.text.template.MEMO_MAX_CHARS)."""
    got = memo.get(block)
    if got is None:
        terms, count = tokenizer.terms_and_words(block)
        got = (tuple(terms), count)
        if len(block) <= MEMO_MAX_CHARS:
            memo[block] = got
    return got


def main_mask(digests: Iterable[int], template: frozenset[int]) -> list[bool]:
    """True for each block that is the page's own (not a template block)."""
    return [not (d and d in template) for d in digests]
