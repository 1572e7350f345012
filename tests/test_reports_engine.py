"""The scorecard and the site index say it first when a gateway blocks most of Baiduspider's views
(result.json site.engine_blocked), in zh and en; without it they read as before."""

from __future__ import annotations

import lxml.html
import pytest
from result_factory import make_partial_result

from reports.fixes import result_headline
from reports.html import render_html, render_index

FACT = {"engine": "Baiduspider", "share": 0.85, "pages": 214, "views": 252, "marker": "$_ts", "status": 412}
SAID = {"zh": "网关拦截了搜索引擎爬虫 Baiduspider：它抓取的页面中有 85% 得到的不是页面本身（HTTP 412，$_ts）。",
        "en": "A gateway blocks the search engine crawler Baiduspider: 85% of the pages it fetches are not the page "
              "itself (HTTP 412, $_ts). "}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_headline_says_the_engine_block_first(lang: str) -> None:
    before = result_headline(make_partial_result(), lang)["text"]
    result = make_partial_result()
    result["site"]["engine_blocked"] = FACT
    said = result_headline(result, lang)["text"]
    assert said == SAID[lang] + before
    doc = lxml.html.fromstring(render_html(result, lang))
    headline = doc.xpath('//p[contains(@class,"headline")]')[0].text_content()
    assert headline.strip().startswith(SAID[lang].strip())


def test_no_fact_or_a_malformed_one_changes_nothing() -> None:
    before = result_headline(make_partial_result(), "zh")["text"]
    for fact in (None, {}, {"engine": "Baiduspider"}, {"engine": "", "share": 0.9}, "blocked"):
        result = make_partial_result()
        result["site"]["engine_blocked"] = fact
        assert result_headline(result, "zh")["text"] == before
    result = make_partial_result()
    result["site"]["engine_blocked"] = {"engine": "Baiduspider", "share": 0.6}       # no status, no marker
    assert result_headline(result, "en")["text"].startswith(
        "A gateway blocks the search engine crawler Baiduspider: 60% of the pages it fetches are not the page itself (—). ")


@pytest.mark.parametrize(("lang", "flag"), [("zh", "网关拦截 Baiduspider"), ("en", "a gateway blocks Baiduspider")])
def test_the_site_index_flags_a_blocked_site(lang: str, flag: str) -> None:
    blocked, clean = make_partial_result(), make_partial_result()
    blocked["site"].update(engine_blocked=FACT, url="http://a.example.gov.cn/")
    clean["site"].update(url="http://b.example.gov.cn/")
    doc = lxml.html.fromstring(render_index([blocked, clean], ["a/report.html", "b/report.html"], lang))
    tags = doc.xpath('//span[contains(@class,"engine-tag")]')
    assert [t.text_content() for t in tags] == [flag]
    row = tags[0].getparent()
    assert row.xpath('.//a[@class="site-link"]/@href') == ["a/report.html"]
