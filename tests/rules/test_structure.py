from sitebuilder import build_site, page, run_rule

GUIDE = "".join(f"<p>{k}：内容{i}</p>" for i, k in enumerate(
    ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话"]))


def chain_site(tmp_path, n):
    """/ -> /l1 -> ... -> /l{n}; the last one is a service guide."""
    routes = {"/": page(body='<a href="/l1">一</a>')}
    for i in range(1, n + 1):
        body = f'<a href="/l{i + 1}">下</a>' if i < n else GUIDE * 3
        routes[f"/l{i}"] = page(title=f"第{i}层_测试", body=body)
    return build_site(tmp_path, routes)


def test_deep_service_fires_past_three_clicks_and_near_miss_at_three(tmp_path):
    assert set(run_rule(chain_site(tmp_path / "a", 4), "deep-page")) == {"/l4"}
    assert run_rule(chain_site(tmp_path / "b", 3), "deep-page") == {}


def test_deep_ordinary_page_limit_is_five_and_configurable(tmp_path):
    routes = {"/": page(body='<a href="/p1">1</a>')}
    for i in range(1, 8):
        routes[f"/p{i}"] = page(title=f"文章{i}", body=f'<a href="/p{i + 1}">下</a>' if i < 7 else "<p>文章</p>")
    site = build_site(tmp_path, routes)
    assert set(run_rule(site, "deep-page")) == {"/p6", "/p7"}
    assert set(run_rule(site, "deep-page", max_depth=6)) == {"/p7"}


SITEMAP = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<url><loc>http://portal.test/news/t1.html</loc></url><url><loc>http://portal.test/orphan</loc></url>"
           b"<url><loc>http://portal.test/</loc></url></urlset>")


def sitemap_site(tmp_path):
    return build_site(tmp_path, {
        "/sitemap.xml": (200, [("Content-Type", "application/xml")], SITEMAP),
        "/": page(body='<a href="/news/t1.html">有链接</a><a href="/news/t2.html">未列入</a>'
                       '<a href="/news/t3.html">隐藏</a><a href="/about.html">关于</a>'),
        "/news/t1.html": page(title="已链接_测试", head=ARTICLE), "/orphan": page(title="孤立_测试"),
        "/news/t2.html": page(title="未列入_测试", head=ARTICLE), "/about.html": page(title="关于本网_测试"),
        "/news/t3.html": page(title="不收录", head=ARTICLE + '<meta name="robots" content="noindex">'),
    })


ARTICLE = '<meta name="ArticleTitle" content="文章"><meta name="PubDate" content="2026-11-03 09:30">'


def test_orphan_page_is_a_sitemap_url_no_page_links(tmp_path):
    assert set(run_rule(sitemap_site(tmp_path), "orphan-page")) == {"/orphan"}


def test_not_in_sitemap_only_indexable_linked_pages(tmp_path):
    # /orphan is in the sitemap, t3 is noindex, /about.html is not an article: none fires
    assert set(run_rule(sitemap_site(tmp_path), "not-in-sitemap")) == {"/news/t2.html"}


def test_not_in_sitemap_is_silent_without_any_sitemap(tmp_path):
    site = build_site(tmp_path, {"/": page(body='<a href="/a">A</a>'), "/a": page()})
    assert run_rule(site, "not-in-sitemap") == {}


def test_weak_internal_links_for_services(tmp_path):
    links = "".join(f'<a href="/s{i}">事项{i}</a>' for i in range(3))
    site = build_site(tmp_path, {
        "/": page(body=links + '<a href="/list">列表</a>'),
        "/list": page(title="列表", body='<a href="/s0">事项0</a><a href="/s1">事项1</a>'),
        "/s0": page(title="事项0", body=GUIDE), "/s1": page(title="事项1", body=GUIDE),
        "/s2": page(title="事项2", body=GUIDE),
    })
    found = run_rule(site, "weak-internal-links")
    assert set(found) == {"/s2"}                     # linked from the home page only
    assert found["/s2"].evidence["inlinks"] == 1
    assert set(run_rule(site, "weak-internal-links", min_inlinks=1)) == set()
