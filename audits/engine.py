"""Run every rule over a loaded site and build the one result document (result.json).

A rule that raises yields an ``error`` status for that rule, never a crashed audit.
"""

from __future__ import annotations

import json
import traceback
from pathlib import Path
from typing import Any

from audits.findability import assess
from audits.model import Finding, Rule
from audits.rules import ALL_RULES
from audits.rules.findability import HARD
from audits.scoring import RuleOutcome
from audits.site import Site, load_site
from crawler.store import CrawlStore
from govseo.config import Config
from govseo.fileio import atomic_open


def _applicable(rule: Rule, site: Site) -> int:
    if rule.scope == "page":
        return len(site.html_pages())
    if rule.scope == "url":
        return len(site.pages)
    if rule.scope == "service":
        return len(site.assessments)
    return 1


WINDOW = 512      # pages a local rule judges at a time (Site.window); the shelf keeps twice that decoded


def _check(rule: Rule, site: Site, params: dict[str, Any]) -> tuple[list[Finding], str | None]:
    """The rule's findings, or its error: one broken rule must not end the audit."""
    try:
        return list(rule.check(site, params)), None
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return [], f"{type(exc).__name__}: {exc} ({Path(frame.filename).name}:{frame.lineno})"[:300]


def _run_windowed(rules: list[tuple[Rule, dict[str, Any]]], site: Site,
                  window: int) -> dict[str, tuple[list[Finding], str | None]]:
    """Local rules, all of them over one window of pages before the next."""
    results: dict[str, tuple[list[Finding], str | None]] = {rule.id: ([], None) for rule, _ in rules}
    pages = list(site.pages.values())
    for start in range(0, len(pages), window):
        with site.window(pages[start:start + window]):
            for rule, params in rules:
                found, error = results[rule.id]
                if error is None:
                    more, error = _check(rule, site, params)
                    if error:
                        results[rule.id] = ([], error)
                    else:
                        found.extend(more)
    return results


def run_rules(site: Site, config: Config, rules: list[Rule] | None = None,
              window: int | None = None) -> tuple[list[tuple[Rule, RuleOutcome, str | None]], list[Finding]]:
    outcomes: list[tuple[Rule, RuleOutcome, str | None]] = []
    findings: list[Finding] = []
    rules = rules if rules is not None else ALL_RULES
    settings: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for rule in rules:
        overrides = config.rules.get(rule.id, {})
        params = {**rule.params, **{k: v for k, v in overrides.items() if k != "severity"}}
        settings[rule.id] = (overrides.get("severity", rule.severity), params, overrides)
    windowed = _run_windowed([(r, settings[r.id][1]) for r in rules if r.local and settings[r.id][0] != "off"],
                             site, window or WINDOW)
    for rule in rules:
        severity, params, overrides = settings[rule.id]
        applicable = _applicable(rule, site)
        error = None
        found: list[Finding] = []
        if severity == "off":
            status = "off"
        else:
            found, error = windowed[rule.id] if rule.id in windowed else _check(rule, site, params)
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


def audit_site(site: Site, config: Config) -> tuple[list[tuple[Rule, RuleOutcome, str | None]], list[Finding]]:
    """Every rule; the findability rules last, over the services assessed from the other findings."""
    base = [r for r in ALL_RULES if r.category != "findability"]
    outcomes, findings = run_rules(site, config, base)
    try:
        site.assessments = assess(site, findings, config.findability, config.services, config.queries)
    except Exception as exc:  # the ranking failing must not lose the audit: its rules report the error
        site.assessment_error = f"{type(exc).__name__}: {exc}"[:300]
        site.assessments, site.user_queries = [], []
    later, more = run_rules(site, config, [r for r in ALL_RULES if r.category == "findability"])
    if site.assessment_error:
        for index, (rule, outcome, _) in enumerate(later):
            outcome.status = "error"
            later[index] = (rule, outcome, site.assessment_error)
    by_url: dict[str, set[str]] = {}
    for finding in more:
        by_url.setdefault(finding.url, set()).add(finding.rule)
    for a in site.assessments:
        a.reasons += [r for r in ("service-vocabulary-gap", "service-search-rank", "query-unanswered")
                      if r in by_url.get(a.service.url, set())]
    # service-hard-to-find ran beside the rules whose hits it lists: give it the final reasons
    reasons = {a.service.url: a.reasons for a in site.assessments}
    for finding in more:
        if finding.rule == HARD.id and finding.url in reasons:
            finding.evidence = {**finding.evidence, "reasons": list(reasons[finding.url])}
    return outcomes + later, findings + more


def audit_store(db: str | Path, config: Config, feed: Any = None) -> dict[str, Any]:
    """Audit a stored crawl; ``feed``: an audits.feed.PageFeed that already parsed its pages."""
    store = CrawlStore(db, create=False)
    try:
        site = load_site(store, feed.pages, feed.shelf) if feed is not None else load_site(store)
    finally:
        store.close()
    return build_result(site, config)


def build_result(site: Site, config: Config) -> dict[str, Any]:
    from audits.result import result_document

    outcomes, findings = audit_site(site, config)
    return result_document(site, outcomes, findings)


def write_json(result: dict[str, Any], path: str | Path) -> None:
    """Write result.json atomically: readers see the old file or the whole new one.

    Compact, and written a piece at a time: ``json.dumps`` of each top-level value, and of each item
    of the long lists (findings, pages), runs the C encoder without one huge string in memory."""
    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    with atomic_open(path) as fh:
        fh.write("{")
        for number, (key, value) in enumerate(result.items()):
            fh.write(("," if number else "") + dumps(key) + ":")
            if isinstance(value, list) and len(value) > 100:
                fh.write("[")
                for index, item in enumerate(value):
                    fh.write(("," if index else "") + dumps(item))
                fh.write("]")
            else:
                fh.write(dumps(value))
        fh.write("}\n")
