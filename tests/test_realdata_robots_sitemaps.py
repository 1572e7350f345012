"""Real robots.txt/sitemap files and peer suites' expectations through audits.robotstxt, audits.sitemapcheck
and crawler.sitemaps, read in place from ../shared/realdata (PROVENANCE.md). Run with -s for agreement counts.
Each disagreement with a peer is listed with its reason; the observed set must equal the listed one."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from protego import Protego

from audits.robotstxt import baidu_notes, blocked_all, decode, evaluate, looks_html, parse, validate
from audits.sitemapcheck import validate_sitemap
from crawler.sitemaps import parse_sitemap

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
if not REALDATA.is_dir():
    pytest.skip(f"real-world test data not present at {REALDATA}", allow_module_level=True)

pytestmark = pytest.mark.realdata
ROBOTS, PEERS = REALDATA / "robots", REALDATA / "peer_suites"
CC = PEERS / "crawler-commons"
AGENTS = ("Baiduspider", "Googlebot")


def report(suite: str, agree: int, total: int, disagreements: dict[Any, str]) -> None:
    lines = [f"  differs on {key}: {reason}" for key, reason in disagreements.items()]
    print(f"\n[{suite}] agreement {agree} of {total}", *lines, sep="\n")


def robots_codes(body: bytes) -> list[str]:
    return [issue.code for issue in validate(body, 200, None)]


# ---------------------------------------------------------------------------- real robots.txt files
def robots_files(folder: str = "") -> list[Path]:
    return sorted(p for p in (ROBOTS / folder).rglob("*") if p.is_file())


def test_every_robots_file_validates_and_evaluates() -> None:
    files = robots_files()
    assert len(files) >= 270
    for path in files:
        body = path.read_bytes()
        for issue in validate(body, 200, None):
            assert issue.code and issue.message_zh and issue.message_en, path
        for agent in AGENTS:
            assert isinstance(evaluate(body, "http://www.example.gov.cn/zwgk/index.html", agent), bool)
            assert isinstance(blocked_all(body, agent), bool)
        baidu_notes(body)


def test_html_served_as_robots_txt_is_flagged() -> None:
    files = robots_files("protego_edge/html_instead_of_robots")
    assert len(files) == 15
    for path in files:
        assert "html" in robots_codes(path.read_bytes()), path
    # named "robots.txt that is actually HTML" in PROVENANCE.md
    for name in ("www.fmprc.gov.cn", "www.moi.gov.tw", "www.india.gov.in", "www.senate.gov", "delhi.gov.in"):
        assert "html" in robots_codes((ROBOTS / "protego_gov" / name).read_bytes()), name


def test_large_files_are_flagged_too_large() -> None:
    files = robots_files("protego_edge/large")
    assert len(files) == 3
    for body in map(Path.read_bytes, files):
        assert ("too-large" in robots_codes(body)) is (len(body) > 500 * 1024)      # Google's limit


def test_bom_does_not_break_the_first_line() -> None:
    """Verdicts with the BOM equal those without it; a parser fed the BOM would differ on some files."""
    naive_differs = 0
    for path in robots_files("protego_edge/bom"):
        body = path.read_bytes()
        assert body.startswith(b"\xef\xbb\xbf") and not decode(body).startswith("\ufeff")
        if looks_html(body, None):
            continue
        assert all(issue.line != 1 for issue in validate(body, 200, None)), path
        ours, without, naive = parse(body), parse(body[3:]), Protego.parse(body.decode("utf-8", "replace"))
        paths = re.findall(r"(?im)^\s*(?:dis)?allow\s*:\s*(/[^\s#*$]*)", decode(body))[:100]
        for url in ("http://host.example" + rule_path for rule_path in paths):
            for agent in (*AGENTS, "govseo-probe"):
                verdict = ours.can_fetch(url, agent)
                assert verdict == without.can_fetch(url, agent), (path, url, agent)
                naive_differs += verdict != naive.can_fetch(url, agent)
    print(f"\n[bom] verdicts a BOM-unaware parse would get wrong: {naive_differs}")
    assert naive_differs > 0


# ---------------------------------------------------------------------------- Lighthouse robots-txt audit
MISSING = "no robots.txt / HTTP 5xx: the robots-txt-missing rule reports it, not the content validator"
LIGHTHOUSE_EXCEPTIONS = {(None, None): MISSING, (500, None): MISSING, (503, "There is some content"): MISSING,
                         (599, None): MISSING}


def lighthouse_cases() -> list[tuple[int | None, str | None, bool, int | None]]:
    data = json.loads((PEERS / "lighthouse" / "robots_txt_audit_cases.json").read_text())
    cases = []
    for group in data["groups"]:
        for case in group["cases"]:
            robots = case.get("RobotsTxt", case)
            cases.append((robots["status"], robots["content"], group["expect"]["score"] == 1,
                          case.get("expectedErrors")))
    # fixtures/robots.txt is served for every smoke test and passes the robots-txt audit (CASES.md)
    cases.append((200, (PEERS / "lighthouse" / "fixtures" / "robots.txt").read_text(), True, None))
    return cases


def test_lighthouse_robots_txt_cases() -> None:
    cases = lighthouse_cases()
    disagreements: dict[Any, str] = {}
    counts_agree = counts_total = 0
    for status, content, passes, expected_errors in cases:
        issues = validate((content or "").encode(), status, "text/plain")
        if (not issues) != passes:
            disagreements[(status, content)] = LIGHTHOUSE_EXCEPTIONS.get((status, content), "UNEXPECTED")
        if expected_errors is not None:
            counts_total += 1
            counts_agree += len(issues) == expected_errors
    report("lighthouse robots-txt pass/fail", len(cases) - len(disagreements), len(cases), disagreements)
    report("lighthouse robots-txt error count per file", counts_agree, counts_total, {})
    assert set(disagreements) == set(LIGHTHOUSE_EXCEPTIONS)
    assert len(cases) == 24 and len(cases) - len(disagreements) >= 20
    assert counts_agree == counts_total == 12


# ---------------------------------------------------------------------------- crawler-commons robots
UTF16 = "UTF-16: Google reads robots.txt only as UTF-8, so no rule applies; validate flags not-utf8"
CC_EXCEPTIONS = {
    ("robots/robots-with-utf16le-bom.txt", "foobot", "http://www.domain.com/profile"): UTF16,
    ("robots/robots-with-utf16be-bom.txt", "foobot", "http://www.domain.com/profile"): UTF16,
    ("robots/directive-typos-robots.txt", "bot1", "http://domain.com/desallow/"):
        "'Desallow' is not among the typos Google (and protego) accept; validate flags it",
    ("robots/directive-typos-robots.txt", "bot3", "http://domain.com/useg-agent/"):
        "'useg-agent' is not read as User-agent by Google/protego; validate flags it",
    "robots/extended-standard-robots.txt":
        "'robot-version' and 'comment' are read by no search engine: reported as unknown directives",
    "robots/sitemap-robots.txt":
        "a bare URL line is not a Sitemap directive for Google/protego (2 sitemaps, not 3); validate flags it",
}


def cc_file_level(name: str, body: bytes) -> bool:
    sitemaps, codes = list(parse(body).sitemaps), robots_codes(body)
    return {"robots/extended-standard-robots.txt": not codes,
            "robots/sitemap-robots.txt": len(sitemaps) == 3 and sitemaps[-1].endswith("MixedCased-sitemap.xml"),
            "robots/relative-sitemap-robots.txt": len(sitemaps) == 1 and codes == ["bad-sitemap"],
            "robots/sitemap-robots-dedup.txt": len(set(sitemaps)) == 1}[name]


def test_crawler_commons_robots_cases() -> None:
    data = json.loads((CC / "EXPECTED_file_cases.json").read_text())
    disagreements: dict[Any, str] = {}
    for case in data["robots"]:
        body = (CC / case["file"]).read_bytes()
        if "url" in case:
            key: Any = (case["file"], case["agent"], case["url"])
            agree = evaluate(body, case["url"], case["agent"]) is case["allowed"]
        else:
            key, agree = case["file"], cc_file_level(case["file"], body)
        if not agree:
            disagreements[key] = CC_EXCEPTIONS.get(key, "UNEXPECTED")
    total = len(data["robots"])
    report("crawler-commons robots", total - len(disagreements), total, disagreements)
    assert set(disagreements) == set(CC_EXCEPTIONS)
    assert total == 37 and total - len(disagreements) >= 31
    for order in ("le", "be"):
        assert robots_codes((CC / "robots" / f"robots-with-utf16{order}-bom.txt").read_bytes()) == ["not-utf8"]


def test_peer_robots_files_list_their_sitemaps() -> None:
    usp = (PEERS / "ultimate-sitemap-parser_GateNLP" / "formats_examples" / "robots.txt").read_bytes()
    assert len(list(parse(usp).sitemaps)) == 4       # "Google allows all of these" (site-map, sItE-mAp …)
    assert set(robots_codes(usp)) == {"unknown-directive"}       # site-map: reported with a hint
    advertools = (PEERS / "advertools" / "sitemap_testing" / "robots.txt").read_bytes()
    assert list(parse(advertools).sitemaps) == ["https://advertools.readthedocs.io/sitemap.xml"]
    assert not evaluate(advertools, "http://x.org/a.php", "Googlebot")
    assert evaluate(advertools, "http://x.org/a.js", "Googlebot") and robots_codes(advertools) == []


# ---------------------------------------------------------------------------- sitemaps
AT = "peer_suites/advertools/sitemap_testing/"
USP = "peer_suites/ultimate-sitemap-parser_GateNLP/formats_examples/"
CCS = "peer_suites/crawler-commons/"
TF = "peer_suites/trafilatura/"
SE = "peer_suites/scrapy_edge/compressed/"
ADVERTOOLS_INDEX = "https://raw.githubusercontent.com/eliasdabbas/advertools/master/tests/data/sitemap_testing/sitemap_index.xml"
XXE_TARGET = REALDATA / CCS / "sitemaps" / "do-not-visit.txt"
XXE = (f'<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{XXE_TARGET}">]>\n'
       '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
       "<url><loc>http://www.example.com/visit-here</loc></url><url><loc>&xxe;</loc></url></urlset>").encode()

# (suite, file or bytes, expectation): count = entries or index children; codes = exact set ([] clean)
SITEMAP_CASES: list[tuple[str, str | bytes, dict[str, Any]]] = [
    ("advertools", AT + "regular_sitemap.xml", {"kind": "urlset", "count": 5, "codes": []}),
    ("advertools", AT + "zipped_sitemap.xml.gz", {"count": 5, "gzipped": True, "codes": []}),
    ("advertools", AT + "regular_sitemap.xml.gz", {"count": 5, "gzipped": False, "codes": []}),   # fake .gz
    ("advertools", AT + "sitemap_index.xml", {"kind": "sitemapindex", "count": 4, "has": {"index-self-link"},
                                              "url": ADVERTOOLS_INDEX}),
    ("advertools", AT + "error_sitemap.xml", {"has": {"unparseable"}}),
    *[("advertools", AT + name, {"count": n, "codes": []})      # counts: <url> elements (PROVENANCE.md)
      for name, n in [("image_sitemap.xml", 2), ("video_sitemap.xml", 6), ("news_sitemap.xml", 6)]],
    ("crawler-commons", CCS + "sitemaps/sitemap.ns.xml", {"kind": "urlset", "count": 2, "codes": []}),
    ("crawler-commons", CCS + "sitemaps/sitemap.badns.xml", {"count": 2, "codes": ["namespace"]}),
    ("crawler-commons", CCS + "sitemaps/sitemap.index.xml", {"kind": "sitemapindex", "count": 15}),
    ("crawler-commons", CCS + "sitemaps/xmlSitemap.gz", {"kind": "urlset", "count": 5, "gzipped": True}),
    ("crawler-commons", CCS + "sitemaps/sitemap.txt.gz", {"kind": "txt", "count": 5, "gzipped": True}),
    *[("crawler-commons", CCS + "sitemaps/" + name, {"kind": "txt", "count": 2, "codes": []})
      for name in ("sitemap.txt", "sitemap-with-bom.txt")],
    *[("crawler-commons", CCS + name, {"count": n})
      for name, n in [("sitemaps/atom.xml", 1), ("rss/feed.rss", 4), ("rss/xmlRss_pubDate.xml", 1)]],
    ("crawler-commons", XXE, {"locs": ["http://www.example.com/visit-here"]}),
    *[("crawler-commons", CCS + "sitemaps/extension/" + name, {"count": n, "codes": []}) for name, n in [
        ("sitemap-videos.xml", 3), ("sitemap-videos-tvshow.xml", 1), ("sitemap-images.xml", 1),
        ("sitemap-links.xml", 3), ("sitemap-news.xml", 2), ("shinpaideshou-news-sitemap.xml", 3),
        ("hebdenbridgetimes-articles-sitemap.xml", 74), ("pagemaps-sitemap.xml", 2)]],
    ("ultimate-sitemap-parser", USP + "simple-urlset.xml", {"count": 2, "codes": []}),
    ("ultimate-sitemap-parser", USP + "hreflang.xml", {"count": 2, "codes": []}),
    ("ultimate-sitemap-parser", USP + "simple-index.xml", {"kind": "sitemapindex", "count": 2, "codes": []}),
    ("ultimate-sitemap-parser", USP + "plaintext.txt", {"kind": "txt", "count": 2, "codes": []}),
    ("ultimate-sitemap-parser", USP + "google-news.xml", {"count": 2, "codes": []}),
    ("ultimate-sitemap-parser", USP + "google-image.xml", {"count": 2, "codes": []}),
    *[("ultimate-sitemap-parser", USP + name, {"count": 2})     # 2 <item>/<entry> pages each
      for name in ("rss2.0.xml", "atom0.3.xml", "atom1.0.xml")],
    ("trafilatura", TF + "sitemap.xml", {"kind": "urlset", "count": 84, "codes": []}),
    ("trafilatura", TF + "sitemap.xml.gz", {"count": 84, "gzipped": True, "codes": []}),
    ("trafilatura", TF + "sitemap2.xml", {"kind": "sitemapindex", "count": 2, "codes": []}),   # CDATA loc
    ("trafilatura", TF + "sitemap-hreflang.xml", {"kind": "urlset", "count": 3}),
    *[("trafilatura", raw, {"kind": "invalid"}) for raw in (b"<!DOCTYPE html><html><body/></html>",
                                                             b"\x1f\x8bABC", b"ABC")],   # not plausible
    ("trafilatura", b"Tralala\nhttps://test.org/1\nhttps://test.org/2", {"kind": "txt", "count": 2}),
    ("scrapy", SE + "bomb-gzip.bin", {"min_size": 11_000_000, "has": {"too-large"}}),
    ("scrapy", SE + "truncated-crc-error-short.gz", {"ends": b"</html>"}),
    ("scrapy", SE + "unexpected-eof.gz", {"cp1252": SE + "unexpected-eof-output.txt"}),
    ("realdata", "sitemaps/usa.gov_archive_2023/sitemap.xml", {"kind": "urlset", "count": 920, "codes": []}),
    ("realdata", "sitemaps/usa.gov_archive_2023/espanol_sitemap.xml", {"count": 470, "codes": []}),
]

FEEDS = "RSS/Atom feeds: crawler.sitemaps reads sitemaps.org XML and plain text only (kind invalid)"
SITEMAP_EXCEPTIONS = {
    CCS + "sitemaps/sitemap.index.xml": "<sitemap> entries without <loc>: the protocol requires <loc>, so we "
                                        "read 0 children and report 'empty' (crawler-commons takes the bare text)",
    CCS + "sitemaps/atom.xml": FEEDS, CCS + "rss/feed.rss": FEEDS, CCS + "rss/xmlRss_pubDate.xml": FEEDS,
    USP + "rss2.0.xml": FEEDS, USP + "atom0.3.xml": FEEDS, USP + "atom1.0.xml": FEEDS,
    USP + "simple-urlset.xml": "namespace ends in '0.9/': not the sitemaps.org namespace, reported (USP is lenient)",
    USP + "hreflang.xml": "namespace ends in '0.9/': not the sitemaps.org namespace, reported (USP is lenient)",
}


def stored(raw: bytes, url: str) -> dict[str, Any]:
    parsed = parse_sitemap(raw)
    return {"url": url, "status": 200, "kind": parsed.kind, "gzipped": parsed.gzipped, "raw_size": len(raw),
            "size": len(parsed.body), "body": parsed.body, "error": parsed.error,
            "entries": parsed.entries or [{"loc": c} for c in parsed.children]}


def sitemap_agrees(sm: dict[str, Any], expect: dict[str, Any]) -> bool:
    found = {issue.code for issue in validate_sitemap(sm)}
    locs = [e["loc"] for e in sm["entries"]]
    checks = [expect.get("kind", sm["kind"]) == sm["kind"], expect.get("count", len(locs)) == len(locs),
              expect.get("gzipped", sm["gzipped"]) == sm["gzipped"], set(expect.get("codes", found)) == found,
              expect.get("has", set()) <= found, expect.get("locs", locs) == locs,
              sm["size"] >= expect.get("min_size", 0), sm["body"].rstrip().endswith(expect.get("ends", b""))]
    if "cp1252" in expect:
        checks.append(sm["body"].decode("cp1252") == (REALDATA / expect["cp1252"]).read_text("utf-8"))
    return all(checks)


def test_sitemaps_against_peer_expectations() -> None:
    totals: dict[str, list[int]] = {}
    disagreements: dict[str, dict[str, str]] = {}
    for suite, source, expect in SITEMAP_CASES:
        raw = source if isinstance(source, bytes) else (REALDATA / source).read_bytes()
        key = source if isinstance(source, str) else repr(source[:40])
        sm = stored(raw, expect.get("url", "http://www.example.com/sitemap.xml"))
        agree = sitemap_agrees(sm, expect)
        assert "do-not-visit" not in repr(sm["entries"]) + repr(validate_sitemap(sm))
        totals.setdefault(suite, [0, 0])[1] += 1
        totals[suite][0] += agree
        if not agree:
            disagreements.setdefault(suite, {})[key] = SITEMAP_EXCEPTIONS.get(key, "UNEXPECTED")
    for suite, (agree, total) in totals.items():
        report(f"sitemaps: {suite}", agree, total, disagreements.get(suite, {}))
    assert {key for found in disagreements.values() for key in found} == set(SITEMAP_EXCEPTIONS)
    assert sum(t for _, t in totals.values()) == 49 and sum(a for a, _ in totals.values()) >= 39


def test_every_sitemap_file_parses_and_validates() -> None:
    folders = [REALDATA / "sitemaps", PEERS / "advertools", PEERS / "ultimate-sitemap-parser_GateNLP",
               CC / "sitemaps", CC / "rss", PEERS / "trafilatura", PEERS / "scrapy_edge" / "compressed"]
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file() and p.suffix != ".md"]
    assert len(files) >= 55
    for path in files:
        issues = validate_sitemap(stored(path.read_bytes(), "http://www.example.com/" + path.name))
        assert all(issue.message_zh and issue.message_en for issue in issues), path
