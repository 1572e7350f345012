"""result.json fixes: findings grouped by what causes them (audits/causes.py)."""

from __future__ import annotations

from collections import Counter

from portalsite import article_path, audit, guide_path, html_pages, portal_routes
from sitebuilder import build_site

from audits.causes import MAX_URLS, sort_key
from audits.config import Config
from audits.engine import build_result

NOINDEX = '<meta name="robots" content="noindex">'
BASE = "http://portal.test"


def _fixes(result, rule):
    return [f for f in result["fixes"] if f["rule"] == rule]


def _pages_per_rule(result):
    """Distinct pages each rule found something on."""
    return Counter(f["rule"] for f in result["findings"])


def test_a_template_wide_noindex_is_one_template_fix_with_every_page(tmp_path):
    result = audit(tmp_path, portal_routes(24, 4, head=lambda path: NOINDEX))
    (fix,) = _fixes(result, "noindex")
    total = html_pages(result)
    assert total == 29
    assert (fix["kind"], fix["template"], fix["pages"]) == ("template", True, total)
    assert (fix["services"], fix["services_total"]) == (4, 4)
    assert fix["fix"] == f"删除网站模板中的 {NOINDEX}"
    assert fix["fix_en"] == f"Remove {NOINDEX} from the site template"
    assert len(fix["urls"]) == MAX_URLS and fix["urls"] == sorted(fix["urls"])
    assert result["fixes"][0] is fix          # it keeps every service out: first


def test_noindex_on_a_few_pages_is_not_a_template(tmp_path):
    few = {article_path(1), article_path(2)}
    result = audit(tmp_path, portal_routes(24, head=lambda path: NOINDEX if path in few else ""))
    (fix,) = _fixes(result, "noindex")
    assert (fix["kind"], fix["template"], fix["pages"]) == ("rule", False, 2)
    assert sorted(fix["urls"]) == sorted(BASE + p for p in few)


def test_a_page_type_template_is_detected_and_the_rest_stays_with_the_rule(tmp_path):
    """Every article page lacks a description (their template), the home page too, the guides do not."""
    routes = portal_routes(20, 3)
    for path, body in list(routes.items()):
        if path == "/" or path.startswith("/xwzx/"):
            routes[path] = body.replace('<meta name="description"', '<meta name="x-description"')
    result = audit(tmp_path, routes)
    fixes = _fixes(result, "description-missing")
    template = next(f for f in fixes if f["kind"] == "template")
    assert (template["pages"], template["template"], template["page_types"]) == (20, True, ["article"])
    assert template["cause"] == '文章页模板缺少 <meta name="description">'
    rest = [f for f in fixes if f["kind"] == "rule"]
    assert [(f["pages"], f["template"]) for f in rest] == [(1, False)]     # the home page, on its own
    assert sum(f["pages"] for f in fixes) == _pages_per_rule(result)["description-missing"] == 21


def test_a_template_wide_broken_link_is_one_broken_target_fix(tmp_path):
    footer = '<a href="/gone/notice.html">旧版通知</a>'
    result = audit(tmp_path, portal_routes(24, body=lambda path: footer))
    (fix,) = _fixes(result, "broken-link")
    assert fix["kind"] == "broken-target" and fix["template"] is True
    assert fix["target"] == BASE + "/gone/notice.html"
    assert fix["pages"] == html_pages(result) == 25
    assert f"修复或删除网站模板中指向 {BASE}/gone/notice.html 的链接" in fix["fix"]
    assert "HTTP 404" in fix["cause"]


def test_a_broken_link_on_two_pages_is_grouped_by_target_but_not_a_template(tmp_path):
    two = {article_path(3), article_path(7)}
    single = article_path(9)

    def body(path):
        links = '<a href="/gone/a.html">甲</a>' if path in two else ""
        return links + ('<a href="/gone/b.html">乙</a><a href="/gone/c.html">丙</a>' if path == single else "")
    result = audit(tmp_path, portal_routes(24, body=body))
    fixes = {f["kind"]: f for f in _fixes(result, "broken-link")}
    assert set(fixes) == {"broken-target", "rule"}
    shared = fixes["broken-target"]
    assert (shared["target"], shared["pages"], shared["template"]) == (BASE + "/gone/a.html", 2, False)
    assert sorted(shared["urls"]) == sorted(BASE + p for p in two)
    # one page's own dead links (two targets no other page links): the rule's group, the page once
    assert (fixes["rule"]["urls"], fixes["rule"]["pages"]) == ([BASE + single], 1)


