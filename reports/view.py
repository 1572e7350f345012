"""Turn a result document (result.json, already loaded) into the view model the templates render.

All sorting, grouping, capping, language fallback and defaulting of missing
fields happens here, so the templates stay simple. Nothing here escapes text:
the Jinja environment autoescapes everything the templates print.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from typing import Any

from reports.evidence import evidence_lines
from reports.fixes_view import fixes_view
from reports.history import trend_view
from reports.i18n import CATEGORIES, SEVERITIES, labels, normalise_lang
from reports.services_view import services_view, views_view
from reports.streams import Smallest
from reports.structure import structure
from reports.values import Rows, count, evidence_text, grade, moment, rule_texts, score_of, severity_rank
from reports.values import dict_of as _dict
from reports.values import dicts as _dicts
from reports.values import int_of as _int
from reports.values import rows as _rows
from reports.values import text as _text

__all__ = ["build_context", "evidence_text", "grade", "rule_texts", "score_of", "severity_rank"]

FINDINGS_CAP = 50  # rows shown per rule group; the rest are in findings.csv
FINDINGS_TOTAL_CAP = 2500  # rows shown over all groups, so a huge crawl still gives a small report
RULES_CAP = 120  # rule groups shown (the catalogue has about 50; more only with foreign rule ids)
PAGES_CAP = 500  # rows of the pages table

_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_CATEGORY_RANK = {name: rank for rank, name in enumerate(CATEGORIES)}


def _message(finding: dict[str, Any], lang: str) -> str:
    if lang == "en" and finding.get("message_en"):
        return _text(finding["message_en"])
    return _text(finding.get("message"))


def _duration(start: Any, end: Any, t: dict[str, Any]) -> str:
    if start is None or end is None or end < start:
        return ""
    seconds = round((end - start).total_seconds())
    if seconds < 60:
        return t["seconds"] % seconds
    return t["minutes_seconds"] % divmod(seconds, 60)


def _flag(value: Any, t: dict[str, Any]) -> str:
    if isinstance(value, bool):
        return t["yes"] if value else t["no"]
    return t["dash"] if value is None else _text(value)


def _setting(value: Any, t: dict[str, Any]) -> str:
    if isinstance(value, bool) or value is None:
        return _flag(value, t)
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value) or t["dash"]
    return evidence_text(value)


def _overview(result: dict[str, Any], lang: str, t: dict[str, Any]) -> dict[str, Any]:
    crawl, site = _dict(result.get("crawl")), _dict(result.get("site"))
    started, start_dt = moment(crawl.get("started_at"), lang)
    _, end_dt = moment(crawl.get("finished_at"), lang)
    start_urls = crawl.get("start_urls")
    start_urls = [_text(u) for u in start_urls] if isinstance(start_urls, list) else []
    raw_categories = _dict(site.get("categories"))
    keys = [c for c in CATEGORIES if c in raw_categories] + sorted(k for k in raw_categories if k not in CATEGORIES)
    categories = []
    for key in keys or list(CATEGORIES):
        score = score_of(raw_categories.get(key))
        categories.append({"key": key, "label": t["categories"].get(key, key), "score": score, "grade": grade(score)})
    settings_names = t["setting_names"]
    settings = [(settings_names.get(k, k), _setting(v, t)) for k, v in _dict(crawl.get("settings")).items()]
    score = score_of(site.get("score"))
    pages_crawled = _int(crawl.get("pages"))
    return {
        "name": _text(site.get("name")),
        "url": _text(site.get("url")) or (start_urls[0] if start_urls else ""),
        "score": score,
        "grade": grade(score),
        "categories": categories,
        "start_urls": start_urls,
        "pages_crawled": pages_crawled if pages_crawled is not None else count(result.get("pages")),
        "crawl_date": started,
        "duration": _duration(start_dt, end_dt, t),
        "user_agent": _text(crawl.get("user_agent")),
        "settings": settings,
    }


class _Tally:
    """One rule's findings as read: how many, the worst severity (first seen) and the first rows to show."""

    __slots__ = ("best", "count", "rank", "severity")

    def __init__(self) -> None:
        self.count, self.rank, self.severity = 0, -1, None
        self.best = Smallest(FINDINGS_CAP)

    def add(self, finding: dict[str, Any], lang: str) -> None:
        self.count += 1
        rank = severity_rank(finding.get("severity"))
        if self.rank < 0 or rank < self.rank:
            self.rank, self.severity = rank, finding.get("severity")
        self.best.add((rank, _text(finding.get("url")), _message(finding, lang)), finding)


