"""Hand-made result documents (the result.json contract) for report tests."""

from __future__ import annotations

import copy
from typing import Any

from audits.causes import GATING

ROOT = "http://127.0.0.1:8000/"

_RULES: list[dict[str, Any]] = [
    {
        "id": "title-missing", "title": "页面缺少标题", "severity": "error", "category": "content",
        "description": "搜索结果用标题作为链接文字，没有标题的页面很难被点击。",
        "fix": "为每个页面写一个以页面名称开头的 <title>。", "source": "LH, BD",
        "en": {"title": "Page has no title", "description": "Search results use the title as the link text.",
               "fix": "Give every page a <title> that starts with the page's own name."},
        "status": "fail", "count": 2, "error": None,
    },
    {
        "id": "description-missing", "title": "缺少页面描述", "severity": "warning", "category": "content",
        "description": "没有描述时，搜索引擎会随意截取正文作为摘要。", "fix": "添加 meta description。",
        "source": "BD, LH",
        "en": {"title": "Meta description missing", "description": "Engines pick a random snippet.",
               "fix": "Add a meta description."},
        "status": "fail", "count": 1, "error": None,
    },
    {
        "id": "lang-missing", "title": "未声明页面语言", "severity": "notice", "category": "content",
        "description": "声明语言有助于搜索引擎和读屏软件。", "fix": "在 <html> 上加 lang=\"zh-CN\"。",
        "source": "LH", "status": "fail", "count": 1, "error": None,
        # no "en" block: English falls back to the zh text
    },
    {
        "id": "sitemap-missing", "title": "没有站点地图", "severity": "warning", "category": "structure",
        "description": "站点地图帮助搜索引擎发现深层页面。", "fix": "提供 /sitemap.xml 并在 robots.txt 中声明。",
        "en": {"title": "No sitemap", "description": "Sitemaps help engines find deep pages.",
               "fix": "Publish /sitemap.xml."},
        "status": "pass", "count": 0, "error": None,
    },
    {
        "id": "keyword-focus", "title": "标题未包含关键词", "severity": "notice", "category": "content",
        "description": "…", "fix": "…",
        "en": {"title": "Title misses the key terms", "description": "…", "fix": "…"},
        "status": "error", "count": 0, "error": "jieba dictionary failed to load",
    },
    {
        "id": "gov-meta-missing", "title": "缺少政府网站元数据", "severity": "warning", "category": "gov",
        "description": "…", "fix": "…",
        "en": {"title": "Government meta tags missing", "description": "…", "fix": "…"},
        "status": "n/a", "count": 0, "error": None,
    },
]

_FINDINGS: list[dict[str, Any]] = [
    {"rule": "title-missing", "severity": "error", "url": ROOT + "xwzx/a.html",
     "message": "页面没有 <title>", "message_en": "The page has no <title>", "evidence": {"titles": []}},
    {"rule": "title-missing", "severity": "error", "url": ROOT + "xwzx/b.html",
     "message": "页面有 2 个 <title>", "message_en": "The page has 2 <title> elements",
     "evidence": {"titles": ["首页", "首页"]}},
    {"rule": "lang-missing", "severity": "notice", "url": ROOT,
     "message": "<html> 没有 lang 属性", "evidence": None},  # no message_en: falls back
    {"rule": "description-missing", "severity": "warning", "url": ROOT + "bszn/sb.html",
     "message": "没有 meta description", "message_en": "No meta description", "evidence": "<head>…</head>"},
]

_PAGES: list[dict[str, Any]] = [
    {"url": ROOT, "status": 200, "depth": 0, "indexable": True, "in_sitemap": True, "inlinks": 40,
     "title": "云溪市人民政府门户网站", "score": 95, "is_service": False, "kind": "home", "content_type": "text/html"},
    {"url": ROOT + "xwzx/a.html", "status": 200, "depth": 2, "indexable": True, "in_sitemap": False,
     "inlinks": 3, "title": "", "score": 40, "is_service": False, "kind": "article", "content_type": "text/html"},
    {"url": ROOT + "bszn/sb.html", "status": 200, "depth": 4, "indexable": False, "in_sitemap": True,
     "inlinks": 1, "title": "社会保险登记_办事指南_云溪市人民政府", "score": 61, "is_service": True,
     "kind": "service", "content_type": "text/html"},
    {"url": ROOT + "missing.html", "status": 404, "depth": 1, "indexable": False, "in_sitemap": None,
     "inlinks": 2, "title": None, "score": None, "is_service": False, "kind": "error", "content_type": "text/html"},
]

