"""Local mode of ``govseo batch``: N sites at once on this machine, each in a child process of its own.

A site process is started with the "spawn" method (a fresh interpreter: no inherited reactor, threads or
locks), is not daemonic (it starts the crawl and page-feed processes of ``govseo run``), sits in a process
group of its own and dies with the batch (PR_SET_PDEATHSIG, as the crawl does; its own children die with it).
Its stdout and stderr go to ``DIR/<site>/run.log``. A Ctrl-C reaches the batch, which passes it to each
running site (their crawls stop as ``govseo run``'s do: everything fetched is kept and resumed next time), waits
for them, and kills what is still running after a grace period: no child process is left behind.

Two sites on the same host (and port) never run at once, so per-host politeness is what one ``govseo run`` gives.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from common.messages import message
from govseo.batch.runner import both_languages, is_done, read_verdict, run_site, write_verdict
from govseo.batch.sites import SiteSpec

PROGRESS_SECONDS = 10.0
GRACE_SECONDS = 30.0          # after Ctrl-C, how long the sites get to stop before they are killed
_INTERRUPTED = 130


def default_parallel() -> int:
    """Sites at once by default: each keeps about two processes busy (the crawl, and the page feed that
    parses beside it), so half the cores, at least one."""
    return max(1, (os.cpu_count() or 1) // 2)


def _site_main(spec: SiteSpec, out_dir: str, argv: list[str], refresh: bool, lang: str, parent: int) -> None:
    """The body of a site process."""
    from crawler.lifeline import die_with_parent

    os.setpgrp()                     # a terminal's Ctrl-C reaches the batch, which passes it on
    die_with_parent(parent)
    folder = Path(out_dir) / spec.folder
    folder.mkdir(parents=True, exist_ok=True)
    log = os.open(folder / "run.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    code = 0
    try:
        run_site(spec, out_dir, argv, refresh=refresh, lang=lang)
    except KeyboardInterrupt:
        code = _INTERRUPTED
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@dataclass
class _Running:
    spec: SiteSpec
    process: Any
    host: str
    started: float = field(default_factory=time.monotonic)


@dataclass
class BatchOutcome:
    verdicts: list[dict[str, Any]]
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(v.get("status") == status for v in self.verdicts)


class _Progress:
    """Lines on stderr: one per finished site, and every PROGRESS_SECONDS the sites done/total, URLs fetched
    and their rate, and which sites are running."""

    def __init__(self, total: int, out_dir: str, lang: str, quiet: bool) -> None:
        self.total, self.out_dir, self.lang, self.quiet = total, out_dir, lang, quiet
        self.done = 0
        self.pages_done = 0            # URLs of the sites finished by this batch
        self.began = time.monotonic()
        self.last = self.began

    def site(self, spec: SiteSpec, verdict: dict[str, Any] | None, skipped: bool = False) -> None:
        self.done += 1
        if verdict is not None and not skipped:
            self.pages_done += int(verdict.get("pages") or 0)
        if self.quiet:
            return
        if skipped:
            line = message("batch_site_skipped", self.lang, done=self.done, total=self.total, folder=_label(spec))
        else:
            line = message("batch_site_done", self.lang, done=self.done, total=self.total, folder=_label(spec),
                           verdict=_verdict_words(verdict, self.lang))
        print(line, file=sys.stderr, flush=True)

    def tick(self, running: list[_Running], force: bool = False) -> None:
        now = time.monotonic()
        if self.quiet or (not force and now - self.last < PROGRESS_SECONDS):
            return
        self.last = now
        pages = self.pages_done + sum(_fetched(Path(self.out_dir) / r.spec.folder / "crawl.sqlite")
                                      for r in running)
        rate = pages / max(now - self.began, 1e-6)
        names = ", ".join(_label(r.spec) for r in running) or "—"
        print(message("batch_progress", self.lang, done=self.done, total=self.total, pages=pages, rate=rate,
                      running=names), file=sys.stderr, flush=True)


def _verdict_words(verdict: dict[str, Any] | None, lang: str) -> str:
    from reports.league import verdict_word

    if verdict is None:
        return "?"
    words = verdict_word(verdict, lang)
    if verdict.get("status") == "ok":
        return f"{words} {verdict.get('score')}/100"
    return f"{words}（{verdict.get('reason')}）" if lang != "en" else f"{words} ({verdict.get('reason')})"


def _fetched(db: Path) -> int:
    """URLs in a running site's crawl store so far (0 while it does not exist yet)."""
    from crawler.store import CrawlStore

    if not db.is_file():
        return 0
    try:
        store = CrawlStore(db, create=False)
    except Exception:          # not yet a store (being created or replaced): no figure this time
        return 0
    try:
        return store.count("fetches")
    except Exception:
        return 0
    finally:
        with contextlib.suppress(Exception):
            store.close()


