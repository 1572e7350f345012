"""Findings grouped by what causes them: result.json ``fixes``, one change a web editor makes once.

A shared template that links a dead URL gives one broken-link finding a page; the fix is one line of
the template. Every finding goes to exactly one group (a broken-link finding's (page, target) pairs
each go to their target's group), and a group says its cause and its fix once, with the pages and
services it affects. Kinds, in the order a finding is tried:

- ``robots-rule``: robots-blocked findings, by the robots.txt line that blocks them (the rule's
  evidence names it per engine: audits/robotsmatch.py).
- ``engine``: engine-blocked findings, by (the engines blocked, the challenge marker, the first path
  segment the pages share), e.g. "the gateway answers Baiduspider with a 412 challenge ($_ts): 37 service
  guides under /bsfw/".
- ``script``: js-dependent-content findings by (the script that loads the content, the folder), e.g. "/js/guide.js
  fills in the guides of 37 services under /bsfw/ in the browser"; js-only-link findings by (the page whose
  script builds the links, the folder of the pages reached).
- ``broken-target``: broken-link (page, target) pairs, by target, when 2+ pages link the target.
- ``redirect``: redirect-chain findings by final URL, meta-refresh findings by target, when 2+ share it.
- ``template``: findings of TEMPLATE_RULES (noindex, a missing title/description/h1/lang/viewport, a
  fixed canonical, missing 网页设计规范 tags, a wrong site tag value, no publish date) with the same raw element or value (the noindex meta tag or
  X-Robots-Tag header as written, the viewport or canonical value, which gov tags are missing, a site tag's wrong value; a missing
  element is the same absence) on the pages of a template.
- ``rule``: the rest, one group per rule (its generic failure and fix texts).

Two rules restate causes other findings already give, so their findings join those fixes rather than
saying them again: robots-blocks-engine's "service guides blocked" joins the robots-rule fix of the line
that blocks those guides (the fix's ``rules`` lists both), and service-hard-to-find (a service's summary
of its other findings' reasons) forms no fix of its own.

Template detection (not guessed from the rule alone): a cause sits in the template when it is on at
least TEMPLATE_SHARE (90 %) of the site's 200 HTML pages and at least TEMPLATE_MIN_PAGES (10) pages
(the site template), or, failing that, on 90 % and at least 10 of the pages of one page type
(audits/pagetype.py: a CMS renders each type from its own template: the "article page template").
One-off pages cannot reach that; a shared head or footer always does. For template kinds only the
qualifying page types' findings form the template group (the rest stay in the rule's group); a broken
target or redirect keeps its own kind and is flagged ``template`` by the same test.

Memory stays bounded whatever the site's size: the findings are read once from their spool, and a
group keeps counters and at most MAX_URLS page URLs; at most MAX_KEYS distinct causes are tracked per
rule (a cause first seen after that counts in its rule's group). A group's ``pages`` counts distinct
URLs (each rule's findings come in URL order).

Order (most impact first): services a findability gate keeps out (GATING rules), then pages, then
severity, then rule id. ``id``: 12 hex digits of SHA-1 over (rule, kind, key), the site's own origin
left out of the key: the same for the same cause from run to run.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from audits import causetext
from audits.findability import GATE_RULES
from audits.site import Site
from crawler.urls import origin

TEMPLATE_SHARE = 0.9
TEMPLATE_MIN_PAGES = 10
MIN_SHARED = 2              # pages that must share a broken target or a redirect target to group by it
MAX_URLS = 20
MAX_KEYS = 10_000
DERIVED = frozenset({"service-hard-to-find"})    # a summary of other findings: no fix of its own
SCRIPT_RULES = ("js-dependent-content", "js-only-link")     # grouped by kind "script"
# Rules whose findings keep a page out of the index: the findability model's gates, and the site-wide ones
GATING = frozenset(GATE_RULES) | {"robots-blocks-engine", "engine-blocked", "js-only-link"}
TEMPLATE_RULES = frozenset(causetext.TEMPLATE_TEXT)
SEVERITY_RANK = {"error": 0, "warning": 1, "notice": 2}
_NOINDEX = ("noindex", "none")
SITE_TAGS = frozenset({"SiteName", "SiteDomain", "SiteIDCode"})     # one value for the whole site
USABLE_VIEWPORT = re.compile(r"width\s*=|initial-scale\s*=", re.I)      # as mobile-missing reads it


@dataclass
class _Group:
    rule: str
    kind: str
    key: str
    severity: str = "notice"
    pages: int = 0
    services: int = 0
    urls: list[str] = field(default_factory=list)
    types: Counter[str] = field(default_factory=Counter)
    detail: dict[str, Any] = field(default_factory=dict)
    last: str | None = None
    # broken-link's own group: every page it holds, so a page whose several unshared targets each come
    # back to it counts once (the page's own URL strings: no copy)
    seen: set[str] | None = None
    also: set[str] = field(default_factory=set)     # other rules whose findings this fix says too

    def add(self, url: str, severity: str | None, kind: str | None, services: int) -> None:
        if severity is not None and SEVERITY_RANK.get(severity, 3) < SEVERITY_RANK.get(self.severity, 3):
            self.severity = severity
        if url == self.last:
            return
        self.last = url
        if self.seen is not None:
            self.seen.add(url)
        self.pages += 1
        self.services += services
        if kind is not None:
            self.types[kind] += 1
        if len(self.urls) < MAX_URLS:
            self.urls.append(url)

    def merge(self, other: _Group) -> None:
        if SEVERITY_RANK.get(other.severity, 3) < SEVERITY_RANK.get(self.severity, 3):
            self.severity = other.severity
        if self.seen is not None:     # other: the rule's own group, or a target only one page links
            self.seen |= other.seen if other.seen is not None else set(other.urls)
        self.pages += other.pages
        self.services += other.services
        self.also |= other.also
        self.types.update(other.types)
        self.urls = sorted({*self.urls, *other.urls})[:MAX_URLS]


def path_prefix(url: str) -> str:
    """The first path segment of a URL as a folder ("/bsfw/"), or "/" for a page at the root."""
    path = urlsplit(url).path or "/"
    first, slash, _rest = path.lstrip("/").partition("/")
    return f"/{first}/" if slash and first else "/"


def script_key(rule: str, url: str, evidence: dict[str, Any]) -> str:
    """js-dependent-content: the script that loads the content (the first content-loading script the raw page
    names, else none) and the folder; js-only-link: the first page whose script builds the link, and the
    folder of the pages reached. Tab-separated."""
    if rule == "js-only-link":
        sources = evidence.get("script_sources") or []
        source = str(sources[0]) if sources else ""
        if source and origin(source) == origin(url):     # the page on this site, as the editor knows it
            source = source[len(origin(source)):] or "/"
        return f"{source}\t{path_prefix(url)}"
    return f"{evidence.get('loader') or ''}\t{path_prefix(url)}"


def noindex_key(evidence: dict[str, Any]) -> str:
    """The noindex elements as written: the meta tags that say noindex/none, then the header."""
    parts = list(evidence.get("tags") or [])
    headers = evidence.get("x_robots_tag") or []
    for header in [headers] if isinstance(headers, str) else headers:
        if any(word in str(header).lower() for word in _NOINDEX):
            parts.append(f"X-Robots-Tag: {header}")
    return "\n".join(parts)


def template_key(rule: str, evidence: Any) -> str | None:
    """What must be the same on the pages for a finding of ``rule`` to come from their template."""
    ev = evidence if isinstance(evidence, dict) else {}
    if rule == "noindex":
        return noindex_key(ev) or None
    if rule == "description-missing":
        return "empty" if ev.get("descriptions") else "missing"
    if rule == "title-missing":
        return "empty" if ev.get("titles") else "missing"
    if rule == "h1-missing":
        return "several" if ev.get("h1") else "missing"
    if rule == "mobile-missing":      # a missing or unusable viewport; not the mobile-site declaration
        viewport = str(ev.get("viewport") or "")
        return None if USABLE_VIEWPORT.search(viewport) else viewport
    if rule == "canonical-problem":
        return "\n".join(ev.get("canonicals") or []) or None
    if rule == "gov-meta-missing":
        return ",".join(ev.get("missing") or []) or None
    if rule == "gov-meta-invalid":
        # a site tag's wrong value, the same on every page; a page's own PubDate beside it does not stop the
        # page from sharing the template's fault (its finding still says both)
        problems = [p for p in ev.get("problems") or [] if p.get("tag") in SITE_TAGS]
        return "\n".join(f"{p['tag']}\t{p.get('value')}\t{p.get('expected')}" for p in problems) or None
    return "" if rule in TEMPLATE_RULES else None


class _Grouper:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.services = {a.service.url for a in site.assessments}
        self.groups: dict[tuple[str, str, str, str], _Group] = {}
        self.keys: Counter[str] = Counter()
        self.blocked_by: dict[str, str] = {}      # a robots-blocked URL -> its robots-rule key
        html = site.every_html_page()
        self.html_total = len(html)
        self.type_totals = Counter(site.kind(p) or "other" for p in html)

    def _page_kind(self, url: str) -> str | None:
        page = self.site.page(url)
        return self.site.kind(page) if page is not None else None

    def _group(self, rule: str, kind: str, key: str, part: str = "") -> _Group:
        index = (rule, kind, key, part)
        group = self.groups.get(index)
        if group is None:
            if kind != "rule" and self.keys[rule] >= MAX_KEYS:
                return self._group(rule, "rule", "")
            self.keys[rule] += kind != "rule"
            group = self.groups[index] = _Group(rule, kind, key)
            if rule == "broken-link" and kind == "rule":
                group.seen = set()
        return group

    def _services_of(self, row: dict[str, Any]) -> int:
        ev = row.get("evidence")
        if row["rule"] == "robots-blocks-engine" and isinstance(ev, dict):
            return len(self.services) if ev.get("scope") == "site" else int(ev.get("count") or 0)
        return int(row["url"] in self.services)

    def add(self, row: dict[str, Any]) -> None:
        rule, url, severity, ev = row["rule"], row["url"], row.get("severity"), row.get("evidence")
        ev = ev if isinstance(ev, dict) else {}
        if rule in DERIVED:
            return
        if rule == "robots-blocks-engine" and self._joins_robots_rule(ev):
            return
        kind = self._page_kind(url)
        services = self._services_of(row)
        if rule == "robots-blocked" and ev.get("rules"):
            lines: dict[tuple[Any, ...], dict[str, Any]] = {}
            for c in ev["rules"]:       # one line may block several engines (a * group)
                line = lines.setdefault((c["group"], c["rule"], c["line"]), {**c, "engines": []})
                line["engines"].append(c["engine"])
            causes = sorted(lines.values(), key=lambda c: c["line"])
            key = "\n".join(f"{c['group']}\t{c['rule']}" for c in causes)
            group = self._group(rule, "robots-rule", key)
            if "causes" not in group.detail:
                group.detail.update(causes=causes, robots=origin(url) + "/robots.txt")
            group.add(url, severity, kind, services)
            if len(self.blocked_by) < MAX_KEYS * 10:
                self.blocked_by[url] = key
            return
        if rule == "engine-blocked" and ev.get("engines"):
            prefix = path_prefix(url)
            key = "\t".join((",".join(ev["engines"]), str(ev.get("marker") or ""), prefix))
            group = self._group(rule, "engine", key)
            if not group.detail:
                group.detail.update(engines=ev["engines"], marker=ev.get("marker"), status=ev.get("status"),
                                    reason=ev.get("reason"), prefix=prefix)
            group.add(url, severity, kind, services)
            return
        if rule in SCRIPT_RULES:
            key = script_key(rule, url, ev)
            group = self._group(rule, "script", key)
            if not group.detail:
                script, where = key.split("\t")
                group.detail.update(script=script or None, where=where)
            group.add(url, severity, kind, services)
            return
        if rule == "broken-link" and ev.get("targets"):
            url = self.site.url_object(url)
            for target in ev["targets"]:
                group = self._group(rule, "broken-target", str(target.get("url")))
                group.detail.setdefault("status", target.get("status"))
                group.detail.setdefault("error", target.get("error"))
                group.add(url, severity, kind, services)
            if int(ev.get("count") or 0) > len(ev["targets"]):     # targets the evidence leaves out
                self._group(rule, "rule", "").add(url, severity, kind, services)
            return
        target = ev.get("final") if rule == "redirect-chain" and not ev.get("loop") else \
            ev.get("target") if rule == "meta-refresh" else None
        if target:
            self._group(rule, "redirect", str(target)).add(url, severity, kind, services)
            return
        key = template_key(rule, ev)
        if key is not None:
            self._group(rule, "template", key, kind or "").add(url, severity, kind, services)
            return
        self._group(rule, "rule", "").add(url, severity, kind, services)

    def _joins_robots_rule(self, ev: dict[str, Any]) -> bool:
        """robots-blocks-engine about service guides that one robots.txt line blocks, every one of them listed:
        that line's fix says it (robots-blocked came first, in rule order)."""
        urls = ev.get("urls") or []
        if ev.get("scope") != "services" or not urls or int(ev.get("count") or 0) > len(urls):
            return False
        keys = {self.blocked_by.get(u) for u in urls}
        if len(keys) != 1 or None in keys:
            return False
        group = self.groups.get(("robots-blocked", "robots-rule", next(iter(keys)), ""))
        if group is None:
            return False
        group.also.add("robots-blocks-engine")
        return True

    # ------------------------------------------------------------------ deciding the groups
    def _template_types(self, types: Counter[str]) -> list[str] | None:
        """[] when the cause covers the site template, the page types whose template it is in, else None."""
        count = sum(types.values())
        if count >= TEMPLATE_MIN_PAGES and count >= TEMPLATE_SHARE * self.html_total:
            return []
        found = [t for t in causetext.KIND_NAMES if types[t] >= TEMPLATE_MIN_PAGES
                 and types[t] >= TEMPLATE_SHARE * self.type_totals.get(t, 0)]
        return found or None

    def finish(self) -> list[dict[str, Any]]:
        final: dict[tuple[str, str, str], tuple[_Group, list[str] | None]] = {}

        def put(group: _Group, kind: str, key: str, types: list[str] | None) -> None:
            index = (group.rule, kind, key)
            if index not in final:
                final[index] = (_Group(group.rule, kind, key, group.severity, detail=dict(group.detail),
                                       seen=set() if group.rule == "broken-link" and kind == "rule" else None),
                                types)
            final[index][0].merge(group)

        parts: dict[tuple[str, str], list[_Group]] = {}
        for (rule, kind, key, _part), group in self.groups.items():
            if kind == "template":
                parts.setdefault((rule, key), []).append(group)
            elif kind in ("broken-target", "redirect") and group.pages < MIN_SHARED:
                put(group, "rule", "", None)
            else:
                put(group, kind, key, self._template_types(group.types) if kind == "broken-target" else None)
        for (_rule, key), groups in parts.items():
            whole = self._template_types(sum((g.types for g in groups), Counter()))
            for group in groups:
                in_template = whole == [] or (whole is not None and any(t in whole for t in group.types))
                if in_template:
                    put(group, "template", key, whole)
                else:
                    put(group, "rule", "", None)
        for group, _types in final.values():
            if group.seen is not None:        # distinct pages, whichever groups they came from
                group.pages, group.services = len(group.seen), len(group.seen & self.services)
                group.seen = None
        return sorted((self._fix(g, types) for g, types in final.values()), key=sort_key)

    def _fix(self, group: _Group, types: list[str] | None) -> dict[str, Any]:
        target = None
        if group.kind == "template":
            cause, fix = causetext.template_text(group.rule, group.key, types)
        elif group.kind == "broken-target":
            target = group.key
            at = causetext.where(types) if types is not None else None
            cause, fix = causetext.broken_text(group.key, group.detail, at)
        elif group.kind == "robots-rule":
            causes = group.detail["causes"]
            target = str(causes[0]["path"])
            cause, fix = causetext.robots_text(causes, group.detail["robots"])
        elif group.kind == "engine":
            target = group.detail["prefix"]
            cause, fix = causetext.engine_text(group.detail, group.pages, group.services)
        elif group.kind == "script":
            target = group.detail["script"] or group.detail["where"]
            cause, fix = causetext.script_text(group.rule, group.detail, group.pages, group.services)
        elif group.kind == "redirect":
            target = group.key
            cause, fix = causetext.redirect_text(group.rule, group.key)
        else:
            cause, fix = causetext.rule_text(group.rule)
        key = group.key
        for site_origin in self.site.origins:     # the same cause on another host or port: the same id
            key = key.replace(site_origin, "")
        digest = hashlib.sha1(f"{group.rule}\0{group.kind}\0{key}".encode()).hexdigest()[:12]
        return {"id": digest, "rule": group.rule, "severity": group.severity, "kind": group.kind,
                "cause": cause.zh, "cause_en": cause.en, "fix": fix.zh, "fix_en": fix.en[:1].upper() + fix.en[1:],
                "pages": group.pages, "services": group.services, "services_total": len(self.services),
                "template": types is not None, "target": target, "urls": group.urls,
                "rules": sorted({group.rule, *group.also}), "gating": group.rule in GATING,
                "page_types": types or []}


def sort_key(fix: dict[str, Any]) -> tuple[Any, ...]:
    """Services a gate keeps out first, then pages, then severity, then rule id."""
    unblocks = fix["services"] if fix["rule"] in GATING else 0
    return (-unblocks, -fix["pages"], SEVERITY_RANK.get(fix["severity"], 3), fix["rule"], fix["id"])


def group_fixes(site: Site, findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """result.json ``fixes`` from the findings' rows (audits.engine.AuditFindings.rows: rule order,
    then URL), read once."""
    grouper = _Grouper(site)
    for row in findings:
        grouper.add(row)
    return grouper.finish()
