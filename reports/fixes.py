"""The fixes of a result document (findings grouped by cause) and the scorecard's headline, as plain text.

Shared by the HTML view, fixes.csv, the Markdown summary and the JUnit file, so that every output says a fix in
the same words: the action, then its impact ("{fix}：影响 1,451 个页面、全部办事指南"). Nothing here escapes:
each renderer escapes for its own format (the HTML templates autoescape).

Older result documents have no ``fixes`` and no ``site.gates``: both read as empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reports.i18n import labels, normalise_lang
from reports.values import HARD_BELOW, dict_of, dicts, grade, int_of, rows, score_of, text

TOP_FIXES = 5  # fixes the scorecard, the Markdown summary and the JUnit file open with
URLS_CAP = 20  # affected page URLs kept per fix (the contract's own limit)



def _count(value: Any) -> int:
    number = int_of(value)
    return max(0, number) if number is not None else 0


def _normalised(fix: dict[str, Any]) -> dict[str, Any]:
    urls = fix.get("urls")
    return {
        "id": text(fix.get("id")), "rule": text(fix.get("rule")), "severity": text(fix.get("severity")),
        "kind": text(fix.get("kind")) or "rule", "template": fix.get("template") is True,
        "gating": fix.get("gating") is True,
        "pages": _count(fix.get("pages")), "services": _count(fix.get("services")),
        "services_total": _count(fix.get("services_total")), "target": text(fix.get("target")),
        "urls": [text(u) for u in urls[:URLS_CAP] if u is not None] if isinstance(urls, list) else [],
        "fix": text(fix.get("fix")), "fix_en": text(fix.get("fix_en")),
        "cause": text(fix.get("cause")), "cause_en": text(fix.get("cause_en")),
    }


def iter_fixes(result: Any) -> Iterator[dict[str, Any]]:
    """The fixes of ``result`` (a list or a ``Spool``) in document order, most impact first, one at a time,
    each with every field present; nothing for an older document without ``fixes``."""
    for fix in rows(dict_of(result).get("fixes")):
        yield _normalised(fix)


def fixes_of(result: Any) -> list[dict[str, Any]]:
    """``iter_fixes`` as a list (for short documents and tests; the renderers read ``read_fixes``)."""
    return list(iter_fixes(result))


@dataclass
class Fixes:
    """What a renderer needs of the fixes, read in one pass with ``keep`` of them in memory."""

    kept: list[dict[str, Any]]          # the first ``keep`` fixes
    total: int                          # how many fixes there are
    gating: dict[str, Any] | None       # the first fix of a rule that keeps pages out of the index, anywhere


def read_fixes(result: Any, keep: int) -> Fixes:
    kept: list[dict[str, Any]] = []
    total, gating = 0, None
    for fix in iter_fixes(result):
        total += 1
        if total <= keep:
            kept.append(fix)
        if gating is None and fix["gating"]:
            gating = fix
    return Fixes(kept, total, gating)


def gates_of(site: Any) -> list[dict[str, Any]]:
    """The site's gates (``site.gates``), each with every field present; [] when absent."""
    out = []
    for gate in dicts(dict_of(site).get("gates")):
        share = gate.get("share")
        total, indexable = _count(gate.get("total")), _count(gate.get("indexable"))
        if not isinstance(share, int | float) or isinstance(share, bool):
            share = indexable / total if total else 1.0
        out.append({"id": text(gate.get("id")), "indexable": min(indexable, total), "total": total,
                    "share": max(0.0, min(1.0, float(share))), "cap": score_of(gate.get("cap")),
                    "binding": gate.get("binding") is True})
    return out


_SENTENCE_END = "。.！!；;，, \t\n\uff0e"  # \uff0e: the full-width full stop


