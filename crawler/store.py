"""The crawl store: the only module that speaks SQL.

One SQLite file per crawl (WAL, batched writes). Every URL the crawl has seen gets one row in
``urls`` (in-scope or not); every fetch outcome gets one row in ``fetches`` keyed by that URL (a
redirect hop is the fetch of its own URL, with its Location); links are integer pairs. Raw bodies
are kept zlib-compressed so new checks never need a re-crawl.

Writes are buffered and committed together at page boundaries (``maybe_commit``), so a crash or
``kill -9`` leaves the store at the last commit: consistent, resumable, missing at most the last batch.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS urls (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,            -- queued | done | blocked | external | excluded | limit
    found_via TEXT NOT NULL,        -- start | link | redirect | sitemap
    crawl_depth INTEGER
);
CREATE TABLE IF NOT EXISTS fetches (
    url_id INTEGER PRIMARY KEY REFERENCES urls(id),
    status INTEGER,                 -- HTTP status; NULL when the fetch failed
    error TEXT,                     -- timeout | dns | tls | refused | reset | other; NULL when answered
    error_detail TEXT,
    location TEXT,                  -- absolute redirect target of a 3xx
    content_type TEXT,
    content_length INTEGER,         -- Content-Length header, if any
    body_size INTEGER,              -- bytes received
    truncated INTEGER NOT NULL DEFAULT 0,
    headers TEXT,                   -- JSON [[name, value], ...]
    body BLOB,                      -- zlib-compressed raw bytes (HTML/text only)
    charset_header TEXT,
    charset_meta TEXT,
    charset_detected TEXT,
    charset_used TEXT,
    elapsed_ms REAL,
    fetched_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS links (
    source_id INTEGER NOT NULL,
    target_id INTEGER NOT NULL,
    tag TEXT NOT NULL,              -- a | area | iframe | frame | img | canonical | meta-refresh
    rel TEXT,
    anchor TEXT
);
CREATE INDEX IF NOT EXISTS links_source ON links(source_id);
-- Fetch time, in insertion order (cheap to keep): "govseo run" reads each page as it is committed.
CREATE INDEX IF NOT EXISTS fetches_time ON fetches(fetched_at);
-- No index on target_id: audits read the whole table, and keeping a second random-order B-tree
-- up to date was most of the cost of each page's commit.
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,        -- scheme://host[:port]
    url TEXT NOT NULL,
    final_url TEXT,
    status INTEGER,
    error TEXT,
    body BLOB,
    fetched_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sitemaps (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,           -- robots | default | index
    parent TEXT,
    status INTEGER,
    error TEXT,
    kind TEXT,                      -- urlset | sitemapindex | txt | invalid | missing
    content_type TEXT,
    gzipped INTEGER NOT NULL DEFAULT 0,
    raw_size INTEGER,
    size INTEGER,                   -- decompressed size
    body BLOB,                      -- zlib-compressed decompressed bytes
    fetched_at REAL
);
CREATE TABLE IF NOT EXISTS sitemap_entries (
    sitemap_id INTEGER NOT NULL,
    loc TEXT NOT NULL,
    lastmod TEXT,
    changefreq TEXT,
    priority TEXT
);
CREATE INDEX IF NOT EXISTS sitemap_entries_sitemap ON sitemap_entries(sitemap_id);
""" + """
-- Engine views (crawler/engines.py): a URL fetched again with a search engine's User-Agent.
CREATE TABLE IF NOT EXISTS engine_views (
    url TEXT NOT NULL,
    engine TEXT NOT NULL,           -- Baiduspider | Baiduspider-render | Googlebot | 360Spider | Sogou web spider
    url_id INTEGER,                 -- the crawled page; NULL for robots.txt
    status INTEGER,                 -- NULL: not answered (see error)
    final_url TEXT,                 -- the URL itself, or the Location of a 3xx (views follow no redirect)
    digest TEXT,                    -- SHA-1 of the body
    size INTEGER,
    title TEXT,
    text_length INTEGER,            -- visible characters, roughly
    markers TEXT,                   -- JSON list of challenge markers ($_ts, __jsl_clearance, acw_sc__v2, ...)
    error TEXT,                     -- blocked-by-robots | timeout | reset | ... ; NULL when answered
    body BLOB,                      -- zlib; only a small challenge or error page
    fetched_at REAL NOT NULL,
    PRIMARY KEY (url, engine)
);
-- --render: each page as headless Chromium rendered it (crawler/render.py), beside its raw fetch.
CREATE TABLE IF NOT EXISTS renders (
    url_id INTEGER PRIMARY KEY REFERENCES urls(id),
    status TEXT NOT NULL,           -- ok | timeout | crashed | error | skipped (over --render-max)
    error TEXT,
    final_url TEXT,                 -- the page's URL after its scripts ran (location changes)
    http_status INTEGER,            -- the status the browser's navigation got (a gateway may answer it differently)
    elapsed_ms REAL,
    dom_size INTEGER,               -- bytes of the serialised DOM (UTF-8), after the page cap
    truncated INTEGER NOT NULL DEFAULT 0,
    dom BLOB,                       -- zlib-compressed UTF-8 serialised DOM (status ok)
    rendered_at REAL NOT NULL
);
"""

