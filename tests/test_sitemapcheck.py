"""audits.sitemapcheck: every sitemap code fires on a case and stays quiet on its near-miss."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from audits.sitemapcheck import (
    ENTRY_PROBLEMS,
    MAX_BYTES,
    MAX_URLS,
    entry_problems,
    is_w3c_datetime,
    scan_xml,
    validate_sitemap,
)
from crawler.sitemaps import parse_sitemap

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITE = "http://www.example.gov.cn"


def stored(raw: bytes, url: str = SITE + "/sitemap.xml", status: int | None = 200) -> dict[str, Any]:
    """A sitemap as the crawl store keeps it, from the project's own parser."""
    parsed = parse_sitemap(raw)
    return {"url": url, "status": status, "kind": parsed.kind, "content_type": "application/xml",
            "gzipped": parsed.gzipped, "raw_size": len(raw), "size": len(parsed.body), "body": parsed.body,
            "error": parsed.error, "entries": parsed.entries or [{"loc": c} for c in parsed.children]}


def urlset(*urls: str, ns: str = NS, lastmod: str | None = None) -> bytes:
    extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    items = "".join(f"<url><loc>{u}</loc>{extra}</url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{ns}">{items}</urlset>'.encode()


def codes(sitemap: dict[str, Any]) -> list[str]:
    return [issue.code for issue in validate_sitemap(sitemap)]


def test_valid_urlset_index_and_text_have_no_issues() -> None:
    assert codes(stored(urlset(SITE + "/bszn/1.html", lastmod="2024-05-01T08:00:00+08:00"))) == []
    index = (f'<sitemapindex xmlns="{NS}"><sitemap><loc>{SITE}/s1.xml</loc></sitemap>'
             f"</sitemapindex>").encode()
    assert codes(stored(index)) == []
    assert codes(stored(f"\ufeff{SITE}/a.html\n{SITE}/b.html\n".encode())) == []
    assert codes(stored(gzip.compress(urlset(SITE + "/a.html")))) == []


# ---------------------------------------------------------------------------- unparseable
def test_unparseable_fires_on_neither_xml_nor_urls_and_on_broken_xml() -> None:
    assert codes(stored(b"<!DOCTYPE html><html><body>404</body></html>")) == ["unparseable"]
    assert codes(stored(b"just some words")) == ["unparseable"]
    assert codes(stored(b"\x1f\x8bnot really gzip")) == ["unparseable"]
    broken = stored(f'<urlset xmlns="{NS}"><url><loc>{SITE}/a</loc></url><url><lo'.encode())
    assert broken["kind"] == "urlset" and broken["error"].startswith("XML")  # recovered, error kept
    assert "unparseable" in codes(broken)
    leading_blank = stored(b"\n\n" + urlset(SITE + "/a"))              # whitespace before <?xml ...?>
    assert codes(leading_blank) == ["unparseable"]


def test_unparseable_from_the_parser_error_when_no_body_is_stored() -> None:
    sitemap = stored(urlset(SITE + "/a")) | {"body": None, "error": "XML: mismatched tag"}
    assert codes(sitemap) == ["unparseable"]


def test_unreachable_and_missing() -> None:
    failed = {"url": SITE + "/sitemap.xml", "status": 500, "kind": "invalid", "error": "HTTP 500", "entries": []}
    assert codes(failed) == ["unreachable"]
    timeout = failed | {"status": None, "error": "timeout"}
    assert codes(timeout) == ["unreachable"]
    assert codes(failed | {"status": 404, "kind": "missing"}) == []


# ---------------------------------------------------------------------------- namespace
@pytest.mark.parametrize("ns", [
    "http://www.google.com/schemas/sitemap/0.84", NS + "/", "https://www.sitemaps.org/schemas/sitemap/0.9"])
def test_namespace_fires_on_a_wrong_namespace(ns: str) -> None:
    assert codes(stored(urlset(SITE + "/a", ns=ns))) == ["namespace"]


def test_namespace_fires_without_a_namespace_but_not_for_a_prefixed_one() -> None:
    bare = f"<urlset><url><loc>{SITE}/a</loc></url></urlset>".encode()
    assert codes(stored(bare)) == ["namespace"]
    prefixed = f'<s:urlset xmlns:s="{NS}"><s:url><s:loc>{SITE}/a</s:loc></s:url></s:urlset>'.encode()
    assert codes(stored(prefixed)) == []


# ---------------------------------------------------------------------------- sizes and counts
def test_too_many_urls() -> None:
    base = stored(urlset(SITE + "/a"))
    assert codes(base | {"entries": [{"loc": f"{SITE}/{i}"} for i in range(MAX_URLS)]}) == []
    assert codes(base | {"entries": [{"loc": f"{SITE}/{i}"} for i in range(MAX_URLS + 1)]}) == ["too-many-urls"]


def test_too_large_uses_the_decompressed_size() -> None:
    base = stored(urlset(SITE + "/a")) | {"body": None}
    assert codes(base | {"size": MAX_BYTES, "raw_size": 100}) == []
    issues = validate_sitemap(base | {"size": MAX_BYTES + 1, "raw_size": 100})
    assert [i.code for i in issues] == ["too-large"]
    assert "10MB" in issues[0].message_zh and "50 MB" in issues[0].message_en


def test_a_gzip_bomb_is_too_large_not_unparseable() -> None:
    sitemap = {"url": SITE + "/s.xml.gz", "status": 200, "kind": "invalid", "body": b"",
               "error": "gzip inflates beyond 52428800 bytes", "entries": []}
    assert codes(sitemap) == ["too-large"]


def test_empty() -> None:
    assert codes(stored(f'<urlset xmlns="{NS}"></urlset>'.encode())) == ["empty"]
    assert codes(stored(f'<sitemapindex xmlns="{NS}"><sitemap></sitemap></sitemapindex>'.encode())) == ["empty"]
    assert codes(stored(urlset(SITE + "/a"))) == []


# ---------------------------------------------------------------------------- entries
def test_loc_too_long_at_257_bytes_not_256() -> None:
    prefix = SITE + "/"
    ok = prefix + "a" * (256 - len(prefix))
    assert len(ok.encode()) == 256
    assert codes(stored(urlset(ok))) == []
    assert codes(stored(urlset(ok + "b"))) == ["loc-too-long"]


def test_loc_length_counts_utf8_bytes() -> None:
    prefix = SITE + "/"
    loc = prefix + "办" * ((256 - len(prefix)) // 3 + 1)        # fewer than 256 characters, more bytes
    assert len(loc) < 256 < len(loc.encode())
    issues = validate_sitemap(stored(urlset(loc)))
    assert [i.code for i in issues] == ["loc-too-long"] and issues[0].evidence["examples"] == [loc]


@pytest.mark.parametrize(("loc", "fires"), [
    ("/bszn/1.html", True), ("bszn/1.html", True), ("www.example.gov.cn/a", True), ("ftp://a.cn/x", True),
    ("http:///nohost", True), ("HTTP://WWW.EXAMPLE.GOV.CN/a", False), ("https://a.cn", False),
])
def test_loc_relative(loc: str, fires: bool) -> None:
    sitemap = stored(urlset(SITE + "/a")) | {"entries": [{"loc": loc}]}
    assert ("loc-relative" in codes(sitemap)) is fires


@pytest.mark.parametrize("value", [
    "2024", "2024-05", "2024-05-01", "2024-05-01T08:00+08:00", "2024-05-01T08:00:00Z",
    "2024-05-01T08:00:00.123-05:00", " 2024-05-01 "])
def test_w3c_datetimes_pass(value: str) -> None:
    assert is_w3c_datetime(value)
    assert codes(stored(urlset(SITE + "/a", lastmod=value))) == []


@pytest.mark.parametrize("value", [
    "2024-05-01 08:00:00", "2024/05/01", "2024-13-01", "2024-02-30", "2024-05-01T08:00:00",
    "2024-05-01T25:00:00Z", "20240501", "yesterday"])
def test_lastmod_invalid(value: str) -> None:
    assert not is_w3c_datetime(value)
    issues = validate_sitemap(stored(urlset(SITE + "/a", lastmod=value)))
    assert [i.code for i in issues] == ["lastmod-invalid"]
    assert issues[0].evidence == {"count": 1, "examples": [{"loc": SITE + "/a", "lastmod": value}]}


def test_index_self_link() -> None:
    url = SITE + "/sitemap_index.xml"
    index = (f'<sitemapindex xmlns="{NS}"><sitemap><loc>{url}</loc></sitemap>'
             f"<sitemap><loc>{SITE}/s1.xml</loc></sitemap></sitemapindex>").encode()
    assert codes(stored(index, url=url)) == ["index-self-link"]
    assert codes(stored(index, url=SITE + "/other_index.xml")) == []


def test_evidence_is_capped_and_counted() -> None:
    sitemap = stored(urlset(*(f"/p{i}.html" for i in range(12))))
    (issue,) = validate_sitemap(sitemap)
    assert issue.code == "loc-relative" and issue.evidence["count"] == 12 and len(issue.evidence["examples"]) == 5


# ---------------------------------------------------------------------------- safety
def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("http://www.example.com/do-not-visit-here")
    body = (f'<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
            f'<urlset xmlns="{NS}"><url><loc>http://www.example.com/visit-here</loc></url>'
            f"<url><loc>&xxe;</loc></url></urlset>").encode()
    sitemap = stored(body)
    assert [e["loc"] for e in sitemap["entries"]] == ["http://www.example.com/visit-here"]
    assert "do-not-visit" not in repr(validate_sitemap(sitemap))
    assert scan_xml(body) == (f"{{{NS}}}urlset", None)


def test_billion_laughs_do_not_expand() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9))
    body = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY l0 "lol">{lol}]>'
            f'<urlset xmlns="{NS}"><url><loc>{SITE}/&l8;</loc></url></urlset>').encode()
    root, _error = scan_xml(body)
    assert root == f"{{{NS}}}urlset"
    assert all(len(e["loc"]) < 100 for e in stored(body)["entries"])


# ---------------------------------------------------------------------------- entry_problems
def test_entry_problems() -> None:
    loc = SITE + "/a.html"
    assert entry_problems(loc, 200, None, False, False, True) == []
    assert entry_problems(loc, None, None, False, False, True) == []          # not fetched: no verdict
    assert entry_problems(loc, 404, None, False, False, True) == ["not-200"]
    assert entry_problems(loc, 500, None, False, False, True) == ["not-200"]
    assert entry_problems(loc, 301, SITE + "/b.html", False, False, True) == ["redirect"]
    assert entry_problems(loc, 200, SITE + "/b.html", False, False, True) == ["redirect"]   # meta refresh
    assert entry_problems(loc, 200, None, True, False, True) == ["noindex"]
    assert entry_problems(loc, 200, None, False, True, True) == ["robots-blocked"]
    assert entry_problems("http://other.cn/a", 200, None, False, False, False) == ["off-host"]
    assert entry_problems(loc, 302, "/x", True, True, False) == ["redirect", "noindex", "robots-blocked",
                                                                  "off-host"]
    assert set(ENTRY_PROBLEMS) == {"not-200", "redirect", "noindex", "robots-blocked", "off-host"}
    assert all(zh and en for zh, en in ENTRY_PROBLEMS.values())
