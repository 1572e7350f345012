"""The audit of the crawled sample portal: every planted defect fires, clean pages stay clean."""

from __future__ import annotations

import pytest

from audits.config import Config
from audits.engine import build_result
from audits.rules import RULES_BY_ID
from crawler.urls import normalize
from govseo.sample_portal import load_manifest

MANIFEST = load_manifest()


@pytest.fixture(scope="module")
def result(portal_site):
    return build_result(portal_site, Config())


def url_of(portal: str, path: str) -> str:
    return normalize(portal.rstrip("/") + path)


def found(result) -> set[tuple[str, str]]:
    return {(f["rule"], f["url"]) for f in result["findings"]}


@pytest.mark.parametrize("defect", [d for d in MANIFEST["defects"] if d["rule"] in RULES_BY_ID],
                         ids=lambda d: f"{d['rule']}:{d['path']}")
def test_planted_defect_fires(portal, result, defect):
    assert (defect["rule"], url_of(portal, defect["path"])) in found(result), defect["note"]


def test_clean_pages_and_site_rules_stay_clean(portal, result):
    clean = {url_of(portal, c["path"]) for c in MANIFEST["clean"]}
    dirty = sorted((f["rule"], f["url"]) for f in result["findings"] if f["url"] in clean)
    assert dirty == []
    site_rules = [r for r in MANIFEST["site"]["clean_site_rules"] if r in RULES_BY_ID]
    assert site_rules
    assert [f for f in result["findings"] if f["rule"] in site_rules] == []


def test_no_finding_outside_the_manifest(portal, result):
    """Every finding of an implemented rule is a planted defect (or a declared consequence of one)."""
    planted = {(d["rule"], url_of(portal, d["path"])) for d in MANIFEST["defects"]}
    unexpected = sorted(found(result) - planted)
    assert unexpected == [], "\n".join(map(str, unexpected))


def test_no_rule_errored_and_scores_are_sane(result):
    assert [r["id"] for r in result["rules"] if r["status"] == "error"] == []
    assert 0 <= result["site"]["score"] <= 100
    assert result["site"]["name"] == MANIFEST["site"]["name"]
