"""Benchmarks (not tests): `make bench` (sizes 2,000 and 20,000 pages), `--pages 100000` for the big one.

For each size, on the same generated portal (bench/generate.py) served by nginx on 127.0.0.1 (Python's
http.server when nginx is absent: `apt-get install nginx-light`), with the same concurrency:
  1. a plain Scrapy CrawlSpider + LinkExtractor yielding url/status/title (bench/crawlspider_baseline.py);
  2. `govseo run` (crawl + every audit + findability + report), end to end;
  3. the stages one by one: `govseo crawl`, `govseo audit --db` (re-audit of the stored crawl), `govseo report`.
Prints pages/s, the ratio to the CrawlSpider, and each process's peak RSS (whole process, OS figure).

Then the memory cases (issue 13: no process above 300 MB whatever a server sends): `govseo run` of a small
site with one hostile page each (9 MB of one letter, 10 MB of one punctuation mark, an endless stream of
prose, 200,000 nested tags, 400,000 links; tests/hostile_server.py), and of a portal of 3,000 pages of ~70 KB (`--large-pages`, `--page-kb`), with
the peak RSS of each of its processes: the audit (govseo), the crawl child and the page-feed child.

Last, the --render case (bench/render_case.py, `--render-pages 300`, `--render-only`): crawl time with and without
--render on the same portal, rendered pages per second and the peak memory of all Chromium processes together.

With `--batch-only` (or `--batch-sites N`), the batch case (bench/batch_case.py; not in the default run: it takes
about 3.5 minutes on two cores): `govseo batch` of 20 generated portals of 500 pages (`--batch-sites`,
`--batch-pages`), with --parallel 1 and 2: sites per hour and peak memory.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(1, str(REPO / "tests"))
from batch_case import bench_batch  # noqa: E402
from generate import generate, set_base  # noqa: E402
from hostile_server import (  # noqa: E402
    HostileServer,
    endless_chunked,
    honest_site,
    nested_tags,
    one_character,
    static,
)
from peaks import ProcessPeaks  # noqa: E402
from render_case import bench_render  # noqa: E402

MiB = 1 << 20
# A small honest site and one hostile page each (tests/hostile_server.py): what no process may grow on.
# 9 MB, not 10: libxml2 drops a text node over 10,000,000 bytes (no huge_tree), a smaller one reaches the text
# rules whole. A punctuation mark is text no word is made of, decoded as non-ASCII.
HOSTILE = {
    "9 MB of one letter": ("/one-char.html", lambda: one_character(9 * MiB, "a")),
    "10 MB of one punctuation": ("/one-mark.html", lambda: one_character(10 * MiB, "。")),
    "endless stream of prose": ("/endless.html", lambda: endless_chunked(prose=True)),
    "200,000 nested tags": ("/nested.html", lambda: nested_tags(200_000)),
    "400,000 links (9 MB)": ("/links.html", lambda: static(b"<html><body>" + b"".join(
        b'<a href="/p%d">x</a>' % i for i in range(400_000)) + b"</body></html>")),
}

def measure(args: list[str], stages: dict[str, str] | None = None,
            peaks: dict[str, float] | None = None) -> tuple[float, float, str]:
    """Run a child process; (seconds, peak RSS MB of it and its children, stdout). ``stages`` receives
    the seconds per stage that ``govseo run`` prints with GOVSEO_TIMING=1, ``peaks`` each process's own
    peak RSS in MB (bench/peaks.py: "govseo", and for ``govseo run`` "crawl" and "feed")."""
    start = time.perf_counter()
    env = {**os.environ, "GOVSEO_TIMING": "1"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=REPO, env=env)
        with ProcessPeaks(proc.pid) as sampler:
            _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} failed:\n{stderr[-2000:]}")
    rss = usage.ru_maxrss / 1024          # the largest of the process and its children
    for line in stderr.splitlines():
        if line.startswith("govseo-timing ") and stages is not None:
            _, name, value = line.split()
            stages[name] = value
        if line.startswith("govseo-feed-failed"):
            print(f"  (the page feed failed, the audit parsed every page itself: {line})")
    if peaks is not None:
        peaks.update(sampler.mb)
    return seconds, rss, stdout


def peak_line(peaks: dict[str, float]) -> str:
    return ", ".join(f"{role} {peaks[role]:.0f} MB" for role in ("govseo", "crawl", "feed") if role in peaks)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    port = free_port()
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if nginx:
        conf = root.parent / f"nginx-{port}.conf"
        conf.write_text(f"""worker_processes 1; daemon off; pid {root.parent}/nginx-{port}.pid;
