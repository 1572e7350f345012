"""Write a whole report bundle: one site, or several sites plus an index ranking them.

This is the entry point the command line uses (``govseo report a.json [b.json ...] --history ...``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from common.fileio import atomic_open
from reports.csvout import write_findings_csv, write_fixes_csv, write_pages_csv, write_services_csv
from reports.html import render_index, write_html
from reports.i18n import normalise_lang
from reports.index import site_dirs, site_key

REPORT_FILES: tuple[str, ...] = ("report.html", "findings.csv", "pages.csv", "services.csv", "fixes.csv")


def write_site(result: dict[str, Any], out_dir: str | os.PathLike[str], lang: str = "zh",
               history: list[dict[str, Any]] | None = None) -> list[Path]:
    """Write report.html, findings.csv, pages.csv, services.csv and fixes.csv for one result into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / name for name in REPORT_FILES]
    write_html(result, paths[0], lang=lang, history=history)
    write_findings_csv(result, paths[1], lang=lang)
    write_pages_csv(result, paths[2])
    write_services_csv(result, paths[3], lang=lang)
    write_fixes_csv(result, paths[4], lang=lang)
    return paths


def history_for(result: dict[str, Any], history: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The earlier results that belong to ``result``'s site (same host and port, see ``site_key``)."""
    key = site_key(result)
    return [old for old in history or [] if isinstance(old, dict) and site_key(old) == key]


def write_report(results: list[dict[str, Any]], out_dir: str | os.PathLike[str], lang: str = "zh",
                 history: list[dict[str, Any]] | None = None) -> list[Path]:
    """Write the report files and return their paths, in the order written.

    One result: ``out_dir``/{report.html, findings.csv, pages.csv, services.csv, fixes.csv}; every ``history``
    document is taken as an earlier crawl of that site (trend section).
    Several results: the same five files in ``out_dir/<site>/`` per result (``<site>`` from the host,
    made unique), each with the history documents of its own site, then ``out_dir/index.html``
    ranking the sites. ``lang`` is "zh" (default) or "en"; ValueError for another or for no results.
    """
    lang = normalise_lang(lang)
    if not results:
        raise ValueError("write_report needs at least one result")
    out = Path(out_dir)
    if len(results) == 1:
        return write_site(results[0], out, lang, history)
    dirs = site_dirs(results)
    paths: list[Path] = []
    for result, name in zip(results, dirs, strict=True):
        paths += write_site(result, out / name, lang, history_for(result, history))
    index = out / "index.html"
    html = render_index(results, [f"{name}/report.html" for name in dirs], lang)
    with atomic_open(index, encoding="utf-8") as handle:
        handle.write(html)
    return [*paths, index]
