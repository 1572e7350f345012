"""`govseo check`: compare a result.json with a baseline result.json and judge it against assertions.

Pure logic, no I/O. ``compare(current, baseline, assertions)`` returns a ``CheckReport``; the CLI prints it,
reports/junit.py and reports/markdown.py render it.

Fingerprints. A finding is identified by ``(rule, url key)``. The url key is the finding's URL without its
scheme, host and port when the host is the document's own site host (``site.url``, else the first start
URL): ``http://127.0.0.1:40123/bsfw/a.html?x=1`` -> ``/bsfw/a.html?x=1``. So two runs of the sample portal
on different ephemeral ports compare, and so do staging and production hosts or an http -> https move. A
URL on another host (a subdomain crawled with --subdomains) keeps its host, ``//host/path``, so two hosts
never collide. Several findings with one fingerprint are paired up in order (a multiset). Services are
matched by the url key of their URL in the same way.

Baseline findings of a rule that did not run this time (status ``error`` or ``off``, or a rule id the
current result does not list) are *unchecked*, never counted as fixed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from common.messages import message
from common.spool import is_rows

LEVELS = ("off", "warn", "error")
_UNCHECKED_STATUS = ("error", "off")
_EMPTY: dict[str, Any] = {"site": {}, "crawl": {}, "rules": [], "findings": [], "services": []}
# C0/C1 controls, bidi overrides and what cannot be encoded: crawled text must not steer a terminal or a file
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Assertions:
    """``[check]`` of govseo.toml (see audits/config.py), with the documented defaults."""

    levels: dict[str, str] = field(default_factory=dict)   # [check.assertions]: rule id -> off|warn|error
    min_site_score: float | None = None
    min_service_score: float | None = None
    max_service_drop: float = 5
    fail_on_new_errors: bool = True
    fail_on_missing_service: bool = True

    @classmethod
    def from_config(cls, table: dict[str, Any]) -> Assertions:
        return cls(levels=dict(table.get("assertions", {})), min_site_score=table.get("min-site-score"),
                   min_service_score=table.get("min-service-score"),
                   max_service_drop=table.get("max-service-drop", 5),
                   fail_on_new_errors=table.get("fail-on-new-errors", True),
                   fail_on_missing_service=table.get("fail-on-missing-service", True))

    def level(self, rule: str, severity: str | None) -> str:
        """The level of a new finding: the rule's assertion, else error -> error, warning -> warn, notice -> off."""
        if rule in self.levels:
            return self.levels[rule]
        if severity == "error":
            return "error" if self.fail_on_new_errors else "warn"
        return "warn" if severity == "warning" else "off"


@dataclass
class Item:
    """One failing (``error``) or warning (``warn``) line of the check."""

    kind: str      # new-finding | score-drop | new-gate | min-service-score | missing-service | min-site-score
    level: str     # | site-score-drop | rule-error | crawl-incomplete
    rule: str = ""
    url: str = ""              # the full URL as crawled (current run, or the baseline for a missing service)
    key: str = ""              # the url key (fingerprint part)
    service: str = ""          # service name when the URL is a service page
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ServiceDelta:
    key: str
    url: str
    name: str
    before: float | None       # None: new service
    after: float | None        # None: gone from the current result
    new_gates: list[str] = field(default_factory=list)
    new_reasons: list[str] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass
class CheckReport:
    new: list[dict[str, Any]]          # findings, each with "level" added
    fixed: list[dict[str, Any]]
    unchanged: list[dict[str, Any]]
    unchecked: list[dict[str, Any]]
    services: list[ServiceDelta]
    items: list[Item]
    rule_levels: dict[str, str]        # every rule of the current result (and every asserted one) -> level
    site_before: float | None
    site_after: float | None
    site_url: str
    has_baseline: bool
    version: str = ""
    site: dict[str, Any] = field(default_factory=dict)        # the current result's site (score, gates, categories)
    fixes: Any = field(default_factory=list)   # the current result's fixes (a list or Spool), most impact first

    @property
    def failures(self) -> list[Item]:
        return [i for i in self.items if i.level == "error"]

    @property
    def warnings(self) -> list[Item]:
        return [i for i in self.items if i.level == "warn"]

    @property
    def passed(self) -> bool:
        return not self.failures