error_log {root.parent}/nginx-error.log error;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; keepalive_requests 100000; types {{ text/html html; application/xml xml;
  text/plain txt; }} default_type application/octet-stream;
  client_body_temp_path {root.parent}/tmp; proxy_temp_path {root.parent}/tmp; fastcgi_temp_path {root.parent}/tmp;
  uwsgi_temp_path {root.parent}/tmp; scgi_temp_path {root.parent}/tmp;
  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }} }}
""")
        (root.parent / "tmp").mkdir(exist_ok=True)
        proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(root.parent)])
        server = "nginx"
    else:
        proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                 "--directory", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = "python http.server (install nginx-light for the reference figures)"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
            time.sleep(0.05)
        print(f"  served by {server} on 127.0.0.1:{port}")
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def portal(work: Path, pages: int, page_kb: int = 0) -> Path:
    """The generated portal of ``pages`` pages (made again when the generator changed)."""
    root = work / (f"portal-{pages}" + (f"-{page_kb}kb" if page_kb else "")) / "site"
    stamp = root.parent / "generator.sha256"      # a portal from an older generator is made again
    version = hashlib.sha256((REPO / "bench" / "generate.py").read_bytes()).hexdigest()
    if not (root / "index.html").exists() or not stamp.exists() or stamp.read_text() != version:
        shutil.rmtree(root, ignore_errors=True)
        generate(root, pages, page_kb=page_kb)
        stamp.write_text(version)
    return root


def run_opts(concurrency: int, pages: int) -> list[str]:
    return ["--concurrency", str(concurrency), "--delay", "0", "--no-autothrottle", "--max-pages", str(pages * 2),
            "--quiet"]


def bench_memory(work: Path, concurrency: int, large_pages: int, page_kb: int) -> None:
    """Each process's peak RSS on hostile pages and on a site of long pages (the target: < 300 MB each)."""
    print("\n== memory: one hostile page in a small site (govseo run; peak RSS of each process)")
    for name, (path, route) in HOSTILE.items():
        site = honest_site([(path, name)])
        site[path] = route()
        peaks: dict[str, float] = {}
        with HostileServer(site, lifetime=600) as server:
            t, _, _ = measure([sys.executable, "-m", "govseo", "run", server.base + "/", "--out",
                               str(work / "hostile"), *run_opts(concurrency, 100)], peaks=peaks)
        print(f"  {name:26s} {t:6.1f} s  peak RSS: {peak_line(peaks)}")
    if large_pages:
        root = portal(work, large_pages, page_kb)
        with serve(root) as base:
            set_base(root, base.rstrip("/"))
            out_dir = work / f"run-{large_pages}-{page_kb}kb"
            peaks = {}
            t, _, _ = measure([sys.executable, "-m", "govseo", "run", base, "--out", str(out_dir),
                               *run_opts(concurrency, large_pages)], peaks=peaks)
            with (out_dir / "result.json").open(encoding="utf-8") as fh:
                fetched = json.load(fh)["crawl"]["pages"]
            print(f"  {large_pages} pages of ~{page_kb} KB: {fetched} URLs {t:6.1f} s {fetched / t:6.1f} pages/s  "
                  f"peak RSS: {peak_line(peaks)}")


