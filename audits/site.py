"""Everything the rules read about one crawl, loaded from the crawl store (no network).

A ``Site`` holds each fetched page with its parsed artifacts, the link graph (integer ids),
shortest click depths, inlinks, robots.txt parsers per origin and the sitemaps. Rules are pure
functions over it.
"""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from protego import Protego

from audits.artifacts import PageArtifacts
from audits.graph import Runs, link_scores
from audits.links import CLICK_TAGS, LinkTable, Outlinks
from audits.pagetype import ITEM_DATE, classify_both
from audits.rendered import RenderedViews, RenderInfo, main_blocks, script_only_targets, script_template
from audits.shelf import PageShelf, Parsed, Where, main_mask, segment
from audits.text.keywords import KeyTerms
from audits.text.template import TemplateDetector
from audits.text.tokenizer import Tokenizer, get_tokenizer
from audits.urltable import IdNames, IdSet, IdValues, UrlTable
from crawler.response import media_type
from crawler.robots import rules_of
from crawler.settings import HTML_TYPES
from crawler.store import CrawlStore, FetchRecord
from crawler.urls import BadURL, Scope, normalize, origin

TITLE_SEPARATORS = ("_", "|", "｜", " - ", "—", "－", "--")
ENGINES = {"baiduspider": "Baiduspider", "googlebot": "Googlebot"}


@dataclass(slots=True)
class Page:
    id: int
    url: str
    record: FetchRecord
    depth: int | None = None
    inlinks: int = 0
    in_sitemap: bool = False
    # HTML pages: where the parsed page is on the shelf (audits/shelf.py), and whether it is a
    # meta-refresh redirect (kept here: ok_html asks it of every page, many times)
    shelf: PageShelf | None = field(default=None, repr=False, compare=False)    # HTML pages only
    redirects: bool = False

    @property
    def where(self) -> Where | None:
        """Where the shelf keeps the parsed page (None: not HTML)."""
        return self.shelf.where(self.id) if self.shelf is not None else None

    @property
    def artifacts(self) -> PageArtifacts | None:
        """The parsed page (HTML only), read back from the shelf."""
        parsed = self.parsed()
        return parsed.artifacts if parsed is not None else None

    def parsed(self) -> Parsed | None:
        return self.shelf.parsed(self.id) if self.shelf is not None else None

    @property
    def status(self) -> int | None:
        return self.record.status

    @property
    def ok_html(self) -> bool:
        """An HTML page that answered 200 and is not a meta-refresh redirect: what content rules judge."""
        return self.record.status == 200 and self.shelf is not None and not self.redirects

    @property
    def is_error(self) -> bool:
        return self.record.status is None or self.record.status >= 400


