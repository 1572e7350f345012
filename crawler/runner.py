"""Run one crawl in this process: Scrapy's CrawlerProcess around the govseo spider and the store."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawler.settings import CrawlOptions, scrapy_settings
from crawler.spider import PortalSpider
from crawler.store import CrawlStore


class CrawlError(Exception):
    """The crawl cannot start; ``key``/``params`` name the reason for the command line to word."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(f"{key}: {params}")
        self.key, self.params = key, params


@dataclass
class CrawlSummary:
    pages: int              # fetch outcomes in the store (all crawls of it)
    fetched_now: int        # fetched by this run
    finished: bool          # False when interrupted (resume with --resume)
    start_ok: bool          # at least one start URL answered


def open_store(db: Path, opts: CrawlOptions, resume: bool) -> CrawlStore:
    existed = db.is_file() and db.stat().st_size > 0
    # Commit every page: a kill loses nothing already processed (WAL commits do not fsync).
    store = CrawlStore(db, batch_seconds=0.0)
    previous = store.get_meta_json("options")
    if existed and previous is not None:
        if not resume:
            store.close()
            raise CrawlError("store_busy", path=db)
        if sorted(previous["start_urls"]) != sorted(opts.start_urls):
            store.close()
            raise CrawlError("store_other_urls", urls=", ".join(previous["start_urls"]))
    store.set_meta("options", opts.to_json())
    if store.get_meta("started_at") is None:
        store.set_meta("started_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    store.set_meta("finished", "0")
    return store


def run_crawl(opts: CrawlOptions, db: Path, *, resume: bool = False,
              progress: Callable[[int], None] | None = None) -> CrawlSummary:
    store = open_store(db, opts, resume)
    process = CrawlerProcess({**scrapy_settings(opts), "LOG_INSTALL_ROOT_HANDLER": False})
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, store=store, options=opts, progress=progress)
    try:
        process.start()
    finally:
        spider = crawler.spider
        reason = getattr(spider, "close_reason", None)
        finished = reason == "finished"
        store.set_meta("finished", "1" if finished else "0")
        store.set_meta("finished_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        fetched_now = getattr(spider, "pages_fetched", 0)
        start_ok = _start_answered(store, opts.start_urls)
        pages = store.count("fetches")
        store.close()
    return CrawlSummary(pages, fetched_now, finished, start_ok)


def _start_answered(store: CrawlStore, start_urls: list[str]) -> bool:
    wanted = set(start_urls)
    for record in store.iter_fetches():
        if record.url in wanted and record.status is not None:
            return True
    return False
