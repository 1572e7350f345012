"""Portals assembled from real government pages (tests/realportal.py), crawled end to end by `govseo run`:
what a supervisor reads must tell the truth: the headline score, the fixes (each said once), the
departments and the page types.

Skipped when ../shared/realdata is absent."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import govseo
from realportal import BROKEN_TARGET, GUIDES, REALDATA, chinese_portal, english_portal
from routeserver import serve_routes

from audits.causes import DERIVED

if not REALDATA.is_dir():
    pytest.skip(f"real-world test data not present at {REALDATA}", allow_module_level=True)

pytestmark = pytest.mark.realdata
GOV_RULES = ("gov-meta-missing", "gov-meta-invalid", "site-identity-missing", "service-guide-incomplete")


class Run:
    def __init__(self, out: Path, base: str) -> None:
        self.base = base
        self.result: dict[str, Any] = json.loads((out / "result.json").read_text(encoding="utf-8"))
        self.html = (out / "report.html").read_text(encoding="utf-8")
        self.fixes_csv = (out / "fixes.csv").read_text(encoding="utf-8-sig")
        self.pages = {p["url"].removeprefix(base.rstrip("/")): p for p in self.result["pages"]}
        self.findings = self.result["findings"]
        self.rules = {r["id"]: r for r in self.result["rules"]}

    def fired(self, rule: str) -> set[str]:
        return {f["url"].removeprefix(self.base.rstrip("/")) for f in self.findings if f["rule"] == rule}

    @property
    def html_pages(self) -> list[str]:
        return [path for path, p in self.pages.items() if p["kind"] == "html"]


def _run(routes: dict, tmp: Path, *args: str) -> Run:
    with serve_routes(routes) as base:
        govseo("run", base, "--out", str(tmp), "--quiet", *args)
    return Run(tmp, base)


@pytest.fixture(scope="module")
def zh(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _run(chinese_portal(), tmp_path_factory.mktemp("zh"))


@pytest.fixture(scope="module")
def zh_noindex(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _run(chinese_portal(noindex=True), tmp_path_factory.mktemp("zh-noindex"))


@pytest.fixture(scope="module")
def zh_broken(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _run(chinese_portal(broken_link=True), tmp_path_factory.mktemp("zh-broken"))


@pytest.fixture(scope="module")
def en(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _run(english_portal(), tmp_path_factory.mktemp("en"), "--lang", "en")


def _each_finding_in_one_fix(run: Run) -> None:
    """Every finding belongs to exactly one fix: per rule, the fixes' page counts add up to its findings (a
    summary rule's findings and those another rule's fix says too are left out)."""
    joined = {rule for fix in run.result["fixes"] for rule in fix["rules"] if rule != fix["rule"]}
    per_rule = Counter(f["rule"] for f in run.findings if f["rule"] not in DERIVED | joined)
    in_fixes = Counter()
    for fix in run.result["fixes"]:
        in_fixes[fix["rule"]] += fix["pages"]
    assert in_fixes == per_rule


def _opening_fixes(html: str) -> list[str]:
    """The fix sentences of the scorecard's opening section, in order."""
    section = re.search(r'<section id="top-fixes".*?</section>', html, re.S)
    assert section, "the scorecard has no opening fixes section"
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'<strong class="tf-fix">(.*?)</strong>', section.group(0), re.S)]


# ---------------------------------------------------------------------------- the Chinese portal as it is
def test_page_types_come_from_several_signals(zh: Run) -> None:
    types = {path: p["type"] for path, p in zh.pages.items() if p["kind"] == "html"}
    assert types["/"] == "home"
    assert types["/ycsrmzf/tjgb/index.shtml"] == types["/ycsrmzf/bszn/index.shtml"] == "column"
    assert types["/art/2023/5/16/art_1629_101.html"] == "article"
    # no article meta, no date in its URL: the column list and its body still say it is an article
    assert types["/ycsrmzf/tjgb/jxtjgb2022.shtml"] == "article"
    assert {path for path, kind in types.items() if kind == "service"} == {g[3] for g in GUIDES}


def test_an_article_without_its_meta_is_still_checked_as_an_article(zh: Run) -> None:
    missing = {f["url"].removeprefix(zh.base.rstrip("/")): f for f in zh.findings if f["rule"] == "gov-meta-missing"}
    assert "/ycsrmzf/tjgb/jxtjgb2022.shtml" in missing
    assert "ArticleTitle" in json.dumps(missing["/ycsrmzf/tjgb/jxtjgb2022.shtml"]["evidence"])
    assert "/art/2023/5/16/art_1629_101.html" not in missing       # the same template with its meta


