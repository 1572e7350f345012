"""Crawl options and the Scrapy settings they map to (every setting we rely on is explicit)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from common import __version__

DEFAULT_USER_AGENT = f"govseo/{__version__} (+https://github.com/govseo/govseo)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Bodies of these types are stored; anything else is recorded from its headers only.
TEXT_TYPES = (*HTML_TYPES, "text/plain", "text/xml", "application/xml")


@dataclass
class CrawlOptions:
    start_urls: list[str]
    max_pages: int = 10_000
    max_depth: int = 20
    # URLs that differ only in a date (calendars: ?date=2026-11-27, /2026/11/27/) count as one pattern;
    # past this many, the rest are recorded as "limit" (an infinite calendar must not starve real pages).
    max_per_pattern: int = 50
    concurrency: int = 8
    delay: float = 0.0
    timeout: float = 30.0
    max_page_bytes: int = 10 * 1024 * 1024
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    subdomains: bool = False
    obey_robots: bool = True
    autothrottle: bool = True
    user_agent: str = DEFAULT_USER_AGENT
    engine_views: bool = True       # after the crawl, fetch a few URLs as each search engine (crawler/engines.py)
    # --render: every 200 HTML page is also loaded in headless Chromium (crawler/render.py)
    render: bool = False
    render_max: int | None = None       # at most this many pages rendered, service guides first
    render_concurrency: int = 2         # pages rendering at once
    render_timeout: float = 15.0        # seconds a page may take to load

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def scrapy_settings(opts: CrawlOptions) -> dict[str, Any]:
    """Scrapy settings for one govseo crawl. Scrapy's defaults change between releases; pin them here."""
    return {
        "BOT_NAME": "govseo",
        "USER_AGENT": opts.user_agent,
        # robots.txt is fetched, stored and applied by the spider itself (it must see every status).
        "ROBOTSTXT_OBEY": False,
        # The global cap holds the per-host limit too: Scrapy's per-slot limit alone was seen to let bursts
        # of 11 requests through to one host at --concurrency 2 (asyncio reactor, no delay).
        "CONCURRENT_REQUESTS": opts.concurrency * max(1, len({urlsplit(u).netloc for u in opts.start_urls})),
        "CONCURRENT_REQUESTS_PER_DOMAIN": opts.concurrency,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "DOWNLOAD_DELAY": opts.delay,
        "RANDOMIZE_DOWNLOAD_DELAY": True,
        "AUTOTHROTTLE_ENABLED": opts.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(opts.delay, 0.25),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(opts.concurrency),
        "DOWNLOAD_TIMEOUT": opts.timeout,
        # Hard stop. HTML is cut at max_page_bytes by the spider (chunk by chunk: a page declaring 60 MB is
        # truncated, where a DOWNLOAD_MAXSIZE below its Content-Length would drop it), sitemaps at
        # crawler.sitemaps.MAX_SITEMAP_BYTES; robots.txt has only this (see the xfail in tests/test_hostile.py).
        "DOWNLOAD_MAXSIZE": 64 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "DNS_TIMEOUT": min(opts.timeout, 20),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 1,
        "RETRY_HTTP_CODES": [502, 503, 504, 408, 429],
        # Pages: no redirect following (each hop is recorded and followed by the spider).
        # robots.txt and sitemaps follow redirects through this middleware.
        "REDIRECT_ENABLED": True,
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": True,
        "HTTPCACHE_ENABLED": False,
        # Crawl depth is the spider's own (meta "govseo_depth"); Scrapy's depth middleware is not used.
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
        # A page that inflates past the page cap is cut there (truncated), not dropped (crawler/compression.py).
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "crawler.compression.BoundedHttpCompression": 590,
        },
        "GOVSEO_MAX_PAGE_BYTES": opts.max_page_bytes,
        "DEPTH_LIMIT": 0,
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "JOBDIR": None,
        "URLLENGTH_LIMIT": 4096,
        "COMPRESSION_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "MEMUSAGE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "LOG_ENABLED": True,
        "LOGSTATS_INTERVAL": 0,
        # The spider yields only Requests, deduplicated before they are built: Scrapy's 100 concurrent
        # item workers per response and its per-callback source check were measurable per-page costs.
        "CONCURRENT_ITEMS": 4,
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }
