"""govseo check on hand-made result documents: every assertion fires, and each has a near miss that does not."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from audits.config import ConfigError, load_config
from audits.resultfile import read_result, write_result
from common.spool import Spool
from govseo.baseline import regressions, update_baseline
from reports.check import Assertions, compare, summary_lines, url_key, validate
from reports.junit import junit_tree, write_junit
from reports.markdown import markdown_summary, write_markdown

RULES = [("noindex", "error"), ("title-missing", "error"), ("description-missing", "warning"),
         ("lang-missing", "notice"), ("http-error", "error")]


def finding(rule: str, path: str, port: int = 8000, severity: str | None = None) -> dict[str, Any]:
    return {"rule": rule, "severity": severity or dict(RULES)[rule], "url": f"http://127.0.0.1:{port}{path}",
            "message": f"问题 {rule}", "message_en": f"problem {rule}", "evidence": {}}


def service(path: str, score: float, name: str = "", gates: tuple[str, ...] = (), port: int = 8000,
            reasons: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"url": f"http://127.0.0.1:{port}{path}", "name": name or f"服务{path}", "section": "个人办事",
            "score": score, "rank": 1, "reasons": list(reasons or gates),
            "components": {"gates": list(gates), "reach": 1.0, "relevance": 1.0, "search": 1.0}, "fixes": []}


def doc(findings: list[dict[str, Any]] = (), services: list[dict[str, Any]] = (), score: float | None = 80,
        port: int = 8000, complete: bool = True, status: dict[str, str] | None = None) -> dict[str, Any]:
    status = status or {}
    return {"schema_version": 1, "tool": {"name": "govseo", "version": "0.1.0"},
            "crawl": {"start_urls": [f"http://127.0.0.1:{port}/"], "pages": 10, "complete": complete},
            "site": {"url": f"http://127.0.0.1:{port}/", "name": "云溪市人民政府", "score": score, "categories": {}},
            "rules": [{"id": r, "severity": s, "status": status.get(r, "fail")} for r, s in RULES],
            "findings": list(findings), "services": list(services), "pages": []}


BASE = doc([finding("noindex", "/a.html"), finding("description-missing", "/b.html")],
           [service("/s1.html", 90, "公积金提取"), service("/s2.html", 50, "社保查询", gates=("noindex",))])


def kinds(report) -> list[tuple[str, str]]:
    return [(i.kind, i.level) for i in report.items]


def check(current: dict[str, Any], baseline: dict[str, Any] | None = BASE, **assertions: Any):
    return compare(current, baseline, Assertions(**assertions))


def test_url_key_strips_the_own_origin_only():
    assert url_key("http://127.0.0.1:4321/a/b.html?x=1", "127.0.0.1") == "/a/b.html?x=1"
    assert url_key("https://127.0.0.1/a", "127.0.0.1") == "/a"          # scheme and port do not matter
    assert url_key("http://WWW.Example.gov.cn", "www.example.gov.cn") == "/"
    assert url_key("http://sub.example.gov.cn:81/a", "www.example.gov.cn") == "//sub.example.gov.cn/a"
    assert url_key("http://[::1/a", "x") == "http://[::1/a"               # unparsable: compared as is
    assert url_key("/relative", "x") == "/relative"


def test_same_site_on_another_port_is_unchanged():
    moved = doc([finding("noindex", "/a.html", 9999), finding("description-missing", "/b.html", 9999)],
                [service("/s1.html", 90, port=9999), service("/s2.html", 50, gates=("noindex",), port=9999)],
                port=9999)
    report = check(moved)
    assert report.passed and not report.items
    assert (len(report.new), len(report.fixed), len(report.unchanged)) == (0, 0, 2)
    assert all(d.change == 0 for d in report.services)


def test_new_error_fails_and_an_unchanged_error_does_not():
    current = doc([*BASE["findings"], finding("title-missing", "/s1.html")], BASE["services"])
    report = check(current)
    assert not report.passed and kinds(report) == [("new-finding", "error")]
    item = report.failures[0]
    assert (item.rule, item.key, item.service) == ("title-missing", "/s1.html", "公积金提取")
    assert check(doc(BASE["findings"], BASE["services"])).passed           # near miss: already in the baseline


def test_default_levels_by_severity_and_fail_on_new_errors():
    current = doc([*BASE["findings"], finding("description-missing", "/c.html"), finding("lang-missing", "/c.html"),
                   finding("http-error", "/c.html")], BASE["services"])
    report = check(current)
    assert kinds(report) == [("new-finding", "error"), ("new-finding", "warn")]  # the notice is counted, not asserted
    assert len(report.new) == 3 and {f["level"] for f in report.new} == {"error", "warn", "off"}
    relaxed = check(current, fail_on_new_errors=False)
    assert relaxed.passed and kinds(relaxed) == [("new-finding", "warn"), ("new-finding", "warn")]


def test_per_rule_assertion_levels_override_severity():
    current = doc([*BASE["findings"], finding("description-missing", "/c.html"), finding("http-error", "/c.html"),
                   finding("lang-missing", "/d.html")], BASE["services"])
    report = check(current, levels={"description-missing": "error", "http-error": "off", "lang-missing": "warn"})
    assert sorted((i.rule, i.level) for i in report.items) == [("description-missing", "error"),
                                                               ("lang-missing", "warn")]
    assert report.rule_levels["http-error"] == "off" and report.rule_levels["noindex"] == "error"
    assert check(current, levels={"description-missing": "warn", "http-error": "warn"}).passed  # near miss


def test_fixed_findings_and_duplicate_fingerprints():
    current = doc([finding("noindex", "/a.html"), finding("noindex", "/a.html")], BASE["services"])
    report = check(current)
    assert [f["rule"] for f in report.fixed] == ["description-missing"]
    assert len(report.unchanged) == 1 and len(report.new) == 1            # the second one is new
    assert not report.passed


def test_rule_that_did_not_run_is_not_fixed():
    current = doc([finding("noindex", "/a.html")], BASE["services"], status={"description-missing": "error"})
    report = check(current)
    assert report.fixed == [] and len(report.unchecked) == 1
    assert kinds(report) == [("rule-error", "warn")] and report.passed
    assert len(check(doc([finding("noindex", "/a.html")], BASE["services"])).fixed) == 1   # near miss: it ran


@pytest.mark.parametrize(("after", "allowed", "fails"), [(84, 5, True), (85, 5, False), (89, 0, True),
                                                         (90, 0, False), (99, 5, False), (0, 100, False)])
def test_max_service_drop(after, allowed, fails):
    current = doc(BASE["findings"], [service("/s1.html", after), BASE["services"][1]])
    report = check(current, max_service_drop=allowed)
    assert (("score-drop", "error") in kinds(report)) is fails
    assert report.services[0].change == after - 90


def test_new_gate_fails_even_within_the_allowed_drop():
    gained = doc(BASE["findings"], [service("/s1.html", 88, gates=("robots-blocked",)), BASE["services"][1]])
    report = check(gained)
    assert kinds(report) == [("new-gate", "error")] and report.failures[0].rule == "robots-blocked"
    kept = doc(BASE["findings"], [service("/s1.html", 90), service("/s2.html", 50, gates=("noindex",))])
    assert check(kept).passed                                                # near miss: gate already there
    lost = doc(BASE["findings"], [service("/s1.html", 90), service("/s2.html", 80)])
    assert check(lost).passed                                                # a removed gate is an improvement


def test_min_service_score_and_min_site_score():
    current = doc(BASE["findings"], [service("/s1.html", 90), service("/s2.html", 39, gates=("noindex",))],
                  score=79)
    report = check(current, min_service_score=40, min_site_score=80, max_service_drop=20)
    assert sorted(kinds(report)) == [("min-service-score", "error"), ("min-site-score", "error")]
    near = doc(BASE["findings"], [service("/s1.html", 90), service("/s2.html", 40, gates=("noindex",))], score=80)
    assert check(near, min_service_score=40, min_site_score=80, max_service_drop=20).passed
    assert not check(doc(BASE["findings"], BASE["services"], score=None), min_site_score=1).passed


def test_missing_and_new_services():
    current = doc(BASE["findings"], [BASE["services"][0], service("/s3.html", 10)])
    report = check(current)
    assert kinds(report) == [("missing-service", "error")] and report.failures[0].key == "/s2.html"
    assert [d.before for d in report.services] == [90, None, 50]           # the new one does not fail
    assert check(current, fail_on_missing_service=False).passed


def test_incomplete_crawl_warns_and_no_baseline_makes_everything_new():
    assert kinds(check(doc(BASE["findings"], BASE["services"], complete=False))) == [("crawl-incomplete", "warn")]
    report = check(BASE, None)
    assert not report.has_baseline and len(report.new) == 2 and not report.passed
    assert [d.before for d in report.services] == [None, None]


def test_validate_names_the_problem():
    assert validate(BASE) is None
    bad = [({**BASE, "schema_version": 2}, "schema_version"), ({**BASE, "findings": {}}, "findings"),
           ({**BASE, "findings": [{"rule": 1, "url": "x", "severity": "error"}]}, "findings[0]"),
           ({**BASE, "services": [{"url": "x", "score": "90"}]}, "services[0]"),
           ({**BASE, "services": [{"url": "x", "score": True}]}, "services[0]"),
           ({**BASE, "site": {"score": "high"}}, "site.score"), ({**BASE, "site": {"score": float("nan")}}, "site"), ({**BASE, "rules": [{}]}, "rules[0]"),
           ([], "schema_version")]
    for document, where in bad:
        assert where in (validate(document) or ""), where


def test_config_check_table(tmp_path: Path):
    path = tmp_path / "govseo.toml"
    path.write_text('[check]\nmin-site-score = 70\nmin_service_score = 30.5\nmax-service-drop = 0\n'
                    'fail-on-new-errors = false\n[check.assertions]\n"noindex" = "warn"\n', encoding="utf-8")
    table = load_config(path).check
    assert table == {"min-site-score": 70, "min-service-score": 30.5, "max-service-drop": 0,
                     "fail-on-new-errors": False, "assertions": {"noindex": "warn"}}
    assertions = Assertions.from_config(table)
    assert (assertions.min_service_score, assertions.fail_on_missing_service) == (30.5, True)
    assert Assertions.from_config({}) == Assertions() and Assertions().max_service_drop == 5
    for body, detail in [("min-site-score = true", "min-site-score"), ("max-service-drop = 101", "max-service-drop"),
                         ('fail-on-new-errors = "yes"', "fail-on-new-errors"), ("speed = 1", "speed"),
                         ('[check.assertions]\n"no-such-rule" = "error"', "no-such-rule"),
                         ('[check.assertions]\n"noindex" = "fatal"', "noindex"), ("assertions = 1", "assertions")]:
        path.write_text(f"[check]\n{body}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_config(path)
        assert info.value.key == "config_check" and detail in str(info.value)


def test_ratchet_refuses_any_lowering_and_new_errors():
    one_point = doc(BASE["findings"], [service("/s1.html", 89), BASE["services"][1]])
    assert [i.kind for i in regressions(one_point, BASE, Assertions())] == ["score-drop"]
    lower_site = doc(BASE["findings"], BASE["services"], score=79)
    assert [i.kind for i in regressions(lower_site, BASE, Assertions())] == ["site-score-drop"]
    new_error = doc([*BASE["findings"], finding("http-error", "/x.html")], BASE["services"])
    assert [i.kind for i in regressions(new_error, BASE, Assertions())] == ["new-finding"]
    partial = doc(BASE["findings"], BASE["services"], complete=False)
    assert [(i.kind, i.level) for i in regressions(partial, BASE, Assertions())] == [("crawl-incomplete", "error")]
    # near misses: a new warning, a better score, a below-minimum score that did not move
    fine = doc([*BASE["findings"], finding("description-missing", "/x.html")],
               [service("/s1.html", 91), BASE["services"][1]], score=81)
    assert regressions(fine, BASE, Assertions(min_service_score=60, min_site_score=99)) == []


def test_update_baseline_writes_atomically_or_not_at_all(tmp_path: Path):
    path = tmp_path / "baseline.json"
    assert update_baseline(BASE, None, path, Assertions()).status == "created"
    original = path.read_bytes()
    assert json.loads(original) == BASE
    worse = copy.deepcopy(BASE)
    worse["services"][0]["score"] = 80
    refused = update_baseline(worse, BASE, path, Assertions())
    assert refused.status == "refused" and not refused.written and path.read_bytes() == original
    better = copy.deepcopy(BASE)
    better["services"][0]["score"] = 95
    assert update_baseline(better, BASE, path, Assertions()).status == "updated"
    assert json.loads(path.read_bytes())["services"][0]["score"] == 95
    forced = update_baseline(worse, better, path, Assertions(), allow_regression=True)
    assert forced.status == "forced" and len(forced.regressions) == 1
    assert json.loads(path.read_bytes())["services"][0]["score"] == 80
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]    # no temp files left


def big_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    """A baseline and a current run, 300 services and ~400 findings each, with every kind of change."""
    rules = [r for r, _ in RULES]
    base = doc([finding(rules[i % 5], f"/p{i % 150}.html") for i in range(400)],
               [service(f"/s{i}.html", 40 + i % 60, gates=("noindex",) if i % 11 == 0 else ()) for i in range(300)])
    current = doc([finding(rules[i % 5], f"/p{i % 170}.html", port=9000) for i in range(30, 430)],
                  [service(f"/s{i}.html", 40 + (i * 7) % 60, port=9000, reasons=("title-missing",),
                           gates=("robots-blocked",) if i % 13 == 0 else ()) for i in range(20, 320)],
                  port=9000, status={"lang-missing": "error"})
    return current, base


def test_spooled_documents_compare_as_lists(tmp_path: Path):
    """Findings and services read back from result.json are Spools: check and the ratchet see the same."""
    current, base = big_pair()
    write_result(current, tmp_path / "current.json")
    write_result(base, tmp_path / "base.json")
    cur, old = read_result(tmp_path / "current.json"), read_result(tmp_path / "base.json")
    assert all(isinstance(d[k], Spool) for d in (cur, old) for k in ("findings", "services", "pages"))
    assert validate(cur) is None and validate(old) is None and cur == current and old == base
    kinds_seen = set()
    for assertions in (Assertions(), Assertions(min_service_score=50, max_service_drop=10, min_site_score=90)):
        expected, got = compare(current, base, assertions), compare(cur, old, assertions)
        assert got == expected and compare(cur, None, assertions) == compare(current, None, assertions)
        kinds_seen |= {i.kind for i in got.items}
        for lang in ("zh", "en"):
            assert summary_lines(got, lang) == summary_lines(expected, lang)
            assert markdown_summary(got, lang) == markdown_summary(expected, lang)
            assert ET.tostring(junit_tree(got, lang)) == ET.tostring(junit_tree(expected, lang))
    assert kinds_seen == {"new-finding", "score-drop", "new-gate", "missing-service", "min-service-score",
                          "min-site-score", "rule-error"}
    assert regressions(cur, old, Assertions()) == regressions(current, base, Assertions())
    assert update_baseline(cur, old, tmp_path / "forced.json", Assertions(), allow_regression=True).written
    assert (tmp_path / "forced.json").read_bytes() == (tmp_path / "current.json").read_bytes()


HOSTILE = "恶意\n[失败] 伪造\x1b[31m|<script>alert(1)</script> @admin `x`\ud800"


def hostile_report():
    current = doc([*BASE["findings"], finding("title-missing", "/s1.html")],
                  [service("/s1.html", 10, HOSTILE), BASE["services"][1]])
    current["findings"][-1]["message"] = current["findings"][-1]["message_en"] = HOSTILE
    return check(current)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_lines_one_line_per_failure(lang: str):
    report = hostile_report()
    lines = summary_lines(report, lang)
    assert lines[0].startswith("govseo check：未通过" if lang == "zh" else "govseo check: FAILED")
    failing = [line for line in lines if line.startswith(("[失败]", "[FAIL]"))]
    assert len(failing) == len(report.failures) == 2
    assert all("http://127.0.0.1:8000/s1.html" in line and "恶意" in line for line in failing)
    assert "[title-missing]" in failing[0] and "90 → 10" in failing[1]
    joined = "\n".join(lines)                                  # crawled text cannot add lines or escapes
    assert "\x1b" not in joined and "\ud800" not in joined and len(joined.splitlines()) == len(lines)
    assert check(BASE).passed and summary_lines(check(BASE), lang)[0].endswith(
        ("通过（新增问题 0 项，已修复 0 项，未变化 2 项；失败 0 项，警告 0 项）",
         "PASSED (0 new, 0 fixed, 2 unchanged findings; 0 failures, 0 warnings)"))


def test_junit_one_case_per_service_and_asserted_rule(tmp_path: Path):
    report = hostile_report()
    write_junit(report, tmp_path / "junit.xml")
    root = ET.parse(tmp_path / "junit.xml").getroot()            # well-formed despite the hostile text
    suites = {s.get("name"): s for s in root}
    rules = [c.get("name") for c in suites["govseo.rules"]]
    assert rules == ["description-missing", "http-error", "noindex", "title-missing"]   # lang-missing is off
    assert len(suites["govseo.services"]) == 2 and root.get("tests") == "7" and root.get("failures") == "2"
    failures = {c.get("name"): c.find("failure") for c in root.iter("testcase") if c.find("failure") is not None}
    assert "http://127.0.0.1:8000/s1.html" in failures["title-missing"].get("message")
    service_case = next(name for name in failures if name != "title-missing")
    assert service_case.startswith("恶意") and failures[service_case].get("type") == "score-drop"
    assert "\x1b" not in (tmp_path / "junit.xml").read_text(encoding="utf-8")
    assert junit_tree(check(BASE)).get("failures") == "0"


def test_markdown_escapes_crawled_text_and_caps_lists(tmp_path: Path):
    write_markdown(hostile_report(), tmp_path / "summary.md", lang="en")
    text = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert text.startswith("### govseo check: ❌ failed")
    assert "<script>" not in text and "&lt;script&gt;" in text and "@admin" not in text
    assert "\\|" in text and "\x1b" not in text and "`x`" not in text
    assert all(line.count(" | ") == 3 for line in text.splitlines() if line.startswith("| error"))
    many = doc([*BASE["findings"], *(finding("http-error", f"/e{i}.html") for i in range(60))], BASE["services"])
    capped = markdown_summary(check(many), "zh", limit=50)
    assert "……另有 10 项" in capped and capped.count("/e") < 120
    assert markdown_summary(check(BASE), "zh").startswith("### govseo check: ✅ 通过")


def test_every_command_in_docs_ci_parses():
    """The govseo command lines of docs/ci.md's sh/yaml/groovy snippets are valid for this CLI."""
    import re
    import shlex

    from govseo.cli import build_parser

    text = (Path(__file__).parent.parent / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|yaml|groovy)\n(.*?)```", text, re.S)
    commands = [m for block in blocks for m in re.findall(r"(?:^\s*|- |run: |/bin/)govseo ((?:run|check|baseline)\b[^'\n#]*)",
                                                          block.replace("\\\n", " "), re.M)]
    assert len(commands) >= 9
    for command in commands:
        args = build_parser().parse_args(shlex.split(command))
        assert args.command in ("run", "check", "baseline"), command
