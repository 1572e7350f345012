"""CSV exports of a result document: findings.csv, pages.csv, services.csv and fixes.csv.

Files are UTF-8 with a BOM (``utf-8-sig``) so Excel opens Chinese text
correctly, and every cell is neutralised against CSV/formula injection.
Findings, pages and services (lists or ``Spool``s) are sorted and written as a stream
(``streams.sorted_stream``), never gathered into one list.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from common.fileio import atomic_open
from reports.fixes import cause_text, fix_text, iter_fixes
from reports.i18n import normalise_lang
from reports.services_view import service_fixes, service_order
from reports.streams import sorted_stream
from reports.values import dicts, evidence_text, rule_texts, severity_rank, text
from reports.values import rows as row_dicts

FINDINGS_COLUMNS: tuple[str, ...] = ("rule", "severity", "url", "message", "evidence", "rule_title")
PAGES_COLUMNS: tuple[str, ...] = (
    "url", "status", "depth", "indexable", "in_sitemap", "inlinks", "title", "score", "is_service", "kind",
    "type", "content_type", "size", "error",
)
SERVICES_COLUMNS: tuple[str, ...] = (
    "rank", "score", "name", "section", "url", "reasons", "reason_titles", "fixes", "queries",
    "everyday_missing", "indexable", "depth", "title",
)
FIXES_COLUMNS: tuple[str, ...] = (
    "rule", "severity", "kind", "template", "pages", "services", "target", "fix", "cause", "sample_urls",
)

# OWASP "CSV Injection": a cell starting with one of these may be run as a formula by
# Excel / LibreOffice / WPS. The full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) are
# neutralised too, as a cheap precaution: real titles and messages rarely start with them.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: Any) -> str:
    """The cell as text, prefixed with ``'`` when it would start a spreadsheet formula."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        text = "true" if cell else "false"
    else:
        text = cell if isinstance(cell, str) else str(cell)
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


def iter_findings_rows(result: dict[str, Any], lang: str = "zh") -> Iterator[list[str]]:
    """The neutralised CSV rows (without the header) of every finding, sorted by severity, rule, URL, message."""
    lang = normalise_lang(lang)
    result = result if isinstance(result, dict) else {}
    rules = {r.get("id"): r for r in dicts(result.get("rules"))}

    def keyed() -> Iterator[tuple[tuple[int, str, str, str], list[str]]]:
        for finding in row_dicts(result.get("findings")):
            rule_id = finding.get("rule")
            rule = rules.get(rule_id) if isinstance(rules.get(rule_id), dict) else {"id": rule_id}
            english = lang == "en" and finding.get("message_en")
            message = finding.get("message_en") if english else finding.get("message")
            severity = finding.get("severity") or rule.get("severity")
            row = [rule_id, severity, finding.get("url"), message, evidence_text(finding.get("evidence")),
                   rule_texts(rule, lang)["title"]]
            yield (severity_rank(severity), str(rule_id), str(row[2]), str(message)), [neutralise(c) for c in row]

    for _, row in sorted_stream(keyed(), key=itemgetter(0)):
        yield row


def findings_rows(result: dict[str, Any], lang: str = "zh") -> list[list[str]]:
    """``iter_findings_rows`` as a list (for small results and tests; the writer streams)."""
    return list(iter_findings_rows(result, lang))


def write_findings_csv(result: dict[str, Any], path: str | os.PathLike[str], lang: str = "zh") -> int:
    """Write findings.csv atomically; returns the number of data rows written."""
    return _write(path, FINDINGS_COLUMNS, iter_findings_rows(result, lang))


def iter_pages_rows(result: dict[str, Any]) -> Iterator[list[str]]:
    """The neutralised CSV rows (without the header) of every page, sorted by URL."""
    pages = result.get("pages") if isinstance(result, dict) else None
    neutralised = ([neutralise(page.get(col)) for col in PAGES_COLUMNS] for page in row_dicts(pages))
    return sorted_stream(neutralised, key=itemgetter(0))


