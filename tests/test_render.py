"""--render with real Chromium (Debian's /usr/bin/chromium through Playwright) against local servers: the rendered
DOM and its status in the store, links only scripts create (tag script, followed), sub-requests kept in scope,
failures recorded, --render-max, --resume, and the js-only-link rule with its near-misses."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import zlib
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GOVSEO_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.async_api", reason="playwright not installed (pip install -e '.[test]')")

from routeserver import serve_routes  # noqa: E402

from audits.rules.js_only_link import RULE as JS_ONLY  # noqa: E402
from audits.site import load_site  # noqa: E402
from crawler.store import CrawlStore  # noqa: E402
from govseo.cli import main  # noqa: E402
from tests.conftest import govseo  # noqa: E402


def page(title: str, body: str = "") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def script_link(href: str, text: str) -> str:
    """An <a> that only a script creates (the raw HTML has none)."""
    return (f"<div id='m'></div><script>var a=document.createElement('a');a.href='{href}';"
            f"a.textContent='{text}';document.getElementById('m').appendChild(a);</script>")


class Hits:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def route(self, status: int, ctype: str, body: bytes):
        def answer(handler):
            with self.lock:
                self.paths.append(handler.path)
            return status, [("Content-Type", ctype)], body
        return answer


def crawl(base: str, db: Path, *options: str, resume: bool = False) -> None:
    govseo("crawl", base, "--db", str(db), "--no-autothrottle", "--quiet", *options, *(["--resume"] if resume else []))


def renders(db: Path) -> dict[str, tuple]:
    conn = sqlite3.connect(db)
    try:
        return {url: (status, error, final_url, dom and zlib.decompress(dom).decode())
                for url, status, error, final_url, dom in conn.execute(
                    "SELECT u.url, r.status, r.error, r.final_url, r.dom FROM renders r JOIN urls u ON u.id = r.url_id")}
    finally:
        conn.close()


def links(db: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return set(conn.execute("SELECT s.url, t.url, l.tag FROM links l JOIN urls s ON s.id = l.source_id "
                                "JOIN urls t ON t.id = l.target_id"))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def offsite():
    hits = Hits()
    with serve_routes({"/track.js": hits.route(200, "application/javascript", b"window.t=1;")}) as base:
        yield base, hits


@pytest.fixture(scope="module")
def site_crawl(tmp_path_factory, offsite):
    """One --render crawl of a small site with every case; yields (base, db, hits, summary)."""
    off_base, _ = offsite
    hits = Hits()
    api = json.dumps({"html": "<p>办理材料：居民身份证</p>", "title": "脚本写的标题"}).encode()
    routes = {
        "/": page("首页", "<a href='/a.html'>A</a><a href='/both.html'>both</a><a href='/hang.html'>h</a><a href='/crash.html'>c</a>"
                  + script_link("/js.html", "仅脚本") + "<script>var b=document.createElement('a');b.href='/both.html';"
                  "document.body.appendChild(b);var c=document.createElement('a');c.href='/mapped.html';"
                  "document.body.appendChild(c);</script>"
                  f"<script src='{off_base}track.js'></script>"
                  "<script>new Image().src='/pixel.png';</script>"
                  "<style>@font-face{font-family:x;src:url(/font.woff2)}body{font-family:x}</style>"),
        "/a.html": page("A", "<div id='g'></div><script>fetch('/api/g.json').then(r=>r.json()).then(d=>{"
                        "document.getElementById('g').innerHTML=d.html;document.title=d.title})</script>"),
        "/api/g.json": hits.route(200, "application/json", api),
        "/js.html": page("JS page", "只由脚本链接"),
        "/both.html": page("Both", "原始链接也有"),
        "/mapped.html": page("Mapped", "在网站地图中"),
        # past the renderer's script heap cap (crawler/render.py): the renderer process dies
        "/crash.html": page("crash", "<script>var a=[];while(true){a.push(new Array(4e6).fill(1.5));}</script>"),
        "/hang.html": "<html><head><title>hang</title></head><body><script>while(true){}</script></body></html>",
        "/pixel.png": hits.route(200, "image/png", b"\x89PNG"),
        "/font.woff2": hits.route(200, "font/woff2", b"wOF2"),
        "/sitemap.xml": (200, [("Content-Type", "application/xml")],
                         b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         b"<url><loc>{BASE}mapped.html</loc></url></urlset>"),
    }
    with serve_routes(routes) as base:
        routes["/sitemap.xml"] = (200, [("Content-Type", "application/xml")],
                                  routes["/sitemap.xml"][2].replace(b"{BASE}", base.encode()))
        db = tmp_path_factory.mktemp("render") / "crawl.sqlite"
        crawl(base, db, "--render", "--render-timeout", "3")
        yield base, db, hits


def test_rendered_dom_and_status_are_stored_and_failures_do_not_stop_the_crawl(site_crawl):
    base, db, _ = site_crawl
    store = CrawlStore(db, create=False)
    assert store.get_meta("finished") == "1" and store.get_meta_json("options")["render"] is True
    store.close()
    got = renders(db)
    status, error, final_url, dom = got[base + "a.html"]
    assert status == "ok" and error is None and final_url == base + "a.html"
    assert "办理材料：居民身份证" in dom and "<title>脚本写的标题</title>" in dom     # the API call filled it in
    hang = got[base + "hang.html"]
    assert hang[0] == "timeout" and hang[3] is None and "3 s" in hang[1]
    crash = got[base + "crash.html"]
    assert crash[0] == "crashed" and crash[3] is None and crash[1]
    assert {s for s, *_ in got.values()} == {"ok", "timeout", "crashed"}
    assert base + "pixel.png" not in got and base + "sitemap.xml" not in got     # 200 HTML pages only


def test_script_links_are_recorded_with_tag_script_and_followed(site_crawl):
    base, db, _ = site_crawl
    found = links(db)
    assert (base, base + "js.html", "script") in found
    assert (base, base + "both.html", "a") in found
    assert (base, base + "both.html", "script") not in found       # deduped against the raw page's links
    assert renders(db)[base + "js.html"][0] == "ok"                  # crawled, and rendered in turn
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT f.status, u.found_via FROM fetches f JOIN urls u ON u.id = f.url_id WHERE u.url = ?",
                        (base + "js.html",)).fetchone() == (200, "script")


def test_sub_requests_stay_in_scope_without_fonts_images_or_media(site_crawl, offsite):
    _, _, hits = site_crawl
    assert "/api/g.json" in hits.paths                       # the page's own API call goes through
    assert "/pixel.png" not in hits.paths and "/font.woff2" not in hits.paths
    assert offsite[1].paths == []                            # another origin: aborted


def test_the_audit_reads_the_rendered_view_without_rendering(site_crawl):
    base, db, _ = site_crawl
    store = CrawlStore(db, create=False)
    try:
        site = load_site(store)
    finally:
        store.close()
    try:
        a = site.page(base + "a.html")
        assert site.render_enabled and site.render_status(a) == "ok"
        assert a.artifacts.title == "A" and site.rendered(a).title == "脚本写的标题"
        assert site.rendered(a) is site.rendered(a)              # memoised
        assert "办理材料" in site.rendered_html(a)
        hang = site.page(base + "hang.html")
        assert site.render_status(hang) == "timeout" and site.rendered(hang) is None
        assert site.render_info(hang).error.startswith("no load event")
        assert site.render_info(a).http_status == 200 and site.render_info(a).final_url == base + "a.html"
        flagged = {f.url: f for f in JS_ONLY.check(site, {})}
        # fires: only the home page's script links to /js.html; near-misses: /both.html is also in raw HTML,
        # /mapped.html is in the sitemap
        assert set(flagged) == {base + "js.html"}
        assert flagged[base + "js.html"].evidence["script_sources"] == [base]
        assert JS_ONLY.judges(site) == len(site.pages)
    finally:
        site.close()


def test_without_render_js_only_link_has_nothing_to_judge(tmp_path):
    with serve_routes({"/": page("首页", script_link("/js.html", "x")), "/js.html": page("JS")}) as base:
        db = tmp_path / "c.sqlite"
        crawl(base, db)
    store = CrawlStore(db, create=False)
    site = load_site(store)
    store.close()
    try:
        assert not site.render_enabled and site.render_status(site.page(base)) is None
        assert site.rendered(site.page(base)) is None
        assert site.page(base + "js.html") is None                 # never found without a browser
        assert JS_ONLY.judges(site) == 0 and list(JS_ONLY.check(site, {})) == []
    finally:
        site.close()


def test_render_max_renders_service_guides_first_and_records_the_rest_as_skipped(tmp_path):
    others = "".join(f"<a href='/news/{i}.html'>n{i}</a>" for i in range(4))
    routes = {"/": page("首页", others + "<a href='/news/more.html'>more</a>"),
              "/news/more.html": page("more", "<a href='/bszn/1.html'>g1</a><a href='/bszn/2.html'>g2</a>")}
    routes.update({f"/news/{i}.html": page(f"n{i}") for i in range(4)})
    routes.update({f"/bszn/{i}.html": page(f"g{i}") for i in (1, 2)})
    with serve_routes(routes) as base:
        db = tmp_path / "c.sqlite"
        crawl(base, db, "--render", "--render-max", "3")
    got = renders(db)
    ok = {url for url, row in got.items() if row[0] == "ok"}
    assert len(got) == 8 and len(ok) == 3
    assert {base + "bszn/1.html", base + "bszn/2.html"} <= ok       # found last, rendered first
    assert {row[0] for url, row in got.items() if url not in ok} == {"skipped"}


def test_resume_renders_what_was_not_rendered_and_nothing_twice(tmp_path):
    routes = {"/": page("首页", "<a href='/a.html'>a</a>" + script_link("/js.html", "js")),
              "/a.html": page("A"), "/js.html": page("JS")}
    with serve_routes(routes) as base:
        db = tmp_path / "c.sqlite"
        crawl(base, db)                                   # a crawl that rendered nothing
        assert renders(db) == {}
        conn = sqlite3.connect(db)
        fetched = dict(conn.execute("SELECT url_id, fetched_at FROM fetches"))
        crawl(base, db, "--render", resume=True)
        assert set(renders(db)) == {base, base + "a.html", base + "js.html"}
        refetched = dict(conn.execute("SELECT url_id, fetched_at FROM fetches"))
        assert {k: v for k, v in refetched.items() if k in fetched} == fetched    # nothing fetched twice
        assert len(refetched) == len(fetched) + 1                                   # only the script's target
        before = dict(conn.execute("SELECT url_id, rendered_at FROM renders"))
        crawl(base, db, "--render", resume=True)
        assert dict(conn.execute("SELECT url_id, rendered_at FROM renders")) == before
        conn.close()


def test_render_without_chromium_is_a_one_line_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GOVSEO_CHROMIUM", str(tmp_path / "no-chromium"))
    assert main(["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "c.sqlite"), "--render"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "govseo: 未找到 Chromium：apt-get install chromium"
