from sitebuilder import build_site, page, redirect, run_rule


def test_two_hops_and_loops_fire_once_from_the_chain_head(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body='<a href="/old">旧</a><a href="/loop-a">环</a><a href="/one">一跳</a>'),
        "/old": redirect("/mid", 301),
        "/mid": redirect("http://portal.test/new", 302),
        "/new": page(),
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        "/one": redirect("/new"),
    })
    found = run_rule(site, "redirect-chain")
    assert set(found) == {"/old", "/loop-a"}
    assert [h["status"] for h in found["/old"].evidence["hops"]] == [301, 302]
    assert found["/old"].evidence["final"] == "http://portal.test/new"
    assert found["/loop-a"].evidence["loop"] is True


def test_single_redirect_is_fine_and_threshold_is_configurable(tmp_path):
    site = build_site(tmp_path, {"/": page(body='<a href="/one">一跳</a>'), "/one": redirect("/"), })
    assert run_rule(site, "redirect-chain") == {}
    assert set(run_rule(site, "redirect-chain", max_hops=1)) == {"/one"}
