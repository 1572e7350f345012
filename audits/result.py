"""The result document (result.json): schema version 1, see DESIGN.md. One document feeds every report."""

from __future__ import annotations

from statistics import mean
from typing import Any

from audits.causes import group_fixes
from audits.engineviews import site_fact
from audits.findability import Assessment
from audits.fixes import service_fixes
from audits.model import CATEGORIES, Rule
from audits.scoring import (
    RuleOutcome,
    capped_category,
    capped_score,
    category_scores,
    gate,
    page_score,
    site_score,
)
from audits.site import Page, Site
from audits.synonyms import load_synonyms
from audits.views import service_views, view_evidence
from common import __version__
from common.spool import Spool

SCHEMA_VERSION = 1


def _page_kind(page: Page) -> str:
    if page.record.status is None or page.record.status >= 400:
        return "error"
    if 300 <= page.record.status < 400:
        return "redirect"
    return "html" if page.artifacts is not None else "resource"


def _pages(site: Site, scored: list[RuleOutcome], services: set[str]) -> Spool:
    pages = Spool()
    for page in sorted(site.pages.values(), key=lambda p: (p.depth is None, p.depth or 0, p.url)):
        html_ok = page.ok_html
        score = page_score(page.url, scored, html_ok=html_ok) if html_ok else (0 if page.is_error else None)
        pages.append({
            "url": page.url, "status": page.status, "error": page.record.error, "depth": page.depth,
            "indexable": page.id in site.indexable_ids, "in_sitemap": page.in_sitemap,
            "inlinks": page.inlinks, "title": page.artifacts.title if page.artifacts else None,
            "score": score, "is_service": page.url in services, "kind": _page_kind(page),
            "type": site.kind(page), "content_type": page.record.content_type,
            "size": page.record.body_size if page.record.content_length is None else page.record.content_length,
        })
    for url, state, _via in site.urls.values():
        if state == "blocked":
            pages.append({"url": url, "status": None, "error": None, "depth": None, "indexable": False,
                          "in_sitemap": url in site.sitemap_locs, "inlinks": 0, "title": None, "score": None,
                          "is_service": url in services, "kind": "blocked", "type": None, "content_type": None,
                          "size": None})
    return pages


def site_gates(site: Site) -> list[dict[str, Any]]:
    """The site-wide gates that cap the site score (see audits/scoring.py): the share of pages, and of
    service guides, that search engines may index."""
    html = site.every_html_page()
    indexable = sum(1 for page in html if page.id in site.indexable_ids)
    blocked = sum(1 for url, state, _via in site.urls.values()
                  if state == "blocked" and site.scope.on_site(url) and site.blocked_for(url))
    services = site.assessments
    gates = [gate("pages-indexable", indexable, len(html) + blocked),
             gate("services-indexable", sum(1 for a in services if not a.gates), len(services))]
    return [g for g in gates if g is not None]


def _services(site: Site, assessments: list[Assessment], findings: Spool) -> Spool:
    synonyms = load_synonyms()
    evidence = view_evidence(findings, {a.service.url for a in assessments if a.gates})
    result = Spool()
    for a in assessments:
        page = a.service.page
        result.append({
            "url": a.service.url, "name": a.service.name, "section": a.service.section, "score": a.score,
            "rank": a.rank, "reasons": a.reasons,
            "queries": [{"query": q.text, "kind": q.kind, "position": q.position} for q in a.queries],
            "fixes": service_fixes(site, a, synonyms),
            "components": {"gates": a.gates, "reach": round(a.reach, 2), "relevance": round(a.relevance, 2),
                           "search": round(a.search, 2)},
            "everyday_missing": a.everyday_missing,
            "indexable": page is not None and page.id in site.indexable_ids,
            "depth": page.depth if page is not None else None,
            "title": page.artifacts.title if page is not None and page.artifacts else None,
            # what Baiduspider gets beside what a citizen sees, for view gates (audits/views.py)
            "views": service_views(site, a, evidence.get(a.service.url, {})),
        })
    return result


def _sections(assessments: list[Assessment], hard_below: int = 60) -> list[dict[str, Any]]:
    groups: dict[str, list[Assessment]] = {}
    for a in assessments:
        groups.setdefault(a.service.section, []).append(a)
    sections = [{"name": name, "services": len(items), "score": round(mean(a.score for a in items)),
                 "hard": sum(1 for a in items if a.score < hard_below),
                 "hardest": min(items, key=lambda a: a.score).service.name}
                for name, items in groups.items()]
    return sorted(sections, key=lambda s: (s["score"], s["name"]))


def result_document(site: Site, outcomes: list[tuple[Rule, RuleOutcome, str | None]],
                    findings: Spool, counts: dict[str, int]) -> dict[str, Any]:
    """The result document. ``findings``: its rows in result order (rule order, then URL) and their
    ``counts`` per rule, as audits.engine.AuditFindings keeps them.

    The long lists, findings, pages and services, are Spools (on disk, iterable, see common/spool.py)."""
    scored = [o for _, o, _ in outcomes]
    categories = category_scores(scored, CATEGORIES)
    # findability: the mean service score, null without services (documented in audits/scoring.py)
    categories["findability"] = round(mean(a.score for a in site.assessments)) if site.assessments else None
    uncapped = site_score(categories)
    gates = site_gates(site)
    categories["indexability"] = capped_category(categories["indexability"], gates)
    services = _services(site, site.assessments, findings)
    rules = [{
        "id": rule.id, "title": rule.failure.zh, "check": rule.title.zh, "severity": outcome.severity,
        "category": rule.category, "scope": rule.scope, "description": rule.why.zh, "fix": rule.fix.zh,
        "source": rule.source, "jurisdiction": rule.jurisdiction,
        "en": {"title": rule.failure.en, "check": rule.title.en, "description": rule.why.en, "fix": rule.fix.en},
        "status": outcome.status, "count": counts.get(rule.id, 0), "error": error,
    } for rule, outcome, error in outcomes]
    options = site.options
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "govseo", "version": __version__},
        "crawl": {
            "start_urls": site.start_urls, "pages": len(site.pages),
            "started_at": site.meta.get("started_at"), "finished_at": site.meta.get("finished_at"),
            "complete": site.meta.get("finished") == "1", "user_agent": options.get("user_agent"),
            "settings": {k: options.get(k) for k in ("max_pages", "max_depth", "concurrency", "delay",
                                                     "obey_robots", "subdomains", "include", "exclude")},
        },
        "site": {"url": site.home, "name": site.name, "score": capped_score(uncapped, gates),
                 "score_uncapped": uncapped, "categories": categories, "gates": gates,
                 "jurisdiction": site.jurisdiction,
                 # more than half of Baiduspider's views blocked by a gateway (audits/engineviews.py), else null
                 "engine_blocked": site_fact(site)},
        "rules": rules,
        "findings": findings,
        "pages": _pages(site, scored, {a.service.url for a in site.assessments}),
        "services": services,
        "sections": _sections(site.assessments),
        "fixes": group_fixes(site, findings),
        "queries": [{"query": q.text, "url": q.url, "position": q.position, "top_results": q.top_results}
                    for q in site.user_queries],
    }
