"""publish-date-missing: an article or guide that shows no date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Page, Site

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MES = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?tiembre|octubre|noviembre|diciembre)"
_DATE = re.compile(r"(?:19|20)\d{2}\s*(?:(?P<sep>[-/.])\s*\d{1,2}\s*(?P=sep)\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                   # English and Spanish sites: February 14, 2023 / 14 February 2023 / 14 de febrero de 2023
                   rf"|\b{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d{{2}}\b|\b\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d{{2}}\b"
                   rf"|\b\d{{1,2}}\s+de\s+{_MES}\s+(?:de\s+|del\s+)?(?:19|20)\d{{2}}\b", re.I)
# Every form of _DATE holds a year: text without one needs no search with the slower pattern.
_YEAR = re.compile(r"(?:19|20)\d{2}")
# A dated line labelled as the page's own date counts even when the template detector took it for boilerplate
# (one source's "发布时间：…  来源：…" line looks alike on many pages once digits are normalised).
_LABELLED = re.compile(r"(发布|发文|成文|印发|公开|发表)(时间|日期)|日期\s*[:：]"
                       r"|\b(?:last\s+)?(?:updated|modified|reviewed|published|posted)\b|actualizad[oa]|actualización"
                       r"|publicad[oa]", re.I)


def shows_date(site: Site, page: Page, meta_names: list[str]) -> bool:
    art = page.artifacts
    if art is None:
        return False
    if any((art.meta_value(name) or "").strip() for name in meta_names):
        return True
    main = site.main_text(page)
    if _YEAR.search(main) and _DATE.search(main):
        return True
    text = "\n".join(art.blocks)
    if not (_YEAR.search(text) and _LABELLED.search(text)):
        return False        # no block can be a labelled date line (two searches instead of two a block)
    return any(_LABELLED.search(block) and _DATE.search(block) for block in art.blocks)


def check_date(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        kind = site.kind(page)
        if kind in ("article", "service") and not shows_date(site, page, list(params["meta_names"])):
            yield Finding(DATE.id, page.url,
                          Text("页面既没有显示发布日期，也没有 PubDate 标签", "no visible date and no PubDate meta"),
                          {"kind": kind})


DATE = Rule(
    id="publish-date-missing", category="content", severity="notice", scope="page",
    title=Text("文章和办事指南显示发布日期", "Articles and guides show a date"),
    failure=Text("页面没有发布或更新日期", "Page shows no publish or update date"),
    why=Text("百度把发布时间作为时效性排序因素并在结果中显示日期；群众也需要据此判断政策和办事指南是否仍然有效。"
             "检查指标要求信息标注发布时间。",
             "Baidu uses the publish date for freshness and shows it in results; citizens need it to judge "
             "whether a policy or guide is current. Inspection rules require it."),
    fix=Text("在正文标题下显示“发布时间：2026-11-03”，并在 <head> 中输出 <meta name=\"PubDate\" content=\"2026-11-03 09:30\">；"
             "办事指南更新后同步更新日期。",
             "Show 发布时间：2026-11-03 under the headline and emit <meta name=\"PubDate\" content=\"2026-11-03 "
             "09:30\">; update the date when a guide changes."),
    source="BD 时间因子, CHK", check=check_date,
    params={"meta_names": ["PubDate", "publishdate", "firstpublishedtime", "lastmodifiedtime", "publish_date",
                           "article:published_time"]}, local=True,
)


RULES = [DATE]
