"""Tests of the scorecard's sections: order, services and league table, structure charts, trend, CSP."""

from __future__ import annotations

import base64
import copy
import hashlib
import re

import lxml.html
import pytest
from result_factory import ROOT, make_page, make_result, make_service

from reports.charts import _ceil_nice, column_chart, line_chart
from reports.evidence import evidence_lines
from reports.html import content_security_policy, render_html, script_text


def _doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def _services_result() -> dict:
    hard = make_service(1, "社会保险登记", ROOT + "bszn/sb.html", 12, reasons=["title-missing"],
                        queries=[{"query": "社保登记", "position": None}])
    hard["fixes"] = [{"rule": "title-missing", "fix": "标题改为“社会保险登记_办事指南”", "fix_en": "Retitle it"}]
    hard.update(everyday_missing=["社保"], depth=5, indexable=False, title="办事指南")
    services = [make_service(2, "失业登记", ROOT + "bszn/sy.html", 55, section="人社局"), hard]
    sections = [{"name": "公安局", "services": 4, "score": 90, "hard": 0, "hardest": "户口迁移"},
                {"name": "人社局", "services": 2, "score": 33, "hard": 2, "hardest": "社会保险登记"},
                {"name": "无分", "services": 1, "score": None, "hard": 0, "hardest": ""}]
    return make_result(services=services, sections=sections)


# --- page and CSP -------------------------------------------------------------------------------------


def test_sections_in_order_services_first() -> None:
    html = render_html(_services_result())
    ids = [s.get("id") for s in _doc(html).xpath("//main/section")]
    assert ids == ["overview", "scores", "services", "sections", "findings", "structure", "pages"]  # no fixes: none said


def test_csp_allows_exactly_the_inline_script_by_hash() -> None:
    html = render_html(make_result())
    doc = _doc(html)
    csp = doc.xpath('string(//meta[@http-equiv="Content-Security-Policy"]/@content)')
    assert csp == content_security_policy()
    script = doc.xpath("//script")[0].text
    assert script == script_text() and "sort" in script
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == f"'sha256-{digest}'"
    assert directives["default-src"] == "'none'"
    assert "unsafe" not in directives["script-src"]


def test_page_is_self_contained() -> None:
    html = render_html(_services_result())
    doc = _doc(html)
    assert not doc.xpath("//link | //img | //iframe | //object | //embed | //script[@src]")
    assert "@import" not in html and "url(" not in html
    for href in doc.xpath("//a/@href"):
        assert href.startswith(("#", "http://", "https://")), href
    assert "innerHTML" not in script_text() and "insertAdjacentHTML" not in script_text()


def test_tables_are_complete_without_javascript() -> None:
    pages = [make_page(ROOT + f"p{i}.html", score=i) for i in range(30)]
    doc = _doc(render_html(make_result(pages=pages)))
    table = doc.xpath('//table[contains(@class,"pages")]')[0]
    assert table.get("data-sortable") is not None and table.get("data-filter") is not None
    assert len(table.xpath("./tbody/tr")) == 30
    assert not doc.xpath("//input | //button")  # controls are added by the script only


# --- services and league table ------------------------------------------------------------------------


def test_services_table_reasons_fixes_and_details() -> None:
    doc = _doc(render_html(_services_result()))
    rows = doc.xpath('//table[contains(@class,"services")]/tbody/tr')
    assert [r.xpath("string(td[1])") for r in rows] == ["1", "2"]
    first = rows[0]
    assert first.xpath("string(td[2]/strong)") == "社会保险登记"
    assert "点击深度 5" in first.xpath("string(td[2])") and "不可收录" in first.xpath("string(td[2])")
    assert first.xpath("string(td[5])") == "页面缺少标题"
    assert first.xpath("string(td[6])") == "标题改为“社会保险登记_办事指南”"
    assert "页面未使用群众常用说法：社保" in first.xpath("string(td[7])")
    assert rows[1].xpath("string(td[6])") == "—"
    en = _doc(render_html(_services_result(), "en")).xpath('//table[contains(@class,"services")]/tbody/tr')
    assert en[0].xpath("string(td[6])") == "Retitle it"


