"""Issue 13 on the report side: the headline tells the truth, each fix is said once with its impact, null is
"not applicable", and fixes reach fixes.csv, the Markdown summary and the JUnit file."""

from __future__ import annotations

import copy
import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from result_factory import (
    NOINDEX_META,
    ROOT,
    broken_link_fix,
    make_finding,
    make_fix,
    make_gate,
    make_healthy_result,
    make_noindex_result,
    make_partial_result,
    make_result,
)

from reports import fixes as fixes_module
from reports import write_report
from reports.check import Assertions, compare
from reports.csvout import FIXES_COLUMNS, iter_fixes_rows
from reports.fixes import fix_sentence, fixes_of, impact_text, result_headline
from reports.html import render_html, render_index
from reports.junit import junit_tree
from reports.markdown import markdown_summary

HEADLINES = {
    ("noindex", "zh"): f"本站得分 8/100：全站 1,451 个页面都不能被搜索引擎收录，首要原因是网站模板中的 {NOINDEX_META}。",
    ("noindex", "en"): "This site scores 8/100: none of its 1,451 pages can be indexed by search engines; the main cause: "
                       f"{NOINDEX_META} in the site template.",
    ("partial", "zh"): "本站得分 40/100：1,451 个页面中有 971 个不能被搜索引擎收录（只有 33% 可以收录），"
                       "首要原因是robots.txt 规则 Disallow: /zwgk/。",
    ("partial", "en"): "This site scores 40/100: 971 of its 1,451 pages cannot be indexed by search engines (only 33% "
                       "can); the main cause: the robots.txt rule Disallow: /zwgk/.",
    ("healthy", "zh"): "本站得分 93/100（良好）：全部 18 个办事指南都能通过搜索引擎找到。",
    ("healthy", "en"): "This site scores 93/100 (good): all 18 of its service guides can be found through search engines.",
}
NOTES = {("noindex", "zh"): "未计收录门槛时为 83 分", ("noindex", "en"): "83 without the indexability gate",
         ("partial", "zh"): "未计收录门槛时为 76 分", ("partial", "en"): "76 without the indexability gate",
         ("healthy", "zh"): "", ("healthy", "en"): ""}
CASES = {"noindex": make_noindex_result, "partial": make_partial_result, "healthy": make_healthy_result}
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def _doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def _text(doc: lxml.html.HtmlElement, xpath: str) -> str:
    return " ".join(doc.xpath(f"string({xpath})").split())


# --- the headline ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_headline_says_the_truth(case: str, lang: str) -> None:
    doc = _doc(render_html(CASES[case](), lang))
    assert _text(doc, '//p[contains(@class,"headline")][1]') == HEADLINES[case, lang]
    assert _text(doc, '//p[contains(@class,"headline-note")]') == NOTES[case, lang]
    # the gauge shows the capped score, the uncapped one only in the secondary note
    gauge = doc.xpath('//section[@id="overview"]//div[contains(@class,"gauge")]')[0]
    assert _text(gauge, './/div[@class="num"]') == str(CASES[case]()["site"]["score"])
    assert "83" not in HEADLINES[case, lang]


def test_all_noindex_site_reads_poor_not_needs_improvement() -> None:
    doc = _doc(render_html(make_noindex_result()))
    assert "g-poor" in doc.xpath('//section[@id="overview"]//div[contains(@class,"gauge")]')[0].get("class")
    assert _text(doc, '//span[contains(@class,"grade-pill")]') == "较差"
    assert "需改进" not in _text(doc, '//p[contains(@class,"headline")]')


def test_a_failing_gate_is_said_even_when_it_is_not_binding() -> None:
    result = make_noindex_result()                   # the score is already below the cap: no gate binds
    result["site"].update(score=5, score_uncapped=5)
    for gate in result["site"]["gates"]:
        gate["binding"] = False
    said = result_headline(result, "zh")
    assert said["text"].startswith("本站得分 5/100：全站 1,451 个页面都不能被搜索引擎收录") and said["note"] == ""
    # near miss: every page indexable, the gate passes and is not said
    result["site"]["gates"] = [make_gate("pages-indexable", 1451, 1451, 100)]
    assert "不能被搜索引擎收录" not in result_headline(result, "zh")["text"]


