"""Evaluation of the findability ranking against a labelled set (tests/eval/findability_labels.toml).

Orderings and positions are asserted, never exact scores: the ranking must separate the services a
person labelled easy from the hard ones (ROC AUC >= 0.9), put every easy service above every gated
one, give each labelled hard service its expected reasons, and land the citizen queries as labelled.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from audits.config import Config
from audits.engine import build_result
from govseo.sample_portal import demo_queries

LABELS = tomllib.loads((Path(__file__).parent / "eval" / "findability_labels.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(portal, portal_site):
    config = Config()
    config.queries = demo_queries(portal)
    return build_result(portal_site, config)


@pytest.fixture(scope="module")
def services(portal, result):
    base = portal.rstrip("/")
    return {s["url"][len(base):]: s for s in result["services"]}


def roc_auc(positives: list[float], negatives: list[float]) -> float:
    """P(a random hard service scores below a random easy one); ties count half."""
    pairs = [(1.0 if h < e else 0.5 if h == e else 0.0) for h in positives for e in negatives]
    return sum(pairs) / len(pairs)


def test_every_labelled_service_is_detected(services):
    labelled = {s["path"] for s in LABELS["services"]}
    assert labelled <= set(services), labelled - set(services)
    assert set(services) <= labelled, f"unlabelled services: {set(services) - labelled}"


def test_ranking_separates_hard_from_easy(services):
    hard = [services[s["path"]]["score"] for s in LABELS["services"] if s["label"] == "hard"]
    easy = [services[s["path"]]["score"] for s in LABELS["services"] if s["label"] == "easy"]
    auc = roc_auc(hard, easy)
    print(f"\n[findability] ROC AUC hard vs easy = {auc:.3f} ({len(hard)} hard, {len(easy)} easy)")
    assert auc >= 0.9


def test_every_easy_service_ranks_above_every_gated_one(services):
    gated = [services[s["path"]] for s in LABELS["services"] if s.get("gated")]
    easy = [services[s["path"]] for s in LABELS["services"] if s["label"] == "easy"]
    assert max(g["rank"] for g in gated) < min(e["rank"] for e in easy)
    assert max(g["score"] for g in gated) < min(e["score"] for e in easy)
    assert all(g["components"]["gates"] for g in gated)


def test_ranks_are_hardest_first(result):
    ranked = result["services"]
    assert [s["rank"] for s in ranked] == list(range(1, len(ranked) + 1))
    assert [s["score"] for s in ranked] == sorted(s["score"] for s in ranked)


@pytest.mark.parametrize("label", [s for s in LABELS["services"] if s.get("reasons")], ids=lambda s: s["path"][-9:])
def test_expected_reasons_and_a_fix_for_each(services, label):
    service = services[label["path"]]
    assert set(label["reasons"]) <= set(service["reasons"]), service["reasons"]
    assert [f["rule"] for f in service["fixes"]] == service["reasons"]
    assert all(f["fix"] and f["fix_en"] for f in service["fixes"])


def test_vocabulary_fix_suggests_a_title_with_the_everyday_word(services):
    (fix,) = [f for f in services["/bsfw/grbs/202609/t20260915_2001.html"]["fixes"] if f["rule"] == "service-vocabulary-gap"]
    assert "违章" in fix["fix"] and "建议标题：机动车交通违法（违章）处理办事指南" in fix["fix"]
    assert fix["fix"].endswith("_云溪市人民政府")


@pytest.mark.parametrize("label", LABELS["queries"], ids=lambda q: q["query"])
def test_queries_land_as_labelled(result, label):
    (query,) = [q for q in result["queries"] if q["query"] == label["query"]]
    if label.get("expect") == "none":
        assert query["position"] is None or query["position"] > 10, label["why"]
    else:
        assert query["position"] is not None and query["position"] <= label["top"], query


def test_unanswered_queries_are_findings(result):
    unanswered = {f["evidence"]["query"] for f in result["findings"] if f["rule"] == "query-unanswered"}
    assert unanswered == {q["query"] for q in LABELS["queries"] if q.get("expect") == "none"}


def test_sections_summarise_departments(result):
    sections = {s["name"]: s for s in result["sections"]}
    assert sections["市公安局"]["services"] == 5 and sections["市民政局"]["services"] == 4
    assert sum(s["services"] for s in result["sections"]) == len(result["services"])
    assert [s["score"] for s in result["sections"]] == sorted(s["score"] for s in result["sections"])
