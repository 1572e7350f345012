"""The command implementations behind govseo/cli.py: each takes the parsed arguments, the config and
the language, returns an exit code, and raises UsageError for bad input (one line, exit 2)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from audits.config import Config
from common.messages import message


class UsageError(Exception):
    """Bad usage or unusable input: reported as one line, exit 2."""


class Unreachable(UsageError):
    """The start URL never answered (DNS, refused, TLS, timeout, robots): ``reason`` names why, and ``reasons``
    in each language ({"zh": …, "en": …}: a batch's league may be written in the other one)."""

    def __init__(self, text: str, reason: str, reasons: dict[str, str] | None = None) -> None:
        super().__init__(text)
        self.reason = reason
        self.reasons = reasons or {}


def resolve_lang(args: argparse.Namespace) -> str:
    return args.lang or os.environ.get("GOVSEO_LANG", "zh")


def _out_dir(path: str, lang: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".govseo-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(message("out_unwritable", lang, path=path, error=exc.strerror or exc)) from exc
    return out


def _crawl_opts(args: argparse.Namespace, urls: list[str], config: Config, lang: str) -> Any:
    from crawler.settings import CrawlOptions
    from crawler.urls import BadURL, normalize

    start = []
    for url in urls:
        try:
            start.append(normalize(url))
        except BadURL as exc:
            raise UsageError(message("bad_url", lang, url=url)) from exc
        if not re.match(r"^https?://", url.strip(), re.I):
            raise UsageError(message("bad_url", lang, url=url))
    values: dict[str, Any] = {k.replace("-", "_"): v for k, v in config.crawl.items()}
    for name in ("max_pages", "max_depth", "max_per_pattern", "concurrency", "delay", "timeout", "include", "exclude",
                 "subdomains", "user_agent", "render", "render_max", "render_concurrency", "render_timeout"):
        if getattr(args, name, None) is not None:
            values[name] = getattr(args, name)
    if args.ignore_robots:
        values["obey_robots"] = False
    if args.no_autothrottle:
        values["autothrottle"] = False
    for pattern in (values.get("include") or []) + (values.get("exclude") or []):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(message("bad_regex", lang, pattern=pattern, error=exc)) from exc
    try:
        opts = CrawlOptions(start_urls=start, **values)
    except TypeError as exc:
        raise UsageError(f"govseo.toml [crawl]: {exc}") from exc
    if opts.render:
        _check_render(lang)
    return opts


def _check_render(lang: str) -> None:
    """--render needs Debian's Chromium and the playwright package (never a downloaded browser)."""
    import importlib.util

    from crawler.render import CHROMIUM

    if not os.path.isfile(os.environ.get("GOVSEO_CHROMIUM", CHROMIUM)):
        raise UsageError(message("chromium_missing", lang))
    if importlib.util.find_spec("playwright") is None:
        raise UsageError(message("playwright_missing", lang))


def _do_crawl(opts: Any, db: Path, lang: str, feed: Any = None, *, resume: bool = False,
              quiet: bool = False) -> None:
    """Crawl into ``db``. With a ``feed`` (audits.feed.FeedProcess), the crawl runs in a child process
    and the feed parses the pages beside it, in another, as they are committed."""
    from crawler.background import BackgroundCrawl, ProgressPrinter
    from crawler.runner import CrawlError, run_crawl

    progress = ProgressPrinter(None if quiet else message("progress", lang, n="{n}"))
    try:
        if feed is None:
            summary = run_crawl(opts, db, resume=resume, progress=progress)
        else:
            crawl = BackgroundCrawl(opts, db, resume=resume, progress=progress)
            crawl.start()
            feed.start()
            try:
                while crawl.running():
                    if not feed.warm_up():
                        time.sleep(0.05)
            except KeyboardInterrupt:
                crawl.interrupt()
                raise
            summary = crawl.result()
    except CrawlError as exc:
        raise UsageError(message(exc.key, lang, **exc.params)) from exc
    if not summary.start_ok:
        reasons = {each: _start_error(db, opts.start_urls[0], each) for each in ("zh", "en")}
        reason = reasons.get(lang, reasons["zh"])
        raise Unreachable(message("start_unreachable", lang, url=opts.start_urls[0], error=reason), reason, reasons)
    key = "crawl_done" if summary.finished else "crawl_partial"
    print(message(key, lang, pages=summary.pages, now=summary.fetched_now, db=db), file=sys.stderr)
    if not summary.finished:
        raise KeyboardInterrupt


def _start_error(db: Path, url: str, lang: str) -> str:
    """Why the start URL failed, in the user's language."""
    from audits.rules.http_error import ERROR_NAMES
    from crawler.store import CrawlStore

    store = CrawlStore(db, create=False)
    try:
        for record in store.iter_fetches():
            if record.url == url:
                return ERROR_NAMES.get(record.error or "other", ERROR_NAMES["other"]).get(lang)
    finally:
        store.close()
    return ERROR_NAMES["other"].get(lang)


def _audit(db: Path, config: Config, lang: str, feed: Any = None) -> dict[str, Any]:
    from audits.engine import audit_store

    return audit_store(db, config, feed)


def _write_reports(result: dict[str, Any], out: Path, lang: str) -> list[Path]:
    """report.html, findings.csv, pages.csv and services.csv for one result."""
    from reports.bundle import write_report

    return write_report([result], out, lang)


def _summary(result: dict[str, Any], lang: str) -> str:
    counts = {s: 0 for s in ("error", "warning", "notice")}
    for finding in result["findings"]:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    score = result["site"]["score"]
    return message("summary", lang, name=result["site"]["name"], score="—" if score is None else score,
                   pages=result["crawl"]["pages"], errors=counts["error"], warnings=counts["warning"],
                   notices=counts["notice"])


def _load_result(path: str, lang: str) -> dict[str, Any]:
    from audits.resultfile import read_result

    try:
        result = read_result(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(message("result_unreadable", lang, path=path,
                                 error=getattr(exc, "strerror", None) or exc)) from exc
    if not isinstance(result, dict) or result.get("schema_version") != 1 or "findings" not in result:
        raise UsageError(message("result_schema", lang, path=path))
    return result


class _Stages:
    """GOVSEO_TIMING=1 prints the seconds each stage of a run took, and at the end the peak resident
    memory of this process and of the largest of its children (make bench reads them)."""

    def __init__(self) -> None:
        self.enabled = bool(os.environ.get("GOVSEO_TIMING"))
        self.last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        if self.enabled:
            print(f"govseo-timing {name} {now - self.last:.2f}", file=sys.stderr, flush=True)
        self.last = now

    def note(self, text: str) -> None:
        if self.enabled:
            print(f"govseo-{text}", file=sys.stderr, flush=True)

    def memory(self) -> None:
        import resource

        if self.enabled:
            for name, who in (("self", resource.RUSAGE_SELF), ("children", resource.RUSAGE_CHILDREN)):
                print(f"govseo-peak-rss {name} {resource.getrusage(who).ru_maxrss / 1024:.0f}", file=sys.stderr,
                      flush=True)


_EARLY_TOKENIZER_PAGES = 20_000


# ---------------------------------------------------------------------------- commands
def cmd_run(args: argparse.Namespace, config: Config, lang: str) -> int:
    opts = _crawl_opts(args, [args.url], config, lang)
    out = _out_dir(args.out, lang)
    result, paths = run_site_dir(opts, out, config, lang, resume=args.resume, quiet=args.quiet)
    print(_summary(result, lang))
    for path in paths:
        print(message("wrote", lang, path=path))
    return 0


def run_site_dir(opts: Any, out: Path, config: Config, lang: str, *, resume: bool = False,
                 quiet: bool = False) -> tuple[dict[str, Any], list[Path]]:
    """``govseo run``'s work for one site into ``out`` (which exists): crawl with the page feed beside it,
    audit, result.json, reports. Returns the result and the paths written (result.json first). Raises
    Unreachable when the start URL never answered, KeyboardInterrupt when the crawl was interrupted
    (the store keeps what was fetched: ``resume`` continues it). Also used by ``govseo batch``."""
    db = out / "crawl.sqlite"
    if not resume:   # a new run replaces the previous crawl in this directory
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    from audits.feed import FeedProcess
    from audits.resultfile import write_result

    stages = _Stages()
    # A big crawl loads the audit's tokenizer when it ends (0.6 s of a run of minutes): while it runs,
    # three processes hold memory (measured at 100,000 pages: 507 MB together with it, 443 MB without).
    feed = FeedProcess(db, tokenizer_early=opts.max_pages <= _EARLY_TOKENIZER_PAGES)
    try:
        _do_crawl(opts, db, lang, feed, resume=resume, quiet=quiet)
        stages.done("crawl")
        fed = feed.finish()          # None: the feed failed, and the audit parses the pages itself
    finally:
        feed.stop()
    stages.done("feed")
    if fed is None:
        stages.note(f"feed-failed {feed.failure}")      # slower, same result: the audit parses the pages
    result = _audit(db, config, lang, fed)
    if fed is not None:
        fed.release()          # the pages it parsed are no longer needed: free them before the reports
    write_result(result, out / "result.json")
    stages.done("audit")
    paths = [out / "result.json", *_write_reports(result, out, lang)]
    stages.done("report")
    stages.memory()
    return result, paths


def cmd_crawl(args: argparse.Namespace, config: Config, lang: str) -> int:
    opts = _crawl_opts(args, args.urls, config, lang)
    db = Path(args.db)
    _out_dir(str(db.parent), lang)
    _do_crawl(opts, db, lang, resume=args.resume, quiet=args.quiet)
    return 0


def cmd_audit(args: argparse.Namespace, config: Config, lang: str) -> int:
    from audits.resultfile import write_result

    out = Path(args.out)
    _out_dir(str(out.parent), lang)
    result = _audit(Path(args.db), config, lang)
    write_result(result, out)
    print(_summary(result, lang))
    print(message("audit_done", lang, path=out))
    return 0


def cmd_report(args: argparse.Namespace, config: Config, lang: str) -> int:
    """One result: its reports in DIR. Several: one sub-directory each plus an index ranking the sites."""
    from reports.bundle import write_report

    results = [_load_result(path, lang) for path in args.results]
    history = [_load_result(path, lang) for path in args.history or []]
    out = _out_dir(args.out, lang)
    for path in write_report(results, out, lang, history=history or None):
        print(message("wrote", lang, path=path))
    return 0


def cmd_demo(args: argparse.Namespace, config: Config, lang: str) -> int:
    from govseo.sample_portal import demo_queries, serve_portal

    with serve_portal() as base_url:
        if not args.quiet:
            print(message("demo_serving", lang, url=base_url), file=sys.stderr)
        run_args = _parser().parse_args(["run", base_url, "--out", args.out, "--lang", lang,
                                              *(["--quiet"] if args.quiet else [])])
        if not config.queries:     # the portal's own search log (a bundled sample)
            config.queries = demo_queries(base_url)
        return cmd_run(run_args, config, lang)


def cmd_rules(args: argparse.Namespace, config: Config, lang: str) -> int:
    from audits.rules import ALL_RULES

    print(message("rules_header", lang, n=len(ALL_RULES)))
    for rule in ALL_RULES:
        severity = config.rules.get(rule.id, {}).get("severity", rule.severity)
        print(f"{rule.id:24} {severity:8} {rule.category:13} {rule.failure.get(lang)}")
    return 0


def _load_checked(path: str, lang: str) -> dict[str, Any]:
    from reports.check import validate

    result = _load_result(path, lang)
    problem = validate(result)
    if problem:
        raise UsageError(message("result_invalid", lang, path=path, detail=problem))
    return result


def cmd_check(args: argparse.Namespace, config: Config, lang: str) -> int:
    from reports.check import Assertions, compare, summary_lines
    from reports.junit import write_junit
    from reports.markdown import write_markdown

    if Path(args.result).is_dir():          # a `govseo batch` output directory: site by site
        from govseo.batch.command import cmd_check_batch

        return cmd_check_batch(args, config, lang)
    current = _load_checked(args.result, lang)
    baseline = _load_checked(args.baseline, lang) if args.baseline else None
    report = compare(current, baseline, Assertions.from_config(config.check))
    written = []
    for path, write in ((args.junit, write_junit), (args.markdown, write_markdown)):
        if path:
            _out_dir(str(Path(path).parent), lang)
            try:
                write(report, path, lang)
            except OSError as exc:
                raise UsageError(message("out_unwritable", lang, path=path, error=exc.strerror or exc)) from exc
            written.append(message("wrote", lang, path=path))
    print("\n".join(summary_lines(report, lang) + written))
    return 0 if report.passed else 1


def cmd_baseline(args: argparse.Namespace, config: Config, lang: str) -> int:
    from govseo.baseline import update_baseline
    from reports.check import Assertions, item_line

    current = _load_checked(args.result, lang)
    baseline = _load_checked(args.baseline, lang) if Path(args.baseline).exists() else None
    _out_dir(str(Path(args.baseline).parent), lang)
    try:
        outcome = update_baseline(current, baseline, args.baseline, Assertions.from_config(config.check),
                                  allow_regression=args.allow_regression)
    except OSError as exc:
        raise UsageError(message("out_unwritable", lang, path=args.baseline, error=exc.strerror or exc)) from exc
    print(message(f"baseline_{outcome.status}", lang, path=args.baseline, n=len(outcome.regressions)))
    print("\n".join(item_line(i, lang) for i in outcome.regressions), end="\n" if outcome.regressions else "")
    return 0 if outcome.written else 1


def cmd_batch(args: argparse.Namespace, config: Config, lang: str) -> int:
    from govseo.batch.command import cmd_batch as run_batch

    return run_batch(args, config, lang)


COMMANDS = {"run": cmd_run, "crawl": cmd_crawl, "audit": cmd_audit, "report": cmd_report,
            "demo": cmd_demo, "rules": cmd_rules, "check": cmd_check, "baseline": cmd_baseline,
            "batch": cmd_batch}


def _parser() -> argparse.ArgumentParser:
    from govseo.cli import build_parser

    return build_parser()
