"""View model of the services part: the hardest-to-find services and the department league table."""

from __future__ import annotations

from typing import Any

from reports.streams import Smallest
from reports.values import dicts, grade, int_of, rows, rule_texts, score_of, text

SERVICES_CAP = 500  # rows of the services table; every service is in services.csv
SECTIONS_CAP = 200  # rows of the department league table
VIEWS_CAP = 200     # services in the "what Baiduspider gets / what a citizen sees" panel


def service_order(service: dict[str, Any]) -> tuple[int, int, str]:
    """Rank first (1 = hardest to find), then score, then URL; services without a rank last."""
    return (int_of(service.get("rank")) or 10**9, score_of(service.get("score")) or 0, text(service.get("url")))


def service_fixes(service: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The editor's fixes of one service, in ``lang``; falls back to each reason's generic rule fix."""
    fixes = []
    for fix in dicts(service.get("fixes")):
        body = text(fix.get("fix_en") if lang == "en" and fix.get("fix_en") else fix.get("fix"))
        if body:
            rule = rules.get(text(fix.get("rule"))) or {"id": text(fix.get("rule"))}
            fixes.append({"rule": rule_texts(rule, lang)["title"], "fix": body})
    if not fixes:
        for reason in service.get("reasons") if isinstance(service.get("reasons"), list) else []:
            texts = rule_texts(rules.get(text(reason)) or {"id": text(reason)}, lang)
            if texts["fix"]:
                fixes.append({"rule": texts["title"], "fix": texts["fix"]})
    return fixes


def _row(service: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str) -> dict[str, Any]:
    score = score_of(service.get("score"))
    reasons = service.get("reasons") if isinstance(service.get("reasons"), list) else []
    everyday = service.get("everyday_missing")
    return {
        "rank": text(service.get("rank")),
        "name": text(service.get("name")) or text(service.get("url")),
        "url": text(service.get("url")),
        "title": text(service.get("title")),
        "section": text(service.get("section")),
        "score": score, "grade": grade(score),
        "depth": int_of(service.get("depth")),
        "not_indexable": service.get("indexable") is False,
        "reasons": [{"id": text(r), "title": rule_texts(rules.get(text(r)) or {"id": r}, lang)["title"]}
                    for r in reasons],
        "fixes": service_fixes(service, rules, lang),
        "queries": [{"query": text(q.get("query")), "position": int_of(q.get("position"))}
                    for q in dicts(service.get("queries"))],
        "everyday_missing": [text(w) for w in everyday] if isinstance(everyday, list) else [],
    }


def hardest(services: Any, n: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``n`` services (a list or ``Spool``) by ``service_order``, as a stable sort would give
    them, and how many services there are; one pass, ``n`` services in memory."""
    keeper = Smallest(n)
    for service in rows(services):
        keeper.add(service_order(service), service)
    return keeper.items(), keeper.seen


def services_view(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """Service rows (hardest first, capped) and the department league table (worst first, capped)."""
    rules = {text(r.get("id")): r for r in dicts(result.get("rules")) if r.get("id")}
    shown, total = hardest(result.get("services"), SERVICES_CAP)
    service_rows = [_row(service, rules, lang) for service in shown]
    sections = []
    for section in dicts(result.get("sections")):
        score = score_of(section.get("score"))
        sections.append({"name": text(section.get("name")), "services": int_of(section.get("services")),
                         "hard": int_of(section.get("hard")), "hardest": text(section.get("hardest")),
                         "score": score, "grade": grade(score)})
    sections.sort(key=lambda s: (s["score"] is None, s["score"] or 0, s["name"]))
    for place, section in enumerate(sections, 1):
        section["place"] = place
    return {"rows": service_rows, "total": total, "more": max(0, total - SERVICES_CAP),
            "sections": sections[:SECTIONS_CAP], "sections_more": max(0, len(sections) - SECTIONS_CAP)}



def _side(side: Any, measure: str, t: dict[str, Any]) -> dict[str, Any]:
    """One side of a panel as lines to show: status (with the challenge marker), text length, title, or why
    there is nothing to show."""
    side = side if isinstance(side, dict) else {}
    note = text(side.get("note"))
    status = int_of(side.get("status"))
    chars = int_of(side.get("text_chars"))
    marker = text(side.get("marker"))
    return {
        "name": text(side.get("name")),
        "note": t["view_notes"].get(note, note) if note else "",
        "status": (f"HTTP {status}" if status is not None else "") + (t["view_marker"] % marker if marker else ""),
        "bad": (status is not None and status >= 400) or bool(marker) or note in ("no-link", "no-answer"),
        "chars": (t["view_chars_main"] if measure == "main" else t["view_chars_page"]) % chars
        if chars is not None else "",
        "title": text(side.get("title")),
        "via": text(side.get("via")),
        "n": chars,
    }


def views_view(result: dict[str, Any], lang: str, t: dict[str, Any]) -> dict[str, Any]:
    """The services a view gate keeps out (result.json services[].views), hardest first: what Baiduspider gets
    beside what a citizen sees, capped at VIEWS_CAP."""
    rules = {text(r.get("id")): r for r in dicts(result.get("rules")) if r.get("id")}
    keeper = Smallest(VIEWS_CAP)
    for service in rows(result.get("services")):
        if dicts(service.get("views")):
            keeper.add(service_order(service), service)
    shown = []
    for service in keeper.items():
        panels = []
        for panel in dicts(service.get("views")):
            measure = text(panel.get("measure"))
            engine, citizen = _side(panel.get("engine"), measure, t), _side(panel.get("citizen"), measure, t)
            if engine["n"] is not None and citizen["n"] is not None and 2 * engine["n"] < citizen["n"]:
                engine["bad"] = True        # the crawler gets less than half the text the citizen reads
            panels.append({"rule": rule_texts(rules.get(text(panel.get("rule"))) or {"id": text(panel.get("rule"))},
                                              lang)["title"], "engine": engine, "citizen": citizen})
        score = score_of(service.get("score"))
        shown.append({"name": text(service.get("name")) or text(service.get("url")), "url": text(service.get("url")),
                      "rank": text(service.get("rank")), "score": score, "grade": grade(score), "panels": panels})
    return {"rows": shown, "more": max(0, keeper.seen - VIEWS_CAP)}