def test_league_table_worst_first_with_places() -> None:
    rows = _doc(render_html(_services_result())).xpath('//table[contains(@class,"sections")]/tbody/tr')
    assert [(r.xpath("string(td[1])"), r.xpath("string(td[2])")) for r in rows] == \
        [("1", "人社局"), ("2", "公安局"), ("3", "无分")]
    assert rows[0].xpath("string(td[3])").strip() == "33"
    assert rows[2].xpath("string(td[3]/@data-sort)") == ""


def test_services_capped_with_pointer_to_csv() -> None:
    services = [make_service(i + 1, f"服务{i}", ROOT + f"s{i}.html", i % 100) for i in range(520)]
    doc = _doc(render_html(make_result(services=services)))
    assert len(doc.xpath('//table[contains(@class,"services")]/tbody/tr')) == 500
    assert doc.xpath('string(//p[contains(@class,"services-more")])') == "另有 20 项未显示，完整列表见 services.csv。"


# --- structure ----------------------------------------------------------------------------------------


def test_structure_charts_from_pages() -> None:
    pages = make_result()["pages"] + [
        make_page(ROOT + "deep.html", depth=12, is_service=True, in_sitemap=False),
        make_page(ROOT + "blocked.html", status=None, depth=None, kind="blocked", indexable=False),
        make_page(ROOT + "failed.html", status=None, depth=None, kind="error", indexable=False),
    ]
    doc = _doc(render_html(make_result(pages=pages)))
    depth = doc.xpath('//svg[@id="chart-depth"]')[0]
    labels = [t.text for t in depth.xpath('.//text[@class="lbl"]')]
    assert labels == [str(d) for d in range(10)] + ["10+"]
    values = {g.xpath('string(text[@class="lbl"])'): g.xpath('string(text[@class="val"])') for g in depth.xpath("g")}
    assert values["0"] == "1" and values["1"] == "1" and values["4"] == "1" and values["10+"] == "1"
    assert "2 个网址无法从首页沿链接到达" in doc.xpath('string(//figure[@id="fig-depth"])')
    status = [" ".join(g.xpath(".//text/text()")) for g in doc.xpath('//svg[@id="chart-status"]/g')]
    assert status == ["200 4 (57%)", "404 1 (14%)", "抓取失败 1 (14%)", "robots 禁止 1 (14%)"]
    assert "2 个网址返回错误或无法抓取" in doc.xpath('string(//figure[@id="fig-status"])')
    sitemap = [g.xpath('string(text[@class="lbl"])') for g in doc.xpath('//svg[@id="chart-sitemap"]/g')]
    assert sitemap == ["可收录页面", "办事服务页面", "站点地图中的网址"]


def test_structure_empty_without_pages() -> None:
    doc = _doc(render_html(make_result(pages=[])))
    assert not doc.xpath("//svg")
    assert "没有抓取到页面" in doc.xpath('string(//section[@id="structure"])')


def test_chart_geometry_stays_inside_the_canvas() -> None:
    assert [_ceil_nice(v) for v in (0, 1, 3, 7, 10, 11, 44, 120, 50000)] == [1, 1, 5, 10, 10, 20, 50, 200, 50000]
    chart = column_chart(["0", "1", "2"], [("a", "A", [0, 5, 50_000]), ("b", "B", [1, 0, 3])])
    for bar in chart["bars"]:
        assert 0 <= bar["top"] <= chart["base"] and chart["left"] <= bar["x"] <= chart["right"]
        assert sum(s["h"] for s in bar["segments"]) <= chart["base"]
    line = line_chart(["a"], [("l", "L", [150]), ("m", "M", [None])])
    assert line["lines"][0]["points"][0]["y"] >= 0 and line["lines"][1]["points"] == []


# --- evidence -----------------------------------------------------------------------------------------