def _host(spec: SiteSpec) -> str:
    """The server a site is on (host and port): two sites of one server never run at once."""
    return urlsplit(spec.url).netloc.lower()


def run_local(specs: list[SiteSpec], out_dir: str, argv: list[str], *, parallel: int, refresh: bool = False,
              lang: str = "zh", quiet: bool = False) -> BatchOutcome:
    """Run every site of ``specs`` into ``out_dir``, ``parallel`` at once; return their verdicts in order.
    Sites that are done are skipped (unless ``refresh``); a site process that dies without a verdict gets a
    ``failed`` one. Ctrl-C stops the running sites (their crawls are resumed next time)."""
    context = multiprocessing.get_context("spawn")
    progress = _Progress(len(specs), out_dir, lang, quiet)
    waiting: list[SiteSpec] = []
    for spec in specs:
        if not refresh and is_done(out_dir, spec):
            progress.site(spec, read_verdict(out_dir, spec), skipped=True)
        else:
            waiting.append(spec)
    running: list[_Running] = []
    interrupted = False
    try:
        while waiting or running:
            busy = {r.host for r in running}
            for spec in list(waiting):
                if len(running) >= parallel:
                    break
                if _host(spec) in busy:
                    continue
                process = context.Process(target=_site_main, name=f"govseo-site-{spec.folder}",
                                          args=(spec, out_dir, argv, refresh, lang, os.getpid()))
                process.start()
                running.append(_Running(spec, process, _host(spec)))
                busy.add(_host(spec))
                waiting.remove(spec)
            for item in list(running):
                if item.process.exitcode is None:
                    continue
                item.process.join()
                running.remove(item)
                if item.process.exitcode == _INTERRUPTED:     # stopped alone (a signal to it): resumed next time
                    interrupted = True
                    continue
                progress.site(item.spec, _verdict_after(out_dir, item, lang))
            progress.tick(running)
            if running:
                _wait(running, 0.2)
    except KeyboardInterrupt:
        interrupted = True
        _stop(running)
    return BatchOutcome([v for v in (read_verdict(out_dir, s) for s in specs) if v is not None], interrupted)


def _verdict_after(out_dir: str, item: _Running, lang: str) -> dict[str, Any]:
    """The verdict the site process wrote; a ``failed`` one when it died without writing it."""
    verdict = read_verdict(out_dir, item.spec)
    if verdict is not None:
        return verdict
    code = item.process.exitcode
    what = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return write_verdict(out_dir, item.spec, "failed", message("batch_failed", lang, error=what),
                         reasons=both_languages("batch_failed", error=what))


def _wait(running: list[_Running], timeout: float) -> None:
    from multiprocessing.connection import wait

    wait([r.process.sentinel for r in running], timeout=timeout)


def _stop(running: list[_Running]) -> None:
    """Pass the Ctrl-C on to every running site, wait for them to stop (a second Ctrl-C, or the grace
    period, kills them; their crawl and feed processes die with them)."""
    for item in running:
        with contextlib.suppress(ProcessLookupError):
            os.kill(item.process.pid, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    try:
        while any(r.process.is_alive() for r in running) and time.monotonic() < deadline:
            _wait([r for r in running if r.process.is_alive()], 0.2)
    except KeyboardInterrupt:
        pass
    for item in running:
        if item.process.is_alive():
            item.process.kill()
        item.process.join()


def _label(spec: SiteSpec) -> str:
    """How progress names a site: its name from SITES.csv with its folder, else the folder (CSV text is printed
    to a terminal: control characters dropped)."""
    name = "".join(ch for ch in spec.name if ch.isprintable())[:60]
    return f"{name}（{spec.folder}）" if name else spec.folder
