"""``--render``: the citizen's-browser view of each page, from Debian's Chromium driven by Playwright.

Why Playwright in a render child process of our own, and not scrapy-playwright:
- The raw HTML must still be fetched and stored exactly as today (the view of engines that do not run
  scripts). scrapy-playwright replaces Scrapy's download handler for the requests it renders, so every
  page would need a second Request through Scrapy's scheduler, middlewares and dupefilter, and the
  rendered response would come back as a Scrapy Response the spider would have to tell apart.
- The crawl is CPU-bound in one Python process (see PERF-NOTES.md). scrapy-playwright runs the
  Playwright client (the browser protocol, every intercepted sub-request) in the crawl's own event loop;
  here it runs in another process, on the other core, and the crawl of pages that are not rendered goes
  at its usual speed. The spider only sends (id, URL) pairs and receives finished results.
- kill -9: this child dies with the crawl process (PR_SET_PDEATHSIG, crawler/lifeline.py), and
  Playwright's driver, whose pipe then closes, kills the browser's process group. With
  scrapy-playwright the browser would hang off the crawl process itself, with nothing to reap it.
- Memory is bounded by bytes: ``concurrency`` pages live at once, each DOM capped at the crawl's page cap
  and compressed here before it crosses to the crawl; browser contexts are recycled every
  ``recycle`` pages.

Protocol (one duplex pipe): the crawl sends ``("job", url_id, url)`` and ``("stop",)``; the child sends
``("ready",)`` or ``("fatal", text)`` once, then one :class:`RenderOutcome` per job.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import zlib
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from crawler.extract import RawLink, extract_links, parse_html
from crawler.lifeline import die_with_parent
from crawler.urls import Scope

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--mute-audio", "--disable-extensions",
                 "--js-flags=--max-old-space-size=512"]    # a page's script heap is bounded: past it the page crashes
BLOCKED_TYPES = frozenset({"font", "image", "media"})
LINK_TAGS = frozenset({"a", "area", "iframe", "frame"})
SETTLE_SECONDS = 2.0        # after "load": at most this long for the page's own fetches to land
QUIET_SECONDS = 0.3         # ... ended sooner once no request has been open for this long


@dataclass(frozen=True)
class RenderConfig:
    start_urls: list[str]
    subdomains: bool = False
    concurrency: int = 2
    timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    recycle: int = 50              # pages per browser context
    user_agent: str | None = None
    executable: str = CHROMIUM


@dataclass
class RenderOutcome:
    url_id: int
    status: str                    # ok | timeout | crashed | error
    error: str | None = None
    final_url: str | None = None
    http_status: int | None = None # the status of the browser's navigation
    elapsed_ms: float = 0.0
    dom: bytes | None = None       # zlib-compressed UTF-8 serialised DOM (ok only)
    dom_size: int = 0              # bytes before compression (after the cap)
    truncated: bool = False
    base: str | None = None        # the DOM's <base href>, if any
    links: list[RawLink] = field(default_factory=list)   # a/area/iframe/frame of the rendered DOM


def child_main(parent: int, conn: Connection, config: RenderConfig) -> None:
    """Entry point of the render process (multiprocessing "spawn")."""
    die_with_parent(parent)
    try:
        asyncio.run(_serve(conn, config))
    except BaseException as exc:   # never a traceback on the user's terminal
        with contextlib.suppress(OSError, ValueError):
            conn.send(("fatal", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        os._exit(0)


class _Browser:
    """The browser, relaunched when it crashes, and one context per worker, recycled."""

    def __init__(self, playwright: Any, config: RenderConfig) -> None:
        self.playwright, self.config = playwright, config
        self.browser: Any = None
        self.scope = Scope(list(config.start_urls), config.subdomains)

    async def ensure(self) -> Any:
        if self.browser is None or not self.browser.is_connected():
            self.browser = await self.playwright.chromium.launch(
                executable_path=self.config.executable, args=CHROMIUM_ARGS, headless=True)
        return self.browser

    async def new_context(self) -> Any:
        browser = await self.ensure()
        context = await browser.new_context(user_agent=self.config.user_agent, service_workers="block",
                                            java_script_enabled=True, ignore_https_errors=True)
        await context.route("**/*", self._route)
        return context

    async def _route(self, route: Any) -> None:
        request = route.request
        try:
            allowed = request.resource_type not in BLOCKED_TYPES and self.scope.on_site(request.url)
        except (ValueError, TypeError):
            allowed = False
        with contextlib.suppress(Exception):    # the page may be gone already
            await (route.continue_() if allowed else route.abort())


async def _serve(conn: Connection, config: RenderConfig) -> None:
    from playwright.async_api import async_playwright

    loop = asyncio.get_running_loop()
    jobs: asyncio.Queue[tuple[int, str] | None] = asyncio.Queue()

    def readable() -> None:
        try:
            while conn.poll():
                message = conn.recv()
                if message[0] == "job":
                    jobs.put_nowait((message[1], message[2]))
                else:
                    for _ in range(config.concurrency):
                        jobs.put_nowait(None)
                    loop.remove_reader(conn.fileno())
                    return
        except (EOFError, OSError):          # the crawl is gone
            loop.remove_reader(conn.fileno())
            for _ in range(config.concurrency):
                jobs.put_nowait(None)

    async with async_playwright() as playwright:
        browser = _Browser(playwright, config)
        try:
            await browser.ensure()
        except Exception as exc:
            conn.send(("fatal", f"{type(exc).__name__}: {exc}".splitlines()[0][:300]))
            return
        conn.send(("ready",))
        loop.add_reader(conn.fileno(), readable)
        await asyncio.gather(*(_worker(browser, jobs, conn, config) for _ in range(config.concurrency)))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(browser.browser.close(), 10)


async def _worker(browser: _Browser, jobs: asyncio.Queue[tuple[int, str] | None], conn: Connection,
                  config: RenderConfig) -> None:
    context: Any = None
    used = 0
    while True:
        job = await jobs.get()
        if job is None:
            break
        url_id, url = job
        if context is None or used >= config.recycle:
            if context is not None:
                await _close(context)
            try:
                context = await browser.new_context()
            except Exception as exc:
                context = None
                conn.send(RenderOutcome(url_id, "crashed", f"browser: {exc}".splitlines()[0][:300]))
                continue
            used = 0
        used += 1
        started = time.monotonic()
        try:
            outcome = await asyncio.wait_for(_render(context, url_id, url, config), config.timeout + 10)
        except TimeoutError:                 # the page would not even close: start a fresh context
            outcome = RenderOutcome(url_id, "timeout", "page did not close")
            await _close(context)
            context = None
        except Exception as exc:             # the browser or its context died
            outcome = RenderOutcome(url_id, "crashed", f"{type(exc).__name__}: {exc}".splitlines()[0][:300])
            await _close(context)
            context = None
        outcome.elapsed_ms = round((time.monotonic() - started) * 1000, 1)
        conn.send(outcome)
    if context is not None:
        await _close(context)


async def _close(target: Any) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(target.close(), 5)


async def _settle(open_requests: set[Any], until: float) -> None:
    """Give the page's own requests (an API call that fills the guide) time to land: return once none has been
    open for QUIET_SECONDS, or at ``until``. Playwright's "networkidle" waits 500 ms even on a static page."""
    quiet_since = time.monotonic()
    while (now := time.monotonic()) < until:
        if open_requests:
            quiet_since = now
        elif now - quiet_since >= QUIET_SECONDS:
            return
        await asyncio.sleep(0.05)


