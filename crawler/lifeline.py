"""How ``govseo run``'s child processes live and end: they die with their parent (Linux's
PR_SET_PDEATHSIG; a watching thread elsewhere), and exit at once when their work is sent.

Used by ``govseo run``'s crawl and page-feed processes: a killed parent takes them with it at once, as
``kill -9`` of a one-process crawl would. Kept apart from crawler.background so that the feed process
does not import Scrapy.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


def die_with_parent(parent: int) -> None:
    """A killed parent takes the crawl with it at once, as ``kill -9`` of a one-process crawl would:
    every committed page stays, and no orphan keeps writing to a store a ``--resume`` may open."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)       # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.2)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)


def run_child(parent: int, conn: Connection, work: Callable[[], Any]) -> None:
    """The body of a govseo child process: in a process group of its own (a Ctrl-C at the terminal
    reaches only govseo, which stops its children), dying with ``parent``. Sends what ``work`` returns,
    or ("crash", one line) when it raises (never a child traceback), then exits at once."""
    os.setpgrp()
    die_with_parent(parent)
    try:
        result = work()
    except BaseException as exc:
        result = ("crash", f"{type(exc).__name__}: {exc}"[:300])
    conn.send(result)
    conn.close()
    _quick_exit()


def _quick_exit() -> None:
    """End a child that has sent its result and closed its files, without tearing down its objects one
    by one (a crawl's URL table and Scrapy's state: ~0.1 s the parent would wait for)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
