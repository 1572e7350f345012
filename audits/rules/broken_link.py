"""broken-link: a page links to an internal URL that answers an error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from audits.model import Finding, Rule, Text
from audits.site import Site

LINK_TAGS = frozenset({"a", "area", "iframe", "frame", "img"})


def linking_errors(site: Site) -> set[int]:
    """Ids of the pages with a LINK_TAGS link to a crawled URL that answers an error: one vectorised pass over
    the link table, so the check looks at the links of these pages only."""
    links = site.links
    bound = links.id_bound()
    is_error = np.zeros(bound, dtype=bool)
    errors = [uid for uid, page in site.pages.items() if uid < bound and page.is_error]
    is_error[errors] = True
    found: set[int] = set()
    for sources, targets in links.edge_slices(LINK_TAGS):
        found.update(np.unique(sources[is_error[targets]]).tolist())
    return found


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    limit = int(params["max_evidence"])
    sources = site.fact("broken-link sources", lambda: linking_errors(site))
    for page in site.all_pages():
        if page.id not in sources or page.artifacts is None:
            continue
        broken: dict[int, dict[str, Any]] = {}
        for link in site.outlinks.get(page.id, ()):
            target = site.pages.get(link.target)
            if link.tag in LINK_TAGS and target is not None and target.is_error \
                    and link.target not in broken:
                broken[link.target] = {"url": target.url, "status": target.status,
                                       "error": target.record.error, "anchor": link.anchor, "tag": link.tag}
        if broken:
            targets = list(broken.values())
            yield Finding(RULE.id, page.url,
                          Text(f"有 {len(targets)} 个站内链接指向错误页面",
                               f"{len(targets)} internal link(s) point to error pages"),
                          {"targets": targets[:limit], "count": len(targets)})


RULE = Rule(
    id="broken-link", category="indexability", severity="error", scope="page",
    title=Text("站内链接有效", "Internal links work"),
    failure=Text("页面含有失效的站内链接", "Page has broken internal links"),
    why=Text("失效链接（死链）让群众和搜索引擎爬虫走进死胡同，是政府网站检查指标“链接可用性”的扣分项。",
             "Broken links strand citizens and crawlers; link availability is a scored item of the "
             "government website inspection."),
    fix=Text("修改或删除指向错误页面的链接；页面已迁移的，设置 301 重定向。",
             "Fix or remove links to error pages; where the page moved, add a 301 redirect."),
    source="CHK 链接可用性", check=check, params={"max_evidence": 20}, local=True,
)
