"""The batch case of `make bench` (`python bench/run.py --batch-only`, or `--batch-sites N --batch-pages P`):
``govseo batch`` of N generated portals of P pages (default 20 of 500; bench/generate.py, each copy served by its
own nginx, or Python's http.server), once with --parallel 1 (one site after the other) and once with
--parallel 2, reporting

- the wall time and sites per hour of each;
- the peak memory: the largest single process (the kernel's high-water mark over the batch and every process
  under it) and the largest sum of the resident memory of all of them at once (sampled every 100 ms).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from peaks import Sampler, process_tree

_PROC = Path("/proc")


def _rss_kb(pid: int) -> int:
    try:
        for line in (_PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreePeak(Sampler):
    """The peak of the summed RSS of ``pid`` and every process under it, and the most processes at once."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(pid, interval)
        self.sum_kb = self.processes = 0

    def sample(self) -> None:
        pids = [self.pid, *process_tree(self.pid)]
        self.sum_kb = max(self.sum_kb, sum(_rss_kb(p) for p in pids))
        self.processes = max(self.processes, len(pids))


def _batch(repo: Path, sites_csv: Path, out: Path, parallel: int, concurrency: int, pages: int) -> dict[str, Any]:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "govseo", "batch", str(sites_csv), "--out", str(out), "--parallel",
               str(parallel), "--concurrency", str(concurrency), "--delay", "0", "--no-autothrottle",
               "--max-pages", str(pages * 2), "--quiet"]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, cwd=repo, stdout=subprocess.DEVNULL, stderr=err)
        with TreePeak(proc.pid) as peak:
            _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"govseo batch failed:\n{err.read().decode(errors='replace')[-2000:]}")
    import json

    verdicts = [json.loads(path.read_text(encoding="utf-8")) for path in out.glob("*/verdict.json")]
    if any(v["status"] != "ok" for v in verdicts):
        raise SystemExit(f"govseo batch: a site has no score: {[v for v in verdicts if v['status'] != 'ok'][:1]}")
    return {"seconds": seconds, "sites": len(verdicts), "pages": sum(v["pages"] for v in verdicts),
            "largest_mb": usage.ru_maxrss / 1024,
            "sum_mb": peak.sum_kb / 1024, "processes": peak.processes}


def bench_batch(work: Path, sites: int, pages: int, concurrency: int,
                portal: Callable[[Path, int], Path], serve: Callable[[Path], Any],
                set_base: Callable[[Path, str], None]) -> None:
    """``govseo batch`` of ``sites`` copies of a generated portal of ``pages`` pages, --parallel 1 and 2."""
    repo = Path(__file__).resolve().parent.parent
    print(f"\n== govseo batch: {sites} sites of {pages} pages (concurrency {concurrency} per host)")
    source = portal(work, pages)
    copies = work / f"batch-{pages}"
    roots = []
    for number in range(sites):
        root = copies / f"site-{number}" / "site"
        if not (root / "index.html").exists() or (source / "index.html").stat().st_mtime > \
                (root / "index.html").stat().st_mtime:
            shutil.rmtree(root.parent, ignore_errors=True)
            shutil.copytree(source, root)
        roots.append(root)
    with contextlib.ExitStack() as stack:
        bases = []
        with _quiet_serving():
            for root in roots:
                base = stack.enter_context(serve(root))
                set_base(root, base.rstrip("/"))
                bases.append(base)
        print(f"  {sites} portals served on 127.0.0.1, one server each")
        sites_csv = copies / "SITES.csv"
        sites_csv.write_text("url,name,group\n" + "".join(
            f"{base},县{number},第{number % 4}组\n" for number, base in enumerate(bases)), encoding="utf-8")
        for parallel in (1, 2):
            figures = _batch(repo, sites_csv, copies / f"out-{parallel}", parallel, concurrency, pages)
            per_hour = figures["sites"] / figures["seconds"] * 3600
            print(f"  --parallel {parallel}: {figures['sites']} sites in {figures['seconds']:6.1f} s  "
                  f"{per_hour:6.0f} sites/hour  {figures['pages'] / figures['seconds']:6.1f} URLs/s  "
                  f"peak RSS: largest process {figures['largest_mb']:.0f} MB, all at once "
                  f"{figures['sum_mb']:.0f} MB ({figures['processes']} processes)", flush=True)


@contextlib.contextmanager
def _quiet_serving() -> Iterator[None]:
    """bench/run.py's serve() prints a line per server: one line for the lot instead."""
    real = sys.stdout
    sys.stdout = open(os.devnull, "w")
    try:
        yield
    finally:
        sys.stdout.close()
        sys.stdout = real
