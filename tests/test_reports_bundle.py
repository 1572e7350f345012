"""Tests of write_report: one site, several sites with an index, history matching, and the size budget."""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path

import lxml.html
import pytest
from result_factory import make_large_result, make_result, make_service

from reports import write_report
from reports.bundle import history_for
from reports.index import site_dirs, site_key

SCRIPT_TITLE = "<script>alert(1)</script>"


def _site(name: str, url: str, score: int | None) -> dict:
    result = make_result()
    result["site"].update(name=name, url=url, score=score)
    result["services"] = [make_service(1, "社会保险登记", url + "sb.html", 20),
                          make_service(2, "户口迁移", url + "hk.html", 80)]
    return result


def test_single_site_writes_five_files(tmp_path: Path) -> None:
    paths = write_report([make_result()], tmp_path / "out")
    assert [p.name for p in paths] == ["report.html", "findings.csv", "pages.csv", "services.csv", "fixes.csv"]
    assert all(p.parent == tmp_path / "out" and p.is_file() for p in paths)
    assert sorted(os.listdir(tmp_path / "out")) == sorted(p.name for p in paths)
    html = paths[0].read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in html and 'id="trend"' not in html


def test_single_site_history_is_used_whatever_its_host(tmp_path: Path) -> None:
    old = make_result()
    old["site"]["url"] = "https://renamed.gov.cn/"
    old["crawl"]["started_at"] = "2026-01-01T00:00:00Z"
    paths = write_report([make_result()], tmp_path, "en", [old])
    html = paths[0].read_text(encoding="utf-8")
    assert 'lang="en"' in html and 'id="trend"' in html and "Score trend" in html


def test_several_sites_get_directories_and_an_index(tmp_path: Path) -> None:
    results = [_site("云溪市人民政府", "http://www.yunxi.gov.cn/", 72),
               _site(SCRIPT_TITLE, "https://shiqiao.gov.cn:8443/", 45),
               _site("无分站点", "http://www.yunxi.gov.cn/", None)]
    old = copy.deepcopy(results[0])
    old["crawl"]["started_at"] = "2026-01-01T00:00:00Z"
    paths = write_report(results, tmp_path, "zh", [old, make_result()])
    names = [str(p.relative_to(tmp_path)) for p in paths]
    assert names[-1] == "index.html" and len(names) == 16
    assert names[:4] == [f"www.yunxi.gov.cn/{f}" for f in ("report.html", "findings.csv", "pages.csv", "services.csv")]
    assert "shiqiao.gov.cn-8443/report.html" in names and "www.yunxi.gov.cn-2/report.html" in names
    # history goes to the site with the same host: both yunxi reports, not shiqiao
    assert 'id="trend"' in (tmp_path / "www.yunxi.gov.cn/report.html").read_text(encoding="utf-8")
    assert 'id="trend"' not in (tmp_path / "shiqiao.gov.cn-8443/report.html").read_text(encoding="utf-8")

    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert SCRIPT_TITLE not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    doc = lxml.html.document_fromstring(index)
    assert len(doc.xpath("//script")) == 1 and not doc.xpath("//img")
    rows = doc.xpath('//table[contains(@class,"sites")]/tbody/tr')
    assert [r.xpath("string(td[1])") for r in rows] == ["1", "2", "3"]
    assert [r.xpath("string(td[2]/a[1])") for r in rows] == [SCRIPT_TITLE, "云溪市人民政府", "无分站点"]
    assert [r.xpath("string(td[2]/a[1]/@href)") for r in rows] == \
        ["shiqiao.gov.cn-8443/report.html", "www.yunxi.gov.cn/report.html", "www.yunxi.gov.cn-2/report.html"]
    assert rows[0].xpath("string(td[9])").strip() == "1 / 2"  # hard-to-find services
    for href in doc.xpath("//a/@href"):
        assert (tmp_path / href).is_file() or href.startswith("http"), href
    bars = doc.xpath('//svg[@id="chart-sites"]/g')
    assert [b.xpath('string(text[@class="val"])') for b in bars] == ["45", "72", "不适用"]   # never 0 for null


def test_write_report_rejects_nothing_and_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_report([], tmp_path)
    with pytest.raises(ValueError):
        write_report([make_result()], tmp_path, "fr")


@pytest.mark.parametrize(("site", "crawl", "key"), [
    ({"url": "http://WWW.Yunxi.gov.cn/x"}, {}, "www.yunxi.gov.cn"),
    ({"url": "https://a.gov.cn:8443/"}, {}, "a.gov.cn-8443"),
    ({}, {"start_urls": ["http://b.gov.cn/"]}, "b.gov.cn"),
    ({"url": "http://[::1"}, {}, ""),
    ({"name": "云溪"}, {}, "云溪"),
])
def test_site_key(site: dict, crawl: dict, key: str) -> None:
    assert site_key({"site": site, "crawl": crawl}) == key


def test_site_dirs_are_safe_and_distinct() -> None:
    results = [{"site": {"url": "http://a.gov.cn/"}}, {"site": {"url": "http://a.gov.cn/"}},
               {"site": {"name": "../../etc"}}, {"site": {"name": "云溪"}}, {}, {"site": {"name": "..."}}]
    dirs = site_dirs(results)
    assert dirs == ["a.gov.cn", "a.gov.cn-2", "etc", "site-4", "site-5", "site-6"]
    assert history_for(results[0], [results[1], results[2], None]) == [results[1]]


def test_large_crawl_report_stays_under_10_mb(tmp_path: Path) -> None:
    result = make_large_result(pages=50_000, findings=100_000, services=2_000)
    start = time.perf_counter()
    paths = write_report([result], tmp_path)
    elapsed = time.perf_counter() - start
    size = paths[0].stat().st_size
    print(f"report.html {size / 1e6:.2f} MB; write_report {elapsed:.1f} s")
    assert size < 10 * 1024 * 1024
    html = paths[0].read_text(encoding="utf-8")
    assert "仅显示前 500 个页面（共 50000 个）" in html
    assert "另有 1500 项未显示，完整列表见 services.csv。" in html
    assert "另有 2172 条，见 findings.csv" in html  # 100000 / 45 rules, 50 rows each shown
    assert "另有 700 项未显示，见 fixes.csv。" in html and html.count('class="topfix ') == 5
    with open(paths[4], encoding="utf-8-sig") as handle:
        assert sum(1 for _ in handle) == 1_001
    with open(paths[1], encoding="utf-8-sig") as handle:
        assert sum(1 for _ in handle) == 100_001
    assert elapsed < 60


def test_huge_crawled_strings_are_clipped() -> None:
    from result_factory import ROOT, make_finding, make_page

    from reports.html import render_html

    big = "长" * 20_000
    result = make_result(
        pages=[make_page(ROOT + big + str(i), title=big) for i in range(600)],
        findings=[make_finding("title-missing", ROOT + big, message=big,
                               evidence={f"k{j}": [big] * 50 for j in range(50)}) for i in range(600)],
        services=[{**make_service(i, big, ROOT + big, 10, reasons=[big] * 50), "fixes": [{"rule": "x", "fix": big}] * 50,
                   "queries": [{"query": big}] * 50, "everyday_missing": [big] * 50} for i in range(50)],
        sections=[{"name": big, "hardest": big, "score": 1} for _ in range(300)],
    )
    result["rules"][0].update(description=big, fix=big, title=big)
    html = render_html(result)
    assert len(html.encode()) < 4 * 1024 * 1024, len(html.encode())
    assert "长" * 2001 not in html
