"""Benchmarks (not tests): `make bench`.

Measures `govseo run` (crawl + audit + report) and `govseo audit` (re-audit of the stored crawl) on
the bundled sample portal served on 127.0.0.1: wall time, pages/s and the peak RSS of each child
process. Medians of --repeat runs. The synthetic large-portal benchmark belongs with the scale work.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def timed(args: list[str]) -> tuple[float, float]:
    """Run a govseo child process; return (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    # A fresh wrapper process per run, so its RUSAGE_CHILDREN peak is this run's alone.
    wrapper = [sys.executable, "-c",
               "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)",
               sys.executable, "-m", "govseo", *args]
    proc = subprocess.run(wrapper, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"govseo {' '.join(args)} failed:\n{proc.stderr}")
    peak_kb = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, peak_kb / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from govseo.sample_portal import serve_portal

    runs, audits, rss_run, rss_audit, pages = [], [], [], [], 0
    with serve_portal() as base, tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            out = Path(tmp) / f"run{i}"
            seconds, rss = timed(["run", base, "--out", str(out), "--quiet"])
            runs.append(seconds)
            rss_run.append(rss)
            pages = json.loads((out / "result.json").read_text(encoding="utf-8"))["crawl"]["pages"]
            seconds, rss = timed(["audit", "--db", str(out / "crawl.sqlite"), "--out", str(out / "again.json")])
            audits.append(seconds)
            rss_audit.append(rss)
    run_s, audit_s = statistics.median(runs), statistics.median(audits)
    print(f"sample portal: {pages} URLs, median of {args.repeat} (whole processes, start-up included)")
    print(f"  govseo run    {run_s:6.2f} s  {pages / run_s:7.1f} URLs/s  peak RSS {max(rss_run):6.1f} MB")
    print(f"  govseo audit  {audit_s:6.2f} s  {pages / audit_s:7.1f} URLs/s  peak RSS {max(rss_audit):6.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
