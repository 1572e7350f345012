"""govseo batch --broker / govseo worker against a real redis-server on 127.0.0.1: two workers, small local
sites, one worker killed with SIGKILL in the middle of a slow site, the batch enqueued twice.

The broker's timings are shortened through the environment (GOVSEO_BROKER_*) so that the dead worker's site is
delivered again within seconds; the defaults (60 s heartbeat) are what docs/scale.md describes. Skipped only
when redis-server is not installed (.ci/run installs Debian's package).
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, govseo
from proctree import alive, descendants
from routeserver import serve_routes
from sitebuilder import page

REDIS = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server)")

TIMINGS = {"GOVSEO_BROKER_HEARTBEAT": "3", "GOVSEO_BROKER_LOCK_TTL": "2", "GOVSEO_BROKER_RETRY": "1",
           "GOVSEO_BROKER_POLL": "0.3"}
SLOW = 0.3          # seconds each page of the slow site takes for govseo's own crawl
SLOW_PAGES = 30
GOVSEO_UA = "govseo/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    import redis

    port = _free_port()
    server = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        server.terminate()
        server.wait(10)


class Site:
    """A small site on 127.0.0.1 logging every request: (time, path, User-Agent)."""

    def __init__(self, pages: int, delay: float = 0.0) -> None:
        self.log: list[tuple[float, str, str]] = []
        self.lock = threading.Lock()
        links = "".join(f'<a href="/p{j}.html">栏目文章{j}</a>' for j in range(pages))
        self.routes = {"/": self._route(page("首页_测试市人民政府", body=links), delay),
                       **{f"/p{j}.html": self._route(page(f"文章{j}_测试市人民政府", body=links), delay)
                          for j in range(pages)}}

    def _route(self, body: str, delay: float):
        def respond(handler):
            agent = handler.headers.get("User-Agent", "")
            with self.lock:
                self.log.append((time.time(), handler.path, agent))
            if delay and agent.startswith(GOVSEO_UA):
                time.sleep(delay)
            return 200, [("Content-Type", "text/html; charset=utf-8")], body.encode()
        return respond

    def own_requests(self) -> list[tuple[float, str, str]]:
        with self.lock:
            return [entry for entry in self.log if entry[2].startswith(GOVSEO_UA)]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **TIMINGS, **(extra or {})}
    env.pop("GOVSEO_DEBUG", None)
    return env


def _start(args: list[str], log: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "govseo", *args], stdout=log.open("w"), stderr=subprocess.STDOUT,
                            env=_env(extra_env), cwd=REPO)


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _history(url: str) -> list[dict]:
    import redis

    from govseo.batch.distlock import read_history

    client = redis.Redis.from_url(url)
    try:
        return read_history(client)
    finally:
        client.close()


@needs_redis
def test_two_workers_one_killed_mid_site_every_result_arrives(redis_url: str, tmp_path: Path) -> None:
    slow, fast = Site(SLOW_PAGES, delay=SLOW), [Site(6) for _ in range(3)]
    with serve_routes(slow.routes) as slow_url, serve_routes(fast[0].routes) as url0, \
            serve_routes(fast[1].routes) as url1, serve_routes(fast[2].routes) as url2:
        sites = tmp_path / "sites.csv"
        sites.write_text("url,name,group\n" + f"{slow_url},慢站,甲市\n" +
                         "".join(f"{u},站点{i},乙市\n" for i, u in enumerate((url0, url1, url2))), encoding="utf-8")
        out = tmp_path / "out"
        batch_args = ["batch", str(sites), "--out", str(out), "--broker", redis_url, "--concurrency", "1"]
        worker_a = _start(["worker", "--broker", redis_url, "--concurrency", "1"], tmp_path / "worker-a.log")
        procs = [worker_a]
        try:
            batch = _start(batch_args, tmp_path / "batch-1.log")
            procs.append(batch)
            # the slow site is first in the queue, and worker A (one site at a time) takes it
            _wait_for(lambda: len(slow.own_requests()) >= 5, 60, "worker A to be in the middle of the slow site")
            holder = [e for e in _history(redis_url) if e["event"] == "acquire"]
            assert len(holder) == 1 and holder[0]["holder"].split(":")[1] == str(worker_a.pid)
            worker_b = _start(["worker", "--broker", redis_url, "--concurrency", "2"], tmp_path / "worker-b.log")
            procs.append(worker_b)
            again = _start(batch_args, tmp_path / "batch-2.log")      # the same batch enqueued a second time
            procs.append(again)
            site_processes = set(descendants(worker_a.pid))
            assert site_processes
            worker_a.send_signal(signal.SIGKILL)
            killed_at = time.time()
            worker_a.wait(10)
            # the killed worker's site process and its crawl die with it: nothing keeps writing the store
            _wait_for(lambda: not any(alive(pid) for pid in site_processes), 10, "the killed worker's children to end")
            assert batch.wait(120) == 0, (tmp_path / "batch-1.log").read_text()
            assert again.wait(60) == 0, (tmp_path / "batch-2.log").read_text()
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()

        history = _history(redis_url)
        slow_log = slow.own_requests()

    # every result arrives: a verdict and a result per site, and the league
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(folders) == 4
    for folder in folders:
        verdict = json.loads((out / folder / "verdict.json").read_text(encoding="utf-8"))
        assert verdict["status"] == "ok", verdict
        assert (out / folder / "result.json").is_file()
    assert (out / "index.html").is_file() and (out / "league.csv").is_file()
    slow_folder = next(f for f in folders if json.loads((out / f / "verdict.json").read_text())["name"] == "慢站")
    result = json.loads((out / slow_folder / "result.json").read_text(encoding="utf-8"))
    assert result["crawl"]["pages"] >= SLOW_PAGES + 1

    # the slow site was taken over by worker B, after worker A was killed
    slow_events = [e for e in history if e["site"] == slow_folder]
    assert [e["event"] for e in slow_events] == ["acquire", "acquire", "release"], slow_events
    first, second = slow_events[0], slow_events[1]
    assert first["holder"].split(":")[1] == str(worker_a.pid)
    assert second["holder"].split(":")[1] == str(worker_b.pid) and second["t"] > killed_at
    assert slow_events[2]["holder"] == second["holder"]
    # no request of the killed run after the kill (a request in flight at the kill may land just after)
    orphan = [e for e in slow_log if killed_at + 1.0 < e[0] < second["t"]]
    assert not orphan, orphan

    # no site ran twice: each other site's server saw each page once per User-Agent (what one run asks for),
    # although every site was enqueued twice; and each lock was taken and given back once
    for site in fast:
        counts = collections.Counter((path, agent) for _, path, agent in site.log)
        assert counts and max(counts.values()) == 1, [k for k, v in counts.items() if v > 1]
    for folder in folders:
        if folder != slow_folder:
            assert [e["event"] for e in history if e["site"] == folder] == ["acquire", "release"]


def test_bad_broker_url_is_one_line_exit_2(tmp_path: Path) -> None:
    proc = govseo("worker", "--broker", "http://127.0.0.1:6379/0", check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "消息代理地址无效" in proc.stderr and "Traceback" not in proc.stderr
    proc = govseo("worker", "--broker", "redis://127.0.0.1:6379/db0", "--lang", "en", check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("govseo: bad broker URL")


def test_unreachable_redis_is_one_line_exit_2(tmp_path: Path) -> None:
    port = _free_port()         # nothing listens there
    sites = tmp_path / "sites.csv"
    sites.write_text("url,name,group\nhttp://127.0.0.1:9/,站点,\n", encoding="utf-8")
    proc = govseo("batch", str(sites), "--out", str(tmp_path / "out"), "--broker", f"redis://127.0.0.1:{port}/0",
                  check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "无法连接消息代理" in proc.stderr and "Traceback" not in proc.stderr
    proc = govseo("worker", "--broker", f"redis://127.0.0.1:{port}/0", "--lang", "en", check=False)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("govseo: cannot reach the broker")
    assert not (tmp_path / "out" / "127.0.0.1_9").exists()


@needs_redis
def test_stopped_worker_hands_its_site_back_at_once_and_scratch_results_reach_dir(redis_url: str,
                                                                                  tmp_path: Path) -> None:
    """SIGTERM: the worker's running site goes back to the queue at once (not after the 60 s heartbeat) and
    another worker runs it; a worker with --scratch runs its sites on local disk and copies them into DIR."""
    slow, fast = Site(SLOW_PAGES, delay=SLOW), Site(6)
    scratch = tmp_path / "scratch"
    with serve_routes(fast.routes) as fast_url, serve_routes(slow.routes) as slow_url:
        sites = tmp_path / "sites.csv"
        sites.write_text(f"url,name,group\n{fast_url},快站,\n{slow_url},慢站,\n", encoding="utf-8")
        out = tmp_path / "out"
        env = {"GOVSEO_BROKER_HEARTBEAT": "60"}
        worker_a = _start(["worker", "--broker", redis_url, "--scratch", str(scratch)], tmp_path / "worker-a.log",
                          env)
        batch = _start(["batch", str(sites), "--out", str(out), "--broker", redis_url, "--concurrency", "1"],
                       tmp_path / "batch.log", env)
        procs = [worker_a, batch]
        try:
            _wait_for(lambda: len(slow.own_requests()) >= 5, 60, "worker A to be in the middle of the slow site")
            fast_folder = next(p.name for p in out.iterdir() if p.is_dir() and (p / "verdict.json").exists())
            worker_a.send_signal(signal.SIGTERM)
            stopped_at = time.time()
            assert worker_a.wait(30) == 0
            worker_b = _start(["worker", "--broker", redis_url], tmp_path / "worker-b.log", env)
            procs.append(worker_b)
            assert batch.wait(90) == 0, (tmp_path / "batch.log").read_text()
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)
        history = _history(redis_url)

    # the fast site ran in scratch space and its whole folder reached DIR; nothing is left in scratch
    for name in ("verdict.json", "result.json", "report.html", "crawl.sqlite"):
        assert (out / fast_folder / name).is_file(), name
    assert not any(path.is_file() for path in scratch.rglob("*"))
    slow_folder = next(p.name for p in out.iterdir() if p.is_dir() and p.name != fast_folder)
    assert json.loads((out / slow_folder / "verdict.json").read_text(encoding="utf-8"))["status"] == "ok"
    events = [(e["event"], e["holder"].split(":")[1]) for e in history if e["site"] == slow_folder]
    a, b = str(worker_a.pid), str(worker_b.pid)
    assert events == [("acquire", a), ("release", a), ("acquire", b), ("release", b)], events
    taken = next(e["t"] for e in history if e["site"] == slow_folder and e["event"] == "acquire"
                 and e["holder"].split(":")[1] == b)
    assert taken - stopped_at < 30          # far sooner than the 60 s heartbeat: handed back, not lost


@needs_redis
def test_site_lock_is_exclusive_and_only_its_holder_renews_or_frees_it(redis_url: str) -> None:
    import redis

    from govseo.batch.distlock import SiteLock, read_history, site_key

    client = redis.Redis.from_url(redis_url)
    key = site_key("/srv/govseo/batch", "www.example.gov.cn")
    first, second = SiteLock(client, key, "s", ttl=1.0, holder="h1"), SiteLock(client, key, "s", ttl=1.0, holder="h2")
    assert first.acquire()
    assert not second.acquire() and not second.renew()
    second.release()                        # not its lock: nothing happens
    assert client.exists(key) and first.renew()
    first.release()
    assert not client.exists(key)
    assert second.acquire()
    time.sleep(1.2)                         # not renewed: the lock expires and another may take it
    assert not client.exists(key) and second.expired() and not second.renew()
    assert first.acquire()
    assert [(e["event"], e["holder"][:2]) for e in read_history(client)] == [
        ("acquire", "h1"), ("release", "h1"), ("acquire", "h2"), ("acquire", "h1")]
    assert site_key("/srv/govseo/batch", "a") != site_key("/srv/govseo/other", "a")
    client.close()


def test_job_options_name_files_by_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker runs elsewhere (another directory, another machine): --config and --queries travel absolute,
    other options unchanged."""
    from govseo.batch.broker import portable_argv

    monkeypatch.chdir(tmp_path)
    argv = ["--config", "govseo.toml", "--max-pages", "50", "--queries=q/queries.csv", "--include", "/bm1/"]
    assert portable_argv(argv) == ["--config", str(tmp_path / "govseo.toml"), "--max-pages", "50",
                                   f"--queries={tmp_path / 'q' / 'queries.csv'}", "--include", "/bm1/"]


