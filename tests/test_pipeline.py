"""`govseo run` crawls in a child process while another parses pages beside it (audits/feed.py).

The pipeline must change nothing but the speed: the same findings, services and scores as a re-audit
of the same store, a Ctrl-C that stops both processes cleanly, and no orphan crawler left writing.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from audits import engine
from audits.config import Config
from audits.feed import FeedProcess, PageFeed
from audits.rules import ALL_RULES
from audits.site import load_site
from crawler.store import CrawlStore, StoreError
from tests.conftest import REPO, govseo


def _comparable(path: Path) -> dict:
    result = json.loads(path.read_text(encoding="utf-8"))
    return {"site": result["site"], "findings": result["findings"], "services": result["services"],
            "pages": result.get("pages"), "rules": result.get("rules")}


def test_run_with_the_feed_equals_a_re_audit_of_its_store(portal, tmp_path):
    out = tmp_path / "run"
    govseo("run", portal, "--out", str(out), "--quiet")
    govseo("audit", "--db", str(out / "crawl.sqlite"), "--out", str(tmp_path / "again.json"))
    ran, again = _comparable(out / "result.json"), _comparable(tmp_path / "again.json")
    assert ran["findings"] and ran["services"]
    assert ran == again


def _fresh_and_fed(db: Path, placed, shelf) -> tuple:
    """The site loaded from the store alone, and loaded with a feed's pages, which must all come from
    its shelf (none parsed again) and be the same pages."""
    store = CrawlStore(db, create=False)
    try:
        fresh = load_site(store)
        shelved = shelf.size
        fed = load_site(store, placed, shelf)
    finally:
        store.close()
    assert shelf.size == shelved
    assert set(fed.pages) == set(fresh.pages)
    return fresh, fed


def test_feed_pages_and_segmentation_match_a_fresh_load(portal_crawl):
    feed = PageFeed(portal_crawl)
    while feed.poll(limit=7):        # small batches: the watermark must not skip or repeat pages
        pass
    feed.close()
    fresh, fed = _fresh_and_fed(portal_crawl, feed.placed, feed.shelf)
    assert len(feed.placed) == sum(p.where is not None for p in fresh.pages.values()) > 100
    tokenizer = fresh.tokenizer
    for page in fresh.html_pages():
        # one segmentation per block, concatenated, is the segmentation of the joined main text
        joined = tokenizer.terms_and_words("\n".join(fresh.main_blocks(page)))
        assert (fed.terms(page), fed.word_count(page)) == joined, page.url
        assert fed.main_blocks(page) == fresh.main_blocks(page)
        assert fed.pages[page.id].artifacts == page.artifacts


def test_feed_process_hands_its_shelf_to_the_audit(portal_crawl):
    feed = FeedProcess(portal_crawl)
    feed.start()
    fed = feed.finish()           # reads every committed page before it answers
    feed.stop()
    assert fed is not None and feed.failure is None and not feed.process.is_alive()
    assert fed.shelf.size > 0
    fresh, site = _fresh_and_fed(portal_crawl, fed.placed, fed.shelf)      # the child's pages
    html = list(fresh.html_pages())
    assert len(html) > 100
    for page in html:
        assert site.pages[page.id].artifacts == page.artifacts
        assert (site.terms(page), site.word_count(page)) == (fresh.terms(page), fresh.word_count(page))
    fed.release()


def test_a_feed_process_that_dies_leaves_the_parsing_to_the_audit(portal_crawl):
    feed = FeedProcess(portal_crawl)
    feed.start()
    feed.process.kill()
    assert feed.finish() is None and feed.failure
    feed.stop()
    stopped = FeedProcess(portal_crawl)       # the Ctrl-C path: stopped before it finishes
    stopped.start()
    stopped.stop()
    assert not stopped.process.is_alive()


def test_local_rules_judge_the_same_in_windows_of_any_size(portal_crawl, monkeypatch):
    """Rules marked local run over windows of pages: any window size gives the same result."""
    def audit(window: int) -> dict:
        monkeypatch.setattr(engine, "WINDOW", window)
        return engine.audit_store(portal_crawl, Config())

    whole, small = audit(10**9), audit(7)
    assert whole["findings"] and whole == small
    local = {rule.id for rule in ALL_RULES if rule.local}
    assert len(local) >= 20 and len({f["rule"] for f in small["findings"]} & local) >= 10   # the test has teeth


def _fetches(db: Path) -> int:
    try:
        store = CrawlStore(db, create=False)
    except StoreError:        # created, its tables not yet: the crawler process is starting
        return 0
    try:
        return store.count("fetches")
    finally:
        store.close()


def test_ctrl_c_on_run_stops_crawler_and_parent_then_resume_completes(portal, portal_crawl, tmp_path):
    out = tmp_path / "out"
    db = out / "crawl.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "govseo", "run", portal, "--out", str(out), "--concurrency", "1", "--delay", "0.05",
         "--no-autothrottle"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while (not db.exists() or _fetches(db) < 10) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)          # to the parent only, as a terminal's Ctrl-C reaches it
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "--resume" in err and "Traceback" not in err
    stopped_at = _fetches(db)
    time.sleep(1.0)
    assert _fetches(db) == stopped_at, "a crawler process kept writing after govseo exited"
    assert not (out / "result.json").exists()
    govseo("run", portal, "--out", str(out), "--quiet", "--resume")
    assert _fetches(db) == _fetches(portal_crawl)
    assert json.loads((out / "result.json").read_text(encoding="utf-8"))["findings"]


def test_bodies_stay_on_disk_and_are_read_back_exactly(portal_crawl):
    store = CrawlStore(portal_crawl, create=False)
    try:
        site = load_site(store)
        stored = {r.url_id: r.body for r in store.iter_fetches()}
    finally:
        store.close()          # the site reopens the store itself for the bodies it needs
    assert all(page.record.compressed_body is None for page in site.pages.values())
    html = [p for p in site.html_pages() if stored[p.id]]
    assert len(html) > 100
    for page in html[:40]:
        assert site.body(page) == stored[page.id]


def test_a_big_crawl_leaves_the_tokenizer_until_it_ends(tmp_path, monkeypatch):
    import audits.feed as feed_module

    loaded: list[bool] = []
    monkeypatch.setattr(feed_module, "get_tokenizer", lambda: loaded.append(True))
    for early, calls in ((True, 1), (False, 0)):
        loaded.clear()
        feed = FeedProcess(tmp_path / "crawl.sqlite", tokenizer_early=early)
        while feed.warm_up():
            pass
        feed.stop()                     # never started: closes its shelf file and pipe
        assert len(loaded) == calls, early
