"""The sample portal serves, over real HTTP, exactly what govseo/sample_portal/manifest.toml declares.

Everything here is re-derived independently of the portal's own code: pages are fetched with urllib (no
redirect following), HTML is parsed with BeautifulSoup(html.parser), robots.txt with Protego, sitemaps with
ElementTree, and click depths come from a fresh 0-1 BFS over the served links.
"""

from __future__ import annotations

import difflib
import gzip
import http.client
import json
import re
import subprocess
import sys
import unicodedata
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from protego import Protego

from govseo.sample_portal import build_site, load_manifest, manifest_gen, serve_portal

M = load_manifest()
PAGES: dict[str, dict] = {p["path"]: p for p in M["pages"]}
SITE_NAME = M["site"]["name"]
BIG = "/files/big-archive.zip"
SM_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
GENERIC_LINK_TEXT = {"更多", "更多>>", "更多>", "点击这里", "点击进入", "详情", "查看详情", "进入", ">>", "这里",
                     "more", "click here"}
BOILERPLATE = ".topbar, .header, .navbar, .footer, .position, .sidebar, script, style"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, method: str = "GET", user_agent: str | None = None) -> tuple[int, Message, bytes]:
    headers = {"User-Agent": user_agent} if user_agent else {}
    try:
        with OPENER.open(urllib.request.Request(url, method=method, headers=headers), timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def decode_html(body: bytes, content_type: str) -> str:
    """Header charset, else the <meta> charset, strictly; UTF-8 when the declaration is wrong."""
    m = re.search(r"charset=([\w-]+)", content_type) or re.search(rb"charset=[\"']?([\w-]+)", body[:1024])
    declared = m.group(1) if m else "utf-8"
    declared = declared.decode() if isinstance(declared, bytes) else declared
    try:
        return body.decode(declared)
    except UnicodeDecodeError:
        return body.decode("utf-8")


@dataclass
class Fetched:
    path: str
    status: int
    headers: Message
    body: bytes
    soup: BeautifulSoup | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, absolute url)
    _main: str | None = None

    @property
    def ctype(self) -> str:
        return self.headers.get("Content-Type", "")

    def meta(self, name: str) -> str | None:
        assert self.soup is not None
        tag = self.soup.find("meta", attrs={"name": name})
        return tag.get("content") if tag else None

    def title(self) -> str | None:
        assert self.soup is not None
        return self.soup.title.get_text() if self.soup.title else None

    def main_text(self) -> str:
        """Body text without header, navigation, breadcrumb, sidebar and footer (cached)."""
        if self._main is None:
            soup = BeautifulSoup(str(self.soup.body), "html.parser") if self.soup else None
            for tag in soup.select(BOILERPLATE) if soup else ():
                tag.decompose()
            self._main = re.sub(r"\s+", "", soup.get_text()) if soup else ""
        return self._main


@dataclass
class Crawl:
    base: str
    pages: dict[str, Fetched]
    depth: dict[str, int]
    inlinks: dict[str, set[str]]
    externals: set[str]
    baidu: dict[str, tuple[int, bytes]] = field(default_factory=dict)    # HTML pages fetched as Baiduspider


