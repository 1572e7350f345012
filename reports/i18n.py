"""User-visible labels of the report, zh-CN first, English second.

Labels with ``%s`` placeholders are meant for Jinja's ``format`` filter
(printf style), e.g. ``{{ t.more_rows|format(n) }}``.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_LANG = "zh"

# Display order of severities and categories (also the sort order of findings).
SEVERITIES: tuple[str, ...] = ("error", "warning", "notice")
CATEGORIES: tuple[str, ...] = ("indexability", "content", "structure", "gov", "findability")

_ZH: dict[str, Any] = {
    "html_lang": "zh-CN",
    "report_title": "政府网站搜索可见性报告",
    "subtitle": "哪些办事服务页面群众通过搜索引擎找不到",
    "toc_overview": "概览",
    "toc_services": "办事服务",
    "toc_findings": "问题清单",
    "toc_pages": "页面",
    "site_score": "站点得分",
    "category_scores": "分类得分",
    "issue_counts": "问题数量",
    "grades": {"good": "良好", "average": "需改进", "poor": "较差", "na": "未评分"},
    "grade_legend": "90-100 良好 · 50-89 需改进 · 0-49 较差",
    "severities": {"error": "错误", "warning": "警告", "notice": "提示"},
    "severity_counts": {"error": "错误", "warning": "警告", "notice": "提示"},
    "categories": {
        "indexability": "可收录性",
        "content": "页面内容",
        "structure": "站点结构",
        "gov": "政府网站规范",
        "findability": "可找到性",
    },
    "start_urls": "起始网址",
    "pages_crawled": "抓取页面数",
    "crawl_date": "抓取时间",
    "timezone": "北京时间",
    "duration": "耗时",
    "seconds": "%s 秒",
    "minutes_seconds": "%s 分 %s 秒",
    "user_agent": "抓取标识（User-Agent）",
    "settings": "抓取设置",
    "setting_names": {
        "max_pages": "最大页面数",
        "max_depth": "最大点击深度",
        "concurrency": "并发请求数",
        "obey_robots": "遵守 robots.txt",
        "delay": "请求间隔（秒）",
        "include": "包含规则",
        "exclude": "排除规则",
        "user_agent": "抓取标识",
    },
    "findings": "问题清单",
    "findings_intro": "按检查规则分组：先错误，后警告、提示；同级按数量从多到少。",
    "no_findings": "未发现问题。",
    "rule_id": "规则",
    "count_unit": "%s 处",
    "why": "为什么重要",
    "fix": "如何修复",
    "source_note": "（依据：%s）",
    "n_paren": "（%s）",
    "more_rows": "另有 %s 条，见 findings.csv",
    "no_rows": "没有逐条记录。",
    "errored_checks": "未能完成的检查",
    "errored_intro": "以下检查运行出错，相关结果不完整：",
    "colon": "：",
    "passed_checks": "通过的检查",
    "na_checks": "不适用的检查",
    "col_url": "网址",
    "col_message": "说明",
    "col_evidence": "证据",
    "col_severity": "级别",
    "col_status": "状态码",
    "col_depth": "点击深度",
    "col_indexable": "可收录",
    "col_in_sitemap": "在站点地图中",
    "col_inlinks": "内链数",
    "col_title": "标题",
    "col_score": "得分",
    "col_rank": "排名",
    "col_service": "服务事项",
    "col_section": "栏目/部门",
    "col_reasons": "主要问题",
    "col_queries": "搜索词（站内模拟排名）",
    "col_services": "服务数",
    "services": "最难找到的服务",
    "services_intro": "按可找到性（0-100）从低到高排列：第 1 名最难通过搜索引擎找到。每项列出原因和给网站编辑的修改建议。",
    "col_hard": "难找事项",
    "col_hardest": "最难找的事项",
    "services_empty": "服务排名将在可找到性分析中提供",
    "services_more": "另有 %s 项未显示，见 result.json",
    "sections": "部门排名",
    "not_found": "未找到",
    "position": "第 %s 位",
    "pages": "页面",
    "pages_intro": "按页面得分从低到高排列。",
    "pages_more": "仅显示前 %s 个页面（共 %s 个），完整列表见 pages.csv 或 result.json。",
    "no_pages": "没有抓取到页面。",
    "service_tag": "办事",
    "yes": "是",
    "no": "否",
    "dash": "—",
    "generated_by": "由 govseo %s 生成",
    "schema": "数据格式版本 %s",
}

_EN: dict[str, Any] = {
    "html_lang": "en",
    "report_title": "Government website search visibility report",
    "subtitle": "Which service pages citizens cannot find through search engines",
    "toc_overview": "Overview",
    "toc_services": "Services",
    "toc_findings": "Findings",
    "toc_pages": "Pages",
    "site_score": "Site score",
    "category_scores": "Category scores",
    "issue_counts": "Issues",
    "grades": {"good": "Good", "average": "Needs improvement", "poor": "Poor", "na": "Not scored"},
    "grade_legend": "90-100 good · 50-89 needs improvement · 0-49 poor",
    "severities": {"error": "Error", "warning": "Warning", "notice": "Notice"},
    "severity_counts": {"error": "Errors", "warning": "Warnings", "notice": "Notices"},
    "categories": {
        "indexability": "Indexability",
        "content": "Page content",
        "structure": "Site structure",
        "gov": "Government standards",
        "findability": "Findability",
    },
    "start_urls": "Start URL",
    "pages_crawled": "Pages crawled",
    "crawl_date": "Crawled at",
    "timezone": "UTC",
    "duration": "Duration",
    "seconds": "%s s",
    "minutes_seconds": "%s min %s s",
    "user_agent": "User agent",
    "settings": "Crawl settings",
    "setting_names": {
        "max_pages": "Max pages",
        "max_depth": "Max click depth",
        "concurrency": "Concurrent requests",
        "obey_robots": "Obey robots.txt",
        "delay": "Delay (s)",
        "include": "Include",
        "exclude": "Exclude",
        "user_agent": "User agent",
    },
    "findings": "Findings",
    "findings_intro": "Grouped by rule: errors first, then warnings and notices; most frequent first.",
    "no_findings": "No issues found.",
    "rule_id": "Rule",
    "count_unit": "%s found",
    "why": "Why it matters",
    "fix": "How to fix",
    "source_note": "(source: %s)",
    "n_paren": " (%s)",
    "more_rows": "%s more in findings.csv",
    "no_rows": "No individual rows recorded.",
    "errored_checks": "Checks that could not run",
    "errored_intro": "These checks crashed, so their results are incomplete:",
    "colon": ": ",
    "passed_checks": "Passed checks",
    "na_checks": "Not applicable",
    "col_url": "URL",
    "col_message": "Message",
    "col_evidence": "Evidence",
    "col_severity": "Severity",
    "col_status": "Status",
    "col_depth": "Depth",
    "col_indexable": "Indexable",
    "col_in_sitemap": "In sitemap",
    "col_inlinks": "Inlinks",
    "col_title": "Title",
    "col_score": "Score",
    "col_rank": "Rank",
    "col_service": "Service",
    "col_section": "Section",
    "col_reasons": "Main problems",
    "col_queries": "Queries (simulated site search position)",
    "col_services": "Services",
    "services": "Hardest services to find",
    "services_intro": "By findability (0-100), hardest first: rank 1 is the service citizens are least likely to "
                      "find through a search engine. Each lists its reasons and a fix for the web editor.",
    "col_hard": "Hard to find",
    "col_hardest": "Hardest service",
    "services_empty": "Service ranking not computed",
    "services_more": "%s more not shown, see result.json",
    "sections": "Department league table",
    "not_found": "not found",
    "position": "#%s",
    "pages": "Pages",
    "pages_intro": "Lowest page score first.",
    "pages_more": "Showing the first %s of %s pages; see pages.csv or result.json for all.",
    "no_pages": "No pages were crawled.",
    "service_tag": "service",
    "yes": "Yes",
    "no": "No",
    "dash": "—",
    "generated_by": "Generated by govseo %s",
    "schema": "schema version %s",
}

_LABELS: dict[str, dict[str, Any]] = {"zh": _ZH, "en": _EN}
LANGS: tuple[str, ...] = tuple(_LABELS)


def labels(lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Return (a copy of) the label table for ``lang``: "zh" (also "zh-CN") or "en"."""
    return copy.deepcopy(_LABELS[normalise_lang(lang)])


def normalise_lang(lang: str) -> str:
    """Map an accepted language spelling to its key ("zh" or "en"); ValueError otherwise."""
    key = lang.strip().lower() if isinstance(lang, str) else ""
    key = "zh" if key in ("zh-cn", "zh_cn", "zh-hans") else key
    if key not in _LABELS:
        raise ValueError(f"unsupported report language {lang!r}; choose one of {', '.join(LANGS)}")
    return key