_RESULT: dict[str, Any] = {
    "schema_version": 1,
    "tool": {"name": "govseo", "version": "0.1.0"},
    "crawl": {
        "start_urls": [ROOT], "pages": 4,
        "started_at": "2026-11-27T02:00:00Z", "finished_at": "2026-11-27T02:00:09Z",
        "user_agent": "govseo/0.1.0 (+https://github.com/govseo/govseo)",
        "settings": {"max_pages": 10000, "max_depth": 20, "concurrency": 8, "obey_robots": True},
    },
    "site": {
        "url": ROOT, "name": "云溪市人民政府", "score": 72,
        "categories": {"indexability": 80, "content": 65, "structure": 90, "gov": None, "findability": None},
    },
    "rules": _RULES,
    "findings": _FINDINGS,
    "pages": _PAGES,
    "services": [],
    "sections": [],
}


def make_result(**overrides: Any) -> dict[str, Any]:
    """A fresh (deep-copied) sample result; keyword arguments replace top-level keys."""
    result = copy.deepcopy(_RESULT)
    result.update(copy.deepcopy(overrides))
    return result


def make_finding(rule: str, url: str, message: str = "问题", severity: str = "error",
                 evidence: Any = None, message_en: str | None = None) -> dict[str, Any]:
    finding: dict[str, Any] = {"rule": rule, "severity": severity, "url": url, "message": message,
                               "evidence": evidence}
    if message_en is not None:
        finding["message_en"] = message_en
    return finding


def make_page(url: str, score: int | None = 80, **fields: Any) -> dict[str, Any]:
    page: dict[str, Any] = {"url": url, "status": 200, "depth": 1, "indexable": True, "in_sitemap": True,
                            "inlinks": 1, "title": "页面", "score": score, "is_service": False}
    page.update(fields)
    return page


def make_service(rank: int, name: str, url: str, score: int, reasons: list[str] | None = None,
                 queries: list[dict[str, Any]] | None = None, section: str = "人社局") -> dict[str, Any]:
    return {"url": url, "name": name, "section": section, "score": score, "rank": rank,
            "reasons": reasons or [], "queries": queries or []}


_EVIDENCE_SHAPES: list[Any] = [
    None,
    {"titles": []},
    {"targets": [{"url": ROOT + "zwgk/old.html", "status": 404, "error": None, "anchor": "旧通知", "tag": "a"}],
     "count": 1},
    {"title": "云溪市人民政府", "others": [ROOT + f"tzgg/t{i}.html" for i in range(12)], "count": 12},
    {"missing": ["办理材料", "办理地点", "办理时间", "联系电话"], "present": 3, "min": 7},
    "<head>…</head>",
]


