from sitebuilder import build_site, page, redirect, run_rule


def test_one_finding_per_source_page_with_targets(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body='<a href="/a">A</a><a href="/b">B</a><a href="/missing">失效</a>'),
        "/a": page(body='<a href="/missing">失效</a><img src="/nologo.png" alt="标志"><a href="/missing">再次</a>'),
        "/b": page(body='<a href="/a">正常</a><a href="/r">跳转</a>'),
        "/r": redirect("/a"),
    })
    found = run_rule(site, "broken-link")
    assert set(found) == {"/", "/a"}
    targets = {t["url"].rsplit("/", 1)[1] for t in found["/a"].evidence["targets"]}
    assert targets == {"missing", "nologo.png"}      # deduplicated, images count
    assert found["/"].evidence["targets"][0]["anchor"] == "失效"


def test_links_to_external_errors_and_canonicals_do_not_fire(tmp_path):
    site = build_site(tmp_path, {
        "/": page(head='<link rel="canonical" href="/nowhere">',
                  body='<a href="http://other.test/missing">外站</a><a href="/ok">好</a>'),
        "/ok": page(),
    })
    assert run_rule(site, "broken-link") == {}
