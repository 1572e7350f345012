"""A foreign government site (the usa.gov archive of ../shared/realdata, English and Spanish pages) audited as one
site on its own host: the Chinese government norms do not apply to it, and its Spanish words keep their accents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitebuilder import build_site

from audits.config import Config
from audits.engine import build_result

REALDATA = Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
ARCHIVE = REALDATA / "gov_html_en" / "usa.gov_archive_2023"
if not ARCHIVE.is_dir():
    pytest.skip(f"real-world test data not present at {ARCHIVE}", allow_module_level=True)

pytestmark = pytest.mark.realdata
START = "https://www.usa.gov/"
GOV_RULES = ("gov-meta-missing", "gov-meta-invalid", "site-identity-missing", "service-guide-incomplete")
SPANISH = "espanol/"


def path_of(name: str) -> str:
    stem = name.removesuffix(".html")
    return {"homepage": "", "espanol_homepage": SPANISH}.get(stem, stem.replace("espanol__", SPANISH))


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory):
    """The archive's 18 pages served at their paths under www.usa.gov, listed in a sitemap so all are fetched."""
    html = [("Content-Type", "text/html; charset=utf-8")]
    routes = {"/" + path_of(p.name): (200, html, p.read_bytes()) for p in sorted(ARCHIVE.glob("*.html"))}
    locs = "".join(f"<url><loc>{START}{path.lstrip('/')}</loc></url>" for path in routes)
    routes["/sitemap.xml"] = (200, [("Content-Type", "application/xml")],
                              f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode())
    site = build_site(tmp_path_factory.mktemp("usagov"), routes, start=START)
    return site, build_result(site, Config())


def test_usa_gov_gets_no_chinese_government_findings(audited) -> None:
    site, result = audited
    assert len(site.every_html_page()) >= 15 and site.jurisdiction == "other"
    rules = {rule["id"]: rule for rule in result["rules"]}
    assert {rules[r]["status"] for r in GOV_RULES} == {"n/a"}
    assert [f for f in result["findings"] if f["rule"] in GOV_RULES] == []
    assert result["site"]["categories"]["gov"] is None
    # the same site taken for a Chinese government site would get them: the verdict is the jurisdiction's
    forced = build_result(site, Config(site={"jurisdiction": "cn-gov"}))
    assert {f["rule"] for f in forced["findings"]} >= {"gov-meta-missing", "site-identity-missing"}


def test_spanish_words_keep_their_accents(audited) -> None:
    site, _ = audited
    page = site.page(START + SPANISH)
    assert page is not None and page.artifacts is not None and page.artifacts.lang == "es"
    terms = site.terms(page)
    words = set(re.findall(r"[^\W\d_]+", site.main_text(page)))       # the text's whole words (Unicode letters)
    assert {"Jubilación", "Ciudadanía", "protección"} <= set(terms)
    assert [t for t in terms if t.isalpha() and t not in words] == []   # no word cut at an accent (Jubilaci, ó)
    key = [term for term, _ in site.key_terms.extract_terms(terms, top_k=20)]
    assert any(not term.isascii() for term in key) and all(term in words for term in key if term.isalpha())
