"""The govseo command line: a thin layer over crawler/, audits/ and reports/.

Exit codes: 0 ok, 1 check failed, 2 bad usage or unusable input (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from crawler.store import StoreError
from govseo import __version__
from govseo.config import Config, ConfigError, load_config, load_queries
from govseo.messages import message


class UsageError(Exception):
    """Bad usage or unusable input: reported as one line, exit 2."""


# ---------------------------------------------------------------------------- argument parsing
def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help="输出语言 / output language")
    parser.add_argument("--config", metavar="FILE", help="govseo.toml")


def _queries(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--queries", metavar="FILE",
                        help="群众搜索词 CSV（表头 query,url；url 可为空）/ citizen queries CSV")


def _crawl_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("crawl")
    g.add_argument("--max-pages", type=int, help="最多抓取的网址数 (default 10000)")
    g.add_argument("--max-depth", type=int, help="最大点击深度 (default 20)")
    g.add_argument("--concurrency", type=int, help="每个主机的并发请求数 (default 8)")
    g.add_argument("--delay", type=float, help="请求间隔秒数 (default 0, AutoThrottle on)")
    g.add_argument("--timeout", type=float, help="单个请求超时秒数 (default 30)")
    g.add_argument("--include", action="append", metavar="REGEX", help="只抓取匹配的网址 (repeatable)")
    g.add_argument("--exclude", action="append", metavar="REGEX", help="不抓取匹配的网址 (repeatable)")
    g.add_argument("--subdomains", action="store_true", default=None, help="也抓取起始主机的子域名")
    g.add_argument("--ignore-robots", action="store_true", default=None,
                   help="不遵守 robots.txt（只用于审计自己的网站）")
    g.add_argument("--no-autothrottle", action="store_true", default=None, help="关闭 AutoThrottle")
    g.add_argument("--user-agent", help="覆盖默认 User-Agent")
    g.add_argument("--resume", action="store_true", help="继续被中断的抓取")
    g.add_argument("--quiet", action="store_true", help="不显示进度")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govseo", description="找出群众通过搜索引擎找不到的政务服务。")
    parser.add_argument("--version", action="version", version=f"govseo {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="抓取 + 审计 + 报告")
    p.add_argument("url")
    p.add_argument("--out", required=True, metavar="DIR")
    _crawl_options(p)
    _queries(p)
    _common(p)

    p = sub.add_parser("crawl", help="只抓取（可续抓）")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.add_argument("--db", required=True, metavar="FILE")
    _crawl_options(p)
    _common(p)

    p = sub.add_parser("audit", help="审计已抓取的数据库（不联网）")
    p.add_argument("--db", required=True, metavar="FILE")
    p.add_argument("--out", required=True, metavar="result.json")
    _queries(p)
    _common(p)

    p = sub.add_parser("report", help="由 result.json 生成报告")
    p.add_argument("result")
    p.add_argument("--out", required=True, metavar="DIR")
    _common(p)

    p = sub.add_parser("demo", help="在本机启动示例门户网站并运行 govseo run")
    p.add_argument("--out", default="govseo-demo", metavar="DIR")
    p.add_argument("--quiet", action="store_true")
    _common(p)

    p = sub.add_parser("rules", help="列出规则目录")
    _common(p)
    return parser


# ---------------------------------------------------------------------------- helpers
def _lang(args: argparse.Namespace) -> str:
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
    for name in ("max_pages", "max_depth", "concurrency", "delay", "timeout", "include", "exclude",
                 "subdomains", "user_agent"):
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
        return CrawlOptions(start_urls=start, **values)
    except TypeError as exc:
        raise UsageError(f"govseo.toml [crawl]: {exc}") from exc


def _do_crawl(args: argparse.Namespace, opts: Any, db: Path, lang: str) -> None:
    from crawler.runner import CrawlError, run_crawl

    quiet = getattr(args, "quiet", False)

    def progress(n: int) -> None:
        if not quiet and n % 100 == 0:
            print(message("progress", lang, n=n), file=sys.stderr, flush=True)

    try:
        summary = run_crawl(opts, db, resume=args.resume, progress=progress)
    except CrawlError as exc:
        raise UsageError(message(exc.key, lang, **exc.params)) from exc
    if not summary.start_ok:
        raise UsageError(message("start_unreachable", lang, url=opts.start_urls[0],
                                 error=_start_error(db, opts.start_urls[0], lang)))
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


def _audit(db: Path, config: Config, lang: str) -> dict[str, Any]:
    from audits.engine import audit_store

    return audit_store(db, config)


def _write_reports(result: dict[str, Any], out: Path, lang: str) -> list[Path]:
    from reports.csvout import write_findings_csv, write_pages_csv
    from reports.html import write_html

    paths = [out / "report.html", out / "findings.csv", out / "pages.csv"]
    write_html(result, paths[0], lang=lang)
    write_findings_csv(result, paths[1], lang=lang)
    write_pages_csv(result, paths[2])
    return paths


def _summary(result: dict[str, Any], lang: str) -> str:
    counts = {s: 0 for s in ("error", "warning", "notice")}
    for finding in result["findings"]:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    score = result["site"]["score"]
    return message("summary", lang, name=result["site"]["name"], score="—" if score is None else score,
                   pages=result["crawl"]["pages"], errors=counts["error"], warnings=counts["warning"],
                   notices=counts["notice"])


def _load_result(path: str, lang: str) -> dict[str, Any]:
    try:
        result = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(message("result_unreadable", lang, path=path,
                                 error=getattr(exc, "strerror", None) or exc)) from exc
    if not isinstance(result, dict) or result.get("schema_version") != 1 or "findings" not in result:
        raise UsageError(message("result_schema", lang, path=path))
    return result


# ---------------------------------------------------------------------------- commands
def cmd_run(args: argparse.Namespace, config: Config, lang: str) -> int:
    opts = _crawl_opts(args, [args.url], config, lang)
    out = _out_dir(args.out, lang)
    db = out / "crawl.sqlite"
    if not args.resume:   # a new run replaces the previous crawl in this directory
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    _do_crawl(args, opts, db, lang)
    from audits.engine import write_json

    result = _audit(db, config, lang)
    write_json(result, out / "result.json")
    paths = [out / "result.json", *_write_reports(result, out, lang)]
    print(_summary(result, lang))
    for path in paths:
        print(message("wrote", lang, path=path))
    return 0


def cmd_crawl(args: argparse.Namespace, config: Config, lang: str) -> int:
    opts = _crawl_opts(args, args.urls, config, lang)
    db = Path(args.db)
    _out_dir(str(db.parent), lang)
    _do_crawl(args, opts, db, lang)
    return 0


def cmd_audit(args: argparse.Namespace, config: Config, lang: str) -> int:
    from audits.engine import write_json

    out = Path(args.out)
    _out_dir(str(out.parent), lang)
    result = _audit(Path(args.db), config, lang)
    write_json(result, out)
    print(_summary(result, lang))
    print(message("audit_done", lang, path=out))
    return 0


def cmd_report(args: argparse.Namespace, config: Config, lang: str) -> int:
    result = _load_result(args.result, lang)
    out = _out_dir(args.out, lang)
    for path in _write_reports(result, out, lang):
        print(message("wrote", lang, path=path))
    return 0


def cmd_demo(args: argparse.Namespace, config: Config, lang: str) -> int:
    from govseo.sample_portal import demo_queries, serve_portal

    with serve_portal() as base_url:
        if not args.quiet:
            print(message("demo_serving", lang, url=base_url), file=sys.stderr)
        run_args = build_parser().parse_args(["run", base_url, "--out", args.out, "--lang", lang,
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


COMMANDS = {"run": cmd_run, "crawl": cmd_crawl, "audit": cmd_audit, "report": cmd_report,
            "demo": cmd_demo, "rules": cmd_rules}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    lang = _lang(args)
    try:
        config = load_config(args.config)
        if getattr(args, "queries", None):
            config.queries = load_queries(args.queries)
        return COMMANDS[args.command](args, config, lang)
    except UsageError as exc:
        print(f"govseo: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"govseo: {message(exc.key, lang, **exc.params)}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"govseo: {message('store_' + exc.kind, lang, path=exc.path, detail=exc.detail)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"govseo: {message('interrupted', lang)}", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("GOVSEO_DEBUG"):
            raise
        print(f"govseo: {message('internal', lang, error=f'{type(exc).__name__}: {exc}')}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
