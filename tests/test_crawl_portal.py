"""A real Scrapy crawl of the sample portal, checked against its manifest and an independent parse."""

from __future__ import annotations

import sqlite3
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from crawler.urls import normalize
from govseo.sample_portal import build_site, load_manifest

MANIFEST = load_manifest()
PAGES = {p["path"]: p for p in MANIFEST["pages"]}
# What govseo follows: navigation, frames, images, canonical and meta refresh; not CSS/JS/forms.
NOT_FOLLOWED_PREFIXES = ("/css/", "/js/", "/api/", "/robots.txt", "/sitemap")


@pytest.fixture(scope="module")
def db(portal_crawl):
    conn = sqlite3.connect(portal_crawl)
    yield conn
    conn.close()


def fetches(db) -> dict[str, tuple]:
    return {url: row for url, *row in db.execute(
        "SELECT u.url, f.status, f.location, f.content_type, f.content_length, f.body_size, f.charset_meta,"
        " f.charset_detected, f.charset_used, u.state FROM fetches f JOIN urls u ON u.id = f.url_id")}


def url_of(portal: str, path: str) -> str:
    return normalize(urljoin(portal, path.replace("{{BASE}}", portal.rstrip("/"))))


def test_every_discoverable_manifest_page_is_recorded_with_its_status(portal, db):
    got = fetches(db)
    states = dict(db.execute("SELECT url, state FROM urls"))
    for path, entry in PAGES.items():
        url = url_of(portal, path)
        discoverable = entry["depth"] >= 0 or entry["in_sitemap"]
        if path.startswith(NOT_FOLLOWED_PREFIXES) or not discoverable:
            continue
        if path.startswith("/search/"):
            assert states[url] == "blocked", "robots.txt disallows /search/ for every agent"
            continue
        assert url in got, f"{path} was not fetched"
        assert got[url][0] == entry["status"], path
    # nothing fetched that the portal does not serve, except declared errors
    served = {url_of(portal, p) for p in PAGES}
    assert set(got) <= served


def test_redirect_hops_are_recorded_one_by_one(portal, db):
    got = fetches(db)
    for redirect in MANIFEST["redirects"]:
        status, location = got[url_of(portal, redirect["from"])][:2]
        assert status == redirect["status"]
        assert location == url_of(portal, redirect["to"])
    links = set(db.execute("SELECT s.url, t.url FROM links l JOIN urls s ON s.id = l.source_id "
                           "JOIN urls t ON t.id = l.target_id WHERE l.tag = 'redirect'"))
    assert (url_of(portal, "/loop/b.html"), url_of(portal, "/loop/a.html")) in links


def test_shortest_click_depths_match_the_manifest(portal, portal_site):
    for path, entry in PAGES.items():
        page = portal_site.page(url_of(portal, path))
        if page is None:
            continue
        expected = entry["depth"] if entry["depth"] >= 0 else None
        assert page.depth == expected, f"{path}: depth {page.depth}, manifest {expected}"
    deepest = max(p["depth"] for p in PAGES.values())
    assert deepest >= 6


def independent_links(portal: str) -> dict[str, set[tuple[str, str]]]:
    """Every followed link of every served HTML page, by BeautifulSoup (not the crawler's lxml code)."""
    site = build_site()
    result: dict[str, set[tuple[str, str]]] = {}
    for path, entry in PAGES.items():
        if entry["status"] != 200 or path not in site.routes:
            continue
        route = site.render(path, portal.rstrip("/"))
        if "html" not in route.content_type:
            continue
        base = url_of(portal, path)
        soup = BeautifulSoup(route.body, "html.parser")
        if soup.base and soup.base.get("href"):
            base = urljoin(base, soup.base["href"])
        found = set()
        for tag, attr in (("a", "href"), ("area", "href"), ("iframe", "src"), ("frame", "src"), ("img", "src")):
            for el in soup.find_all(tag):
                href = (el.get(attr) or "").strip()
                if href and not href.startswith(("javascript:", "mailto:", "tel:", "#")):
                    found.add((tag, normalize(urljoin(base, href))))
        for el in soup.find_all("link", rel="canonical"):
            found.add(("canonical", normalize(urljoin(base, el["href"]))))
        result[url_of(portal, path)] = found
    return result


