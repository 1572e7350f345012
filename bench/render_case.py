"""The --render case of `make bench`: on one generated portal (e.g. 300 pages), `govseo crawl` without and with
--render (2 pages at a time), reporting

- the crawl time of each, and when the raw crawl (every fetch) was done inside the --render run: rendering
  must not slow the crawl of the pages (the browser works in its own processes, on the other core);
- rendered pages per second (pages with a stored render / the time from the first fetch to the last render);
- the peak memory of all Chromium processes together, sampled every 50 ms: the sum of their RSS (counts the
  pages they share once per process: an upper bound) and the sum of their PSS (shared pages split: the real
  total), with the govseo processes' own peaks beside.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from peaks import Sampler, process_tree

_PROC = Path("/proc")


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KB."""
    rss = pss = 0
    try:
        for line in (_PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


def _is_chromium(pid: int) -> bool:
    try:
        return b"chromium" in (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False


class ChromiumPeak(Sampler):
    """Samples the Chromium processes under ``pid`` and keeps the peak of their summed RSS and PSS."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(pid, interval)
        self.rss_kb = self.pss_kb = self.processes = 0

    def sample(self) -> None:
        pids = [p for p in process_tree(self.pid) if _is_chromium(p)]
        sums = [_memory_kb(p) for p in pids]
        self.rss_kb = max(self.rss_kb, sum(r for r, _ in sums))
        self.pss_kb = max(self.pss_kb, sum(p for _, p in sums))
        self.processes = max(self.processes, len(pids))


def _crawl(base: str, db: Path, options: list[str]) -> tuple[float, ChromiumPeak]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "govseo", "crawl", base, "--db", str(db), "--quiet", *options],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with ChromiumPeak(proc.pid) as peak:
        _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"govseo crawl failed:\n{err.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start, peak


def bench_render(base: str, work: Path, pages: int, concurrency: int) -> None:
    print(f"\n== --render: {pages} pages, 2 pages rendering at a time (govseo crawl)")
    opts = ["--concurrency", str(concurrency), "--delay", "0", "--no-autothrottle", "--max-pages", str(pages)]
    plain_db, render_db = work / "render-off.sqlite", work / "render-on.sqlite"
    plain_t, _ = _crawl(base, plain_db, opts)
    render_t, peak = _crawl(base, render_db, [*opts, "--render", "--render-concurrency", "2"])
    conn = sqlite3.connect(plain_db)
    fetched = conn.execute("SELECT COUNT(*) FROM fetches").fetchone()[0]
    plain_span = conn.execute("SELECT MAX(fetched_at) - MIN(fetched_at) FROM fetches").fetchone()[0]
    conn.close()
    conn = sqlite3.connect(render_db)
    first, last_fetch = conn.execute("SELECT MIN(fetched_at), MAX(fetched_at) FROM fetches").fetchone()
    rendered, last_render = conn.execute("SELECT COUNT(*), MAX(rendered_at) FROM renders WHERE status = 'ok'").fetchone()
    statuses = dict(conn.execute("SELECT status, COUNT(*) FROM renders GROUP BY status"))
    conn.close()
    render_span = last_render - first
    print(f"  crawl without --render  {fetched:6d} URLs  {plain_t:7.1f} s  (raw fetches done after {plain_span:5.1f} s)")
    print(f"  crawl with --render     {fetched:6d} URLs  {render_t:7.1f} s  (raw fetches done after "
          f"{last_fetch - first:5.1f} s; renders {statuses})")
    print(f"  rendered pages/s        {rendered / render_span:6.2f}  ({rendered} pages in {render_span:.1f} s)")
    print(f"  Chromium peak, all {peak.processes} processes together: RSS sum {peak.rss_kb / 1024:.0f} MB, "
          f"PSS sum {peak.pss_kb / 1024:.0f} MB")