def test_a_robots_rule_blocking_a_folder_is_one_robots_rule_fix(tmp_path):
    robots = "User-agent: *\nDisallow: /admin/\n\nUser-agent: Baiduspider\nDisallow: /bsfw/\n"
    result = audit(tmp_path, portal_routes(6, 3, robots=robots))
    (fix,) = _fixes(result, "robots-blocked")
    assert (fix["kind"], fix["target"], fix["pages"]) == ("robots-rule", "/bsfw/", 3)
    assert fix["services"] == 3 and fix["template"] is False
    assert "User-agent: Baiduspider 分组的 Disallow: /bsfw/（第 5 行）" in fix["cause"]
    assert sorted(fix["urls"]) == sorted(BASE + guide_path(i) for i in range(3))
    # robots-blocks-engine ("Baiduspider may not crawl the service guides") is this line too: said once, here
    assert fix["rules"] == ["robots-blocked", "robots-blocks-engine"]
    assert "robots-blocks-engine" in _pages_per_rule(result) and not _fixes(result, "robots-blocks-engine")
    finding = next(f for f in result["findings"] if f["rule"] == "robots-blocked")
    assert finding["evidence"]["rules"] == [{"engine": "Baiduspider", "group": "Baiduspider",
                                             "rule": "Disallow: /bsfw/", "path": "/bsfw/", "line": 5}]


def test_a_guide_blocked_by_two_lines_keeps_its_own_robots_blocks_engine_fix(tmp_path):
    """Near miss: the guides are blocked by two different lines, so no single line's fix says it all."""
    robots = (f"User-agent: Baiduspider\nDisallow: {guide_path(0)}\nDisallow: {guide_path(1)}\n")
    result = audit(tmp_path, portal_routes(6, 3, robots=robots))
    assert sorted(f["target"] for f in _fixes(result, "robots-blocked")) == [guide_path(0), guide_path(1)]
    assert all(f["rules"] == ["robots-blocked"] for f in _fixes(result, "robots-blocked"))
    (engine,) = _fixes(result, "robots-blocks-engine")
    assert engine["kind"] == "rule" and engine["rules"] == ["robots-blocks-engine"]


def test_service_hard_to_find_restates_other_causes_and_is_no_fix(tmp_path):
    result = audit(tmp_path, portal_routes(6, 3, head=lambda path: NOINDEX if "/bsfw/" in path else ""))
    assert "service-hard-to-find" in _pages_per_rule(result)
    assert not _fixes(result, "service-hard-to-find")
    assert _fixes(result, "noindex")[0]["services"] == 3


def test_every_finding_is_in_exactly_one_group(tmp_path):
    few = {article_path(1)}
    result = audit(tmp_path, portal_routes(14, 2, head=lambda path: NOINDEX if path in few else "",
                                            body=lambda path: '<a href="/gone.html">旧</a>'))
    grouped = Counter()
    for fix in result["fixes"]:
        grouped[fix["rule"]] += fix["pages"]
    assert grouped == _pages_per_rule(result)
    assert len({f["id"] for f in result["fixes"]}) == len(result["fixes"])


def test_order_services_unblocked_then_pages_then_severity_then_rule():
    def fix(rule, pages, services, severity="warning"):
        return {"id": rule, "rule": rule, "pages": pages, "services": services, "severity": severity}
    fixes = [fix("title-generic", 900, 40, "error"),      # not a gate: its services do not sort first
             fix("description-missing", 50, 0),
             fix("noindex", 3, 2, "error"),
             fix("robots-blocked", 3, 5, "error"),
             fix("lang-missing", 50, 0, "notice"),
             fix("h1-missing", 50, 0),
             fix("broken-link", 50, 0, "error")]
    order = [f["rule"] for f in sorted(fixes, key=sort_key)]
    assert order == ["robots-blocked", "noindex", "title-generic", "broken-link", "description-missing",
                     "h1-missing", "lang-missing"]


def test_one_line_of_the_star_group_is_one_fix_for_both_engines(tmp_path):
    result = audit(tmp_path, portal_routes(6, 2, robots="User-agent: *\nDisallow: /xwzx/\n"))
    (fix,) = _fixes(result, "robots-blocked")
    assert (fix["kind"], fix["target"], fix["pages"], fix["services"]) == ("robots-rule", "/xwzx/", 6, 0)
    assert "User-agent: * 分组的 Disallow: /xwzx/（第 2 行）禁止 Baiduspider、Googlebot 抓取" in fix["cause"]


def test_pages_refreshing_to_the_same_target_are_one_redirect_fix(tmp_path):
    target = article_path(0)
    refresh = f'<meta http-equiv="refresh" content="0;url={target}">'
    moved = {article_path(4), article_path(5), article_path(6)}
    lone = article_path(8)

    def head(path):
        if path in moved:
            return refresh
        return f'<meta http-equiv="refresh" content="0;url={article_path(1)}">' if path == lone else ""
    result = audit(tmp_path, portal_routes(10, head=head))
    fixes = {f["kind"]: f for f in _fixes(result, "meta-refresh")}
    assert set(fixes) == {"redirect", "rule"}
    shared = fixes["redirect"]
    assert (shared["target"], shared["pages"]) == (BASE + target, 3)
    assert f"301 重定向，并把站内链接直接改为 {BASE}{target}" in shared["fix"]
    assert fixes["rule"]["urls"] == [BASE + lone]       # the only page going there: the rule's group


