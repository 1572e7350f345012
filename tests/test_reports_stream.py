"""Reports from a result whose findings, pages and services are ``Spool``s equal the reports from lists,
byte for byte.

The result is big enough for every cap to bite (FINDINGS_CAP per rule, FINDINGS_TOTAL_CAP over all groups,
PAGES_CAP, SERVICES_CAP, TREND_SERVICES) and full of equal sort keys, so the bounded heaps and the on-disk
merge sort must reproduce the stable order of ``sorted`` exactly.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from result_factory import ROOT, make_finding, make_fix, make_page, make_result

import reports.streams
import reports.view
from common.spool import Spool
from reports.bundle import REPORT_FILES, write_site
from reports.csvout import (
    findings_rows,
    services_rows,
    write_findings_csv,
    write_pages_csv,
    write_services_csv,
)
from reports.evidence import evidence_lines
from reports.fixes_view import FIXES_CAP
from reports.history import TREND_SERVICES, trend_view
from reports.html import render_index
from reports.i18n import labels
from reports.index import index_context
from reports.services_view import SERVICES_CAP, service_order
from reports.streams import Smallest, sorted_stream
from reports.values import Rows, count, dicts, rows, severity_rank
from reports.view import FINDINGS_CAP, FINDINGS_TOTAL_CAP, PAGES_CAP, build_context

BIG_RULES = ("title-missing", "description-missing", "lang-missing")
SPOOLED = ("findings", "pages", "services", "fixes")


def _services(rnd: random.Random, n: int = 700) -> list[Any]:
    """``n`` services with many equal ranks, scores and URLs (and a few malformed fields), plus one non-dict."""
    services: list[Any] = []
    for i in range(n):
        reasons = rnd.sample(["title-missing", "description-missing", "no-such-rule", None], rnd.randrange(3))
        fixes = [{"rule": r, "fix": rnd.choice(["", f"修改 {i}", "=HYPERLINK(1)"]), "fix_en": rnd.choice([None, "fix"])}
                 for r in reasons if rnd.random() < 0.5]
        queries = [{"query": f"办理 {i % 13}", "kind": "name", "position": rnd.choice([None, 1, 4, "x"])}
                   for _ in range(rnd.randrange(3))]
        services.append({
            "url": ROOT + f"bszn/s{rnd.randrange(15)}.html", "name": rnd.choice(["", f"服务 {rnd.randrange(250)}"]),
            "section": f"局 {i % 7}", "score": rnd.choice([None, 0, 12, 50, 50, 59, 60, 99.6, "n/a", True]),
            "rank": rnd.choice([None, 0, 1, 2, 2, 3, "4", i + 1, 10**9]), "reasons": reasons, "fixes": fixes,
            "queries": queries, "everyday_missing": rnd.choice([[], ["办证"], "x"]),
            "components": {"gates": [], "reach": 0.5}, "indexable": rnd.choice([True, False, None]),
            "depth": rnd.choice([None, 2, 9]), "title": rnd.choice(["", "-1", f"办事指南 {i}"]),
        })
    services.insert(5, "not a service")
    return services


def _big_result() -> dict[str, Any]:
    """3 rules x 1,500 findings, 60 more rules x 60 findings, 2,500 pages; many equal keys."""
    rnd = random.Random(2026)
    severities = ("error", "warning", "notice")
    findings = []
    for n, rule in enumerate(BIG_RULES):
        for i in range(1_500):
            finding = make_finding(rule, ROOT + f"p{rnd.randrange(200)}.html", message=rnd.choice("abc"),
                                   severity=severities[(n + i % 7) % 3], evidence={"n": i},
                                   message_en=rnd.choice([None, "x", "y"]))
            findings.append(finding)
    rules = make_result()["rules"]
    for r in range(60):
        rules.append({"id": f"extra-{r:02}", "title": f"规则 {r}", "severity": severities[r % 3],
                      "category": "content", "status": "fail", "count": 60})
        findings += [make_finding(f"extra-{r:02}", ROOT + f"q{i % 9}.html", message="m", evidence=f"e{i}",
                                  severity=severities[r % 3]) for i in range(60)]
    rnd.shuffle(findings)
    findings.insert(17, "not a finding")
    pages = [make_page(ROOT + f"p{rnd.randrange(900)}.html", score=rnd.choice([None, 0, 10, 50, 90]),
                       status=rnd.choice([200, 200, 404, None]), depth=rnd.choice([0, 1, 3, 12, None]),
                       indexable=rnd.choice([True, False]), in_sitemap=rnd.choice([True, False, None]),
                       is_service=rnd.random() < 0.1, title=f"页面 {i}", kind=rnd.choice(["html", "blocked"]))
             for i in range(2_500)]
    pages.insert(3, None)
    fixes: list[Any] = [make_fix(rnd.choice(["noindex", "broken-link", "title-missing"]), f"修复 {i}", rnd.randrange(900),
                                 rnd.randrange(20), 20, template=rnd.random() < 0.1,
                                 target=rnd.choice([None, ROOT + f"t{i}.html"]),
                                 urls=[ROOT + f"p{rnd.randrange(900)}.html" for _ in range(rnd.randrange(25))])
                        for i in range(FIXES_CAP + 40)]
    fixes.insert(9, "not a fix")
    return make_result(rules=rules, findings=findings, pages=pages, services=_services(rnd), fixes=fixes)


def _old_run() -> dict[str, Any]:
    """An earlier crawl of BIG: most services again (some moved, rescored or renamed), a few gone."""
    rnd = random.Random(7)
    services = []
    for service in BIG["services"]:
        if isinstance(service, dict) and rnd.random() < 0.9:
            service = {**service, "score": rnd.choice([service["score"], 0, 40, 95, None])}
            if rnd.random() < 0.2:
                service["url"] = ROOT + f"old/{rnd.randrange(50)}.html"     # matched by name, if any
            services.append(service)
    return make_result(crawl={"started_at": "2026-10-01T00:00:00Z"}, findings=BIG["findings"],
                       pages=BIG["pages"], services=services)


BIG = _big_result()
OLD = _old_run()


def _spool(result: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``result`` with findings, pages and services as spools."""
    return {**result, **{key: Spool(result[key]) for key in SPOOLED if key in result}}