_INSERTS = {
    "url": "INSERT INTO urls (id, url, state, found_via, crawl_depth) VALUES (?, ?, ?, ?, ?)",
    "state": "UPDATE urls SET state = ? WHERE id = ?",
    "fetch": "INSERT OR REPLACE INTO fetches VALUES (" + ", ".join("?" * 17) + ")",
    "unlink": "DELETE FROM links WHERE source_id = ?",
    "link": "INSERT INTO links VALUES (?, ?, ?, ?, ?)",
    "view": "INSERT OR REPLACE INTO engine_views VALUES (" + ", ".join("?" * 13) + ")",
    "render": "INSERT OR REPLACE INTO renders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
}
RENDER_STATUSES = ("ok", "timeout", "crashed", "error", "skipped")



class StoreError(Exception):
    """The store cannot be opened or is not a govseo crawl store.

    ``kind`` (missing | unusable | foreign | schema) lets the command line word it for the user.
    """

    def __init__(self, message: str, kind: str, path: Path, detail: str = "") -> None:
        super().__init__(message)
        self.kind, self.path, self.detail = kind, path, detail


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One fetch outcome as stored, with the body decompressed on demand."""

    url_id: int
    url: str
    state: str
    found_via: str
    crawl_depth: int | None
    status: int | None
    error: str | None
    error_detail: str | None
    location: str | None
    content_type: str | None
    content_length: int | None
    body_size: int | None
    truncated: bool
    headers_json: str | None       # as stored: JSON [[name, value], ...], read by header()
    compressed_body: bytes | None
    charset_header: str | None
    charset_meta: str | None
    charset_detected: str | None
    charset_used: str | None
    fetched_at: float | None = None

    @property
    def body(self) -> bytes:
        return zlib.decompress(self.compressed_body) if self.compressed_body else b""

    @property
    def headers(self) -> list[tuple[str, str]]:
        """The response headers, (name, value) pairs. Kept as the stored JSON text: an audit holds
        every page's record, and a list of pairs was ~600 bytes a page."""
        return [(name, value) for name, value in json.loads(self.headers_json or "[]")]

    def header(self, name: str) -> list[str]:
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]


def _interned(value: str | None) -> str | None:
    return intern(value) if value is not None and len(value) <= 64 else value


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 3)


