"""Findings are kept small (interned messages, marshalled evidence) and read back unchanged."""

from __future__ import annotations

import pytest

from audits.model import Finding, Text


def test_a_finding_gives_back_its_message_and_evidence():
    evidence = {"targets": [{"url": "http://a/1", "status": 404, "anchor": None}], "count": 1, "score": 0.5,
                "ok": True, "pair": ("a", "b")}
    finding = Finding("broken-link", "http://a/", Text("有 1 个链接", "1 link"), evidence)
    assert finding.message == Text("有 1 个链接", "1 link")
    assert finding.evidence == evidence and finding.evidence is not evidence
    assert finding.severity is None
    finding.severity = "error"
    assert finding == Finding("broken-link", "http://a/", Text("有 1 个链接", "1 link"), evidence, "error")
    assert finding != Finding("broken-link", "http://a/", Text("有 1 个链接", "1 link"), {"count": 2}, "error")


def test_evidence_is_a_copy_so_change_it_by_assignment():
    finding = Finding("r", "u", Text("中", "en"), {"reasons": ["noindex"]})
    finding.evidence["reasons"].append("lost")          # a copy: the finding is unchanged
    assert finding.evidence == {"reasons": ["noindex"]}
    finding.evidence = {**finding.evidence, "reasons": ["noindex", "service-vocabulary-gap"]}
    assert finding.evidence["reasons"] == ["noindex", "service-vocabulary-gap"]


@pytest.mark.parametrize("evidence", [None, 0, "", [], {}, b"raw", object])
def test_any_evidence_comes_back(evidence):
    assert Finding("r", "u", Text("中", "en"), evidence).evidence == evidence


def test_an_audit_keeps_only_the_headers_it_reads():
    import json

    from audits.site import audit_headers

    stored = json.dumps([["Date", "Fri, 27 Nov 2026 10:00:00 GMT"], ["X-Robots-Tag", "noindex"], ["ETag", '"5f-1"'],
                         ["x-robots-tag", "baiduspider: nofollow"], ["Server", "nginx"]])
    assert json.loads(audit_headers(stored)) == [["X-Robots-Tag", "noindex"], ["x-robots-tag", "baiduspider: nofollow"]]
    assert audit_headers(json.dumps([["Date", "x"], ["Content-Type", "text/html"]])) is None
    assert audit_headers(json.dumps([["X-Note", "see x-robots-tag docs"]])) is None     # named in a value only
    assert audit_headers(None) is None and audit_headers("") is None and audit_headers("[]") is None


def test_the_url_table_is_a_mapping_of_id_to_url_state_and_origin():
    import pytest

    from audits.urltable import UrlTable

    table = UrlTable()
    table.add(3, "http://127.0.0.1/a.html", "fetched", "link")
    table.add(1, "http://127.0.0.1/", "fetched", "start")
    table.add(9, "http://127.0.0.1/b.html", "blocked", "sitemap")
    assert len(table) == 3 and list(table) == [1, 3, 9]
    assert table[9] == ("http://127.0.0.1/b.html", "blocked", "sitemap") and 9 in table and 2 not in table
    assert dict(table.items()) == {1: ("http://127.0.0.1/", "fetched", "start"),
                                   3: ("http://127.0.0.1/a.html", "fetched", "link"),
                                   9: ("http://127.0.0.1/b.html", "blocked", "sitemap")}
    assert table.get(2) is None and table.get(-1) is None and table.get(10**6) is None
    with pytest.raises(KeyError):
        table[0]
    table.add(3, "http://127.0.0.1/a.html", "error", "link")          # the same id again: updated
    assert len(table) == 3 and table[3][1] == "error"


def test_rule_hits_answer_from_the_outcomes_url_sets():
    from audits.engine import RuleHits
    from audits.rules import RULES_BY_ID
    from audits.scoring import RuleOutcome

    def outcome(rule_id: str, urls: set[str]):
        return RULES_BY_ID[rule_id], RuleOutcome(rule_id, "content", "page", "warning", "fail", 3, urls), None

    hits = RuleHits([outcome("title-missing", {"/a", "/b"}), outcome("h1-missing", {"/b"}), outcome("deep-page", set())])
    assert hits["/b"] == {"title-missing", "h1-missing"} and hits.get("/a") == {"title-missing"}
    assert hits.get("/c", set()) == set() and "/c" not in hits and "/a" in hits
    assert sorted(hits) == ["/a", "/b"] and len(hits) == 2
