"""What each search engine's crawler got, compared with what the crawl got (crawler/engines.py stores the
views; ``Site.engine_views`` loads them).

An engine view is *blocked* when:
- the engine got a challenge status (403, 412, 429, 521), or any error status where the crawl got an answer
  below 400, or no answer at all where the crawl got one;
- a strong challenge marker ($_ts, __jsl_clearance, acw_sc__v2, a captcha page, "Access Denied") is in what
  the engine got and not in what the crawl got;
- the engine was redirected elsewhere while the crawl got the page;
- the engine got another page: both 200, the bodies differ, and the sizes are far apart (one under 30 % of
  the other) or the titles differ with sizes not close (under 80 %). A timestamp or a CSRF token changes the
  digest, not the title or the size: that is the same page.
A view robots.txt forbids to the engine is not blocked here (robots-blocked reports it).

A site is blocked for an engine (``site_fact``) when more than SITE_SHARE of that engine's page views are.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any

from audits.site import Site
from crawler.engines import BLOCKED, ENGINES, markers, text_length, title_of

CHALLENGE_STATUSES = frozenset({403, 412, 429, 521})
STRONG_MARKERS = ("$_ts", "__jsl_clearance", "acw_sc__v2", "captcha", "access-denied")
FAR_RATIO = 0.3
CLOSE_RATIO = 0.8
SITE_SHARE = 0.5
SITE_ENGINE = "Baiduspider"
_ORDER = {e.name: i for i, e in enumerate(ENGINES)}


@dataclass(frozen=True)
class CrawlSide:
    """What the crawl got for a URL."""

    status: int | None
    location: str | None
    size: int
    title: str | None
    digest: str
    markers: tuple[str, ...]
    text_length: int | None = None


def crawl_side(site: Site, url: str) -> CrawlSide | None:
    page = site.page(url)
    if page is None:
        return None
    body = site.body(page)
    return CrawlSide(page.status, page.record.location, len(body), title_of(body), hashlib.sha1(body).hexdigest(),
                     tuple(markers(body, page.record.header("Set-Cookie"))), text_length(body))


def _ratio(a: int, b: int) -> float:
    return 1.0 if max(a, b) == 0 else min(a, b) / max(a, b)


def reason(view: dict[str, Any], crawl: CrawlSide) -> str | None:
    """Why the engine's view is blocked (status | challenge | redirect | unreachable | different-page), or None."""
    if view.get("error") == BLOCKED:
        return None
    status = view.get("status")
    if status is None:
        return "unreachable" if crawl.status is not None and crawl.status < 400 else None
    strong = [m for m in view.get("markers") or [] if m in STRONG_MARKERS and m not in crawl.markers]
    if status in CHALLENGE_STATUSES and (status != crawl.status or strong or view.get("markers")):
        return "challenge" if strong or view.get("markers") else "status"
    if status >= 400 and (crawl.status is None or crawl.status < 400):
        return "status"
    if strong:
        return "challenge"
    if crawl.status is None or crawl.status >= 400:
        return None
    if 300 <= status < 400:
        same = 300 <= crawl.status < 400 and view.get("final_url") == crawl.location
        return None if same else "redirect"
    if status == 200 and crawl.status == 200 and view.get("digest") != crawl.digest:
        ratio = _ratio(int(view.get("size") or 0), crawl.size)
        titles_differ = (view.get("title") or "") != (crawl.title or "")
        if ratio < FAR_RATIO or (titles_differ and ratio < CLOSE_RATIO):
            return "different-page"
    return None


def marker_of(views: list[dict[str, Any]]) -> str | None:
    found = [m for v in views for m in v.get("markers") or []]
    strong = [m for m in found if m in STRONG_MARKERS]
    return (strong or found or [None])[0]


def blocked_views(site: Site) -> dict[str, tuple[CrawlSide, list[dict[str, Any]]]]:
    """Page URL -> (what the crawl got, the blocked views with their ``reason``), for the viewed pages
    (robots.txt views are not pages)."""
    result: dict[str, tuple[CrawlSide, list[dict[str, Any]]]] = {}
    for url, views in site.engine_views.items():
        if all(v.get("url_id") is None for v in views):
            continue
        crawl = crawl_side(site, url)
        if crawl is None:
            continue
        blocked = []
        for view in sorted(views, key=lambda v: _ORDER.get(v["engine"], len(_ORDER))):
            why = reason(view, crawl)
            if why is not None:
                blocked.append({**view, "reason": why})
        if blocked:
            result[url] = (crawl, blocked)
    return result


def site_fact(site: Site, judged: dict[str, tuple[CrawlSide, list[dict[str, Any]]]] | None = None,
              engine: str = SITE_ENGINE) -> dict[str, Any] | None:
    """{engine, share, pages, views, marker, status} when more than SITE_SHARE of ``engine``'s page views
    (robots.txt and robots-blocked views left out) are blocked, else None."""
    judged = blocked_views(site) if judged is None else judged
    total = sum(1 for views in site.engine_views.values() for v in views
                if v["engine"] == engine and v.get("url_id") is not None and v.get("error") != BLOCKED)
    hits = [v for _, views in judged.values() for v in views if v["engine"] == engine]
    if not total or len(hits) / total <= SITE_SHARE:
        return None
    statuses = Counter(v.get("status") for v in hits)
    return {"engine": engine, "share": round(len(hits) / total, 3), "pages": len(hits), "views": total,
            "marker": marker_of(hits), "status": statuses.most_common(1)[0][0]}