def fix_text(fix: dict[str, Any], lang: str) -> str:
    """The action alone, in ``lang`` (English falls back to the zh text, then to the cause or the rule id),
    without a closing full stop, so that its impact can follow ("…noindex：影响 2 个页面")."""
    english = fix.get("fix_en") if lang == "en" else ""
    return (english or fix.get("fix") or cause_text(fix, lang) or fix.get("rule") or "").rstrip(_SENTENCE_END)


def cause_text(fix: dict[str, Any], lang: str) -> str:
    return (fix.get("cause_en") if lang == "en" else "") or fix.get("cause") or ""


def _inline(text: str, lang: str) -> str:
    """A cause said inside an English sentence: "Page is blocked …" -> "page is blocked …" (not "URL …")."""
    if lang == "en" and len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text.rstrip(_SENTENCE_END)


def _n(number: int) -> str:
    return f"{number:,}"


def impact_text(fix: dict[str, Any], lang: str) -> str:
    """What the fix mends: "影响 1,451 个页面、全部办事指南" / "affects 1,451 pages, every service guide"."""
    say = labels(lang)["say"]
    parts = []
    pages, services, total = fix.get("pages") or 0, fix.get("services") or 0, fix.get("services_total") or 0
    if pages:
        parts.append((say["impact_page"] if pages == 1 else say["impact_pages"]).format(n=_n(pages)))
    if services:
        if total and services >= total:
            parts.append(say["impact_all_services"])
        else:
            parts.append((say["impact_service"] if services == 1 else say["impact_services"]).format(n=_n(services)))
    if not parts:
        return ""
    if not pages:
        parts[0] = say["impact_only_services"].format(what=parts[0])
    return say["impact_sep"].join(parts)


def fix_sentence(fix: dict[str, Any], lang: str) -> str:
    """The fix said once: the action, then its impact."""
    impact = impact_text(fix, lang)
    return fix_text(fix, lang) + (labels(lang)["say"]["impact_lead"] + impact if impact else "")


