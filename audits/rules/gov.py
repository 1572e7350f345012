"""Government compliance (网页设计规范, 检查指标): gov-meta-missing, gov-meta-invalid, site-identity-missing,
service-guide-incomplete."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from audits.model import Finding, Rule, Text, pages_of_kind
from audits.pagetype import COLUMN_URL, GUIDE_ELEMENTS
from audits.rules.rendering import guide_elsewhere, guide_text
from audits.site import Page, Site

# Pages a CMS renders from a column (list) template: a directory, index_N or list_N URL.


def home_page(site: Site) -> Page | None:
    """The first start URL's page, following redirects and meta refreshes (at most 5 hops)."""
    page = site.page(site.home)
    for _ in range(5):
        if page is None:
            return None
        hops = [link.target for link in site.outlinks.get(page.id, ())
                if link.tag == "redirect" or (link.tag == "meta-refresh" and page.artifacts is not None
                                              and page.artifacts.redirects)]
        if page.ok_html:
            return page
        if not hops:
            return None
        page = site.pages.get(hops[0])
    return page if page is not None and page.ok_html else None


# ---------------------------------------------------------------- gov-meta-missing
def _required(site: Site, page: Page, params: dict[str, Any]) -> list[str]:
    kind = site.kind(page)
    art = page.artifacts
    need = list(params["site_tags"])
    path = urlsplit(page.url).path or "/"
    if kind == "column" and art is not None and (COLUMN_URL.search(path) or art.meta_value("columnname")):
        need += params["column_tags"]
    elif kind in ("article", "service"):
        need += params["content_tags"]
    return need