def test_departments_come_from_the_breadcrumb_without_the_page_name(zh: Run) -> None:
    sections = {s["name"]: s["services"] for s in zh.result["sections"]}
    assert sections == {"市公安局": 3, "市人力资源和社会保障局": 2, "市市场监督管理局": 2}
    assert {s["name"]: s["section"] for s in zh.result["services"]} == {g[0]: g[1] for g in GUIDES}


def test_a_healthy_index_is_not_capped_and_each_template_fix_is_said_once(zh: Run) -> None:
    site = zh.result["site"]
    assert not any(g["binding"] for g in site["gates"])
    assert site["score"] == site["score_uncapped"] and site["score"] > 60
    assert zh.result["site"]["categories"]["gov"] is not None          # a Chinese government site
    _each_finding_in_one_fix(zh)
    # the article template has no meta description: one fix for all its pages, not a row a page (the real
    # home page, a template of its own, lacks one too: its own fix)
    description = {f["kind"]: f for f in zh.result["fixes"] if f["rule"] == "description-missing"}
    assert set(description) == {"template", "rule"} and description["template"]["template"] is True
    assert description["template"]["pages"] == len(zh.html_pages) - 1 and description["rule"]["urls"] == [zh.base]
    # every page names another host in SiteDomain: one fix, in the template
    (domain,) = [f for f in zh.result["fixes"] if f["rule"] == "gov-meta-invalid"]
    assert domain["template"] and domain["pages"] == len(zh.html_pages) and "www.yichun.gov.cn" in domain["cause"]
    opening = _opening_fixes(zh.html)
    assert opening and len(opening) == len(set(opening))


# ---------------------------------------------------------------------------- variants
def test_a_template_wide_noindex_caps_the_score_and_leads_the_fixes(zh_noindex: Run) -> None:
    run = zh_noindex
    site = run.result["site"]
    assert site["score"] <= 10 < site["score_uncapped"]
    gate = next(g for g in site["gates"] if g["id"] == "pages-indexable")
    assert gate["binding"] and gate["indexable"] == 0 and gate["total"] == len(run.html_pages)
    first = run.result["fixes"][0]
    assert (first["rule"], first["kind"], first["template"]) == ("noindex", "template", True)
    assert first["pages"] == len(run.html_pages) and first["services"] == first["services_total"] == len(GUIDES)
    assert len(run.fired("noindex")) == len(run.html_pages)        # single findings stay for `govseo check`
    assert "noindex" in _opening_fixes(run.html)[0]
    headline = re.sub(r"<[^>]+>", "", re.search(r'<p class="headline[^"]*">(.*?)</p>', run.html, re.S).group(1))
    assert f"{site['score']}/100" in headline and "收录" in headline
    assert "noindex" in run.fixes_csv.splitlines()[1]


def test_a_template_wide_broken_link_is_one_fix(zh_broken: Run) -> None:
    run = zh_broken
    broken = [f for f in run.result["fixes"] if f["rule"] == "broken-link"]
    assert len(broken) == 1
    fix = broken[0]
    assert fix["kind"] == "broken-target" and fix["target"].endswith(BROKEN_TARGET)
    assert fix["template"] is True and fix["pages"] == len(run.html_pages)
    assert len(run.fired("broken-link")) == len(run.html_pages)
    assert sum(BROKEN_TARGET in text for text in _opening_fixes(run.html)) == 1


# ---------------------------------------------------------------------------- an English government site
def test_an_english_site_is_judged_by_the_generic_rules_only(en: Run) -> None:
    categories = en.result["site"]["categories"]
    assert categories["gov"] is None and categories["findability"] is None
    assert {rule: en.rules[rule]["status"] for rule in GOV_RULES} == dict.fromkeys(GOV_RULES, "n/a")
    assert not any(f["rule"] in GOV_RULES for f in en.findings)
    assert "not applicable" in en.html


def test_the_whole_archive_is_noindex_and_the_headline_says_so(en: Run) -> None:
    site = en.result["site"]
    assert site["score"] <= 10
    assert next(g for g in site["gates"] if g["id"] == "pages-indexable")["binding"]
    assert en.result["fixes"][0]["rule"] == "noindex" and en.result["fixes"][0]["template"] is True


def test_latin_words_keep_their_accents(en: Run) -> None:
    """Every key term the audit reports is a whole word of the pages (a word cut at an accent, such as
    "Administraci" from Administración, is followed by a letter wherever it occurs)."""
    text = " ".join(body.decode("utf-8", "replace") for _, _, body in english_portal().values())
    terms = {term for f in en.findings for term in (f["evidence"] or {}).get("key_terms", [])} \
        if all(isinstance(f["evidence"], dict | None) for f in en.findings) else set()
    assert len(terms) >= 10
    cut = {t for t in terms if not re.search(rf"(?<![^\W\d_]){re.escape(t)}(?![^\W\d_])", text, re.I)}
    assert cut == set()
