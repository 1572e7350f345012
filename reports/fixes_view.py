"""View model of the scorecard's headline, its opening "fix these first" list and the full list of fixes."""

from __future__ import annotations

from typing import Any

from reports.fixes import TOP_FIXES, cause_text, fix_text, headline, impact_text, read_fixes, service_counts
from reports.values import severity_rank

FIXES_CAP = 300  # rows of the full fixes table; every fix is in fixes.csv


def _item(number: int, fix: dict[str, Any], lang: str, t: dict[str, Any]) -> dict[str, Any]:
    impact = impact_text(fix, lang)
    urls = fix["urls"]
    if len(urls) < fix["pages"]:
        urls_label = t["fix_urls_sample"] % (f"{len(urls):,}", f"{fix['pages']:,}")
    else:
        urls_label = t["fix_urls"] % f"{len(urls):,}"
    severity = fix["severity"] if severity_rank(fix["severity"]) < 3 else ""
    return {
        "n": number, "id": fix["id"], "rule": fix["rule"], "severity": severity, "severity_rank": severity_rank(severity), "kind": fix["kind"],
        "template": fix["template"], "fix": fix_text(fix, lang),
        "impact": t["say"]["impact_lead"] + impact if impact else "",
        "cause": cause_text(fix, lang), "target": fix["target"], "urls": urls, "urls_label": urls_label,
        "pages": fix["pages"], "services": fix["services"],
        "all_services": bool(fix["services"]) and fix["services"] >= fix["services_total"] > 0,
    }


def fixes_view(result: dict[str, Any], lang: str, t: dict[str, Any],
               categories: list[dict[str, Any]]) -> dict[str, Any]:
    """The headline (sentence and note), the top fixes and the (capped) full list of fixes."""
    fixes = read_fixes(result, max(FIXES_CAP, TOP_FIXES, 1))     # one pass; the rest stay in fixes.csv
    services, hard = service_counts(result)
    said = headline(result.get("site"), fixes, services, hard, lang,
                    [(c["label"], c["score"]) for c in categories])
    items = [_item(number, fix, lang, t) for number, fix in enumerate(fixes.kept, 1)]
    return {"headline": said["text"], "note": said["note"], "top": items[:TOP_FIXES], "all": items[:FIXES_CAP],
            "total": fixes.total, "more": max(0, fixes.total - FIXES_CAP)}
