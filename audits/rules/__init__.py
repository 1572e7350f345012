"""The rule registry: every rule, in the order of the public catalogue (RULES.md)."""

from __future__ import annotations

from audits.model import Rule
from audits.rules import (
    broken_link,
    declarations,
    description,
    engine_blocked,
    findability,
    gov,
    h1,
    http_error,
    js_changed_meta,
    js_only_link,
    keywords,
    links_images,
    noindex,
    publish_date,
    redirect_chain,
    rendering,
    robots_blocked,
    robots_sitemaps,
    robots_txt,
    sitemap,
    structure,
    structured_data,
    thin_dup,
    title,
    title_wording,
    url_rules,
)

CATALOGUE_ORDER = """
http-error broken-link redirect-chain meta-refresh robots-blocked noindex canonical-problem js-dependent-content
frame-content js-only-link js-changed-meta engine-blocked attachment-only charset-mismatch title-missing title-duplicate title-generic title-length
title-stuffing title-pattern description-missing description-duplicate description-length h1-missing
title-h1-mismatch keyword-stuffing keyword-focus thin-content near-duplicate link-text-generic image-alt-missing
url-unfriendly mobile-missing lang-missing publish-date-missing structured-data-invalid robots-txt-missing
robots-txt-invalid robots-blocks-engine sitemap-missing sitemap-invalid sitemap-bad-url not-in-sitemap
orphan-page deep-page weak-internal-links gov-meta-missing gov-meta-invalid site-identity-missing
service-guide-incomplete service-hard-to-find service-vocabulary-gap service-search-rank query-unanswered
""".split()

_ALL = [
    http_error.RULE, broken_link.RULE, redirect_chain.RULE, robots_blocked.RULE, noindex.RULE,
    *rendering.RULES, js_only_link.RULE, js_changed_meta.RULE, engine_blocked.RULE, *title.RULES, *title_wording.RULES, *keywords.RULES,
    *description.RULES, h1.RULE, *thin_dup.RULES, *links_images.RULES,
    *url_rules.RULES, *declarations.RULES, publish_date.DATE, structured_data.JSONLD, robots_txt.RULE, sitemap.RULE, *robots_sitemaps.RULES,
    *structure.RULES, *gov.RULES, *findability.RULES,
]
ALL_RULES: list[Rule] = sorted(_ALL, key=lambda rule: CATALOGUE_ORDER.index(rule.id))
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
assert len(RULES_BY_ID) == len(ALL_RULES), "duplicate rule id"
