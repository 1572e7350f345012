"""Run every rule over a loaded site and build the one result document (result.json).

A rule that raises yields an ``error`` status for that rule, never a crashed audit.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from audits.config import Config
from audits.findability import assess
from audits.jurisdiction import applies, site_jurisdiction
from audits.model import Finding, Rule
from audits.rules import ALL_RULES
from audits.rules.findability import HARD
from audits.scoring import RuleOutcome
from audits.site import Site, load_site
from common.spool import Spool
from crawler.store import CrawlStore


def _applicable(rule: Rule, site: Site) -> int:
    if rule.judges is not None:
        return rule.judges(site)
    if rule.scope == "page":
        return len(site.html_pages())
    if rule.scope == "url":
        return len(site.pages)
    if rule.scope == "service":
        return len(site.assessments)
    return 1


WINDOW = 512      # pages a local rule judges at a time (Site.window); the shelf keeps 640 decoded


def _check(rule: Rule, site: Site, params: dict[str, Any]) -> tuple[list[Finding], str | None]:
    """The rule's findings, or its error: one broken rule must not end the audit."""
    try:
        return list(rule.check(site, params)), None
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return [], f"{type(exc).__name__}: {exc} ({Path(frame.filename).name}:{frame.lineno})"[:300]


class _Held:
    """One local rule's findings while the windows run: on disk (a Spool of their fields), or in a
    list when a finding's evidence is an object marshal cannot write."""

    def __init__(self) -> None:
        self.spool: Spool | None = Spool()
        self.kept: list[Finding] = []

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            if self.spool is not None:
                try:
                    self.spool.append(finding.fields())
                    continue
                except ValueError:      # keep them all in memory from here, in order
                    self.kept = list(self)
                    self.spool.close()
                    self.spool = None
            self.kept.append(finding)

    def __iter__(self) -> Iterator[Finding]:
        if self.spool is None:
            return iter(self.kept)
        return (Finding.from_fields(fields) for fields in self.spool)

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


def _run_windowed(rules: list[tuple[Rule, dict[str, Any]]], site: Site,
                  window: int) -> dict[str, tuple[_Held, str | None]]:
    """Local rules, all of them over one window of pages before the next."""
    results: dict[str, tuple[_Held, str | None]] = {rule.id: (_Held(), None) for rule, _ in rules}
    pages = list(site.pages.values())
    for start in range(0, len(pages), window):
        with site.window(pages[start:start + window]):
            for rule, params in rules:
                held, error = results[rule.id]
                if error is None:
                    more, error = _check(rule, site, params)
                    if error:
                        held.close()
                        results[rule.id] = (_Held(), error)
                    else:
                        held.add(more)
    return results


Outcome = tuple[Rule, RuleOutcome, str | None]


def each_rule(site: Site, config: Config, rules: list[Rule] | None = None,
              window: int | None = None) -> Iterator[tuple[Rule, RuleOutcome, str | None, list[Finding]]]:
    """Run ``rules`` (all by default), yielding each rule's outcome, error and findings in rule order.

    Local rules run first, together, over windows of pages; their findings wait on disk until their
    rule's turn, so only one rule's findings are in memory at a time."""
    rules = rules if rules is not None else ALL_RULES
    site.jurisdiction = site_jurisdiction(site, config.site.get("jurisdiction", "auto"))
    settings: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for rule in rules:
        overrides = config.rules.get(rule.id, {})
        params = {**rule.params, **{k: v for k, v in overrides.items() if k != "severity"}}
        settings[rule.id] = (overrides.get("severity", rule.severity), params, overrides)
    windowed = _run_windowed([(r, settings[r.id][1]) for r in rules if r.local and settings[r.id][0] != "off"
                              and applies(r, site.jurisdiction)], site, window or WINDOW)
    for rule in rules:
        severity, params, overrides = settings[rule.id]
        applicable = _applicable(rule, site)
        error = None
        found: list[Finding] = []
        if severity == "off":
            status = "off"
        elif not applies(rule, site.jurisdiction):     # another country's norms: nothing to judge
            status, applicable = "n/a", 0
        else:
            if rule.id in windowed:
                held, error = windowed.pop(rule.id)
                found = list(held)
                held.close()
            else:
                found, error = _check(rule, site, params)
            status = "error" if error else ("fail" if found else ("pass" if applicable else "n/a"))
        for finding in found:
            if finding.severity is None or "severity" in overrides:
                finding.severity = severity
        scored_severity = max((f.severity for f in found), key=_rank, default=severity) \
            if severity != "off" else rule.severity
        outcome = RuleOutcome(rule.id, rule.category, rule.scope, scored_severity, status, applicable,
                              {site.url_object(f.url) for f in found})
        yield rule, outcome, error, found