def key_of(base: str, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != base:
        return None
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawl() -> Crawl:
    with serve_portal() as url:
        base = url.rstrip("/")
        pages: dict[str, Fetched] = {}
        baidu: dict[str, tuple[int, bytes]] = {}
        for path in PAGES:
            status, headers, body = fetch(base + path, "HEAD" if path == BIG else "GET")
            page = pages[path] = Fetched(path, status, headers, body)
            if status == 200 and page.ctype.startswith("text/html"):
                baidu[path] = fetch(base + path, user_agent=BAIDUSPIDER)[::2]
                page.soup = BeautifulSoup(decode_html(body, page.ctype), "html.parser")
                for tag, attr in (("a", "href"), ("area", "href"), ("iframe", "src"), ("frame", "src"),
                                  ("img", "src"), ("link", "href"), ("script", "src")):
                    for el in page.soup.find_all(tag):
                        if el.get(attr) is not None:
                            page.links.append((tag, urljoin(base + path, el[attr].strip())))
                for el in page.soup.find_all("meta", attrs={"http-equiv": re.compile("refresh", re.I)}):
                    target = re.search(r"url=(\S+)", el["content"], re.I)
                    page.links.append(("refresh", urljoin(base + path, target.group(1))))
    depth, inlinks, externals = {"/": 0}, {}, set()
    queue = deque(["/"])
    while queue:
        node = queue.popleft()
        page = pages[node]
        hops: list[tuple[str, int]] = []
        if 300 <= page.status < 400:
            hops.append((key_of(base, urljoin(base + node, page.headers["Location"])), 0))
        for tag, link in page.links:
            target = key_of(base, link)
            if target is None:
                if link.startswith("http"):
                    externals.add(link)
                continue
            if tag in ("a", "area", "iframe", "frame"):
                inlinks.setdefault(target, set()).add(node)
            if tag in ("a", "area", "iframe", "frame", "refresh"):
                hops.append((target, 1))
        for target, cost in hops:
            assert target in PAGES, f"{node} links {target}, which the manifest does not declare"
            if depth[node] + cost < depth.get(target, 1 << 30):
                depth[target] = depth[node] + cost
                (queue.appendleft if cost == 0 else queue.append)(target)
    return Crawl(base, pages, depth, inlinks, externals, baidu)


def html_pages(crawl: Crawl) -> list[Fetched]:
    return [p for p in crawl.pages.values() if p.soup is not None]


# ---------------------------------------------------------------- the site object and the manifest file

def test_build_is_deterministic_and_variant_differs_only_where_declared() -> None:
    one, two = build_site(), build_site()
    assert one == two and one.routes == two.routes
    regressed = build_site("regressed")
    changed = {p for p in one.routes if one.routes[p] != regressed.routes[p]}
    assert changed == {c["path"] for c in M["variants"]["regressed"]["changed"]}
    assert set(regressed.routes) == set(one.routes)
    with pytest.raises(ValueError):
        build_site("nope")


def test_manifest_declares_every_route_and_nothing_else() -> None:
    site = build_site()
    declared_404 = {p for p, e in PAGES.items() if e["status"] == 404}
    assert set(PAGES) == set(site.routes) | declared_404
    assert not declared_404 & set(site.routes)
    for path, route in site.routes.items():
        assert PAGES[path]["status"] == route.status, path
    assert 70 <= len(PAGES) <= 150
    assert {e["kind"] for e in PAGES.values()} <= {"home", "column", "article", "service", "attachment",
                                                   "redirect", "error", "other"}


def test_generated_manifest_block_is_current() -> None:
    text = Path(manifest_gen.__file__).with_name("manifest.toml").read_text(encoding="utf-8")
    assert manifest_gen.current_block(text) == manifest_gen.generate(build_site())


# ---------------------------------------------------------------- over HTTP

def test_statuses_headers_and_bodies(crawl: Crawl) -> None:
    for path, entry in PAGES.items():
        page = crawl.pages[path]
        assert page.status == entry["status"], path
        if path != BIG:
            assert int(page.headers["Content-Length"]) == len(page.body), path
        if page.status == 404:
            assert page.ctype.startswith("text/html") and b"404" in page.body
        assert b"{{BASE}}" not in page.body and b"{{HOST}}" not in page.body, f"unfilled placeholder: {path}"
        assert "{{" not in page.headers.get("Location", ""), path


def test_redirect_hops(crawl: Crawl) -> None:
    for r in M["redirects"]:
        page = crawl.pages[r["from"]]
        assert page.status == r["status"] == PAGES[r["from"]]["status"]
        assert page.headers["Location"] == r["location"].replace("{{BASE}}", crawl.base)
        assert key_of(crawl.base, urljoin(crawl.base + r["from"], page.headers["Location"])) == r["to"]
    assert {p for p, e in PAGES.items() if e["kind"] == "redirect"} == {r["from"] for r in M["redirects"]}
    # /old/bsfw.html takes two hops; /loop/a.html comes back to itself.
    assert crawl.pages["/bsfw/redirect.html"].headers["Location"] == "/bsfw/grbs/"
    refresh = crawl.pages[M["meta_refresh"]["from"]].soup.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == M["meta_refresh"]["content"]


def test_links_resolve_externals_and_depths(crawl: Crawl) -> None:
    assert crawl.externals == set(M["site"]["externals"])
    for path, entry in PAGES.items():
        assert crawl.depth.get(path, -1) == entry["depth"], path
    assert max(crawl.depth.values()) == 6
    for page in html_pages(crawl):  # also pages the BFS never reaches (orphan, search, …)
        for _, link in page.links:
            target = key_of(crawl.base, link)
            assert target in PAGES if target else not link.startswith("http") or link in crawl.externals, link
        n_links = len(page.soup.find_all("a"))
        if PAGES[page.path]["kind"] in ("home", "column", "article", "service"):
            assert 35 <= n_links <= 80, (page.path, n_links)


def _robots(crawl: Crawl) -> Protego:
    return Protego.parse(crawl.pages["/robots.txt"].body.decode("utf-8"))


def test_robots_txt(crawl: Crawl) -> None:
    rp = _robots(crawl)
    assert list(rp.sitemaps) == [crawl.base + p for p in M["robots"]["sitemaps"]]
    for agent, blocked in M["robots"]["blocked"].items():
        ua = "govseo/0.1 (+https://example.invalid)" if agent == "govseo" else agent
        for path in PAGES:
            assert rp.can_fetch(crawl.base + path, ua) == (path not in blocked), (agent, path)
        assert not rp.can_fetch(crawl.base + "/admin/login.html", ua)
    groups = crawl.pages["/robots.txt"].body.decode().split("User-agent:")[1:]
    assert len(groups) == len(M["robots"]["groups"])


def _sitemap_paths(crawl: Crawl, sm: dict) -> list[str]:
    page = crawl.pages[sm["path"]]
    body = page.body
    if sm["gz"]:
        assert page.ctype in ("application/gzip", "application/x-gzip")
        assert page.headers.get("Content-Encoding") is None and body[:2] == b"\x1f\x8b"
        body = gzip.decompress(body)
    if sm["type"] == "txt":
        urls = body.decode("utf-8").split()
    else:
        root = ET.fromstring(body)
        assert root.tag == SM_NS + ("sitemapindex" if sm["type"] == "index" else "urlset")
        urls = [loc.text for loc in root.iter(SM_NS + "loc")]
    assert all(u.startswith(crawl.base + "/") for u in urls), sm["path"]
    return [key_of(crawl.base, u) for u in urls]


def test_sitemaps(crawl: Crawl) -> None:
    listed: set[str] = set()
    for sm in M["sitemaps"]:
        paths = _sitemap_paths(crawl, sm)
        assert paths == sm["entries"], sm["path"]
        if sm["type"] != "index":
            listed |= set(paths)
    index = next(sm for sm in M["sitemaps"] if sm["type"] == "index")
    assert index["path"] == M["site"]["sitemap_index"]
    assert set(index["entries"]) == {sm["path"] for sm in M["sitemaps"] if sm["type"] != "index"}
    for path, entry in PAGES.items():
        assert entry["in_sitemap"] == (path in listed), path
    assert crawl.pages["/sitemap.xml"].status == 404
    orphans = {p for p in listed if p not in crawl.inlinks}
    assert orphans == {"/bsfw/grbs/202610/t20261015_2030.html", "/xwzx/202607/t20260701_1000.html"}


def test_charsets(crawl: Crawl) -> None:
    gbk = crawl.pages["/tzgg/202611/t20261105_4010.html"]
    assert gbk.ctype == "text/html" and b'charset=gbk"' in gbk.body
    with pytest.raises(UnicodeDecodeError):
        gbk.body.decode("utf-8")
    assert gbk.title() == "关于做好2026年冬季供暖工作的通知_通知公告_云溪市人民政府"
    assert "《关于做好2026年冬季供暖工作的通知》" in gbk.body.decode("gbk")
    mismatch = crawl.pages["/tzgg/202610/t20261030_4009.html"]
    assert mismatch.ctype == "text/html" and b"charset=gb2312" in mismatch.body
    mismatch.body.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        mismatch.body.decode("gb2312")
    for page in html_pages(crawl):
        if page not in (gbk, mismatch):
            assert page.ctype == "text/html; charset=utf-8", page.path
            page.body.decode("utf-8")


def test_non_html_resources(crawl: Crawl) -> None:
    magic = {"application/pdf": b"%PDF-1.4", "image/png": b"\x89PNG\r\n\x1a\n",
             "application/msword": b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel": b"\xd0\xcf\x11\xe0"}
    for page in crawl.pages.values():
        if page.ctype in magic:
            assert page.body.startswith(magic[page.ctype]), page.path
        if page.ctype == "application/pdf":
            assert page.body.rstrip().endswith(b"%%EOF")
    big = crawl.pages[BIG]
    assert big.ctype == "application/zip" and int(big.headers["Content-Length"]) == 3 * 1024 * 1024
    assert big.body == b""
    data = json.loads(crawl.pages["/api/guide?id=2015"].body)
    assert data["id"] == 2015 and any(row[0] == "办理材料" for row in data["rows"])


def test_server_protocol_details() -> None:
    with serve_portal() as url:
        host, port = urlsplit(url).hostname, urlsplit(url).port
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request("HEAD", "/")
        head = conn.getresponse()
        assert head.status == 200 and head.read() == b"" and int(head.headers["Content-Length"]) > 1000
        for _ in range(2):  # keep-alive: several requests on one connection
            conn.request("GET", "/xwzx/")
            resp = conn.getresponse()
            assert resp.status == 200 and len(resp.read()) == int(resp.headers["Content-Length"])
        conn.request("GET", "/tzgg/detail.jsp?siteid=1&id=4011&channelid=38")  # same params, other order
        assert conn.getresponse().status == 200
        conn.close()
        # A client that hangs up in the middle of the large download does not hurt the server.
        big = http.client.HTTPConnection(host, port, timeout=10)
        big.request("GET", BIG)
        assert big.getresponse().read(1024)
        big.close()
        status, headers, body = fetch(url + "no/such/page.html")
        assert status == 404 and headers["Content-Type"].startswith("text/html") and "页面不存在" in body.decode()
        assert fetch(url + "api/guide?id=9")[0] == 404
        assert fetch(url + "xwzx/?from=home")[0] == 200


def test_server_is_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    with serve_portal() as url:
        fetch(url)
        fetch(url + "missing.html")
        fetch(url + "tzgg/error.html")
    assert capfd.readouterr().err == ""


def test_command_line_entry_point() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "govseo.sample_portal", "--variant", "regressed"],
                            stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
        status, _, body = fetch(url + "bsfw/qybs/202609/t20260928_2019.html")
        assert status == 200 and b"<title>" not in body
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_regressed_variant_over_http() -> None:
    with serve_portal("regressed") as url:
        noindex = BeautifulSoup(fetch(url + "bsfw/grbs/202609/t20260916_2003.html")[2], "html.parser")
        assert noindex.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        untitled = BeautifulSoup(fetch(url + "bsfw/qybs/202609/t20260928_2019.html")[2], "html.parser")
        assert untitled.title is None and untitled.h1.get_text() == "个体工商户设立登记"


# ---------------------------------------------------------------- page facts, planted defects, clean pages

RULE_IDS = set("""http-error broken-link redirect-chain meta-refresh robots-blocked noindex canonical-problem
js-dependent-content frame-content engine-blocked attachment-only charset-mismatch title-missing title-duplicate title-generic
title-length title-stuffing title-pattern description-missing description-duplicate description-length
h1-missing title-h1-mismatch keyword-stuffing keyword-focus thin-content near-duplicate link-text-generic
image-alt-missing url-unfriendly mobile-missing lang-missing publish-date-missing structured-data-invalid
robots-txt-missing robots-txt-invalid robots-blocks-engine sitemap-missing sitemap-invalid sitemap-bad-url
not-in-sitemap orphan-page deep-page weak-internal-links gov-meta-missing gov-meta-invalid site-identity-missing
service-guide-incomplete service-hard-to-find service-vocabulary-gap service-search-rank query-unanswered""".split())
BAIDUSPIDER = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
SITE_META = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_META = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
CONTENT_META = ("ArticleTitle", "PubDate", "ContentSource")
GUIDE_LABELS = ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话")
EVERYDAY = {"交通违法": "违章", "社会保障卡": "社保", "住房公积金": "公积金", "机动车驾驶证": "驾照", "户籍": "户口",
            "生育津贴": "产假工资", "灵活就业人员参保": "自己交社保", "临时救助": "困难补助"}
GENERIC_TITLES = {SITE_NAME, "首页", "无标题", "无标题文档", "标题", "Untitled"}
PUBDATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class View:
    """One manifest path seen through the crawl, with the accessors the simplified rule checks need."""

    def __init__(self, crawl: Crawl, rp: Protego, path: str) -> None:
        self.c, self.rp, self.path, self.entry = crawl, rp, path, PAGES[path]
        self.page = crawl.pages[path]
        self.html = self.page.soup is not None
        self.soup = self.page.soup or BeautifulSoup("", "html.parser")
        self.title = self.page.title() if self.html else None
        h1s = self.soup.find_all("h1")
        self.h1s, self.h1 = len(h1s), (h1s[0].get_text(strip=True) if h1s else "")
        self.desc = self.page.meta("description") if self.html else None
        self.main = self.page.main_text()
        self.service, self.kind = self.entry["service"], self.entry["kind"]

    def meta(self, name: str) -> str | None:
        return self.page.meta(name) if self.html else None

    def others(self) -> list[View]:
        return [View(self.c, self.rp, q) for q, e in PAGES.items() if e["indexable"] and q != self.path]

    def engine_blocked(self) -> bool:
        """Baiduspider's User-Agent gets the gateway's challenge where the crawl got the page."""
        status, body = self.c.baidu.get(self.path, (None, b""))
        gate = M["gateway"]
        return self.page.status == 200 and status == gate["status"] and gate["marker"].encode() in body

    def blocked(self) -> bool:
        return any(not self.rp.can_fetch(self.c.base + self.path, ua) for ua in ("Baiduspider", "Googlebot"))

    def noindex(self) -> bool:
        meta = " ".join(m.get("content", "") for m in self.soup.find_all(
            "meta", attrs={"name": re.compile("^(robots|googlebot|baiduspider)$", re.I)}))
        return "noindex" in (meta + self.page.headers.get("X-Robots-Tag", "")).lower()

    def refresh(self) -> bool:
        return self.soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}) is not None

    def indexable(self) -> bool:
        canonicals = [urljoin(self.c.base + self.path, x["href"]) for x in self.soup.find_all("link", rel="canonical")]
        return (self.html and self.page.status == 200 and not self.blocked()
                and not self.noindex() and not self.refresh()
                and all(u == self.c.base + self.path for u in canonicals))

    def hops(self) -> tuple[int, bool]:
        seen, node = [self.path], self.path
        while self.c.pages[node].status in (301, 302):
            node = key_of(self.c.base, urljoin(self.c.base + node, self.c.pages[node].headers["Location"]))
            if node in seen:
                return len(seen), True
            seen.append(node)
        return len(seen) - 1, False

    def bad_jsonld(self) -> bool:
        for tag in self.soup.find_all("script", type="application/ld+json"):
            try:
                if "@type" not in json.loads(tag.string or ""):
                    return True
            except ValueError:
                return True
        return False

    def near_duplicate(self) -> bool:
        for other in self.others() if self.entry["indexable"] else []:
            m = difflib.SequenceMatcher(None, self.main, other.main, autojunk=False)
            if m.real_quick_ratio() >= 0.9 and m.quick_ratio() >= 0.9 and m.ratio() >= 0.9:
                return True
        return False

    def attachment_only(self) -> bool:
        return self.service and "办理材料" not in self.main and any(
            u.endswith((".pdf", ".doc", ".xls")) for _, u in self.page.links)

    def vocabulary_gap(self) -> bool:
        text = f"{self.title}{self.h1}{self.desc}"
        return self.service and any(f in text and e not in text for f, e in EVERYDAY.items())

    def gov_meta_missing(self) -> bool:
        need = SITE_META + (COLUMN_META if self.kind == "column" else ())
        need += CONTENT_META if self.kind in ("article", "service") else ()
        return self.html and any(not self.meta(n) for n in need)

    def gov_meta_invalid(self) -> bool:
        pubdate, code, domain = self.meta("PubDate"), self.meta("SiteIDCode"), self.meta("SiteDomain")
        return bool((pubdate and not PUBDATE.fullmatch(pubdate))
                    or (code and not re.fullmatch(r"bm\d{8}|\d{10}", code))
                    or (domain and domain != urlsplit(self.c.base).hostname))

    def bad_sitemap_entry(self) -> bool:
        entries = [q for sm in M["sitemaps"] if sm["path"] == self.path and sm["type"] != "index"
                   for q in sm["entries"]]
        return any(PAGES[q]["status"] != 200 or not PAGES[q]["indexable"] or View(self.c, self.rp, q).blocked()
                   for q in entries)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