class CrawlStore:
    """Read/write access to one crawl store file."""

    def __init__(self, path: str | Path, *, create: bool = True, batch_size: int = 200,
                 batch_seconds: float = 1.0) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"crawl store not found: {self.path}", "missing", self.path)
        try:
            self.conn = sqlite3.connect(str(self.path), isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            if create:
                self.conn.executescript(_SCHEMA)
            version = self.get_meta("schema_version")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"not a usable crawl store: {self.path} ({exc})", "unusable", self.path,
                             str(exc)) from exc
        if version is None:
            if not create:
                raise StoreError(f"not a govseo crawl store: {self.path}", "foreign", self.path)
            self.conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(version) != SCHEMA_VERSION:
            raise StoreError(f"crawl store schema {version} is not supported (expected {SCHEMA_VERSION})",
                             "schema", self.path, str(version))
        self._batch_size = batch_size
        self._batch_seconds = batch_seconds
        self._pending: dict[str, list[tuple[Any, ...]]] = {}
        self._pending_count = 0
        self._last_commit = time.monotonic()
        row = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM urls").fetchone()
        self._next_url_id = int(row[0]) + 1

    # ------------------------------------------------------------------ buffering
    # ------------------------------------------------------------------ buffering
    def _queue(self, kind: str, row: tuple[Any, ...]) -> None:
        self._pending.setdefault(kind, []).append(row)
        self._pending_count += 1

    def maybe_commit(self) -> None:
        """Commit when the batch is full or old. Call it only between units of work (a whole page),
        so that a commit never splits a page's fetch, links and state."""
        if (self._pending_count >= self._batch_size
                or time.monotonic() - self._last_commit >= self._batch_seconds):
            self.commit()

    def commit(self) -> None:
        """Write every buffered row in one transaction."""
        if self._pending_count:
            with self.conn:
                self.conn.execute("BEGIN")
                # Order matters: a fetch's old links go before its new ones.
                for kind in ("url", "state", "fetch", "unlink", "link", "view", "render"):
                    rows = self._pending.get(kind)
                    if rows:
                        self.conn.executemany(_INSERTS[kind], rows)
            self._pending.clear()
            self._pending_count = 0
        self._last_commit = time.monotonic()

    def close(self) -> None:
        self.commit()
        self.conn.close()

    # ------------------------------------------------------------------ meta
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: Any) -> None:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        self.commit()
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, text))

    def get_meta_json(self, key: str, default: Any = None) -> Any:
        text = self.get_meta(key)
        return default if text is None else json.loads(text)

    # ------------------------------------------------------------------ urls
    def add_url(self, url: str, state: str, found_via: str, crawl_depth: int | None) -> int:
        url_id = self._next_url_id
        self._next_url_id += 1
        self._queue("url", (url_id, url, state, found_via, crawl_depth))
        return url_id

    def set_state(self, url_id: int, state: str) -> None:
        self._queue("state", (state, url_id))

    def iter_urls(self) -> Iterator[tuple[int, str, str, str, int | None]]:
        self.commit()
        for uid, url, state, via, depth in self.conn.execute(
                "SELECT id, url, state, found_via, crawl_depth FROM urls ORDER BY id"):
            yield uid, url, intern(state), intern(via), depth

    # ------------------------------------------------------------------ fetches and links
    def add_fetch(self, url_id: int, *, status: int | None, error: str | None = None,
                  error_detail: str | None = None, location: str | None = None,
                  content_type: str | None = None, content_length: int | None = None,
                  body_size: int | None = None, truncated: bool = False,
                  headers: list[tuple[str, str]] | None = None, body: bytes | None = None,
                  charset_header: str | None = None, charset_meta: str | None = None,
                  charset_detected: str | None = None, charset_used: str | None = None,
                  elapsed_ms: float | None = None) -> None:
        self._queue("fetch", (
            url_id, status, error, error_detail, location, content_type, content_length, body_size,
            int(truncated), json.dumps(headers or [], ensure_ascii=False),
            compress(body) if body else None, charset_header, charset_meta, charset_detected,
            charset_used, elapsed_ms, time.time(),
        ))

    def add_links(self, source_id: int, links: Iterable[tuple[int, str, str | None, str | None]]) -> None:
        """Replace the outgoing links of ``source_id``: (target_id, tag, rel, anchor) tuples."""
        self._queue("unlink", (source_id,))
        rows = self._pending.setdefault("link", [])
        before = len(rows)
        rows.extend([(source_id, target_id, tag, rel, anchor) for target_id, tag, rel, anchor in links])
        self._pending_count += len(rows) - before

    def iter_fetches(self, since: float | None = None) -> Iterator[FetchRecord]:
        """Every fetch outcome by URL id; with ``since``, those fetched at or after it, oldest first
        (a reader following a crawl that another process is writing)."""
        self.commit()
        select = (
            "SELECT f.url_id, u.url, u.state, u.found_via, u.crawl_depth, f.status, f.error,"
            " f.error_detail, f.location, f.content_type, f.content_length, f.body_size, f.truncated,"
            " f.headers, f.body, f.charset_header, f.charset_meta, f.charset_detected, f.charset_used,"
            " f.fetched_at FROM fetches f JOIN urls u ON u.id = f.url_id")
        cur = (self.conn.execute(select + " ORDER BY f.url_id") if since is None else
               self.conn.execute(select + " WHERE f.fetched_at >= ? ORDER BY f.fetched_at", (since,)))
        for row in cur:
            # state, found_via, content type and charsets repeat on every page: one object each
            (uid, url, state, via, depth, status, error, detail, location, ctype, clen, size, truncated, headers,
             body, cs_header, cs_meta, cs_detected, cs_used, fetched_at) = row
            yield FetchRecord(uid, url, intern(state), intern(via), depth, status, error and intern(error), detail,
                              location, _interned(ctype), clen, size, bool(truncated), headers, body,
                              _interned(cs_header), _interned(cs_meta), _interned(cs_detected), _interned(cs_used),
                              fetched_at)

    def body(self, url_id: int) -> bytes:
        """The raw body of one fetch (audits keep bodies on disk and read the few they need)."""
        self.commit()
        row = self.conn.execute("SELECT body FROM fetches WHERE url_id = ?", (url_id,)).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else b""

    def iter_links(self) -> Iterator[tuple[int, int, str, str | None, str | None]]:
        self.commit()
        yield from self.conn.execute("SELECT source_id, target_id, tag, rel, anchor FROM links")

    def count(self, table: str) -> int:
        if table not in {"urls", "fetches", "links", "robots", "sitemaps", "sitemap_entries", "engine_views", "renders"}:
            raise ValueError(table)
        self.commit()
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    # ------------------------------------------------------------------ rendered pages (--render)
    def add_render(self, url_id: int, status: str, *, error: str | None = None, final_url: str | None = None,
                   http_status: int | None = None, elapsed_ms: float | None = None, dom: bytes | None = None,
                   dom_size: int | None = None, truncated: bool = False) -> None:
        """Record one page's render; ``dom`` is already zlib-compressed (the render process does it)."""
        self._queue("render", (url_id, status, error, final_url, http_status, elapsed_ms, dom_size, int(truncated),
                               dom, time.time()))

    def add_script_links(self, source_id: int, links: Iterable[tuple[int, str, str | None, str | None]]) -> None:
        """Add links found only in the rendered DOM to the page's raw links (which stay)."""
        rows = [(source_id, target_id, tag, rel, anchor) for target_id, tag, rel, anchor in links]
        self._pending.setdefault("link", []).extend(rows)
        self._pending_count += len(rows)

    def link_targets(self, source_id: int) -> set[int]:
        self.commit()
        return {row[0] for row in self.conn.execute("SELECT target_id FROM links WHERE source_id = ?", (source_id,))}

    def _has_renders(self) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'renders'").fetchone() is not None

    def iter_renders(self) -> Iterator[tuple[int, str, str | None, str | None, int | None, float | None, int | None]]:
        """(url_id, status, error, final_url, http_status, elapsed_ms, dom_size) of every recorded render, without
        DOMs."""
        self.commit()
        if not self._has_renders():
            return
        for uid, status, *rest in self.conn.execute(
                "SELECT url_id, status, error, final_url, http_status, elapsed_ms, dom_size FROM renders ORDER BY url_id"):
            yield (uid, intern(status), *rest)

    def render_row(self, url_id: int) -> tuple[str, str | None, str | None, int | None, float | None, int | None] | None:
        """(status, error, final_url, http_status, elapsed_ms, dom_size) of one page's render, or None."""
        if not self._has_renders():
            return None
        return self.conn.execute("SELECT status, error, final_url, http_status, elapsed_ms, dom_size FROM renders"
                                 " WHERE url_id = ?", (url_id,)).fetchone()

    def rendered_dom(self, url_id: int) -> bytes | None:
        """The page's rendered DOM (UTF-8), or None when it has none."""
        self.commit()
        if not self._has_renders():
            return None
        row = self.conn.execute("SELECT dom FROM renders WHERE url_id = ?", (url_id,)).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else None

    def iter_unrendered(self) -> Iterator[tuple[int, str, int]]:
        """(url_id, url, depth) of 200 HTML pages without a render (or skipped over the cap): what a
        resumed --render crawl renders."""
        self.commit()
        yield from self.conn.execute(
            "SELECT u.id, u.url, COALESCE(u.crawl_depth, 0) FROM fetches f JOIN urls u ON u.id = f.url_id"
            " LEFT JOIN renders r ON r.url_id = f.url_id"
            " WHERE f.status = 200 AND f.body IS NOT NULL AND f.charset_used IS NOT NULL"
            " AND (r.url_id IS NULL OR r.status = 'skipped') ORDER BY u.id")

    def count_rendered(self) -> int:
        self.commit()
        return int(self.conn.execute("SELECT COUNT(*) FROM renders WHERE status != 'skipped'").fetchone()[0])

    # ------------------------------------------------------------------ robots.txt
    def put_robots(self, origin: str, url: str, *, final_url: str | None, status: int | None,
                   error: str | None, body: bytes | None) -> None:
        self.commit()
        self.conn.execute(
            "INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?, ?, ?, ?)",
            (origin, url, final_url, status, error, compress(body) if body else None, time.time()))

    def iter_robots(self) -> Iterator[dict[str, Any]]:
        self.commit()
        for origin, url, final_url, status, error, body, _ in self.conn.execute(
                "SELECT * FROM robots ORDER BY origin"):
            yield {"origin": origin, "url": url, "final_url": final_url, "status": status,
                   "error": error, "body": zlib.decompress(body) if body else b""}

    # ------------------------------------------------------------------ sitemaps
    def put_sitemap(self, url: str, *, source: str, parent: str | None, status: int | None,
                    error: str | None, kind: str, content_type: str | None = None,
                    gzipped: bool = False, raw_size: int | None = None, body: bytes | None = None,
                    entries: Iterable[dict[str, str]] = ()) -> None:
        """Store one sitemap file and its entries, replacing an earlier copy."""
        self.commit()
        with self.conn:
            self.conn.execute("BEGIN")
            old = self.conn.execute("SELECT id FROM sitemaps WHERE url = ?", (url,)).fetchone()
            if old:
                self.conn.execute("DELETE FROM sitemap_entries WHERE sitemap_id = ?", (old[0],))
                self.conn.execute("DELETE FROM sitemaps WHERE id = ?", (old[0],))
            cur = self.conn.execute(
                "INSERT INTO sitemaps (url, source, parent, status, error, kind, content_type, gzipped,"
                " raw_size, size, body, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (url, source, parent, status, error, kind, content_type, int(gzipped), raw_size,
                 len(body) if body is not None else None, compress(body) if body else None, time.time()))
            sid = cur.lastrowid
            self.conn.executemany(
                "INSERT INTO sitemap_entries VALUES (?, ?, ?, ?, ?)",
                ((sid, e["loc"], e.get("lastmod"), e.get("changefreq"), e.get("priority")) for e in entries))

    def iter_sitemaps(self, with_body: bool = False, with_entries: bool = True) -> Iterator[dict[str, Any]]:
        self.commit()
        cols = ("id", "url", "source", "parent", "status", "error", "kind", "content_type", "gzipped",
                "raw_size", "size")
        for row in self.conn.execute(f"SELECT {', '.join(cols)} FROM sitemaps ORDER BY id").fetchall():
            item = dict(zip(cols, row, strict=True))
            item["gzipped"] = bool(item["gzipped"])
            if with_body:
                item["body"] = self.sitemap_body(item["id"])
            if with_entries:
                item["entries"] = self.sitemap_entries(item["id"])
            yield item

    def sitemap_body(self, sitemap_id: int) -> bytes:
        self.commit()
        row = self.conn.execute("SELECT body FROM sitemaps WHERE id = ?", (sitemap_id,)).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else b""

    def sitemap_entries(self, sitemap_id: int) -> list[dict[str, Any]]:
        self.commit()
        return [{"loc": loc, "lastmod": lastmod, "changefreq": cf, "priority": pr}
                for loc, lastmod, cf, pr in self.conn.execute(
                    "SELECT loc, lastmod, changefreq, priority FROM sitemap_entries WHERE sitemap_id = ?"
                    " ORDER BY rowid", (sitemap_id,))]

    def sitemap_urls(self) -> set[str]:
        self.commit()
        return {row[0] for row in self.conn.execute("SELECT url FROM sitemaps")}

    # ------------------------------------------------------------------ engine views (crawler/engines.py)
    def engine_view_candidates(self) -> list[tuple[int, str]]:
        """(url id, url) of the start URLs the crawl fetched (any answer) and of the pages it fetched whole as
        HTML with status 200."""
        self.commit()
        return self.conn.execute(
            "SELECT u.id, u.url FROM fetches f JOIN urls u ON u.id = f.url_id WHERE u.found_via = 'start'"
            " OR (f.status = 200 AND f.truncated = 0"
            " AND (f.content_type LIKE 'text/html%' OR f.content_type LIKE 'application/xhtml%'))"
            " ORDER BY u.id").fetchall()

    def engine_views_done(self) -> set[tuple[str, str]]:
        self.commit()
        return set(self.conn.execute("SELECT url, engine FROM engine_views"))

    def put_engine_view(self, url: str, engine: str, *, url_id: int | None, status: int | None = None,
                        final_url: str | None = None, digest: str | None = None, size: int | None = None,
                        title: str | None = None, text_length: int | None = None, markers: list[str] | None = None,
                        error: str | None = None, body: bytes | None = None) -> None:
        self._queue("view", (url, engine, url_id, status, final_url, digest, size, title, text_length,
                             json.dumps(markers or []), error, compress(body) if body else None, time.time()))

    def iter_engine_views(self) -> Iterator[dict[str, Any]]:
        """Every stored engine view (no body); none in a store made before engine views existed."""
        self.commit()
        cols = ("url", "engine", "url_id", "status", "final_url", "digest", "size", "title", "text_length",
                "markers", "error", "fetched_at")
        try:
            cur = self.conn.execute(f"SELECT {', '.join(cols)} FROM engine_views ORDER BY url, engine")
        except sqlite3.OperationalError:
            return
        for row in cur:
            item = dict(zip(cols, row, strict=True))
            item["markers"] = json.loads(item["markers"] or "[]")
            yield item

    def engine_view_body(self, url: str, engine: str) -> bytes:
        self.commit()
        row = self.conn.execute("SELECT body FROM engine_views WHERE url = ? AND engine = ?", (url, engine)).fetchone()
        return zlib.decompress(row[0]) if row and row[0] else b""
