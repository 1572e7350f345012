"""A crawl killed with SIGKILL midway resumes to the same pages and links as an uninterrupted one."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, govseo


def snapshot(db: Path) -> tuple[dict[str, tuple], set[tuple]]:
    conn = sqlite3.connect(db)
    try:
        pages = {url: (status, error, location) for url, status, error, location in conn.execute(
            "SELECT u.url, f.status, f.error, f.location FROM fetches f JOIN urls u ON u.id = f.url_id")}
        links = set(conn.execute(
            "SELECT s.url, t.url, l.tag, l.anchor FROM links l JOIN urls s ON s.id = l.source_id"
            " JOIN urls t ON t.id = l.target_id"))
        states = dict(conn.execute("SELECT state, COUNT(*) FROM urls GROUP BY state"))
    finally:
        conn.close()
    assert states.get("queued", 0) == 0, states
    return pages, links


def count_fetches(db: Path) -> int:
    try:
        conn = sqlite3.connect(db, timeout=0.2)
        try:
            return conn.execute("SELECT COUNT(*) FROM fetches").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_sigkill_then_resume_matches_uninterrupted_crawl(portal, portal_crawl, tmp_path):
    db = tmp_path / "killed.sqlite"
    # Slow the crawl down so it is surely killed midway: one request at a time, 50 ms apart.
    proc = subprocess.Popen(
        [sys.executable, "-m", "govseo", "crawl", portal, "--db", str(db), "--quiet", "--concurrency", "1",
         "--delay", "0.05", "--no-autothrottle"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while count_fetches(db) < 20 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert proc.poll() is None, "the crawl finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = count_fetches(db)
    expected_pages, expected_links = snapshot(portal_crawl)
    assert 20 <= killed_at < len(expected_pages)

    # Without --resume the store is refused rather than overwritten.
    refused = govseo("crawl", portal, "--db", str(db), "--quiet", check=False)
    assert refused.returncode == 2 and "--resume" in refused.stderr

    resumed = govseo("crawl", portal, "--db", str(db), "--quiet", "--resume", "--lang", "en")
    assert "Traceback" not in resumed.stderr
    # Only what the store lacked was fetched again.
    match = re.search(r"\((\d+) this run\)", resumed.stderr)
    assert match, resumed.stderr
    assert int(match.group(1)) == len(expected_pages) - killed_at
    pages, links = snapshot(db)
    assert pages == expected_pages
    assert links == expected_links
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'finished'").fetchone()[0] == "1"
    conn.close()


def test_ctrl_c_stops_cleanly_and_resume_completes(portal, portal_crawl, tmp_path):
    db = tmp_path / "interrupted.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "govseo", "crawl", portal, "--db", str(db), "--concurrency", "1",
         "--delay", "0.05", "--no-autothrottle"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    deadline = time.monotonic() + 60
    while count_fetches(db) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "--resume" in err and "Traceback" not in err
    govseo("crawl", portal, "--db", str(db), "--quiet", "--resume")
    assert snapshot(db) == snapshot(portal_crawl)
