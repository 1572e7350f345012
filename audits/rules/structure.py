"""Site structure: deep-page, orphan-page, not-in-sitemap, weak-internal-links."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text, pages_of_kind
from audits.site import Site

# Pages whose own content should be indexed (not lists, pagination or utility pages).
CONTENT_KINDS = ("article", "service")


def check_deep(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        if page.depth is None:
            continue
        service = site.kind(page) == "service"
        limit = int(params["max_service_depth"] if service else params["max_depth"])
        if page.depth > limit:
            what = Text("办事指南", "service guide") if service else Text("页面", "page")
            yield Finding(DEEP.id, page.url,
                          Text(f"{what.zh}距首页 {page.depth} 次点击（建议不超过 {limit} 次）",
                               f"{what.en} is {page.depth} clicks from the home page (limit {limit})"),
                          {"depth": page.depth, "limit": limit, "service": service})


DEEP = Rule(
    id="deep-page", category="structure", severity="warning", scope="page",
    title=Text("页面距首页点击次数少", "Pages are few clicks from home"),
    failure=Text("页面层级过深", "Page is too many clicks from the home page"),
    why=Text("搜索引擎按链接层级分配抓取和权重，层级越深越难被收录；多地要求办事服务“三次点击可达”。",
             "Engines crawl and weigh pages by click depth; deep pages get indexed late or not at all. Many "
             "provinces require services to be reachable in three clicks."),
    fix=Text("在首页或栏目页增加直达链接（热门服务、按部门/主题分类），缩短分页列表，给办事指南建立专题入口。",
             "Link deep pages from the home or column pages (popular services, by department or topic), "
             "shorten pagination, add entry pages for service guides."),
    source="provincial 3-click rule, BD", check=check_deep, params={"max_depth": 5, "max_service_depth": 3}, local=True,
)


def check_orphan(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    starts = set(site.start_urls)
    for url in sorted(site.sitemap_locs):
        uid = site.ids.get(url)
        if url in starts or not site.scope.on_site(url):
            continue
        page = site.pages.get(uid) if uid is not None else None
        if page is not None and page.status != 200:
            continue      # a dead or redirected sitemap URL is sitemap-bad-url's finding
        if uid is None or not site.inlink_counts.get(uid):
            yield Finding(ORPHAN.id, url,
                          Text("网站地图中列出，但站内没有任何页面链接到它", "listed in a sitemap, linked from no page"),
                          {"status": page.status if page else None})


ORPHAN = Rule(
    id="orphan-page", category="structure", severity="warning", scope="url",
    title=Text("网站地图中的页面有站内链接", "Sitemap pages are linked"),
    failure=Text("孤立页面：只在网站地图中出现", "Orphan page: only in a sitemap"),
    why=Text("没有站内链接的页面得不到链接权重，百度往往不收录或排名很低；群众在网站上也点不到它。",
             "A page no link reaches gets no link weight and ranks poorly or is not indexed; visitors can't "
             "click to it either."),
    fix=Text("从所属栏目列表、部门页或相关页面链接到它；已废弃的页面从网站地图中删除。",
             "Link it from its column list, department page or related pages; drop retired pages from the "
             "sitemap."),
    source="SF", check=check_orphan,
)


def check_not_in_sitemap(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    if not site.sitemap_locs:
        return    # no sitemap at all: sitemap-missing says so once
    for page in site.html_pages():
        if site.kind(page) not in CONTENT_KINDS:
            continue    # list, pagination and utility pages need not be in a sitemap
        if page.depth is not None and page.id in site.indexable_ids and not page.in_sitemap:
            yield Finding(NOT_IN_SITEMAP.id, page.url,
                          Text("可收录的页面未列入任何网站地图", "indexable page missing from every sitemap"),
                          {"depth": page.depth})


NOT_IN_SITEMAP = Rule(
    id="not-in-sitemap", category="structure", severity="notice", scope="page",
    title=Text("文章和办事指南都在网站地图中", "Articles and guides are in a sitemap"),
    failure=Text("文章或办事指南未列入网站地图", "Article or guide is in no sitemap"),
    why=Text("网站地图是百度发现和更新页面的主要渠道之一；遗漏的页面只能靠链接慢慢被发现。",
             "Sitemaps are one of Baidu's main ways to find and refresh pages; pages left out wait to be found "
             "through links."),
    fix=Text("让内容管理系统在发布时自动把页面写入 sitemap.xml，并定期提交。",
             "Have the CMS add every published page to sitemap.xml and resubmit it regularly."),
    source="SF", check=check_not_in_sitemap,
)


def check_weak_links(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    pages = site.html_pages()
    scores = site.link_scores
    ranked = sorted(scores.get(p.id, 0.0) for p in pages)
    if not ranked:
        return
    cutoff = ranked[int(len(ranked) * float(params["bottom_share"]))] if len(ranked) >= 10 else -1.0
    for page in pages:
        if site.kind(page) != "service":
            continue
        score = scores.get(page.id, 0.0)
        reasons = []
        if page.inlinks < int(params["min_inlinks"]):
            reasons.append(Text(f"只有 {page.inlinks} 个页面链接到它", f"linked from {page.inlinks} page(s)"))
        if score < cutoff:
            reasons.append(Text(f"站内链接得分 {score:.0f}，处于全站最低的 10%",
                                f"link score {score:.0f}, in the site's bottom 10%"))
        if reasons:
            yield Finding(WEAK.id, page.url, Text("；".join(r.zh for r in reasons), "; ".join(r.en for r in reasons)),
                          {"inlinks": page.inlinks, "link_score": round(score, 1), "cutoff": round(cutoff, 1)})


WEAK = Rule(
    id="weak-internal-links", category="structure", severity="notice", scope="page",
    title=Text("办事指南有足够的站内链接", "Service guides are well linked"),
    failure=Text("办事指南的站内链接太少", "Service guide has weak internal links"),
    why=Text("站内链接的数量和来源决定页面在站内的权重（Link Score / PageRank），也是搜索引擎判断页面重要性的依据。",
             "The number and weight of internal links (link score, PageRank) tell engines how important a "
             "page is."),
    fix=Text("从首页热门服务、部门页、主题页和相关事项互相链接办事指南，至少两个不同页面。",
             "Link each guide from popular-services blocks, department and topic pages and related guides — "
             "at least two different pages."),
    source="SF Link Score", check=check_weak_links, params={"min_inlinks": 2, "bottom_share": 0.1},
    judges=pages_of_kind("service"),
)

RULES = [DEEP, ORPHAN, NOT_IN_SITEMAP, WEAK]
