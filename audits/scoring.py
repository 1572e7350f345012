"""Scores: a Lighthouse-like weighted pass ratio.

- A rule's pass ratio is 1 - affected/applicable, where applicable is the number of 200 HTML pages
  (scope "page"), of fetched in-scope URLs (scope "url"), of services (scope "service"), or 1 (scope
  "site"), unless the rule says what it judges (``Rule.judges``: a page rule about service guides
  judges the guide pages; a site rule about robots.txt, sitemaps or --queries judges the files or
  queries there are). A rule with nothing to judge (status "n/a"), switched off, or that crashed
  weighs nothing: a site rule with nothing to judge never passes by default.
- A rule weighs by its severity: error 10, warning 3, notice 1.
- A category score is 100 x sum(weight x pass ratio) / sum(weight) over its rules; null when no rule of
  the category applies.
- The site score is the mean of the category scores weighted indexability 4, findability 4,
  content 3, structure 2, gov 1 (null categories left out). Indexability weighs most because a page
  that cannot be indexed cannot be found at all.
- The findability category is the mean findability score of the services (audits/findability.py);
  null when the site has no service guide.
- A page score is 100 x the weight of the page/url rules the page passes over the weight of those
  that apply to it; pages other than 200 HTML score 0 when they are errors and null otherwise.

Gates cap the site score (``score``; the mean above is ``score_uncapped``). A weighted mean lets a site
whose every page says noindex score 80+ on the strength of its titles and links, yet nobody finds it
through a search engine. So the share of the site that engines may index bounds the score:

    cap = 10 + 90 x share            score = min(score_uncapped, cap of each gate)

- pages-indexable: share = indexable pages / (200 HTML pages + URLs robots.txt kept the crawl from
  fetching); indexable = 200 HTML, no meta refresh, no noindex, not canonicalised elsewhere, not
  blocked for Baiduspider or Googlebot (``Site.indexable``).
- services-indexable: share = service guides that pass every findability gate (audits/findability.py:
  http-error, noindex, robots-blocked, canonical-problem, meta-refresh, js/frame/attachment-only) /
  service guides.

Linear because the score should fall as fast as the visible share does: half the site hidden halves
the room above the floor (cap 55), 90 % indexable still allows 91. The floor of 10 keeps the work the
rest of the site does visible in the number (a fully hidden site needs one template line changed, not
a rebuilt site), and keeps it apart from 0. A gate with nothing to count (no HTML page, no service) is
left out; the gate that lowered the score is marked ``binding`` (at most one: the first lowest cap).
The pages gate caps the indexability category the same way (``score_uncapped`` is the mean before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEVERITY_WEIGHT = {"error": 10, "warning": 3, "notice": 1}
CATEGORY_WEIGHT = {"indexability": 4, "findability": 4, "content": 3, "structure": 2, "gov": 1}
GATE_FLOOR = 10         # the cap of a gate whose share is 0


@dataclass
class RuleOutcome:
    rule_id: str
    category: str
    scope: str
    severity: str
    status: str               # pass | fail | error | off | n/a
    applicable: int
    affected: set[str]


def pass_ratio(outcome: RuleOutcome) -> float | None:
    if outcome.status in ("error", "off", "n/a") or outcome.applicable <= 0:
        return None
    if outcome.scope == "site":
        return 0.0 if outcome.affected else 1.0
    return max(0.0, 1.0 - len(outcome.affected) / outcome.applicable)


def category_scores(outcomes: list[RuleOutcome], categories: tuple[str, ...]) -> dict[str, int | None]:
    scores: dict[str, int | None] = {}
    for category in categories:
        total = weight = 0.0
        for outcome in outcomes:
            ratio = pass_ratio(outcome)
            if outcome.category != category or ratio is None:
                continue
            w = SEVERITY_WEIGHT[outcome.severity]
            total += w * ratio
            weight += w
        scores[category] = round(100 * total / weight) if weight else None
    return scores


def site_score(categories: dict[str, int | None]) -> int | None:
    total = weight = 0.0
    for category, score in categories.items():
        if score is not None:
            total += CATEGORY_WEIGHT.get(category, 1) * score
            weight += CATEGORY_WEIGHT.get(category, 1)
    return round(total / weight) if weight else None


def page_score(url: str, outcomes: list[RuleOutcome], *, html_ok: bool) -> int | None:
    total = weight = 0.0
    for outcome in outcomes:
        if outcome.scope == "site" or pass_ratio(outcome) is None:
            continue
        if outcome.scope == "page" and not html_ok:
            continue
        w = SEVERITY_WEIGHT[outcome.severity]
        weight += w
        total += 0 if url in outcome.affected else w
    return round(100 * total / weight) if weight else None


def gate_cap(share: float) -> int:
    """The highest site score a gate with this share (0-1) of indexable pages or services allows."""
    return round(GATE_FLOOR + (100 - GATE_FLOOR) * min(1.0, max(0.0, share)))


def gate(gate_id: str, indexable: int, total: int) -> dict[str, Any] | None:
    """A site-wide gate as result.json lists it; None when there is nothing to count."""
    if total <= 0:
        return None
    share = indexable / total
    return {"id": gate_id, "indexable": indexable, "total": total, "share": round(share, 4),
            "cap": gate_cap(share), "binding": False}


def capped_category(score: int | None, gates: list[dict[str, Any]]) -> int | None:
    """The indexability category under the pages gate's cap: "可收录性 85" beside a site nobody can index
    would contradict the headline."""
    pages = next((g for g in gates if g["id"] == "pages-indexable"), None)
    return score if score is None or pages is None else min(score, int(pages["cap"]))


def capped_score(uncapped: int | None, gates: list[dict[str, Any]]) -> int | None:
    """The site score after the gates' caps; marks the gate that lowered it ``binding``."""
    if uncapped is None:
        return None
    lowest = min(gates, key=lambda g: g["cap"], default=None)
    if lowest is None or lowest["cap"] >= uncapped:
        return uncapped
    lowest["binding"] = True
    return int(lowest["cap"])
