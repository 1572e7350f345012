"""govseo batch without crawling: SITES.csv, site folders, [batch] in govseo.toml, the league's figures and CSV,
and the command line's exit 2 for unusable input."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from conftest import govseo

from audits.config import Config, ConfigError, load_config
from govseo.batch.runner import run_argv, site_args, write_verdict
from govseo.batch.sites import SiteSpec, read_sites, site_folder
from govseo.commands import UsageError
from reports.league import league_context, read_verdicts, site_summary, write_league


def _csv(tmp_path: Path, text: str, name: str = "SITES.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


# ---------------------------------------------------------------------------- SITES.csv
def test_read_sites_with_bom_names_groups_and_blank_lines(tmp_path: Path) -> None:
    path = _csv(tmp_path, "url,name,group\r\nhttps://www.yichun.gov.cn/,宜春市人民政府,宜春市\r\n\r\n"
                          "http://127.0.0.1:8001,,\r\n\"http://a.gov.cn/x/y?z=1\",\"名称,带逗号\",市公安局\r\n", bom=True)
    sites = read_sites(path)
    assert [s.url for s in sites] == ["https://www.yichun.gov.cn/", "http://127.0.0.1:8001/", "http://a.gov.cn/x/y?z=1"]
    assert [(s.name, s.group, s.line) for s in sites] == [("宜春市人民政府", "宜春市", 2), ("", "", 4),
                                                          ("名称,带逗号", "市公安局", 5)]
    assert sites[0].folder == "www.yichun.gov.cn"
    assert sites[1].folder == "127.0.0.1_8001"
    assert sites[2].folder.startswith("a.gov.cn_") and len(sites[2].folder) == len("a.gov.cn_") + 8


def test_read_sites_url_column_only(tmp_path: Path) -> None:
    sites = read_sites(_csv(tmp_path, "url\nhttp://a.gov.cn/\n"))
    assert [(s.url, s.name, s.group) for s in sites] == [("http://a.gov.cn/", "", "")]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("name,url\nhttp://a.gov.cn/,a\n", 1, "表头"),
    ("url,name,group\nhttp://a.gov.cn/,a,b\nftp://b.gov.cn/,b,c\n", 3, "不是有效的网址"),
    ("url,name,group\nhttp://a.gov.cn/,a,b\n,b,c\n", 3, "网址为空"),
    ("url,name,group\nhttp://a.gov.cn/,a,b,extra\n", 2, "有 4 列"),
    ("url,name,group\nhttp://a.gov.cn/,a,b\nhttp://b.gov.cn/\nhttp://A.gov.cn:80/,dup,\n", 4, "与第 2 行相同"),
    ("url,name,group\nhttp://a.gov.cn/,a,b\nwww.b.gov.cn,b,c\n", 3, "www.b.gov.cn"),
    ("url,name,group\nhttp://a.gov.cn/,a,b\n\"http://b.gov.cn/,b,c\n", 3, "CSV"),    # a quote never closed
])
def test_read_sites_errors_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        read_sites(_csv(tmp_path, text))
    assert str(caught.value).startswith(f"SITES.csv 第 {line} 行：")
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_read_sites_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "SITES.csv"
    path.write_bytes(b"url,name,group\nhttp://a.gov.cn/,a,b\nhttp://b.gov.cn/," + "宜春".encode("gbk") + b",c\n")
    with pytest.raises(UsageError, match=r"^SITES.csv 第 3 行：不是 UTF-8"):
        read_sites(path)


def test_read_sites_english_and_empty(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^SITES.csv line 2: not a valid URL"):
        read_sites(_csv(tmp_path, "url\njavascript:alert(1)\n"), "en")
    with pytest.raises(UsageError, match="lists no site"):
        read_sites(_csv(tmp_path, "url,name,group\n\n"), "en")


def test_same_host_on_http_and_https_gets_distinct_folders(tmp_path: Path) -> None:
    sites = read_sites(_csv(tmp_path, "url\nhttp://a.gov.cn/\nhttps://a.gov.cn/\n"))
    assert sites[0].folder == "a.gov.cn"
    assert sites[1].folder.startswith("a.gov.cn_") and sites[1].folder != sites[0].folder


@pytest.mark.parametrize("url", ["http://../", "http://%2e%2e/", "http://a.gov.cn/../../etc/passwd",
                                 "http://xn--fiqs8s.gov.cn/;rm -rf ~", "http://[::1]:8080/", "http://.hidden.gov.cn/"])
def test_site_folder_stays_one_safe_name(url: str) -> None:
    folder = site_folder(url)
    assert folder and folder not in (".", "..") and not folder.startswith(".")
    assert set(folder) <= set("abcdefghijklmnopqrstuvwxyz0123456789._-"), folder
    assert "/" not in folder and ".." not in folder.split("_")[0].strip(".")


def test_site_folder_is_stable() -> None:
    assert site_folder("http://www.yichun.gov.cn/") == "www.yichun.gov.cn"
    assert site_folder("https://WWW.Yichun.gov.cn:443/") == "www.yichun.gov.cn"
    assert site_folder("http://a.gov.cn/zwgk/") == site_folder("http://a.gov.cn/zwgk/")
    assert site_folder("http://a.gov.cn/zwgk/") != site_folder("http://a.gov.cn/bsfw/")


# ---------------------------------------------------------------------------- [batch] and run options
def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "govseo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_batch_table_per_group_options_win(tmp_path: Path) -> None:
    config = load_config(_toml(tmp_path, '[batch]\nparallel = 3\n[batch.groups."市公安局"]\nmax_pages = 500\n'
                                         'render = false\nexclude = ["/search/"]\n'))
    assert config.batch == {"parallel": 3, "groups": {"市公安局": {"max_pages": 500, "render": False,
                                                                 "exclude": ["/search/"]}}}
    spec = SiteSpec("http://a.gov.cn/", "", "市公安局", "a.gov.cn", 2)
    args = site_args(spec, tmp_path / "a.gov.cn", ["--max-pages", "50", "--concurrency", "2"], config)
    assert (args.max_pages, args.concurrency, args.exclude, args.out) == (500, 2, ["/search/"],
                                                                          str(tmp_path / "a.gov.cn"))
    other = site_args(SiteSpec("http://b.gov.cn/", "", "", "b.gov.cn", 3), tmp_path / "b", ["--max-pages", "50"],
                      config)
    assert other.max_pages == 50


@pytest.mark.parametrize(("text", "words"), [
    ("[batch]\nparallel = 0\n", "parallel"),
    ("[batch]\nsites = 3\n", "unknown setting"),
    ('[batch.groups."g"]\nmax_pages = "many"\n', "max_pages"),
    ('[batch.groups."g"]\nmax_page = 5\n', "unknown option"),
    ('[batch.groups."g"]\ninclude = ["("]\n', "include"),
    ('[batch.groups."g"]\nrender = 1\n', "render"),
])
def test_batch_table_errors(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_config(_toml(tmp_path, text))


def test_run_argv_round_trips_the_run_options(tmp_path: Path) -> None:
    from govseo.cli import build_parser

    args = build_parser().parse_args(["batch", "s.csv", "--out", "d", "--max-pages", "7", "--exclude", "a",
                                      "--exclude", "b", "--no-autothrottle", "--delay", "0.5", "--quiet"])
    argv = run_argv(args)
    assert argv == ["--max-pages", "7", "--delay", "0.5", "--exclude", "a", "--exclude", "b", "--no-autothrottle"]
    parsed = site_args(SiteSpec("http://a.gov.cn/", "", "", "a", 2), tmp_path, argv, Config())
    assert (parsed.max_pages, parsed.delay, parsed.exclude, parsed.no_autothrottle) == (7, 0.5, ["a", "b"], True)


# ---------------------------------------------------------------------------- the command line: exit 2
def test_cli_bad_csv_line_and_bad_url_exit_2(tmp_path: Path) -> None:
    path = _csv(tmp_path, "url,name,group\nhttp://127.0.0.1:9/,a,b\nnot a url,b,c\n")
    proc = govseo("batch", str(path), "--out", str(tmp_path / "out"), check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["govseo: SITES.csv 第 3 行：不是有效的网址（需要 http:// 或 https:// "
                                                "开头）：not a url"]
    proc = govseo("batch", str(path), "--out", str(tmp_path / "out"), "--lang", "en", check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("govseo: SITES.csv line 3: not a valid URL")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_cli_unwritable_dir_exit_2(tmp_path: Path) -> None:
    path = _csv(tmp_path, "url\nhttp://127.0.0.1:9/\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        proc = govseo("batch", str(path), "--out", str(locked / "out"), check=False)
    finally:
        locked.chmod(0o700)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "无法写入输出目录" in proc.stderr


def test_cli_unwritable_dir_is_a_file_exit_2(tmp_path: Path) -> None:
    path = _csv(tmp_path, "url\nhttp://127.0.0.1:9/\n")
    (tmp_path / "file").write_text("x")
    proc = govseo("batch", str(path), "--out", str(tmp_path / "file" / "out"), "--lang", "en", check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[0].startswith("govseo: cannot write to output directory")


def test_cli_bad_batch_config_and_parallel_exit_2(tmp_path: Path) -> None:
    path = _csv(tmp_path, "url\nhttp://127.0.0.1:9/\n")
    toml = _toml(tmp_path, '[batch.groups."g"]\nmax_pages = -1\n')
    proc = govseo("batch", str(path), "--out", str(tmp_path / "o"), "--config", str(toml), check=False)
    assert proc.returncode == 2 and "[batch]" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    proc = govseo("batch", str(path), "--out", str(tmp_path / "o"), "--parallel", "0", check=False)
    assert proc.returncode == 2 and "--parallel" in proc.stderr
    proc = govseo("batch", str(path), "--out", str(tmp_path / "o"), "--exclude", "(", check=False)
    assert proc.returncode == 2 and "正则表达式无效" in proc.stderr


# ---------------------------------------------------------------------------- league figures, CSV, page
def _result(**site: object) -> dict:
    from result_factory import make_result

    result = make_result()
    result["site"].update(site)
    return result


def test_site_summary_counts_and_vetoes() -> None:
    result = _result()
    summary = site_summary(result)
    assert summary["score"] == result["site"]["score"]
    assert summary["services"] == len(result["services"])
    assert summary["hard_services"] == sum(s["score"] < 60 for s in result["services"])
    assert summary["errors"] == sum(f["severity"] == "error" for f in result["findings"])
    assert summary["vetoes"] == [] and summary["robots_unavailable"] is None

    blocked = _result(engine_blocked={"engine": "Baiduspider", "share": 0.9},
                      gates=[{"id": "pages-indexable", "indexable": 0, "total": 8, "share": 0, "cap": 10,
                              "binding": True}])
    blocked["findings"] = [*blocked["findings"],
                           {"rule": "robots-blocks-engine", "severity": "error", "url": "http://x/robots.txt",
                            "message": "", "evidence": {"engines": ["Baiduspider"], "scope": "site"}},
                           {"rule": "robots-txt-missing", "severity": "error", "url": "http://x/robots.txt",
                            "message": "", "evidence": {"status": 503, "error": None}}]
    blocked["pages"] = [{**p, "status": 500 if p.get("depth") == 0 else p.get("status")} for p in blocked["pages"]]
    summary = site_summary(blocked)
    assert set(summary["vetoes"]) == {"robots_blocked", "not_indexable", "engine_blocked", "home_error"}
    assert summary["robots_unavailable"] == "HTTP 503"

    # no page indexable because every page says noindex: the veto names it
    noindexed = _result(gates=[{"id": "pages-indexable", "indexable": 0, "total": 8, "share": 0, "cap": 10,
                                "binding": True}])
    noindexed["findings"] = [*noindexed["findings"], *({"rule": "noindex", "severity": "error", "url": f"http://x/{i}",
                                                        "message": "", "evidence": {}} for i in range(8))]
    assert site_summary(noindexed)["vetoes"] == ["noindex_all"]


def test_site_summary_near_misses() -> None:
    """Blocked from service pages only, robots.txt 404, Googlebot blocked: no veto."""
    result = _result()
    result["findings"] = [*result["findings"],
                          {"rule": "robots-blocks-engine", "severity": "error", "url": "http://x/robots.txt",
                           "message": "", "evidence": {"engines": ["Baiduspider"], "scope": "services"}},
                          {"rule": "robots-blocks-engine", "severity": "error", "url": "http://x/robots.txt",
                           "message": "", "evidence": {"engines": ["Googlebot"], "scope": "site"}},
                          {"rule": "robots-txt-missing", "severity": "notice", "url": "http://x/robots.txt",
                           "message": "", "evidence": {"status": 404}}]
    summary = site_summary(result)
    assert summary["vetoes"] == [] and summary["robots_unavailable"] is None


def _verdicts(tmp_path: Path) -> Path:
    specs = [SiteSpec("http://a.gov.cn/", "=HYPERLINK(\"http://evil\")", "宜春市", "a.gov.cn", 2),
             SiteSpec("http://b.gov.cn/", "<script>alert(1)</script>", "宜春市", "b.gov.cn", 3),
             SiteSpec("http://c.gov.cn/", "+c", "-萍乡市", "c.gov.cn", 4),
             SiteSpec("http://d.gov.cn/", "@d", "", "d.gov.cn", 5)]
    write_verdict(tmp_path, specs[0], "ok", None, {"score": 55, "pages": 10, "services": 4, "hard_services": 3,
                                                   "errors": 7, "vetoes": ["home_error"],
                                                   "categories": {"indexability": 37, "gov": None}})
    write_verdict(tmp_path, specs[1], "ok", None, {"score": 91, "pages": 20, "services": 2, "hard_services": 0,
                                                   "errors": 1, "vetoes": []})
    write_verdict(tmp_path, specs[2], "unreachable", "连接被拒绝")
    write_verdict(tmp_path, specs[3], "ok", None, {"score": 70, "pages": 5, "services": 1, "hard_services": 1,
                                                   "errors": 0, "vetoes": []})
    return tmp_path


def test_league_csv_bom_order_and_neutralised_cells(tmp_path: Path) -> None:
    out = _verdicts(tmp_path)
    write_league(out, "zh")
    raw = (out / "league.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == ["url", "name", "group", "score", "pages", "services", "hard_services", "errors", "verdict"]
    assert [r[0] for r in table[1:]] == ["http://b.gov.cn/", "http://d.gov.cn/", "http://a.gov.cn/",
                                         "http://c.gov.cn/"]
    by_url = {r[0]: r for r in table[1:]}
    assert by_url["http://a.gov.cn/"][1] == "'=HYPERLINK(\"http://evil\")"
    assert by_url["http://a.gov.cn/"][3:8] == ["55", "10", "4", "3", "7"]
    assert "首页返回错误" in by_url["http://a.gov.cn/"][8]
    assert by_url["http://c.gov.cn/"][1:4] == ["'+c", "'-萍乡市", ""]
    assert by_url["http://c.gov.cn/"][8] == "站点无法访问（连接被拒绝）"
    assert by_url["http://d.gov.cn/"][1] == "'@d"
    for row in table[1:]:
        assert not row[1].startswith(("=", "+", "-", "@"))


def test_league_page_groups_links_and_escaping(tmp_path: Path) -> None:
    out = _verdicts(tmp_path)
    (out / "stray").mkdir()
    (out / "stray" / "verdict.json").write_text(json.dumps({"folder": "elsewhere", "status": "ok"}))
    assert {v["folder"] for v in read_verdicts(out)} == {"a.gov.cn", "b.gov.cn", "c.gov.cn", "d.gov.cn"}
    assert {v["folder"] for v in read_verdicts(out, {"b.gov.cn", "x"})} == {"b.gov.cn"}
    only = write_league(out, "zh", {"a.gov.cn", "c.gov.cn"})
    assert len((only[1]).read_text(encoding="utf-8-sig").splitlines()) == 3
    context = league_context(read_verdicts(out), "zh")
    groups = {g["key"]: g for g in context["groups"]}
    assert groups["宜春市"]["median"] == 73 and groups["宜春市"]["hard"] == 3 and groups["宜春市"]["sites"] == 2
    assert groups["-萍乡市"]["median"] is None and groups["-萍乡市"]["unreachable"] == 1
    index = write_league(out, "zh")[0].read_text(encoding="utf-8")
    assert 'href="a.gov.cn/report.html"' in index and 'href="c.gov.cn/report.html"' not in index
    assert "<script>alert(1)</script>" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "站点无法访问" in index and "首页返回错误" in index
    row = next(r for r in context["rows"] if r["url"] == "http://a.gov.cn/")
    assert [c["score"] for c in row["categories"]] == [37, None, None, None, None]      # indexability first
    assert '<span class="score g-poor">37</span>' in index
    english = write_league(out, "en")[0].read_text(encoding="utf-8")
    assert "site unreachable" in english and "home page answers an error" in english


def test_a_reason_is_kept_in_both_languages_for_the_league(tmp_path) -> None:
    from govseo.batch.runner import both_languages, write_verdict
    from govseo.batch.sites import SiteSpec
    from reports.league import reason_in

    spec = SiteSpec("http://127.0.0.1:9/", "已关停网站", "示例省", "127.0.0.1_9", 2)
    verdict = write_verdict(tmp_path, spec, "unreachable", "连接被拒绝", reasons={"zh": "连接被拒绝", "en": "refused"})
    assert (reason_in(verdict, "zh"), reason_in(verdict, "en")) == ("连接被拒绝", "refused")
    assert both_languages("batch_no_pages")["en"] != both_languages("batch_no_pages")["zh"]
    older = {**verdict, "reasons": None}                 # a verdict written before reasons were kept
    assert reason_in(older, "en") == "连接被拒绝"
