"""The sample portal as an in-memory route table: ``build_site(variant) -> Site``.

Route bodies and header values may hold the placeholders ``{{BASE}}`` (``http://host:port``, no trailing slash)
and ``{{HOST}}`` (host name without port). ``Site.render(target, base)`` (used by the server) resolves a request
target and fills them; gzip bodies are decompressed, filled and recompressed (mtime 0). See MANIFEST.md.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from . import content as c
from .assets import gzip_bytes
from .content_docs import NOTICES, POLICIES
from .content_services import ORPHAN, PERSONAL, SCRIPT_ONLY, Service
from .content_services_biz import BUSINESS, DEPT_ONLY
from .pages import Ctx
from .templates import BASE, HOST, Plant

VARIANTS = (None, "regressed")

# Special paths (also listed in manifest.toml).
MISSING_LINKED = "/zwgk/202604/t20260415_3000.html"  # linked from two policies, answers 404
MISSING_IN_SITEMAP = "/xwzx/202607/t20260701_1000.html"  # listed in sitemaps/news.xml, answers 404
SITEMAP_XML = "/sitemap.xml"  # deliberately absent (404)
ERROR_500 = "/tzgg/error.html"
EMBED = "/bsfw/embed/2012.html"
API_GUIDE = "/api/guide?id=2015"
META_REFRESH = "/bsfw/qyfw.html"
AREA_ONLY = "/zt/yhyshj.html"
UNFRIENDLY_NOTICE = "/tzgg/detail.jsp?id=4011&channelid=38&siteid=1"
# Articles a CMS serves at a name instead of a dated path, without the content meta tags: only a 发布时间 line
# (1015, also listed) or their place in a column's dated list alone (3002) says they are articles.
SLUG_PATHS = {1015: "/xwzx/zwdt/yxsqgzhy.html", 3002: "/zwgk/zcjd/jdyxsjbylbx.html"}
ATTACHMENT_ONLY_PDF = "/files/bsfw/cxjmyl_bszn.pdf"
BAIDU_BLOCKED_ID = 2013
REGRESSED_NOINDEX_ID = 2003
REGRESSED_NO_TITLE_ID = 2019

TEXT_TYPES = ("text/", "application/xml", "application/json", "application/javascript")
GZIP_TYPES = ("application/gzip", "application/x-gzip")


@dataclass(frozen=True)
class Route:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def content_type(self) -> str:
        return self.header("Content-Type") or ""


@dataclass(frozen=True)
class PageInfo:
    kind: str  # home | column | article | service | attachment | redirect | error | other
    name: str = ""  # 事项名称 for services, headline for articles
    section: str = ""  # department (short name) for services


@dataclass(frozen=True)
class SitemapInfo:
    path: str
    type: str  # index | urlset | txt
    gz: bool
    entries: tuple[str, ...]  # paths (child sitemaps for an index)


@dataclass(frozen=True)
class Site:
    variant: str | None
    routes: dict[str, Route]
    pages: dict[str, PageInfo]  # every route plus the declared 404 paths
    sitemaps: tuple[SitemapInfo, ...]
    not_found: Route
    _query_index: dict[tuple[str, tuple[tuple[str, str], ...]], str] = field(
        default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for key in self.routes:
            path, _, query = key.partition("?")
            if query:
                self._query_index[(path, tuple(sorted(parse_qsl(query, keep_blank_values=True))))] = key

    def lookup(self, target: str) -> tuple[str, Route] | None:
        """Find the route for a request target: exact key, same query in another order, then the bare path."""
        if target in self.routes:
            return target, self.routes[target]
        path, _, query = target.partition("?")
        if query:
            key = self._query_index.get((path, tuple(sorted(parse_qsl(query, keep_blank_values=True)))))
            if key is not None:
                return key, self.routes[key]
        if path in self.routes:
            return path, self.routes[path]
        return None

    def render(self, target: str, base: str) -> Route:
        """The concrete response for ``target`` served at ``base`` (``http://host:port``); 404 page if unknown."""
        found = self.lookup(target)
        return fill_placeholders(found[1] if found else self.not_found, base)


def fill_placeholders(route: Route, base: str) -> Route:
    base = base.rstrip("/")
    host = urlsplit(base).hostname or ""
    headers = tuple((k, v.replace(BASE, base).replace(HOST, host)) for k, v in route.headers)
    body = route.body
    ctype = route.content_type.split(";")[0].strip().lower()

    def fill(data: bytes) -> bytes:
        return data.replace(BASE.encode(), base.encode()).replace(HOST.encode(), host.encode())

    if ctype.startswith(TEXT_TYPES):
        body = fill(body)
    elif ctype in GZIP_TYPES and body[:2] == b"\x1f\x8b":
        raw = gzip.decompress(body)
        if b"{{" in raw:
            body = gzip_bytes(fill(raw))
    return Route(route.status, headers, body)


# ---------------------------------------------------------------- paths

def article_path(art: c.Article) -> str:
    if art.id == 4011:
        return UNFRIENDLY_NOTICE
    if art.id in SLUG_PATHS:
        return SLUG_PATHS[art.id]
    d = art.date[:10].replace("-", "")
    return f"/{art.column}/{d[:6]}/t{d}_{art.id}.html"


def service_path(svc: Service) -> str:
    d = svc.date[:10].replace("-", "")
    folder = f"/bsfw/bm/{svc.dept}" if svc.column == "bm" else f"/bsfw/{svc.column}"
    return f"{folder}/{d[:6]}/t{d}_{svc.id}.html"


ALL_SERVICES: tuple[Service, ...] = (*PERSONAL, *BUSINESS, DEPT_ONLY, ORPHAN, SCRIPT_ONLY)
SERVICE_BY_ID: dict[int, Service] = {s.id: s for s in ALL_SERVICES}
ARTICLE_BY_ID: dict[int, c.Article] = {a.id: a for a in (*c.NEWS, *NOTICES, *POLICIES)}


def path_of(id_: int) -> str:
    """Path of an article or service by its CMS id."""
    if id_ in SERVICE_BY_ID:
        return service_path(SERVICE_BY_ID[id_])
    return article_path(ARTICLE_BY_ID[id_])


# ---------------------------------------------------------------- planted defects

LEGACY = Plant(title=c.SITE_NAME, description=c.LEGACY_DESCRIPTION)

ARTICLE_PLANTS: dict[int, Plant] = {
    1025: Plant(h1_tag="div"),
    1024: Plant(jsonld='{"@context": "https://schema.org", "headline": "我市新增三条城乡公交线路", '
                       '"datePublished": "2026-11-11"}'),
    1020: Plant(title="图片新闻_新闻中心_云溪市人民政府"),
    1015: Plant(article_meta=False),
    1012: Plant(canonical="t20261013_1012.html"),
    1008: Plant(lang=False),
    1006: Plant(no_date=True),
    4010: Plant(encoding="gbk", meta_charset="gbk", header_charset=False),
    4009: Plant(meta_charset="gb2312", header_charset=False),
    4008: Plant(title="无标题文档"),
    4006: Plant(pubdate="2026/10/12"),
    4004: LEGACY,
    4002: Plant(no_description=True),
    4001: Plant(title="云溪市人民政府_通知公告_关于开展2026年度资产清查工作的通知"),
    3007: Plant(description="政务公开工作要点"),
    3006: Plant(description=(
        "《云溪市城乡居民基本医疗保险实施办法》全文：适用范围、参保登记、筹资标准、个人缴费、政府补助、"
        "待遇享受、住院报销比例、门诊统筹、大病保险、医疗救助衔接、经办服务和基金监督管理等内容，"
        "自发布之日起施行。")),
    3004: Plant(viewport=False),
    3002: Plant(article_meta=False, no_date=True),
    3003: LEGACY,
}

# Extra HTML appended to article bodies (links that plant redirects, 404s and the 500).
ARTICLE_EXTRA: dict[int, str] = {
    4007: f'<p>维护进度：<a href="{ERROR_500}">系统维护进度</a></p>',
    4005: '<p>岗位表请<a href="/files/tzgg/2026xbn_gwb.xls">点击这里</a>下载。</p>',
    4003: '<p>旧版入口：<a href="/old/bsfw.html">办事服务旧版入口</a></p>',
    3008: f'<p>相关文件：<a href="{MISSING_LINKED}">关于进一步加强基本民生保障的意见</a></p>',
    3005: f'<p>相关文件：<a href="{MISSING_LINKED}">关于进一步加强基本民生保障的意见</a></p>',
}

SERVICE_PLANTS: dict[int, Plant] = {
    2010: Plant(robots="noindex, follow"),
    2011: Plant(x_robots="noindex"),
    2016: Plant(title="社保卡补办_社保卡挂失_社保卡补领_社保卡办理_云溪市人民政府"),
    2018: Plant(canonical=f"{BASE}/bsfw/grbs/"),
    2026: Plant(no_title=True),
}
REGRESSED_PLANTS: dict[int, Plant] = {
    REGRESSED_NOINDEX_ID: Plant(robots="noindex"),
    REGRESSED_NO_TITLE_ID: Plant(no_title=True),
}
SERVICE_MODES: dict[int, str] = {2012: "iframe", 2014: "attachment", 2015: "js", 2017: "incomplete"}

HOME_NEWS, HOME_NOTICES, HOME_POLICIES = 7, 6, 5
NEWS_LISTED = 25  # the CMS list shows 25 news items; older ones only via 下一篇
POPULAR = (2002, 2003, 2004, 2005, 2007, 2001, 2019, 2020)
QUICK = POPULAR


def build_site(variant: str | None = None) -> Site:
    """Build the whole portal in memory. ``variant="regressed"`` plants two regressions (see manifest)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {VARIANTS}")
    from .builder import SiteBuilder  # local import: builder imports this module

    service_plants = dict(SERVICE_PLANTS)
    if variant == "regressed":
        service_plants.update(REGRESSED_PLANTS)
    ctx = Ctx(quick=tuple((SERVICE_BY_ID[i].name, path_of(i)) for i in QUICK))
    builder = SiteBuilder(ctx, service_plants)
    builder.build()
    return Site(variant, builder.routes, builder.pages, tuple(builder.sitemaps), builder.not_found)


__all__ = ["PageInfo", "Route", "Site", "SitemapInfo", "build_site"]
