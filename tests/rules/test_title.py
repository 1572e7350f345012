from sitebuilder import build_site, page, run_rule


def test_title_missing_empty_or_repeated_fires(tmp_path):
    site = build_site(tmp_path, {
        "/": page(body="".join(f'<a href="/{p}">{p}</a>' for p in ("none", "empty", "two", "svg", "ok"))),
        "/none": page(title=None),
        "/empty": page(title="  "),
        "/two": page(head="<title>第二个标题</title>"),
        # near misses: an SVG <title> is not a page title; an ordinary title is fine
        "/svg": page(body="<svg><title>图标</title></svg>"),
        "/ok": page(title="居住证办理_个人办事_测试市人民政府"),
    })
    found = run_rule(site, "title-missing")
    assert set(found) == {"/none", "/empty", "/two"}
    assert found["/two"].evidence["titles"] == ["页面标题_栏目_测试市人民政府", "第二个标题"]


def test_title_duplicate_only_among_indexable_pages(tmp_path):
    generic = "测试市人民政府"
    site = build_site(tmp_path, {
        "/": page(title="首页_测试市人民政府",
                  body="".join(f'<a href="/{p}">{p}</a>' for p in ("a", "b", "c", "hidden", "u1", "u2"))),
        "/a": page(title=generic), "/b": page(title=generic), "/c": page(title=generic),
        # near misses: a noindex page with the same title, and unique titles
        "/hidden": page(title=generic, head='<meta name="robots" content="noindex">'),
        "/u1": page(title="社会保障卡申领_个人办事_测试市人民政府"),
        "/u2": page(title="住房公积金提取_个人办事_测试市人民政府"),
    })
    found = run_rule(site, "title-duplicate")
    assert set(found) == {"/a", "/b", "/c"}
    assert found["/a"].evidence["count"] == 2
    assert "http://portal.test/hidden" not in found["/a"].evidence["others"]