def run_rules(site: Site, config: Config, rules: list[Rule] | None = None,
              window: int | None = None) -> tuple[list[Outcome], list[Finding]]:
    """Every rule's outcome and all the findings, in memory (``each_rule`` for big sites)."""
    outcomes: list[Outcome] = []
    findings: list[Finding] = []
    for rule, outcome, error, found in each_rule(site, config, rules, window):
        outcomes.append((rule, outcome, error))
        findings.extend(found)
    return outcomes, findings


def _rank(severity: str | None) -> int:
    return {"notice": 1, "warning": 2, "error": 3}.get(severity or "", 0)


class RuleHits(Mapping[str, set[str]]):
    """URL -> the rules that found something there, read from the outcomes' URL sets when asked (the
    findability model asks it of each service; a dict of sets for every URL was ~25 MB at 100,000
    pages)."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        self._sets = [(rule.id, outcome.affected) for rule, outcome, _ in outcomes if outcome.affected]

    def __getitem__(self, url: str) -> set[str]:
        found = {rule_id for rule_id, urls in self._sets if url in urls}
        if not found:
            raise KeyError(url)
        return found

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for _, urls in self._sets:
            for url in urls:
                if url not in seen:
                    seen.add(url)
                    yield url

    def __len__(self) -> int:
        return sum(1 for _ in self)


class AuditFindings:
    """The audit's findings as result.json rows, in result order (rule order, then URL), on disk."""

    def __init__(self) -> None:
        self.rows = Spool()
        self.counts: dict[str, int] = {}

    def add(self, rule: Rule, found: list[Finding]) -> None:
        self.counts[rule.id] = self.counts.get(rule.id, 0) + len(found)
        for f in sorted(found, key=lambda f: f.url):
            self.rows.append({"rule": f.rule, "severity": f.severity, "url": f.url, "message": f.message.zh,
                              "message_en": f.message.en, "evidence": f.evidence})


def audit_site(site: Site, config: Config) -> tuple[list[Outcome], AuditFindings]:
    """Every rule; the findability rules last, over the services assessed from the other findings."""
    base = [r for r in ALL_RULES if r.category != "findability"]
    findings = AuditFindings()
    outcomes: list[Outcome] = []
    for rule, outcome, error, found in each_rule(site, config, base):
        outcomes.append((rule, outcome, error))
        findings.add(rule, found)
    hits = RuleHits(outcomes)
    try:
        site.assessments = assess(site, hits, config.findability, config.services, config.queries)
    except Exception as exc:  # the ranking failing must not lose the audit: its rules report the error
        site.assessment_error = f"{type(exc).__name__}: {exc}"[:300]
        site.assessments, site.user_queries = [], []
    later = list(each_rule(site, config, [r for r in ALL_RULES if r.category == "findability"]))
    by_url: dict[str, set[str]] = {}
    for _, _, _, found in later:
        for finding in found:
            by_url.setdefault(finding.url, set()).add(finding.rule)
    for a in site.assessments:
        a.reasons += [r for r in ("service-vocabulary-gap", "service-search-rank", "query-unanswered")
                      if r in by_url.get(a.service.url, set())]
    # service-hard-to-find ran beside the rules whose hits it lists: give it the final reasons
    reasons = {a.service.url: a.reasons for a in site.assessments}
    for rule, outcome, error, found in later:
        if site.assessment_error:
            outcome.status, error = "error", site.assessment_error
        for finding in found:
            if finding.rule == HARD.id and finding.url in reasons:
                finding.evidence = {**finding.evidence, "reasons": list(reasons[finding.url])}
        outcomes.append((rule, outcome, error))
        findings.add(rule, found)
    return outcomes, findings


def audit_store(db: str | Path, config: Config, feed: Any = None) -> dict[str, Any]:
    """Audit a stored crawl; ``feed``: what an audits.feed.FeedProcess already parsed (audits.feed.Fed)."""
    store = CrawlStore(db, create=False)
    try:
        site = load_site(store, feed.placed, feed.shelf) if feed is not None else load_site(store)
    finally:
        store.close()
    try:
        return build_result(site, config)
    finally:
        site.close()


def build_result(site: Site, config: Config) -> dict[str, Any]:
    from audits.result import result_document

    outcomes, findings = audit_site(site, config)
    return result_document(site, outcomes, findings.rows, findings.counts)