def test_every_link_of_every_page_is_stored(portal, db):
    stored: dict[str, set[tuple[str, str]]] = {}
    for source, tag, target in db.execute(
            "SELECT s.url, l.tag, t.url FROM links l JOIN urls s ON s.id = l.source_id "
            "JOIN urls t ON t.id = l.target_id WHERE l.tag NOT IN ('redirect', 'meta-refresh')"):
        stored.setdefault(source, set()).add((tag, target))
    expected = independent_links(portal)
    assert len(expected) > 90
    fetched = set(fetches(db))
    unreachable = {url_of(portal, p) for p, e in PAGES.items() if e["depth"] < 0 and not e["in_sitemap"]}
    assert set(expected) - fetched <= unreachable
    for source, links in expected.items():
        if source not in fetched:
            continue
        assert stored.get(source, set()) == links, source
    refresh = MANIFEST["meta_refresh"]
    assert db.execute(
        "SELECT COUNT(*) FROM links l JOIN urls s ON s.id = l.source_id JOIN urls t ON t.id = l.target_id "
        "WHERE l.tag = 'meta-refresh' AND s.url = ? AND t.url = ?",
        (url_of(portal, refresh["from"]), url_of(portal, refresh["to"]))).fetchone()[0] == 1


def test_externals_are_recorded_never_fetched(portal, db):
    states = dict(db.execute("SELECT url, state FROM urls"))
    for external in MANIFEST["site"]["externals"]:
        assert states[normalize(external)] == "external"
    assert not [u for u in fetches(db) if not u.startswith(portal)]


def test_robots_txt_is_stored_raw(portal, db):
    status, body = db.execute("SELECT status, body FROM robots").fetchone()
    import zlib

    served = build_site().render("/robots.txt", portal.rstrip("/")).body
    assert status == 200 and zlib.decompress(body) == served


def test_every_sitemap_and_entry_is_stored(portal, db):
    stored = {url: (kind, gz) for url, kind, gz in db.execute("SELECT url, kind, gzipped FROM sitemaps")}
    for sitemap in MANIFEST["sitemaps"]:
        url = url_of(portal, sitemap["path"])
        kind = {"index": "sitemapindex"}.get(sitemap["type"], sitemap["type"])
        assert stored[url] == (kind, int(sitemap["gz"])), url
        entries = [row[0] for row in db.execute(
            "SELECT e.loc FROM sitemap_entries e JOIN sitemaps s ON s.id = e.sitemap_id WHERE s.url = ? "
            "ORDER BY e.rowid", (url,))]
        assert [normalize(e) for e in entries] == [url_of(portal, p) for p in sitemap["entries"]]
    # sitemap-only pages were crawled and marked as found through the sitemap
    via = dict(db.execute("SELECT url, found_via FROM urls"))
    orphans = [p for p, e in PAGES.items() if e["depth"] < 0 and e["in_sitemap"]]
    assert orphans and all(via[url_of(portal, p)] == "sitemap" for p in orphans)


def test_gbk_title_decodes_exactly_and_wrong_charset_is_recorded(portal, db, portal_site):
    got = fetches(db)
    gbk = url_of(portal, "/tzgg/202611/t20261105_4010.html")
    served = build_site().render("/tzgg/202611/t20261105_4010.html", portal.rstrip("/")).body
    expected_title = BeautifulSoup(served.decode("gbk"), "html.parser").title.get_text()
    assert "供暖" in expected_title or len(expected_title) > 5
    assert portal_site.page(gbk).artifacts.title == expected_title
    assert tuple(got[gbk][5:8]) == ("gb18030", "gb18030", "gb18030")
    wrong = url_of(portal, "/tzgg/202610/t20261030_4009.html")
    charset_meta, detected, used = tuple(got[wrong][5:8])
    assert (charset_meta, detected, used) == ("gb18030", "utf-8", "utf-8")
    served = build_site().render("/tzgg/202610/t20261030_4009.html", portal.rstrip("/")).body
    assert portal_site.page(wrong).artifacts.title == BeautifulSoup(served.decode("utf-8"), "html.parser").title.get_text()


def test_large_attachment_is_recorded_without_its_body(portal, db):
    status, _loc, content_type, length, body_size = fetches(db)[url_of(portal, "/files/big-archive.zip")][:5]
    assert status == 200 and content_type.startswith("application/")
    assert length == 3 * 1024 * 1024
    assert body_size < 256 * 1024
