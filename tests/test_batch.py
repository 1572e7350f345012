"""govseo batch, local mode, end to end: real crawls of small sites served on 127.0.0.1 (and one dead port),
two at once; the second run fetches nothing; an interrupted site resumes; the league; check DIR --baseline OLD."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, govseo
from proctree import alive, descendants
from routeserver import serve_routes

from govseo.batch.sites import site_folder


class Site:
    """A small portal whose requests are counted (path, by govseo's own User-Agent or an engine's)."""

    def __init__(self, title: str, pages: int, delay: float = 0.0, status: dict[str, int] | None = None) -> None:
        self.hits: Counter[tuple[str, bool]] = Counter()
        self.lock = threading.Lock()
        self.delay = delay
        self.status = status or {}
        links = "".join(f'<li><a href="/p{i}.html">{title}栏目{i}</a></li>' for i in range(pages))
        self.pages = {"/": f"<html lang='zh-CN'><head><title>{title}</title></head><body><ul>{links}</ul></body></html>",
                      "/robots.txt": "User-agent: *\nAllow: /\n"}
        for i in range(pages):
            self.pages[f"/p{i}.html"] = (f"<html lang='zh-CN'><head><title>{title}栏目{i}的文章</title></head>"
                                         f"<body><h1>{title}栏目{i}</h1><p>{title}第{i}篇文章的正文内容。</p>"
                                         "<a href='/'>首页</a></body></html>")

    def routes(self) -> dict[str, Any]:
        return {path: self._route(path) for path in self.pages}

    def _route(self, path: str) -> Any:
        def answer(handler: Any) -> tuple[int, list[tuple[str, str]], bytes]:
            own = handler.headers.get("User-Agent", "").startswith("govseo")
            with self.lock:
                self.hits[(path, own)] += 1
            if self.delay and own and path != "/robots.txt":       # engine views are not slowed down
                time.sleep(self.delay)
            kind = "text/plain" if path.endswith(".txt") else "text/html; charset=utf-8"
            return self.status.get(path, 200), [("Content-Type", kind)], self.pages[path].encode("utf-8")
        return answer

    def total(self) -> int:
        with self.lock:
            return sum(self.hits.values())

    def own(self) -> Counter[str]:
        """Requests with govseo's own User-Agent, by path (engine views re-fetch with theirs)."""
        with self.lock:
            return Counter({path: n for (path, own), n in self.hits.items() if own})


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _served(*sites: Site) -> Iterator[list[str]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(serve_routes(site.routes())) for site in sites]


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, Any]]:
    found = {"a": Site("甲市人民政府", 5), "b": Site("乙县人民政府", 4), "c": Site("丙区人民政府", 6),
             "d": Site("丁乡人民政府", 2, status={"/robots.txt": 503}), "e": Site("戊村", 2, status={"/": 500}),
             "f": Site("己街道", 2)}
    found["f"].pages["/robots.txt"] = "User-agent: *\nDisallow: /\n"
    with _served(*found.values()) as urls:
        found["urls"] = dict(zip("abcdef", urls, strict=True))
        found["dead"] = f"http://127.0.0.1:{_dead_port()}/"
        yield found