CHECKS: dict[str, Callable[[View], bool]] = {
    "http-error": lambda v: v.page.status >= 400,
    "broken-link": lambda v: any(PAGES.get(key_of(v.c.base, u) or "", {}).get("status", 200) >= 400
                                 for _, u in v.page.links),
    "redirect-chain": lambda v: v.hops()[0] >= 2 or v.hops()[1],
    "meta-refresh": lambda v: v.refresh(),
    "robots-blocked": lambda v: v.blocked(),
    "robots-blocks-engine": lambda v: v.path == "/robots.txt" and any(
        View(v.c, v.rp, q).blocked() for q, e in PAGES.items() if e["service"]),
    "noindex": lambda v: v.noindex(),
    "canonical-problem": lambda v: any(not x["href"].startswith("http") for x in v.soup.find_all("link", rel="canonical")),
    "js-dependent-content": lambda v: v.soup.find(id="guide-app") is not None
    and not v.soup.find(id="guide-app").get_text(strip=True),
    "engine-blocked": lambda v: v.engine_blocked(),
    "frame-content": lambda v: v.soup.find("iframe") is not None and "办理材料" not in v.main,
    "attachment-only": lambda v: v.attachment_only(),
    "charset-mismatch": lambda v: v.html and "charset" not in v.page.ctype and b"charset=gb2312" in v.page.body
    and decode_html(v.page.body, "") == v.page.body.decode(),
    "title-missing": lambda v: v.html and not v.title,
    "title-duplicate": lambda v: v.entry["indexable"] and any(o.title == v.title for o in v.others()),
    "title-generic": lambda v: v.kind != "home" and v.title in GENERIC_TITLES,
    "title-length": lambda v: bool(v.title) and not 8 <= width(v.title) <= 64,
    "title-stuffing": lambda v: bool(re.search(r"(\w{3}).*\1.*\1", (v.title or "").replace(SITE_NAME, ""))),
    "title-pattern": lambda v: v.kind != "home" and bool(v.title)
    and not (v.title.startswith(v.h1 or "\0") and v.title.endswith(SITE_NAME)),
    "description-missing": lambda v: v.html and not v.desc,
    "description-duplicate": lambda v: v.entry["indexable"] and any(o.desc == v.desc for o in v.others()),
    "description-length": lambda v: bool(v.desc) and not 40 <= width(v.desc) <= 160,
    "h1-missing": lambda v: v.html and v.h1s != 1,
    "title-h1-mismatch": lambda v: bool(v.h1 and v.title)
    and not _bigrams(v.title.replace(SITE_NAME, "")) & _bigrams(v.h1),
    "keyword-stuffing": lambda v: max(Counter(v.main[i:i + 4] for i in range(len(v.main) - 3)).values(),
                                      default=0) >= 20,
    "thin-content": lambda v: v.html and len(v.main) < 150,
    "near-duplicate": lambda v: v.near_duplicate(),
    "link-text-generic": lambda v: any(a.get_text(strip=True).lower() in GENERIC_LINK_TEXT
                                       for a in v.soup.find_all("a")),
    "image-alt-missing": lambda v: any(not img.has_attr("alt") for img in v.soup.find_all("img")),
    "url-unfriendly": lambda v: len(v.path) > 115 or v.path.count("=") >= 3 or " " in v.path,
    "mobile-missing": lambda v: v.html and v.soup.find("meta", attrs={"name": "viewport"}) is None,
    "lang-missing": lambda v: v.html and not v.soup.html.get("lang"),
    "publish-date-missing": lambda v: v.kind in ("article", "service") and not v.meta("PubDate")
    and not DATE.search(v.main),
    "structured-data-invalid": lambda v: v.bad_jsonld(),
    "sitemap-bad-url": lambda v: v.bad_sitemap_entry(),
    "not-in-sitemap": lambda v: v.entry["indexable"] and v.entry["depth"] >= 0 and not v.entry["in_sitemap"],
    "orphan-page": lambda v: v.entry["in_sitemap"] and v.path not in v.c.inlinks,
    "deep-page": lambda v: v.entry["depth"] > (3 if v.service else 5),
    # fewer than 2 linking pages, or (a proxy for the bottom 10% of PageRank) 3+ clicks deep
    "weak-internal-links": lambda v: v.service and (len(v.c.inlinks.get(v.path, set()) - {v.path}) < 2
                                                    or v.entry["depth"] >= 3 or v.entry["depth"] < 0),
    # none of the body's five most frequent CJK bigrams is in the title
    "keyword-focus": lambda v: v.kind in ("article", "service") and bool(v.title) and not any(bigram in v.title.replace(SITE_NAME, "") for bigram, _ in Counter(
        v.main[i:i + 2] for i in range(len(v.main) - 1)
        if all("\u4e00" <= ch <= "\u9fff" for ch in v.main[i:i + 2])).most_common(5)),
    "gov-meta-missing": lambda v: v.gov_meta_missing(),
    "gov-meta-invalid": lambda v: v.gov_meta_invalid(),
    "service-guide-incomplete": lambda v: v.service and any(label not in v.main for label in GUIDE_LABELS),
    "service-vocabulary-gap": lambda v: v.vocabulary_gap(),
    # a guide without a title cannot lead the results for its own name and key terms
    "service-search-rank": lambda v: v.service and not v.title,
    "service-hard-to-find": lambda v: v.service and (not v.entry["indexable"] or v.blocked() or v.attachment_only()
                                                     or v.engine_blocked()
                                                     or v.soup.find("iframe") is not None
                                                     or v.soup.find(id="guide-app") is not None
                                                     # demoted: unlinked, 4+ clicks deep, no or stuffed title
                                                     or v.entry["depth"] < 0 or v.entry["depth"] > 3
                                                     or not v.title or CHECKS["title-stuffing"](v)),
}


