from sitebuilder import build_site, page, redirect, run_rule


def test_fires_on_4xx_5xx_and_not_on_200_or_redirect(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body='<a href="/gone">旧</a><a href="/boom">坏</a><a href="/ok">好</a><a href="/moved">迁</a>'
                       '<a href="/forbidden">禁</a>'),
        "/boom": (500, [("Content-Type", "text/html")], b"oops"),
        "/forbidden": (403, [], b""),
        "/ok": page(),
        "/moved": redirect("/ok"),
    })
    found = run_rule(site, "http-error")
    assert set(found) == {"/gone", "/boom", "/forbidden"}
    assert found["/boom"].evidence["status"] == 500
    assert "500" in found["/boom"].message.zh


def test_external_links_are_never_judged(tmp_path):
    site = build_site(tmp_path, {"/": page(body='<a href="http://elsewhere.test/missing">外站</a>')})
    assert run_rule(site, "http-error") == {}
