"""Crawl scope and politeness options, each against a real local server."""

from __future__ import annotations

import sqlite3
import time

from conftest import govseo
from routeserver import serve_routes

from crawler.engines import ENGINES


def states(db) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return {url.split("/", 3)[3]: state for url, state in conn.execute("SELECT url, state FROM urls")}
    finally:
        conn.close()


def fetched(db) -> dict[str, tuple]:
    conn = sqlite3.connect(db)
    try:
        return {url.split("/", 3)[3]: (status, error) for url, status, error in conn.execute(
            "SELECT u.url, f.status, f.error FROM fetches f JOIN urls u ON u.id = f.url_id")}
    finally:
        conn.close()


def chain(n: int) -> dict[str, str]:
    """/, /p1 ... /pN, each page linking to the next and to /private/x."""
    routes = {"/robots.txt": (200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /private/\n")}
    for i in range(n + 1):
        path = "/" if i == 0 else f"/p{i}"
        routes[path] = f'<html><title>第{i}页</title><a href="/p{i + 1}">下一页</a><a href="/private/x">内部</a></html>'
    routes["/private/x"] = "<html><title>内部</title></html>"
    return routes


def test_robots_txt_is_obeyed_unless_ignored(tmp_path):
    with serve_routes(chain(2)) as base:
        govseo("crawl", base, "--db", str(tmp_path / "a.sqlite"), "--quiet")
        govseo("crawl", base, "--db", str(tmp_path / "b.sqlite"), "--quiet", "--ignore-robots")
    assert states(tmp_path / "a.sqlite")["private/x"] == "blocked"
    assert "private/x" not in fetched(tmp_path / "a.sqlite")
    assert fetched(tmp_path / "b.sqlite")["private/x"] == (200, None)


def test_max_depth_and_max_pages(tmp_path):
    with serve_routes(chain(8)) as base:
        govseo("crawl", base, "--db", str(tmp_path / "d.sqlite"), "--quiet", "--max-depth", "3")
        govseo("crawl", base, "--db", str(tmp_path / "p.sqlite"), "--quiet", "--max-pages", "4")
    by_depth = fetched(tmp_path / "d.sqlite")
    assert {"", "p1", "p2", "p3"} <= set(by_depth) and "p4" not in by_depth
    assert states(tmp_path / "d.sqlite")["p4"] == "limit"
    assert len(fetched(tmp_path / "p.sqlite")) == 4


def test_include_and_exclude(tmp_path):
    routes = {"/": '<a href="/news/1">新闻</a><a href="/bsfw/1">办事</a><a href="/bsfw/search?q=1">搜索</a>',
              "/news/1": "<title>新闻</title>", "/bsfw/1": "<title>办事</title>", "/bsfw/search?q=1": "<p>x</p>"}
    with serve_routes(routes) as base:
        govseo("crawl", base, "--db", str(tmp_path / "i.sqlite"), "--quiet", "--include", r"/(bsfw/.*)?$",
               "--exclude", r"search")
    got = states(tmp_path / "i.sqlite")
    assert got["bsfw/1"] == "done" and got["news/1"] == "excluded" and got["bsfw/search?q=1"] == "excluded"


def test_user_agent_and_timeout(tmp_path):
    seen: list[str] = []

    def record(handler):
        seen.append(handler.headers.get("User-Agent", ""))
        return 200, [("Content-Type", "text/html")], b'<a href="/slow">slow</a><a href="/fine">fine</a>'

    def slow(handler):
        time.sleep(3)
        return 200, [("Content-Type", "text/html")], b"late"

    with serve_routes({"/": record, "/slow": slow, "/fine": "<title>ok</title>"}) as base:
        govseo("crawl", base, "--db", str(tmp_path / "t.sqlite"), "--quiet", "--timeout", "1")
        govseo("crawl", base, "--db", str(tmp_path / "u.sqlite"), "--quiet", "--user-agent", "MyPortalAudit/2")
    got = fetched(tmp_path / "t.sqlite")
    assert got["slow"] == (None, "timeout") and got["fine"] == (200, None)
    # each crawl also views "/" once as each search engine (crawler/engines.py), with the engine's own agent
    engines = {e.user_agent for e in ENGINES}
    own = [ua for ua in seen if ua not in engines]
    assert own[0].startswith("govseo/") and own[1:] == ["MyPortalAudit/2"]
    assert sorted(ua for ua in seen if ua in engines) == sorted([*engines, *engines])


def test_a_big_sitemap_is_crawled_through_a_bounded_frontier(tmp_path):
    """300 sitemap URLs at once: all crawled, never more than 64 page requests inside Scrapy at a time."""
    pages = [f"/d/{i}.html" for i in range(300)]

    def sitemap(handler):
        base = f"http://{handler.headers['Host']}"
        return (200, [("Content-Type", "application/xml")],
                ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 + "".join(f"<url><loc>{base}{p}</loc></url>" for p in pages) + "</urlset>").encode())

    routes = {"/": '<html><title>首页</title><a href="/d/0.html">第一篇</a></html>', "/sitemap.xml": sitemap}
    routes.update({p: f"<html><title>{p}</title></html>" for p in pages})
    with serve_routes(routes) as base:
        govseo("crawl", base, "--db", str(tmp_path / "s.sqlite"), "--quiet", "--concurrency", "2", "--delay", "0",
               "--no-autothrottle")
    got = fetched(tmp_path / "s.sqlite")
    assert all(got[p.lstrip("/")] == (200, None) for p in pages)
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    try:
        peak = int(conn.execute("SELECT value FROM meta WHERE key = 'scheduler_peak'").fetchone()[0])
    finally:
        conn.close()
    assert 1 <= peak <= 64, peak


def test_the_crawl_and_the_audit_read_a_600_kb_robots_txt_alike(tmp_path):
    """One reading (crawler/robots.py): rules within the first 500 KiB hold, a rule the cut splits and rules
    after it do not, for the crawl's frontier and for the audit's robots-blocked alike."""
    from audits.config import Config
    from audits.engine import audit_store
    from crawler.robots import MAX_BYTES

    head = b"User-agent: *\nDisallow: /early/\n"
    filler = b"# " + b"x" * 97 + b"\n"                          # 100-byte comment lines
    body = head + filler * ((MAX_BYTES - len(head)) // 100 - 1)
    body += b"Disallow: /straddle/" + b"x" * (MAX_BYTES - len(body)) + b"/\n"   # cut in the middle
    body += b"Disallow: /late/\n" + filler * 1000                              # ~600 KB in all
    assert len(body) > 600_000 and body.index(b"Disallow: /late/") < 512 * 1024   # a 512 KiB cut would read it
    routes = {"/robots.txt": (200, [("Content-Type", "text/plain")], body),
              "/": '<html><title>首页</title><a href="/early/a">a</a><a href="/straddle/b">b</a>'
                   '<a href="/late/c">c</a></html>',
              "/early/a": "<html><title>a</title></html>", "/straddle/b": "<html><title>b</title></html>",
              "/late/c": "<html><title>c</title></html>"}
    db = tmp_path / "crawl.sqlite"
    with serve_routes(routes) as base:
        govseo("crawl", base, "--db", str(db), "--quiet")
    crawl = states(db)
    assert crawl["early/a"] == "blocked" and "straddle/b" in fetched(db) and "late/c" in fetched(db)
    result = audit_store(db, Config())
    blocked = {f["url"].split("/", 3)[3] for f in result["findings"] if f["rule"] == "robots-blocked"}
    assert blocked == {"early/a"}