def test_evidence_lines_shapes_and_budget() -> None:
    assert evidence_lines(None) == [] and evidence_lines({}) == [] and evidence_lines("") == []
    assert evidence_lines("纯文本") == [{"key": "", "parts": [{"url": "", "text": "纯文本"}], "more": 0}]
    many = evidence_lines({"urls": [ROOT + f"{i}.html" for i in range(30)]})
    assert len(many[0]["parts"]) == 8 and many[0]["more"] == 22 and many[0]["parts"][0]["url"] == ROOT + "0.html"
    assert evidence_lines({"others": []})[0]["parts"][0]["text"] == "（无）"
    flags = evidence_lines({"loop": True, "similarity": 0.92123, "x": None}, "en")
    assert [p["text"] for line in flags for p in line["parts"]] == ["yes", "0.9212", "—"]
    huge = evidence_lines({f"k{i}": "y" * 500 for i in range(100)})
    shown = sum(len(p["text"]) for line in huge for p in line["parts"])
    assert shown <= 700 and huge[-1]["more"] == -1
    relative = evidence_lines({"target": "javascript:alert(1)"})[0]["parts"][0]
    assert relative["url"] == "javascript:alert(1)"  # shown via link(), which refuses non-http hrefs


# --- trend --------------------------------------------------------------------------------------------


def _history() -> tuple[dict, list[dict]]:
    now = _services_result()
    older, old = copy.deepcopy(now), copy.deepcopy(now)
    older["crawl"]["started_at"], old["crawl"]["started_at"] = "2026-03-01T02:00:00Z", "2026-06-01T02:00:00Z"
    older["site"]["score"], old["site"]["score"] = 40, 55
    older["services"][1]["score"], old["services"][1]["score"] = 30, 20   # 社会保险登记: 30 → 20 → 12
    old["services"][0]["url"] = ROOT + "moved.html"                       # matched by name instead
    older["services"] = older["services"][1:]                             # 失业登记 new since June
    return now, [old, older]                                              # given out of order on purpose


def test_trend_section_only_with_history() -> None:
    assert not _doc(render_html(_services_result())).xpath('//section[@id="trend"]')
    now, history = _history()
    before = copy.deepcopy(history)
    doc = _doc(render_html(now, history=history))
    assert history == before
    assert doc.xpath("//main/section")[-1].get("id") == "trend"
    runs = doc.xpath('//table[contains(@class,"runs")]/tbody/tr')
    assert [r.xpath("string(td[1])") for r in runs] == ["2026-03-01", "2026-06-01", "2026-11-27"]
    assert [r.xpath("string(td[2])").strip() for r in runs] == ["40", "55", "72"]
    assert runs[-1].get("class") == "current"
    points = doc.xpath('//svg[@id="chart-trend"]/g[@class="l-site"]/circle')
    assert len(points) == 3


def test_trend_service_changes() -> None:
    now, history = _history()
    rows = _doc(render_html(now, history=history)).xpath('//table[contains(@class,"trend-services")]/tbody/tr')
    cells = {r.xpath("string(td[1])"): [c.strip() for c in r.xpath("td/text() | td/span/text()")] for r in rows}
    assert cells["社会保险登记"] == ["社会保险登记", "人社局", "30", "20", "12", "-8"]
    assert cells["失业登记"][2:] == ["—", "55", "55", "0"]  # June matched by name (its URL moved)
    now["services"].append(make_service(3, "新事项", ROOT + "new.html", 70))
    rows = _doc(render_html(now, history=history)).xpath('//table[contains(@class,"trend-services")]/tbody/tr')
    assert rows[-1].xpath("string(td[1])") == "新事项 新" and rows[-1].xpath("string(td[last()])") == "—"
    en = _doc(render_html(now, "en", history)).xpath('string(//table[contains(@class,"trend-services")]/thead)')
    assert "vs last" in en


@pytest.mark.parametrize("junk", [[{}], [None, "x"], [{"crawl": {"started_at": "?"}, "services": "x"}]])
def test_trend_with_malformed_history(junk: list) -> None:
    html = render_html(_services_result(), history=junk)
    assert 'id="trend"' in html
    assert re.search(r"</html>\s*$", html)


