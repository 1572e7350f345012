"""engine-blocked: what each search engine's crawler gets (its engine view) against what the crawl got.

Views are made as the crawler makes them (crawler.engines.plan and describe) from per-engine routes, so the
rule is judged on the very records a real crawl stores (the crawl itself is tested in test_engine_views.py).
"""

from collections.abc import Callable
from pathlib import Path

from sitebuilder import BASE, Route, _response, build_store, page, run_rule

from audits.causes import group_fixes
from audits.engineviews import reason, site_fact
from audits.findability import assess
from audits.fixes import fix_for
from audits.site import Site, load_site
from audits.synonyms import load_synonyms
from crawler.engines import BLOCKED, ENGINES, describe, plan
from crawler.urls import origin

BAIDU = ("Baiduspider", "Baiduspider-render")
ALL = [e.name for e in ENGINES]
TS_CHALLENGE = (412, [("Content-Type", "text/html")],
                b'<html><head><script>var $_ts=window["$_ts"];$_ts.nsd=1;</script></head><body></body></html>')
JSL = (521, [("Content-Type", "text/html"), ("Set-Cookie", "__jsl_clearance=0; path=/")],
       b"<html><script>document.cookie='__jsl_clearance=1|0'</script></html>")
LABELS = "".join(f"<p>{k}：……</p>" for k in ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "联系电话"))
Views = Callable[[str, str], Route | None]     # (path, engine) -> what that engine gets (None: the crawl's page)


def guide(name: str, extra: str = "") -> str:
    return page(title=f"{name}办事指南_个人办事_测试市人民政府", h1=name, body=LABELS + extra)


def with_views(tmp_path: Path, routes: dict[str, Route], views: Views) -> Site:
    """Crawl ``routes``, then make every engine view the crawler would (robots.txt obeyed per engine)."""
    from protego import Protego

    tmp_path.mkdir(parents=True, exist_ok=True)
    routes.setdefault("/", page(title="首页_测试市人民政府", h1="测试市人民政府",
                                body="".join(f'<a href="{p}">{p}</a>' for p in routes if p != "/robots.txt")))
    store = build_store(tmp_path / "crawl.sqlite", routes)
    robots = routes.get("/robots.txt")
    parser = Protego.parse(_response(robots)[2].decode()) if robots is not None else None
    engines = {e.name: e for e in ENGINES}
    for url_id, url, engine in plan([BASE], store.engine_view_candidates(), [origin(BASE)], set()):
        path = url[len(origin(url)):]
        if url_id is not None and parser is not None and not parser.can_fetch(url, engines[engine].robots_token):
            store.put_engine_view(url, engine, url_id=url_id, error=BLOCKED)
            continue
        route = views(path, engine)
        status, headers, body = _response(route if route is not None else routes.get(path, (404, [], b"")))
        location = next((v for k, v in headers if k == "Location"), None)
        cookies = [v for k, v in headers if k == "Set-Cookie"]
        store.put_engine_view(url, engine, url_id=url_id, **describe(url, status, location, cookies, body))
    store.commit()
    try:
        return load_site(store)
    finally:
        store.close()


def for_engines(engines: tuple[str, ...] | list[str], route: Route, paths: tuple[str, ...]) -> Views:
    return lambda path, engine: route if engine in engines and path in paths else None


