"""One site of a batch, run to a verdict in the current process (the caller decides on processes).

``DIR/<folder>/`` holds what ``govseo run`` writes (crawl.sqlite, result.json, report.html, the CSV files)
and, written atomically and last, ``verdict.json``:

    {"url", "name", "group", "folder", "status": "ok" | "unreachable" | "failed", "reason": str | null,
     "score": int | null, "pages": int, "finished_at": "…Z",
     # figures for the league (reports/league.py site_summary), present when the site was audited:
     "site_name", "services", "hard_services", "errors", "warnings", "notices", "vetoes": [...],
     "engine_blocked", "categories", "report": "report.html" | null}

A site with an ``ok`` or ``unreachable`` verdict is done: running it again fetches nothing. A ``failed`` one
(an audit that crashed) is run again. A folder with crawl.sqlite and no verdict is an interrupted crawl: it is
resumed (``govseo run --resume``). ``refresh`` starts the site afresh.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from audits.config import Config, load_config, load_queries
from common.fileio import atomic_open
from common.messages import message
from govseo.batch.sites import SiteSpec
from govseo.commands import Unreachable, UsageError

VERDICT = "verdict.json"
DONE = ("ok", "unreachable")
# options of `govseo run` that the batch sets itself for each site, never taken from argv
_OWN = {"url", "out", "lang", "resume", "quiet", "help", "command"}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def read_verdict(out_dir: str | os.PathLike[str], spec: SiteSpec) -> dict[str, Any] | None:
    """The stored verdict of ``spec``, or None (absent or unreadable)."""
    try:
        verdict = json.loads((Path(out_dir) / spec.folder / VERDICT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return verdict if isinstance(verdict, dict) and verdict.get("status") in (*DONE, "failed") else None


def is_done(out_dir: str | os.PathLike[str], spec: SiteSpec) -> bool:
    """True when ``spec`` has an ``ok`` or ``unreachable`` verdict in ``out_dir``."""
    verdict = read_verdict(out_dir, spec)
    return verdict is not None and verdict["status"] in DONE


def write_verdict(out_dir: str | os.PathLike[str], spec: SiteSpec, status: str, reason: str | None = None,
                  summary: dict[str, Any] | None = None, reasons: dict[str, str] | None = None) -> dict[str, Any]:
    """Write ``DIR/<folder>/verdict.json`` atomically and return it. ``reasons``: the reason in each language
    ({"zh", "en"}), for a league written in another language than the run."""
    summary = dict(summary or {})
    score = summary.pop("score", None)
    verdict: dict[str, Any] = {
        "url": spec.url, "name": spec.name, "group": spec.group, "folder": spec.folder, "status": status,
        "reason": reason, "reasons": reasons or {}, "score": score if status == "ok" else None,
        "pages": summary.pop("pages", 0) or 0, "finished_at": _now(), **summary,
    }
    folder = Path(out_dir) / spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_open(folder / VERDICT, encoding="utf-8") as handle:
        json.dump(verdict, handle, ensure_ascii=False, indent=1)
    return verdict


# ---------------------------------------------------------------------------- options
def _run_parser() -> argparse.ArgumentParser:
    from govseo.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["run"]


def run_argv(args: argparse.Namespace) -> list[str]:
    """The run options of a parsed ``govseo batch`` command line as ``govseo run`` arguments (for run_site)."""
    argv: list[str] = []
    for action in _run_parser()._actions:
        if not action.option_strings or action.dest in _OWN:
            continue
        value = getattr(args, action.dest, None)
        if value is None or value is False:
            continue
        flag = action.option_strings[0]
        if isinstance(action, argparse._StoreTrueAction):
            argv.append(flag)
        elif isinstance(action, argparse._AppendAction):
            for item in value:
                argv += [flag, str(item)]
        else:
            argv += [flag, str(value)]
    return argv


def site_args(spec: SiteSpec, folder: Path, argv: list[str], config: Config) -> argparse.Namespace:
    """``govseo run URL --out FOLDER ARGV`` parsed, with the site's group options (govseo.toml
    ``[batch.groups."<group>"]``) put over them: a group's setting is the most specific one."""
    import contextlib
    import io

    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr):
            args = _run_parser().parse_args([spec.url, *argv, "--out", str(folder)])
    except SystemExit as exc:
        raise UsageError(stderr.getvalue().strip().splitlines()[-1] if stderr.getvalue().strip() else
                         f"bad run options: {argv}") from exc
    for key, value in dict(config.batch.get("groups", {})).get(spec.group, {}).items():
        setattr(args, key, value)
    return args


