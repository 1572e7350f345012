"""The league of a batch (``govseo batch``): every site's verdict ranked, grouped by region or department.

Reads only what the batch wrote: ``DIR/<site>/verdict.json`` (the figures of ``site_summary``, taken from the
site's result.json when it was audited). Writes ``DIR/index.html`` and ``DIR/league.csv``.

Veto flags (a site that search engines cannot use whatever its score says):
``unreachable`` no crawl was possible; ``not_indexable`` no page may be indexed (the whole site noindex,
canonicalised away or robots-blocked); ``robots_blocked`` robots.txt disallows Baiduspider from the whole site;
``home_error`` the home page answers an error; ``engine_blocked`` most of Baiduspider's views are challenged
(result.json ``site.engine_blocked``).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Collection
from pathlib import Path
from statistics import median
from typing import Any

from common.fileio import atomic_open
from reports.csvout import neutralise
from reports.fixes import gates_of
from reports.i18n import CATEGORIES, normalise_lang
from reports.i18n import labels as report_labels
from reports.league_labels import LEAGUE_LABELS
from reports.values import HARD_BELOW, dict_of, grade, int_of, rows, score_of, text

VETOES = ("unreachable", "noindex_all", "not_indexable", "robots_blocked", "home_error", "engine_blocked")
LEAGUE_COLUMNS = ("url", "name", "group", "score", "pages", "services", "hard_services", "errors", "verdict")


def labels(lang: str) -> dict[str, Any]:
    """The report's labels with the league's own."""
    lang = normalise_lang(lang)
    return {**report_labels(lang), **LEAGUE_LABELS[lang]}


def site_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The figures a league row needs from one result document (read in one pass: the lists may be Spools)."""
    site, crawl = dict_of(result.get("site")), dict_of(result.get("crawl"))
    counts = {"error": 0, "warning": 0, "notice": 0}
    vetoes: list[str] = []
    noindex = 0                         # pages noindex: the reason no page is indexable, when it is most of them
    robots: str | None = None           # robots.txt of the site 5xx or unanswered: engines stop crawling it
    for finding in rows(result.get("findings")):
        if finding.get("severity") in counts:
            counts[finding["severity"]] += 1
        evidence = dict_of(finding.get("evidence"))
        noindex += finding.get("rule") == "noindex"
        if finding.get("rule") == "robots-txt-missing" and robots is None:
            status = int_of(evidence.get("status"))
            if status is None or status >= 500:
                robots = f"HTTP {status}" if status is not None else text(evidence.get("error")) or "error"
        if finding.get("rule") == "robots-blocks-engine" and evidence.get("scope") == "site" \
                and "Baiduspider" in (evidence.get("engines") or []) and "robots_blocked" not in vetoes:
            vetoes.append("robots_blocked")
    services = hard = 0
    for service in rows(result.get("services")):
        services += 1
        value = score_of(service.get("score"))
        hard += value is not None and value < HARD_BELOW
    pages, home_ok, home_seen = 0, False, False
    for page in rows(result.get("pages")):
        pages += 1
        if page.get("depth") == 0:
            home_seen = True
            status = int_of(page.get("status"))
            home_ok = home_ok or (status is not None and 200 <= status < 300)
    if home_seen and not home_ok:
        vetoes.append("home_error")
    gate = next((g for g in gates_of(site) if g["id"] == "pages-indexable"), None)
    if gate is not None and gate["total"] and not gate["indexable"]:
        vetoes.append("noindex_all" if 2 * noindex >= gate["total"] else "not_indexable")
    blocked = text(dict_of(site.get("engine_blocked")).get("engine"))
    if blocked:
        vetoes.append("engine_blocked")
    categories = dict_of(site.get("categories"))
    return {
        "site_name": text(site.get("name")), "score": score_of(site.get("score")),
        "pages": int_of(crawl.get("pages")) if int_of(crawl.get("pages")) is not None else pages,
        "services": services, "hard_services": hard, "errors": counts["error"], "warnings": counts["warning"],
        "notices": counts["notice"], "vetoes": vetoes, "engine_blocked": blocked or None,
        "categories": {k: score_of(v) for k, v in categories.items()},
        "started_at": text(crawl.get("started_at")) or None, "robots_unavailable": robots,
    }


def read_verdicts(out_dir: str | os.PathLike[str], folders: Collection[str] | None = None) -> list[dict[str, Any]]:
    """Every ``DIR/*/verdict.json`` that can be read (only those of ``folders`` when given), in folder order."""
    import json

    found = []
    for path in sorted(Path(out_dir).glob("*/verdict.json")):
        if folders is not None and path.parent.name not in folders:
            continue
        try:
            verdict = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(verdict, dict) and text(verdict.get("folder")) == path.parent.name:
            found.append(verdict)
    return found


def verdict_word(verdict: dict[str, Any], lang: str, t: dict[str, Any] | None = None) -> str:
    """"已审计" / "站点无法访问" / "审计出错" (``t``: the label table, when the caller has it)."""
    t = t or labels(lang)
    status = text(verdict.get("status"))
    return t["league_status"].get(status, status)


