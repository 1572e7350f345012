"""Parse pages while the crawl is still running.

``govseo run`` crawls in a child process (one core) and, in a second child (the other core), a
``PageFeed`` reads each page as the crawl commits it to the store, parses its artifacts and segments
its text blocks onto a shelf. When the crawl ends, the feed hands the shelf (an anonymous file both
processes hold) and where each page is on it back to ``govseo run``, and
:func:`audits.site.load_site` takes the pages already parsed: only the site-wide work is left.

Why a process and not this one: parsing and segmenting 100,000 pages leaves the allocator's arenas
fragmented (measured: ~60 more 1 MB arenas at 20,000 pages than a fresh audit holds, for ~6 MB of
live objects), and that heap is the one the audit would then grow in. A feed process takes its heap
with it when it exits; the audit starts on a clean one, as a re-audit of the store does.
"""

from __future__ import annotations

import importlib
import math
import multiprocessing
import os
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass
from multiprocessing import reduction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from audits.shelf import PageShelf
from audits.site import make_page
from audits.text.tokenizer import Tokenizer, get_tokenizer
from crawler.lifeline import run_child
from crawler.store import CrawlStore, StoreError
from crawler.urls import Scope


class Placements:
    """Which fetches the feed has read, by URL id, in flat arrays (no Python object a page): the fetch
    time, and whether the page is on the shelf (which knows where: PageShelf.where) and redirects.
    :func:`audits.site.load_site` makes the pages afterwards, from the store."""

    _NONE, _PAGE, _REDIRECT = -1, 0, 1          # nothing parsed (not HTML, off-site); on the shelf

    def __init__(self, fetched_at: array | None = None, state: array | None = None) -> None:
        self.fetched_at = fetched_at if fetched_at is not None else array("d")        # NaN: not read
        self.state = state if state is not None else array("b")

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
    """Reads the pages a crawl commits to ``db`` and parses them onto a shelf (runs in the feed's own
    process: :class:`FeedProcess`)."""

    def __init__(self, db: Path, tokenizer: Tokenizer | None = None, shelf: PageShelf | None = None) -> None:
        self.db = db
        self.placed = Placements()
        self.shelf = shelf if shelf is not None else PageShelf(directory=Path(db).parent)   # known writable
        self._tokenizer = tokenizer
        self._store: CrawlStore | None = None
        self._scope: Scope | None = None
        self._since = 0.0

    def poll(self, limit: int = 50) -> int:
        """Parse up to ``limit`` newly committed pages; returns how many were read (0: nothing new)."""
        if not self._open():
            return 0
        assert self._store is not None and self._scope is not None
        scope = self._scope
        tokenizer = self._tokenizer or get_tokenizer()
        self._tokenizer = tokenizer
        read = 0
        rows = self._store.iter_fetches(since=self._since)
        batch = []
        held = 0
        for record in rows:      # up to ``limit`` new pages, and no more than _BATCH_BYTES of bodies
            if self.placed.seen(record.url_id, record.fetched_at):
                continue
            batch.append(record)
            held += len(record.compressed_body or b"")
            if len(batch) >= limit or held >= _BATCH_BYTES:
                break
        rows.close()          # ends the read transaction: the crawl's WAL checkpoints are not held back
        for record in batch:
            self._since = max(self._since, record.fetched_at or 0.0)
            page = make_page(record, scope, self.shelf, tokenizer)
            if record.fetched_at is not None:
                self.placed.put(record.url_id, record.fetched_at, bool(page and page.shelf), bool(page and page.redirects))
            read += 1
        return read

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

    def close(self) -> None:
        """The crawl is over: close the store."""
        if self._store is not None:
            self._store.close()
            self._store = None


# ---------------------------------------------------------------------------- the feed's process
@dataclass
class Fed:
    """What a feed process parsed: which fetches (``placed``) and the shelf they are on."""

    placed: Placements
    shelf: PageShelf

    def release(self) -> None:
        """Drop the parsed pages (after the audit is done with them)."""
        self.shelf.close()