def _findings(result: dict[str, Any], lang: str) -> dict[str, Any]:
    rules = {_text(r.get("id")): r for r in _dicts(result.get("rules")) if r.get("id")}
    by_rule: dict[str, _Tally] = {}
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in _rows(result.get("findings")):
        rule_id = _text(finding.get("rule"))
        tally = by_rule.get(rule_id)
        if tally is None:
            tally = by_rule[rule_id] = _Tally()
        tally.add(finding, lang)
        severity = finding.get("severity") or _dict(rules.get(rule_id)).get("severity")
        if severity in counts:
            counts[severity] += 1
    failing = {rid for rid, r in rules.items() if r.get("status") == "fail"}
    groups = []
    for rule_id in set(by_rule) | failing:
        rule = rules.get(rule_id) or {"id": rule_id}
        tally = by_rule.get(rule_id) or _Tally()
        severity = tally.severity if tally.severity in _SEVERITY_RANK else rule.get("severity")
        shown = [{"url": _text(f.get("url")), "message": _message(f, lang),
                  "evidence": evidence_lines(f.get("evidence"), lang),
                  "severity": f.get("severity") if f.get("severity") not in (None, severity) else None}
                 for f in tally.best.items()]
        category = _text(rule.get("category"))
        groups.append({
            "id": rule_id, **rule_texts(rule, lang), "severity": _text(severity), "category": category,
            "source": _text(rule.get("source")), "count": tally.count or _int(rule.get("count")) or 0,
            "rows": shown, "more": max(0, tally.count - len(shown)),
        })
    groups.sort(key=lambda g: (severity_rank(g["severity"]), -g["count"], g["id"]))
    budget = FINDINGS_TOTAL_CAP
    for group in groups[:RULES_CAP]:
        shown = group["rows"][:max(0, budget)]
        group["more"] += len(group["rows"]) - len(shown)
        group["rows"], budget = shown, budget - len(shown)
    grouped = {g["id"] for g in groups}

    def listed(status: str) -> list[dict[str, Any]]:
        chosen = [r for rid, r in rules.items() if rid not in grouped and (r.get("status") or "pass") == status]
        chosen.sort(key=lambda r: (_CATEGORY_RANK.get(r.get("category"), 99), _text(r.get("id"))))
        return [{"id": _text(r.get("id")), **rule_texts(r, lang), "error": _text(r.get("error"))} for r in chosen]

    errored = [{"id": rid, **rule_texts(r, lang), "error": _text(r.get("error"))}
               for rid, r in sorted(rules.items()) if r.get("status") == "error"]
    return {"groups": groups[:RULES_CAP], "groups_more": max(0, len(groups) - RULES_CAP), "counts": counts,
            "errored": errored, "passed": listed("pass"), "na": listed("n/a")}


def _pages(pages: Iterable[dict[str, Any]], t: dict[str, Any]) -> dict[str, Any]:
    def key(page: dict[str, Any]) -> tuple[int, int, str]:
        # Worst first: HTTP errors, then by score; unscored pages last.
        score, depth = score_of(page.get("score")), _int(page.get("depth"))
        rank = -1 if (_int(page.get("status")) or 0) >= 400 else 101 if score is None else score
        return (rank, 10**9 if depth is None else depth, _text(page.get("url")))

    total = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal total
        for page in pages:
            total += 1
            yield page

    worst = heapq.nsmallest(PAGES_CAP, counted(), key=key)  # stable, like sorted(...)[:PAGES_CAP]
    shown = []
    for page in worst:
        score = score_of(page.get("score"))
        shown.append({
            "url": _text(page.get("url")),
            "status": _text(page.get("status")) or t["dash"], "status_n": _int(page.get("status")),
            "depth": _text(page.get("depth")) or t["dash"], "depth_n": _int(page.get("depth")),
            "indexable": _flag(page.get("indexable"), t), "not_indexable": page.get("indexable") is False,
            "in_sitemap": _flag(page.get("in_sitemap"), t),
            "inlinks": _text(page.get("inlinks")) or t["dash"], "inlinks_n": _int(page.get("inlinks")),
            "title": _text(page.get("title")),
            "score": score, "grade": grade(score),
            "is_service": page.get("is_service") is True,
            "http_error": (_int(page.get("status")) or 0) >= 400,
        })
    return {"rows": shown, "total": total, "capped": total > PAGES_CAP}


def build_context(result: dict[str, Any], lang: str = "zh",
                  history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The complete template context for one report. Neither ``result`` nor ``history`` is modified."""
    lang = normalise_lang(lang)
    result = _dict(result)
    t = labels(lang)
    tool = _dict(result.get("tool"))
    pages = Rows(result.get("pages"))  # read once per use, never listed: it may be a large Spool
    site = _overview(result, lang, t)
    return {
        "lang": lang,
        "t": t,
        "tool_version": _text(tool.get("version")),
        "schema_version": _text(result.get("schema_version")),
        "site": site,
        "fixes": fixes_view(result, lang, t, site["categories"]),
        "findings": _findings(result, lang),
        "pages": _pages(pages, t),
        "structure": structure(pages, t),
        "services": services_view(result, lang),
        "views": views_view(result, lang, t),
        "trend": trend_view(result, history, lang, t) if history else None,
        "caps": {"findings": FINDINGS_CAP, "pages": PAGES_CAP},
    }