def test_trend_undated_current_run_counts_as_latest() -> None:
    now, history = _history()
    del now["crawl"]["started_at"]
    runs = _doc(render_html(now, history=history)).xpath('//table[contains(@class,"runs")]/tbody/tr')
    assert runs[-1].get("class") == "current" and runs[-1].xpath("string(td[1])") == "?"


# --- what Baiduspider gets / what a citizen sees ----------------------------------------------------------


def _views_result() -> dict:
    hostile = '<img src=x onerror="alert(1)">临时救助'
    blocked = make_service(1, "临时救助申请", ROOT + "bsfw/2017.html", 7, reasons=["engine-blocked"])
    blocked["views"] = [{"rule": "engine-blocked", "measure": "page",
                         "engine": {"name": "Baiduspider", "status": 412, "title": None, "text_chars": 0,
                                    "marker": "$_ts", "note": None, "via": None},
                         "citizen": {"name": "browser", "status": 200, "title": hostile, "text_chars": 700,
                                     "marker": None, "note": None, "via": None}}]
    scripted = make_service(2, "灵活就业人员参保登记", ROOT + "bsfw/2015.html", 9, reasons=["js-dependent-content"])
    scripted["views"] = [{"rule": "js-dependent-content", "measure": "main",
                          "engine": {"name": "Baiduspider", "status": 200, "title": "灵活就业", "text_chars": 91,
                                     "marker": None, "note": None, "via": None},
                          "citizen": {"name": "browser", "status": None, "title": None, "text_chars": None,
                                      "marker": None, "note": "not-rendered", "via": None}}]
    linked = make_service(3, "残疾人补贴", ROOT + "bsfw/2031.html", 4, reasons=["js-only-link"])
    linked["views"] = [{"rule": "js-only-link", "measure": "main",
                        "engine": {"name": "Baiduspider", "status": None, "title": None, "text_chars": None,
                                   "marker": None, "note": "no-link", "via": None},
                        "citizen": {"name": "browser", "status": 200, "title": "残疾人补贴", "text_chars": 473,
                                    "marker": None, "note": None, "via": ROOT + "bsfw/"}}]
    fine = make_service(4, "户口迁移", ROOT + "bsfw/hk.html", 90)
    return make_result(services=[fine, linked, scripted, blocked])


def test_the_views_panel_sets_both_sides_of_each_gated_service_side_by_side() -> None:
    doc = _doc(render_html(_views_result()))
    section = doc.get_element_by_id("views")
    rows = section.xpath(".//tbody/tr")
    assert [r.xpath("string(td[1]/strong)") for r in rows] == ["临时救助申请", "灵活就业人员参保登记", "残疾人补贴"]
    blocked = [" ".join(td.text_content().split()) for td in rows[0].xpath("td")]
    assert "HTTP 412（挑战标记 $_ts）" in blocked[3] and "页面文字 0 字" in blocked[3] and "无标题" in blocked[3]
    assert "HTTP 200" in blocked[4] and "页面文字 700 字" in blocked[4]
    assert not rows[0].xpath(".//img") and '<img src=x onerror="alert(1)">临时救助' in blocked[4]  # escaped
    scripted = [" ".join(td.text_content().split()) for td in rows[1].xpath("td")]
    assert "正文 91 字" in scripted[3] and "用 --render 运行" in scripted[4]
    linked = rows[2].xpath("td")
    assert "找不到" in linked[3].text_content() and "view-bad" in linked[3].get("class")
    assert "正文 473 字" in linked[4].text_content() and ROOT + "bsfw/" in linked[4].text_content()
    assert doc.xpath('//nav//a[@href="#views"]')
    english = _doc(render_html(_views_result(), lang="en")).get_element_by_id("views")
    assert "Baiduspider gets" in english.text_content() and "page text: 700 characters" in english.text_content()


def test_no_views_panel_without_a_view_gate() -> None:
    doc = _doc(render_html(_services_result()))
    assert not doc.xpath('//*[@id="views"]') and not doc.xpath('//nav//a[@href="#views"]')
