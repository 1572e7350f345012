"""Peak resident memory of each process of a ``govseo run``: the audit (govseo itself), its crawl child
(crawler/background.py) and its page-feed child (audits/feed.py).

The kernel keeps each process's high-water mark (VmHWM in /proc/PID/status); a thread reads it for the
process tree every few milliseconds while the command runs, so a peak is missed only if it happens in
the last few milliseconds of a child's life. The crawl is the child with an epoll descriptor (Scrapy's
asyncio reactor), the feed the one holding the shelf (an anonymous temporary file) open. Linux only (elsewhere: no figures).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Self

_PROC = Path("/proc")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in (_PROC / str(pid) / "task").iterdir():
            found.extend(int(c) for c in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def process_tree(root: int) -> list[int]:
    """Every process under ``root`` (children, their children…), as /proc shows them now; ``root`` not included."""
    kids: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            kids.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        for child in kids.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _hwm_kb(pid: int) -> int | None:
    try:
        for line in (_PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _role(pid: int) -> str | None:
    try:
        cmdline = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    if b"resource_tracker" in cmdline or b"spawn_main" not in cmdline:
        return None                  # multiprocessing's helper, or not a govseo child
    try:
        # not stdin/stdout/stderr: the bench's own output files may be anonymous temporary files too
        targets = [os.readlink(fd) for fd in (_PROC / str(pid) / "fd").iterdir() if int(fd.name) > 2]
    except OSError:
        return None
    names = [t.rsplit("/", 1)[-1] for t in targets if t.startswith("/") and t.endswith(" (deleted)")]
    if any(n.startswith(("#", "govseo-shelf-")) for n in names):
        return "feed"                # the shelf, an anonymous temporary file (O_TMPFILE: "#inode")
    if any(t.startswith("anon_inode:[eventpoll]") for t in targets):
        return "crawl"               # Scrapy's asyncio reactor
    return None


class Sampler:
    """``with Sampler(pid):`` calls ``sample()`` every ``interval`` seconds on a thread of its own while the block
    runs (subclasses say what a sample keeps)."""

    def __init__(self, pid: int, interval: float) -> None:
        self.pid, self.interval = pid, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        if _PROC.is_dir():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        raise NotImplementedError


class ProcessPeaks(Sampler):
    """``with ProcessPeaks(pid) as peaks:`` … ``peaks.mb`` = {"govseo": MB, "crawl": MB, "feed": MB}."""

    def __init__(self, pid: int, interval: float = 0.005) -> None:
        super().__init__(pid, interval)
        self.kb: dict[str, int] = {}
        self._roles: dict[int, str] = {}

    def sample(self) -> None:
        pids = [(self.pid, "govseo")]
        for child in _children(self.pid):
            role = self._roles.get(child) or _role(child)
            if role is not None:          # None: not yet exec'd (or not ours): looked at again next time
                self._roles[child] = role
                pids.append((child, role))
        for pid, role in pids:
            kb = _hwm_kb(pid)
            if kb is not None:
                self.kb[role] = max(self.kb.get(role, 0), kb)

    @property
    def mb(self) -> dict[str, float]:
        return {role: kb / 1024 for role, kb in self.kb.items()}

    def line(self) -> str:
        mb = self.mb
        return ", ".join(f"{role} {mb[role]:.0f} MB" for role in ("govseo", "crawl", "feed") if role in mb)