async def _render(context: Any, url_id: int, url: str, config: RenderConfig) -> RenderOutcome:
    from playwright.async_api import Error
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    page = await context.new_page()
    crashed: list[bool] = []
    page.on("crash", lambda _page: crashed.append(True))
    open_requests: set[Any] = set()
    page.on("request", lambda request: open_requests.add(request))
    page.on("requestfinished", lambda request: open_requests.discard(request))
    page.on("requestfailed", lambda request: open_requests.discard(request))
    deadline = time.monotonic() + config.timeout
    try:
        response = await page.goto(url, wait_until="load", timeout=config.timeout * 1000)
        await _settle(open_requests, min(time.monotonic() + SETTLE_SECONDS, deadline))
        html = await page.content()
        final_url = page.url
    except PlaywrightTimeout:
        return RenderOutcome(url_id, "timeout", f"no load event within {config.timeout:g} s")
    except Error as exc:
        text = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        return RenderOutcome(url_id, "crashed" if crashed or "crash" in text.lower() else "error", text)
    finally:
        await _close(page)
    data = html.encode("utf-8", "replace")
    truncated = len(data) > config.max_bytes
    if truncated:
        data = data[: config.max_bytes]
        html = data.decode("utf-8", "ignore")
    extracted = extract_links(parse_html(html))
    links = [link for link in extracted.links if link.tag in LINK_TAGS]
    return RenderOutcome(url_id, "ok", None, final_url, response.status if response is not None else None, dom=zlib.compress(data, 3), dom_size=len(data),
                         truncated=truncated, base=extracted.base, links=links)