def test_challenges_errors_redirects_and_other_pages_fire(tmp_path):
    answers: dict[str, tuple[tuple[str, ...] | list[str], Route]] = {
        "/bsfw/ts.html": (BAIDU, TS_CHALLENGE),
        "/bsfw/jsl.html": (ALL, JSL),
        "/bsfw/acw.html": (["Googlebot"], page(title="验证", body="<script>var arg1='x';acw_sc__v2=1;</script>")),
        "/bsfw/denied.html": (["Baiduspider"], (403, [("Content-Type", "text/html")],
                                                b"<html><title>Access Denied</title></html>")),
        "/bsfw/moved.html": (["360Spider"], (302, [("Location", "/captcha/verify?from=x")], b"")),
        "/bsfw/other.html": (["Sogou web spider"], page(title="请稍候", h1=None, description=None)),
        "/bsfw/busy.html": (["Baiduspider"], (429, [("Content-Type", "text/html")], b"too many requests")),
    }
    routes = {p: guide(f"事项{i}", "<p>" + "办理说明。" * 200 + "</p>") for i, p in enumerate(answers)}
    site = with_views(tmp_path, routes, lambda path, engine: answers[path][1]
                      if path in answers and engine in answers[path][0] else None)
    found = run_rule(site, "engine-blocked")
    assert set(found) == set(answers)
    ts = found["/bsfw/ts.html"].evidence
    assert ts["engines"] == list(BAIDU) and ts["status"] == 412 and ts["marker"] == "$_ts"
    assert ts["reason"] == "challenge" and ts["crawl"]["status"] == 200 and ts["crawl"]["title"].startswith("事项0")
    assert [v["status"] for v in ts["views"]] == [412, 412]
    # what Baiduspider gets beside what the crawl (a browser's request) got: text length and title
    assert [v["text_length"] for v in ts["views"]] == [0, 0] and ts["crawl"]["text_length"] > 1000
    jsl = found["/bsfw/jsl.html"].evidence
    assert jsl["engines"] == ALL and jsl["marker"] == "__jsl_clearance" and jsl["status"] == 521
    assert found["/bsfw/acw.html"].evidence["marker"] == "acw_sc__v2"
    assert found["/bsfw/acw.html"].evidence["reason"] == "challenge"      # a 200 challenge page
    assert found["/bsfw/denied.html"].evidence["marker"] == "access-denied"
    moved = found["/bsfw/moved.html"].evidence
    assert moved["reason"] == "redirect" and moved["views"][0]["final_url"] == BASE + "captcha/verify?from=x"
    assert found["/bsfw/other.html"].evidence["reason"] == "different-page"
    assert found["/bsfw/busy.html"].evidence["status"] == 429
    assert "Baiduspider、Baiduspider-render" in found["/bsfw/ts.html"].message.zh


def test_near_misses_do_not_fire(tmp_path):
    counter = iter(range(10_000))
    routes = {
        "/bsfw/same.html": guide("同一页面"),
        "/bsfw/csrf.html": guide("令牌页面"),
        "/bsfw/robots.html": guide("禁止抓取"),
        "/bsfw/acwtc.html": guide("负载均衡"),
        "/bsfw/login.html": guide("登录页面", "<form>验证码 <input name=captcha></form>"),
        "/robots.txt": (200, [("Content-Type", "text/plain")],
                        b"User-agent: Sogou web spider\nDisallow: /bsfw/robots.html\n\nUser-agent: *\nAllow: /\n"),
    }

    def views(path: str, engine: str) -> Route | None:
        if path == "/bsfw/csrf.html":        # a token and a timestamp that change on every request
            n = next(counter)
            return guide("令牌页面", f'<input type="hidden" name="csrf" value="tok{n:08d}"><p>2026-12-02 18:0{n % 10}</p>')
        if path == "/bsfw/robots.html" and engine == "Sogou web spider":
            return TS_CHALLENGE              # never asked: robots.txt forbids it to Sogou (robots-blocked's job)
        if path == "/bsfw/acwtc.html":       # Aliyun's load-balancer cookie on an ordinary page
            status, headers, body = _response(routes[path])
            return status, [*headers, ("Set-Cookie", "acw_tc=2f6a1b; path=/; HttpOnly")], body
        return None
    site = with_views(tmp_path, routes, views)
    assert run_rule(site, "engine-blocked") == {}
    robots_views = [v for v in site.engine_views[BASE + "bsfw/robots.html"] if v["engine"] == "Sogou web spider"]
    assert [v["error"] for v in robots_views] == [BLOCKED]
    acw = site.engine_views[BASE + "bsfw/acwtc.html"][0]
    assert acw["markers"] == ["acw_tc"]
    assert site_fact(site) is None


def test_a_different_page_is_judged_by_size_and_title_not_digest():
    from audits.engineviews import CrawlSide

    crawl = CrawlSide(200, None, 10_000, "公租房申请办事指南", "a" * 40, ())
    view = {"engine": "Baiduspider", "url_id": 1, "status": 200, "digest": "b" * 40, "markers": []}
    assert reason({**view, "size": 9_900, "title": "公租房申请办事指南"}, crawl) is None
    assert reason({**view, "size": 9_000, "title": "公租房申请办事指南_新"}, crawl) is None      # close in size
    assert reason({**view, "size": 6_000, "title": "安全验证"}, crawl) == "different-page"
    assert reason({**view, "size": 2_000, "title": "公租房申请办事指南"}, crawl) == "different-page"
    assert reason({**view, "size": 10_000, "title": "公租房申请办事指南", "digest": "a" * 40}, crawl) is None
    assert reason({**view, "status": None, "error": "reset"}, crawl) == "unreachable"
    assert reason({**view, "status": None, "error": BLOCKED}, crawl) is None


def test_a_crawl_without_views_judges_nothing(tmp_path):
    store = build_store(tmp_path / "crawl.sqlite", {"/": page(), "/bsfw/a.html": guide("甲")})
    site = load_site(store)
    store.close()
    assert site.engine_views == {}
    assert run_rule(site, "engine-blocked") == {}
    from audits.rules import RULES_BY_ID
    assert RULES_BY_ID["engine-blocked"].judges(site) == 0


