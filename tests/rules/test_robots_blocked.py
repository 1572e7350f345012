from sitebuilder import build_site, page, run_rule

ROBOTS = b"""User-agent: *
Disallow: /admin/

User-agent: Baiduspider
Disallow: /admin/
Disallow: /bsfw/secret.html

User-agent: Googlebot
Allow: /
"""


def test_each_engine_uses_its_own_group(tmp_path):
    site = build_site(tmp_path, {
        "/robots.txt": (200, [("Content-Type", "text/plain")], ROBOTS),
        "/": page(body='<a href="/bsfw/secret.html">事项</a><a href="/admin/x">后台</a><a href="/bsfw/open.html">开放</a>'),
        "/bsfw/secret.html": page(), "/bsfw/open.html": page(), "/admin/x": page(),
    }, obey_robots=False)
    found = run_rule(site, "robots-blocked")
    assert set(found) == {"/bsfw/secret.html", "/admin/x"}
    assert found["/bsfw/secret.html"].evidence["engines"] == ["Baiduspider"]
    # Googlebot's own group allows everything: /admin/ is blocked for Baidu only
    assert found["/admin/x"].evidence["engines"] == ["Baiduspider"]


def test_urls_our_crawler_skipped_are_still_judged(tmp_path):
    site = build_site(tmp_path, {
        "/robots.txt": (200, [], b"User-agent: *\nDisallow: /private/\n"),
        "/": page(body='<a href="/private/a.html">私有</a>'),
    })
    assert set(run_rule(site, "robots-blocked")) == {"/private/a.html"}


def test_no_robots_txt_blocks_nothing(tmp_path):
    site = build_site(tmp_path, {"/": page(body='<a href="/a">A</a>'), "/a": page()})
    assert run_rule(site, "robots-blocked") == {}
