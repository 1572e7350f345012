"""Build a crawl store from in-memory routes, the way the spider would, without a network.

Rule fixture tests use it (Lighthouse-style: a rule is a pure function over stored artifacts), so
each rule can be tested with inline pages that fire and near-misses that must not. Real crawls of
real servers are tested separately (test_crawl_*.py).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from audits.site import Site, load_site
from crawler.response import summarise
from crawler.sitemaps import parse_sitemap
from crawler.store import CrawlStore
from crawler.urls import BadURL, Scope, normalize, origin

BASE = "http://portal.test/"
Route = str | bytes | tuple[int, list[tuple[str, str]], bytes]


def page(title: str | None = "页面标题_栏目_测试市人民政府", *, body: str = "", head: str = "",
         description: str | None = "这是一个用于测试的页面描述，介绍本页面的主要内容和办理事项。",
         h1: str | None = "页面标题") -> str:
    """A well-formed page; pass None to leave a part out."""
    parts = ['<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">']
    if title is not None:
        parts.append(f"<title>{title}</title>")
    if description is not None:
        parts.append(f'<meta name="description" content="{description}">')
    parts.append(head + "</head><body>")
    if h1 is not None:
        parts.append(f"<h1>{h1}</h1>")
    parts.append(body + "</body></html>")
    return "".join(parts)


def _response(route: Route) -> tuple[int, list[tuple[str, str]], bytes]:
    if isinstance(route, str):
        return 200, [("Content-Type", "text/html; charset=utf-8")], route.encode()
    if isinstance(route, bytes):
        return 200, [("Content-Type", "text/html")], route
    return route


def redirect(to: str, status: int = 301) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Location", to)], b""


def build_store(db: Path, routes: dict[str, Route], *, start: str = BASE, obey_robots: bool = True,
                user_agent: str = "govseo-test") -> CrawlStore:
    """Crawl ``routes`` (path -> response) breadth-first into a new store at ``db``."""
    from protego import Protego

    store = CrawlStore(db)
    scope = Scope([start])
    store.set_meta("options", {"start_urls": [start], "obey_robots": obey_robots, "user_agent": user_agent})
    store.set_meta("finished", "1")

    def fetch(url: str) -> tuple[int, list[tuple[str, str]], bytes]:
        path = url[len(origin(url)):]
        if path in routes:
            return _response(routes[path])
        return 404, [("Content-Type", "text/html")], b"<html><title>404</title></html>"

    ids: dict[str, int] = {}

    def discover(url: str, via: str, depth: int) -> int:
        if url not in ids:
            state = "queued" if scope.on_site(url) else "external"
            ids[url] = store.add_url(url, state, via, depth)
            if state == "queued":
                queue.append((url, depth))
        return ids[url]

    queue: deque[tuple[str, int]] = deque()
    robots_url = origin(start) + "/robots.txt"
    status, _, body = fetch(robots_url)
    store.put_robots(origin(start), robots_url, final_url=robots_url, status=status, error=None, body=body)
    parser = Protego.parse(body.decode()) if status < 400 else None
    discover(start, "start", 0)
    sitemap_queue = [(s, "robots") for s in (parser.sitemaps if parser else [])]
    sitemap_queue += [(origin(start) + p, "default") for p in ("/sitemap.xml", "/sitemap_index.xml", "/sitemap.txt")]
    seen_sitemaps: set[str] = set()
    while sitemap_queue:
        loc, source = sitemap_queue.pop(0)
        url = normalize(loc, start)
        if url in seen_sitemaps:
            continue
        seen_sitemaps.add(url)
        status, headers, raw = fetch(url)
        if status >= 400:
            store.put_sitemap(url, source=source, parent=None, status=status, error=f"HTTP {status}",
                              kind="missing" if status == 404 else "invalid")
            continue
        parsed = parse_sitemap(raw)
        store.put_sitemap(url, source=source, parent=None, status=status, error=parsed.error, kind=parsed.kind,
                          gzipped=parsed.gzipped, body=parsed.body, raw_size=len(raw),
                          entries=parsed.entries or [{"loc": c} for c in parsed.children])
        sitemap_queue += [(c, "index") for c in parsed.children]
        for entry in parsed.entries:
            try:
                discover(normalize(entry["loc"]), "sitemap", 0)
            except BadURL:
                continue
    while queue:
        url, depth = queue.popleft()
        uid = ids[url]
        if obey_robots and parser is not None and not parser.can_fetch(url, user_agent):
            store.set_state(uid, "blocked")
            continue
        status, headers, body = fetch(url)
        summary = summarise(url, status, headers, body)
        links = []
        for target, tag, rel, anchor in summary.links:
            tid = discover(target, "redirect" if tag == "redirect" else "link",
                           depth if tag == "redirect" else depth + 1)
            links.append((tid, tag, rel, anchor))
        store.add_fetch(uid, **summary.record)
        store.add_links(uid, links)
        store.set_state(uid, "done")
    store.commit()
    return store


def build_site(tmp_path: Path, routes: dict[str, Route], **kwargs: Any) -> Site:
    tmp_path.mkdir(parents=True, exist_ok=True)
    store = build_store(tmp_path / "crawl.sqlite", routes, **kwargs)
    try:
        return load_site(store)
    finally:
        store.close()


def rendered_site(tmp_path: Path, routes: dict[str, Route], rendered: dict[str, str], render: bool = True) -> Site:
    """Crawl ``routes`` from their raw HTML, then store ``rendered`` (path -> DOM) as ok renders, as a --render
    crawl writes them (the render itself is tested with real Chromium in tests/test_render.py)."""
    from crawler.store import compress

    tmp_path.mkdir(parents=True, exist_ok=True)
    store = build_store(tmp_path / "crawl.sqlite", routes)
    ids = {url: uid for uid, url, *_ in store.iter_urls()}
    for path, dom in rendered.items() if render else ():
        url = BASE.rstrip("/") + path
        data = dom.encode()
        store.add_render(ids[url], "ok", final_url=url, elapsed_ms=1.0, dom=compress(data), dom_size=len(data))
    store.set_meta("options", {**store.get_meta_json("options"), "render": render})
    store.commit()
    try:
        return load_site(store)
    finally:
        store.close()


def run_rule(site: Site, rule_id: str, **params: Any) -> dict[str, Any]:
    """Findings of one rule keyed by URL path (the site's origin stripped)."""
    from audits.config import Config
    from audits.engine import run_rules
    from audits.rules import RULES_BY_ID

    config = Config(rules={rule_id: params} if params else {})
    outcomes, findings = run_rules(site, config, [RULES_BY_ID[rule_id]])
    (_, _outcome, error), = outcomes
    assert error is None, error
    result = {}
    for finding in findings:
        path = finding.url[len(origin(finding.url)):] if finding.url.startswith("http") else finding.url
        assert path not in result, f"two findings of {rule_id} for {path}"
        result[path] = finding
    return result
