"""Engine views over real crawls (``govseo crawl`` against tests/routeserver.py): each engine's documented
User-Agent, robots.txt obeyed per engine, the bounded and deterministic choice of URLs, and --resume."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

from conftest import govseo
from routeserver import serve_routes

from crawler.engines import ENGINES, MAX_SAMPLE, MAX_SERVICES, plan

HTML = [("Content-Type", "text/html; charset=utf-8")]
CHALLENGE = b'<html><script>var $_ts=window["$_ts"];$_ts.nsd=1;location.reload()</script></html>'
ROBOTS = b"User-agent: Sogou web spider\nDisallow: /zwgk/\n\nUser-agent: *\nAllow: /\n"


class Recorder:
    """Counts requests per (path, User-Agent), from the server's threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: Counter[tuple[str, str]] = Counter()

    def __call__(self, handler) -> None:
        with self.lock:
            self.seen[(handler.path, handler.headers.get("User-Agent", ""))] += 1

    def engine_requests(self) -> Counter[tuple[str, str]]:
        names = {e.user_agent: e.name for e in ENGINES}
        with self.lock:
            return Counter({(path, names[ua]): n for (path, ua), n in self.seen.items() if ua in names})


def site(recorder: Recorder, services: int, others: int) -> dict:
    def answer(body: bytes, gated: bool = False):
        def route(handler):
            recorder(handler)
            if gated and "Baiduspider" in handler.headers.get("User-Agent", ""):
                return 412, HTML, CHALLENGE
            return 200, HTML, body
        return route

    service_paths = [f"/bsfw/{n:03d}.html" for n in range(services)]
    other_paths = [f"/zwgk/{n:03d}.html" for n in range(others)]
    home = "".join(f'<a href="{p}">{p}</a>' for p in (*service_paths, *other_paths)).encode()
    routes = {"/": answer(b"<html><title>home</title>" + home), "/robots.txt": answer(ROBOTS)}
    for n, path in enumerate(service_paths):
        routes[path] = answer(f"<html><title>guide {n}</title><p>{'text ' * 50}</p></html>".encode(), gated=n == 0)
    for n, path in enumerate(other_paths):
        routes[path] = answer(f"<html><title>page {n}</title></html>".encode())
    return routes


def views(db: Path) -> dict[tuple[str, str], tuple]:
    conn = sqlite3.connect(db)
    try:
        return {(url.split("/", 3)[3], engine): rest for url, engine, *rest in conn.execute(
            "SELECT url, engine, status, markers, error, body IS NOT NULL, fetched_at FROM engine_views")}
    finally:
        conn.close()


def test_each_engine_fetches_with_its_user_agent_and_obeys_its_robots_group(tmp_path):
    recorder = Recorder()
    with serve_routes(site(recorder, services=3, others=4)) as base:
        govseo("crawl", base, "--db", str(tmp_path / "c.sqlite"), "--quiet")
    asked = recorder.engine_requests()
    stored = views(tmp_path / "c.sqlite")
    names = [e.name for e in ENGINES]
    pages = ["", "bsfw/000.html", "bsfw/001.html", "bsfw/002.html", *(f"zwgk/{n:03d}.html" for n in range(4))]
    assert set(stored) == {(p, e) for p in [*pages, "robots.txt"] for e in names}
    # Sogou's own group forbids /zwgk/: recorded, never asked; the other engines asked each URL once
    for n in range(4):
        assert stored[(f"zwgk/{n:03d}.html", "Sogou web spider")][2] == "blocked-by-robots"
        assert (f"/zwgk/{n:03d}.html", "Sogou web spider") not in asked
    assert set(asked.values()) == {1} and len(asked) == len(stored) - 4
    # the gated guide: a 412 challenge for both Baidu crawlers, kept (small); the page for the others
    for engine in names:
        status, markers, error, kept, _ = stored[("bsfw/000.html", engine)]
        baidu = engine.startswith("Baiduspider")
        assert (status, markers, kept) == ((412, '["$_ts"]', 1) if baidu else (200, "[]", 0)), engine
        assert error is None
    # govseo's own crawl asked every page once, with its own User-Agent
    own = Counter(path for (path, ua), n in recorder.seen.items() for _ in range(n) if ua.startswith("govseo/"))
    assert all(own["/" + p] == 1 for p in pages)


def test_the_choice_is_bounded_and_deterministic():
    pages = [(n, f"http://h/bsfw/{n:04d}.html") for n in range(1, 301)]
    pages += [(n, f"http://h/zwgk/{n:04d}.html") for n in range(301, 501)]
    pages.append((501, "http://h/"))
    first = plan(["http://h/"], pages, ["http://h"], set())
    per_engine = [(uid, url) for uid, url, engine in first if engine == "Baiduspider"]
    assert len(first) == len(ENGINES) * len(per_engine) == len(ENGINES) * (2 + MAX_SERVICES + MAX_SAMPLE)
    assert per_engine[0] == (None, "http://h/robots.txt") and per_engine[1] == (501, "http://h/")
    services = [url for _, url in per_engine if "/bsfw/" in url]
    assert services == [f"http://h/bsfw/{n:04d}.html" for n in range(1, MAX_SERVICES + 1)]
    # the sample: the same whatever order the pages come in, spread over the site (not the first 50)
    assert plan(["http://h/"], list(reversed(pages)), ["http://h"], set()) == first
    sample = [url for _, url in per_engine if "/zwgk/" in url]
    assert len(sample) == MAX_SAMPLE and max(sample) > f"http://h/zwgk/{301 + MAX_SAMPLE:04d}.html"
    # views already stored are not planned again
    done = {(url, engine) for _, url, engine in first[:7]}
    assert plan(["http://h/"], pages, ["http://h"], done) == first[7:]


def test_resume_does_not_fetch_stored_views_again(tmp_path):
    recorder = Recorder()
    db = tmp_path / "c.sqlite"
    with serve_routes(site(recorder, services=2, others=2)) as base:
        govseo("crawl", base, "--db", str(db), "--quiet")
        first = recorder.engine_requests()
        before = views(db)
        # a crawl killed during the views pass: two views lost
        conn = sqlite3.connect(db)
        conn.execute("DELETE FROM engine_views WHERE url LIKE '%/bsfw/001.html' AND engine IN ('Googlebot', '360Spider')")
        conn.commit()
        conn.close()
        govseo("crawl", base, "--db", str(db), "--resume", "--quiet")
        second = recorder.engine_requests() - first
    assert second == Counter({("/bsfw/001.html", "Googlebot"): 1, ("/bsfw/001.html", "360Spider"): 1})
    after = views(db)
    assert set(after) == set(before)
    assert all(after[k][-1] == before[k][-1] for k in before if not k[0].startswith("bsfw/001"))
