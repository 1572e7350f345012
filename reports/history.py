"""The trend section: site and service scores of this crawl next to earlier result documents.

``--history old1.json old2.json ...`` hands earlier results of the same site.
Runs are ordered by crawl start time (runs without a readable time first, in
the order given); services are matched by URL, then by name.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reports.charts import line_chart
from reports.i18n import CATEGORIES, SEVERITIES
from reports.services_view import hardest
from reports.values import count, dict_of, grade, moment, rows, score_of, text

TREND_RUNS = 12  # crawls shown in the chart and the run table (the latest ones)
SERVICE_COLUMNS = 6  # crawls shown as columns of the service table (the latest ones)
TREND_SERVICES = 100  # service rows (hardest first)


def _run(result: dict[str, Any], lang: str, current: bool) -> dict[str, Any]:
    crawl, site = dict_of(result.get("crawl")), dict_of(result.get("site"))
    shown, when = moment(crawl.get("started_at"), lang)
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in rows(result.get("findings")):
        if finding.get("severity") in counts:
            counts[finding["severity"]] += 1
    categories = dict_of(site.get("categories"))
    services: dict[str, int | None] = {}
    names: dict[str, int | None] = {}
    for service in rows(result.get("services")):
        services[text(service.get("url"))] = score_of(service.get("score"))
        names.setdefault(text(service.get("name")), score_of(service.get("score")))
    pages = crawl.get("pages")
    return {
        "date": shown[:16] or "?", "day": shown[:10] or "?", "when": when, "current": current,
        "score": score_of(site.get("score")),
        "categories": [score_of(categories.get(key)) for key in CATEGORIES],
        "counts": counts, "pages": pages if isinstance(pages, int) else count(result.get("pages")),
        "services": services, "names": names,
    }


def _order(run: dict[str, Any]) -> tuple[bool, float]:
    """Undated earlier runs first, then by time; the current run counts as the latest when undated."""
    when: datetime | None = run["when"]
    if when is None:
        return (run["current"], float("inf") if run["current"] else 0.0)
    return (True, when.timestamp())


def runs_of(result: dict[str, Any], history: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every run (history and the current one) oldest first; stable for equal or missing times."""
    runs = [_run(dict_of(old), lang, False) for old in history] + [_run(result, lang, True)]
    return sorted(runs, key=_order)


def _labels(runs: list[dict[str, Any]]) -> list[str]:
    days = [run["day"] for run in runs]
    return [run["date"] if days.count(run["day"]) > 1 else run["day"] for run in runs]


def _service_rows(shown: list[dict[str, Any]], runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    columns = runs[-SERVICE_COLUMNS:]
    table = []
    for service in shown:
        url, name = text(service.get("url")), text(service.get("name"))
        scores = []
        for run in columns:
            if url and url in run["services"]:
                scores.append(run["services"][url])
            else:
                scores.append(run["names"].get(name) if name else None)
        now = score_of(service.get("score"))
        before = next((s for s in reversed(scores[:-1]) if s is not None), None)
        table.append({"name": name or url, "section": text(service.get("section")),
                      "scores": [{"score": s, "grade": grade(s)} for s in scores],
                      "change": None if now is None or before is None else now - before,
                      "new": all(s is None for s in scores[:-1])})
    return table


def trend_view(result: dict[str, Any], history: list[dict[str, Any]] | None, lang: str,
               t: dict[str, Any]) -> dict[str, Any] | None:
    """The trend section's view model, or None when there is no history to compare with."""
    if not history:
        return None
    runs = runs_of(result, history, lang)
    shown = runs[-TREND_RUNS:]
    labels = _labels(shown)
    findability = CATEGORIES.index("findability")
    chart = line_chart(labels, [("l-site", t["site_score"], [run["score"] for run in shown]),
                                ("l-find", t["categories"]["findability"],
                                 [run["categories"][findability] for run in shown])])
    table = [{**run, "label": label, "grade": grade(run["score"]),
              "categories": [{"score": s, "grade": grade(s)} for s in run["categories"]]}
             for run, label in zip(shown, labels, strict=True)]
    shown_services, total = hardest(result.get("services"), TREND_SERVICES)
    services = _service_rows(shown_services, runs)
    return {
        "chart": chart, "runs": table, "runs_more": max(0, len(runs) - TREND_RUNS),
        "category_labels": [t["categories"][key] for key in CATEGORIES],
        "service_columns": labels[-SERVICE_COLUMNS:], "services": services,
        "services_capped": total > TREND_SERVICES,
    }
