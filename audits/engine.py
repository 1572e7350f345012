"""Run every rule over a loaded site and build the one result document (result.json).

A rule that raises yields an ``error`` status for that rule, never a crashed audit.
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

from audits.model import CATEGORIES, Finding, Rule
from audits.rules import ALL_RULES
from audits.scoring import RuleOutcome, category_scores, page_score, site_score
from audits.site import Site, load_site
from crawler.store import CrawlStore
from govseo import __version__
from govseo.config import Config
from govseo.fileio import atomic_open

SCHEMA_VERSION = 1


def _applicable(rule: Rule, site: Site) -> int:
    if rule.scope == "page":
        return len(site.html_pages())
    if rule.scope == "url":
        return len(site.pages)
    return 1


def run_rules(site: Site, config: Config,
              rules: list[Rule] | None = None) -> tuple[list[tuple[Rule, RuleOutcome, str | None]], list[Finding]]:
    outcomes: list[tuple[Rule, RuleOutcome, str | None]] = []
    findings: list[Finding] = []
    for rule in rules if rules is not None else ALL_RULES:
        overrides = config.rules.get(rule.id, {})
        severity = overrides.get("severity", rule.severity)
        params = {**rule.params, **{k: v for k, v in overrides.items() if k != "severity"}}
        applicable = _applicable(rule, site)
        error = None
        found: list[Finding] = []
        if severity == "off":
            status = "off"
        else:
            try:
                found = list(rule.check(site, params))
            except Exception as exc:  # one broken rule must not end the audit
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                error = f"{type(exc).__name__}: {exc} ({Path(frame.filename).name}:{frame.lineno})"[:300]
                found = []
            status = "error" if error else ("fail" if found else ("pass" if applicable else "n/a"))
        for finding in found:
            if finding.severity is None or "severity" in overrides:
                finding.severity = severity
        scored_severity = max((f.severity for f in found), key=_rank, default=severity) \
            if severity != "off" else rule.severity
        outcome = RuleOutcome(rule.id, rule.category, rule.scope, scored_severity, status, applicable,
                              {f.url for f in found})
        outcomes.append((rule, outcome, error))
        findings.extend(found)
    return outcomes, findings


def _rank(severity: str | None) -> int:
    return {"notice": 1, "warning": 2, "error": 3}.get(severity or "", 0)


def _page_kind(site: Site, page: Any) -> str:
    if page.record.status is None or page.record.status >= 400:
        return "error"
    if 300 <= page.record.status < 400:
        return "redirect"
    if page.artifacts is not None:
        return "html"
    return "resource"


def build_result(site: Site, config: Config) -> dict[str, Any]:
    outcomes, findings = run_rules(site, config)
    scored = [o for _, o, _ in outcomes]
    categories = category_scores(scored, CATEGORIES)
    pages = []
    for page in sorted(site.pages.values(), key=lambda p: (p.depth is None, p.depth or 0, p.url)):
        html_ok = page.ok_html
        score = page_score(page.url, scored, html_ok=html_ok) if html_ok else (0 if page.is_error else None)
        pages.append({
            "url": page.url, "status": page.status, "error": page.record.error, "depth": page.depth,
            "indexable": page.id in site.indexable_ids, "in_sitemap": page.in_sitemap,
            "inlinks": page.inlinks, "title": page.artifacts.title if page.artifacts else None,
            "score": score, "is_service": False, "kind": _page_kind(site, page),
            "content_type": page.record.content_type, "size": page.record.body_size
            if page.record.content_length is None else page.record.content_length,
        })
    for url, state, _via in site.urls.values():
        if state == "blocked":
            pages.append({"url": url, "status": None, "error": None, "depth": None, "indexable": False,
                          "in_sitemap": url in site.sitemap_locs, "inlinks": 0, "title": None,
                          "score": None, "is_service": False, "kind": "blocked", "content_type": None,
                          "size": None})
    rules = []
    for rule, outcome, error in outcomes:
        rules.append({
            "id": rule.id, "title": rule.failure.zh, "check": rule.title.zh, "severity": outcome.severity,
            "category": rule.category, "scope": rule.scope, "description": rule.why.zh, "fix": rule.fix.zh,
            "source": rule.source,
            "en": {"title": rule.failure.en, "check": rule.title.en, "description": rule.why.en,
                   "fix": rule.fix.en},
            "status": outcome.status, "count": len([f for f in findings if f.rule == rule.id]), "error": error,
        })
    order = {rule.id: i for i, (rule, _, _) in enumerate(outcomes)}
    findings.sort(key=lambda f: (order[f.rule], f.url))
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
        "site": {"url": site.home, "name": site.name, "score": site_score(categories),
                 "categories": categories},
        "rules": rules,
        "findings": [{"rule": f.rule, "severity": f.severity, "url": f.url, "message": f.message.zh,
                      "message_en": f.message.en, "evidence": f.evidence} for f in findings],
        "pages": pages,
        "services": [],
        "sections": [],
    }


def audit_store(db: str | Path, config: Config) -> dict[str, Any]:
    store = CrawlStore(db, create=False)
    try:
        site = load_site(store)
    finally:
        store.close()
    return build_result(site, config)


def write_json(result: dict[str, Any], path: str | Path) -> None:
    """Write result.json atomically: readers see the old file or the whole new one."""
    with atomic_open(path) as fh:
        json.dump(result, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