def test_rule_ids_are_known() -> None:
    assert {d["rule"] for d in M["defects"]} | set(M["site"]["clean_site_rules"]) <= RULE_IDS
    assert {d["rule"] for d in M["defects"]} <= set(CHECKS) <= RULE_IDS


def test_indexable_service_and_section_flags(crawl: Crawl) -> None:
    rp = _robots(crawl)
    for path, entry in PAGES.items():
        view = View(crawl, rp, path)
        assert view.indexable() == entry["indexable"], path
        if entry["service"]:
            assert entry["kind"] == "service" and view.meta("ArticleTitle") == entry["name"], path
            assert view.meta("ContentSource") == "云溪" + entry["section"], path
        else:
            assert entry["section"] == "" and "name" not in entry, path


def test_service_breadcrumbs_name_the_department_in_both_styles(crawl: Crawl) -> None:
    """个人办事 guides end their trail with the page's own name (whole, with 办事指南, or cut with …), the
    others with the department: the crumb above the page is the department either way."""
    styles = Counter()
    for path, entry in PAGES.items():
        if not entry["service"] or crawl.pages[path].soup is None:
            continue
        trail = crawl.pages[path].soup.select_one(".position").get_text()
        crumbs = [c.strip() for c in trail.split("：", 1)[1].split(">")]
        assert crumbs[0] == "首页" and crumbs[1] == "办事服务", path
        if crumbs[-1] == entry["section"]:
            styles["column"] += 1
        else:
            own = crumbs[-1].removesuffix("办事指南").removesuffix("…")
            assert crumbs[-2] == entry["section"] and own and entry["name"].startswith(own), (path, crumbs)
            last = crumbs[-1]
            styles["own " + ("whole" if last == entry["name"] else "cut" if last.endswith("…") else "guide")] += 1
    assert set(styles) == {"column", "own whole", "own cut", "own guide"}, styles


