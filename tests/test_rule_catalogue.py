"""The catalogue itself: ids from RULES.md, complete metadata, docs in sync, failures isolated."""

from __future__ import annotations

import re

import pytest
from conftest import REPO, SHARED
from sitebuilder import build_site, page

from audits.config import Config
from audits.docs import render_markdown
from audits.engine import run_rules
from audits.model import Rule, Text
from audits.rules import ALL_RULES, RULES_BY_ID

DOCS = REPO / "docs" / "rules.md"


def test_docs_rules_md_is_generated_from_the_metadata():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(ALL_RULES), \
        "docs/rules.md is stale: run `.venv/bin/python -m audits.docs > docs/rules.md`"


def test_every_rule_has_complete_bilingual_metadata():
    for rule in ALL_RULES:
        for text in (rule.title, rule.failure, rule.why, rule.fix):
            assert text.zh.strip() and text.en.strip(), rule.id
            assert re.search(r"[\u4e00-\u9fff]", text.zh), f"{rule.id}: zh text has no Chinese"
        assert rule.source, rule.id


@pytest.mark.skipif(not (SHARED / "RULES.md").is_file(), reason="../shared/RULES.md absent")
def test_rule_ids_come_from_the_public_catalogue():
    catalogue = set(re.findall(r"^\| `([a-z0-9-]+)` \|", (SHARED / "RULES.md").read_text(encoding="utf-8"), re.M))
    assert set(RULES_BY_ID) <= catalogue, set(RULES_BY_ID) - catalogue
    for rule in ALL_RULES:
        row = re.search(rf"^\| `{re.escape(rule.id)}` \|.*\| (error|warning|notice)(/error)? \|",
                        (SHARED / "RULES.md").read_text(encoding="utf-8"), re.M)
        assert row and row.group(1) == rule.severity, rule.id


def test_a_rule_that_raises_is_an_error_result_not_a_crash(tmp_path):
    def explode(site, params):
        yield from ()
        raise RuntimeError("boom")

    broken = Rule(id="title-missing", category="content", severity="error", scope="page",
                  title=Text("测", "t"), failure=Text("测", "f"), why=Text("测", "w"), fix=Text("测", "x"),
                  source="test", check=explode)
    site = build_site(tmp_path, {"/": page()})
    outcomes, _findings = run_rules(site, Config(), [broken, RULES_BY_ID["h1-missing"]])
    (_rule, outcome, error), (_, ok, ok_error) = outcomes
    assert outcome.status == "error" and "RuntimeError: boom" in error
    assert ok.status == "pass" and ok_error is None
