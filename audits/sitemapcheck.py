"""Pure checks over one stored sitemap file, and a classifier for the URLs it lists.

A stored sitemap is a dict as the crawl store keeps it: ``url``, ``status``, ``kind`` (urlset |
sitemapindex | txt | invalid | missing), ``content_type``, ``gzipped``, ``raw_size``, ``size``
(decompressed bytes), ``body`` (decompressed bytes, optional), ``error`` and ``entries`` (dicts with
``loc`` and optionally ``lastmod``). The XML in ``body`` is re-read here with a strict lxml parser
(no entity expansion, no network, no huge trees) because the crawler's parser recovers from broken
XML silently.

Limits: sitemaps.org and Google allow 50,000 URLs and 50 MB (uncompressed) per file; Baidu allows
50,000 URLs and 10 MB per file and URLs of at most 256 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
MAX_BYTES = 10 * 1024 * 1024            # Baidu; Google allows 50 MiB
GOOGLE_MAX_BYTES = 50 * 1024 * 1024
MAX_LOC_BYTES = 256                     # Baidu
EXAMPLES = 5

# W3C Datetime profile: YYYY, YYYY-MM, YYYY-MM-DD, or a date with hh:mm[:ss[.s]] and a zone.
_W3C_DATETIME = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?:Z|[+-](?P<zh>\d{2}):(?P<zm>\d{2})))?)?)?")


@dataclass(frozen=True)
class SitemapIssue:
    code: str
    message_zh: str
    message_en: str
    evidence: dict[str, Any] = field(default_factory=dict)


# Problems of one listed URL (sitemap-bad-url), in zh and en.
ENTRY_PROBLEMS = {
    "not-200": ("网址没有返回 200", "the URL does not answer 200"),
    "redirect": ("网址发生跳转，网站地图应列出跳转后的最终网址", "the URL redirects; list the final URL instead"),
    "noindex": ("网页设置了 noindex，不应列入网站地图", "the page is noindex and should not be listed"),
    "robots-blocked": ("robots.txt 禁止抓取该网址", "robots.txt blocks the URL"),
    "off-host": ("网址不在本网站的主机名下，搜索引擎会忽略", "the URL is on another host; engines ignore it"),
}


def is_w3c_datetime(value: str) -> bool:
    match = _W3C_DATETIME.fullmatch(value.strip())
    if not match:
        return False
    parts = match.groupdict()
    try:
        date(int(parts["y"]), int(parts["m"] or 1), int(parts["d"] or 1))
    except ValueError:
        return False
    hour, minute, second = (int(parts[k] or 0) for k in ("H", "M", "S"))
    zone_h, zone_m = int(parts["zh"] or 0), int(parts["zm"] or 0)
    return hour < 24 and minute < 60 and second < 61 and zone_h < 24 and zone_m < 60


def is_absolute_http(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def scan_xml(body: bytes) -> tuple[str | None, str | None]:
    """(root tag in Clark notation, first syntax error) of ``body`` read strictly and safely."""
    root: str | None = None
    try:
        for event, elem in etree.iterparse(BytesIO(body), events=("start", "end"), resolve_entities=False,
                                           no_network=True, huge_tree=False, load_dtd=False):
            if event == "start":
                if root is None:
                    root = elem.tag if isinstance(elem.tag, str) else ""
                continue
            elem.clear(keep_tail=True)          # keep memory flat on 10 MB files
            parent = elem.getparent()
            while parent is not None and elem.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        return root, f"line {exc.lineno}: {exc.msg}"[:300]
    return root, None


def _examples(values: list[Any]) -> dict[str, Any]:
    return {"count": len(values), "examples": values[:EXAMPLES]}


def _xml_issues(sitemap: dict[str, Any], body: bytes | None) -> list[SitemapIssue]:
    issues: list[SitemapIssue] = []
    error = sitemap.get("error") or ""
    syntax = error if error.startswith("XML") else None
    root = None
    if body:
        root, strict_error = scan_xml(body)
        syntax = syntax or strict_error
    if syntax:
        issues.append(SitemapIssue("unparseable", "网站地图的 XML 格式有错误，搜索引擎可能读不全其中的网址",
                                   "the sitemap XML is malformed; engines may miss some or all URLs",
                                   {"error": syntax}))
    if root is not None and not root.startswith("{" + SITEMAP_NS + "}"):
        namespace = root[1:].split("}", 1)[0] if root.startswith("{") else None
        issues.append(SitemapIssue("namespace",
                                   f"网站地图根元素缺少或写错命名空间，应为 xmlns=\"{SITEMAP_NS}\"",
                                   f"the root element lacks the sitemap namespace xmlns=\"{SITEMAP_NS}\"",
                                   {"root": root, "namespace": namespace}))
    return issues


def _entry_issues(sitemap: dict[str, Any], entries: list[dict[str, Any]]) -> list[SitemapIssue]:
    too_long: list[str] = []
    relative: list[str] = []
    bad_lastmod: list[dict[str, str]] = []
    for entry in entries:
        loc = entry.get("loc") or ""
        if len(loc.encode("utf-8")) > MAX_LOC_BYTES:
            too_long.append(loc)
        if not is_absolute_http(loc):
            relative.append(loc)
        lastmod = entry.get("lastmod")
        if lastmod and not is_w3c_datetime(lastmod):
            bad_lastmod.append({"loc": loc, "lastmod": lastmod})
    issues: list[SitemapIssue] = []
    if too_long:
        issues.append(SitemapIssue("loc-too-long", f"{len(too_long)} 个网址超过 256 字节，百度不接受过长的网址",
                                   f"{len(too_long)} URLs are longer than 256 bytes, which Baidu rejects",
                                   _examples(too_long)))
    if relative:
        issues.append(SitemapIssue("loc-relative", f"{len(relative)} 个 <loc> 不是以 http:// 或 https:// 开头的完整网址",
                                   f"{len(relative)} <loc> values are not absolute http(s) URLs",
                                   _examples(relative)))
    if bad_lastmod:
        issues.append(SitemapIssue("lastmod-invalid",
                                   f"{len(bad_lastmod)} 个 <lastmod> 不是 W3C 日期格式（如 2024-05-01 或 2024-05-01T08:00:00+08:00）",
                                   f"{len(bad_lastmod)} <lastmod> values are not W3C datetimes "
                                   "(e.g. 2024-05-01 or 2024-05-01T08:00:00+08:00)",
                                   _examples(bad_lastmod)))
    if sitemap.get("kind") == "sitemapindex" and sitemap.get("url"):
        if any((e.get("loc") or "").strip() == sitemap["url"] for e in entries):
            issues.append(SitemapIssue("index-self-link", "网站地图索引列出了它自己",
                                       "the sitemap index lists itself", {"url": sitemap["url"]}))
    return issues


def validate_sitemap(sitemap: dict[str, Any]) -> list[SitemapIssue]:
    """Problems with one stored sitemap file. A missing file (404/410) has none here: that is
    the sitemap-missing rule's business."""
    kind = sitemap.get("kind")
    status = sitemap.get("status")
    error = sitemap.get("error") or ""
    if kind == "missing":
        return []
    if kind == "invalid" and status is None and error.startswith("too-large"):
        return [SitemapIssue("too-large", "网站地图解压后超过大小上限，搜索引擎会放弃读取",
                             "the sitemap inflates beyond the size limit; engines give up reading it",
                             {"status": status, "error": error[:200], "limit_bytes": MAX_BYTES})]
    if kind == "invalid" and (status is None or status >= 400):
        return [SitemapIssue("unreachable", f"网站地图无法获取（{error or status}）",
                             f"the sitemap could not be fetched ({error or status})",
                             {"status": status, "error": error or None})]
    body: bytes | None = sitemap.get("body")
    size = sitemap.get("size")
    if size is None and body is not None:
        size = len(body)
    issues: list[SitemapIssue] = []
    if (size or 0) > MAX_BYTES or "inflates beyond" in error:
        issues.append(SitemapIssue("too-large", "网站地图解压后超过 10MB（百度上限；谷歌上限 50MB），请拆分成多个文件",
                                   "the sitemap is over 10 MB uncompressed (Baidu's limit; Google's is 50 MB); "
                                   "split it", {"size": size, "baidu_max": MAX_BYTES, "google_max": GOOGLE_MAX_BYTES}))
    if kind == "invalid":
        if not issues:      # a gzip bomb is reported as too large, not as unreadable
            issues.append(SitemapIssue("unparseable", "网站地图既不是 sitemap XML 也不是网址列表，搜索引擎无法读取",
                                       "the sitemap is neither sitemap XML nor a list of URLs; engines cannot read "
                                       "it", {"error": error or None}))
        return issues
    if kind in ("urlset", "sitemapindex"):
        issues.extend(_xml_issues(sitemap, body))
    entries = sitemap.get("entries") or []
    if len(entries) > MAX_URLS:
        issues.append(SitemapIssue("too-many-urls", f"网站地图列出 {len(entries)} 条，超过每个文件 5 万条的上限",
                                   f"the sitemap lists {len(entries)} entries, over the 50,000 per-file limit",
                                   {"count": len(entries), "max": MAX_URLS}))
    if not entries:
        issues.append(SitemapIssue("empty", "网站地图里没有任何网址", "the sitemap lists no URLs", {}))
    issues.extend(_entry_issues(sitemap, entries))
    return issues


def entry_problems(loc: str, page_status: int | None, location: str | None, noindex: bool,
                   robots_blocked: bool, on_host: bool) -> list[str]:
    """Why a URL listed in a sitemap should not be there (codes of ENTRY_PROBLEMS).

    ``page_status`` is the URL's own HTTP status (None when it was not fetched: no verdict on it);
    ``location`` the redirect target, if any.
    """
    problems: list[str] = []
    if page_status is not None:
        if 300 <= page_status < 400 or location:
            problems.append("redirect")
        elif page_status != 200:
            problems.append("not-200")
    elif location:
        problems.append("redirect")
    if noindex:
        problems.append("noindex")
    if robots_blocked:
        problems.append("robots-blocked")
    if not on_host:
        problems.append("off-host")
    return problems
