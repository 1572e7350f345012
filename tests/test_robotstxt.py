"""audits.robotstxt: every validator code fires on a case and stays quiet on its near-miss; per-engine
verdicts, including the documented departures of protego from RFC 9309."""

from __future__ import annotations

import pytest

from audits.robotstxt import (
    ENGINES,
    MAX_BYTES,
    baidu_notes,
    blocked_all,
    decode,
    evaluate,
    looks_html,
    validate,
)

URL = "http://www.example.gov.cn"


def codes(body: bytes, status: int | None = 200, content_type: str | None = "text/plain") -> list[str]:
    return [issue.code for issue in validate(body, status, content_type)]


# ---------------------------------------------------------------------------- validate: fires
@pytest.mark.parametrize(("body", "content_type", "code", "line"), [
    (b"<!DOCTYPE html>\n<html><body>404</body></html>", "text/html", "html", 1),
    (b"\r\n  <html lang=zh><head><title>x</title></head></html>", None, "html", 1),
    (b"\xef\xbb\xbf<!doctype html><html></html>", "text/plain", "html", 1),
    (b"User-agent: *\nDisallow: /\n<p>Not found</p>", "text/html; charset=utf-8", "html", 1),
    (b"User-agent: *\nDisalow: /admin/", None, "unknown-directive", 2),
    (b"User-agent: *\nRobot-version: 2.0", None, "unknown-directive", 2),
    (b"User-agent: *\nhttp://www.example.gov.cn/sitemap.xml", None, "unknown-directive", 2),
    (b"Disallow: /admin/\nUser-agent: *", None, "rule-before-user-agent", 1),
    (b"Sitemap: https://a.cn/s.xml\nAllow: /", None, "rule-before-user-agent", 2),
    (b"User-agent: *\nDisallow: admin/", None, "bad-pattern", 2),
    (b"User-agent: *\nDisallow: https://www.example.gov.cn/admin/", None, "bad-pattern", 2),
    (b"User-agent: *\nDisallow: /a$b", None, "bad-pattern", 2),
    (b"Sitemap: /sitemap.xml", None, "bad-sitemap", 1),
    (b"Sitemap: www.example.gov.cn/sitemap.xml", None, "bad-sitemap", 1),
    (b"Sitemap: ftp://example.gov.cn/sitemap.xml", None, "bad-sitemap", 1),
    (b"sitemap: # empty", None, "bad-sitemap", 1),
    (b"User-agent: *\nDisallow /admin/", None, "no-colon", 2),
    (b"User-agent: *\nUser-agent Baiduspider\nDisallow: /admin/", None, "no-colon", 2),
    (b"User-agent: *\nCrawl-delay: 10s", None, "bad-crawl-delay", 2),
    (b"User-agent: *\nCrawl-delay: -1", None, "bad-crawl-delay", 2),
    (b"User-agent:\nDisallow: /", None, "empty-user-agent", 1),
    (b"User-agent: *\nDisallow: /\xb0\xec\xca\xc2/", None, "not-utf8", 2),     # GBK 办事 in a path
    ("User-agent: *\nDisallow: /".encode("utf-16"), None, "not-utf8", None),
])
def test_validate_fires(body: bytes, content_type: str | None, code: str, line: int | None) -> None:
    issues = validate(body, 200, content_type)
    assert [(i.code, i.line) for i in issues] == [(code, line)], issues
    assert issues[0].message_zh and issues[0].message_en


