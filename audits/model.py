"""What a rule is (metadata plus one pure check function) and what it reports."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from sys import intern
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audits.site import Site

SEVERITIES = ("error", "warning", "notice")
CATEGORIES = ("indexability", "content", "structure", "gov", "findability")
# What a rule is judged over, for its pass ratio: "page" = 200 HTML pages, "url" = every fetched
# in-scope URL, "service" = the service guides, "site" = one verdict per crawl.
SCOPES = ("page", "url", "service", "site")
# Whose norms a rule encodes: None = every site; "cn-gov" = Chinese government sites only (网页设计规范,
# 网站标识码, 办事指南 elements): elsewhere its status is "n/a" and it weighs nothing (audits/jurisdiction.py).
JURISDICTIONS = (None, "cn-gov")


@dataclass(frozen=True, slots=True)
class Text:
    """A user-visible text in Chinese (default) and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Finding:
    """One thing a rule found at one URL.

    A big crawl has hundreds of thousands (3.7 a page at 100,000 pages), so each is kept small: the
    two message strings interned (most repeat from page to page) and the evidence marshalled, read
    back when asked for (~400 bytes a finding instead of ~750)."""

    __slots__ = ("_en", "_evidence", "_zh", "rule", "severity", "url")

    def __init__(self, rule: str, url: str, message: Text, evidence: Any = None, severity: str | None = None) -> None:
        self.rule = rule
        self.url = url
        self._zh, self._en = intern(message.zh), intern(message.en)
        self.evidence = evidence
        self.severity = severity        # overrides the rule's severity for this finding

    @property
    def message(self) -> Text:
        return Text(self._zh, self._en)

    @property
    def evidence(self) -> Any:
        packed = self._evidence
        return marshal.loads(packed) if isinstance(packed, bytes) else packed

    @evidence.setter
    def evidence(self, value: Any) -> None:
        try:
            self._evidence = value if value is None else marshal.dumps(value)   # bytes too
        except ValueError:      # not marshallable (a rule's own object): kept as it is
            self._evidence = value

    def fields(self) -> tuple[Any, ...]:
        """What ``from_fields`` needs to make this finding again (marshallable unless the evidence is
        an object of the rule's own)."""
        return (self.rule, self.url, self._zh, self._en, self._evidence, self.severity)

    @classmethod
    def from_fields(cls, fields: tuple[Any, ...]) -> Finding:
        finding = cls.__new__(cls)
        finding.rule, finding.url, zh, en, finding._evidence, finding.severity = fields
        finding._zh, finding._en = intern(zh), intern(en)
        return finding

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.rule, self.url, self.message, self.evidence, self.severity) == \
            (other.rule, other.url, other.message, other.evidence, other.severity)

    __hash__ = None  # type: ignore[assignment]  # mutable (severity), like the dataclass it replaced

    def __repr__(self) -> str:
        return f"Finding({self.rule!r}, {self.url!r}, {self.message!r}, {self.evidence!r}, {self.severity!r})"


def pages_of_kind(*kinds: str) -> Callable[[Site], int]:
    """``Rule.judges`` for a page rule that judges only pages of these types (audits/pagetype.py): with
    none of them on the site it has nothing to judge; otherwise they are its pass ratio's denominator."""
    def judges(site: Site) -> int:
        return sum(1 for page in site.every_html_page() if site.kind(page) in kinds)
    return judges


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: str
    scope: str
    title: Text              # the check, neutral: "页面有标题"
    failure: Text            # what a failing page has: "页面缺少标题"
    why: Text
    fix: Text
    source: str
    check: Callable[[Site, dict[str, Any]], Iterable[Finding]]
    params: dict[str, Any] = field(default_factory=dict)
    # The rule judges each page from that page alone (and site-wide facts the Site works out): the
    # engine may run it over windows of pages (Site.window). False for rules that compare pages.
    local: bool = False
    jurisdiction: str | None = None     # see JURISDICTIONS
    # How many things the rule judges on this site (origins with a robots.txt, citizen queries with a
    # page, service guides, ...), when not what its scope says; 0 makes its status "n/a" (it weighs
    # nothing). None: every 200 HTML page (scope page), every URL (url), one verdict (site).
    judges: Callable[[Site], int] | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES or self.category not in CATEGORIES or self.scope not in SCOPES \
                or self.jurisdiction not in JURISDICTIONS:
            raise ValueError(f"bad metadata for rule {self.id}")
