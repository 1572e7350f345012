"""sitemap-missing: no sitemap in robots.txt, /sitemap.xml, /sitemap_index.xml or /sitemap.txt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site
from crawler.urls import origin

USABLE_KINDS = frozenset({"urlset", "sitemapindex", "txt"})


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for start_origin in site.origins:
        if start_origin not in site.robots:
            continue   # discovery never ran for this origin
        tried = [s for s in site.sitemaps
                 if (s["source"] in ("robots", "default") and origin(s["url"]) == start_origin)
                 or (s["source"] == "robots" and s["parent"] == start_origin + "/robots.txt")]
        if any(s["kind"] in USABLE_KINDS and s["status"] == 200 for s in tried):
            continue
        yield Finding(RULE.id, start_origin + "/",
                      Text("未找到可用的网站地图（sitemap）", "no usable sitemap found"),
                      {"tried": [{"url": s["url"], "status": s["status"], "kind": s["kind"], "error": s["error"]}
                                 for s in tried]})


RULE = Rule(
    id="sitemap-missing", category="structure", severity="warning", scope="site",
    title=Text("站点提供网站地图", "The site has a sitemap"),
    failure=Text("没有网站地图（sitemap）", "No sitemap"),
    why=Text("网站地图让百度和谷歌发现深层页面和只能通过搜索框到达的办事指南，是百度资源平台推荐的提交方式。",
             "A sitemap lets Baidu and Google find deep pages and guides reachable only through search forms."),
    fix=Text("生成 sitemap.xml（每个文件不超过 5 万条、10MB），在 robots.txt 中用 Sitemap: 行声明，并提交到百度搜索资源平台。",
             "Publish sitemap.xml (≤ 50,000 URLs, 10 MB per file), declare it in robots.txt and submit it to "
             "Baidu's webmaster platform."),
    source="BD, G", check=check, judges=lambda site: sum(1 for o in site.origins if o in site.robots),
)