def site_options(spec: SiteSpec, folder: Path, argv: list[str], lang: str) -> tuple[Any, Config]:
    """The crawl options and config of one site (raises UsageError / ConfigError as ``govseo run`` would)."""
    from govseo.commands import _crawl_opts

    config = load_config(_config_path(argv))
    args = site_args(spec, folder, argv, config)
    if getattr(args, "queries", None):
        config.queries = load_queries(args.queries)
    return _crawl_opts(args, [spec.url], config, lang), config


def _config_path(argv: list[str]) -> str | None:
    path = None
    for number, item in enumerate(argv):
        if item == "--config" and number + 1 < len(argv):
            path = argv[number + 1]
        elif item.startswith("--config="):
            path = item.split("=", 1)[1]
    return path


# ---------------------------------------------------------------------------- one site
def run_site(spec: SiteSpec, out_dir: str, argv: list[str], refresh: bool = False,
             lang: str = "zh") -> dict[str, Any]:
    """Run one site to its verdict in this process and return the verdict (also in DIR/<folder>/verdict.json).

    Skips a site that is done (returns the stored verdict) unless ``refresh``; resumes an interrupted crawl.
    An unreachable site gets an ``unreachable`` verdict, a crash in the audit a ``failed`` one; a
    KeyboardInterrupt (Ctrl-C, the crawl interrupted) propagates and leaves no verdict (the next run resumes).
    Starts the crawl and page-feed child processes of ``govseo run``: this process must not be daemonic.
    """
    from govseo.commands import run_site_dir

    folder = Path(out_dir) / spec.folder
    stored = read_verdict(out_dir, spec)
    if stored is not None and stored["status"] in DONE and not refresh:
        return stored
    folder.mkdir(parents=True, exist_ok=True)
    (folder / VERDICT).unlink(missing_ok=True)
    db = folder / "crawl.sqlite"
    resume = db.is_file() and not refresh and stored is None
    try:
        opts, config = site_options(spec, folder, argv, lang)
        result, _paths = run_site_dir(opts, folder, config, lang, resume=resume, quiet=True)
    except KeyboardInterrupt:
        raise
    except Unreachable as exc:
        if _start_blocked(db, spec.url):
            return write_verdict(out_dir, spec, "unreachable", message("batch_robots_all", lang),
                                 {"vetoes": ["robots_blocked"]}, both_languages("batch_robots_all"))
        return write_verdict(out_dir, spec, "unreachable", exc.reason, reasons=exc.reasons)
    except Exception as exc:          # a site is a verdict, never a crash of the batch
        detail = str(exc) if isinstance(exc, UsageError) else f"{type(exc).__name__}: {exc}"
        detail = " ".join(detail.split())[:300]
        return write_verdict(out_dir, spec, "failed", message("batch_failed", lang, error=detail),
                             reasons=both_languages("batch_failed", error=detail))
    return _audited_verdict(out_dir, spec, result, lang)


def both_languages(key: str, **params: Any) -> dict[str, str]:
    return {each: message(key, each, **params) for each in ("zh", "en")}


def _start_blocked(db: Path, url: str) -> bool:
    """True when robots.txt kept the crawl from its start URL (state "blocked" in the crawl store)."""
    from crawler.store import CrawlStore, StoreError

    try:
        store = CrawlStore(db, create=False)
    except StoreError:
        return False
    try:
        return any(row[1] == url and row[2] == "blocked" for row in store.iter_urls())
    finally:
        store.close()


def _audited_verdict(out_dir: str, spec: SiteSpec, result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The verdict of an audited site, from its result document as the run holds it (its spools are read again,
    not result.json)."""
    from reports.league import site_summary

    summary = site_summary(result)
    summary["report"] = "report.html"
    robots = summary.pop("robots_unavailable", None)
    if robots is not None:
        return write_verdict(out_dir, spec, "unreachable", message("batch_robots_5xx", lang, what=robots), summary,
                             both_languages("batch_robots_5xx", what=robots))
    if not summary.get("pages"):
        return write_verdict(out_dir, spec, "unreachable", message("batch_no_pages", lang), summary,
                             both_languages("batch_no_pages"))
    return write_verdict(out_dir, spec, "ok", None, summary)
