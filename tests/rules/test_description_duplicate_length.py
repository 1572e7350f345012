from sitebuilder import BASE, build_site, page, run_rule

LEGACY = "测试市人民政府门户网站，发布本市政务信息，提供在线办事服务，回应社会公众关切。"


def links(*paths: str) -> str:
    return "".join(f'<a href="{p}">链接{i}</a>' for i, p in enumerate(paths))


def unique(name: str) -> str:
    return f"{name}的办事指南，说明办理条件、所需材料、办理地点和办理时间等内容。"


def test_description_duplicate_only_among_indexable_pages(tmp_path):
    site = build_site(tmp_path, {
        "/": page(description=unique("首页"), body=links("/a", "/b", "/c", "/hidden", "/moved", "/u", "/e1", "/e2")),
        "/a": page(description=LEGACY), "/b": page(description=LEGACY), "/c": page(description=LEGACY),
        # near misses: a noindex copy, a copy canonicalised to /a, a unique one, empty descriptions
        "/hidden": page(description=LEGACY, head='<meta name="robots" content="noindex">'),
        "/moved": page(description=LEGACY, head=f'<link rel="canonical" href="{BASE}a">'),
        "/u": page(description=unique("居住证办理")),
        "/e1": page(description=""), "/e2": page(description=""),
    })
    found = run_rule(site, "description-duplicate")
    assert set(found) == {"/a", "/b", "/c"}
    assert found["/a"].evidence["others"] == [BASE + "b", BASE + "c"]
    assert found["/a"].evidence["count"] == 2
    assert run_rule(site, "description-duplicate", max_evidence=1)["/a"].evidence["others"] == [BASE + "b"]


def test_description_length_by_display_width(tmp_path):
    site = build_site(tmp_path, {
        "/": page(description=unique("首页"), body=links("/short", "/long", "/ascii", "/w40", "/w160", "/none")),
        "/short": page(description="政务公开工作要点"),
        "/long": page(description="《测试市城乡居民基本医疗保险实施办法》全文：" + "适用范围、参保登记、筹资标准、个人缴费、" * 5),
        "/ascii": page(description="Notice about the 2026 census."),
        # near misses: exactly 40 and exactly 160 wide; no description at all (description-missing)
        "/w40": page(description="测试市人民政府关于开展资产清查工作的通知"),
        "/w160": page(description="测试市人民政府关于开展资产清查工作的通知" * 4),
        "/none": page(description=None),
    })
    found = run_rule(site, "description-length")
    assert set(found) == {"/short", "/long", "/ascii"}
    assert found["/short"].evidence["width"] == 16
    assert set(run_rule(site, "description-length", min_width=10, max_width=200)) == {"/long"}