def test_most_pages_blocked_for_baiduspider_is_a_site_fact(tmp_path):
    paths = tuple(f"/bsfw/{n}.html" for n in range(6))
    routes = {p: guide(f"事项{p}") for p in paths}
    site = with_views(tmp_path / "most", dict(routes), for_engines(BAIDU, TS_CHALLENGE, paths))
    fact = site_fact(site)
    # 6 of the 7 pages viewed (the home page passes)
    assert fact == {"engine": "Baiduspider", "share": round(6 / 7, 3), "pages": 6, "views": 7, "marker": "$_ts",
                    "status": 412}
    # near-miss: 3 of 7 is not most; Googlebot alone blocked is no Baiduspider fact
    site = with_views(tmp_path / "some", dict(routes), for_engines(BAIDU, TS_CHALLENGE, paths[:3]))
    assert site_fact(site) is None
    site = with_views(tmp_path / "google", dict(routes), for_engines(["Googlebot"], TS_CHALLENGE, paths))
    assert site_fact(site) is None and site_fact(site, engine="Googlebot")["share"] == round(6 / 7, 3)


def test_fixes_group_by_engines_marker_and_folder(tmp_path):
    ts_paths = tuple(f"/bsfw/grbs/{n}.html" for n in range(3))
    routes = {**{p: guide(f"事项{p}") for p in ts_paths}, "/zwgk/a.html": page(), "/bsfw/b.html": guide("乙")}

    def views(path: str, engine: str) -> Route | None:
        if path in ts_paths and engine in BAIDU:
            return TS_CHALLENGE
        if path == "/zwgk/a.html":
            return JSL
        if path == "/bsfw/b.html" and engine == "Baiduspider":
            return TS_CHALLENGE          # the same folder and marker, but Baiduspider alone: another cause
        return None
    site = with_views(tmp_path, routes, views)
    rows = [{"rule": f.rule, "url": f.url, "severity": "error", "evidence": f.evidence}
            for _, f in sorted(run_rule(site, "engine-blocked").items())]
    fixes = {f["cause"]: f for f in group_fixes(site, rows)}
    ts = fixes["网关对 Baiduspider、Baiduspider-render 返回 412 挑战页（$_ts）：/bsfw/ 下 3 个页面"]
    assert ts["pages"] == 3 and ts["target"] == "/bsfw/" and ts["kind"] == "engine" and ts["gating"]
    assert ts["cause_en"] == ("the gateway answers Baiduspider, Baiduspider-render with a 412 challenge ($_ts): "
                              "3 pages under /bsfw/")
    assert "/bsfw/" in ts["fix"] and "反向 DNS" in ts["fix"]
    assert fixes["网关对 Baiduspider 返回 412 挑战页（$_ts）：/bsfw/ 下 1 个页面"]["pages"] == 1
    jsl = next(f for f in fixes.values() if f["target"] == "/zwgk/")
    assert "__jsl_clearance" in jsl["cause"] and "Sogou web spider" in jsl["cause"]
    assert len(fixes) == 3


def test_a_service_blocked_for_baiduspider_is_gated_with_a_fix(tmp_path):
    routes = {"/bsfw/baidu.html": guide("公共租赁住房申请"), "/bsfw/google.html": guide("临时救助申请"),
              "/bsfw/open.html": guide("居住证办理")}

    def views(path: str, engine: str) -> Route | None:
        if (path == "/bsfw/baidu.html" and engine == "Baiduspider") or \
                (path == "/bsfw/google.html" and engine == "Googlebot"):
            return TS_CHALLENGE
        return None
    site = with_views(tmp_path, routes, views)
    findings = list(run_rule(site, "engine-blocked").values())
    assert {f.url for f in findings} == {BASE + "bsfw/baidu.html", BASE + "bsfw/google.html"}
    site.assessments = assess(site, findings)
    by_path = {a.service.url[len(BASE) - 1:]: a for a in site.assessments}
    assert by_path["/bsfw/baidu.html"].gates == ["engine-blocked"]
    assert by_path["/bsfw/google.html"].gates == [] and by_path["/bsfw/open.html"].gates == []
    assert by_path["/bsfw/baidu.html"].score < by_path["/bsfw/open.html"].score
    fix = fix_for("engine-blocked", site, by_path["/bsfw/baidu.html"], load_synonyms())
    assert "HTTP 412（$_ts）" in fix.zh and "Baiduspider" in fix.en and "reverse DNS" in fix.en
