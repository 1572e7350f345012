"""Which norms a site answers to: rules that encode Chinese government norms (``Rule(jurisdiction="cn-gov")``:
the 网页设计规范 meta tags, 网站标识码/ICP/公网安备, 办事指南 elements) judge Chinese government sites only.

``[site] jurisdiction`` in govseo.toml: "auto" (default), "cn-gov" or "other". Auto-detection says cn-gov when

- a start URL's host is under .gov.cn, or
- the site speaks Chinese (``<html lang="zh…">``, ``Content-Language: zh…`` or mostly CJK text on the home
  page) and shows a mark of the government norms: a SiteIDCode meta tag or two of the other 网页设计规范 tags
  (SiteName, SiteDomain, ColumnName…), a SiteDomain under .gov.cn, a 网站标识码 on the home page, the 党政机关
  网站 badge (a link to conac.cn) or 人民政府 in the home page's title or SiteName.

The home page and the first pages of the crawl (:data:`SAMPLE`) are looked at, their heads only (cheap).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from audits.model import Rule
    from audits.site import Page, Site

CN_GOV, OTHER, AUTO = "cn-gov", "other", "auto"
SETTINGS = (AUTO, CN_GOV, OTHER)
SAMPLE = 20          # pages looked at besides the home page
# 网页设计规范 tags (lower case, as the artifacts keep meta names). PubDate is left out: news sites use it too.
NORM_TAGS = ("sitename", "sitedomain", "columnname", "columndescription", "columnkeywords", "columntype",
             "articletitle", "contentsource")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_SITE_CODE_TEXT = re.compile(r"网站标识码\s*[:：]?\s*[A-Za-z]{0,2}\d{8,10}")
_TEXT_SAMPLE = 5000  # characters of the home page's text whose script is counted


def applies(rule: Rule, jurisdiction: str) -> bool:
    """Whether ``rule`` judges a site of ``jurisdiction`` (a rule without one judges every site)."""
    return rule.jurisdiction is None or rule.jurisdiction == jurisdiction


def site_jurisdiction(site: Site, setting: str = AUTO) -> str:
    """CN_GOV or OTHER: the ``setting`` when it is not "auto", else what the site shows (see the module)."""
    if setting in (CN_GOV, OTHER):
        return setting
    return CN_GOV if detect(site) is not None else OTHER


def _gov_host(host: str | None) -> bool:
    host = (host or "").lower().rstrip(".")
    return host == "gov.cn" or host.endswith(".gov.cn")


def detect(site: Site) -> str | None:
    """Why the site is taken for a Chinese government site ("host", "meta SiteIDCode"…), None when it is not."""
    if any(_gov_host(urlsplit(url).hostname) for url in site.start_urls):
        return "host"
    from audits.rules.gov import home_page  # the gov rules' own notion of the home page

    home = home_page(site)
    pages = [p for p in ([home] if home is not None else []) + site.every_html_page()[:SAMPLE]
             if p.artifacts is not None]
    if not pages or not any(_speaks_chinese(p) for p in pages[:3]):
        return None
    for page in pages:
        art = page.artifacts
        assert art is not None
        if art.meta_value("siteidcode"):
            return "meta SiteIDCode"
        if _gov_host(next(iter(_hosts(art.meta_value("sitedomain") or "")), None)):
            return "meta SiteDomain"
        tags = [tag for tag in NORM_TAGS if art.meta_value(tag)]
        if len(tags) >= 2:
            return "meta " + ", ".join(tags)
    if home is not None and home.artifacts is not None:
        art = home.artifacts
        if _SITE_CODE_TEXT.search(art.text):
            return "网站标识码"
        if "人民政府" in (art.title or "") or "人民政府" in (art.meta_value("sitename") or ""):
            return "人民政府"
        if any((urlsplit(site.urls[link.target][0]).hostname or "").endswith("conac.cn")
               for link in site.outlinks.get(home.id, ())):
            return "conac.cn"
    return None


def _hosts(value: str) -> list[str]:
    return [urlsplit(p if "//" in p else "//" + p).hostname or "" for p in re.split(r"[\s,，;；|]+", value) if p]


def _speaks_chinese(page: Page) -> bool:
    art = page.artifacts
    assert art is not None
    declared = [art.lang or "", *page.record.header("Content-Language")]
    if any(value.strip().lower().startswith("zh") for value in declared):
        return True
    text = art.text[:_TEXT_SAMPLE]
    cjk = len(_CJK.findall(text))
    return cjk > 0 and cjk >= 0.5 * len(_LETTER.findall(text))
