"""The command line end to end: real crawls of local servers, real files, one-line errors."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
from conftest import govseo

GOLDEN = Path(__file__).parent / "golden" / "demo-result.json"


def normalise(result: dict, base: str) -> dict:
    """result.json without what changes between runs: the port, timestamps, the version."""
    text = json.dumps(result, ensure_ascii=False, sort_keys=True).replace(base.rstrip("/"), "http://PORTAL")
    data = json.loads(text)
    data["crawl"]["started_at"] = data["crawl"]["finished_at"] = None
    data["tool"]["version"] = None
    return data


def test_run_writes_every_output_and_matches_the_golden_result(portal, tmp_path):
    out = tmp_path / "out"
    proc = govseo("run", portal, "--out", str(out), "--quiet")
    for name in ("crawl.sqlite", "result.json", "report.html", "findings.csv", "pages.csv"):
        assert (out / name).stat().st_size > 0, name
        assert str(out / name) in proc.stdout or name == "crawl.sqlite"
    assert "站点得分" in proc.stdout
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert result["schema_version"] == 1 and result["crawl"]["complete"] is True
    got = normalise(result, portal)
    if os.environ.get("GOVSEO_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got == expected, "result.json differs from tests/golden/demo-result.json " \
                            "(if the change is intended: GOVSEO_UPDATE_GOLDEN=1 make test)"

    raw = (out / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == len(result["findings"])
    assert all(row[col][:1] not in "=+-@" for row in rows for col in row if row[col])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "云溪市人民政府" in html
    assert all(f["url"] in html for f in result["findings"][:20])


def test_audit_reaudits_a_stored_crawl_without_network(tmp_path):
    """Crawl a portal, stop its server, then audit: same result as the live run, nothing fetched."""
    from govseo.sample_portal import serve_portal

    db = tmp_path / "crawl.sqlite"
    with serve_portal() as base:
        govseo("crawl", base, "--db", str(db), "--quiet")
    first = govseo("audit", "--db", str(db), "--out", str(tmp_path / "a.json"))
    second = govseo("audit", "--db", str(db), "--out", str(tmp_path / "b.json"), "--lang", "en")
    assert "site score" in second.stdout and "站点得分" in first.stdout
    a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert a == b and a["crawl"]["pages"] > 100
    report = govseo("report", str(tmp_path / "a.json"), "--out", str(tmp_path / "rep"), "--lang", "en")
    assert (tmp_path / "rep" / "report.html").is_file() and "report.html" in report.stdout
    assert 'lang="en"' in (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "rep" / "services.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # two sites and a history: one directory per site plus an index ranking them
    b["crawl"]["start_urls"] = ["http://county.example/"]
    b["site"]["url"] = "http://county.example/"
    (tmp_path / "county.json").write_text(json.dumps(b, ensure_ascii=False), encoding="utf-8")
    multi = govseo("report", str(tmp_path / "a.json"), str(tmp_path / "county.json"), "--out", str(tmp_path / "all"),
                   "--history", str(tmp_path / "a.json"))
    assert (tmp_path / "all" / "index.html").is_file() and "index.html" in multi.stdout
    assert len(list((tmp_path / "all").glob("*/report.html"))) == 2


def test_demo_command(tmp_path):
    proc = govseo("demo", "--out", str(tmp_path / "demo"))
    assert "127.0.0.1" in proc.stderr
    assert (tmp_path / "demo" / "report.html").is_file()


def test_rules_catalogue_in_both_languages():
    zh = govseo("rules").stdout
    en = govseo("rules", "--lang", "en").stdout
    for rule_id in ("http-error", "title-duplicate", "sitemap-missing"):
        assert rule_id in zh and rule_id in en
    assert "页面缺少标题" in zh and "Page title missing" in en


def one_line_error(proc, pattern: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert re.search(pattern, lines[0]), lines[0]


@pytest.mark.parametrize(("args", "pattern"), [
    (["run", "not a url", "--out", "{tmp}/o"], "不是有效的网址"),
    (["run", "ftp://example.com/", "--out", "{tmp}/o"], "不是有效的网址"),
    (["run", "http://127.0.0.1:9/", "--out", "{tmp}/o", "--quiet"], "无法访问起始网址.*127.0.0.1:9"),
    (["run", "http://127.0.0.1:9/", "--out", "/proc/govseo-cannot-write", "--quiet"], "无法写入输出目录"),
    (["crawl", "http://127.0.0.1:9/", "--db", "{tmp}/x.sqlite", "--exclude", "("], "正则表达式无效"),
    (["audit", "--db", "{tmp}/missing.sqlite", "--out", "{tmp}/r.json"], "找不到抓取数据库"),
    (["audit", "--db", "{tmp}/garbage.sqlite", "--out", "{tmp}/r.json"], "无法使用的抓取数据库"),
    (["report", "{tmp}/garbage.sqlite", "--out", "{tmp}/rep"], "无法读取结果文件"),
    (["report", "{tmp}/other.json", "--out", "{tmp}/rep"], "不是 govseo 的结果文件"),
    (["rules", "--config", "{tmp}/bad.toml"], "未知的规则"),
    (["rules", "--config", "{tmp}/missing.toml"], "找不到配置文件"),
    (["audit", "--db", "{tmp}/x.sqlite", "--out", "{tmp}/r.json", "--queries", "{tmp}/none.csv"], "找不到搜索词文件"),
    (["audit", "--db", "{tmp}/x.sqlite", "--out", "{tmp}/r.json", "--queries", "{tmp}/bad.csv"], "搜索词文件.*query,url"),
    (["audit", "--db", "{tmp}/x.sqlite", "--out", "{tmp}/r.json", "--queries", "{tmp}/badurl.csv"], "line 2"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, pattern):
    (tmp_path / "garbage.sqlite").write_bytes(b"not a database" * 50)
    (tmp_path / "other.json").write_text('{"hello": 1}')
    (tmp_path / "bad.toml").write_text('[rules.no-such-rule]\nseverity = "off"\n')
    (tmp_path / "bad.csv").write_text("words,page\n违章,\n", encoding="utf-8")
    (tmp_path / "badurl.csv").write_text("query,url\n违章,javascript:alert(1)\n", encoding="utf-8")
    proc = govseo(*[a.replace("{tmp}", str(tmp_path)) for a in args], check=False)
    one_line_error(proc, pattern)


def test_config_turns_a_rule_off_and_changes_severity(portal_crawl, tmp_path):
    config = tmp_path / "govseo.toml"
    config.write_text('[rules.h1-missing]\nseverity = "off"\n[rules.description-missing]\nseverity = "error"\n',
                      encoding="utf-8")
    govseo("audit", "--db", str(portal_crawl), "--out", str(tmp_path / "r.json"), "--config", str(config))
    result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rules = {r["id"]: r for r in result["rules"]}
    assert rules["h1-missing"]["status"] == "off"
    assert not [f for f in result["findings"] if f["rule"] == "h1-missing"]
    assert {f["severity"] for f in result["findings"] if f["rule"] == "description-missing"} == {"error"}


def test_audit_with_citizen_queries(portal, portal_crawl, tmp_path):
    queries = tmp_path / "q.csv"
    queries.write_text(f"query,url\n违章处理,{portal}bsfw/grbs/202609/t20260915_2001.html\n居住证办理,"
                       f"{portal}bsfw/grbs/202609/t20260916_2004.html\n政务公开,\n", encoding="utf-8-sig")
    govseo("audit", "--db", str(portal_crawl), "--out", str(tmp_path / "r.json"), "--queries", str(queries))
    result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    positions = {q["query"]: q["position"] for q in result["queries"]}
    assert positions == {"违章处理": None, "居住证办理": 1, "政务公开": None}
    unanswered = [f for f in result["findings"] if f["rule"] == "query-unanswered"]
    assert [f["evidence"]["query"] for f in unanswered] == ["违章处理"]
