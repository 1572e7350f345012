"""What a rule is (metadata plus one pure check function) and what it reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from audits.site import Site

SEVERITIES = ("error", "warning", "notice")
CATEGORIES = ("indexability", "content", "structure", "gov", "findability")
# What a rule is judged over, for its pass ratio: "page" = 200 HTML pages, "url" = every fetched
# in-scope URL, "service" = the service guides, "site" = one verdict per crawl.
SCOPES = ("page", "url", "service", "site")


@dataclass(frozen=True, slots=True)
class Text:
    """A user-visible text in Chinese (default) and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(slots=True)       # a big crawl has hundreds of thousands
class Finding:
    rule: str
    url: str
    message: Text
    evidence: Any = None
    severity: str | None = None     # overrides the rule's severity for this finding


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

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES or self.category not in CATEGORIES or self.scope not in SCOPES:
            raise ValueError(f"bad metadata for rule {self.id}")