# ---------------------------------------------------------------------------- input
def validate(doc: Any) -> str | None:
    """The first structural problem of a result document that ``compare`` relies on, or None."""
    if not isinstance(doc, dict) or doc.get("schema_version") != 1:
        return "schema_version must be 1"
    if not isinstance(doc.get("site"), dict) or not _score_ok(doc["site"].get("score")):
        return "site.score must be a number or null"
    for name in ("rules", "findings", "services"):
        if not is_rows(doc.get(name)):
            return f"{name} must be a list"
        bad = next((i for i, x in enumerate(doc[name]) if not isinstance(x, dict)), None)
        if bad is not None:
            return f"{name}[{bad}] must be an object"
    for i, rule in enumerate(doc["rules"]):
        if not isinstance(rule.get("id"), str):
            return f"rules[{i}].id must be text"
    for i, finding in enumerate(doc["findings"]):
        if not all(isinstance(finding.get(k), str) for k in ("rule", "url", "severity")):
            return f"findings[{i}]: rule, url and severity must be text"
    for i, service in enumerate(doc["services"]):
        if not isinstance(service.get("url"), str) or not _score_ok(service.get("score")):
            return f"services[{i}]: url must be text and score a number"
        if not isinstance((service.get("components") or {}).get("gates") or [], list):
            return f"services[{i}].components.gates must be a list"
    return None


def _score_ok(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value))


def site_host(doc: dict[str, Any]) -> str:
    starts = (doc.get("crawl") or {}).get("start_urls") or [""]
    try:
        return (urlsplit(str((doc.get("site") or {}).get("url") or starts[0])).hostname or "").lower()
    except ValueError:
        return ""


def url_key(url: str, host: str) -> str:
    """``url`` without scheme, host and port when on ``host``; ``//otherhost/path`` otherwise."""
    try:
        parts = urlsplit(url)
        other = (parts.hostname or "").lower()
    except ValueError:
        return url
    if not parts.scheme and not parts.netloc:
        return url
    tail = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return tail if other == host else f"//{other}{tail}"


# ---------------------------------------------------------------------------- comparison
def compare(current: dict[str, Any], baseline: dict[str, Any] | None, assertions: Assertions) -> CheckReport:
    """Compare ``current`` with ``baseline`` (None: every finding is new) under ``assertions``."""
    base = baseline if baseline is not None else _EMPTY
    cur_host, base_host = site_host(current), site_host(base)
    cur_services = {url_key(s["url"], cur_host): s for s in current["services"]}
    base_services = {url_key(s["url"], base_host): s for s in base["services"]}
    names = {k: str(s.get("name") or "") for k, s in {**base_services, **cur_services}.items()}
    statuses = {r["id"]: r.get("status") for r in current["rules"]}
    items: list[Item] = []
    if (current.get("crawl") or {}).get("complete") is False:
        items.append(Item("crawl-incomplete", "warn", url=str(current["site"].get("url") or "")))

    remaining = Counter((f["rule"], url_key(f["url"], base_host)) for f in base["findings"])
    new, unchanged = [], []
    for finding in current["findings"]:
        fp = (finding["rule"], url_key(finding["url"], cur_host))
        if remaining[fp] > 0:
            remaining[fp] -= 1
            unchanged.append(finding)
            continue
        level = assertions.level(finding["rule"], finding["severity"])
        new.append({**finding, "level": level})
        if level != "off":
            items.append(Item("new-finding", level, finding["rule"], finding["url"], fp[1], names.get(fp[1], ""),
                              {"text_zh": finding.get("message") or "",
                               "text_en": finding.get("message_en") or finding.get("message") or ""}))
    fixed, unchecked = [], []
    for finding in base["findings"]:
        fp = (finding["rule"], url_key(finding["url"], base_host))
        if remaining[fp] > 0:
            remaining[fp] -= 1
            not_run = statuses.get(finding["rule"], "error" if statuses else "pass") in _UNCHECKED_STATUS
            (unchecked if not_run else fixed).append(finding)
    for rule, n in Counter(f["rule"] for f in unchecked).items():
        items.append(Item("rule-error", "warn", rule, params={"n": n}))

    services = _services(cur_services, base_services, names, assertions, items)
    site_after = current["site"].get("score")
    minimum = assertions.min_site_score
    if minimum is not None and (site_after is None or site_after < minimum):
        items.append(Item("min-site-score", "error", url=str(current["site"].get("url") or ""),
                          params={"after": "—" if site_after is None else site_after, "min": minimum}))
    levels = {r["id"]: assertions.level(r["id"], r.get("severity")) for r in current["rules"]}
    items.sort(key=lambda i: i.level != "error")    # failures first, otherwise in order
    return CheckReport(new, fixed, unchanged, unchecked, services, items, {**levels, **assertions.levels},
                       base["site"].get("score"), site_after, str(current["site"].get("url") or ""),
                       baseline is not None, str((current.get("tool") or {}).get("version") or ""),
                       current["site"], current["fixes"] if is_rows(current.get("fixes")) else [])


