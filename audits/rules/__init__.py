"""The rule registry: every rule of the catalogue, in catalogue order."""

from __future__ import annotations

from audits.model import Rule
from audits.rules import (
    broken_link,
    description,
    h1,
    http_error,
    noindex,
    redirect_chain,
    robots_blocked,
    robots_txt,
    sitemap,
    title,
)

ALL_RULES: list[Rule] = [
    http_error.RULE,
    broken_link.RULE,
    redirect_chain.RULE,
    robots_blocked.RULE,
    noindex.RULE,
    *title.RULES,
    description.RULE,
    h1.RULE,
    robots_txt.RULE,
    sitemap.RULE,
]

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
assert len(RULES_BY_ID) == len(ALL_RULES), "duplicate rule id"