def test_planted_defects_are_present(crawl: Crawl) -> None:
    rp = _robots(crawl)
    for defect in M["defects"]:
        assert CHECKS[defect["rule"]](View(crawl, rp, defect["path"])), defect


def test_clean_pages_have_no_defect(crawl: Crawl) -> None:
    rp = _robots(crawl)
    assert len(M["clean"]) >= 10
    for path in (c["path"] for c in M["clean"]):
        v = View(crawl, rp, path)
        fired = [rule for rule, check in CHECKS.items() if rule != "robots-blocks-engine" and check(v)]
        assert not fired, (path, fired)
        assert v.entry["indexable"] and v.entry["in_sitemap"] and v.soup.html["lang"] == "zh-CN"
        assert [x["href"] for x in v.soup.find_all("link", rel="canonical")] == [crawl.base + path]
        assert v.meta("SiteIDCode") == M["site"]["site_id_code"]
        if v.kind == "home":
            assert v.title == v.h1 == M["site"]["full_name"]
            footer = v.soup.select_one(".footer").get_text()
            assert all(M["site"][k] in footer for k in ("site_id_code", "icp", "psb", "sponsor"))
        if v.kind in ("article", "service"):
            assert DATE.search(v.soup.select_one(".info").get_text())
        if v.service:
            assert len(crawl.inlinks[path] - {path}) >= 2