def write_pages_csv(result: dict[str, Any], path: str | os.PathLike[str]) -> int:
    """Write pages.csv (every crawled page, uncapped) atomically; returns the number of data rows."""
    return _write(path, PAGES_COLUMNS, iter_pages_rows(result))


def iter_services_rows(result: dict[str, Any], lang: str = "zh") -> Iterator[list[str]]:
    """The neutralised CSV rows (without the header) of every service, hardest to find first.

    List cells are joined with " | "; a query reads ``query → position`` (``-`` when not found).
    """
    lang = normalise_lang(lang)
    result = result if isinstance(result, dict) else {}
    rules = {text(r.get("id")): r for r in dicts(result.get("rules")) if r.get("id")}

    def keyed() -> Iterator[tuple[tuple[int, int, str], list[str]]]:
        for service in row_dicts(result.get("services")):
            yield service_order(service), [neutralise(cell) for cell in _service_cells(service, rules, lang)]

    for _, row in sorted_stream(keyed(), key=itemgetter(0)):
        yield row


def _service_cells(service: dict[str, Any], rules: dict[str, dict[str, Any]], lang: str) -> list[Any]:
    reasons = [text(r) for r in service.get("reasons") or [] if r is not None] \
        if isinstance(service.get("reasons"), list) else []
    queries = [f"{text(q.get('query'))} → {'-' if q.get('position') is None else q.get('position')}"
               for q in dicts(service.get("queries"))]
    everyday = service.get("everyday_missing") if isinstance(service.get("everyday_missing"), list) else []
    return [
        service.get("rank"), service.get("score"), service.get("name"), service.get("section"),
        service.get("url"), " | ".join(reasons),
        " | ".join(rule_texts(rules.get(r) or {"id": r}, lang)["title"] for r in reasons),
        " | ".join(f["fix"] for f in service_fixes(service, rules, lang)), " | ".join(queries),
        " | ".join(text(w) for w in everyday), service.get("indexable"), service.get("depth"),
        service.get("title"),
    ]


def services_rows(result: dict[str, Any], lang: str = "zh") -> list[list[str]]:
    """``iter_services_rows`` as a list (for small results and tests; the writer streams)."""
    return list(iter_services_rows(result, lang))


def write_services_csv(result: dict[str, Any], path: str | os.PathLike[str], lang: str = "zh") -> int:
    """Write services.csv (every service, uncapped) atomically; returns the number of data rows."""
    return _write(path, SERVICES_COLUMNS, iter_services_rows(result, lang))


def iter_fixes_rows(result: dict[str, Any], lang: str = "zh") -> Iterator[list[str]]:
    """The neutralised CSV rows (without the header) of every fix, most impact first (the document's order).

    ``fix`` and ``cause`` in ``lang`` (English falls back to zh); the sample URLs are joined with " | "."""
    lang = normalise_lang(lang)
    for fix in iter_fixes(result):
        cells = [fix["rule"], fix["severity"], fix["kind"], fix["template"], fix["pages"], fix["services"],
                 fix["target"], fix_text(fix, lang), cause_text(fix, lang), " | ".join(fix["urls"])]
        yield [neutralise(cell) for cell in cells]


def write_fixes_csv(result: dict[str, Any], path: str | os.PathLike[str], lang: str = "zh") -> int:
    """Write fixes.csv (every fix; none for a result without fixes) atomically; returns the number of rows."""
    return _write(path, FIXES_COLUMNS, iter_fixes_rows(result, lang))


def _write(path: str | os.PathLike[str], header: tuple[str, ...], data: Iterable[list[str]]) -> int:
    """Write the header and the ``data`` rows (consumed as they come); returns the number of rows."""
    written = 0

    def counted() -> Iterator[list[str]]:
        nonlocal written
        for row in data:
            written += 1
            yield row

    with atomic_open(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(counted())
    return written