def test_headline_services_gate_and_hard_services() -> None:
    result = make_partial_result()
    result["site"]["gates"] = [make_gate("pages-indexable", 1451, 1451, 100),
                               make_gate("services-indexable", 0, 18, 10, True)]
    assert result_headline(result, "zh")["text"].startswith("本站得分 40/100：全部 18 个办事指南都不能被搜索引擎收录，首要原因是")
    result["site"].update(gates=[], score=76)        # no gate: the hard-to-find services are counted
    said = result_headline(result, "zh")["text"]
    assert said.startswith("本站得分 76/100（需改进）：18 个办事指南中有 7 个难以通过搜索引擎找到，最弱的是“可收录性”（35 分）")
    assert said.endswith("，首要问题是robots.txt 规则 Disallow: /zwgk/。")
    result["services"] = [{**s, "score": 10} for s in result["services"]]
    assert result_headline(result, "zh")["text"].startswith("本站得分 76/100（需改进）：全部 18 个办事指南都难以通过搜索引擎找到，")
    assert result_headline(result, "en")["text"].startswith(
        "This site scores 76/100 (needs improvement): all 18 of its service guides are hard to find")
    result["site"]["gates"] = [make_gate("pages-indexable", 0, 0, 10, True)]     # nothing to judge: not said
    assert "收录" not in result_headline(result, "zh")["text"].split("，")[0]


def test_null_site_score_is_not_applicable() -> None:
    result = make_result(site={"url": ROOT, "name": "空站", "score": None, "categories": {}})
    doc = _doc(render_html(result))
    assert _text(doc, '//p[contains(@class,"headline")]').startswith("本站得分不适用：")
    assert _text(doc, '//section[@id="overview"]//div[contains(@class,"num")]') == "不适用"
    assert _text(doc, '//span[contains(@class,"grade-pill")]') == "不适用"
    assert "None" not in _text(doc, "//main")


# --- each fix said once, with its impact ----------------------------------------------------------------


@pytest.mark.parametrize(("fix", "zh", "en"), [
    (make_noindex_result()["fixes"][0], "影响 1,451 个页面、全部办事指南",
     "affects 1,451 pages, every service guide"),
    (make_fix("noindex", "x", 1, 1, 18), "影响 1 个页面、1 个办事指南", "affects 1 page, 1 service guide"),
    (make_fix("noindex", "x", 30, 7, 18), "影响 30 个页面、7 个办事指南", "affects 30 pages, 7 service guides"),
    (make_fix("broken-link", "x", 1437, 0, 18), "影响 1,437 个页面", "affects 1,437 pages"),
    (make_fix("robots-blocks-engine", "x", 0, 18, 18), "影响全部办事指南", "affects every service guide"),
    (make_fix("robots-txt-missing", "x", 0, 0, 18), "", ""),
])
def test_impact_words(fix: dict, zh: str, en: str) -> None:
    fix = fixes_of({"fixes": [fix]})[0]
    assert impact_text(fix, "zh") == zh and impact_text(fix, "en") == en


