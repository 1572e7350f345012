"""robots.txt and sitemap files: robots-txt-invalid, robots-blocks-engine, sitemap-invalid, sitemap-bad-url.

The pure validators live in audits/robotstxt.py and audits/sitemapcheck.py; these rules apply them to
what the crawl stored and turn their issues into findings on the robots.txt or sitemap URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.robotstxt import ENGINES, validate
from audits.site import Site
from audits.sitemapcheck import ENTRY_PROBLEMS, entry_problems, validate_sitemap
from crawler.urls import BadURL, normalize, origin


def _served_robots(site: Site) -> list[dict[str, Any]]:
    """The start origins' robots.txt rows that answered (below 400): the files there are to judge."""
    rows = [site.robots.get(o) for o in site.origins]
    return [row for row in rows if row is not None and row["status"] is not None and row["status"] < 400]


def check_robots_invalid(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for start_origin in site.origins:
        row = site.robots.get(start_origin)
        if row is None:
            continue
        issues = validate(row["body"], row["status"], None)
        if issues:
            codes = sorted({i.code for i in issues})
            yield Finding(ROBOTS_INVALID.id, row["url"],
                          Text(f"robots.txt 有 {len(issues)} 处问题：{issues[0].message_zh}",
                               f"robots.txt has {len(issues)} problem(s): {issues[0].message_en}"),
                          {"codes": codes, "issues": [{"line": i.line, "code": i.code, "text": i.text[:200],
                                                       "message": i.message_zh} for i in issues[:20]]})


ROBOTS_INVALID = Rule(
    id="robots-txt-invalid", category="structure", severity="warning", scope="site",
    title=Text("robots.txt 格式正确", "robots.txt is valid"),
    failure=Text("robots.txt 格式错误", "robots.txt has errors"),
    why=Text("搜索引擎会忽略写错的指令：规则写在 User-agent 之前、路径不以 / 开头、把网页当成 robots.txt 返回，"
             "都可能让本想屏蔽或开放的页面处理错误。超过 500KB 的部分会被忽略。",
             "Engines ignore malformed lines: rules before any user-agent, paths without a leading slash, an "
             "HTML page served as robots.txt. Content after 500 KiB is ignored."),
    fix=Text("按 RFC 9309 改写：每组以 User-agent 开头，Allow/Disallow 路径以 / 或 * 开头，Sitemap 写完整网址；"
             "确认 /robots.txt 返回纯文本而不是网页。",
             "Rewrite per RFC 9309: groups start with User-agent, paths start with / or *, Sitemap lines are "
             "absolute URLs; serve plain text, not a web page."),
    source="LH, RFC", check=check_robots_invalid, judges=lambda site: len(_served_robots(site)),
)


def check_blocks_engine(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    engines = list(params["engines"])
    services = [p.url for p in site.html_pages() if site.kind(p) == "service"]
    for start_origin in site.origins:
        row = site.robots.get(start_origin)
        parser = site.robots_parser(start_origin + "/")
        if row is None or parser is None:
            continue
        whole = [e for e in engines if not parser.can_fetch(start_origin + "/", e)]
        pages: dict[str, list[str]] = {}
        for url in services:
            if origin(url) != start_origin:
                continue
            for engine in engines:
                if engine not in whole and not parser.can_fetch(url, engine):
                    pages.setdefault(engine, []).append(url)
        if whole:
            names = "、".join(f"{e}（{ENGINES.get(e, e)}）" for e in whole)
            yield Finding(BLOCKS_ENGINE.id, row["url"], Text(f"robots.txt 禁止 {names} 抓取整个网站",
                                                             f"robots.txt blocks {', '.join(whole)} from the whole site"),
                          {"engines": whole, "scope": "site"})
        for engine, urls in pages.items():
            yield Finding(BLOCKS_ENGINE.id, row["url"],
                          Text(f"robots.txt 禁止 {engine}（{ENGINES.get(engine, engine)}）抓取 {len(urls)} 个办事服务页面",
                               f"robots.txt blocks {engine} from {len(urls)} service page(s)"),
                          {"engines": [engine], "scope": "services", "urls": sorted(urls)[:20], "count": len(urls)})


BLOCKS_ENGINE = Rule(
    id="robots-blocks-engine", category="structure", severity="error", scope="site",
    title=Text("robots.txt 不屏蔽主要搜索引擎", "robots.txt lets the main engines in"),
    failure=Text("robots.txt 屏蔽了搜索引擎", "robots.txt blocks a search engine"),
    why=Text("百度是群众查找政务服务的主要入口；robots.txt 屏蔽百度蜘蛛（或谷歌、360、搜狗）抓取全站或办事指南，"
             "这些服务就从搜索结果中消失。各搜索引擎只执行与自己名称匹配的那一组规则。",
             "Baidu is how citizens look for services; blocking Baiduspider (or Googlebot, 360, Sogou) from the "
             "site or its guides removes them from results. Each engine obeys only its own group."),
    fix=Text("删除针对搜索引擎的 Disallow: / 或覆盖办事指南目录的规则；只屏蔽后台、搜索结果页等不需要收录的路径。",
             "Remove Disallow: / or rules covering the guides for the engine; block only admin and "
             "search-result paths."),
    source="BD", check=check_blocks_engine, params={"engines": ["Baiduspider", "Googlebot", "360Spider",
                                                                "Sogou web spider"]},
    judges=lambda site: sum(1 for o in site.origins if o in site.robots and site.robots_parser(o + "/") is not None),
)


def _found_sitemap(sitemap: dict[str, Any]) -> bool:
    """A sitemap that exists (a default location that does not is not an invalid sitemap)."""
    return not (sitemap["kind"] == "missing" or (sitemap["source"] == "default" and sitemap["status"] != 200))


def check_sitemap_invalid(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for sitemap in site.sitemaps:
        if not _found_sitemap(sitemap):
            continue
        issues = validate_sitemap(sitemap)
        if issues:
            yield Finding(SITEMAP_INVALID.id, sitemap["url"],
                          Text(f"网站地图有 {len(issues)} 处问题：{issues[0].message_zh}",
                               f"sitemap has {len(issues)} problem(s): {issues[0].message_en}"),
                          {"codes": [i.code for i in issues],
                           "issues": [{"code": i.code, "message": i.message_zh, "evidence": i.evidence}
                                      for i in issues[:10]]})


SITEMAP_INVALID = Rule(
    id="sitemap-invalid", category="structure", severity="error", scope="site",
    title=Text("网站地图格式正确", "Sitemaps are valid"),
    failure=Text("网站地图格式错误或超出限制", "Sitemap invalid or over the limits"),
    why=Text("无法解析、命名空间错误、超过 5 万条或 10MB（百度；谷歌 50MB）、网址超过 256 字节（百度）或使用相对地址的网站地图，"
             "搜索引擎会整份或部分忽略。",
             "Engines ignore sitemaps (wholly or partly) that don't parse, use the wrong namespace, exceed 50,000 "
             "URLs or 10 MB (Baidu; Google 50 MB), have locs over 256 bytes (Baidu) or relative locs."),
    fix=Text("按 sitemaps.org 协议生成 UTF-8 XML，使用 http://www.sitemaps.org/schemas/sitemap/0.9 命名空间；"
             "超过限制时拆分成多个文件并用网站地图索引汇总；<loc> 写完整网址。",
             "Generate UTF-8 XML with the sitemaps.org 0.9 namespace; split large files under a sitemap index; "
             "use absolute locs."),
    source="BD, SM", check=check_sitemap_invalid,
    judges=lambda site: sum(1 for s in site.sitemaps if _found_sitemap(s)),
)


def check_sitemap_bad_url(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    limit = int(params["max_evidence"])
    for sitemap in site.sitemaps:
        if sitemap["kind"] not in ("urlset", "txt"):
            continue
        bad = []
        for entry in sitemap["entries"]:
            try:
                url = normalize(entry["loc"])
            except BadURL:
                continue     # sitemap-invalid reports unusable locs
            page = site.page(url)
            noindex = bool(page and page.artifacts and page.artifacts.noindex)
            problems = entry_problems(url, page.status if page else None,
                                      page.record.location if page else None, noindex,
                                      bool(site.blocked_for(url)), site.scope.on_site(url))
            if problems:
                bad.append({"url": url, "problems": problems, "status": page.status if page else None})
        if bad:
            kinds = sorted({p for item in bad for p in item["problems"]})
            yield Finding(SITEMAP_BAD_URL.id, sitemap["url"],
                          Text(f"网站地图列出了 {len(bad)} 个不应列入的网址（{'、'.join(ENTRY_PROBLEMS[k][0] for k in kinds)}）",
                               f"the sitemap lists {len(bad)} URL(s) that should not be there"),
                          {"count": len(bad), "problems": kinds, "urls": bad[:limit]})


SITEMAP_BAD_URL = Rule(
    id="sitemap-bad-url", category="structure", severity="warning", scope="site",
    title=Text("网站地图只列出可收录的网址", "Sitemaps list only indexable URLs"),
    failure=Text("网站地图列出了错误、跳转或不可收录的网址", "Sitemap lists broken, redirected or blocked URLs"),
    why=Text("网站地图里的死链、跳转、noindex 或被 robots.txt 屏蔽的网址会降低搜索引擎对整份网站地图的信任。",
             "Dead, redirected, noindex or robots-blocked URLs in a sitemap make engines trust it less."),
    fix=Text("网站地图只保留返回 200、可收录的最终网址；删除已下线页面，把跳转前的旧地址换成新地址。",
             "Keep only final, indexable 200 URLs; drop retired pages and replace redirected URLs."),
    source="G, SF", check=check_sitemap_bad_url, params={"max_evidence": 20},
    judges=lambda site: sum(1 for s in site.sitemaps if s["kind"] in ("urlset", "txt")),
)

RULES = [ROBOTS_INVALID, BLOCKS_ENGINE, SITEMAP_INVALID, SITEMAP_BAD_URL]