def _close(result: dict[str, Any]) -> None:
    for key in SPOOLED:
        if key in result:
            result[key].close()


@pytest.fixture
def spooled() -> Iterator[dict[str, Any]]:
    """``BIG`` with findings, pages and services as spools (closed after the test)."""
    result = _spool(copy.deepcopy(BIG))
    yield result
    _close(result)


def _files(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in REPORT_FILES}


def test_the_sample_makes_every_cap_bite() -> None:
    context = build_context(BIG)
    groups = context["findings"]["groups"]
    assert max(len(g["rows"]) for g in groups) == FINDINGS_CAP
    assert sum(len(g["rows"]) for g in groups) == FINDINGS_TOTAL_CAP
    assert any(g["rows"] == [] and g["more"] for g in groups)
    assert len(context["pages"]["rows"]) == PAGES_CAP and context["pages"]["capped"]
    assert len(context["services"]["rows"]) == SERVICES_CAP and context["services"]["more"] == 200
    assert len(context["fixes"]["all"]) == FIXES_CAP and context["fixes"]["more"] == 40
    trend = trend_view(BIG, [OLD], "zh", labels("zh"))
    assert trend is not None and len(trend["services"]) == TREND_SERVICES and trend["services_capped"]
    assert {row["change"] for row in trend["services"]} - {None} and any(row["new"] for row in trend["services"])
    keys = [service_order(s) for s in dicts(BIG["services"])]
    assert len(set(keys)) < len(keys) - 200                    # many services tie on the whole sort key


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("run_rows", [None, 123])
def test_spools_and_lists_give_identical_files(spooled: dict[str, Any], tmp_path: Path, lang: str,
                                               run_rows: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if run_rows:  # CSV rows sorted in runs on disk, then merged
        monkeypatch.setattr(reports.streams, "RUN_ROWS", run_rows)
    write_site(BIG, tmp_path / "list", lang, [OLD])
    old_spooled = _spool(OLD)
    write_site(spooled, tmp_path / "spool", lang, [old_spooled])
    _close(old_spooled)
    expected, got = _files(tmp_path / "list"), _files(tmp_path / "spool")
    assert 'id="trend"' in expected["report.html"].decode() and len(expected["services.csv"]) > 50_000
    for name in REPORT_FILES:
        assert got[name] == expected[name], name
    without_crawl_pages = {**BIG, "crawl": {}}
    assert render_index([spooled, {**spooled, "crawl": {}}], ["a", "b"], lang) == \
        render_index([BIG, without_crawl_pages], ["a", "b"], lang)


def test_a_spool_is_never_read_as_empty(spooled: dict[str, Any], tmp_path: Path) -> None:
    findings, pages = len(spooled["findings"]) - 1, len(spooled["pages"]) - 1  # one non-dict item each
    assert count(spooled["findings"]) == findings and len(dicts(spooled["pages"])) == pages
    context = build_context({**spooled, "crawl": {}})
    assert sum(context["findings"]["counts"].values()) == findings
    assert sum(g["count"] for g in context["findings"]["groups"]) == findings
    assert context["site"]["pages_crawled"] == context["pages"]["total"] == pages
    assert write_findings_csv(spooled, tmp_path / "f.csv") == findings
    assert write_pages_csv(spooled, tmp_path / "p.csv") == pages
    services = len(spooled["services"]) - 1
    assert context["services"]["total"] == services == count(BIG["services"])
    assert write_services_csv(spooled, tmp_path / "s.csv") == services
    assert [row["services"] for row in index_context([spooled, BIG], ["a", "b"])["rows"]] == [services] * 2
    old_spooled = _spool(OLD)
    trend = trend_view({**spooled, "services": Spool(spooled["services"])}, [old_spooled], "en", labels("en"))
    _close(old_spooled)
    assert trend is not None and trend["services_capped"] and len(trend["services"]) == TREND_SERVICES


def test_rows_readers_take_only_lists_and_spools() -> None:
    spool = Spool([{"a": 1}, 2, {"b": 2}])
    assert list(rows(spool)) == list(Rows(spool)) == list(Rows(spool)) == [{"a": 1}, {"b": 2}]
    assert list(rows(({"a": 1},))) == list(rows({"a": 1})) == list(rows(None)) == []
    spool.close()


def test_findings_keep_at_most_the_cap_per_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    largest = 0

    class Watched(Smallest):
        def add(self, key: Any, item: Any) -> None:
            nonlocal largest
            super().add(key, item)
            largest = max(largest, len(self))

    monkeypatch.setattr(reports.view, "Smallest", Watched)
    groups = build_context(BIG)["findings"]["groups"]
    assert largest == FINDINGS_CAP
    assert max(g["count"] for g in groups) == 1_500


@pytest.mark.parametrize("n", [0, 1, 5, 50])
def test_smallest_equals_stable_sort(n: int) -> None:
    rnd = random.Random(n)
    items = [(rnd.randrange(5), i) for i in range(400)]
    keeper = Smallest(n)
    for item in items:
        keeper.add(item[0], item)
    assert keeper.items() == sorted(items, key=lambda x: x[0])[:n]


@pytest.mark.parametrize("run_rows", [1, 7, 100, 1_000])
def test_sorted_stream_equals_stable_sort(run_rows: int) -> None:
    rnd = random.Random(run_rows)
    items = [[rnd.choice("abc"), rnd.randrange(4), str(i)] for i in range(500)]
    got = sorted_stream(iter(items), key=lambda x: (x[0], x[1]), run_rows=run_rows)
    assert list(got) == sorted(items, key=lambda x: (x[0], x[1]))


def test_findings_rows_from_a_spool_equal_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports.streams, "RUN_ROWS", 333)
    spool = Spool(BIG["findings"])
    assert findings_rows({**BIG, "findings": spool}, "en") == findings_rows(BIG, "en")
    spool.close()


