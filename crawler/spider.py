"""The govseo spider: fetches, records every outcome in the crawl store, and follows links.

It knows nothing of audit rules. Links are resolved, normalised and de-duplicated here before any
Request is built (a page carries ~100 links, most already seen), which is what keeps the crawl fast.
Every URL seen gets a store id; the set of queued ids in the store is the frontier, so a crawl that
was killed resumes from the store alone.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from typing import Any

import scrapy
from protego import Protego
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, StopDownload
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.engines import EngineViews
from crawler.render_hook import RenderHook
from crawler.response import media_type, summarise
from crawler.robots import rules_of
from crawler.settings import TEXT_TYPES, CrawlOptions
from crawler.sitemaps import MAX_SITEMAP_BYTES, parse_sitemap
from crawler.store import CrawlStore
from crawler.urls import BadURL, Resolver, Scope, date_pattern, normalize, origin

DEFAULT_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/sitemap.txt")
MAX_REDIRECT_HOPS = 20      # as browsers: an endless redirect chain ends here (the next URL is marked "limit")
MAX_SITEMAPS = 1000
FEED_MIN = 64               # page requests kept inside Scrapy at least (4x the concurrency when more)
_ERROR_STATUSES = list(range(400, 600))
# A robots.txt past this is refused as too-large (robots-txt-missing reports it) rather than read whole: engines
# read its first 500 KiB (crawler/robots.py MAX_BYTES, as Google; RFC 9309 asks for at least 500 KiB), and the
# crawl store keeps what is fetched.
ROBOTS_MAXSIZE = 16 * 1024 * 1024


# Exception class names (Twisted's and Scrapy 2.13+'s own) -> the stable kind stored in the crawl store.
_FAILURE_KINDS = {
    "TimeoutError": "timeout", "TCPTimedOutError": "timeout", "DownloadTimeoutError": "timeout",
    "DNSLookupError": "dns", "CannotResolveHostError": "dns",
    "ConnectionRefusedError": "refused", "DownloadConnectionRefusedError": "refused",
    "ConnectionLost": "reset", "ConnectionDone": "reset", "ResponseFailed": "reset",
    "ResponseNeverReceived": "reset", "ResponseDataLossError": "reset", "ConnectionAborted": "reset",
    "SSLError": "tls", "Error": "other",
}


def classify_failure(failure: Failure) -> str:
    """A short, stable name for why a fetch failed (Scrapy 2.13+ wraps Twisted's errors: the chain of
    causes is searched too)."""
    chain: list[BaseException] = []
    exc: BaseException | None = failure.value
    while exc is not None and len(chain) < 10:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    text = " ".join(f"{type(e).__name__} {e!r}" for e in chain).lower()
    if "ssl" in text or "tls" in text or "certificate" in text:
        return "tls"
    if "max size" in text or "maxsize" in text or "warnsize" in text or "decompress" in text:
        return "too-large"
    if "parseerror" in text or "content-length" in text or "valueerror" in text:
        return "other"        # a malformed response (a bad Content-Length), not a dropped connection
    for error in chain:
        for cls in type(error).__mro__:
            kind = _FAILURE_KINDS.get(cls.__name__)
            if kind and kind != "other":
                return kind
    return "other"


class PortalSpider(scrapy.Spider):
    name = "govseo"

    def __init__(self, store: CrawlStore, options: CrawlOptions,
                 progress: Callable[[int], None] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.opts = options
        self.scope = Scope(options.start_urls, options.subdomains, options.include, options.exclude)
        self.progress = progress
        self.resolve = Resolver()       # memoised link resolution (template links repeat on every page)
        self.ids: dict[str, int] = {}
        self.robots: dict[str, Protego | None] = {}     # origin -> parser; None = no rules
        # origin -> pages (depth, url_id, url, hops) waiting for its robots.txt
        self.waiting: dict[str, list[tuple[int, int, str, int]]] = {}
        self.sitemaps_seen: set[str] = set()
        self.pattern_counts: dict[str, int] = {}
        self.pages_scheduled = 0
        # The frontier: pages allowed and counted but not yet handed to Scrapy, as small tuples
        # (depth, sequence, url_id, url, hops) in a heap; at most ``feed_limit`` page requests live in
        # Scrapy's scheduler at once (a sitemap of 100,000 URLs is not 100,000 Request objects).
        self.frontier: list[tuple[int, int, int, str, int]] = []
        self.in_flight = self.peak_in_flight = 0
        self.feed_limit = FEED_MIN
        self._sequence = 0
        self.pages_fetched = 0
        self.close_reason: str | None = None
        self.views: EngineViews | None = None     # the engine-view pass, once the frontier is empty
        self.render = RenderHook(self) if options.render else None    # --render (crawler/render_hook.py)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_headers, signal=signals.headers_received)
        crawler.signals.connect(spider._on_bytes, signal=signals.bytes_received)
        crawler.signals.connect(spider._on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        spider.feed_limit = max(FEED_MIN, 4 * crawler.settings.getint("CONCURRENT_REQUESTS", 16))
        return spider

    # ------------------------------------------------------------------ start and resume
    async def start(self) -> Any:
        queued: list[tuple[int, str, int]] = []
        for url_id, url, state, _via, depth in self.store.iter_urls():
            self.ids[url] = url_id
            if state in ("queued", "done"):
                self._pattern_full(url)
            if state == "queued":
                queued.append((url_id, url, depth or 0))
            elif state == "done":
                self.pages_scheduled += 1
        for row in self.store.iter_robots():
            self.robots[row["origin"]] = self._parse_robots(row["status"], row["body"])
        resumed = bool(self.ids)
        if not resumed:
            for url in self.opts.start_urls:
                if url not in self.ids:
                    url_id = self.store.add_url(url, "queued", "start", 0)
                    self.ids[url] = url_id
                    queued.append((url_id, url, 0))
        else:
            for request in self._resume_sitemaps():
                yield request
            for start_origin in sorted(self.robots):
                for request in self._discover_sitemaps(start_origin):
                    yield request
        if self.render is not None:
            self.render.start(resumed)
        for url_id, url, depth in queued:
            for request in self._page_request(url_id, url, depth):
                yield request

    def _resume_sitemaps(self) -> Iterator[Request]:
        """Re-derive what stored sitemaps led to, in case the crawl died before recording it."""
        stored = list(self.store.iter_sitemaps())
        self.sitemaps_seen.update(s["url"] for s in stored)
        for sitemap in stored:
            for entry in sitemap["entries"]:
                if sitemap["kind"] == "sitemapindex":
                    yield from self._sitemap_request(entry["loc"], "index", sitemap["url"])
                else:
                    yield from self._discover_loc(entry["loc"])

    # ------------------------------------------------------------------ scheduling
    def _discover(self, url: str, via: str, depth: int, hops: int = 0) -> Iterator[Request]:
        """Record a normalised URL once; schedule it when it is in scope. Yields at most one request.

        ``hops`` counts the redirects that led here: an endless chain stops at MAX_REDIRECT_HOPS."""
        if url in self.ids:
            return
        if not self.scope.on_site(url):
            self.ids[url] = self.store.add_url(url, "external", via, depth)
            return
        if self.scope.filtered(url):
            self.ids[url] = self.store.add_url(url, "excluded", via, depth)
            return
        if depth > self.opts.max_depth or self.pages_scheduled >= self.opts.max_pages or hops > MAX_REDIRECT_HOPS \
                or self._pattern_full(url):
            self.ids[url] = self.store.add_url(url, "limit", via, depth)
            return
        url_id = self.store.add_url(url, "queued", via, depth)
        self.ids[url] = url_id
        yield from self._page_request(url_id, url, depth, hops)

    def _pattern_full(self, url: str) -> bool:
        """Count the URL against its date pattern (see crawler.urls.date_pattern); True past the cap."""
        key = date_pattern(url)
        if key is None:
            return False
        count = self.pattern_counts[key] = self.pattern_counts.get(key, 0) + 1
        return count > self.opts.max_per_pattern

    def _discover_loc(self, loc: str) -> Iterator[Request]:
        """A sitemap entry: normalise, then discover."""
        try:
            url = normalize(loc)
        except BadURL:
            return
        yield from self._discover(url, "sitemap", 0)

    def _page_request(self, url_id: int, url: str, depth: int, hops: int = 0) -> Iterator[Request]:
        page = (depth, url_id, url, hops)
        url_origin = origin(url)
        if url_origin not in self.robots:
            pending = self.waiting.setdefault(url_origin, [])
            pending.append(page)
            if len(pending) == 1:
                yield self._robots_request(url_origin)
            return
        yield from self._release(page)

    def _release(self, page: tuple[int, int, str, int]) -> Iterator[Request]:
        """Let a page (depth, url_id, url, hops) into the frontier unless robots.txt forbids it for our
        user agent; hand Scrapy what it has room for."""
        depth, url_id, url, hops = page
        parser = self.robots.get(origin(url))
        if self.opts.obey_robots and parser is not None and not parser.can_fetch(url, self.opts.user_agent):
            self.store.set_state(url_id, "blocked")
            return
        self.pages_scheduled += 1
        self._sequence += 1
        heapq.heappush(self.frontier, (depth, self._sequence, url_id, url, hops))
        yield from self._feed()

    def _make_request(self, url_id: int, url: str, depth: int, hops: int) -> Request:
        return Request(
            url, callback=self.parse_page, errback=self.page_failed, dont_filter=True,
            priority=-depth,
            meta={"govseo": "page", "url_id": url_id, "govseo_depth": depth, "govseo_hops": hops, "dont_redirect": True,
                  "handle_httpstatus_all": True, "received": 0},
        )

    def _feed(self) -> Iterator[Request]:
        """Hand the shallowest frontier pages to Scrapy while fewer than ``feed_limit`` are in it."""
        while self.frontier and self.in_flight < self.feed_limit:
            depth, _, url_id, url, hops = heapq.heappop(self.frontier)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            yield self._make_request(url_id, url, depth, hops)

    def _on_idle(self, spider: Any) -> None:
        self.in_flight = 0      # idle: nothing is in Scrapy (a request dropped without callback is not counted)
        if self.frontier:
            for request in self._feed():
                self.crawler.engine.crawl(request)
            raise DontCloseSpider
        if self.render is not None and self.render.busy():
            raise DontCloseSpider
        if self.views is None and self.opts.engine_views:
            self._engine_views()

    def _engine_views(self) -> None:
        """The crawl is done: fetch the engine views (crawler/engines.py), once, through the same downloader."""
        self.views = EngineViews(self.store, self.robots, self.opts.timeout, classify_failure)
        self.crawler.signals.connect(self.views.on_bytes, signal=signals.bytes_received)
        for request in self.views.requests(self.opts.start_urls):
            self.crawler.engine.crawl(request)
        if self.views.requested:
            raise DontCloseSpider

    # ------------------------------------------------------------------ robots.txt
    def _robots_request(self, url_origin: str) -> Request:
        return Request(
            url_origin + "/robots.txt", callback=self.parse_robots, errback=self.robots_failed,
            dont_filter=True, priority=1000,
            meta={"govseo": "robots", "origin": url_origin, "handle_httpstatus_list": _ERROR_STATUSES,
                  "download_maxsize": ROBOTS_MAXSIZE},
        )

    @staticmethod
    def _parse_robots(status: int | None, body: bytes) -> Protego | None:
        return rules_of(status, body)       # the audit reads the stored bytes the same way (crawler/robots.py)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        url_origin = response.meta["origin"]
        self.store.put_robots(url_origin, url_origin + "/robots.txt", final_url=response.url,
                              status=response.status, error=None, body=response.body)
        self.robots[url_origin] = self._parse_robots(response.status, response.body)
        yield from self._robots_known(url_origin)

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        url_origin = failure.request.meta["origin"]
        self.store.put_robots(url_origin, url_origin + "/robots.txt", final_url=None, status=None,
                              error=classify_failure(failure), body=None)
        self.robots[url_origin] = None
        yield from self._robots_known(url_origin)

    def _robots_known(self, url_origin: str) -> Iterator[Request]:
        yield from self._discover_sitemaps(url_origin)
        for page in self.waiting.pop(url_origin, []):
            yield from self._release(page)

    # ------------------------------------------------------------------ sitemaps
    def _discover_sitemaps(self, url_origin: str) -> Iterator[Request]:
        parser = self.robots.get(url_origin)
        for loc in (parser.sitemaps if parser is not None else ()):
            yield from self._sitemap_request(loc, "robots", url_origin + "/robots.txt")
        for path in DEFAULT_SITEMAPS:
            yield from self._sitemap_request(url_origin + path, "default", None)

    def _sitemap_request(self, loc: str, source: str, parent: str | None) -> Iterator[Request]:
        try:
            url = normalize(loc, parent)
        except BadURL:
            return
        if url in self.sitemaps_seen or len(self.sitemaps_seen) >= MAX_SITEMAPS:
            return
        if source != "robots" and not self.scope.on_site(url):
            return
        self.sitemaps_seen.add(url)
        yield Request(
            url, callback=self.parse_sitemap, errback=self.sitemap_failed, dont_filter=True, priority=500,
            meta={"govseo": "sitemap", "source": source, "parent": parent,
                  "handle_httpstatus_list": _ERROR_STATUSES, "download_maxsize": MAX_SITEMAP_BYTES},
        )

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        meta = response.meta
        url = response.request.url if response.request else response.url
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        common = {"source": meta["source"], "parent": meta["parent"], "status": response.status,
                  "content_type": content_type or None, "raw_size": len(response.body)}
        if response.status >= 400:
            kind = "missing" if response.status in (404, 410) else "invalid"
            self.store.put_sitemap(url, error=f"HTTP {response.status}", kind=kind, **common)
            return
        parsed = parse_sitemap(response.body)
        entries = parsed.entries or [{"loc": c} for c in parsed.children]
        self.store.put_sitemap(url, error=parsed.error, kind=parsed.kind, gzipped=parsed.gzipped,
                               body=parsed.body, entries=entries, **common)
        for child in parsed.children:
            yield from self._sitemap_request(child, "index", url)
        for entry in parsed.entries:
            yield from self._discover_loc(entry["loc"])

    def sitemap_failed(self, failure: Failure) -> None:
        meta = failure.request.meta
        kind = classify_failure(failure)
        self.store.put_sitemap(failure.request.url, source=meta["source"], parent=meta["parent"], status=None,
                               error=f"{kind}: {str(failure.value)[:200]}", kind="invalid")

    # ------------------------------------------------------------------ pages
    def _on_headers(self, headers: Any, body_length: int, request: Request, spider: Any) -> None:
        if request.meta.get("govseo") != "page":
            return
        content_type = media_type(headers.get(b"Content-Type", b"").decode("latin-1"))
        if content_type and content_type not in TEXT_TYPES:
            raise StopDownload(fail=False)   # attachments: status, type and size from headers only

    def _on_bytes(self, data: bytes, request: Request, spider: Any) -> None:
        meta = request.meta
        if meta.get("govseo") != "page":
            return
        meta["received"] += len(data)
        if meta["received"] > self.opts.max_page_bytes:
            meta["truncated"] = True
            raise StopDownload(fail=False)

    def parse_page(self, response: Response) -> Iterator[Request]:
        meta = response.meta
        url_id, depth = meta["url_id"], meta["govseo_depth"]
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, values in response.headers.items() for v in values]
        truncated = bool(meta.get("truncated"))
        body = response.body[: self.opts.max_page_bytes] if truncated else response.body
        summary = summarise(response.url, response.status, headers, body, truncated=truncated,
                            elapsed_ms=(meta.get("download_latency") or 0) * 1000, resolve=self.resolve)
        links: list[tuple[int, str, str | None, str | None]] = []
        requests: list[Request] = []
        ids = self.ids
        for target, tag, rel, anchor in summary.links:
            target_id = ids.get(target)
            if target_id is None:        # most links are to known URLs (navigation): no generator for them
                if tag == "redirect":
                    requests.extend(self._discover(target, "redirect", depth, meta.get("govseo_hops", 0) + 1))
                else:
                    requests.extend(self._discover(target, "link", depth + 1))
                target_id = ids[target]
            links.append((target_id, tag, rel, anchor))
        self.store.add_fetch(url_id, **summary.record)
        self.store.add_links(url_id, links)
        self.store.set_state(url_id, "done")
        if self.render is not None and summary.record["status"] == 200 and summary.record.get("charset_used"):
            self.render.offer(url_id, response.url, depth)
        self._fetched()
        yield from requests
        yield from self._feed()

    def page_failed(self, failure: Failure) -> Iterator[Request]:
        request = failure.request
        self.store.add_fetch(request.meta["url_id"], status=None, error=classify_failure(failure),
                             error_detail=str(failure.value)[:500])
        self.store.set_state(request.meta["url_id"], "done")
        self._fetched()
        yield from self._feed()

    def _fetched(self) -> None:
        self.in_flight -= 1
        self.store.maybe_commit()
        self.pages_fetched += 1
        if self.progress is not None:
            self.progress(self.pages_fetched)

    def _on_closed(self, spider: Any, reason: str) -> None:
        self.close_reason = reason
        if self.render is not None:
            self.render.close(finished=reason == "finished")
        self.store.set_meta("scheduler_peak", str(self.peak_in_flight))   # page requests inside Scrapy at most
        self.store.commit()