def _services(cur: dict[str, dict[str, Any]], base: dict[str, dict[str, Any]], names: dict[str, str],
              assertions: Assertions, items: list[Item]) -> list[ServiceDelta]:
    deltas = []
    for key in [*cur, *(k for k in base if k not in cur)]:
        now, then = cur.get(key), base.get(key)
        url, name = (now or then or {})["url"], names[key]
        before, after = (then or {}).get("score"), (now or {}).get("score")
        gates = list(((now or {}).get("components") or {}).get("gates") or [])
        old_gates = ((then or {}).get("components") or {}).get("gates") or []
        reasons = list((now or {}).get("reasons") or [])
        delta = ServiceDelta(key, url, name, before, after)
        deltas.append(delta)
        if now is None:
            level = "error" if assertions.fail_on_missing_service else "warn"
            items.append(Item("missing-service", level, "", url, key, name, {"before": _score(before)}))
            continue
        if then is not None:
            delta.new_gates = [g for g in gates if g not in old_gates]
            delta.new_reasons = [r for r in reasons if r not in (then.get("reasons") or [])]
            if delta.new_gates:
                items.append(Item("new-gate", "error", ",".join(delta.new_gates), url, key, name))
            drop = delta.change
            if drop is not None and -drop > assertions.max_service_drop:
                items.append(Item("score-drop", "error", ",".join(delta.new_reasons) or "-", url, key, name,
                                  {"before": before, "after": after, "allowed": assertions.max_service_drop}))
        minimum = assertions.min_service_score
        if minimum is not None and after is not None and after < minimum:
            items.append(Item("min-service-score", "error", ",".join(reasons) or "-", url, key, name,
                              {"after": after, "min": minimum}))
    return deltas


# ---------------------------------------------------------------------------- text
def clean_text(value: Any, limit: int = 300) -> str:
    """Crawled text made safe for one line of a terminal, a log, XML or Markdown."""
    text = _UNSAFE.sub(" ", "" if value is None else str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def item_text(item: Item, lang: str, esc: Callable[[str], str] = str, link: Callable[[str], str] = str) -> str:
    """The item in words; ``esc`` escapes crawled text and ``link`` formats the URL for the target format."""
    name = message("check_service_name", lang, name=esc(clean_text(item.service))) if item.service else ""
    params = {**item.params, "rule": esc(clean_text(item.rule or "-")), "url": link(clean_text(item.url, 2000)),
              "service": name}
    params["text"] = esc(clean_text(item.params.get("text_en" if lang == "en" else "text_zh", "")))
    return message(f"check_item_{item.kind}", lang, **params).strip()


def item_line(item: Item, lang: str) -> str:
    mark = message("check_fail_mark" if item.level == "error" else "check_warn_mark", lang)
    return f"{mark} {item_text(item, lang)}"


def summary_lines(report: CheckReport, lang: str, max_warnings: int = 50) -> list[str]:
    """The stdout summary: verdict and counts, scores, then every failure and the first warnings."""
    status = message("check_passed" if report.passed else "check_failed", lang)
    lines = [message("check_header", lang, status=status, new=len(report.new), fixed=len(report.fixed),
                     unchanged=len(report.unchanged), failures=len(report.failures),
                     warnings=len(report.warnings))]
    if not report.has_baseline:
        lines.append(message("check_no_baseline", lang))
    lines.append(message("check_site", lang, before=_score(report.site_before), after=_score(report.site_after)))
    changes = [d.change for d in report.services if d.change is not None]
    lines.append(message("check_services", lang, n=sum(d.after is not None for d in report.services),
                         down=sum(c < 0 for c in changes), up=sum(c > 0 for c in changes),
                         added=sum(d.before is None for d in report.services),
                         missing=sum(d.after is None for d in report.services)))
    lines += [item_line(i, lang) for i in report.failures]
    lines += [item_line(i, lang) for i in report.warnings[:max_warnings]]
    if len(report.warnings) > max_warnings:
        lines.append(message("check_more", lang, n=len(report.warnings) - max_warnings))
    return lines


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
