"""robots-txt-missing: /robots.txt answers 404 (notice), or 5xx / no answer (error)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for start_origin in site.origins:
        row = site.robots.get(start_origin)
        if row is None:
            continue   # never fetched (crawl interrupted before it): no verdict
        status = row["status"]
        if status is not None and status < 400:
            continue
        url = row["url"]
        if status is not None and status < 500:
            yield Finding(RULE.id, url, Text(f"robots.txt 返回 HTTP {status}，站点没有 robots.txt",
                                             f"robots.txt answers HTTP {status}: the site has none"),
                          {"status": status}, severity="notice")
        else:
            what = f"HTTP {status}" if status is not None else (row["error"] or "error")
            yield Finding(RULE.id, url, Text(f"robots.txt 无法获取（{what}），搜索引擎会暂停抓取全站",
                                             f"robots.txt unavailable ({what}): engines stop crawling the site"),
                          {"status": status, "error": row["error"]}, severity="error")


RULE = Rule(
    id="robots-txt-missing", category="structure", severity="notice", scope="site",
    title=Text("站点有 robots.txt", "The site serves robots.txt"),
    failure=Text("robots.txt 缺失或无法访问", "robots.txt missing or unavailable"),
    why=Text("robots.txt 返回 404 时搜索引擎视为全部允许，问题不大；返回 5xx 或超时时，百度和谷歌会暂停抓取整个网站。",
             "A 404 robots.txt means everything is allowed; a 5xx or timeout makes engines stop crawling the "
             "whole site."),
    fix=Text("在网站根目录提供 robots.txt（UTF-8 纯文本），写明允许抓取的范围和 Sitemap 地址；确保它稳定返回 200。",
             "Serve a plain UTF-8 robots.txt at the root with your rules and Sitemap line; make sure it answers 200."),
    source="G, RFC", check=check, judges=lambda site: sum(1 for o in site.origins if o in site.robots),
)