@pytest.mark.parametrize("run_rows", [None, 1, 64])
def test_services_rows_equal_a_full_stable_sort(run_rows: int | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if run_rows:
        monkeypatch.setattr(reports.streams, "RUN_ROWS", run_rows)
    expected = sorted(dicts(BIG["services"]), key=service_order)
    spool = Spool(BIG["services"])
    got = services_rows({**BIG, "services": spool}, "en")
    assert got == services_rows(BIG, "en")
    assert [(row[4], row[2], row[12]) for row in got] == \
        [(s["url"], s["name"], s["title"].replace("-1", "'-1")) for s in expected]
    context = build_context({**BIG, "services": spool}, "en")
    assert [(r["url"], r["name"] or r["url"]) for r in context["services"]["rows"]] == \
        [(s["url"], s["name"] or s["url"]) for s in expected[:SERVICES_CAP]]
    spool.close()


def test_shown_rows_equal_a_full_stable_sort() -> None:
    """What the bounded heaps keep is what sorting every finding and page, then cutting, would show."""
    context = build_context(BIG, "en")
    findings = [f for f in BIG["findings"] if isinstance(f, dict)]
    for group in context["findings"]["groups"]:
        items = [f for f in findings if f["rule"] == group["id"]]
        items.sort(key=lambda f: (severity_rank(f["severity"]), f["url"], f.get("message_en") or f["message"]))
        expected = [(f["url"], f.get("message_en") or f["message"], evidence_lines(f["evidence"], "en"))
                    for f in items[:len(group["rows"])]]
        assert [(r["url"], r["message"], r["evidence"]) for r in group["rows"]] == expected
        assert group["more"] == len(items) - len(group["rows"])

    def page_key(page: dict[str, Any]) -> tuple[int, int, str]:
        rank = -1 if (page["status"] or 0) >= 400 else 101 if page["score"] is None else page["score"]
        return (rank, 10**9 if page["depth"] is None else page["depth"], page["url"])

    pages = sorted((p for p in BIG["pages"] if isinstance(p, dict)), key=page_key)[:PAGES_CAP]
    assert [(r["url"], r["title"]) for r in context["pages"]["rows"]] == [(p["url"], p["title"]) for p in pages]
