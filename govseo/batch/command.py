"""``govseo batch SITES.csv --out DIR`` and ``govseo check DIR --baseline OLD_DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from audits.config import Config
from common.messages import message
from govseo.batch.runner import run_argv, site_options
from govseo.batch.sites import SiteSpec, read_sites
from govseo.commands import UsageError, _out_dir


def _validate(specs: list[SiteSpec], out: Path, argv: list[str], lang: str) -> None:
    """Options that cannot work (a bad regex, --render without Chromium) stop the batch before any site runs:
    checked once per group, as each group may have options of its own."""
    first: dict[str, SiteSpec] = {}
    for spec in specs:
        first.setdefault(spec.group, spec)
    for spec in first.values():
        site_options(spec, out / spec.folder, argv, lang)


def cmd_batch(args: argparse.Namespace, config: Config, lang: str) -> int:
    from govseo.batch.local import default_parallel, run_local
    from reports.league import write_league

    specs = read_sites(args.sites, lang)
    out = _out_dir(args.out, lang)
    if args.parallel is not None and args.parallel < 1:
        raise UsageError(message("batch_parallel", lang))
    argv = run_argv(args)
    _validate(specs, out, argv, lang)
    if args.broker:
        # HOOK (distributed mode, govseo/batch/broker.py, owned by the broker's engineer): it runs every site
        # of `specs` into `out` through the broker's workers, each with govseo.batch.runner.run_site(spec,
        # str(out), argv, refresh, lang), and returns when each has a verdict; the league follows here.
        try:
            from govseo.batch.broker import run_distributed  # type: ignore[import-not-found]
        except ImportError as exc:
            raise UsageError(message("batch_no_broker", lang)) from exc
        run_distributed(specs, str(out), argv, broker=args.broker, refresh=args.refresh, lang=lang,
                        quiet=args.quiet)
        interrupted = False
    else:
        parallel = args.parallel or config.batch.get("parallel") or default_parallel()
        outcome = run_local(specs, str(out), argv, parallel=parallel, refresh=args.refresh, lang=lang,
                            quiet=args.quiet)
        interrupted = outcome.interrupted
    folders = {spec.folder for spec in specs}
    paths = write_league(out, lang, folders)
    from reports.league import read_verdicts

    verdicts = read_verdicts(out, folders)
    counts = {s: sum(v.get("status") == s for v in verdicts) for s in ("ok", "unreachable", "failed")}
    if interrupted:
        print(f"govseo: {message('batch_interrupted', lang)}", file=sys.stderr)
        return 130
    print(message("batch_done", lang, total=len(specs), path=paths[0], **counts))
    for path in paths:
        print(message("wrote", lang, path=path))
    return 0


# ---------------------------------------------------------------------------- govseo check DIR --baseline OLD
def _site_verdicts(path: Path) -> dict[str, dict[str, Any]]:
    from reports.league import read_verdicts

    return {v["folder"]: v for v in read_verdicts(path)}


def cmd_check_batch(args: argparse.Namespace, config: Config, lang: str) -> int:
    """Site by site (matched by folder, else by URL): a site that got worse fails the check (exit 1)."""
    from govseo.commands import _load_checked
    from reports.check import Assertions, Item, compare, item_line

    if args.junit or args.markdown:
        raise UsageError(message("batch_check_formats", lang))
    current = _site_verdicts(Path(args.result))
    if not current:
        raise UsageError(message("batch_check_not_batch", lang, path=args.result))
    if args.baseline is None or not Path(args.baseline).is_dir():
        raise UsageError(message("batch_check_baseline", lang, path=args.baseline))
    baseline = _site_verdicts(Path(args.baseline))
    by_url = {v.get("url"): v for v in baseline.values()}
    assertions = Assertions.from_config(config.check)
    lines: list[str] = []
    worse = added = 0
    matched: set[str] = set()
    for folder, verdict in sorted(current.items()):
        old = baseline.get(folder) or by_url.get(verdict.get("url"))
        if old is None:
            added += 1
            lines.append(message("batch_check_new", lang, folder=folder))
            continue
        matched.add(old["folder"])
        if verdict.get("status") != "ok":
            if old.get("status") == "ok":
                worse += 1
                lines.append(message("batch_check_worse", lang, folder=folder,
                                     detail=message("batch_check_unreachable_now", lang,
                                                    reason=verdict.get("reason") or verdict.get("status"))))
            continue
        if old.get("status") != "ok":
            continue           # reachable again: nothing to compare with
        now = _load_checked(str(Path(args.result) / folder / "result.json"), lang)
        before = _load_checked(str(Path(args.baseline) / old["folder"] / "result.json"), lang)
        report = compare(now, before, assertions)
        failures = list(report.failures)
        if report.site_before is not None and report.site_after is not None and report.site_after < report.site_before:
            failures.insert(0, Item("site-score-drop", "error", url=report.site_url,
                                    params={"before": report.site_before, "after": report.site_after}))
        if failures:
            worse += 1
            lines.append(message("batch_check_worse", lang, folder=folder, detail=message(
                "batch_check_failures", lang, n=len(failures))))
            lines += [f"  {item_line(item, lang)}" for item in failures[:20]]
    missing = [f for f in sorted(baseline) if f not in matched]
    lines += [message("batch_check_missing", lang, folder=f) for f in missing]
    status = message("check_passed" if not worse else "check_failed", lang)
    print(message("batch_check_header", lang, status=status, sites=len(current), worse=worse, added=added,
                  missing=len(missing)))
    print("\n".join(lines), end="\n" if lines else "")
    return 1 if worse else 0
