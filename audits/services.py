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

Section (the department or column that owns the guide), in the order ``section_from`` gives; by default:

1. ``breadcrumb`` — the breadcrumb's last column *without the page itself*: portals often end the trail
   with the page's own name (当前位置：首页 > 办事服务 > 市公安局 > 居住证办理), which would make every guide a
   department of its own. The last crumb is the page itself when it matches the guide's name, title, H1
   or ArticleTitle: equal, with or without 办事指南, truncated (机动车驾驶证有效期满换…), or one contained in
   the other (see :func:`is_own_crumb`). 首页 / 正文 / 详情 crumbs are not sections either;
2. ``columnname`` — the ColumnName meta tag;
3. ``label`` — the guide's 实施机关/实施主体/办理机构/受理机构 label;
4. ``path`` — the first URL path segment.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from audits.artifacts import PageArtifacts
from audits.site import TITLE_SEPARATORS, Page, Site
from crawler.urls import SERVICE_PATH

DEFAULT_SERVICE_URL = SERVICE_PATH
SECTION_SOURCES = ("breadcrumb", "columnname", "label", "path")
_GUIDE_WORDS = re.compile(r"(的)?(办事指南|服务指南|办理指南|办事须知|指南)$")
_AGENCY_LABELS = ("实施机关", "实施主体", "办理机构", "受理机构", "责任单位", "办理部门", "主管部门")
_AGENCY_INLINE = re.compile(r"(?:" + "|".join(_AGENCY_LABELS) + r")\s*[:：]\s*([^\s:：，,；;|]{2,30})")
_ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|ofd|zip|rar|jpe?g|png|gif)$", re.I)
_CRUMB_SPLIT = re.compile(r"\s*(?:>|＞|»|/|→|\u203a)\s*")
# Crumbs that are no section: the home page, and the page itself when the trail names it generically.
_NOT_SECTION = re.compile(r"^(.{0,12}首页|主页|正文|详情|详细信息|内容|查看|正文内容|详情页|内容页|阅读)$")
_TRAIL_LABEL = re.compile(r"^\s*(当前位置|您的位置|所在位置|您现在的位置|您当前的位置|当前页面|位置)(是|在)?\s*[:：]?\s*")
_ELLIPSIS = re.compile(r"(…+|\.{2,}|。。+)$")
_NOISE = re.compile(r"[\s\u3000（）()【】\[\]《》“”\"'·,，、:：;；_\-—|｜]+")


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


def _comparable(text: str) -> str:
    """A name as crumbs are compared: spaces and punctuation out, 办事指南 and the like off the end."""
    return _NOISE.sub("", clean_name(_NOISE.sub("", text)))


def is_own_crumb(crumb: str, names: list[str]) -> bool:
    """Whether the breadcrumb's last crumb names the page itself rather than a column: it equals one of
    ``names`` (the guide's name, title, H1, ArticleTitle), with or without 办事指南; is a truncated
    form of one (cut with an ellipsis); or one contains the other and the shorter is at least 60 % of the
    longer (机动车驾驶证有效期满换 / …换证, 居住证办理 / 居住证办理（申领）). A column that merely starts or
    ends like the name (社会保障 / 社会保障卡申领) is not the page."""
    truncated = bool(_ELLIPSIS.search(crumb.strip()))
    own = _comparable(_ELLIPSIS.sub("", crumb.strip()))
    if len(own) < 2:
        return False
    for name in names:
        other = _comparable(name)
        if len(other) < 2:
            continue
        if own == other:
            return True
        if truncated and other.startswith(own):
            return True
        shorter, longer = sorted((own, other), key=len)
        if shorter in longer and len(shorter) >= 0.6 * len(longer) and len(shorter) >= 3:
            return True
    return False


def _own_names(site: Site, art: PageArtifacts, name: str | None) -> list[str]:
    """What the page calls itself: the guide's name, ArticleTitle and H1s; the title's first part only when
    there is none of those (a generic title is often the column's name)."""
    names = [n for n in dict.fromkeys(n.strip() for n in (name or "", art.meta_value("articletitle") or "", *art.h1s))
             if n and n != site.name]
    if not names:
        title = art.title or ""
        for sep in TITLE_SEPARATORS:
            title = title.split(sep)[0]
        names = [title.strip()] if title.strip() and title.strip() != site.name else []
    return names


def breadcrumb_section(site: Site, art: PageArtifacts, name: str | None = None) -> str | None:
    """The breadcrumb's last column above the page: trailing 正文 / 详情 crumbs and the page's own crumb
    (see :func:`is_own_crumb`) are dropped, and so are home crumbs. None when no column is left."""
    if not art.breadcrumb:
        return None
    crumbs = [c.strip() for c in _CRUMB_SPLIT.split(_TRAIL_LABEL.sub("", art.breadcrumb)) if c.strip()]
    while crumbs and _NOT_SECTION.match(crumbs[-1]):
        crumbs.pop()
    if crumbs and is_own_crumb(crumbs[-1], _own_names(site, art, name)):
        crumbs.pop()
    crumbs = [c for c in crumbs if not _NOT_SECTION.match(c) and c != site.name]
    return crumbs[-1] if crumbs else None


def service_section(site: Site, page: Page | None, url: str, order: list[str], name: str | None = None) -> str:
    """``name``: the service's name (the breadcrumb's own crumb is compared with it)."""
    art = page.artifacts if page is not None else None
    for source in order:
        value = None
        if source == "label" and art is not None:
            value = _agency(art.blocks)
        elif source == "columnname" and art is not None:
            value = art.meta_value("columnname")
        elif source == "breadcrumb" and art is not None:
            value = breadcrumb_section(site, art, name)
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
        section = service_section(site, page, page.url, cfg["section_from"], name)
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
            section = service_section(site, page, url, cfg["section_from"], name)
            found[url] = Service(url, shared.setdefault(name, name), shared.setdefault(section, section), page)
    return sorted(found.values(), key=lambda s: s.url)