def headline_gate(site: dict[str, Any], gates: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The gate the headline speaks of: the binding one, else one that holds the score at its cap anyway.

    A gate is not binding when the score is already below its cap (a site whose every page is noindex may
    also score 5 without the gate): it is still the truth about the site, so it is said.
    """
    binding = next((g for g in gates if g["binding"] and g["total"]), None)
    if binding is not None:
        return binding
    score = score_of(site.get("score"))
    failing = [g for g in gates if g["total"] and g["indexable"] < g["total"] and g["cap"] is not None
               and score is not None and score <= g["cap"]]
    return min(failing, key=lambda g: g["share"]) if failing else None


def _share(share: float, say: dict[str, str]) -> str:
    return say["share_tiny"] if 0 < share < 0.01 else f"{int(share * 100)}%"


def _gate_clause(gate: dict[str, Any], say: dict[str, str]) -> str:
    total, bad = gate["total"], gate["total"] - gate["indexable"]
    kind = {"pages-indexable": "pages", "services-indexable": "services"}.get(gate["id"])
    if kind is None:
        return say["gate_other"].format(id=gate["id"], ok=_n(gate["indexable"]), total=_n(total),
                                        cap=gate["cap"] if gate["cap"] is not None else "—")
    if not gate["indexable"]:
        return say[f"gate_{kind}_none"].format(total=_n(total))
    return say[f"gate_{kind}_some"].format(total=_n(total), bad=_n(bad), share=_share(gate["share"], say))


def service_counts(result: dict[str, Any]) -> tuple[int, int]:
    """How many services the result ranks and how many of them are hard to find (score below HARD_BELOW)."""
    services = hard = 0
    for service in rows(dict_of(result).get("services")):
        services += 1
        value = score_of(service.get("score"))
        hard += value is not None and value < HARD_BELOW
    return services, hard


def headline(site: Any, fixes: Fixes, services: int, hard: int, lang: str,
             categories: list[tuple[str, int | None]] | None = None) -> dict[str, str]:
    """The scorecard's first sentence and its secondary note (the uncapped score, or "").

    ``site``: the result's ``site`` object; ``fixes``: ``read_fixes(result, n)`` (n >= 1); ``services``/``hard``:
    from ``service_counts``; ``categories``: (label, score) pairs in display order, for the weakest category.
    The cause named for a gate is the first fix of a gating rule (noindex, robots-blocked, ...), else the first fix.
    """
    lang = normalise_lang(lang)
    t = labels(lang)
    say = t["say"]
    site = dict_of(site)
    score = score_of(site.get("score"))
    gate = headline_gate(site, gates_of(site))
    opening = say["score"].format(score=score) if score is not None else say["score_na"]
    if gate is not None:
        clause = _gate_clause(gate, say)
        cause = fixes.gating or (fixes.kept[0] if fixes.kept else None)
        if cause is not None and cause_text(cause, lang):
            clause += say["gate_cause"].format(cause=_inline(cause_text(cause, lang), lang))
    else:
        if score is not None:
            opening += say["grade"].format(grade=t["grades"][grade(score)].lower())
        if services and hard >= services:
            clause = say["services_all_hard"].format(total=_n(services))
        elif services and hard:
            clause = say["services_hard"].format(total=_n(services), hard=_n(hard))
        elif services:
            clause = say["services_ok"].format(total=_n(services))
        else:
            clause = say["services_none"]
        scored = [(label, value) for label, value in categories or [] if value is not None]
        weakest = min(scored, key=lambda c: c[1]) if scored else None
        if weakest is not None and weakest[1] < 90:
            clause += say["weakest"].format(category=weakest[0], score=weakest[1])
        top = fixes.kept[0] if fixes.kept else None
        if top is not None and cause_text(top, lang) and (score is None or score < 90 or top["severity"] == "error"):
            clause += say["main_problem"].format(cause=_inline(cause_text(top, lang), lang))
    blocked = engine_sentence(site.get("engine_blocked"), say)
    note = ""
    uncapped = score_of(site.get("score_uncapped"))
    if gate is not None and gate["binding"] and uncapped is not None and uncapped != score:
        note = say["uncapped"].format(score=uncapped)
    return {"text": blocked + opening + say["lead"] + clause + say["end"], "note": note}


def engine_sentence(fact: Any, say: dict[str, str]) -> str:
    """The site-level engine block (result.json site.engine_blocked), said before anything else; "" without."""
    fact = dict_of(fact)
    engine = text(fact.get("engine"))
    share = fact.get("share")
    if not engine or not isinstance(share, int | float):
        return ""
    status, marker = fact.get("status"), text(fact.get("marker"))
    answer = say["engine_answer_sep"].join(p for p in (f"HTTP {status}" if isinstance(status, int) else "", marker) if p)
    return say["engine_blocked"].format(engine=engine, share=_share(float(share), say), answer=answer or "—")


def result_headline(result: Any, lang: str) -> dict[str, str]:
    """``headline`` of a whole result document (one pass over its services)."""
    result = dict_of(result)
    t = labels(normalise_lang(lang))
    categories = dict_of(dict_of(result.get("site")).get("categories"))
    pairs = [(t["categories"].get(k, k), score_of(v)) for k, v in categories.items()]
    services, hard = service_counts(result)
    return headline(result.get("site"), read_fixes(result, 1), services, hard, lang, pairs)


def check_headline(report: Any, lang: str) -> dict[str, str]:
    """``headline`` of a ``govseo check`` report (reports.check.CheckReport): its current site, fixes and services."""
    t = labels(normalise_lang(lang))
    site = dict_of(getattr(report, "site", None))
    pairs = [(t["categories"].get(k, k), score_of(v)) for k, v in dict_of(site.get("categories")).items()]
    current = [d.after for d in getattr(report, "services", []) if d.after is not None]
    hard = sum(1 for score in current if score_of(score) is not None and score_of(score) < HARD_BELOW)
    return headline(site, read_fixes({"fixes": getattr(report, "fixes", [])}, 1), len(current), hard, lang, pairs)