def write_league_csv(verdicts: list[dict[str, Any]], path: str | os.PathLike[str], lang: str = "zh") -> Path:
    """league.csv (UTF-8 with BOM, for Excel): one row a site, best first; empty score when there is none."""
    path = Path(path)
    t = labels(lang)
    with atomic_open(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LEAGUE_COLUMNS)
        for verdict in ranked(verdicts):
            score = score_of(verdict.get("score")) if verdict.get("status") == "ok" else None
            cells = [text(verdict.get("url")), text(verdict.get("name")), text(verdict.get("group")),
                     "" if score is None else score, int_of(verdict.get("pages")) or 0,
                     int_of(verdict.get("services")) or 0, int_of(verdict.get("hard_services")) or 0,
                     int_of(verdict.get("errors")) or 0, _verdict_cell(verdict, lang, t)]
            writer.writerow([neutralise(c) if isinstance(c, str) else c for c in cells])
    return path


def reason_in(verdict: dict[str, Any], lang: str) -> str:
    """The verdict's reason in ``lang`` (``reasons``), else as the run wrote it."""
    reasons = verdict.get("reasons")
    return text(reasons.get(lang) if isinstance(reasons, dict) and reasons.get(lang) else verdict.get("reason"))


def _verdict_cell(verdict: dict[str, Any], lang: str, t: dict[str, Any]) -> str:
    """The verdict, its veto flags and its reason: "已审计；首页返回错误", "站点无法访问（连接被拒绝）"."""
    words = [verdict_word(verdict, lang, t)]
    words += [t["league_vetoes"][v] for v in verdict.get("vetoes") or [] if v in t["league_vetoes"]]
    reason = reason_in(verdict, lang)
    if lang == "en":
        return "; ".join(words) + (f" ({reason})" if reason else "")
    return "；".join(words) + (f"（{reason}）" if reason else "")


def ranked(verdicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best score first; sites without a score (unreachable, failed) last, by folder."""
    def key(v: dict[str, Any]) -> tuple[Any, ...]:
        score = score_of(v.get("score")) if v.get("status") == "ok" else None
        return (score is None, -(score or 0), text(v.get("folder")))
    return sorted(verdicts, key=key)


def league_context(verdicts: list[dict[str, Any]], lang: str = "zh") -> dict[str, Any]:
    """The league page's context: ranked rows, and per group its sites, median score and hard services."""
    lang = normalise_lang(lang)
    t = labels(lang)
    table = []
    for place, verdict in enumerate(ranked(verdicts), 1):
        status = text(verdict.get("status")) or "failed"
        score = score_of(verdict.get("score")) if status == "ok" else None
        folder = text(verdict.get("folder"))
        has_report = (status == "ok" or verdict.get("report")) and folder
        vetoes = [v for v in verdict.get("vetoes") or [] if v in VETOES]
        if status == "unreachable" and "unreachable" not in vetoes:
            vetoes.insert(0, "unreachable")
        table.append({
            "place": place if score is not None else None, "url": text(verdict.get("url")),
            "name": text(verdict.get("name")) or text(verdict.get("site_name")) or folder,
            "group": text(verdict.get("group")), "status": status, "status_word": verdict_word(verdict, lang, t),
            "reason": reason_in(verdict, lang), "score": score, "grade": grade(score),
            "href": f"{folder}/report.html" if has_report else None,
            "pages": int_of(verdict.get("pages")) or 0, "services": int_of(verdict.get("services")) or 0,
            "hard": int_of(verdict.get("hard_services")) or 0, "errors": int_of(verdict.get("errors")) or 0,
            "vetoes": [t["league_vetoes"][v] for v in vetoes],
            "categories": [{"score": value, "grade": grade(value)} for value in
                           (score_of(dict_of(verdict.get("categories")).get(k)) if score is not None else None
                            for k in CATEGORIES)],
        })
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in table:
        groups.setdefault(row["group"], []).append(row)
    group_rows = []
    for name, members in sorted(groups.items(), key=lambda item: (item[0] == "", item[0])):
        scores = [r["score"] for r in members if r["score"] is not None]
        middle = round(median(scores)) if scores else None
        group_rows.append({"name": name or t["league_no_group"], "key": name, "sites": len(members),
                           "scored": len(scores), "median": middle, "grade": grade(middle),
                           "hard": sum(r["hard"] for r in members),
                           "unreachable": sum(r["status"] == "unreachable" for r in members)})
    from common import __version__

    return {"lang": lang, "t": t, "rows": table, "groups": group_rows, "tool_version": __version__,
            "category_labels": [t["categories"][k] for k in CATEGORIES],
            "group_names": [g["key"] for g in group_rows]}


def write_league(out_dir: str | os.PathLike[str], lang: str = "zh",
                 folders: Collection[str] | None = None) -> list[Path]:
    """DIR/index.html and DIR/league.csv from the verdicts found in DIR (of ``folders`` only, when given: the
    sites of the batch's SITES.csv, leaving out the folders of sites no longer listed)."""
    from reports.html import render_page

    out = Path(out_dir)
    verdicts = read_verdicts(out, folders)
    index = out / "index.html"
    html = render_page("league.html.j2", league_context(verdicts, lang))
    with atomic_open(index, encoding="utf-8") as handle:
        handle.write(html)
    return [index, write_league_csv(verdicts, out / "league.csv", lang)]