@needs_redis
def test_site_whose_lock_is_held_waits_and_runs_once_it_is_free(redis_url: str, tmp_path: Path) -> None:
    """A job that finds its site's lock held by a live holder is retried later (through the delay queue),
    never dropped: the site runs once the holder lets go."""
    import redis

    from govseo.batch.distlock import SiteLock, site_key
    from govseo.batch.sites import site_folder

    site = Site(4)
    client = redis.Redis.from_url(redis_url)
    with serve_routes(site.routes) as url:
        sites = tmp_path / "sites.csv"
        sites.write_text(f"url,name,group\n{url},站点,\n", encoding="utf-8")
        out = tmp_path / "out"
        holder = SiteLock(client, site_key(str(out), site_folder(url)), site_folder(url), ttl=120, holder="other")
        assert holder.acquire()
        worker = _start(["worker", "--broker", redis_url], tmp_path / "worker.log")
        batch = _start(["batch", str(sites), "--out", str(out), "--broker", redis_url], tmp_path / "batch.log")
        try:
            _wait_for(lambda: client.hlen("govseo:sites.DQ.msgs") == 1, 30, "the busy site's retry in the delay queue")
            assert not site.log and batch.poll() is None
            holder.release()
            assert batch.wait(60) == 0, (tmp_path / "batch.log").read_text()
        finally:
            for proc in (worker, batch):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)
            client.close()
    assert json.loads((out / site_folder(url) / "verdict.json").read_text(encoding="utf-8"))["status"] == "ok"
    assert site.own_requests()


