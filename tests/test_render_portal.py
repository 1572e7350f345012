"""``govseo run --render`` on the sample portal with real Chromium: the script-only service is crawled and gated
(js-only-link), the API-filled guide and the script-written title are in the stored rendered DOM; and neither
Ctrl-C nor kill -9 of a running ``govseo run --render`` leaves a Chromium process behind."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GOVSEO_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.async_api", reason="playwright not installed (pip install -e '.[test]')")

from govseo.sample_portal import load_manifest  # noqa: E402
from tests.conftest import REPO, govseo  # noqa: E402
from tests.proctree import alive, command, descendants  # noqa: E402

RENDER = {case["case"]: case for case in load_manifest()["render"]}


@pytest.fixture(scope="module")
def rendered_run(portal: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("render-run")
    govseo("run", portal, "--out", str(out), "--render", "--quiet", "--no-autothrottle", timeout=600)
    return portal, out


def dom_of(db: Path, url: str) -> tuple[str, str | None]:
    conn = sqlite3.connect(db)
    try:
        status, dom = conn.execute("SELECT r.status, r.dom FROM renders r JOIN urls u ON u.id = r.url_id WHERE u.url = ?",
                                   (url,)).fetchone()
    finally:
        conn.close()
    return status, zlib.decompress(dom).decode() if dom else None


def test_the_script_only_service_is_crawled_flagged_and_gated(rendered_run):
    portal, out = rendered_run
    case = RENDER["script-only-link"]
    url = portal.rstrip("/") + case["path"]
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert any(p["url"] == url and p["status"] == 200 for p in result["pages"])
    flagged = [f for f in result["findings"] if f["rule"] == "js-only-link"]
    assert [f["url"] for f in flagged] == [url]
    assert flagged[0]["evidence"]["script_sources"] == [portal.rstrip("/") + case["linked_from"]]
    service = next(s for s in result["services"] if s["url"] == url)
    assert "js-only-link" in service["reasons"] and service["score"] < 20
    fix = next(f for f in service["fixes"] if f["rule"] == "js-only-link")
    source = portal.rstrip("/") + case["linked_from"]
    assert source in fix["fix"] and f'<a href="{url}">' in fix["fix"] and source in fix["fix_en"]
    rule = next(r for r in result["rules"] if r["id"] == "js-only-link")
    assert rule["status"] != "n/a"
    (panel,) = service["views"]
    assert panel["engine"]["note"] == "no-link" and panel["citizen"]["via"] == source
    assert panel["citizen"]["status"] == 200 and panel["citizen"]["text_chars"] > 200
    (group,) = [f for f in result["fixes"] if f["rule"] == "js-only-link"]
    assert (group["kind"], group["target"], group["services"]) == ("script", case["linked_from"], 1)
    assert group["cause"].startswith(f"只有 {case['linked_from']} 上的脚本生成指向")


def test_the_rendered_dom_holds_what_scripts_wrote(rendered_run):
    portal, out = rendered_run
    db = out / "crawl.sqlite"
    guide = RENDER["api-filled-guide"]
    status, dom = dom_of(db, portal.rstrip("/") + guide["path"])
    assert status == "ok" and guide["rendered_text"] in dom and "bszn-table" in dom
    raw = sqlite3.connect(db).execute("SELECT f.body FROM fetches f JOIN urls u ON u.id = f.url_id WHERE u.url = ?",
                                      (portal.rstrip("/") + guide["path"],)).fetchone()[0]
    assert guide["rendered_text"] not in zlib.decompress(raw).decode()       # the raw HTML lacks it
    title = RENDER["script-title"]
    status, dom = dom_of(db, portal.rstrip("/") + title["path"])
    assert status == "ok" and f"<title>{title['rendered_title']}</title>" in dom


def test_the_api_filled_guide_is_flagged_with_both_counts(rendered_run):
    portal, out = rendered_run
    url = portal.rstrip("/") + RENDER["api-filled-guide"]["path"]
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    found = [f for f in result["findings"] if f["rule"] == "js-dependent-content"]
    assert [f["url"] for f in found] == [url]      # no other page of the portal: their scripts add no text
    evidence = found[0]["evidence"]
    assert evidence["view"] == "rendered" and evidence["raw_chars"] < 100 < 300 <= evidence["script_chars"]
    assert evidence["rendered_chars"] >= evidence["script_chars"]
    assert f"{evidence['raw_chars']} 个字" in found[0]["message"] and str(evidence["rendered_chars"]) in found[0]["message"]
    service = next(s for s in result["services"] if s["url"] == url)
    assert "js-dependent-content" in service["reasons"] and service["score"] < 20
    (panel,) = service["views"]        # the scorecard's side by side: what Baiduspider gets, what a citizen sees
    assert (panel["engine"]["status"], panel["engine"]["text_chars"]) == (200, evidence["raw_chars"])
    assert (panel["citizen"]["status"], panel["citizen"]["text_chars"]) == (200, evidence["rendered_chars"])
    assert panel["citizen"]["title"] == panel["engine"]["title"] and "灵活就业" in panel["citizen"]["title"]
    (fix,) = [f for f in result["fixes"] if f["rule"] == "js-dependent-content"]
    assert (fix["kind"], fix["target"], fix["services"]) == ("script", "/js/guide.js", 1)


def test_the_script_written_title_is_a_changed_declaration(rendered_run):
    portal, out = rendered_run
    case = RENDER["script-title"]
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    changed = {f["url"]: f for f in result["findings"] if f["rule"] == "js-changed-meta"}
    url = portal.rstrip("/") + case["path"]
    assert changed[url]["evidence"]["changes"] == [
        {"field": "title", "raw": case["raw_title"], "rendered": case["rendered_title"]}]
    assert changed[url]["severity"] == "warning"


def test_without_render_the_script_only_service_is_not_found(portal_crawl, portal):
    conn = sqlite3.connect(portal_crawl)
    try:
        url = portal.rstrip("/") + RENDER["script-only-link"]["path"]
        assert conn.execute("SELECT COUNT(*) FROM urls WHERE url = ?", (url,)).fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM renders").fetchone()[0] == 0
    finally:
        conn.close()


# ---------------------------------------------------------------------------- no Chromium left behind
def _start_rendering(portal: str, out: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A real ``govseo run --render``, once its Chromium processes are up: (process, chromium pids)."""
    proc = subprocess.Popen([sys.executable, "-m", "govseo", "run", portal, "--out", str(out), "--render", "--quiet"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    chromium: list[int] = []
    while time.monotonic() < deadline and len(chromium) < 3:
        time.sleep(0.2)
        chromium = [pid for pid in descendants(proc.pid) if "chromium" in (command(pid) or "")]
    assert len(chromium) >= 3, "Chromium did not start"
    time.sleep(1.0)    # pages are rendering
    chromium = [pid for pid in descendants(proc.pid) if "chromium" in (command(pid) or "")]
    return proc, chromium


def _wait_gone(pids: list[int], seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [pid for pid in pids if alive(pid) and "chromium" in (command(pid) or "")]
        if not left:
            return []
        time.sleep(0.2)
    return left


def test_kill_9_of_govseo_run_render_leaves_no_chromium(portal, tmp_path):
    proc, chromium = _start_rendering(portal, tmp_path / "out")
    everything = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _wait_gone(chromium) == []
    assert [pid for pid in everything if alive(pid) and command(pid) and "govseo" in command(pid)] == []


def test_ctrl_c_of_govseo_run_render_leaves_no_chromium_and_resume_finishes(portal, tmp_path):
    proc, chromium = _start_rendering(portal, tmp_path / "out")
    os.kill(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert _wait_gone(chromium) == []
    db = tmp_path / "out" / "crawl.sqlite"
    conn = sqlite3.connect(db)
    before = dict(conn.execute("SELECT url_id, rendered_at FROM renders"))
    conn.close()
    govseo("run", portal, "--out", str(tmp_path / "out"), "--render", "--resume", "--quiet", timeout=600)
    conn = sqlite3.connect(db)
    after = dict(conn.execute("SELECT url_id, rendered_at FROM renders"))
    html_pages = conn.execute("SELECT COUNT(*) FROM fetches WHERE status = 200 AND charset_used IS NOT NULL").fetchone()[0]
    conn.close()
    assert {k: after[k] for k in before} == before        # what was rendered is not rendered again
    assert len(after) == html_pages                       # and the rest is