def test_old_documents_without_fixes_or_gates_render(tmp_path: Path) -> None:
    result = make_result()
    assert "fixes" not in result and "gates" not in result["site"]
    doc = _doc(render_html(result))
    assert not doc.xpath('//section[@id="top-fixes"] | //section[@id="fixes"] | //a[@href="#top-fixes"]')
    assert _text(doc, '//p[contains(@class,"headline")]').startswith("本站得分 72/100（需改进）")
    paths = write_report([result, make_noindex_result()], tmp_path)
    fixes_csv = [p for p in paths if p.name == "fixes.csv"]
    assert len(fixes_csv) == 2 and fixes_csv[0].read_text(encoding="utf-8-sig").splitlines() == [",".join(FIXES_COLUMNS)]
    for junk in (None, "x", [1, None, "a"], {"a": 1}):            # malformed fixes/gates read as empty
        broken = make_result(fixes=junk, site={**result["site"], "gates": junk})
        assert "id=\"overview\"" in render_html(broken) and list(iter_fixes_rows(broken)) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_opens_with_the_top_fixes_each_said_once(lang: str) -> None:
    result = make_noindex_result()
    result["findings"] += [make_finding("broken-link", f"{ROOT}p{i}.html", "链接失效") for i in range(1437)]
    html = render_html(result, lang)
    doc = _doc(html)
    ids = [s.get("id") for s in doc.xpath("//main/section")]
    assert ids[:3] == ["overview", "top-fixes", "scores"] and ids.index("fixes") < ids.index("findings")
    items = doc.xpath('//section[@id="top-fixes"]//li[contains(@class,"topfix")]')
    assert len(items) == fixes_module.TOP_FIXES == 5 < len(result["fixes"])
    fixes = fixes_of(result)
    for item, fix in zip(items, fixes, strict=False):
        assert _text(item, './/p[@class="tf-say"]') == fix_sentence(fix, lang)
        assert bool(item.xpath('.//span[@class="tpl"]')) is fix["template"]
    top = _text(doc, '//section[@id="top-fixes"]')
    first = ("删除网站模板中的 " if lang == "zh" else "Remove ") + NOINDEX_META
    assert top.count(first) == 1
    assert (("：影响 1,451 个页面、全部办事指南" if lang == "zh" else ": affects 1,451 pages, every service guide")
            in _text(items[0], './/p[@class="tf-say"]'))
    # the template-wide broken link is one fix with its target, not 1,437 rows
    link = items[1]
    assert _text(link, './/p[@class="tf-say"]').endswith("影响 1,437 个页面" if lang == "zh" else "affects 1,437 pages")
    assert link.xpath('.//p[@class="tf-target"]//a/@href') == [broken_link_fix()["target"]]
    assert broken_link_fix()["target"] not in _text(link, './/details')   # the target is said, not listed as a page
    urls = link.xpath('.//details[@class="fix-urls"]')[0]
    assert urls.get("open") is None and len(urls.xpath(".//li")) == 20
    assert _text(urls, "./summary") == ("受影响的页面（列出 20 个，共 1,437 个）" if lang == "zh"
                                        else "Affected pages (20 of 1,437 listed)")
    assert not items[2].xpath('.//span[@class="tpl"]')          # not a template fix: no badge
    assert "办事指南" not in _text(link, './/p[@class="tf-say"]')  # no services affected: nothing said about them
    assert doc.xpath('//section[@id="top-fixes"]//a[@href="#fixes"]')
    assert len(doc.xpath('//table[contains(@class,"fixes")]/tbody/tr')) == len(result["fixes"])


def test_top_fixes_constant_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reports.fixes_view.TOP_FIXES", 2)
    doc = _doc(render_html(make_noindex_result()))
    assert len(doc.xpath('//li[contains(@class,"topfix")]')) == 2


def test_full_fixes_table_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reports.fixes_view.FIXES_CAP", 3)
    doc = _doc(render_html(make_noindex_result()))
    assert len(doc.xpath('//table[contains(@class,"fixes")]/tbody/tr')) == 3
    assert _text(doc, '//p[contains(@class,"fixes-more")]') == "另有 4 项未显示，见 fixes.csv。"
    assert _text(doc, '//p[contains(@class,"all-fixes")]').startswith("查看全部 7 项修复")


# --- hostile text ---------------------------------------------------------------------------------------


def _hostile_result() -> dict:
    result = make_noindex_result()
    result["fixes"][0].update(fix=HOSTILE, fix_en=HOSTILE, cause=HOSTILE, cause_en="=HYPERLINK(\"http://x\")",
                              target="javascript:alert(3)", urls=["javascript:alert(4)", f"{ROOT}{HOSTILE}"])
    result["fixes"][1].update(fix="=cmd|' /C calc'!A0", fix_en="+SUM(1)", cause="@evil", cause_en="@evil",
                              target="-2+3")
    return result


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_fix_text_is_escaped_in_html(lang: str) -> None:
    html = render_html(_hostile_result(), lang)
    doc = _doc(html)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert len(doc.xpath("//script")) == 1 and not doc.xpath("//img")
    assert not doc.xpath('//a[starts-with(@href,"javascript")]')
    first = doc.xpath('//li[contains(@class,"topfix")]')[0]
    assert _text(first, './/strong[@class="tf-fix"]') == " ".join(HOSTILE.split())
    assert "javascript:alert(3)" in _text(first, './/p[@class="tf-target"]')   # shown as text, not a link