def test_a_noindex_header_on_every_page_is_fixed_in_the_server_configuration(tmp_path):
    routes = {path: (200, [("Content-Type", "text/html; charset=utf-8"), ("X-Robots-Tag", "noindex")], body.encode())
              for path, body in portal_routes(12).items()}
    result = audit(tmp_path, routes)
    (fix,) = _fixes(result, "noindex")
    assert (fix["kind"], fix["template"], fix["pages"]) == ("template", True, 13)
    assert fix["fix"] == "在网站服务器（或 CMS）配置中删除 X-Robots-Tag: noindex 响应头"


def test_articles_without_a_date_are_their_templates_fix(tmp_path):
    dated = {guide_path(0), guide_path(1), guide_path(2)}
    result = audit(tmp_path, portal_routes(12, 4, body=lambda path: "<p>发布时间：2026-11-03</p>" if path in dated else ""))
    fixes = _fixes(result, "publish-date-missing")
    # 13 of 17 pages: not the site's template; every article: the article template; one guide: its own
    assert [(f["kind"], f["page_types"], f["pages"]) for f in fixes] == [("template", ["article"], 12), ("rule", [], 1)]
    assert fixes[0]["fix"].startswith("在文章页模板的正文标题下显示发布日期")


def test_a_fix_id_is_the_same_on_another_host(tmp_path):
    routes = portal_routes(6, body=lambda path: '<a href="/gone/a.html">甲</a>')
    ids = []
    for n, start in enumerate(("http://portal.test/", "http://127.0.0.1:8080/")):
        site = build_site(tmp_path / str(n), routes, start=start)
        try:
            fixes = build_result(site, Config())["fixes"]
        finally:
            site.close()
        ids.append({f["kind"]: f["id"] for f in fixes if f["rule"] == "broken-link"})
    assert ids[0] == ids[1] and "broken-target" in ids[0]


def test_a_wrong_site_tag_in_the_template_is_one_fix_and_a_pubdate_stays_the_pages(tmp_path):
    """SiteDomain naming another host on every page is one line of the template, pages with a malformed PubDate
    besides included; a malformed PubDate alone is the page's own value (near miss)."""
    wrong = '<meta name="SiteName" content="云溪市人民政府"><meta name="SiteDomain" content="www.old-portal.gov.cn">'
    odd, alone = {article_path(1), article_path(2)}, {article_path(3)}
    result = audit(tmp_path, portal_routes(12, head=lambda path: (
        wrong.replace("www.old-portal.gov.cn", "portal.test") if path in alone else wrong) + (
        '<meta name="PubDate" content="2026年11月3日">' if path in odd | alone else "")))
    fixes = _fixes(result, "gov-meta-invalid")
    template = [f for f in fixes if f["kind"] == "template"]
    assert [(f["template"], f["pages"]) for f in template] == [(True, 12)]    # 13 pages, 1 right
    assert "www.old-portal.gov.cn" in template[0]["cause"] and "portal.test" in template[0]["fix"]
    # the page whose only fault is its own PubDate: said by the rule
    assert [(f["kind"], f["pages"]) for f in fixes if f["kind"] != "template"] == [("rule", 1)]


def test_guides_one_script_fills_in_are_one_script_fix_by_that_script(tmp_path):
    routes = portal_routes(8, 6)
    for i in range(5):
        loader = '<script src="/js/guide.js"></script>' if i < 4 else '<script src="/static/main.js"></script>'
        routes[guide_path(i)] = routes[guide_path(i)].split("<p>事项名称")[0] + \
            f'<div id="guide-app" data-id="{i}"></div>{loader}</body></html>'
    result = audit(tmp_path, routes)
    fixes = {f["target"]: f for f in _fixes(result, "js-dependent-content")}
    assert set(fixes) == {"/js/guide.js", "/bsfw/"}
    guide = fixes["/js/guide.js"]
    assert (guide["kind"], guide["pages"], guide["services"], guide["gating"]) == ("script", 4, 4, True)
    assert guide["cause"] == "/bsfw/ 下 4 个办事指南的正文由脚本 /js/guide.js 在浏览器中加载，网页源代码中没有"
    assert "/js/guide.js" in guide["fix"] and "/bsfw/" in guide["fix_en"]
    assert fixes["/bsfw/"]["pages"] == 1 and "由脚本在浏览器中加载" in fixes["/bsfw/"]["cause"]
