"""Turn a result document (result.json, already loaded) into the view model the templates render.

All sorting, grouping, capping, language fallback and defaulting of missing
fields happens here, so the templates stay simple. Nothing here escapes text:
the Jinja environment autoescapes everything the templates print.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from reports.i18n import CATEGORIES, SEVERITIES, labels, normalise_lang

FINDINGS_CAP = 50  # rows shown per rule group; the rest are in findings.csv
PAGES_CAP = 500  # rows of the pages table
SERVICES_CAP = 500  # rows of the services table
EVIDENCE_CHARS = 400  # evidence longer than this is cut in the HTML (full text in the CSV)

_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
_CATEGORY_RANK = {name: rank for rank, name in enumerate(CATEGORIES)}
_BEIJING = timezone(timedelta(hours=8), "UTC+8")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return round(number) if math.isfinite(number) else None


def score_of(value: Any) -> int | None:
    """A 0-100 score, or None when absent / not applicable / not a number."""
    number = _int(value)
    return None if number is None else max(0, min(100, number))


def grade(score: int | None) -> str:
    """Lighthouse bands: good (>= 90), average (50-89), poor (< 50), na (no score)."""
    if score is None:
        return "na"
    return "good" if score >= 90 else "average" if score >= 50 else "poor"


def evidence_text(evidence: Any) -> str:
    """Evidence as one line: strings as they are, anything else as compact JSON."""
    if evidence is None:
        return ""
    if isinstance(evidence, str):
        return evidence
    return json.dumps(evidence, ensure_ascii=False, separators=(",", ":"), default=str)


def severity_rank(severity: Any) -> int:
    return _SEVERITY_RANK.get(severity, len(SEVERITIES))


def rule_texts(rule: dict[str, Any], lang: str) -> dict[str, str]:
    """Title, description and fix of a rule in ``lang`` (English falls back to the zh text)."""
    zh = {key: _text(rule.get(key)) for key in ("title", "description", "fix")}
    if lang == "en":
        en = _dict(rule.get("en"))
        zh = {key: _text(en.get(key)) or value for key, value in zh.items()}
    zh["title"] = zh["title"] or _text(rule.get("id"))
    return zh


def _message(finding: dict[str, Any], lang: str) -> str:
    if lang == "en" and finding.get("message_en"):
        return _text(finding["message_en"])
    return _text(finding.get("message"))


def _when(value: Any, lang: str) -> tuple[str, datetime | None]:
    text = _text(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text, None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    local = moment.astimezone(_BEIJING if lang == "zh" else UTC)
    return local.strftime("%Y-%m-%d %H:%M:%S"), moment


def _duration(start: datetime | None, end: datetime | None, t: dict[str, Any]) -> str:
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
    started, start_dt = _when(crawl.get("started_at"), lang)
    _, end_dt = _when(crawl.get("finished_at"), lang)
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
        "pages_crawled": pages_crawled if pages_crawled is not None else len(_dicts(result.get("pages"))),
        "crawl_date": started,
        "duration": _duration(start_dt, end_dt, t),
        "user_agent": _text(crawl.get("user_agent")),
        "settings": settings,
    }


def _findings(result: dict[str, Any], lang: str) -> dict[str, Any]:
    rules = {_text(r.get("id")): r for r in _dicts(result.get("rules")) if r.get("id")}
    by_rule: dict[str, list[dict[str, Any]]] = {}
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in _dicts(result.get("findings")):
        rule_id = _text(finding.get("rule"))
        by_rule.setdefault(rule_id, []).append(finding)
        severity = finding.get("severity") or _dict(rules.get(rule_id)).get("severity")
        if severity in counts:
            counts[severity] += 1
    failing = {rid for rid, r in rules.items() if r.get("status") == "fail"}
    groups = []
    for rule_id in set(by_rule) | failing:
        rule = rules.get(rule_id) or {"id": rule_id}
        items = by_rule.get(rule_id, [])
        severity = min((f.get("severity") for f in items), key=severity_rank, default=None)
        severity = severity if severity in _SEVERITY_RANK else rule.get("severity")
        rows = [
            {
                "url": _text(f.get("url")),
                "message": _message(f, lang),
                "evidence": _cut(evidence_text(f.get("evidence"))),
                "severity": f.get("severity") if f.get("severity") not in (None, severity) else None,
            }
            for f in sorted(items, key=lambda f: (severity_rank(f.get("severity")), _text(f.get("url")),
                                                  _message(f, lang)))
        ]
        count = len(items) or _int(rule.get("count")) or 0
        category = _text(rule.get("category"))
        groups.append({
            "id": rule_id, **rule_texts(rule, lang), "severity": _text(severity), "category": category,
            "source": _text(rule.get("source")), "count": count,
            "rows": rows[:FINDINGS_CAP], "more": max(0, len(rows) - FINDINGS_CAP),
        })
    groups.sort(key=lambda g: (severity_rank(g["severity"]), -g["count"], g["id"]))
    grouped = {g["id"] for g in groups}

    def listed(status: str) -> list[dict[str, Any]]:
        chosen = [r for rid, r in rules.items() if rid not in grouped and (r.get("status") or "pass") == status]
        chosen.sort(key=lambda r: (_CATEGORY_RANK.get(r.get("category"), 99), _text(r.get("id"))))
        return [{"id": _text(r.get("id")), **rule_texts(r, lang), "error": _text(r.get("error"))} for r in chosen]

    errored = [{"id": rid, **rule_texts(r, lang), "error": _text(r.get("error"))}
               for rid, r in sorted(rules.items()) if r.get("status") == "error"]
    return {"groups": groups, "counts": counts, "errored": errored, "passed": listed("pass"), "na": listed("n/a")}


def _cut(text: str) -> str:
    return text if len(text) <= EVIDENCE_CHARS else text[:EVIDENCE_CHARS] + "…"


def _pages(result: dict[str, Any], t: dict[str, Any]) -> dict[str, Any]:
    pages = _dicts(result.get("pages"))

    def key(page: dict[str, Any]) -> tuple[int, int, str]:
        # Worst first: HTTP errors, then by score; unscored pages last.
        score, depth = score_of(page.get("score")), _int(page.get("depth"))
        rank = -1 if (_int(page.get("status")) or 0) >= 400 else 101 if score is None else score
        return (rank, 10**9 if depth is None else depth, _text(page.get("url")))

    rows = []
    for page in sorted(pages, key=key)[:PAGES_CAP]:
        score = score_of(page.get("score"))
        rows.append({
            "url": _text(page.get("url")),
            "status": _text(page.get("status")) or t["dash"],
            "depth": _text(page.get("depth")) or t["dash"],
            "indexable": _flag(page.get("indexable"), t), "not_indexable": page.get("indexable") is False,
            "in_sitemap": _flag(page.get("in_sitemap"), t),
            "inlinks": _text(page.get("inlinks")) or t["dash"],
            "title": _text(page.get("title")),
            "score": score, "grade": grade(score),
            "is_service": page.get("is_service") is True,
            "http_error": (_int(page.get("status")) or 0) >= 400,
        })
    return {"rows": rows, "total": len(pages), "capped": len(pages) > PAGES_CAP}


def _services(result: dict[str, Any], lang: str) -> dict[str, Any]:
    rules = {_text(r.get("id")): r for r in _dicts(result.get("rules")) if r.get("id")}
    services = _dicts(result.get("services"))
    services.sort(key=lambda s: (_int(s.get("rank")) or 10**9, score_of(s.get("score")) or 0, _text(s.get("url"))))
    rows = []
    for service in services[:SERVICES_CAP]:
        score = score_of(service.get("score"))
        reasons = service.get("reasons") if isinstance(service.get("reasons"), list) else []
        fixes = {_text(f.get("rule")): _text(f.get("fix_en" if lang == "en" else "fix") or f.get("fix"))
                 for f in _dicts(service.get("fixes"))}
        rows.append({
            "rank": _text(service.get("rank")),
            "name": _text(service.get("name")) or _text(service.get("url")),
            "url": _text(service.get("url")),
            "section": _text(service.get("section")),
            "score": score, "grade": grade(score),
            "reasons": [{"id": _text(r), **rule_texts(_dict(rules.get(_text(r))) or {"id": r}, lang),
                         **({"fix": fixes[_text(r)]} if fixes.get(_text(r)) else {})}
                        for r in reasons],
            "queries": [{"query": _text(q.get("query")), "position": _int(q.get("position"))}
                        for q in _dicts(service.get("queries"))],
        })
    sections = []
    for section in _dicts(result.get("sections")):
        score = score_of(section.get("score"))
        sections.append({"name": _text(section.get("name")), "services": _text(section.get("services")),
                         "hard": _text(section.get("hard")), "hardest": _text(section.get("hardest")),
                         "score": score, "grade": grade(score)})
    return {"rows": rows, "more": max(0, len(services) - SERVICES_CAP), "sections": sections}


def build_context(result: dict[str, Any], lang: str = "zh") -> dict[str, Any]:
    """The complete template context for one report. ``result`` is not modified."""
    lang = normalise_lang(lang)
    result = _dict(result)
    t = labels(lang)
    tool = _dict(result.get("tool"))
    return {
        "lang": lang,
        "t": t,
        "tool_version": _text(tool.get("version")),
        "schema_version": _text(result.get("schema_version")),
        "site": _overview(result, lang, t),
        "findings": _findings(result, lang),
        "pages": _pages(result, t),
        "services": _services(result, lang),
        "caps": {"findings": FINDINGS_CAP, "pages": PAGES_CAP},
    }