def test_hostile_fix_text_is_neutralised_in_csv(tmp_path: Path) -> None:
    paths = write_report([_hostile_result()], tmp_path, "en")
    path = next(p for p in paths if p.name == "fixes.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == FIXES_COLUMNS and len(rows) == 1 + len(_hostile_result()["fixes"])
    first, second = (dict(zip(FIXES_COLUMNS, row, strict=True)) for row in rows[1:3])
    assert first["cause"] == "'=HYPERLINK(\"http://x\")" and first["fix"] == HOSTILE
    assert first["sample_urls"] == f"javascript:alert(4) | {ROOT}{HOSTILE}" and first["target"] == "javascript:alert(3)"
    assert second["fix"] == "'+SUM(1)" and second["cause"] == "'@evil" and second["target"] == "'-2+3"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_fixes_csv_columns_and_language() -> None:
    result = make_noindex_result()
    zh = [dict(zip(FIXES_COLUMNS, row, strict=True)) for row in iter_fixes_rows(result, "zh")]
    en = [dict(zip(FIXES_COLUMNS, row, strict=True)) for row in iter_fixes_rows(result, "en")]
    assert zh[0] == {"rule": "noindex", "severity": "error", "kind": "template", "template": "true", "pages": "1451",
                     "services": "18", "target": "", "fix": f"删除网站模板中的 {NOINDEX_META}",
                     "cause": f"网站模板中的 {NOINDEX_META}",
                     "sample_urls": " | ".join(result["fixes"][0]["urls"])}
    assert en[0]["fix"] == f"Remove {NOINDEX_META} from the site template"
    assert [r["rule"] for r in zh] == [f["rule"] for f in result["fixes"]]     # the document's order
    assert zh[1]["target"] == broken_link_fix()["target"] and zh[2]["template"] == "false"


# --- the multi-site index -------------------------------------------------------------------------------


def test_index_shows_capped_score_and_not_applicable() -> None:
    empty = make_result(site={"url": "http://kong.gov.cn/", "name": "空站", "score": None,
                              "categories": {"findability": None}})
    doc = _doc(render_index([make_noindex_result(), make_healthy_result(), empty], ["a/r.html", "b/r.html", "c/r.html"]))
    rows = doc.xpath('//table[contains(@class,"sites")]/tbody/tr')
    cells = [[" ".join(td.text_content().split()) for td in row.xpath("./td")] for row in rows]
    assert [c[2] for c in cells] == ["8", "93", "不适用"]               # capped score, worst first, null last
    assert cells[2][3:8] == ["不适用"] * 5 and cells[0][7] == "5"
    assert "受收录门槛限制（未计时为 83 分）" in cells[0][1] and "收录门槛" not in cells[1][1]


# --- Markdown and JUnit (govseo check) ------------------------------------------------------------------


def _check(result: dict):
    current = copy.deepcopy(result)
    current["findings"] = [make_finding("title-missing", f"{ROOT}p{i}.html") for i in range(3)]
    return compare(current, None, Assertions())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_opens_with_headline_and_fixes(lang: str) -> None:
    text = markdown_summary(_check(make_noindex_result()), lang)
    lines = text.splitlines()
    heading = "#### 先修复这些" if lang == "zh" else "#### Fix these first"
    assert heading in lines and text.index(heading) < text.index("####", text.index(heading) + 1)
    start = lines.index(heading) + 2
    listed = lines[start:start + 6]
    assert [line.split(".")[0] for line in listed[:5]] == ["1", "2", "3", "4", "5"] and listed[5] == ""
    if lang == "zh":
        assert listed[0] == ("1. **删除网站模板中的 &lt;meta name=\"robots\" content=\"noindex\"&gt;**"
                             "：影响 1,451 个页面、全部办事指南 · 网站模板")
        assert "本站得分 8/100：全站 1,451 个页面都不能被搜索引擎收录" in text and "未计收录门槛时为 83 分" in text
        assert "……另有 2 项，见 fixes.csv" in text
    assert f"`{broken_link_fix()['target']}`" in listed[1]
    assert text.count("删除网站模板中的" if lang == "zh" else "Remove &lt;meta") == 1     # each fix said once


def test_markdown_escapes_hostile_fixes() -> None:
    text = markdown_summary(_check(_hostile_result()), "zh")
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


def test_junit_carries_fixes_without_changing_pass_fail() -> None:
    plain = make_noindex_result()
    plain.pop("fixes")
    with_fixes, without = junit_tree(_check(make_noindex_result())), junit_tree(_check(plain))
    for attr in ("tests", "failures", "errors"):
        assert with_fixes.get(attr) == without.get(attr)
    assert [c.get("name") for c in with_fixes.iter("testcase")] == [c.get("name") for c in without.iter("testcase")]
    assert int(with_fixes.get("failures")) > 0
    site = next(s for s in with_fixes if s.get("name") == "govseo.site")
    props = {p.get("name"): p.get("value") for p in site.find("properties")}
    assert list(props) == ["headline", "fix.1", "fix.2", "fix.3", "fix.4", "fix.5"]
    assert props["headline"].startswith("本站得分 8/100：全站 1,451 个页面都不能被搜索引擎收录")
    assert props["fix.1"] == f"删除网站模板中的 {NOINDEX_META}：影响 1,451 个页面、全部办事指南 ［网站模板］"
    out = site.find("testcase").find("system-out").text
    assert "先修复这些：" in out and "1. 删除网站模板中的" in out and "另有 2 项，见 fixes.csv" in out
    ET.fromstring(ET.tostring(junit_tree(_check(_hostile_result())), encoding="unicode"))   # well-formed
    props = {p.get("name"): p.get("value") for p in next(iter(without)).find("properties")}
    assert list(props) == ["headline"]


def test_real_world_wording_reads_as_one_sentence() -> None:
    """Fix texts that end with a full stop and English causes that start with a capital (rule titles)."""
    fix = make_fix("noindex", "删除 meta robots 中的 noindex。", 2, 2, 30, fix_en="Remove noindex.",
                   cause="页面禁止搜索引擎收录（noindex）", cause_en="Page is blocked from indexing (noindex)")
    assert fix_sentence(fixes_of({"fixes": [fix]})[0], "zh") == "删除 meta robots 中的 noindex：影响 2 个页面、2 个办事指南"
    assert fix_sentence(fixes_of({"fixes": [fix]})[0], "en") == "Remove noindex: affects 2 pages, 2 service guides"
    result = make_partial_result()
    result["fixes"] = [fix]
    result["site"]["gates"] = [make_gate("services-indexable", 23, 30, 79, True)]
    assert result_headline(result, "en")["text"] == ("This site scores 40/100: 7 of its 30 service guides cannot be "
                                                     "indexed by search engines (only 76% can); the main cause: "
                                                     "page is blocked from indexing (noindex).")
    fix["cause_en"] = "URL answers 404."
    assert result_headline(result, "en")["text"].endswith("the main cause: URL answers 404.")


def test_fixes_read_from_result_json_as_a_stream(tmp_path: Path) -> None:
    """result.json's fixes are read into a Spool (like findings): every output equals the one from lists."""
    from audits.resultfile import read_result, write_result
    from common.spool import Spool

    result = make_noindex_result()
    write_result(result, tmp_path / "result.json")
    spooled = read_result(tmp_path / "result.json")
    assert isinstance(spooled["fixes"], Spool)
    for lang in ("zh", "en"):
        assert render_html(spooled, lang) == render_html(result, lang)
        assert list(iter_fixes_rows(spooled, lang)) == list(iter_fixes_rows(result, lang))
        assert markdown_summary(_check(spooled), lang) == markdown_summary(_check(result), lang)
        assert ET.tostring(junit_tree(_check(spooled), lang)) == ET.tostring(junit_tree(_check(result), lang))
