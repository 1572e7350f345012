from sitebuilder import build_site, page, run_rule

GUIDE = "".join(f"<p>{k}：内容</p>" for k in ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "联系电话"])


def test_robots_txt_invalid_and_valid(tmp_path):
    bad = build_site(tmp_path / "a", {"/": page(), "/robots.txt": (
        200, [("Content-Type", "text/plain")], b"Disallow: /admin/\nUser-agent: *\nDisallow: admin\nFoo: bar\n")})
    found = run_rule(bad, "robots-txt-invalid")
    assert set(found) == {"/robots.txt"}
    assert {"rule-before-user-agent", "bad-pattern", "unknown-directive"} <= set(found["/robots.txt"].evidence["codes"])
    good = build_site(tmp_path / "b", {"/": page(), "/robots.txt": (
        200, [], b"\xef\xbb\xbfUser-agent: *\nDisallow:\nAllow: /*.pdf$\nSitemap: http://portal.test/s.xml\n")})
    assert run_rule(good, "robots-txt-invalid") == {}


def test_robots_blocks_engine_site_wide_or_services_only(tmp_path):
    whole = build_site(tmp_path / "a", {"/": page(), "/robots.txt": (
        200, [], b"User-agent: Baiduspider\nDisallow: /\n\nUser-agent: *\nDisallow:\n")}, obey_robots=False)
    (finding,) = run_rule(whole, "robots-blocks-engine").values()
    assert finding.evidence == {"engines": ["Baiduspider"], "scope": "site"}
    services = build_site(tmp_path / "b", {
        "/": page(body='<a href="/bsfw/a.html">事项</a><a href="/news/1.html">新闻</a>'),
        "/bsfw/a.html": page(title="事项_测试", body=GUIDE), "/news/1.html": page(title="新闻_测试"),
        "/robots.txt": (200, [], b"User-agent: Sogou web spider\nDisallow: /bsfw/\n\nUser-agent: *\nDisallow:\n"),
    }, obey_robots=False)
    (finding,) = run_rule(services, "robots-blocks-engine").values()
    assert finding.evidence["engines"] == ["Sogou web spider"] and finding.evidence["count"] == 1
    # near miss: blocking news (not a service) for an engine is the site's choice
    news = build_site(tmp_path / "c", {
        "/": page(body='<a href="/news/1.html">新闻</a>'), "/news/1.html": page(title="新闻_测试"),
        "/robots.txt": (200, [], b"User-agent: Baiduspider\nDisallow: /news/\n")}, obey_robots=False)
    assert run_rule(news, "robots-blocks-engine") == {}


NS = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_sitemap_invalid_and_bad_urls(tmp_path):
    urlset = (b'<?xml version="1.0"?><urlset ' + NS + b"><url><loc>http://portal.test/ok</loc></url>"
              b"<url><loc>http://portal.test/gone</loc></url><url><loc>http://portal.test/moved</loc></url>"
              b"<url><loc>http://elsewhere.test/x</loc></url></urlset>")
    site = build_site(tmp_path, {
        "/": page(body='<a href="/ok">ok</a>'), "/ok": page(), "/moved": (301, [("Location", "/ok")], b""),
        "/robots.txt": (200, [], b"Sitemap: http://portal.test/good.xml\nSitemap: http://portal.test/bad.xml\n"),
        "/good.xml": (200, [], urlset),
        "/bad.xml": (200, [], b'<?xml version="1.0"?><urlset xmlns="http://example.com/ns"><url><loc>/rel</loc></url></urlset>'),
    })
    invalid = run_rule(site, "sitemap-invalid")
    assert set(invalid) == {"/bad.xml"}          # the 404 default /sitemap.xml is not "invalid"
    assert {"namespace", "loc-relative"} <= set(invalid["/bad.xml"].evidence["codes"])
    bad = run_rule(site, "sitemap-bad-url")
    assert set(bad) == {"/good.xml"}
    problems = {item["url"].rsplit("/", 1)[1]: item["problems"] for item in bad["/good.xml"].evidence["urls"]}
    assert problems == {"gone": ["not-200"], "moved": ["redirect"], "x": ["off-host"]}
