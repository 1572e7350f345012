"""``--render`` inside the spider: offers each 200 HTML page to the render queue, stores what comes back
(the rendered DOM, its status) and follows the links that exist only in the rendered DOM (tag ``script``).

Kept out of crawler/spider.py so that the spider's own path (pages that are not rendered) gains only a
method call per page. A Twisted LoopingCall polls the render process every 0.1 s.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from twisted.internet import task

from crawler.render import CHROMIUM, RenderConfig, RenderOutcome
from crawler.render_queue import RenderQueue
from crawler.urls import BadURL, normalize

if TYPE_CHECKING:
    from crawler.spider import PortalSpider

POLL_SECONDS = 0.1


class RenderHook:
    def __init__(self, spider: PortalSpider) -> None:
        self.spider = spider
        opts = spider.opts
        self.config = RenderConfig(
            start_urls=list(opts.start_urls), subdomains=opts.subdomains, concurrency=max(1, opts.render_concurrency),
            timeout=opts.render_timeout, max_bytes=opts.max_page_bytes, user_agent=None,
            executable=os.environ.get("GOVSEO_CHROMIUM", CHROMIUM))
        self.queue = RenderQueue(self.config, opts.render_max)
        self._loop: Any = None
        self._reported = False
        self.rendered_now = 0

    def start(self, resumed: bool) -> None:
        store = self.spider.store
        self.queue.given = store.count_rendered()
        if resumed:       # pages fetched before the interruption but never rendered
            for url_id, url, depth in store.iter_unrendered():
                self.queue.offer(url_id, url, depth)
        self.queue.start()
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(POLL_SECONDS, now=False)

    def offer(self, url_id: int, url: str, depth: int) -> None:
        self.queue.offer(url_id, url, depth)
        self.queue.pump()

    def busy(self) -> bool:
        """Called when the crawl is idle: with nothing left to fetch, held-back pages may render."""
        if not self.spider.frontier:
            self.queue.release_held()
        self.queue.pump()
        return self.queue.busy()

    def _tick(self) -> None:
        if self.queue.failure is not None and not self._reported:
            self._reported = True
            print(f"govseo: render: {self.queue.failure}", file=sys.stderr, flush=True)
        engine = self.spider.crawler.engine
        for outcome, url, depth in self.queue.results():
            for request in self._store(outcome, url, depth):
                engine.crawl(request)
        for request in self.spider._feed():
            engine.crawl(request)
        self.queue.pump()

    def _store(self, outcome: RenderOutcome, url: str, depth: int) -> list[Any]:
        """Record one render; the links only its DOM has are added with tag "script" and followed."""
        spider, store = self.spider, self.spider.store
        store.add_render(outcome.url_id, outcome.status, error=outcome.error, final_url=outcome.final_url,
                         http_status=outcome.http_status, elapsed_ms=outcome.elapsed_ms, dom=outcome.dom, dom_size=outcome.dom_size,
                         truncated=outcome.truncated)
        self.rendered_now += 1
        requests: list[Any] = []
        if outcome.status == "ok" and outcome.links:
            base = outcome.final_url or url
            if outcome.base:
                try:
                    base = normalize(outcome.base, base)
                except BadURL:
                    pass
            known = store.link_targets(outcome.url_id)
            links: list[tuple[int, str, str | None, str | None]] = []
            for href, _tag, rel, anchor in outcome.links:
                try:
                    target = spider.resolve(href, base)
                except BadURL:
                    continue
                target_id = spider.ids.get(target)
                if target_id is None:
                    requests.extend(spider._discover(target, "script", depth + 1))
                    target_id = spider.ids[target]
                if target_id in known:
                    continue
                known.add(target_id)
                links.append((target_id, "script", rel, anchor))
            store.add_script_links(outcome.url_id, links)
        store.maybe_commit()
        return requests

    def close(self, finished: bool) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if finished:
            for outcome, url, depth in self.queue.results():
                self._store(outcome, url, depth)
            if self.queue.running:      # over the cap: recorded, so the audit knows they were not rendered
                for url_id in self.queue.leftover():
                    self.spider.store.add_render(url_id, "skipped", error="--render-max")
        self.queue.close()
        self.spider.store.commit()
