"""audits/robotsmatch.py names the robots.txt line that blocks a URL, agreeing with protego's verdict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audits.robotsmatch import BlockingRules
from audits.robotstxt import decode, parse

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "robots"
ROBOTS = b"""# portal
User-agent: *
Disallow: /admin/
Disallow: /zwgk/
Allow: /zwgk/public/

User-agent: Baiduspider
User-agent: Sogou web spider
Disallow: /search
Dissallow: /tmp/
Disallow /old/
Disallow: /*.pdf$
Disallow: /bsfw/
Disallow: /bsfw/grbs/
"""


def test_the_engines_own_group_and_its_longest_matching_line():
    rules = BlockingRules(ROBOTS)
    assert rules.cause("http://x.gov.cn/bsfw/grbs/a.html", "Baiduspider") == {
        "engine": "Baiduspider", "group": "Baiduspider", "rule": "Disallow: /bsfw/grbs/", "path": "/bsfw/grbs/",
        "line": 14}
    assert rules.cause("http://x.gov.cn/zwgk/a.html", "Googlebot")["rule"] == "Disallow: /zwgk/"
    assert rules.cause("http://x.gov.cn/files/a.pdf", "Baiduspider")["rule"] == "Disallow: /*.pdf$"
    assert rules.cause("http://x.gov.cn/tmp/a", "Baiduspider")["line"] == 10          # a typo protego reads
    assert rules.cause("http://x.gov.cn/old/a", "Baiduspider")["rule"] == "Disallow: /old/"
    assert rules.cause("http://x.gov.cn/search?q=1", "Sogou web spider")["group"] == "Sogou web spider"


def test_near_misses_name_nothing():
    rules = BlockingRules(ROBOTS)
    assert rules.cause("http://x.gov.cn/zwgk/a.html", "Baiduspider") is None     # its own group leaves it open
    assert rules.cause("http://x.gov.cn/files/a.pdf?x=1", "Baiduspider") is None  # $ anchors the end
    assert rules.cause("http://x.gov.cn/a.html", "Googlebot") is None
    assert BlockingRules(b"").cause("http://x.gov.cn/", "Googlebot") is None


@pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is absent")
def test_every_url_protego_blocks_in_real_robots_files_is_explained():
    blocked = 0
    for path in sorted(p for p in REALDATA.rglob("*") if p.is_file()):
        body = path.read_bytes()
        parser, rules = parse(body), BlockingRules(body)
        probes = set()
        for line in decode(body).splitlines():
            match = re.match(r"\s*dis?s?allow\s*:?\s*(/\S*)", line, re.I)
            if match:
                pattern = match.group(1).replace("*", "x").rstrip("$")
                probes |= {pattern, pattern + "y", pattern + "/z.html"}
        for probe in sorted(probes)[:60]:
            url = "http://x.gov.cn" + probe
            for engine in ("Baiduspider", "Googlebot"):
                if not parser.can_fetch(url, engine):
                    blocked += 1
                    cause = rules.cause(url, engine)
                    assert cause is not None, (path.name, url, engine)
                    assert not parse(f"User-agent: *\n{cause['rule']}\n".encode()).can_fetch(url, "x")
    assert blocked > 1000
