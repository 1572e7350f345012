"""The honest site score: site-wide gates cap it, and a category with nothing to judge is null."""

from __future__ import annotations

from portalsite import audit, guide_path, portal_routes

from audits.config import Config
from audits.scoring import capped_score, gate, gate_cap

NOINDEX = '<meta name="robots" content="noindex">'


def _gate(result, gate_id):
    return next((g for g in result["site"]["gates"] if g["id"] == gate_id), None)


def _status(result, rule_id):
    return next(r["status"] for r in result["rules"] if r["id"] == rule_id)


def test_cap_curve_and_binding_gate():
    assert (gate_cap(0.0), gate_cap(0.5), gate_cap(0.9), gate_cap(1.0)) == (10, 55, 91, 100)
    assert gate("pages-indexable", 0, 0) is None          # nothing to count: no gate
    pages, services = gate("pages-indexable", 50, 100), gate("services-indexable", 1, 4)
    assert capped_score(83, [pages, services]) == round(10 + 90 * 0.25)
    assert (pages["binding"], services["binding"]) == (False, True)
    near = [gate("pages-indexable", 9, 10)]                # cap 91 above the score: not binding
    assert capped_score(83, near) == 83 and near[0]["binding"] is False
    assert capped_score(None, [gate("pages-indexable", 0, 5)]) is None


def test_a_site_no_page_of_which_may_be_indexed_scores_at_most_10(tmp_path):
    result = audit(tmp_path, portal_routes(12, 4, head=lambda path: NOINDEX))
    site = result["site"]
    pages = _gate(result, "pages-indexable")
    assert pages["indexable"] == 0 and pages["total"] == 17 and pages["share"] == 0.0
    assert pages["cap"] == 10 and pages["binding"] is True
    assert site["score"] <= 10 < site["score_uncapped"]
    assert site["categories"]["indexability"] <= 10          # the category does not contradict the headline
    assert _gate(result, "services-indexable")["share"] == 0.0
    assert sum(g["binding"] for g in site["gates"]) == 1


def test_a_half_hidden_site_is_capped_at_its_share(tmp_path):
    hidden = {f"/xwzx/202611/t20261103_{100 + i}.html" for i in range(10)}
    result = audit(tmp_path, portal_routes(20, head=lambda path: NOINDEX if path in hidden else ""))
    pages = _gate(result, "pages-indexable")
    assert (pages["indexable"], pages["total"]) == (11, 21)
    assert pages["cap"] == round(10 + 90 * 11 / 21) == 57
    assert result["site"]["score_uncapped"] > 57
    assert result["site"]["score"] == 57 and pages["binding"] is True


def test_a_healthy_site_is_not_capped(tmp_path):
    result = audit(tmp_path, portal_routes(12, 3))
    site = result["site"]
    assert [(g["id"], g["share"], g["cap"]) for g in site["gates"]] == [
        ("pages-indexable", 1.0, 100), ("services-indexable", 1.0, 100)]
    assert site["score"] == site["score_uncapped"] and site["categories"]["indexability"] > 90
    assert not any(g["binding"] for g in site["gates"])


def test_a_service_kept_out_by_robots_lowers_the_services_gate(tmp_path):
    robots = f"User-agent: *\nDisallow: {guide_path(0)}\n"
    result = audit(tmp_path, portal_routes(12, 4, robots=robots))
    services = _gate(result, "services-indexable")
    assert (services["indexable"], services["total"]) == (3, 4)
    pages = _gate(result, "pages-indexable")
    assert (pages["indexable"], pages["total"]) == (16, 17)     # the blocked guide counts, unfetched


def test_findability_is_null_without_services_never_100(tmp_path):
    result = audit(tmp_path, portal_routes(12))
    assert result["services"] == []
    assert result["site"]["categories"]["findability"] is None
    assert _gate(result, "services-indexable") is None
    for rule in ("service-hard-to-find", "service-vocabulary-gap", "service-search-rank", "query-unanswered",
                 "service-guide-incomplete", "attachment-only", "weak-internal-links"):
        assert _status(result, rule) == "n/a", rule


def test_rules_about_guide_pages_judge_the_guides(tmp_path):
    result = audit(tmp_path, portal_routes(12, 3))
    rules = {r["id"]: r for r in result["rules"]}
    for rule in ("service-guide-incomplete", "attachment-only", "weak-internal-links"):
        assert rules[rule]["status"] in ("pass", "fail"), rule
    # the home page links every guide once: each has one inlink, under min_inlinks 2
    assert (rules["weak-internal-links"]["status"], rules["weak-internal-links"]["count"]) == ("fail", 3)
    assert result["site"]["categories"]["structure"] < 100


def test_query_unanswered_needs_queries(tmp_path):
    routes = portal_routes(6, 3)
    assert _status(audit(tmp_path / "a", routes), "query-unanswered") == "n/a"
    config = Config(queries=[("社保卡怎么办", "http://portal.test" + guide_path(0))])
    judged = audit(tmp_path / "b", routes, config)
    assert _status(judged, "query-unanswered") in ("pass", "fail")
    assert judged["site"]["categories"]["findability"] is not None


def test_site_rules_with_nothing_to_judge_are_not_applicable(tmp_path):
    result = audit(tmp_path / "none", portal_routes(4))
    # no sitemap anywhere: sitemap-missing judges it; the rules about a sitemap's contents have none
    assert _status(result, "sitemap-missing") == "fail"
    assert _status(result, "sitemap-invalid") == "n/a"
    assert _status(result, "sitemap-bad-url") == "n/a"
    assert _status(result, "robots-txt-invalid") == "n/a"       # robots.txt answers 404: nothing to validate
    routes = portal_routes(4, robots="User-agent: *\nAllow: /\nSitemap: http://portal.test/sitemap.xml\n")
    routes["/sitemap.xml"] = (200, [("Content-Type", "application/xml")],
                              b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                              b"<url><loc>http://portal.test/</loc></url></urlset>")
    present = audit(tmp_path / "some", routes)
    for rule in ("sitemap-invalid", "sitemap-bad-url", "robots-txt-invalid", "robots-blocks-engine"):
        assert _status(present, rule) == "pass", rule
