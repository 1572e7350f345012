"""Parse pages while the crawl is still running.

``govseo run`` crawls in a child process (one core) and, in this process (the other core), a
``PageFeed`` reads each page as the crawl commits it to the store, parses its artifacts and segments
its text blocks. When the crawl ends, :func:`audits.site.load_site` takes the pages already parsed and
only the site-wide work is left.
"""

from __future__ import annotations

import importlib
import math
import sys
import unicodedata
from array import array
from itertools import islice
from pathlib import Path

from audits.artifacts import PageArtifacts
from audits.shelf import PageShelf
from audits.site import make_page
from audits.text.tokenizer import Tokenizer, get_tokenizer
from crawler.store import CrawlStore, StoreError
from crawler.urls import Scope


class Placements:
    """Which fetches the feed has read, by URL id, in flat arrays (no Python object a page): the fetch
    time, and whether the page is on the shelf (which knows where: PageShelf.where) and redirects.
    :func:`audits.site.load_site` makes the pages afterwards, from the store."""

    _NONE, _PAGE, _REDIRECT = -1, 0, 1          # nothing parsed (not HTML, off-site); on the shelf

    def __init__(self) -> None:
        self.fetched_at = array("d")        # NaN: not read
        self.state = array("b")

    def put(self, url_id: int, fetched_at: float, on_shelf: bool, redirects: bool) -> None:
        """Record a fetch the feed has read: parsed onto the shelf or not, a meta-refresh redirect or not."""
        if url_id >= len(self.fetched_at):
            grow = url_id + 1 - len(self.fetched_at) + len(self.fetched_at) // 2
            self.fetched_at.extend(array("d", [math.nan]) * grow)
            self.state.extend(array("b", [self._NONE]) * grow)
        self.fetched_at[url_id] = fetched_at
        self.state[url_id] = (self._REDIRECT if redirects else self._PAGE) if on_shelf else self._NONE

    def seen(self, url_id: int, fetched_at: float | None) -> bool:
        """The feed has read this very fetch (a re-fetch has another time)."""
        return fetched_at is not None and 0 <= url_id < len(self.fetched_at) and self.fetched_at[url_id] == fetched_at

    def get(self, url_id: int, fetched_at: float | None) -> bool | None:
        """Whether this very fetch, on the shelf, is a meta-refresh redirect; None when the feed did not
        put it on the shelf."""
        if not self.seen(url_id, fetched_at) or self.state[url_id] == self._NONE:
            return None
        return self.state[url_id] == self._REDIRECT

    def __len__(self) -> int:
        """Pages on the shelf."""
        return sum(1 for at, state in zip(self.fetched_at, self.state, strict=True)
                   if at == at and state != self._NONE)


class PageFeed:
    def __init__(self, db: Path, tokenizer: Tokenizer | None = None) -> None:
        self.db = db
        self.placed = Placements()
        self.shelf = PageShelf(directory=Path(db).parent)     # beside the crawl store: known writable
        self._tokenizer = tokenizer
        self._store: CrawlStore | None = None
        self._scope: Scope | None = None
        self._since = 0.0
        self._warmers = ["audits.engine", "audits.findability", "reports.bundle", "reports.html"]

    def poll(self, limit: int = 50) -> int:
        """Parse up to ``limit`` newly committed pages; returns how many were read (0: nothing new)."""
        if not self._open():
            return 0
        assert self._store is not None and self._scope is not None
        tokenizer = self._tokenizer or get_tokenizer()
        self._tokenizer = tokenizer
        read = 0
        rows = self._store.iter_fetches(since=self._since)
        batch = list(islice(rows, limit + 20))
        rows.close()          # ends the read transaction: the crawl's WAL checkpoints are not held back
        for record in batch:
            if self.placed.seen(record.url_id, record.fetched_at):
                continue
            self._since = max(self._since, record.fetched_at or 0.0)
            page = make_page(record, self._scope, self.shelf, tokenizer)
            if record.fetched_at is not None:
                self.placed.put(record.url_id, record.fetched_at, bool(page and page.shelf), bool(page and page.redirects))
            if page is not None:
                art = page.artifacts
                if art is not None:
                    self._prepare(art, tokenizer)
            read += 1
        return read

    def warm_up(self) -> bool:
        """Do one piece of start-up work the audit will need (imports: the rules, the findability
        model, the report templates) while the crawl is running and there is no page to parse.
        False when nothing is left to do."""
        while self._warmers:
            module = self._warmers.pop(0)
            if module not in sys.modules:
                importlib.import_module(module)
                return True
        return False

    def _prepare(self, art: PageArtifacts, tokenizer: Tokenizer) -> None:
        """Do now what the audit would do later (the shelf already holds the page's block digests and
        words): segmentation of titles and H1s (the tokenizer caches short texts), and the short
        fields of the simulated search index."""
        for text in (art.title or "", *art.h1s):
            tokenizer.terms(text)
        for text in (art.title or "", " ".join(art.h1s), " ".join(art.descriptions)):
            if text:
                tokenizer.cut_for_search(unicodedata.normalize("NFKC", text))

    def _open(self) -> bool:
        if self._store is not None:
            return True
        try:
            store = CrawlStore(self.db, create=False)
        except StoreError:
            return False      # the crawl has not created its store yet
        options = store.get_meta_json("options")
        if not options:
            store.close()
            return False
        self._store = store
        self._scope = Scope(list(options.get("start_urls") or []), bool(options.get("subdomains")))
        return True

    def release(self) -> None:
        """Drop the parsed pages' shelf (after the audit is done with them)."""
        self.placed = Placements()
        self.shelf.close()

    def close(self) -> None:
        """The crawl is over: close the store and empty the text memos."""
        if self._tokenizer is not None:
            self._tokenizer.forget()
        self.shelf.segment_memo.clear()
        if self._store is not None:
            self._store.close()
            self._store = None