@dataclass
class Site:
    start_urls: list[str]
    options: dict[str, Any]
    meta: dict[str, Any]
    urls: Mapping[int, tuple[str, str, str]]        # id -> (url, state, found_via): a UrlTable
    pages: dict[int, Page]                          # fetched URLs in scope
    links: LinkTable
    robots: dict[str, dict[str, Any]]               # origin -> stored row (+ "parser")
    sitemaps: list[dict[str, Any]]
    sitemap_locs: set[str] = field(default_factory=set)
    # Set by the engine between the two rule passes (see audits/engine.audit_site).
    assessments: list[Any] = field(default_factory=list)
    user_queries: list[Any] = field(default_factory=list)
    assessment_error: str | None = None
    jurisdiction: str | None = None     # "cn-gov" | "other", set by the engine (audits/jurisdiction.py)
    # the parsed pages, their block digests and block words (see audits/shelf.py)
    shelf: PageShelf | None = field(default=None, repr=False)
    # Raw bodies stay in the crawl store (about 4 KB a page compressed, 400 MB at 100,000 pages):
    # :meth:`body` reads one when a rule needs it.
    db_path: Path | None = None
    _window: list[Page] | None = field(default=None, repr=False)
    _body_store: CrawlStore | None = field(default=None, repr=False)
    _facts: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    # --render: the rendered view of each page, read from the store on demand (audits/rendered.py)
    views: RenderedViews | None = field(default=None, repr=False)

    def fact(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """A site-wide fact a rule module derives (``build()``), computed once per key and audit: for facts
        that depend on a rule's parameters, where a cached property cannot."""
        if key not in self._facts:
            self._facts[key] = build()
        return self._facts[key]

    # ------------------------------------------------------------------ the rendered view (--render)
    @property
    def render_enabled(self) -> bool:
        """The crawl ran with --render (rules comparing raw and rendered views have something to judge)."""
        return self.views is not None and self.views.enabled

    def render_status(self, page: Page) -> str | None:
        """ok | timeout | crashed | error | skipped; None when the page was not rendered (or no --render)."""
        return self.views.status(page.id) if self.views is not None else None

    def render_info(self, page: Page) -> RenderInfo | None:
        """Status, error text, final URL, milliseconds and DOM size of the page's render."""
        return self.views.info(page.id) if self.views is not None else None

    def rendered(self, page: Page) -> PageArtifacts | None:
        """The rendered page parsed with the raw page's parser; None unless its render is ok."""
        return self.views.artifacts(page.id, page.url) if self.views is not None else None

    @cached_property
    def script_only(self) -> dict[int, list[int]]:
        """URL id -> pages whose scripts link to it, for URLs only script-built links reach (empty without
        --render): see audits/rules/js_only_link.py."""
        return script_only_targets(self.links) if self.render_enabled else {}

    @cached_property
    def script_template(self) -> frozenset[int]:
        """Blocks that scripts add to many rendered pages (audits/rendered.py): template, not content."""
        return script_template(((page.id, page.artifacts.blocks, art.blocks) for page in self.every_html_page()
                                if page.artifacts is not None and (art := self.rendered(page)) is not None),
                               self.template)

    def rendered_main_blocks(self, page: Page) -> list[str] | None:
        """The rendered page's own text blocks (raw and scripted site template removed); None unless its
        render is ok."""
        art = self.rendered(page)
        return main_blocks(art.blocks, self.template, self.script_template) if art is not None else None

    def rendered_html(self, page: Page) -> str | None:
        """The rendered DOM, serialised (UTF-8 decoded); None unless the page's render is ok."""
        return self.views.html(page.id) if self.views is not None else None

    def body(self, page: Page) -> bytes:
        """The page's raw bytes (from its record when kept in memory, else from the crawl store)."""
        if page.record.compressed_body is not None:
            return page.record.body
        if self.db_path is None:
            return b""
        if self._body_store is None:
            self._body_store = CrawlStore(self.db_path, create=False)
        return self._body_store.body(page.id)

    def close(self) -> None:
        """Release what the site holds outside Python objects: the link table's temporary file and the
        crawl store opened for bodies. (The shelf belongs to whoever made it: see audits.feed.Fed.release.)"""
        self.links.close()
        if self.views is not None:
            self.views.close()
        if self._body_store is not None:
            self._body_store.close()
            self._body_store = None

    # ------------------------------------------------------------------ lookups
    @cached_property
    def ids(self) -> dict[str, int]:
        return {url: uid for uid, (url, _, _) in self.urls.items()}

    @cached_property
    def scope(self) -> Scope:
        return Scope(self.start_urls, bool(self.options.get("subdomains")))

    @cached_property
    def outlinks(self) -> Outlinks:
        """``outlinks.get(page_id, ())``: the page's links, in document order."""
        return Outlinks(self.links)

    def url_object(self, url: str) -> str:
        """The page's own URL string when ``url`` is a page's (one string object kept, not one a finding)."""
        page = self.page(url)
        return page.url if page is not None else url

    def page(self, url: str) -> Page | None:
        uid = self.ids.get(url)
        return self.pages.get(uid) if uid is not None else None

    @property
    def home(self) -> str:
        return self.start_urls[0]

    @property
    def origins(self) -> list[str]:
        return sorted({origin(u) for u in self.start_urls})

    def all_pages(self) -> Iterable[Page]:
        """Every fetched in-scope URL, or those of the current :meth:`window`: what a rule looks at."""
        return self.pages.values() if self._window is None else self._window

    def html_pages(self) -> list[Page]:
        """The 200 HTML pages a rule judges (of the current :meth:`window`, if any)."""
        return [p for p in self.all_pages() if p.ok_html]

    def every_html_page(self) -> list[Page]:
        """All 200 HTML pages, whatever the window: for what is learnt from the whole site."""
        return [p for p in self.pages.values() if p.ok_html]

    @contextmanager
    def window(self, pages: list[Page]) -> Iterator[None]:
        """Rules that judge each page on its own (``Rule.local``) run over a few hundred pages at a
        time, all of them on one window before the next: each page is read back from the shelf
        once per window instead of once per rule. Site-wide facts never look through a window."""
        self._window = pages
        try:
            yield
        finally:
            self._window = None

    # ------------------------------------------------------------------ text and page types
    @cached_property
    def template(self) -> TemplateDetector:
        """Text blocks repeated across the site's pages (nav, footer, sidebars)."""
        detector = TemplateDetector()
        for page in self.every_html_page():
            parsed = page.parsed()
            detector.add_digests(page.id, parsed.digests if parsed else ())
        detector.finalise()
        return detector

    def _main(self, page: Page) -> Parsed | None:
        """The page as parsed, with its own blocks (template removed) worked out. Only 200 HTML pages
        have them (the template is learnt from those)."""
        parsed = page.parsed() if page.ok_html else None
        if parsed is not None and parsed.own is None:
            parsed.own = main_mask(parsed.digests, self.template.digests)
            parsed.main = [block for block, own in zip(parsed.artifacts.blocks, parsed.own, strict=True) if own]
        return parsed

    def main_blocks(self, page: Page) -> list[str]:
        """The page's own text blocks, the site template removed."""
        parsed = self._main(page)
        return parsed.main if parsed is not None and parsed.main is not None else []

    def main_text(self, page: Page) -> str:
        return "\n".join(self.main_blocks(page))

    @cached_property
    def kinds(self) -> IdNames:
        """Page type of every 200 HTML page (see audits/pagetype.py). Each page is read once for its own
        signals, keeping the type it would have if a column page listed it where that differs (a byte a
        page); then the column pages' lists of dated items settle those pages (:meth:`_listed_items`)."""
        starts = set(self.start_urls)
        result = IdNames()
        if_listed = IdNames()
        for page in self.every_html_page():
            if page.id in self.fragments:
                result[page.id] = "other"     # a framed part of another page
                continue
            path = page.url[len(origin(page.url)):]
            kind, listed_kind = classify_both(page.url, path, page.url in starts, page.artifacts, self.main_blocks(page))
            result[page.id] = kind
            if listed_kind != kind:
                if_listed[page.id] = listed_kind
        if len(if_listed):
            listed = self._listed_items([uid for uid, kind in result.items() if kind == "column"])
            for uid in list(if_listed):
                if uid < len(listed) and listed[uid]:
                    result[uid] = if_listed[uid]
        return result

    def _listed_items(self, columns: list[int]) -> bytearray:
        """Pages that a column page lists among dated items (<li><a>标题</a><span>2026-11-03</span></li>), a
        byte by URL id: the link's anchor and a date (with little else) make a short line of the column's own
        text (not the template's), and the column has at least three dated lines."""
        listed = bytearray(self.links.id_bound())
        for uid in columns:
            page = self.pages.get(uid)
            if page is None:
                continue
            lines = [re.sub(r"\s+", "", block) for block in self.main_blocks(page)
                     if len(block) < 120 and ITEM_DATE.search(block)]
            if len(lines) < 3:
                continue
            for link in self.links.from_page(uid):
                anchor = re.sub(r"\s+", "", link.anchor or "")
                if link.tag == "a" and len(anchor) >= 4 and link.target != uid and any(
                        _list_item(anchor, line) for line in lines):
                    listed[link.target] = 1
        return listed

    def kind(self, page: Page) -> str | None:
        return self.kinds.get(page.id)

    @cached_property
    def home_blocks(self) -> frozenset[str]:
        """The home page's text blocks: what the template shows on every page (navigation, footer)."""
        page = self.page(self.home)
        return frozenset(page.artifacts.blocks) if page is not None and page.artifacts is not None else frozenset()

    @cached_property
    def image_uses(self) -> Counter[int]:
        """How many <img> links point at each URL (template images are used on many pages)."""
        return self.links.image_uses()

    @cached_property
    def fragments(self) -> set[int]:
        """Pages reached only as a frame or iframe of another page: parts of that page, not pages of their own."""
        return self.links.frame_only_targets()

    # ------------------------------------------------------------------ link graph
    @cached_property
    def inlink_counts(self) -> Mapping[int, int]:
        """URL id -> number of other URLs linking to it (clickable links)."""
        return self.links.inlink_counts()

    @cached_property
    def link_scores(self) -> Mapping[int, float]:
        """Internal link score 0-100 (log-scaled PageRank) of every fetched in-scope URL."""
        ids = np.array(sorted(self.pages), dtype=np.int64)
        position = np.full(self.links.id_bound(ids), -1, dtype=np.int32)
        position[ids] = np.arange(len(ids), dtype=np.int32)
        # the graph between fetched pages, as positions: filled a slice of the link table at a time;
        # the sources as runs (a page's links come together), the targets as one array
        targets = np.empty(len(self.links), np.int32)
        runs: list[Runs] = []
        count = 0
        for source, target in self.links.edge_slices((*CLICK_TAGS, "redirect")):
            src, dst = position[source], position[target]
            keep = (src >= 0) & (dst >= 0)
            kept = int(keep.sum())
            targets[count:count + kept] = dst[keep]
            runs.append(Runs.of(src[keep]))
            count += kept
        sources = Runs(np.concatenate([r.values for r in runs]) if runs else np.zeros(0, np.int32),
                       np.concatenate([r.lengths for r in runs]) if runs else np.zeros(0, np.int64))
        del runs
        scores = link_scores(len(ids), sources, targets[:count])
        return IdValues.of(ids, scores, np.float64)

    @cached_property
    def name(self) -> str:
        """The site's name: SiteName meta of the home page, else the last segment of its title."""
        home = self.page(self.home)
        if home is not None and home.artifacts is not None:
            declared = home.artifacts.meta_value("sitename")
            if declared:
                return declared
            title = home.artifacts.title or ""
            for sep in TITLE_SEPARATORS:
                if sep in title:
                    title = title.split(sep)[-1].strip()
            if title:
                return title
        return self.home

    @cached_property
    def name_terms(self) -> list[str]:
        return self.tokenizer.terms(self.name)

    @cached_property
    def key_terms(self) -> KeyTerms:
        """TF-IDF extractor with IDF fitted on this site's pages (words on every page weigh little)."""
        return KeyTerms(self.tokenizer).fit(self._segmented(page.id)[0] for page in self.every_html_page())

    def title_terms(self, page: Page) -> list[str]:
        return self.tokenizer.terms(page.artifacts.title or "") if page.artifacts else []

    @cached_property
    def tokenizer(self) -> Tokenizer:
        return get_tokenizer()

    def _segmented(self, page_id: int) -> tuple[list[str], int]:
        """Word tokens and word count of the page's main text, from its blocks' segmentations.

        Equal to segmenting the blocks joined by newlines: jieba and the number/date filter both
        restart at a newline."""
        page = self.pages.get(page_id)
        parsed = self._main(page) if page is not None else None
        if parsed is None or parsed.own is None or page is None or self.shelf is None:
            return [], 0
        if parsed.segmented is None:
            keep = parsed.own
            stored = self.shelf.words(page.id)
            if stored is None:     # segment the page's own blocks once, and keep their words
                blocks = parsed.artifacts.blocks
                stored = [segment(block, self.shelf.segment_memo, self.tokenizer) if own else None
                          for block, own in zip(blocks, keep, strict=True)]
                self.shelf.store_words(page.id, stored)
            terms: list[str] = []
            words = 0
            for block_words, own in zip(stored, keep, strict=True):
                if own and block_words is not None:
                    terms.extend(block_words[0])
                    words += block_words[1]
            parsed.segmented = (terms, words)
        return parsed.segmented

    def word_count(self, page: Page) -> int:
        """Word tokens of the main text, stop-words included (keyword density's denominator)."""
        return self._segmented(page.id)[1]

    def terms(self, page: Page) -> list[str]:
        """Word tokens (jieba, stop-words and numbers removed) of the page's main text."""
        return list(self._segmented(page.id)[0])

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

    # ------------------------------------------------------------------ engine views
    @cached_property
    def engine_views(self) -> dict[str, list[dict[str, Any]]]:
        """URL -> what each search engine's crawler got for it (crawler/engines.py; compared by
        audits/engineviews.py), read from the crawl store once; {} for a crawl without views."""
        if self.db_path is None:
            return {}
        store = CrawlStore(self.db_path, create=False)
        try:
            views: dict[str, list[dict[str, Any]]] = {}
            for row in store.iter_engine_views():
                views.setdefault(row["url"], []).append(row)
            return views
        finally:
            store.close()

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

    def shared_values(self, value: Callable[[Page], str | None]) -> Iterator[tuple[str, list[str]]]:
        """(value, sorted URLs) for every non-empty value that 2+ indexable HTML pages share
        (title-duplicate, description-duplicate)."""
        groups: dict[str, list[str]] = {}
        for page in self.every_html_page():
            if page.id in self.indexable_ids:
                key = value(page)
                if key:
                    groups.setdefault(key, []).append(page.url)
        for key, urls in groups.items():
            if len(urls) >= 2:
                yield key, sorted(urls)

    @cached_property
    def indexable_ids(self) -> IdSet:
        return IdSet(p.id for p in self.pages.values() if self.indexable(p))


def _list_item(anchor: str, line: str) -> bool:
    """A dated list line for this anchor: the anchor, and beside it a date with at most a label
    (发布时间：2026-11-03 09:30, [2026-11-03])."""
    at = line.find(anchor)
    if at < 0:
        return False
    rest = line[:at] + " " + line[at + len(anchor):]
    return len(rest) <= 32 and ITEM_DATE.search(rest) is not None


def _parse_robots(row: dict[str, Any]) -> Protego | None:
    return rules_of(row["status"], row["body"])     # as the crawl read them (crawler/robots.py)


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
        targets, tags = site.links.targets_of(uid)
        for target, tag in zip(targets, tags, strict=True):
            if tag == "redirect":
                nd = d
            elif tag in CLICK_TAGS:
                nd = d + 1
            else:
                continue
            if nd < depth.get(target, 1 << 30):
                depth[target] = nd
                if nd == d:
                    queue.appendleft((target, nd))
                else:
                    queue.append((target, nd))
    return depth


# The response headers an audit reads (the store keeps them all: a new check adds its header here).
AUDIT_HEADERS = ("x-robots-tag", "link", "content-language", "refresh")


def audit_headers(headers_json: str | None) -> str | None:
    """``headers_json`` with only the AUDIT_HEADERS (None without any): Date, ETag, Server and the
    like were ~350 bytes a page held through a whole audit."""
    if not headers_json:
        return None
    lower = headers_json.lower()
    if not any(name in lower for name in AUDIT_HEADERS):
        return None
    kept = [[name, value] for name, value in json.loads(headers_json) if name.lower() in AUDIT_HEADERS]
    return json.dumps(kept, ensure_ascii=False) if kept else None


class StoredSitemap(dict[str, Any]):
    """A sitemap row of the crawl store whose body and entries are read from the store each time they
    are asked for: a 100,000-URL sitemap's entries as dicts were ~40 MB kept through a whole audit."""

    _STORED = ("body", "entries")

    def __init__(self, row: dict[str, Any], db_path: Path) -> None:
        super().__init__(row)
        self._db_path = db_path

    def __missing__(self, key: str) -> Any:
        if key not in self._STORED:
            raise KeyError(key)
        store = CrawlStore(self._db_path, create=False)
        try:
            return store.sitemap_body(self["id"]) if key == "body" else store.sitemap_entries(self["id"])
        finally:
            store.close()

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self or key in self._STORED else default


class Placed(Protocol):
    """Pages already on a shelf (audits.feed.Placements)."""

    def get(self, url_id: int, fetched_at: float | None) -> bool | None: ...


def make_page(record: FetchRecord, scope: Scope, shelf: PageShelf, tokenizer: Tokenizer | None = None,
              placed: bool | None = None) -> Page | None:
    """A fetched in-scope URL, its HTML parsed onto ``shelf`` (with a ``tokenizer``: every block's
    words too, see :meth:`PageShelf.add`); None when off-site. ``placed``: the page is already on
    ``shelf`` (which knows where) and this is whether it redirects (see audits.feed.Placements). The
    page does not keep the body (see :meth:`Site.body`)."""
    if not scope.on_site(record.url):
        return None
    page = Page(record.url_id, record.url,
                replace(record, compressed_body=None, headers_json=audit_headers(record.headers_json),
                        fetched_at=None))      # read by the feed's placements only, before this
    if placed is not None:           # already on the shelf; ``placed``: whether it redirects
        page.shelf, page.redirects = shelf, placed
    elif record.compressed_body is not None and (
            media_type(record.content_type) in HTML_TYPES or not record.content_type):
        where, art = shelf.add(record, tokenizer)
        shelf.place(page.id, where)
        page.shelf, page.redirects = shelf, art.redirects
    return page


def load_site(store: CrawlStore, placed: Placed | None = None, shelf: PageShelf | None = None) -> Site:
    """The site as the store holds it. ``placed``/``shelf``: the pages a :class:`audits.feed.PageFeed`
    parsed onto its shelf while the crawl ran (used when the fetch is unchanged)."""
    options = store.get_meta_json("options", {}) or {}
    start_urls = list(options.get("start_urls") or [])
    meta = {k: store.get_meta(k) for k in ("started_at", "finished_at", "finished")}
    scope = Scope(start_urls, bool(options.get("subdomains")))
    pages: dict[int, Page] = {}
    shelf = shelf if shelf is not None else PageShelf()
    for record in store.iter_fetches():
        ready = placed.get(record.url_id, record.fetched_at) if placed is not None else None
        page = make_page(record, scope, shelf, placed=ready)
        if page is not None:
            pages[page.id] = page
    pages = dict(sorted(pages.items(), key=lambda item: item[1].url))   # deterministic rule order
    shelf.keep_all(len(pages))
    urls = UrlTable()
    for uid, url, state, via, _ in store.iter_urls():
        page = pages.get(uid)
        urls.add(uid, page.url if page is not None and page.url == url else url, state, via)
    links = LinkTable(store.iter_links())     # rows in a temporary file, ~2 bytes a link resident (audits/links.py)
    robots = {}
    for row in store.iter_robots():
        row["parser"] = _parse_robots(row)
        robots[row["origin"]] = row
    sitemaps: list[dict[str, Any]] = [StoredSitemap(row, store.path) for row in store.iter_sitemaps(with_entries=False)]
    site = Site(start_urls, options, meta, urls, pages, links, robots, sitemaps, shelf=shelf, db_path=store.path,
                views=RenderedViews(store, bool(options.get("render"))))
    for sitemap in sitemaps:
        if sitemap["kind"] in ("urlset", "txt"):
            for entry in sitemap["entries"]:
                try:
                    site.sitemap_locs.add(site.url_object(normalize(entry["loc"])))   # a page's own string
                except BadURL:
                    continue
    depths = compute_depths(site)
    for page in pages.values():
        page.depth = depths.get(page.id)
        page.inlinks = site.inlink_counts.get(page.id, 0)
        page.in_sitemap = page.url in site.sitemap_locs
    return site
