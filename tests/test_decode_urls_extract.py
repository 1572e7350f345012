"""Pure crawler parsers, tested with inline bytes."""

import pytest

from crawler.decode import decode_html
from crawler.extract import extract_links, parse_html, refresh_target
from crawler.urls import BadURL, Resolver, Scope, date_pattern, normalize

TITLE = "关于做好2026年冬季供暖工作的通知"


def test_gbk_page_without_header_charset_decodes_exactly():
    body = f'<html><head><meta charset="gbk"><title>{TITLE}</title></head></html>'.encode("gbk")
    decoded = decode_html(body, "text/html")
    assert TITLE in decoded.text
    assert decoded.used == "gb18030" and not decoded.mismatch


def test_short_gbk_text_that_is_also_valid_utf8_still_decodes_as_gbk():
    body = '<html><head><meta charset="gbk"><title>通知</title></head></html>'.encode("gbk")
    assert body.decode("utf-8")  # the trap: these GBK bytes are valid UTF-8 too
    assert "<title>通知</title>" in decode_html(body, "text/html").text


def test_declared_gb2312_but_utf8_bytes_is_a_mismatch_and_decodes_right():
    body = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>人民网</title>'.encode()
    decoded = decode_html(body, "text/html")
    assert decoded.mismatch and decoded.detected == "utf-8" and "人民网" in decoded.text


def test_header_charset_wins_when_it_agrees_and_bom_wins_over_all():
    assert not decode_html("<p>中文</p>".encode(), "text/html; charset=UTF-8").mismatch
    bom = decode_html(b"\xef\xbb\xbf<p>\xe4\xb8\xad</p>", "text/html; charset=gbk")
    assert bom.text == "<p>中</p>" and bom.mismatch


def test_non_utf8_bytes_without_declaration_is_a_mismatch():
    assert decode_html("<p>办事指南</p>".encode("gbk"), "text/html").mismatch
    assert not decode_html(b"<p>plain ascii</p>", "text/html").mismatch


@pytest.mark.parametrize(("raw", "base", "expected"), [
    ("HTTP://Example.COM:80", None, "http://example.com/"),
    ("https://a.gov.cn:443/x?b=2&a=1#frag", None, "https://a.gov.cn/x?b=2&a=1"),
    ("../a b.html", "http://h:81/x/y/z.html", "http://h:81/x/a%20b.html"),
    ("/办事?q=社保", "http://h/", "http://h/%E5%8A%9E%E4%BA%8B?q=%E7%A4%BE%E4%BF%9D"),
])
def test_normalize(raw, base, expected):
    assert normalize(raw, base) == expected


@pytest.mark.parametrize("raw", ["javascript:void(0)", "mailto:a@b.cn", "tel:12345", "ftp://x/"])
def test_normalize_rejects_what_cannot_be_crawled(raw):
    with pytest.raises(BadURL):
        normalize(raw, "http://h/")


@pytest.mark.parametrize("raw", ["http://", "notaurl", "http://[::1", "//"])
def test_normalize_rejects_malformed_start_urls(raw):
    with pytest.raises(BadURL):
        normalize(raw)


def test_scope_ports_subdomains_and_filters():
    scope = Scope(["http://www.yx.gov.cn/"], subdomains=True, exclude=[r"/search/"])
    assert scope.on_site("https://www.yx.gov.cn/a")          # http and https default ports are one site
    assert scope.on_site("http://rsj.www.yx.gov.cn/")
    assert not scope.on_site("http://www.yx.gov.cn:8080/")
    assert not scope.on_site("http://evil-www.yx.gov.cn.example/")
    assert scope.filtered("http://www.yx.gov.cn/search/?q=1")
    local = Scope(["http://127.0.0.1:8000/"])
    assert local.on_site("http://127.0.0.1:8000/x") and not local.on_site("http://127.0.0.1:8001/x")


def test_extract_every_link_kind_with_anchor_text():
    doc = parse_html(
        '<html><head><base href="/x/"><meta http-equiv="Refresh" content="0; URL=/bsfw/qybs/">'
        '<link rel="Canonical" href="http://a/"></head><body><a href="a.html">  更多 <b>&gt;&gt;</b></a>'
        '<map><area href="/m" alt="地图"></map><iframe src="/e"></iframe><frame src="/f">'
        '<a href="/i"><img src="/l.png" alt="标志"></a><a>no href</a><a href=" ">blank</a></body></html>')
    extracted = extract_links(doc)
    assert extracted.base == "/x/"
    assert [(link.tag, link.href, link.anchor) for link in extracted.links] == [
        ("meta-refresh", "/bsfw/qybs/", None), ("canonical", "http://a/", None), ("a", "a.html", "更多 >>"),
        ("area", "/m", "地图"), ("iframe", "/e", None), ("frame", "/f", None), ("a", "/i", "标志"),
        ("img", "/l.png", "标志")]


@pytest.mark.parametrize(("content", "target"), [
    ("0; url=/a", "/a"), ("5;URL='http://x/y'", "http://x/y"), ("3", None), ("", None), (None, None),
])
def test_refresh_target(content, target):
    assert refresh_target(content) == target


def test_parse_html_survives_garbage():
    assert parse_html("") is None
    assert extract_links(parse_html("\x00\x01<<<>>>" * 100)).links == []


@pytest.mark.parametrize(("url", "pattern"), [
    ("http://h/events?date=2026-11-27", "http://h/events?date={date}"),
    ("http://h/calendar/2026/11/27/", "http://h/calendar/{date}/"),
    ("http://h/rl/20261127.html", "http://h/rl/{date}.html"),
    # near misses: an article keeps its own id; no full date; an impossible date
    ("http://h/xwzx/202611/t20261103_1234.html", "http://h/xwzx/202611/t{date}_1234.html"),
    ("http://h/xwzx/202611/index_2.html", None),
    ("http://h/x/2026-13-40", None),
])
def test_date_pattern_groups_calendar_pages_only(url, pattern):
    assert date_pattern(url) == pattern


_BASES = ["http://a.gov.cn/", "http://a.gov.cn/bm1/index.html", "http://a.gov.cn/bm1/t1.html?id=3#top",
          "http://a.gov.cn/bm2/sub/t2.html", "https://a.gov.cn/bm1/", "http://b.gov.cn:8080/x/y", "http://c.gov.cn"]
_HREFS = ["/bm3/", "t000123.html", "../up.html", "./same.html", "?page=2", "#frag", "", "  /spaced.html ",
          "//cdn.gov.cn/x.html", "http://other.gov.cn/a", "HTTPS://Other.gov.cn:443/b", "http:g", "mailto:x@y.cn",
          "javascript:void(0)", "/a b.html", "中文/页面.html", "\t/tab.html", "/a\\b.html", "http://[bad"]


def test_memoising_resolver_agrees_with_normalize_whatever_the_base():
    """The memo key keeps only what resolution reads: the same href under another page resolves anew."""
    resolve = Resolver(size=7)      # tiny: the memo is cleared and refilled during the test
    for _ in range(2):
        for base in _BASES:
            for href in _HREFS:
                try:
                    expected = normalize(href, base)
                except BadURL:
                    with pytest.raises(BadURL):
                        resolve(href, base)
                else:
                    assert resolve(href, base) == expected, (href, base)
