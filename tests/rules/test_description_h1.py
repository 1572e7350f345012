from sitebuilder import build_site, page, run_rule


def test_description_missing(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body='<a href="/no">无</a><a href="/empty">空</a><a href="/og">og</a>'),
        "/no": page(description=None),
        "/empty": page(description=" "),
        # near miss: og:description does not count, but a proper description elsewhere on / does
        "/og": page(description=None, head='<meta property="og:description" content="社交描述">'),
    })
    found = run_rule(site, "description-missing")
    assert set(found) == {"/no", "/empty", "/og"}
    assert "/" not in found


def test_h1_missing_or_several_different(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body="".join(f'<a href="/{p}">{p}</a>' for p in ("none", "two", "same", "empty"))),
        "/none": page(h1=None),
        "/two": page(body="<h1>另一个主标题</h1>"),
        "/empty": page(h1=""),
        # near miss: the same H1 twice (common in templates) is not "differing"
        "/same": page(body="<h1>页面标题</h1>"),
    })
    found = run_rule(site, "h1-missing")
    assert set(found) == {"/none", "/two", "/empty"}


def test_error_pages_are_not_judged_for_content(tmp_path):
    site = build_site(tmp_path, {"/": page(body='<a href="/gone">x</a>')})
    assert run_rule(site, "h1-missing") == {} and run_rule(site, "description-missing") == {}


def test_meta_refresh_stubs_are_redirects_not_pages(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body='<a href="/stub">旧栏目</a><a href="/slow">慢</a>'),
        "/stub": '<html><head><meta http-equiv="refresh" content="0; url=/"></head></html>',
        # near miss: a page that refreshes itself every minute is a page
        "/slow": page(description=None, head='<meta http-equiv="refresh" content="60">'),
    })
    assert set(run_rule(site, "description-missing")) == {"/slow"}
    assert not site.indexable(site.page("http://portal.test/stub"))