def make_large_result(pages: int = 50_000, findings: int = 100_000, services: int = 2_000,
                      rules: int = 45, sections: int = 60, fixes: int = 1_000) -> dict[str, Any]:
    """A synthetic result the size of a big provincial portal crawl, for the report-size budget."""
    rule_ids = [f"rule-{i:02}" for i in range(rules)]
    severities = ("error", "warning", "notice")
    rule_docs = [{"id": rid, "title": f"规则 {rid} 的问题标题", "severity": severities[i % 3], "category": "content",
                  "description": "为什么重要的一段说明文字。" * 3, "fix": "如何修复的一段说明文字。" * 3, "source": "LH",
                  "en": {"title": f"Rule {rid}", "description": "Why.", "fix": "How."},
                  "status": "fail", "count": 0, "error": None} for i, rid in enumerate(rule_ids)]
    page_docs = [{"url": f"{ROOT}col{i % 97}/2026/t2026{i:07}.html", "status": 404 if i % 250 == 0 else 200,
                  "error": None, "depth": i % 9, "indexable": i % 7 != 0, "in_sitemap": i % 3 != 0,
                  "inlinks": i % 40, "title": f"关于印发云溪市第 {i} 号文件的通知_政务公开_云溪市人民政府",
                  "score": i % 101, "is_service": i < services, "kind": "html", "type": "article",
                  "content_type": "text/html; charset=utf-8", "size": 20_000 + i}
                 for i in range(pages)]
    finding_docs = [{"rule": rule_ids[i % rules], "severity": severities[(i % rules) % 3],
                     "url": page_docs[i % pages]["url"], "message": f"第 {i} 条问题的说明文字，指出页面哪里需要修改",
                     "message_en": f"Finding {i} explained", "evidence": _EVIDENCE_SHAPES[i % len(_EVIDENCE_SHAPES)]}
                    for i in range(findings)]
    service_docs = [{"url": page_docs[i]["url"], "name": f"第 {i} 项政务服务事项办理", "section": f"市第 {i % sections} 局",
                     "score": (i * 7) % 100, "rank": i + 1, "reasons": rule_ids[i % 5: i % 5 + 3],
                     "queries": [{"query": f"服务 {i} 办理", "kind": "name", "position": None},
                                 {"query": f"怎么办服务 {i}", "kind": "everyday", "position": 3}],
                     "fixes": [{"rule": rid, "fix": f"把“服务 {i}”写进标题；从首页和部门页链接到本页。",
                                "fix_en": "Put the name in the title."} for rid in rule_ids[i % 5: i % 5 + 3]],
                     "components": {"gates": [], "reach": 0.5, "relevance": 1.0, "search": 0.5},
                     "everyday_missing": ["办证"], "indexable": True, "depth": 3,
                     "title": page_docs[i]["title"]} for i in range(services)]
    section_docs = [{"name": f"市第 {i} 局", "services": services // sections, "score": (i * 13) % 100,
                     "hard": i % 9, "hardest": f"第 {i} 项政务服务事项办理"} for i in range(sections)]
    fix_docs = [{"id": f"{i:012x}", "rule": "broken-link", "severity": "error", "kind": "broken-target",
                 "cause": f"链接到已失效的 {ROOT}old/{i}.html（404）", "cause_en": f"links to {ROOT}old/{i}.html (404)",
                 "fix": f"修改或删除指向 {ROOT}old/{i}.html 的链接", "fix_en": f"Fix the links to {ROOT}old/{i}.html",
                 "pages": pages // (i + 1), "services": services // (i + 1), "services_total": services,
                 "template": i < 3, "target": f"{ROOT}old/{i}.html",
                 "urls": [page_docs[(i * 20 + j) % pages]["url"] for j in range(20)]} for i in range(fixes)]
    return make_result(rules=rule_docs, findings=finding_docs, pages=page_docs, services=service_docs,
                       sections=section_docs, crawl={**_RESULT["crawl"], "pages": pages}, fixes=fix_docs)


# --- issue 13: site gates and fixes (findings grouped by cause) ----------------------------------------

NOINDEX_META = '<meta name="robots" content="noindex">'


def make_gate(gate_id: str, indexable: int, total: int, cap: int | None = 10,
              binding: bool = False) -> dict[str, Any]:
    return {"id": gate_id, "indexable": indexable, "total": total,
            "share": round(indexable / total, 4) if total else 1.0, "cap": cap, "binding": binding}


def make_fix(rule: str, fix: str, pages: int, services: int = 0, services_total: int = 18, *,
             fix_en: str = "", cause: str = "", cause_en: str = "", severity: str = "error", kind: str = "rule",
             template: bool = False, target: str | None = None, urls: list[str] | None = None) -> dict[str, Any]:
    """One entry of ``fixes`` (schema of issue 13); ``urls`` default: up to 20 made-up affected pages."""
    shown = urls if urls is not None else [f"{ROOT}{rule}/p{i:04}.html" for i in range(min(pages, 20))]
    return {"id": f"{abs(hash((rule, kind, target, fix))) % 16**12:012x}", "rule": rule, "severity": severity,
            "kind": kind, "cause": cause, "cause_en": cause_en, "fix": fix, "fix_en": fix_en, "pages": pages,
            "services": services, "services_total": services_total, "template": template, "target": target,
            "urls": shown, "rules": [rule], "gating": rule in GATING}


def noindex_fix(pages: int = 1451, services: int = 18) -> dict[str, Any]:
    """The template-wide noindex of the real portal: every page, every service guide."""
    return make_fix("noindex", f"删除网站模板中的 {NOINDEX_META}", pages, services, services,
                    fix_en=f"Remove {NOINDEX_META} from the site template",
                    cause=f"网站模板中的 {NOINDEX_META}", cause_en=f"{NOINDEX_META} in the site template",
                    kind="template", template=True)