def check_missing(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        art = page.artifacts
        assert art is not None
        missing = [tag for tag in _required(site, page, params) if not art.meta_value(tag)]
        if missing:
            yield Finding(MISSING.id, page.url,
                          Text(f"缺少网页设计规范要求的 meta 标签：{'、'.join(missing)}",
                               f"missing 网页设计规范 meta tags: {', '.join(missing)}"),
                          {"missing": missing, "kind": site.kind(page)})


MISSING = Rule(
    id="gov-meta-missing", category="gov", severity="warning", scope="page",
    title=Text("页面有网页设计规范要求的 meta 标签", "Pages carry the required government meta tags"),
    failure=Text("缺少网页设计规范要求的 meta 标签", "Required government meta tags missing"),
    why=Text("《政府网站发展指引》附件《政府网站网页设计规范》要求每个页面标注站点信息（SiteName、SiteDomain、SiteIDCode），"
             "栏目页标注栏目信息，文章页标注 ArticleTitle、PubDate、ContentSource，供全国政府网站信息资源汇聚和搜索使用。",
             "The government website design specification (国办发〔2017〕47号) requires site tags on every page, "
             "column tags on column pages and ArticleTitle/PubDate/ContentSource on content pages; national "
             "government search and aggregation read them."),
    fix=Text("在内容管理系统的页面模板 <head> 中统一输出这些标签，例如 <meta name=\"SiteName\" content=\"某某市人民政府\">、"
             "<meta name=\"PubDate\" content=\"2026-11-03 09:30\">，内容由系统字段自动填写。",
             "Emit the tags from the CMS templates' <head>, e.g. <meta name=\"SiteName\" content=\"…\"> and "
             "<meta name=\"PubDate\" content=\"2026-11-03 09:30\">, filled from CMS fields."),
    source="GOV", check=check_missing,
    params={"site_tags": ["SiteName", "SiteDomain", "SiteIDCode"],
            "column_tags": ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"],
            "content_tags": ["ArticleTitle", "PubDate", "ContentSource"]}, local=True, jurisdiction="cn-gov",
)


# ---------------------------------------------------------------- gov-meta-invalid
_SITE_ID = re.compile(r"(bm\d{8}|\d{10})", re.I)
_PUBDATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")
_CONSISTENT = ("SiteName", "SiteIDCode")


def _majorities(site: Site, pages: list[Page]) -> dict[str, str]:
    result = {}
    home = home_page(site)
    for tag in _CONSISTENT:
        counts = Counter(v for p in pages if p.artifacts and (v := p.artifacts.meta_value(tag)))
        if len(counts) > 1:
            top = max(counts.values())
            leaders = sorted(v for v, n in counts.items() if n == top)
            home_value = home.artifacts.meta_value(tag) if home and home.artifacts else None
            result[tag] = home_value if home_value in leaders else leaders[0]
    return result


def _hosts(value: str) -> set[str]:
    """Host names in a SiteDomain value ("a.gov.cn,b.gov.cn" happens), scheme, port and a leading www. dropped."""
    hosts = set()
    for part in re.split(r"[\s,，;；|]+", value.strip().lower()):
        if part:
            host = urlsplit(part if "//" in part else "//" + part).hostname or part
            hosts.add(host.rstrip(".").removeprefix("www."))
    return hosts


def check_invalid(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    pages = site.html_pages()
    majority = _majorities(site, pages)
    for page in pages:
        art = page.artifacts
        assert art is not None
        problems: list[dict[str, str]] = []
        code = art.meta_value("SiteIDCode")
        if code and not _SITE_ID.fullmatch(code.strip()):
            problems.append({"tag": "SiteIDCode", "value": code, "expected": "bm + 8 位数字，或 10 位数字"})
        pubdate = art.meta_value("PubDate")
        if pubdate and not _PUBDATE.fullmatch(pubdate.strip()):
            problems.append({"tag": "PubDate", "value": pubdate, "expected": "YYYY-MM-DD HH:MM[:SS]"})
        domain = art.meta_value("SiteDomain")
        host = (urlsplit(page.url).hostname or "").lower()
        if domain and host.removeprefix("www.") not in _hosts(domain):
            problems.append({"tag": "SiteDomain", "value": domain, "expected": host})
        for tag, expected in majority.items():
            value = art.meta_value(tag)
            if value and value != expected:
                problems.append({"tag": tag, "value": value, "expected": expected})
        if problems:
            zh = "；".join(f"{p['tag']}=“{p['value']}”（应为 {p['expected']}）" for p in problems)
            en = "; ".join(f"{p['tag']}=\"{p['value']}\" (expected {p['expected']})" for p in problems)
            yield Finding(INVALID.id, page.url, Text(f"meta 标签取值不规范：{zh}", f"invalid meta values: {en}"),
                          {"problems": problems})


INVALID = Rule(
    id="gov-meta-invalid", category="gov", severity="warning", scope="page",
    title=Text("网页设计规范 meta 标签取值正确", "Government meta tag values are valid"),
    failure=Text("网页设计规范 meta 标签取值不规范", "Government meta tag values are invalid"),
    why=Text("网页设计规范规定了标签格式：SiteIDCode 为网站标识码（bm 加 8 位数字或 10 位数字），"
             "PubDate 为“YYYY-MM-DD HH:MM”，SiteDomain 为本站域名，且全站一致；取值错误时汇聚和搜索系统无法识别。",
             "The specification fixes the formats: SiteIDCode is the site code (bm + 8 digits or 10 digits), "
             "PubDate is YYYY-MM-DD HH:MM, SiteDomain is the site's host, consistent site-wide; wrong values "
             "are not understood by aggregation and search."),
    fix=Text("在内容管理系统中集中配置站点标签的取值，PubDate 按“2026-11-03 09:30”格式从发布时间字段生成；"
             "SiteDomain 填写网站实际使用的域名（不含 http:// 和端口）。",
             "Configure the site tags once in the CMS, generate PubDate as 2026-11-03 09:30 from the publish "
             "time, and set SiteDomain to the served host name (no scheme, no port)."),
    source="GOV", check=check_invalid, jurisdiction="cn-gov",
)


# ---------------------------------------------------------------- site-identity-missing
_IDENTITY = {
    "网站标识码": re.compile(r"网站标识码\s*[:：]?\s*[A-Za-z]{0,2}\d{8,10}"),
    "ICP备案号": re.compile(r"ICP\s*[备证]\s*[:：]?\s*\d{5,}\s*号"),
    "公网安备": re.compile(r"公网安备\s*[:：]?\s*\d{6,}\s*号"),
}


def _has_home(site: Site) -> int:
    home = home_page(site)
    return int(home is not None and home.artifacts is not None)


def check_identity(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    home = home_page(site)
    if home is None or home.artifacts is None:
        return       # http-error / redirect-chain speak for the home page
    text = home.artifacts.text
    missing = [name for name, pattern in _IDENTITY.items() if not pattern.search(text)]
    if missing:
        yield Finding(IDENTITY.id, home.url,
                      Text(f"首页没有显示：{'、'.join(missing)}", f"the home page shows no {', '.join(missing)}"),
                      {"missing": missing})


IDENTITY = Rule(
    id="site-identity-missing", category="gov", severity="warning", scope="site",
    title=Text("首页显示网站标识码和备案号", "Home page shows the site code and registrations"),
    failure=Text("首页缺少网站标识码、ICP 备案号或公安备案号", "Home page lacks the site code or registration numbers"),
    why=Text("《政府网站发展指引》要求在首页底部显示网站标识码、ICP 备案编号和公安机关备案标识，"
             "群众和搜索引擎据此确认这是政府官方网站。",
             "Government sites must show their site code (网站标识码), ICP number and police registration "
             "number in the home page footer; searchers and engines use them to recognise the official site."),
    fix=Text("在首页页脚以文字形式显示“网站标识码：bm……”“某ICP备……号”和“某公网安备……号”，并链接到对应的备案查询网站。",
             "Show 网站标识码, the ICP number and the 公网安备 number as text in the home page footer, linked to "
             "the registration sites."),
    source="GOV", check=check_identity, judges=_has_home, jurisdiction="cn-gov",
)


# ---------------------------------------------------------------- service-guide-incomplete
def _synonyms(element: str) -> tuple[str, ...]:
    return next((group for group in GUIDE_ELEMENTS if element in group), (element,))


def check_guide(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    required: list[str] = list(params["required"])
    minimum = min(int(params["min_elements"]), len(required))
    for page in site.html_pages():
        if site.kind(page) != "service" or guide_elsewhere(site, page) is not None:
            continue
        art = page.artifacts
        assert art is not None
        text = guide_text(site, page)
        named = bool(art.h1s and art.h1s[0]) or bool(art.meta_value("articletitle"))
        missing = [e for e in required
                   if not any(word in text for word in _synonyms(e)) and not (e == "事项名称" and named)]
        if len(required) - len(missing) < minimum:
            yield Finding(GUIDE.id, page.url,
                          Text(f"办事指南缺少要素：{'、'.join(missing)}",
                               f"the service guide lacks: {', '.join(missing)}"),
                          {"missing": missing, "present": len(required) - len(missing), "min": minimum})


GUIDE = Rule(
    id="service-guide-incomplete", category="gov", severity="warning", scope="page",
    title=Text("办事指南要素完整", "Service guides are complete"),
    failure=Text("办事指南要素不全", "Service guide lacks key elements"),
    why=Text("《政府网站与政务新媒体检查指标》把办事指南要素缺失列为“服务实用”扣分项；群众搜索“某某事项需要什么材料”“在哪里办”时，"
             "缺少这些内容的页面既答不上问题，也不会被搜索引擎排在前面。",
             "The national inspection indicators penalise guides with missing elements; pages that do not state "
             "materials, place or hours neither answer searchers' questions nor rank for them."),
    fix=Text("按事项名称、设定依据、申请条件、办理材料、办理地点、办理时间、联系电话等要素逐项补全指南，"
             "用表格或小标题写在网页正文中。",
             "Complete the guide element by element (name, legal basis, conditions, materials, place, hours, "
             "phone) as headed text or a table on the page."),
    source="CHK 服务实用", check=check_guide,
    params={"required": ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话"],
            "min_elements": 7}, local=True, judges=pages_of_kind("service"), jurisdiction="cn-gov",
)

RULES = [MISSING, INVALID, IDENTITY, GUIDE]
