"""Findability of each service: gates, reachability, relevance and a simulated search, 0-100.

score = 100 x (w_reach x reach + w_relevance x relevance + w_search x search) / (sum of weights),
then x ``gate_factor`` (0.1) when any gate fails: a page a search engine may not index, cannot read,
or is told to drop is near 0 whatever else it does well.

- gates: the page answered an error or was never readable (http-error), noindex, robots.txt blocks
  Baiduspider or Googlebot (robots-blocked), a gateway answers Baiduspider with a challenge or another page
  (engine-blocked, audits/engineviews.py), canonical to another URL, a meta-refresh redirect, or the
  guide only in scripts, a frame or an attachment (js-dependent-content, frame-content, attachment-only), or
  only links that scripts build reach it (js-only-link, with --render);
- reachability (0-1): 0.5 x click depth (1 at depth <= 1, then 0.85, 0.7, 0.3, 0.2; 0 when no link
  reaches it) + 0.3 x internal link score / 100 + 0.2 x in a sitemap;
- relevance (0-1): title names the service 0.35, title unique and not generic 0.2, H1 names it 0.2,
  description names it or its key terms 0.1, title/H1/description carry at least one of the
  citizens' everyday words for it 0.15 (given when the dictionary has none for this service);
- search (0-1): BM25F over the site's indexable pages (audits/search.py) answers each query; position
  1 -> 1, 2 -> 0.8, 3 -> 0.6, 4-10 -> 0.3, else 0; weighted mean, the service's own name and the
  user's queries weigh 2, everyday-word and key-term queries 1.

Then known demotions multiply the score (``penalties``): a page no link reaches x 0.6, a stuffed title
or body x 0.6 (Baidu's 清风 algorithm), no title x 0.7.

The simulated engine returns a page only when it contains at least 75 % of the query's distinct terms
(``min_match``): plain BM25 would return the 机动车交通违法处理 guide for 违章处理 on the word 处理 alone.

Every query is known before the index is built (services are detected and their queries made from the
site and the synonyms alone), so the index keeps postings only for the queries' terms
(``SearchIndex(vocabulary=...)``; N, field lengths and df still count every term, so positions are those
of the full index), and each distinct list of query terms is ranked once for all the services asking it.

Default weights: reach 0.3, relevance 0.3, search 0.4; every number is in ``DEFAULTS`` and can be
overridden in ``govseo.toml [findability]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from audits.engineviews import blocked_views
from audits.model import Finding
from audits.search import SearchIndex, analyse_queries
from audits.services import Service, detect_services
from audits.site import Site
from audits.synonyms import Synonyms, load_synonyms

DEFAULTS: dict[str, Any] = {
    "weights": {"reach": 0.3, "relevance": 0.3, "search": 0.4},
    "gate_factor": 0.1,
    "depth_scores": [1.0, 1.0, 0.85, 0.7, 0.3, 0.2],
    "position_scores": {1: 1.0, 2: 0.8, 3: 0.6},
    "top10_score": 0.3,
    "hard_below": 60,
    "min_match": 0.75,
    # Known demotions, as factors on the score: a page no link reaches (only a sitemap lists it) gets
    # little weight; Baidu's 清风 algorithm demotes stuffed titles and bodies; without a title the engine
    # shows the URL or guesses.
    "penalties": {"unlinked": 0.6, "title-stuffing": 0.6, "keyword-stuffing": 0.6, "title-missing": 0.7},
}
GATE_RULES = ("http-error", "noindex", "robots-blocked", "engine-blocked", "canonical-problem", "meta-refresh",
              "js-dependent-content", "js-only-link", "frame-content", "attachment-only")
# engine-blocked gates a service only when Baidu's crawler is among the engines blocked (audits/engineviews.py)
GATE_ENGINES = frozenset({"Baiduspider", "Baiduspider-render"})
REACH_RULES = ("deep-page", "weak-internal-links", "orphan-page", "not-in-sitemap")
RELEVANCE_RULES = ("title-missing", "title-generic", "title-duplicate", "title-pattern", "title-stuffing",
                   "h1-missing", "title-h1-mismatch", "description-missing", "keyword-focus")


@dataclass(slots=True)      # ~5 a service, 190,000 at 100,000 pages: no per-instance __dict__
class Query:
    text: str
    kind: str                      # name | everyday | terms | user
    position: int | None = None

    @property
    def weight(self) -> float:
        return 2.0 if self.kind in ("name", "user") else 1.0


@dataclass(slots=True)
class UserQuery:
    """A citizen's search phrase from --queries, and where its intended page lands."""

    text: str
    url: str | None
    position: int | None = None
    top_results: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Assessment:
    service: Service
    gates: list[str] = field(default_factory=list)              # rule ids
    reach: float = 0.0
    relevance: float = 0.0
    search: float = 0.0
    score: int = 0
    queries: list[Query] = field(default_factory=list)
    everyday_missing: list[str] = field(default_factory=list)   # everyday words absent from title/H1/description
    reasons: list[str] = field(default_factory=list)            # rule ids, most important first
    rank: int = 0


