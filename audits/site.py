"""Everything the rules read about one crawl, loaded from the crawl store (no network).

A ``Site`` holds each fetched page with its parsed artifacts, the link graph (integer ids),
shortest click depths, inlinks, robots.txt parsers per origin and the sitemaps. Rules are pure
functions over it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from protego import Protego

from audits.artifacts import PageArtifacts, parse_artifacts
from crawler.response import media_type
from crawler.settings import HTML_TYPES
from crawler.store import CrawlStore, FetchRecord
from crawler.urls import BadURL, Scope, normalize, origin

# Edges a visitor can click (or is sent along); redirects cost no click.
CLICK_TAGS = frozenset({"a", "area", "iframe", "frame", "meta-refresh"})
ENGINES = {"baiduspider": "Baiduspider", "googlebot": "Googlebot"}


@dataclass
class Page:
    id: int
    url: str
    record: FetchRecord
    artifacts: PageArtifacts | None = None     # HTML pages only
    depth: int | None = None
    inlinks: int = 0
    in_sitemap: bool = False

    @property
    def status(self) -> int | None:
        return self.record.status

    @property
    def ok_html(self) -> bool:
        """An HTML page that answered 200 and is not a meta-refresh redirect: what content rules judge."""
        return self.record.status == 200 and self.artifacts is not None and not self.artifacts.redirects

    @property
    def is_error(self) -> bool:
        return self.record.status is None or self.record.status >= 400


@dataclass
class Link:
    source: int
    target: int
    tag: str
    rel: str | None
    anchor: str | None


@dataclass
class Site:
    start_urls: list[str]
    options: dict[str, Any]
    meta: dict[str, Any]
    urls: dict[int, tuple[str, str, str]]           # id -> (url, state, found_via)
    pages: dict[int, Page]                          # fetched URLs in scope
    links: list[Link]
    robots: dict[str, dict[str, Any]]               # origin -> stored row (+ "parser")
    sitemaps: list[dict[str, Any]]
    sitemap_locs: set[str] = field(default_factory=set)

    # ------------------------------------------------------------------ lookups
    @cached_property
    def ids(self) -> dict[str, int]:
        return {url: uid for uid, (url, _, _) in self.urls.items()}

    @cached_property
    def scope(self) -> Scope:
        return Scope(self.start_urls, bool(self.options.get("subdomains")))

    @cached_property
    def outlinks(self) -> dict[int, list[Link]]:
        result: dict[int, list[Link]] = {}
        for link in self.links:
            result.setdefault(link.source, []).append(link)
        return result

    def page(self, url: str) -> Page | None:
        uid = self.ids.get(url)
        return self.pages.get(uid) if uid is not None else None

    @property
    def home(self) -> str:
        return self.start_urls[0]

    @property
    def origins(self) -> list[str]:
        return sorted({origin(u) for u in self.start_urls})

    def html_pages(self) -> list[Page]:
        return [p for p in self.pages.values() if p.ok_html]

    # ------------------------------------------------------------------ robots.txt
    def robots_parser(self, url: str) -> Protego | None:
        row = self.robots.get(origin(url))
        return row.get("parser") if row else None

    def blocked_for(self, url: str) -> list[str]:
        """Engines (Baiduspider, Googlebot) that robots.txt forbids to fetch ``url``."""
        parser = self.robots_parser(url)
        if parser is None:
            return []
        return [name for name in ENGINES.values() if not parser.can_fetch(url, name)]

    # ------------------------------------------------------------------ indexability
    def canonical_target(self, page: Page) -> str | None:
        """The canonical URL when it names another URL, else None."""
        if page.artifacts is None or len(page.artifacts.canonicals) != 1:
            return None
        try:
            target = normalize(page.artifacts.canonicals[0], page.url)
        except BadURL:
            return None
        return target if target != page.url else None

    def indexable(self, page: Page) -> bool:
        """200 HTML, no meta-refresh redirect, no noindex, not canonicalised elsewhere, and not blocked for
        Baiduspider or Googlebot (each by its own robots.txt group)."""
        return bool(page.ok_html and page.artifacts and not page.artifacts.noindex
                    and self.canonical_target(page) is None and not self.blocked_for(page.url))

    @cached_property
    def indexable_ids(self) -> set[int]:
        return {p.id for p in self.pages.values() if self.indexable(p)}


def _parse_robots(row: dict[str, Any]) -> Protego | None:
    if row["status"] is None or row["status"] >= 400 or not row["body"]:
        return None
    try:
        return Protego.parse(row["body"].decode("utf-8", errors="replace"))
    except Exception:
        return None


def compute_depths(site: Site) -> dict[int, int]:
    """Shortest click depth from the start URLs: a 0-1 BFS where redirects cost 0 and clicks 1."""
    depth: dict[int, int] = {}
    queue: deque[tuple[int, int]] = deque()
    for url in site.start_urls:
        uid = site.ids.get(url)
        if uid is not None:
            depth[uid] = 0
            queue.append((uid, 0))
    while queue:
        uid, d = queue.popleft()
        if depth.get(uid, d) < d or uid not in site.pages:
            continue
        for link in site.outlinks.get(uid, ()):
            if link.tag == "redirect":
                nd = d
            elif link.tag in CLICK_TAGS:
                nd = d + 1
            else:
                continue
            if nd < depth.get(link.target, 1 << 30):
                depth[link.target] = nd
                if nd == d:
                    queue.appendleft((link.target, nd))
                else:
                    queue.append((link.target, nd))
    return depth


def load_site(store: CrawlStore) -> Site:
    options = store.get_meta_json("options", {}) or {}
    start_urls = list(options.get("start_urls") or [])
    meta = {k: store.get_meta(k) for k in ("started_at", "finished_at", "finished")}
    urls = {uid: (url, state, via) for uid, url, state, via, _ in store.iter_urls()}
    scope = Scope(start_urls, bool(options.get("subdomains")))
    pages: dict[int, Page] = {}
    for record in store.iter_fetches():
        if not scope.on_site(record.url):
            continue
        page = Page(record.url_id, record.url, record)
        if record.compressed_body is not None and (
                media_type(record.content_type) in HTML_TYPES or not record.content_type):
            page.artifacts = parse_artifacts(record)
        pages[page.id] = page
    pages = dict(sorted(pages.items(), key=lambda item: item[1].url))   # deterministic rule order
    links = [Link(*row) for row in store.iter_links()]
    robots = {}
    for row in store.iter_robots():
        row["parser"] = _parse_robots(row)
        robots[row["origin"]] = row
    sitemaps = list(store.iter_sitemaps())
    site = Site(start_urls, options, meta, urls, pages, links, robots, sitemaps)
    for sitemap in sitemaps:
        if sitemap["kind"] in ("urlset", "txt"):
            for entry in sitemap["entries"]:
                try:
                    site.sitemap_locs.add(normalize(entry["loc"]))
                except BadURL:
                    continue
    depths = compute_depths(site)
    inlink_sources: dict[int, set[int]] = {}
    for link in links:
        if link.tag in CLICK_TAGS and link.source != link.target:
            inlink_sources.setdefault(link.target, set()).add(link.source)
    for page in pages.values():
        page.depth = depths.get(page.id)
        page.inlinks = len(inlink_sources.get(page.id, ()))
        page.in_sitemap = page.url in site.sitemap_locs
    return site
