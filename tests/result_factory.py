"""Hand-made result documents (the result.json contract) for report tests."""

from __future__ import annotations

import copy
from typing import Any

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
                      rules: int = 45, sections: int = 60) -> dict[str, Any]:
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
    return make_result(rules=rule_docs, findings=finding_docs, pages=page_docs, services=service_docs,
                       sections=section_docs, crawl={**_RESULT["crawl"], "pages": pages})