def test_too_large_fires_past_500_kib_and_lines_after_the_limit_are_not_read() -> None:
    line = b"Disallow: /x/\n"
    body = b"User-agent: *\n" + line * ((MAX_BYTES // len(line)) + 1) + b"Bogus: 1\n"
    assert len(body) > MAX_BYTES
    assert codes(body) == ["too-large"]        # the bogus line is past Google's limit
    exact = (b"User-agent: *\n" + line * (MAX_BYTES // len(line)))[:MAX_BYTES - 1] + b"\n"
    assert len(exact) == MAX_BYTES and "too-large" not in codes(exact)


def test_html_plus_too_large() -> None:
    body = b"<!DOCTYPE html><html>" + b"<p>x</p>" * (MAX_BYTES // 8 + 1)
    assert codes(body) == ["too-large", "html"]


# ---------------------------------------------------------------------------- validate: near-misses
@pytest.mark.parametrize("body", [
    b"User-agent: *\nDisallow:",                                        # empty Disallow = allow all
    b"user-agent:*\ndisallow:",
    b"USER-AGENT:  *\nALLOW:    /         \nDISALLOW:#comment",
    b"User-agent: *\nAllow: *.pdf\nDisallow: /*.php$",                  # '*' start, '$' at the end
    b"# comment only\n\n   \n# another\n",
    b"\xef\xbb\xbfUser-agent: *\nDisallow: /admin/",                    # BOM is fine
    b"User-agent: *\nDisallow: /tmp/\nsitemap: https://www.example.gov.cn/sitemap.xml",
    b"User-agent: *\r\nDisallow: /tmp/\r\nSITEMAP: http://www.example.gov.cn/sitemap_index.xml\r\n",
    b"User-agent: Baiduspider\nCrawl-delay: 0.5\nHost: www.example.gov.cn\nClean-param: sid /x\n",
    b"User-agent: *\nRequest-rate: 1/5\nVisit-time: 0600-0845\nNoindex: /x\nContent-Signal: search=yes",
    b"User-agent: *\nDisallow: /cgi-bin/ # a comment with : colon and \xb0\xec non-UTF-8 bytes",
    "User-agent: *\nDisallow: /办事指南/".encode(),
    b"Sitemap: https://a.cn/s.xml\nUser-agent: *\nDisallow: /",        # Sitemap needs no group
])
def test_validate_near_misses(body: bytes) -> None:
    assert validate(body, 200, "text/plain") == []


@pytest.mark.parametrize(("body", "status", "content_type"), [
    (b"", 200, None),                            # empty file: everything allowed, nothing to report
    (b"  \n", 200, None),
    (b"<html>Not Found</html>", 404, "text/html"),   # a missing robots.txt is robots-txt-missing's job
    (b"Bogus", 503, None),
    (b"User-agent: *\nDisallow: /", 200, "text/html"),   # wrong header but no markup: not HTML
])
def test_validate_not_applicable(body: bytes, status: int, content_type: str | None) -> None:
    assert validate(body, status, content_type) == []


def test_line_numbers_follow_cr_lf_and_crlf() -> None:
    body = b"User-agent: *\rDisallow: /a\r\nBogus: 1\nAlso bogus"
    assert [(i.line, i.code) for i in validate(body, 200, None)] == [(3, "unknown-directive"), (4, "no-colon")]


def test_looks_html_ignores_plain_rules_mentioning_html() -> None:
    assert not looks_html(b"User-agent: *\nDisallow: /index.html", "text/plain")
    assert looks_html(b"<html>", None)


# ---------------------------------------------------------------------------- evaluate
def test_engines_are_the_four_chinese_and_global_engines() -> None:
    assert set(ENGINES) == {"Baiduspider", "Googlebot", "360Spider", "Sogou web spider"}


def test_each_engine_obeys_its_own_group_only() -> None:
    body = (b"User-agent: *\nDisallow: /\n\n"
            b"User-agent: Baiduspider\nDisallow: /private/\n\n"
            b"User-agent: Googlebot\nUser-agent: 360Spider\nAllow: /\n\n"
            b"User-agent: Sogou web spider\nDisallow: /bszn/\n")
    assert evaluate(body, URL + "/bszn/1.html", "Baiduspider")
    assert not evaluate(body, URL + "/private/a.html", "Baiduspider")
    assert evaluate(body, URL + "/private/a.html", "Googlebot")
    assert evaluate(body, URL + "/private/a.html", "360Spider")
    assert not evaluate(body, URL + "/bszn/1.html", "Sogou web spider")
    assert evaluate(body, URL + "/private/a.html", "Sogou web spider")
    assert not evaluate(body, URL + "/", "Bingbot")                    # falls back to *


def test_longest_match_wins_and_allow_wins_ties() -> None:
    body = b"User-agent: *\nDisallow: /zwgk/\nAllow: /zwgk/bszn/\nDisallow: /x\nAllow: /x\n"
    assert evaluate(body, URL + "/zwgk/bszn/a.html", "Baiduspider")
    assert not evaluate(body, URL + "/zwgk/other.html", "Baiduspider")
    assert evaluate(body, URL + "/x", "Googlebot")


def test_wildcards_and_end_anchor() -> None:
    body = b"User-agent: *\nDisallow: /*.php$\nDisallow: /*?sid=\n"
    assert not evaluate(body, URL + "/a/b.php", "Baiduspider")
    assert evaluate(body, URL + "/a/b.php?x=1", "Baiduspider")
    assert not evaluate(body, URL + "/a?sid=9", "Googlebot")


def test_bom_does_not_hide_the_first_group() -> None:
    body = b"\xef\xbb\xbfUser-agent: *\nDisallow: /admin/"
    assert decode(body).startswith("User-agent")
    assert not evaluate(body, URL + "/admin/x", "Baiduspider")


def test_invalid_bytes_are_replaced_not_fatal() -> None:
    body = b"User-agent: *\nDisallow: /\xb0\xec/\nDisallow: /admin/"
    assert not evaluate(body, URL + "/admin/", "Googlebot")


def test_rules_past_500_kib_are_ignored() -> None:
    padding = b"# " + b"x" * 1000 + b"\n"
    body = b"User-agent: *\n" + padding * (MAX_BYTES // len(padding) + 1) + b"Disallow: /late/\n"
    assert evaluate(body, URL + "/late/", "Googlebot")
    assert not evaluate(b"User-agent: *\n" + body[-40:], URL + "/late/", "Googlebot")   # read when in range


def test_a_broken_user_agent_line_leaves_the_rules_without_a_group() -> None:
    assert codes(b"User-agent *\nDisallow: /admin/") == ["no-colon", "rule-before-user-agent"]


def test_typos_and_missing_colons_are_read_as_google_reads_them() -> None:
    assert not evaluate(b"User-agent: *\nDissallow: /a/", URL + "/a/", "Baiduspider")
    assert not evaluate(b"User-agent: *\nDisallow /a/", URL + "/a/", "Baiduspider")
    assert evaluate(b"User-agent: *\nDesallow: /a/", URL + "/a/", "Baiduspider")   # not a known typo


# Documented departures of protego from RFC 9309 / Google's parser (see the module docstring).
@pytest.mark.parametrize(("group", "agent", "applies"), [
    ("Baidu", "Baiduspider", True),                 # RFC: whole-token match, would not apply
    ("google", "Googlebot", True),
    ("Sogou", "Sogou web spider", True),
    ("spider", "Sogou web spider", True),
    ("sogou spider", "Sogou web spider", False),
    ("spider", "360Spider", False),                 # no word boundary before "spider"
    ("Baiduspider+", "Baiduspider", False),         # Google would read the token "Baiduspider"
    ("Baiduspider-image", "Baiduspider", False),
    ("baiduspider", "Baiduspider", True),           # case-insensitive
])
def test_protego_group_matching_deviations(group: str, agent: str, applies: bool) -> None:
    body = f"User-agent: {group}\nDisallow: /\n".encode()
    assert evaluate(body, URL + "/a", agent) is (not applies)


def test_blocked_all() -> None:
    assert blocked_all(b"User-agent: *\nDisallow: /", "Baiduspider")
    assert blocked_all(b"User-agent: Baiduspider\nDisallow: /\n\nUser-agent: *\nAllow: /", "Baiduspider")
    assert not blocked_all(b"User-agent: Baiduspider\nDisallow: /\n\nUser-agent: *\nAllow: /", "Googlebot")
    assert not blocked_all(b"User-agent: *\nDisallow: /admin/", "Baiduspider")
    assert not blocked_all(b"User-agent: *\nDisallow:", "Googlebot")
    assert not blocked_all(b"<html><body>404</body></html>", "Baiduspider")
    assert not blocked_all(b"", "Googlebot")


# ---------------------------------------------------------------------------- Baidu notes
def test_baidu_notes_crawl_delay() -> None:
    notes = baidu_notes(b"User-agent: *\nCrawl-delay: 10\nCrawl-delay: 5\n")
    assert [(n.code, n.line) for n in notes] == [("crawl-delay", 2)]
    assert baidu_notes(b"User-agent: *\nDisallow: /admin/\n") == []


def test_baidu_notes_own_group_shadows_star_rules() -> None:
    body = b"User-agent: *\nDisallow: /admin/\n\nUser-agent: Baiduspider\nAllow: /\n"
    assert [n.code for n in baidu_notes(body)] == ["baidu-own-group"]
    # near-misses: no rules under *, or no Baiduspider group (Baiduspider-image is another crawler)
    assert baidu_notes(b"User-agent: *\nDisallow:\n\nUser-agent: Baiduspider\nDisallow: /x/\n") == []
    assert baidu_notes(b"User-agent: *\nDisallow: /a/\n\nUser-agent: Baiduspider-image\nDisallow: /\n") == []