def _settings(config: dict[str, Any] | None) -> dict[str, Any]:
    settings = {**DEFAULTS, **(config or {})}
    settings["weights"] = {**DEFAULTS["weights"], **(config or {}).get("weights", {})}
    return settings


def build_index(site: Site, min_match: float = DEFAULTS["min_match"],
                vocabulary: Iterable[str] | None = None) -> SearchIndex:
    """The simulated engine's index: indexable pages only (a non-indexable page can never be returned).
    ``vocabulary``: the terms of every query that will be asked (postings are kept for those only)."""
    index = SearchIndex(site.tokenizer, min_match=min_match, vocabulary=vocabulary)
    for page in site.html_pages():
        if page.id in site.indexable_ids and page.artifacts is not None:
            art = page.artifacts
            # the body reuses the page's one segmentation (Site.terms); the short fields are cut here
            index.add_tokens(page.id, {"title": index.tokens(art.title or ""), "h1": index.tokens(" ".join(art.h1s)),
                                       "description": index.tokens(" ".join(art.descriptions))},
                             words={"body": site.terms(page)})
    index.finalise()
    return index


def position_score(position: int | None, settings: dict[str, Any]) -> float:
    if position is None:
        return 0.0
    scores = {int(k): v for k, v in settings["position_scores"].items()}
    return scores.get(position, settings["top10_score"] if position <= 10 else 0.0)


def service_queries(site: Site, service: Service, synonyms: Synonyms,
                    user: list[tuple[str, str | None]], shared: dict[str, str] | None = None) -> list[Query]:
    """``shared``: texts already made for other services (services share names: one string each)."""
    texts = shared if shared is not None else {}
    queries = [Query(service.name, "name")]
    for everyday in synonyms.everyday_for(service.name)[:3]:
        for official in synonyms.officials_for(everyday):
            if official in service.name:
                text = service.name.replace(official, everyday, 1)
                queries.append(Query(texts.setdefault(text, text), "everyday"))
                break
    terms = [t for t in site.tokenizer.terms(service.name) if len(t) >= 2]
    if len(terms) >= 3:     # the two longest terms, in name order: the name's core without its verb
        longest = sorted(sorted(range(len(terms)), key=lambda i: -len(terms[i]))[:2])
        text = " ".join(terms[i] for i in longest)
        queries.append(Query(texts.setdefault(text, text), "terms"))
    queries += [Query(text, "user") for text, url in user if url == service.url]
    seen: set[str] = set()
    return [q for q in queries if not (q.text in seen or seen.add(q.text))]


def _reach(site: Site, service: Service, settings: dict[str, Any]) -> float:
    page = service.page
    if page is None or page.depth is None:
        depth_score = 0.0
    else:
        table = settings["depth_scores"]
        depth_score = table[page.depth] if page.depth < len(table) else table[-1]
    link = site.link_scores.get(page.id, 0.0) / 100 if page is not None else 0.0
    in_sitemap = 1.0 if service.url in site.sitemap_locs else 0.0
    return 0.5 * depth_score + 0.3 * link + 0.2 * in_sitemap


def _relevance(site: Site, a: Assessment, rule_hits: set[str], synonyms: Synonyms) -> float:
    page = a.service.page
    if page is None or page.artifacts is None:
        return 0.0
    art = page.artifacts
    title, h1 = art.title or "", " ".join(art.h1s)
    name = a.service.name
    # The words citizens use for this service: everyday forms of the official terms in its name. The page
    # speaks their language when its title, H1 or description (what an engine shows and weighs) carries
    # any one of them; otherwise all of them are listed, the one people type first (Synonyms.vocabulary_gap).
    a.everyday_missing = synonyms.vocabulary_gap(name, " ".join((title, h1, *art.descriptions)))
    key = {t for t in site.tokenizer.terms(name) if len(t) >= 2}
    score = 0.35 * (name in title) + 0.2 * (not {"title-duplicate", "title-generic", "title-missing"} & rule_hits)
    score += 0.2 * (name in h1) + 0.1 * any(t in " ".join(art.descriptions) for t in key | {name})
    score += 0.15 * (not a.everyday_missing)
    return score


