"""Run a crawl in a child process, so that another (audits.feed) can parse its pages on the other core meanwhile.

The child is started with the "spawn" method (a fresh interpreter: no inherited reactor or threads)
and in a process group of its own: a Ctrl-C at the terminal reaches only the parent, which asks the
child to stop (one SIGINT, Scrapy's graceful shutdown). The child dies with the parent.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from crawler.lifeline import run_child
from crawler.runner import CrawlError, CrawlSummary, run_crawl
from crawler.settings import CrawlOptions


@dataclass
class ProgressPrinter:
    """Prints every 100th page to stderr (picklable: it crosses into the child)."""

    template: str | None      # None: quiet

    def __call__(self, n: int) -> None:
        if self.template is not None and n % 100 == 0:
            print(self.template.format(n=n), file=sys.stderr, flush=True)


def _child(opts: CrawlOptions, db: Path, resume: bool, progress: ProgressPrinter, parent: int,
           conn: Connection) -> None:
    def crawl() -> Any:
        try:
            return run_crawl(opts, db, resume=resume, progress=progress)
        except CrawlError as exc:
            return ("error", exc.key, exc.params)

    run_child(parent, conn, crawl)


class BackgroundCrawl:
    def __init__(self, opts: CrawlOptions, db: Path, *, resume: bool, progress: ProgressPrinter) -> None:
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(opts, db, resume, progress, os.getpid(), send),
                                       name="govseo-crawl")
        self._send = send

    def start(self) -> None:
        self.process.start()
        self._send.close()

    def running(self) -> bool:
        return self.process.is_alive() and not self._receive.poll()

    def interrupt(self) -> None:
        """Ask the crawl to stop (as Ctrl-C would) and wait for it."""
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGINT)
        self.process.join()

    def result(self) -> CrawlSummary:
        """The crawl's summary; raises CrawlError when it could not start or crashed."""
        try:
            outcome = self._receive.recv() if self._receive.poll(timeout=None) else None
        except EOFError:
            outcome = None
        self.process.join()
        if isinstance(outcome, CrawlSummary):
            return outcome
        if isinstance(outcome, tuple) and outcome[0] == "error":
            raise CrawlError(outcome[1], **outcome[2])
        detail = outcome[1] if isinstance(outcome, tuple) else f"exit code {self.process.exitcode}"
        raise CrawlError("crawl_crashed", error=detail)