@needs_redis
def test_ctrl_c_stops_only_the_waiting(redis_url: str, tmp_path: Path) -> None:
    import redis

    sites = tmp_path / "sites.csv"
    sites.write_text("url,name,group\nhttp://127.0.0.1:9/,站点,\n", encoding="utf-8")
    batch = _start(["batch", str(sites), "--out", str(tmp_path / "out"), "--broker", redis_url, "--lang", "en"],
                   tmp_path / "batch.log")
    client = redis.Redis.from_url(redis_url)
    try:
        _wait_for(lambda: client.hlen("govseo:sites.msgs") == 1, 30, "the site job")
        batch.send_signal(signal.SIGINT)
        assert batch.wait(30) == 130
    finally:
        if batch.poll() is None:
            batch.kill()
    log = (tmp_path / "batch.log").read_text()
    assert "stopped waiting; the site jobs stay queued" in log and "Traceback" not in log
    assert client.hlen("govseo:sites.msgs") == 1        # still queued for the workers
    client.close()


@needs_redis
def test_site_over_the_time_limit_is_stopped_and_marked_failed(redis_url: str, tmp_path: Path) -> None:
    slow = Site(SLOW_PAGES, delay=SLOW)
    with serve_routes(slow.routes) as url:
        sites = tmp_path / "sites.csv"
        sites.write_text(f"url,name,group\n{url},慢站,\n", encoding="utf-8")
        out = tmp_path / "out"
        worker = _start(["worker", "--broker", redis_url, "--time-limit", "4", "--lang", "en"], tmp_path / "worker.log")
        batch = _start(["batch", str(sites), "--out", str(out), "--broker", redis_url, "--concurrency", "1"],
                       tmp_path / "batch.log")
        try:
            assert batch.wait(90) == 0, (tmp_path / "batch.log").read_text()
            ended = time.time()
            time.sleep(1.5)
            late = [e for e in slow.own_requests() if e[0] > ended]
        finally:
            for proc in (worker, batch):
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)
    verdicts = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*/verdict.json")]
    assert [v["status"] for v in verdicts] == ["failed"]
    assert "time limit (4 s)" in verdicts[0]["reason"] or "时间限制（4 秒）" in verdicts[0]["reason"]
    assert len(slow.own_requests()) < SLOW_PAGES          # stopped in the middle of the crawl
    assert not late                                         # and its crawl process died with it
    assert "time limit" in (tmp_path / "worker.log").read_text()