def bench_size(pages: int, work: Path, concurrency: int, with_baseline: bool = True) -> None:
    root = portal(work, pages)
    with serve(root) as base:
        set_base(root, base.rstrip("/"))
        print(f"\n== {pages} pages (concurrency {concurrency} per host)")
        baseline = None
        if with_baseline:
            t, rss, out = measure([sys.executable, str(REPO / "bench" / "crawlspider_baseline.py"), base,
                                   str(concurrency)])
            crawled = int(out.split("responses", 1)[1].split()[0])
            baseline = crawled / t
            print(f"  CrawlSpider baseline   {crawled:7d} responses {t:8.1f} s {baseline:8.1f} pages/s  "
                  f"peak RSS {rss:7.1f} MB")
        opts = run_opts(concurrency, pages)
        out_dir = work / f"run-{pages}"
        stages: dict[str, str] = {}
        peaks: dict[str, float] = {}
        t, rss, _ = measure([sys.executable, "-m", "govseo", "run", base, "--out", str(out_dir), *opts], stages,
                            peaks)
        with (out_dir / "result.json").open(encoding="utf-8") as fh:
            fetched = json.load(fh)["crawl"]["pages"]
        size = (out_dir / "report.html").stat().st_size / 1e6
        ratio = f"  ratio {fetched / t / baseline:4.2f}x" if baseline else ""
        print(f"  govseo run (end to end){fetched:7d} URLs      {t:8.1f} s {fetched / t:8.1f} pages/s  peak RSS {rss:7.1f} MB"
              f"{ratio}  report.html {size:.1f} MB")
        print("    stages: " + ", ".join(f"{name} {value} s" for name, value in stages.items())
              + " (the crawl and the page feed run in two child processes; feed: waiting for its last pages)")
        if peaks:
            print(f"    peak RSS per process: {peak_line(peaks)}")
        db = work / f"stages-{pages}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        t, rss, _ = measure([sys.executable, "-m", "govseo", "crawl", base, "--db", str(db), *opts])
        print(f"  stage crawl            {fetched:7d} URLs      {t:8.1f} s {fetched / t:8.1f} pages/s  peak RSS {rss:7.1f} MB")
    t, rss, _ = measure([sys.executable, "-m", "govseo", "audit", "--db", str(db), "--out", str(work / "again.json")])
    print(f"  stage audit (re-audit) {fetched:7d} URLs      {t:8.1f} s {fetched / t:8.1f} pages/s  peak RSS {rss:7.1f} MB"
          "  (no network)")
    t, rss, _ = measure([sys.executable, "-m", "govseo", "report", str(work / "again.json"), "--out", str(work / "rep")])
    print(f"  stage report                             {t:8.1f} s                 peak RSS {rss:7.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, action="append", help="portal size (repeatable); default 2000 and 20000")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the CrawlSpider (no ratio): memory and report size only, e.g. at 100,000 pages")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "govseo-bench")
    parser.add_argument("--large-pages", type=int, default=3000,
                        help="memory case: a portal of this many long pages (0: skip); default 3000")
    parser.add_argument("--page-kb", type=int, default=70, help="their size in KB (default 70)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory cases (hostile and long pages)")
    parser.add_argument("--memory-only", action="store_true", help="only the memory cases (no --pages sizes)")
    parser.add_argument("--render-pages", type=int, default=300,
                        help="--render case: crawl time with and without it, pages/s, Chromium memory (0: skip)")
    parser.add_argument("--render-only", action="store_true", help="only the --render case")
    parser.add_argument("--batch-only", action="store_true",
                        help="only the batch case: govseo batch of --batch-sites portals, --parallel 1 and 2")
    parser.add_argument("--batch-sites", type=int, default=0, help="batch case: this many sites (20 with --batch-only)")
    parser.add_argument("--batch-pages", type=int, default=500, help="batch case: pages a site (default 500)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.batch_only or args.batch_sites:
        bench_batch(args.work, args.batch_sites or 20, args.batch_pages, args.concurrency, portal, serve, set_base)
        if args.batch_only:
            return 0
    if not args.memory_only and not args.render_only:
        for pages in args.pages or [2000, 20000]:
            bench_size(pages, args.work, args.concurrency, not args.no_baseline)
    if not args.no_memory and not args.render_only:
        bench_memory(args.work, args.concurrency, args.large_pages, args.page_kb)
    if args.render_pages and Path("/usr/bin/chromium").is_file():
        root = portal(args.work, args.render_pages)
        with serve(root) as base:
            set_base(root, base.rstrip("/"))
            bench_render(base, args.work, args.render_pages, args.concurrency)
    elif args.render_pages:
        print("\n== --render: skipped (/usr/bin/chromium not found: apt-get install chromium)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