def answer_queries(site: Site, index: SearchIndex, queries: list[tuple[str, str | None]]) -> list[UserQuery]:
    result = []
    for text, url in queries:
        hits = index.search(text, top_k=10)
        query = UserQuery(text, url, top_results=[site.pages[doc].url for doc, _ in hits[:5]])
        page = site.page(url) if url else None
        if page is not None:
            query.position = index.position(text, page.id)
        result.append(query)
    return result


def assess(site: Site, findings: Iterable[Finding] | Mapping[str, set[str]], config: dict[str, Any] | None = None,
           services_config: dict[str, Any] | None = None,
           user_queries: list[tuple[str, str | None]] | None = None) -> list[Assessment]:
    """Score every service; the result is sorted hardest first (rank 1). Also answers the user's queries
    (``site.user_queries``) on the same index. ``findings``: the other rules' findings, or which rules
    found something at each URL (url -> rule ids)."""
    settings = _settings(config)
    synonyms = load_synonyms()
    user = user_queries or []
    # Every query is known before the index is built: the index keeps postings for their terms only.
    services = detect_services(site, services_config)
    shared: dict[str, str] = {}
    queries = [service_queries(site, service, synonyms, user, shared) for service in services]
    del shared
    terms_of = analyse_queries([text for text, _ in user] + [q.text for qs in queries for q in qs], site.tokenizer)
    index = build_index(site, float(settings["min_match"]), {t for terms in terms_of.values() for t in terms})
    site.user_queries = answer_queries(site, index, user)
    if isinstance(findings, Mapping):
        hits = findings
    else:
        hits = {}
        for finding in findings:
            hits.setdefault(finding.url, set()).add(finding.rule)
    # Services often share a name, or differ only in what the analysis drops (a number, punctuation):
    # each distinct list of query terms is scored once for all the pages that ask it.
    asked: dict[tuple[str, ...], list[tuple[Query, int]]] = {}
    for service, service_qs in zip(services, queries, strict=True):
        if service.page is not None:          # a service without a page has no position
            for query in service_qs:
                asked.setdefault(terms_of[query.text], []).append((query, service.page.id))
    del terms_of
    for terms, asking in asked.items():
        page_ids = list(dict.fromkeys(page_id for _, page_id in asking))
        position = dict(zip(page_ids, index.positions(list(terms), page_ids), strict=True))
        for query, page_id in asking:
            query.position = position[page_id]
    del asked
    assessments = []
    baidu_blocked: set[str] | None = None
    for service, service_qs in zip(services, queries, strict=True):
        a = Assessment(service)
        rule_hits = hits.get(service.url, set())
        a.gates = [r for r in GATE_RULES if r in rule_hits]
        if "engine-blocked" in a.gates:
            if baidu_blocked is None:
                baidu_blocked = _baidu_blocked(site)
            if service.url not in baidu_blocked:
                a.gates.remove("engine-blocked")
        if service.page is not None and site.canonical_target(service.page) and "canonical-problem" not in a.gates:
            a.gates.append("canonical-problem")    # canonicalised to another URL: that URL is what gets indexed
        if service.page is None and "http-error" not in a.gates:
            a.gates.append("robots-blocked" if site.blocked_for(service.url) else "http-error")
        a.reach = _reach(site, service, settings)
        a.relevance = _relevance(site, a, rule_hits, synonyms)
        a.queries = service_qs
        total_weight = sum(q.weight for q in a.queries)
        a.search = sum(q.weight * position_score(q.position, settings) for q in a.queries) / total_weight
        w = settings["weights"]
        raw = (w["reach"] * a.reach + w["relevance"] * a.relevance + w["search"] * a.search) / sum(w.values())
        factor = settings["gate_factor"] if a.gates else 1.0
        penalties = settings["penalties"]
        if service.page is None or service.page.depth is None:
            factor *= penalties.get("unlinked", 1.0)
        for rule_id in rule_hits:
            factor *= penalties.get(rule_id, 1.0)
        a.score = round(100 * raw * factor)
        a.reasons = a.gates + [r for r in (*REACH_RULES, *RELEVANCE_RULES) if r in rule_hits]
        assessments.append(a)
    assessments.sort(key=lambda a: (a.score, a.service.url))
    for rank, a in enumerate(assessments, start=1):
        a.rank = rank
    return assessments


def _baidu_blocked(site: Site) -> set[str]:
    """The URLs whose engine view is blocked for Baidu's crawler (GATE_ENGINES)."""
    return {url for url, (_, views) in blocked_views(site).items() if any(v["engine"] in GATE_ENGINES for v in views)}
