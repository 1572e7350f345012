from sitebuilder import build_site, page, run_rule

SITE = '<meta name="SiteName" content="测试市人民政府">'
ARTICLE = "/xwzx/202611/t20261103_101.html"


def home(*paths: str, title: str = "测试市人民政府门户网站") -> str:
    return page(title=title, head=SITE, h1="测试市人民政府门户网站",
                body="".join(f'<a href="{p}">链接{i}</a>' for i, p in enumerate(paths)))


def test_title_generic_fires_on_placeholders_site_and_column_names(tmp_path):
    paths = ("/a", "/b", "/c", "/d", "/e", ARTICLE, "/xwzx/", "/ok", "/f", "/g")
    site = build_site(tmp_path, {
        # the home page may carry the bare site name
        "/": home(*paths, title="测试市人民政府"),
        "/a": page(title="无标题文档", h1="关于开展资产清查的通知"),
        "/b": page(title="测试市人民政府", h1="联系我们"),
        "/c": page(title="首页_测试市人民政府", h1="网上调查"),
        "/d": page(title="Untitled-1", h1="办事指南"),
        "/e": page(title="欢迎访问测试市人民政府门户网站", h1="走进测试"),
        ARTICLE: page(title="新闻中心", h1="全市秋粮收购工作有序开展",
                      head='<meta name="ColumnName" content="新闻中心"><meta name="ArticleTitle" content="秋粮收购">'),
        # near misses: the column page may be titled by its column; real titles that contain 首页 or 标题
        "/xwzx/": page(title="新闻中心_测试市人民政府", h1="新闻中心", head='<meta name="ColumnName" content="新闻中心">'),
        "/ok": page(title="居住证办理_个人办事_测试市人民政府", h1="居住证办理"),
        "/f": page(title="首页设计大赛获奖名单_新闻中心_测试市人民政府", h1="首页设计大赛获奖名单"),
        "/g": page(title="测试页", h1="测试页"),
    })
    found = run_rule(site, "title-generic")
    assert set(found) == {"/a", "/b", "/c", "/d", "/e", ARTICLE}
    assert "网站名称" in found["/b"].message.zh
    assert "栏目名称" in found[ARTICLE].message.zh
    # the list replaces the defaults: 首页 and 欢迎访问… are no longer placeholders, the site name still is
    assert set(run_rule(site, "title-generic", generic_titles=["测试页"])) == {"/b", ARTICLE, "/g"}


def test_title_length_counts_full_width_as_two(tmp_path):
    paths = ("/long", "/short", "/ascii", "/w64", "/w8")
    site = build_site(tmp_path, {
        "/": home(*paths),
        "/long": page(title="测试市人民政府办公室关于印发测试市城市更新行动实施方案和老旧小区改造三年行动计划的通知_测试市人民政府"),
        "/short": page(title="通知"),
        "/ascii": page(title="Hi"),
        # near misses: exactly 64 (32 CJK characters) and exactly 8
        "/w64": page(title="关于开展人口抽样调查的通知_通知公告_测试市人民政府办公室门户网站"),
        "/w8": page(title="ABCDEFGH"),
    })
    found = run_rule(site, "title-length")
    assert set(found) == {"/long", "/short", "/ascii"}
    assert found["/short"].evidence["width"] == 4
    assert set(run_rule(site, "title-length", max_width=40)) == {"/long", "/short", "/ascii", "/w64"}


def test_title_pattern_page_name_first_and_site_name_present(tmp_path):
    name = "关于开展资产清查工作的通知"
    paths = ("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h")
    site = build_site(tmp_path, {
        "/": home(*paths),
        "/a": page(title=f"测试市人民政府_通知公告_{name}", h1=name),
        "/b": page(title=f"{name}_通知公告", h1=name),
        # near misses
        "/c": page(title=f"{name}_通知公告_测试市人民政府", h1=name),
        "/d": page(title="居住证办理_个人办事_测试市人民政府", h1=None,
                   head='<meta name="ArticleTitle" content="居住证办理">'),
        # a logo H1 carrying the site name is not the page name
        "/e": page(title="社会保障卡申领_个人办事_测试市人民政府", h1="测试市人民政府"),
        # a CMS-truncated long name still leads
        "/f": page(title="关于印发测试市城市更新行动实施方案…_政务公开_测试市人民政府",
                   h1="关于印发测试市城市更新行动实施方案（2026—2030年）的通知"),
        # generic titles are title-generic's business
        "/g": page(title="无标题文档", h1=name),
        "/h": page(title="居住证办理-个人办事-测试市人民政府门户网站", h1="居住证办理"),
    })
    found = run_rule(site, "title-pattern")
    assert set(found) == {"/a", "/b"}
    assert found["/a"].evidence["problems"] == ["the title does not lead with the page name"]
    assert found["/b"].evidence["problems"] == ["the title omits the site name"]
