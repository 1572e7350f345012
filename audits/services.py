"""Which pages are 办事指南 service guides, what each is called, and which section (department) owns it.

Detection (each step configurable in ``govseo.toml [services]``):

1. ``include`` / ``exclude`` URL regexes decide first when they match;
2. a ``selector`` (CSS) that must match an element of the page, when configured;
3. otherwise the page type heuristic of audits/pagetype.py (guide key elements as labels, service URL
   paths such as bszn/zwfw/bsfw/fwzn, ColumnName/breadcrumb saying 办事/服务/指南);
4. a service URL our crawler could not read (robots.txt, an HTTP error) is still listed when its URL
   looks like a service or a service list links to it; its name then comes from the anchor text.

Name: ArticleTitle, else the H1, else the title without site and column suffixes, else the anchor text;
with 办事指南 / 服务指南 and similar words removed.

Section: the guide's 实施机关/实施主体/受理机构 label, else ColumnName, else the breadcrumb's last
column, else the first URL path segment — in the order ``section_from`` gives.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from audits.site import TITLE_SEPARATORS, Page, Site

DEFAULT_SERVICE_URL = r"/(bszn|zwfw|bsfw|fwzn|bszy|bmfw|bsdt|ggfw|grbs|qybs)/"
SECTION_SOURCES = ("label", "columnname", "breadcrumb", "path")
_GUIDE_WORDS = re.compile(r"(的)?(办事指南|服务指南|办理指南|办事须知|指南)$")
_AGENCY_LABELS = ("实施机关", "实施主体", "受理机构", "责任单位", "办理部门", "主管部门")
_AGENCY_INLINE = re.compile(r"(?:" + "|".join(_AGENCY_LABELS) + r")\s*[:：]\s*([^\s:：，,；;|]{2,30})")
_ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|ofd|zip|rar|jpe?g|png|gif)$", re.I)
_CRUMB_SPLIT = re.compile(r"\s*(?:>|＞|»|/|→|\u203a)\s*")


@dataclass(slots=True)
class Service:
    url: str
    name: str
    section: str
    page: Page | None                  # None when the crawl could not read it


def service_config(config: dict[str, Any] | None) -> dict[str, Any]:
    config = dict(config or {})
    return {
        "include": [re.compile(p) for p in config.get("include", [])],
        "exclude": [re.compile(p) for p in config.get("exclude", [])],
        "selector": config.get("selector"),
        "url_pattern": re.compile(config.get("url_pattern", DEFAULT_SERVICE_URL)),
        "section_from": list(config.get("section_from", SECTION_SOURCES)),
    }


def _selector_matches(site: Site, page: Page, selector: str) -> bool:
    from lxml.cssselect import CSSSelector

    from crawler.decode import decode_html
    from crawler.extract import parse_html

    doc = parse_html(decode_html(site.body(page), page.record.content_type).text)
    return doc is not None and bool(CSSSelector(selector)(doc))


def _is_service_page(site: Site, page: Page, cfg: dict[str, Any]) -> bool:
    if any(p.search(page.url) for p in cfg["exclude"]):
        return False
    if any(p.search(page.url) for p in cfg["include"]):
        return True
    if cfg["selector"]:
        return page.artifacts is not None and _selector_matches(site, page, cfg["selector"])
    return site.kind(page) == "service"


def clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    return _GUIDE_WORDS.sub("", name).strip(" -_—") or name


def service_name(site: Site, page: Page | None, anchors: list[str]) -> str:
    if page is not None and page.artifacts is not None:
        art = page.artifacts
        for candidate in (art.meta_value("articletitle"), *(h for h in art.h1s if h)):
            if candidate and candidate != site.name:
                return clean_name(candidate)
        title = art.title or ""
        for sep in TITLE_SEPARATORS:
            title = title.split(sep)[0]
        if title.strip() and title.strip() != site.name:
            return clean_name(title)
    if anchors:
        return clean_name(Counter(anchors).most_common(1)[0][0])
    return urlsplit(page.url if page else "").path or "?"


def _city_prefix(site_name: str) -> str:
    """云溪市人民政府 -> 云溪市 (so 云溪市公安局 reads 市公安局, as the portal's own columns do)."""
    match = re.match(r"^(.{2,8}?[省市县区州盟旗])", site_name)
    return match.group(1) if match else ""


def _agency(blocks: list[str]) -> str | None:
    for i, block in enumerate(blocks):
        if block in _AGENCY_LABELS and i + 1 < len(blocks):
            return blocks[i + 1][:30]
        match = _AGENCY_INLINE.search(block)
        if match:
            return match.group(1)
    return None


def service_section(site: Site, page: Page | None, url: str, order: list[str]) -> str:
    art = page.artifacts if page is not None else None
    for source in order:
        value = None
        if source == "label" and art is not None:
            value = _agency(art.blocks)
        elif source == "columnname" and art is not None:
            value = art.meta_value("columnname")
        elif source == "breadcrumb" and art is not None and art.breadcrumb:
            crumbs = [c for c in _CRUMB_SPLIT.split(art.breadcrumb.split("：", 1)[-1]) if c]
            value = crumbs[-1] if len(crumbs) > 1 else None
        elif source == "path":
            segments = [s for s in urlsplit(url).path.split("/") if s]
            value = "/" + segments[0] + "/" if len(segments) > 1 else None
        if value:
            city = _city_prefix(site.name)
            if city and value.startswith(city) and len(value) > len(city):
                value = city[-1] + value[len(city):]
            return value
    return "—"


def detect_services(site: Site, config: dict[str, Any] | None = None) -> list[Service]:
    """Every service of the site, sorted by URL."""
    cfg = service_config(config)
    pages = [page for page in site.html_pages() if _is_service_page(site, page, cfg)]
    anchors = site.links.anchors_to(page.id for page in pages)
    found: dict[str, Service] = {}
    # names and sections repeat from service to service (and across departments): one string each
    shared: dict[str, str] = {}
    for page in pages:
        name = service_name(site, page, anchors.get(page.id, []))
        section = service_section(site, page, page.url, cfg["section_from"])
        found[page.url] = Service(page.url, shared.setdefault(name, name), shared.setdefault(section, section), page)
    del anchors
    list_pages = site.links.sources_linking(site.ids[s.url] for s in found.values())
    linked_from_lists = site.links.targets_linked_from(list_pages)
    unread: list[tuple[int, str, Page | None]] = []
    for uid, (url, state, _via) in site.urls.items():
        if url in found or state in ("external", "excluded", "limit") or not site.scope.on_site(url):
            continue
        page = site.pages.get(uid)
        # Only what the crawl could not read: never fetched (robots.txt) or an error. A 200 page that is
        # not HTML (an attachment), a redirect or a meta-refresh stub is not a service of its own.
        if state != "blocked" and (page is None or not page.is_error):
            continue
        if _ATTACHMENT.search(urlsplit(url).path):
            continue
        looks = bool(cfg["url_pattern"].search(url)) and (uid in linked_from_lists or url in site.sitemap_locs)
        if any(p.search(url) for p in cfg["exclude"]):
            continue
        if looks or any(p.search(url) for p in cfg["include"]):
            unread.append((uid, url, page))
    anchors = site.links.anchors_to(uid for uid, _, _ in unread)
    for uid, url, page in unread:
        names = anchors.get(uid, [])
        if names or page is not None:
            name = service_name(site, page, names)
            section = service_section(site, page, url, cfg["section_from"])
            found[url] = Service(url, shared.setdefault(name, name), shared.setdefault(section, section), page)
    return sorted(found.values(), key=lambda s: s.url)