def broken_link_fix(pages: int = 1437) -> dict[str, Any]:
    """A template-wide link to a missing page: one fix, however many pages carry the link."""
    target = ROOT + "zwgk/old-index.html"
    return make_fix("broken-link", f"修改网站模板中指向 {target} 的失效链接", pages, 0,
                    fix_en=f"Fix the site template's broken link to {target}",
                    cause=f"网站模板链接到已失效的 {target}（404）", cause_en=f"the site template links to {target} (404)",
                    kind="broken-target", template=True, target=target)


def _service_docs(scores: list[int]) -> list[dict[str, Any]]:
    return [make_service(i + 1, f"办事指南 {i + 1}", f"{ROOT}bszn/s{i:02}.html", score)
            for i, score in enumerate(sorted(scores))]


def make_noindex_result(pages: int = 1451, services: int = 18) -> dict[str, Any]:
    """Every page noindex from the template: the capped score 8 (83 before the cap), the real portal's case."""
    fixes = [
        noindex_fix(pages, services),
        broken_link_fix(),
        make_fix("description-missing", "为每个页面添加 meta description", 900, 12, services,
                 fix_en="Add a meta description to every page", cause="页面缺少描述", cause_en="no meta description",
                 severity="warning"),
        make_fix("title-generic", "把页面名称写进标题，不要只用站点名", 40, 3, services,
                 fix_en="Put the page's own name in its title", cause="标题只有站点名", cause_en="title is the site name"),
        make_fix("lang-missing", "在网站模板的 <html> 上加 lang=\"zh-CN\"", pages, 0, services,
                 fix_en="Add lang=\"zh-CN\" to <html> in the site template", cause="模板缺少 lang",
                 cause_en="template lacks lang", severity="notice", kind="template", template=True),
        make_fix("image-alt-missing", "为图片添加 alt 说明", 1, 0, services, fix_en="Give images an alt text",
                 cause="图片缺少 alt", cause_en="images lack alt", severity="notice"),
        make_fix("deep-page", "从首页或部门页直接链接到办事指南", 1, 1, services,
                 fix_en="Link the guide from the home page", cause="点击深度过深", cause_en="too deep",
                 severity="warning"),
    ]
    site = {**_RESULT["site"], "score": 8, "score_uncapped": 83,
            "categories": {"indexability": 0, "content": 70, "structure": 88, "gov": None, "findability": 5},
            "gates": [make_gate("pages-indexable", 0, pages, 10, True),
                      make_gate("services-indexable", 0, services, 10, False)]}
    return make_result(site=site, fixes=fixes, services=_service_docs([5] * services),
                       crawl={**_RESULT["crawl"], "pages": pages})


def make_partial_result() -> dict[str, Any]:
    """A third of the pages indexable: the pages gate caps 76 at 40; 7 of 18 guides affected by the cause."""
    site = {**_RESULT["site"], "score": 40, "score_uncapped": 76,
            "categories": {"indexability": 35, "content": 80, "structure": 90, "gov": 85, "findability": 50},
            "gates": [make_gate("pages-indexable", 480, 1451, 40, True),
                      make_gate("services-indexable", 11, 18, 70, False)]}
    fixes = [make_fix("robots-blocked", "删除 robots.txt 中的 Disallow: /zwgk/ 规则", 971, 7, 18,
                      fix_en="Remove the rule Disallow: /zwgk/ from robots.txt",
                      cause="robots.txt 规则 Disallow: /zwgk/", cause_en="the robots.txt rule Disallow: /zwgk/",
                      kind="robots-rule", target=ROOT + "zwgk/")]
    return make_result(site=site, fixes=fixes, services=_service_docs([20] * 7 + [75] * 11))


def make_healthy_result() -> dict[str, Any]:
    """Nothing caps the score: every gate passes, all 18 guides score 60 or more."""
    site = {**_RESULT["site"], "score": 93, "score_uncapped": 93,
            "categories": {"indexability": 100, "content": 91, "structure": 95, "gov": 90, "findability": 92},
            "gates": [make_gate("pages-indexable", 1451, 1451, 100), make_gate("services-indexable", 18, 18, 100)]}
    fixes = [make_fix("image-alt-missing", "为图片添加 alt 说明", 12, 0, 18, fix_en="Give images an alt text",
                      cause="图片缺少 alt", cause_en="images lack alt", severity="notice")]
    return make_result(site=site, fixes=fixes, services=_service_docs([70 + i for i in range(18)]))