class _InheritedFd:
    """A file descriptor handed to a spawned child (the mechanism multiprocessing uses for its own
    pipes): the child gets a duplicate of it, the same open file, even when it has no name."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        return _detach, (reduction.DupFd(self.fd),)


def _detach(dup: Any) -> int:
    return dup.detach()


def _child(db: Path, shelf_fd: int, parent: int, conn: Connection) -> None:
    def feed_until_finished() -> Any:
        os.nice(_NICE)
        feed = PageFeed(db, shelf=PageShelf(file=os.fdopen(shelf_fd, "r+b")))
        while not conn.poll():           # until the parent says the crawl is over ("finish")
            if not feed.poll():
                time.sleep(0.05)
        conn.recv()
        while feed.poll(limit=1000):
            pass
        feed.close()
        return ("done", feed.placed.fetched_at, feed.placed.state, feed.shelf.state())

    run_child(parent, conn, feed_until_finished)    # a crash: the audit parses the pages itself


# Bodies (compressed, as stored) a poll reads at most at once: 1,000 pages of 10 MB of random bytes
# would be 10 GB; 16 MB is ~1,000 of the bench portal's pages.
_BATCH_BYTES = 16 * 1024 * 1024

# The crawl is what a run waits for: the feed yields the CPU to it. It keeps up with a crawl anyway
# (measured on the bench portal: 1.2 ms of CPU a page against the crawl's 2.2 ms), and catches up when the
# crawl ends.
_NICE = 10


class FeedProcess:
    """A :class:`PageFeed` in a child process beside the crawl. :meth:`finish` after the crawl
    returns what it parsed; a feed that fails costs only time (the audit parses the pages itself)."""

    _WARMERS = ("audits.engine", "audits.findability", "reports.bundle", "reports.html")

    def __init__(self, db: Path, *, tokenizer_early: bool = True) -> None:
        """``tokenizer_early``: load this process's tokenizer while the crawl runs (~0.6 s and ~60 MB,
        beside the crawl's and the feed's processes), not after it."""
        context = multiprocessing.get_context("spawn")
        # anonymous: nothing is left behind when govseo is killed; the child writes to the same file
        self._file = tempfile.TemporaryFile(prefix="govseo-shelf-", dir=Path(db).parent)
        self._conn, child_conn = context.Pipe()
        self.process = context.Process(target=_child, args=(Path(db), _InheritedFd(self._file.fileno()),
                                                            os.getpid(), child_conn), name="govseo-feed", daemon=True)
        self._child_conn = child_conn
        self._warmers: list[str] | None = list(self._WARMERS)
        self._tokenizer_early = tokenizer_early
        self.failure: str | None = None

    def start(self) -> None:
        self.process.start()
        self._child_conn.close()

    def warm_up(self) -> bool:
        """Do one piece of the start-up work the audit will need in this process (imports: the rules,
        the findability model, the report templates; the tokenizer) while the crawl runs. False
        when nothing is left to do."""
        while self._warmers:
            module = self._warmers.pop(0)
            if module not in sys.modules:
                importlib.import_module(module)
                return True
        if self._warmers is not None:
            self._warmers = None
            if self._tokenizer_early:
                get_tokenizer()
                return True
        return False

    def finish(self) -> Fed | None:
        """The crawl is over: wait for the feed to read its last pages and take them over. None when
        the feed failed (``failure`` says why)."""
        outcome: Any = None
        if self.process.is_alive():
            try:
                self._conn.send("finish")
                outcome = self._conn.recv()
            except (OSError, EOFError):
                outcome = None
        self.process.join()
        if not (isinstance(outcome, tuple) and outcome[0] == "done"):
            self.failure = outcome[1] if isinstance(outcome, tuple) else f"exit code {self.process.exitcode}"
            self.stop()
            return None
        _, fetched_at, state, shelf_state = outcome
        shelf = PageShelf(file=self._file)
        shelf.restore(shelf_state)
        self._file = None
        return Fed(Placements(fetched_at, state), shelf)

    def stop(self) -> None:
        """End the feed process, if running, and drop its shelf (unless :meth:`finish` took it)."""
        if self.process.is_alive():
            self.process.kill()
        if self.process.pid is not None:
            self.process.join()
        self._conn.close()
        if self._file is not None:
            self._file.close()
            self._file = None
