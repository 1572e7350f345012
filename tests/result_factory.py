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