def test_variant_changes_hit_clean_pages() -> None:
    clean = {c["path"] for c in M["clean"]}
    for change in M["variants"]["regressed"]["changed"]:
        assert change["path"] in clean and PAGES[change["path"]]["service"]


def test_gateway_challenges_baiduspider_only(crawl: Crawl) -> None:
    """The gateway path: Baiduspider (and Baiduspider-render) get the 412 challenge, a browser and Googlebot
    the guide; every other page is the same for Baiduspider as for a browser."""
    gate = M["gateway"]
    changed = {p for p, (status, body) in crawl.baidu.items() if (status, body) != (200, crawl.pages[p].body)}
    assert changed == set(gate["paths"])
    with serve_portal() as url:
        _check_gateway(url.rstrip("/"), gate)


def _check_gateway(base: str, gate: dict) -> None:
    path = gate["paths"][0]
    browser = fetch(base + path, user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36")
    assert browser[0] == 200 and b"$_ts" not in browser[2] and PAGES[path]["name"].encode() in browser[2]
    for agent in (BAIDUSPIDER, BAIDUSPIDER.replace("Baiduspider/", "Baiduspider-render/")):
        status, _, body = fetch(base + path, user_agent=agent)
        assert status == 412 and b"$_ts" in body and PAGES[path]["name"].encode() not in body
    assert fetch(base + path, user_agent="Mozilla/5.0 (compatible; Googlebot/2.1)")[0] == 200
