"""The structure section: click-depth histogram, status codes and sitemap coverage, from ``pages``.

``pages`` is any re-iterable of page dicts (a list, or ``values.Rows`` over a ``Spool``): each chart
reads it once and keeps counts only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from reports.charts import bar_rows, column_chart, stacked_rows

MAX_DEPTH_BIN = 10  # depths from here on share one "10+" column
MAX_STATUS_ROWS = 12  # distinct status codes drawn; the rest are summed into "other"


def _depth(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _status(page: dict[str, Any]) -> int | None:
    value = page.get("status")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def depth_chart(pages: Iterable[dict[str, Any]], t: dict[str, Any]) -> dict[str, Any] | None:
    """Pages per click depth, service pages stacked on top of the others; None without pages."""
    bins: list[str] = [str(d) for d in range(MAX_DEPTH_BIN)] + [f"{MAX_DEPTH_BIN}+"]
    services, others = [0] * len(bins), [0] * len(bins)
    unknown = 0
    for page in pages:
        depth = _depth(page.get("depth"))
        if depth is None:
            unknown += 1
            continue
        target = services if page.get("is_service") is True else others
        target[min(depth, MAX_DEPTH_BIN)] += 1
    if not any(services) and not any(others):
        return None
    last = max(i for i in range(len(bins)) if services[i] or others[i])
    keep = max(last + 1, 4)
    chart = column_chart(bins[:keep], [("s-other", t["chart_other_pages"], others[:keep]),
                                       ("s-service", t["chart_service_pages"], services[:keep])])
    deep = sum(services[4:]) + sum(others[4:])
    chart.update(unknown=unknown, deep=deep, deep_services=sum(services[4:]))
    return chart


def status_chart(pages: Iterable[dict[str, Any]], t: dict[str, Any]) -> dict[str, Any] | None:
    """Pages per HTTP status code (plus fetch failures and robots-blocked URLs); None without pages."""
    codes: Counter[int] = Counter()
    failed = blocked = 0
    for page in pages:
        status = _status(page)
        if status is not None:
            codes[status] += 1
        elif page.get("kind") == "blocked":
            blocked += 1
        else:
            failed += 1
    if not codes and not failed and not blocked:
        return None
    ordered = sorted(codes)
    shown = sorted(sorted(ordered, key=lambda c: -codes[c])[:MAX_STATUS_ROWS])
    rows = [(str(code), codes[code], _status_class(code)) for code in shown]
    rest = sum(codes[c] for c in ordered if c not in shown)
    if rest:
        rows.append((t["chart_other_status"], rest, "s-na"))
    if failed:
        rows.append((t["chart_failed"], failed, "s-poor"))
    if blocked:
        rows.append((t["chart_blocked"], blocked, "s-na"))
    chart = bar_rows(rows)
    chart["errors"] = sum(n for c, n in codes.items() if c >= 400) + failed
    return chart


def _status_class(code: int) -> str:
    return "s-good" if 200 <= code < 300 else "s-accent" if 300 <= code < 400 else "s-poor" if code >= 400 else "s-na"


def sitemap_chart(pages: Iterable[dict[str, Any]], t: dict[str, Any]) -> dict[str, Any] | None:
    """Sitemap coverage of indexable pages and of service pages, and how clean the sitemap is."""
    # [pages, of which with the field True] for indexable pages, service pages and sitemap URLs
    indexable, services, listed = [0, 0], [0, 0], [0, 0]
    for page in pages:
        in_sitemap = page.get("in_sitemap") is True
        if page.get("indexable") is True:
            indexable[0] += 1
            indexable[1] += in_sitemap
        if page.get("is_service") is True:
            services[0] += 1
            services[1] += in_sitemap
        if in_sitemap:
            listed[0] += 1
            listed[1] += page.get("indexable") is True

    def split(tally: list[int], yes: str, no: str) -> list[tuple[str, str, int]]:
        return [("s-good", yes, tally[1]), ("s-poor", no, tally[0] - tally[1])]

    chart = stacked_rows([
        (t["chart_indexable_pages"], split(indexable, t["chart_in_sitemap"], t["chart_not_in_sitemap"])),
        (t["chart_service_pages"], split(services, t["chart_in_sitemap"], t["chart_not_in_sitemap"])),
        (t["chart_sitemap_urls"], split(listed, t["chart_sitemap_ok"], t["chart_sitemap_bad"])),
    ])
    if not chart["rows"]:
        return None
    chart["no_sitemap"] = not listed[0]
    return chart


def structure(pages: Iterable[dict[str, Any]], t: dict[str, Any]) -> dict[str, Any]:
    """Everything the structure section shows."""
    return {"depth": depth_chart(pages, t), "status": status_chart(pages, t), "sitemap": sitemap_chart(pages, t)}
