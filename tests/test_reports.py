"""Tests of reports/: HTML scorecard, i18n labels and CSV export, from hand-made result documents."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import lxml.html
import pytest
from result_factory import ROOT, make_finding, make_page, make_result, make_service

from reports.csvout import write_findings_csv, write_pages_csv
from reports.html import get_environment, render_html, safe_href, script_text, write_html
from reports.i18n import labels

SCRIPT_TITLE = "<script>alert(1)</script>"
IMG_TITLE = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"


def _doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def _group(doc: lxml.html.HtmlElement, rule_id: str) -> lxml.html.HtmlElement:
    found = doc.xpath(f'//section[@id="rule-{rule_id}"]')
    assert len(found) == 1, rule_id
    return found[0]


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# --- i18n ---------------------------------------------------------------------------------------------


def test_labels_default_is_chinese_and_english_available() -> None:
    zh, en = labels(), labels("en")
    assert zh["severities"] == {"error": "错误", "warning": "警告", "notice": "提示"}
    assert zh["categories"]["gov"] == "政府网站规范"
    assert en["severities"]["warning"] == "Warning"
    assert set(zh) == set(en), "every label must exist in both languages"
    assert labels("zh-CN")["html_lang"] == "zh-CN"


def test_labels_unknown_language_raises() -> None:
    with pytest.raises(ValueError):
        labels("fr")
    with pytest.raises(ValueError):
        render_html(make_result(), lang="de")


def test_labels_returns_a_copy() -> None:
    labels()["severities"]["error"] = "changed"
    assert labels()["severities"]["error"] == "错误"


# --- HTML content -------------------------------------------------------------------------------------


def test_html_overview_and_groups_in_chinese_by_default() -> None:
    html = render_html(make_result())
    doc = _doc(html)
    assert doc.get("lang") == "zh-CN"
    assert doc.xpath('string(//div[contains(@class,"gauge")][1]//div[@class="num"])') == "72"
    assert "g-average" in doc.xpath('//div[contains(@class,"gauge")]')[0].get("class")
    for text in ("云溪市人民政府", "站点得分", "问题清单", "可收录性", "政府网站规范", "抓取页面数", "2026-11-27 10:00:00"):
        assert text in html, text
    for rule_id, title in (("title-missing", "页面缺少标题"), ("description-missing", "缺少页面描述"),
                           ("lang-missing", "未声明页面语言")):
        assert title in _group(doc, rule_id).text_content()
    assert "xwzx/b.html" in _group(doc, "title-missing").text_content()
    assert 'Page has no title' not in html


def test_html_english() -> None:
    html = render_html(make_result(), lang="en")
    doc = _doc(html)
    assert doc.get("lang") == "en"
    for text in ("Site score", "Findings", "Page has no title", "The page has 2 &lt;title&gt; elements",
                 "Indexability", "2026-11-27 02:00:00"):
        assert text in html, text
    # missing "en" block and missing message_en fall back to the Chinese text
    assert "未声明页面语言" in _group(doc, "lang-missing").text_content()
    assert "没有 lang 属性" in _group(doc, "lang-missing").text_content()
    assert "页面缺少标题" not in html


def test_groups_sorted_by_severity_then_count() -> None:
    result = make_result()
    result["findings"] += [make_finding("description-missing", ROOT + f"d{i}.html", severity="warning")
                           for i in range(3)]
    result["findings"].insert(0, make_finding("unknown-rule", ROOT, severity="warning"))
    ids = [s.get("id") for s in _doc(render_html(result)).xpath('//section[contains(@class,"rule ")]')]
    assert ids == ["rule-title-missing", "rule-description-missing", "rule-unknown-rule", "rule-lang-missing"]


@pytest.mark.parametrize(("lang", "label", "words"), [("zh", "政府网站规范", "不适用"),
                                                     ("en", "Government standards", "not applicable")])
def test_category_null_shows_not_applicable_and_severity_counts(lang: str, label: str, words: str) -> None:
    doc = _doc(render_html(make_result(), lang))
    cats = doc.xpath('//section[@id="scores"]//div[contains(concat(" ", @class, " "), " cat ")]')

    def cat(name: str) -> lxml.html.HtmlElement:
        return next(c for c in cats if c.text_content().strip().endswith(name))

    gov, content = cat(label), cat(labels(lang)["categories"]["content"])
    assert "na" in gov.get("class").split() and "g-na" in gov.xpath('.//div[contains(@class,"gauge")]')[0].get("class")
    assert gov.xpath('string(.//div[contains(@class,"num")])') == words          # never 0, 100, "None" or a dash
    assert content.xpath('string(.//div[contains(@class,"num")])') == "65" and "na" not in content.get("class")
    counts = {d.get("class").split()[1]: d.xpath("string(b)") for d in doc.xpath('//div[starts-with(@class,"count ")]')}
    assert counts == {"error": "2", "warning": "1", "notice": "1"}


def test_errored_and_passed_and_na_rules() -> None:
    doc = _doc(render_html(make_result()))
    callout = doc.xpath('//div[@id="errored-checks"]')[0].text_content()
    assert "标题未包含关键词" in callout and "jieba dictionary failed to load" in callout
    passed = doc.xpath('//details[@id="passed-checks"]')[0]
    assert passed.get("open") is None and "没有站点地图" in passed.text_content()
    assert "通过的检查" in passed.text_content()
    assert "缺少政府网站元数据" in doc.xpath('//details[@id="na-checks"]')[0].text_content()


def test_findings_group_is_capped_at_50_rows() -> None:
    result = make_result(findings=[make_finding("title-missing", ROOT + f"p{i:03}.html") for i in range(600)])
    doc = _doc(render_html(result))
    group = _group(doc, "title-missing")
    assert len(group.xpath(".//tbody/tr")) == 50
    assert "600" in group.xpath('string(.//span[@class="cnt"])')
    assert group.xpath('string(.//p[contains(@class,"more-rows")])') == "另有 550 条，见 findings.csv"
    assert "p000.html" in group.text_content() and "p050.html" not in group.text_content()
    en = _group(_doc(render_html(result, "en")), "title-missing")
    assert en.xpath('string(.//p[contains(@class,"more-rows")])') == "550 more in findings.csv"


def test_pages_table_worst_first() -> None:
    rows = _doc(render_html(make_result())).xpath('//table[contains(@class,"pages")]/tbody/tr')
    assert [r.xpath("string(td[2])") for r in rows] == ["404", "200", "200", "200"]
    assert [r.xpath("string(td[last()])").strip() for r in rows] == ["—", "40", "61", "95"]
    assert "办事" in rows[2].xpath("string(td[1])")


def test_pages_table_capped_at_500_rows() -> None:
    pages = [make_page(ROOT + f"p{i}.html", score=i % 100) for i in range(600)]
    doc = _doc(render_html(make_result(pages=pages)))
    rows = doc.xpath('//table[contains(@class,"pages")]/tbody/tr')
    assert len(rows) == 500
    assert rows[0].xpath('string(td[last()])').strip() == "0"  # worst first
    assert "500" in doc.xpath('string(//p[contains(@class,"pages-more")])')
    assert "600" in doc.xpath('string(//p[contains(@class,"pages-more")])')


def test_services_empty_state_and_table() -> None:
    assert "服务排名将在可找到性分析中提供" in render_html(make_result())
    assert "Service ranking not computed" in render_html(make_result(), "en")
    services = [
        make_service(2, "失业登记", ROOT + "bszn/sy.html", 55),
        make_service(1, "社会保险登记", ROOT + "bszn/sb.html", 12, reasons=["title-missing"],
                     queries=[{"query": "社保登记", "position": None}, {"query": "社会保险登记", "position": 4}]),
    ]
    result = make_result(services=services, sections=[{"name": "人社局", "services": 2, "score": 33}])
    html = render_html(result)
    assert "服务排名将在可找到性分析中提供" not in html
    rows = _doc(html).xpath('//table[contains(@class,"services")]/tbody/tr')
    assert [r.xpath("string(td[1])") for r in rows] == ["1", "2"]
    first = rows[0].text_content()
    assert "页面缺少标题" in first and "社保登记 → 未找到" in first and "第 4 位" in first
    assert "人社局" in _doc(html).xpath('string(//table[contains(@class,"sections")])')


@pytest.mark.parametrize("result", [
    {},
    {"schema_version": 1},
    {"site": None, "crawl": "x", "rules": None, "findings": None, "pages": None, "services": None},
    {"site": {"score": "n/a", "categories": {"weird": 50}}, "findings": [None, "x", {}], "pages": [{}], "rules": [{}]},
    {"crawl": {"started_at": "not a date", "settings": {"include": ["a", "b"], "obey_robots": False}},
     "findings": [{"rule": "x", "evidence": [1, {"a": None}]}], "services": [{}], "sections": [{}]},
])
def test_missing_or_malformed_optional_fields_do_not_crash(result: dict, tmp_path: Path) -> None:
    for lang in ("zh", "en"):
        html = render_html(result, lang)
        assert "</html>" in html
    write_html(result, tmp_path / "r.html")
    write_findings_csv(result, tmp_path / "f.csv")
    write_pages_csv(result, tmp_path / "p.csv")


def test_evidence_rendered_as_readable_lines() -> None:
    result = make_result(findings=[
        make_finding("title-missing", ROOT + "a", evidence={"titles": ["首页", "首页"], "n": 2}),
        make_finding("title-missing", ROOT + "b", evidence="x" * 5000),
        make_finding("title-missing", ROOT + "c", evidence={"targets": [
            {"url": ROOT + "gone.html", "status": 404, "error": None, "anchor": "旧通知"}], "count": 1}),
    ])
    html = render_html(result)
    assert "&#34;titles&#34;" not in html and '{"titles"' not in html  # no raw JSON
    rows = {r.xpath("string(td[1])"): r for r in _group(_doc(html), "title-missing").xpath(".//tbody/tr")}
    lines = [line.text_content() for line in rows[ROOT + "a"].xpath('.//div[@class="ev-line"]')]
    assert lines == ["标题：首页首页", "n：2"]
    assert [v.text_content() for v in rows[ROOT + "a"].xpath('.//span[starts-with(@class,"ev-v")]')] == \
        ["首页", "首页", "2"]
    long_text = rows[ROOT + "b"].xpath('string(.//span[starts-with(@class,"ev-v")])')
    assert long_text == "x" * 200 + "…" and "x" * 201 not in html
    target = rows[ROOT + "c"].xpath('.//div[@class="ev-line"]')[0]
    assert target.xpath('string(span[@class="ev-k"])') == "目标链接："
    assert target.xpath(".//a/@href") == [ROOT + "gone.html"]
    assert "状态码：404；链接文字：旧通知" in target.text_content() and "错误" not in target.text_content()
    en = _doc(render_html(result, "en"))
    assert "targets: " in _group(en, "title-missing").text_content()


# --- hostile input ------------------------------------------------------------------------------------


def _hostile_result() -> dict:
    result = make_result()
    result["site"]["name"] = SCRIPT_TITLE
    result["pages"] += [
        make_page(ROOT + "x.html", title=SCRIPT_TITLE),
        make_page(ROOT + "y.html", title=IMG_TITLE),
        make_page(JS_URL, title="js"),
        make_page(" JaVa\tScRiPt:alert(2)", title="js2"),
    ]
    result["findings"] += [
        make_finding("title-missing", JS_URL, message=IMG_TITLE, evidence={"title": SCRIPT_TITLE}),
        make_finding("title-missing", ROOT + "z.html", message=SCRIPT_TITLE, message_en=IMG_TITLE,
                     evidence=IMG_TITLE),
        make_finding("<b>bad-rule</b>", ROOT, message="x"),
    ]
    result["rules"][0]["title"] = IMG_TITLE
    result["services"] = [make_service(1, SCRIPT_TITLE, JS_URL, 0, reasons=[IMG_TITLE],
                                       queries=[{"query": IMG_TITLE, "position": 1}], section=SCRIPT_TITLE)]
    result["crawl"]["start_urls"] = [JS_URL]
    result["crawl"]["user_agent"] = IMG_TITLE
    result["crawl"]["settings"] = {SCRIPT_TITLE: IMG_TITLE}
    return result


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_crawled_text_is_escaped(lang: str) -> None:
    html = render_html(_hostile_result(), lang)
    assert SCRIPT_TITLE not in html
    assert IMG_TITLE not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    doc = _doc(html)
    scripts = doc.xpath("//script")  # only the page's own sorting script, allowed by its hash
    assert len(scripts) == 1 and scripts[0].text == script_text()
    assert doc.xpath("//img") == []
    assert "&lt;b&gt;bad-rule&lt;/b&gt;" in html
    assert not [b for b in doc.xpath("//b") if "bad-rule" in b.text_content()]
    for element in doc.iter():
        if isinstance(element.tag, str):
            assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
    hrefs = [a.get("href") for a in doc.xpath("//a[@href]")]
    assert hrefs, "expected some links"
    for href in hrefs:
        assert href.startswith(("http://", "https://", "#")), href
        assert "javascript" not in href.lower()
    # the javascript: URL is shown as text, not as a link
    assert JS_URL in doc.text_content()
    assert not doc.xpath('//a[contains(., "javascript:")]')


@pytest.mark.parametrize("url", [
    JS_URL, "JavaScript:alert(1)", " javascript:alert(1)", "\x00javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
    "//evil.example/", "/relative/path", "relative.html", "", "http://", "http:evil", "https:/x", "http:// x",
    None, 42, ["http://a/"], "http://a/\x01b",
])
def test_safe_href_rejects_non_http(url: object) -> None:
    assert safe_href(url) == "#"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:8000/a.html", "http://127.0.0.1:8000/a.html"),
    ("HTTPS://www.gov.cn/zhengce/", "HTTPS://www.gov.cn/zhengce/"),
    ("  https://example.gov.cn/a b.html\n", "https://example.gov.cn/a b.html"),
    ("http://云溪.gov.cn/办事指南.html", "http://云溪.gov.cn/办事指南.html"),
])
def test_safe_href_keeps_http(url: str, expected: str) -> None:
    assert safe_href(url) == expected


def test_html_j2_templates_are_autoescaped() -> None:
    env = get_environment()
    for name in ("base.html.j2", "partials/findings.html.j2", "report.css"):
        assert env.autoescape(name) is True, name
    assert env.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"


# --- writing ------------------------------------------------------------------------------------------


def test_write_html_is_atomic_and_matches_render(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    write_html(make_result(), target, lang="en")
    assert target.read_text(encoding="utf-8") == render_html(make_result(), "en")
    assert os.listdir(tmp_path) == ["report.html"]
    assert target.stat().st_mode & 0o777 == 0o644