def _sites_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["url", "name", "group"])
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def first_batch(sites: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("batch")
    urls = sites["urls"]
    csv_path = _sites_csv(work / "SITES.csv", [(urls["a"], "甲市", "宜春市"), (urls["b"], "乙县", "宜春市"),
                                               (urls["c"], "=cmd|' /C calc'!A0", "萍乡市"),
                                               (sites["dead"], "死站", "萍乡市"), (urls["d"], "丁乡", ""),
                                               (urls["e"], "戊村", ""), (urls["f"], "己街道", "")])
    toml = work / "govseo.toml"
    toml.write_text('[batch.groups."萍乡市"]\nmax_pages = 3\n', encoding="utf-8")
    out = work / "out"
    proc = govseo("batch", str(csv_path), "--out", str(out), "--parallel", "2", "--max-pages", "30",
                  "--timeout", "5", "--config", str(toml), check=False)
    return {"out": out, "csv": csv_path, "toml": toml, "proc": proc,
            "totals": {k: sites[k].total() for k in "abcdef"}}


def _verdict(out: Path, url: str) -> dict[str, Any]:
    return json.loads((out / site_folder(url) / "verdict.json").read_text(encoding="utf-8"))


def test_every_site_gets_a_verdict(sites: dict[str, Any], first_batch: dict[str, Any]) -> None:
    proc, out, urls = first_batch["proc"], first_batch["out"], sites["urls"]
    assert proc.returncode == 0, proc.stderr
    for key in "abc":
        verdict = _verdict(out, urls[key])
        assert verdict["status"] == "ok" and verdict["reason"] is None
        assert isinstance(verdict["score"], int) and 0 <= verdict["score"] <= 100
        folder = out / verdict["folder"]
        assert {"crawl.sqlite", "result.json", "report.html", "verdict.json", "run.log"} <= \
            {p.name for p in folder.iterdir()}
        result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
        assert verdict["score"] == result["site"]["score"] and verdict["pages"] == result["crawl"]["pages"]
    assert _verdict(out, urls["a"])["pages"] == 6           # home and 5 pages
    assert _verdict(out, urls["c"])["pages"] <= 3           # [batch.groups."萍乡市"] max_pages = 3
    assert sites["c"].own()["/p5.html"] == 0
    dead = _verdict(out, sites["dead"])
    assert dead["status"] == "unreachable" and dead["score"] is None and dead["reason"] == "连接被拒绝"
    robots = _verdict(out, urls["d"])
    assert robots["status"] == "unreachable" and robots["score"] is None
    assert robots["reason"] == "robots.txt 无法获取（HTTP 503），搜索引擎会暂停抓取全站"
    home = _verdict(out, urls["e"])                 # answers, with an error: scored, and flagged
    assert home["status"] == "ok" and isinstance(home["score"], int) and home["vetoes"] == ["home_error"]
    assert _verdict(out, urls["a"])["vetoes"] == []
    blocked = _verdict(out, urls["f"])              # robots.txt keeps every crawler out: no crawl, no score
    assert blocked["status"] == "unreachable" and blocked["score"] is None and blocked["vetoes"] == ["robots_blocked"]
    assert blocked["reason"].startswith("robots.txt 禁止抓取首页")
    assert sites["f"].own()["/"] == 0
    assert "7/7" in proc.stderr and "站点无法访问" in proc.stderr
    assert "league.csv" in proc.stdout


def test_league_csv_and_page(sites: dict[str, Any], first_batch: dict[str, Any]) -> None:
    out, urls = first_batch["out"], sites["urls"]
    raw = (out / "league.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["url"] for r in rows[-3:]} == {sites["dead"], urls["d"], urls["f"]}
    scores = [int(r["score"]) for r in rows[:4]]
    assert scores == sorted(scores, reverse=True)
    by_url = {r["url"]: r for r in rows}
    assert by_url[urls["c"]]["name"] == "'=cmd|' /C calc'!A0" and by_url[urls["c"]]["group"] == "萍乡市"
    assert by_url[sites["dead"]]["score"] == "" and by_url[sites["dead"]]["verdict"].startswith("站点无法访问")
    assert by_url[urls["a"]]["pages"] == str(_verdict(out, urls["a"])["pages"])
    index = (out / "index.html").read_text(encoding="utf-8")
    for key in "abc":
        assert f'href="{site_folder(urls[key])}/report.html"' in index
    assert f'href="{site_folder(sites["dead"])}/report.html"' not in index
    assert "宜春市" in index and "萍乡市" in index and "Content-Security-Policy" in index
    assert "首页返回错误" in index and "robots.txt 无法获取" in index
    assert by_url[urls["e"]]["verdict"] == "已审计；首页返回错误"
    assert by_url[urls["f"]]["verdict"].startswith("站点无法访问；robots.txt 屏蔽百度蜘蛛（robots.txt 禁止抓取首页")


def test_second_run_fetches_nothing(sites: dict[str, Any], first_batch: dict[str, Any]) -> None:
    before = {k: sites[k].total() for k in "abcdef"}
    assert before == first_batch["totals"]
    stamp = (first_batch["out"] / "index.html").stat().st_mtime_ns
    proc = govseo("batch", str(first_batch["csv"]), "--out", str(first_batch["out"]), "--parallel", "2",
                  "--max-pages", "30", "--timeout", "5", "--config", str(first_batch["toml"]))
    assert {k: sites[k].total() for k in "abcdef"} == before
    assert proc.stderr.count("已有结果，跳过") == 7
    assert (first_batch["out"] / "index.html").stat().st_mtime_ns != stamp        # the league is rebuilt
    assert _verdict(first_batch["out"], sites["dead"])["status"] == "unreachable"


def _stop_midway(command: list[str], slow: Site, pages: int, how: signal.Signals) -> tuple[int, str, set[int]]:
    """Start the batch, let ``pages`` pages of the slow site be fetched, signal it; (exit code, stderr, the
    processes it had)."""
    batch = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while sum(n for p, n in slow.own().items() if p.startswith("/p")) < pages and time.monotonic() < deadline:
        time.sleep(0.05)
    family = set(descendants(batch.pid))
    batch.send_signal(how)
    _, stderr = batch.communicate(timeout=120)
    time.sleep(0.5)
    return batch.returncode, stderr, family


def test_kill_and_ctrl_c_leave_no_process_and_the_site_resumes(tmp_path: Path) -> None:
    slow = Site("丁镇人民政府", 14, delay=0.25)
    with _served(slow) as (url,):
        csv_path = _sites_csv(tmp_path / "SITES.csv", [(url, "丁镇", "")])
        out = tmp_path / "out"
        folder = out / site_folder(url)
        command = [sys.executable, "-m", "govseo", "batch", str(csv_path), "--out", str(out), "--concurrency", "1",
                   "--max-pages", "40", "--quiet"]
        code, _, family = _stop_midway(command, slow, 3, signal.SIGKILL)
        assert code == -signal.SIGKILL
        assert len(family) >= 3            # the site process, its crawl and its page feed
        assert [pid for pid in family if alive(pid)] == []
        assert (folder / "crawl.sqlite").is_file() and not (folder / "verdict.json").exists()

        code, stderr, family = _stop_midway(command, slow, 6, signal.SIGINT)
        assert code == 130, stderr
        assert "已中断" in stderr
        assert len(family) >= 3 and [pid for pid in family if alive(pid)] == []
        assert not (folder / "verdict.json").exists()
        fetched = slow.own()
        assert 0 < sum(n for p, n in fetched.items() if p.startswith("/p")) < 14

        proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        verdict = json.loads((folder / "verdict.json").read_text(encoding="utf-8"))
        assert verdict["status"] == "ok" and verdict["pages"] == 15
        again = slow.own()
        for path in (p for p in slow.pages if p.startswith("/p")):        # resumed: nothing stored is fetched again
            assert again[path] == (fetched[path] or 1), (path, fetched[path], again[path])
        # kill -9 loses only the request in flight (one at --concurrency 1); Ctrl-C lets it finish
        assert sum(n - 1 for p, n in again.items() if p.startswith("/p")) <= 1

        proc = subprocess.run([*command, "--refresh"], cwd=REPO, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        refreshed = slow.own()
        assert all(refreshed[p] == again[p] + 1 for p in slow.pages if p.startswith("/p"))   # --refresh: again
        assert json.loads((folder / "verdict.json").read_text(encoding="utf-8"))["finished_at"] >= \
            verdict["finished_at"]


def test_check_batch_against_an_older_batch(sites: dict[str, Any], first_batch: dict[str, Any],
                                            tmp_path: Path) -> None:
    old = first_batch["out"]
    same = govseo("check", str(old), "--baseline", str(old))
    assert "通过" in same.stdout.splitlines()[0]

    urls, b = sites["urls"], sites["b"]
    saved = dict(b.pages)
    b.pages["/"] = b.pages["/"].replace("<head>", "<head><meta name='robots' content='noindex'>")
    for i in range(4):
        b.pages[f"/p{i}.html"] = b.pages[f"/p{i}.html"].replace("<head>", "<head><meta name='robots' content='noindex'>")
    try:
        csv_path = _sites_csv(tmp_path / "SITES.csv", [(urls["a"], "甲市", "宜春市"), (urls["b"], "乙县", "宜春市")])
        new = tmp_path / "new"
        govseo("batch", str(csv_path), "--out", str(new), "--parallel", "2", "--max-pages", "30", "--quiet")
    finally:
        b.pages.update(saved)
    proc = govseo("check", str(new), "--baseline", str(old), check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert "未通过" in lines[0] and "退步 1 个" in lines[0] and "缺少 5 个" in lines[0]
    assert any(line.startswith(f"[退步] {site_folder(urls['b'])}") for line in lines)
    assert not any(line.startswith(f"[退步] {site_folder(urls['a'])}") for line in lines)
    assert any("noindex" in line for line in lines)
    assert sum(line.startswith("[缺少]") for line in lines) == 5

    english = govseo("check", str(old), "--baseline", str(new), "--lang", "en", check=False)
    assert english.returncode == 0, english.stdout
    assert "[NEW]" in english.stdout and "PASSED" in english.stdout


def test_check_batch_needs_a_batch_baseline(first_batch: dict[str, Any], tmp_path: Path) -> None:
    proc = govseo("check", str(first_batch["out"]), "--baseline", str(tmp_path / "none.json"), check=False)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    proc = govseo("check", str(tmp_path), check=False)
    assert proc.returncode == 2 and "verdict.json" in proc.stderr

