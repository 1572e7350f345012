"""The multi-site index: one page ranking several sites, for a supervisor comparing county portals.

Each site's own report sits in a sub-directory named after its host
(``site_dirs``); index.html links to ``<dir>/report.html``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from reports.charts import bar_rows
from reports.fixes import gates_of
from reports.i18n import CATEGORIES, SEVERITIES, labels, normalise_lang
from reports.values import HARD_BELOW, count, dict_of, grade, int_of, moment, rows, score_of, text

_UNSAFE = re.compile(r"[^a-z0-9.-]+")


def site_key(result: dict[str, Any]) -> str:
    """What identifies a site across crawls: the host of its URL (or first start URL), else its name."""
    site, crawl = dict_of(result.get("site")), dict_of(result.get("crawl"))
    starts = crawl.get("start_urls") if isinstance(crawl.get("start_urls"), list) else []
    url = text(site.get("url")) or (text(starts[0]) if starts else "")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        host, port = "", None
    if not host:
        return text(site.get("name"))
    return f"{host}-{port}" if port else host


def site_dirs(results: list[dict[str, Any]]) -> list[str]:
    """A distinct, filesystem-safe sub-directory name per result (from its host, else ``site-N``)."""
    names: list[str] = []
    for number, result in enumerate(results, 1):
        base = _UNSAFE.sub("-", site_key(dict_of(result)).lower()).strip(".-")[:60] or f"site-{number}"
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.append(name)
    return names


def _row(result: dict[str, Any], href: str, lang: str) -> dict[str, Any]:
    site, crawl = dict_of(result.get("site")), dict_of(result.get("crawl"))
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in rows(result.get("findings")):
        if finding.get("severity") in counts:
            counts[finding["severity"]] += 1
    services, hard = 0, 0               # counted as read: services may be a Spool
    for service in rows(result.get("services")):
        services += 1
        value = score_of(service.get("score"))
        hard += value is not None and value < HARD_BELOW
    categories = dict_of(site.get("categories"))
    score = score_of(site.get("score"))       # the score after the gates' cap (schema: site.score)
    pages = int_of(crawl.get("pages"))
    gate = any(g["binding"] for g in gates_of(site))
    uncapped = score_of(site.get("score_uncapped")) if gate else None
    return {
        "name": text(site.get("name")) or site_key(result), "url": text(site.get("url")), "href": href,
        "score": score, "grade": grade(score), "gate": gate, "uncapped": uncapped if uncapped != score else None,
        "categories": [{"score": score_of(categories.get(k)), "grade": grade(score_of(categories.get(k)))}
                       for k in CATEGORIES],
        "counts": counts, "pages": pages if pages is not None else count(result.get("pages")),
        "services": services, "hard": hard,
        # most of an engine's views blocked by a gateway (result.json site.engine_blocked): its name
        "engine_blocked": text(dict_of(site.get("engine_blocked")).get("engine")) or None,
        "date": moment(crawl.get("started_at"), lang)[0][:16],
    }


def index_context(results: list[dict[str, Any]], hrefs: list[str], lang: str = "zh") -> dict[str, Any]:
    """The index page's context: sites worst first (unscored last), with a bar chart of their scores."""
    lang = normalise_lang(lang)
    t = labels(lang)
    rows = [_row(dict_of(r), href, lang) for r, href in zip(results, hrefs, strict=True)]
    rows.sort(key=lambda r: (r["score"] is None, r["score"] or 0, r["name"]))
    for place, row in enumerate(rows, 1):
        row["place"] = place
    chart = bar_rows([(r["name"][:12] + ("…" if len(r["name"]) > 12 else ""), r["score"], f"s-{r['grade']}")
                      for r in rows[:60]], percent=False, na=t["not_applicable"])
    versions = {text(dict_of(dict_of(r).get("tool")).get("version")) for r in results} - {""}
    return {"lang": lang, "t": t, "rows": rows, "chart": chart,
            "category_labels": [t["categories"][k] for k in CATEGORIES],
            "tool_version": ", ".join(sorted(versions))}
