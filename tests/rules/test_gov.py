import pytest
from sitebuilder import build_site, page, redirect, run_rule

from audits.config import Config, ConfigError, load_config
from audits.engine import build_result, run_rules
from audits.jurisdiction import detect

SITE = ('<meta name="SiteName" content="测试市人民政府"><meta name="SiteDomain" content="portal.test">'
        '<meta name="SiteIDCode" content="bm12000001">')
COLUMN = ('<meta name="ColumnName" content="{0}"><meta name="ColumnDescription" content="{0}栏目">'
          '<meta name="ColumnKeywords" content="{0}"><meta name="ColumnType" content="{0}">')
CONTENT = ('<meta name="ArticleTitle" content="{0}"><meta name="PubDate" content="2026-11-03 09:30">'
           '<meta name="ContentSource" content="测试市人民政府办公室">')
FOOTER = ('<div class="footer"><p>网站标识码：bm12000001　测ICP备12345678号　测公网安备 53010202000123号</p>'
          '<p>主办单位：测试市人民政府办公室</p></div>')
ROW = "<tr><th>{0}</th><td>{1}</td></tr>"


def home(*paths: str, head: str = SITE, footer: str = FOOTER) -> str:
    return page(head=head, body="".join(f'<a href="{p}">链接{i}</a>' for i, p in enumerate(paths)) + footer)


def test_gov_meta_missing_by_page_kind(tmp_path):
    article = "/xwzx/202611/t20261103_1.html"
    dated = "".join(f"<li><a href='/zt/{i}.html'>专题文章{i}</a><span>2026-11-0{i}</span></li>" for i in range(1, 7))
    site = build_site(tmp_path, {
        "/": home("/a", "/xwzx/", "/zwgk/", article, "/xwzx/202611/t20261104_2.html", "/zt/topic.html"),
        "/a": page(h1="联系我们"),                                           # no site tags
        "/xwzx/": page(h1="新闻中心", head=SITE),                           # column without column tags
        article: page(h1="第一篇", head=SITE + CONTENT.format("第一篇").replace("PubDate", "Other")),
        # near misses: a complete column page, a complete article, a 专题 list page (not a CMS column URL)
        "/zwgk/": page(h1="政务公开", head=SITE + COLUMN.format("政务公开")),
        "/xwzx/202611/t20261104_2.html": page(h1="第二篇", head=SITE + CONTENT.format("第二篇")),
        "/zt/topic.html": page(h1="优化营商环境专题", head=SITE, body=f"<ul>{dated}</ul>"),
    })
    found = run_rule(site, "gov-meta-missing")
    assert set(found) == {"/a", "/xwzx/", article}
    assert found["/a"].evidence["missing"] == ["SiteName", "SiteDomain", "SiteIDCode"]
    assert found["/xwzx/"].evidence["missing"] == ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"]
    assert found[article].evidence["missing"] == ["PubDate"]
    assert set(run_rule(site, "gov-meta-missing", site_tags=[], column_tags=["ColumnName"])) == {"/xwzx/", article}


LIST_TEMPLATE = ('<div class="nav"><a href="/">首页</a><a href="/tzgg/">通知公告</a><a href="/about.html">关于本网</a>'
                 '<a href="/lxwm.html">联系我们</a></div>')
ABOUT = ("<p>测试市人民政府门户网站由测试市人民政府办公室主办，是市政府在互联网上发布政务信息、提供在线服务和开展政民互动的"
         "官方网站。本网站刊登的政府文件以正式印发的纸质文件为准，转载本网站原创内容请注明来源。</p>") * 3


def kinds_of(site):
    return {page.url.split("/", 3)[3]: site.kind(page) for page in site.html_pages()}


def test_articles_without_article_meta_are_judged_as_articles(tmp_path):
    """The more a page lacks, the less it was checked: an article without ArticleTitle/PubDate was not an
    article, so nobody asked for them. Its type now comes from its URL, its place in a column's dated list,
    or a 发布日期/发布机构 line, whatever meta it lacks."""
    items = [("/tzgg/notice-tdzy.html", "关于土地征收补偿安置方案的公告", "2026-11-03"),
             ("/tzgg/notice-gkzp.html", "市属事业单位公开招聘工作人员公告", "2026-11-02"),
             ("/tzgg/notice-tsgg.html", "关于城区部分路段临时交通管制的通告", "2026-11-01")]
    listing = "".join(f'<li><a href="{p}">{t}</a><span>{d}</span></li>' for p, t, d in items)
    column_meta = '<meta name="ColumnName" content="通知公告">'
    routes = {
        "/": home("/tzgg/", "/zwgk/xxgk-1.html", "/zwgk/xxgk-2.html", "/xwzx/a.html", "/xwzx/b.html", head=SITE),
        "/tzgg/": page(h1="通知公告", head=SITE + COLUMN.format("通知公告"),
                       body=LIST_TEMPLATE + f"<ul>{listing}</ul>" + '<p><a href="/lxwm.html">联系我们获取更多信息</a></p>'),
        # listed among the column's dated items: no meta, no CMS URL, no date on the page itself
        items[0][0]: page(h1=items[0][1], head=SITE, body=LIST_TEMPLATE + "<p>具体方案见附件。</p>"),
        # listed, with ColumnName only (it used to pass as a column page)
        items[1][0]: page(h1=items[1][1], head=SITE + column_meta,
                          body=LIST_TEMPLATE + "<p>发布时间：2026-11-02</p><p>报名时间另行通知。</p>"),
        # listed, complete: a near miss
        items[2][0]: page(h1=items[2][1], head=SITE + CONTENT.format(items[2][1]),
                          body=LIST_TEMPLATE + "<p>发布时间：2026-11-01</p><p>请绕行。</p>"),
        # not listed anywhere: a 发布日期 line, a 发布机构 table cell
        "/zwgk/xxgk-1.html": page(h1="关于印发年度重点工作的通知", head=SITE,
                                  body=LIST_TEMPLATE + "<p>发布日期：2026-10-12 发布机构：测试市人民政府办公室</p><p>略。</p>"),
        "/zwgk/xxgk-2.html": page(h1="政府信息公开年度报告", head=SITE + column_meta, body=LIST_TEMPLATE
                                  + "<table><tr><td>发布机构</td><td>测试市人民政府办公室</td></tr></table><p>略。</p>"),
        # near misses: a long page without any article signal is still an article; a plain 关于本网 page and a
        # contact page (linked from the column, not on a dated line) are not
        "/xwzx/a.html": page(h1="我市召开全市经济工作会议", head=SITE, body=LIST_TEMPLATE + ABOUT.replace("本网站", "会议")),
        "/about.html": page(title="关于本网_测试市人民政府", h1="关于本网", head=SITE, body=LIST_TEMPLATE + ABOUT),
        "/lxwm.html": page(title="联系我们_测试市人民政府", h1="联系我们", head=SITE, body=LIST_TEMPLATE + "<p>电话：12345</p>"),
        "/xwzx/b.html": page(h1="图片新闻", head=SITE + column_meta, body=LIST_TEMPLATE + "<p>暂无内容。</p>"),
    }
    site = build_site(tmp_path, routes)
    assert kinds_of(site) == {
        "": "home", "tzgg/": "column", "tzgg/notice-tdzy.html": "article", "tzgg/notice-gkzp.html": "article",
        "tzgg/notice-tsgg.html": "article", "zwgk/xxgk-1.html": "article", "zwgk/xxgk-2.html": "article",
        "xwzx/a.html": "article", "about.html": "other", "lxwm.html": "other", "xwzx/b.html": "column"}
    content = ["ArticleTitle", "PubDate", "ContentSource"]
    found = {url.lstrip("/"): f.evidence["missing"] for url, f in run_rule(site, "gov-meta-missing").items()}
    assert found == {"tzgg/notice-tdzy.html": content, "tzgg/notice-gkzp.html": content,
                     "zwgk/xxgk-1.html": content, "zwgk/xxgk-2.html": content, "xwzx/a.html": content,
                     "xwzx/b.html": ["ColumnDescription", "ColumnKeywords", "ColumnType"]}
    # the listed notice shows no date at all; the others show one
    dated = {url.lstrip("/") for url in run_rule(site, "publish-date-missing")}
    assert dated == {"tzgg/notice-tdzy.html", "zwgk/xxgk-2.html", "xwzx/a.html"}


def test_lists_and_template_links_do_not_make_articles(tmp_path):
    """Near misses of the listing signal: a list whose lines carry 发布时间 is a column, not an article; a
    link in a dated template line (the footer's 2003-2026) lists nothing; a column with two dated lines is
    not a list; the home page stays the home page."""
    footer = '<div class="footer">版权所有 2003-2026 <a href="/about.html">关于本网站的说明</a></div>'
    dated = "".join(f'<li><a href="/zt/{i}.html">专题活动第{i}期回顾</a> 发布时间：2026-11-0{i}</li>' for i in range(1, 7))
    routes = {
        "/": home("/zt/list.html", "/zt/two.html", head=SITE) + "<p>发布时间：2026-11-03</p>",
        "/zt/list.html": page(h1="专题活动", head=SITE, body=f"<ul>{dated}</ul>" + footer),
        "/zt/two.html": page(h1="两项", head=SITE + '<meta name="ColumnName" content="专题">',
                             body='<ul><li><a href="/zt/x.html">第一个专题页面</a> 2026-11-01</li>'
                                  '<li><a href="/zt/y.html">第二个专题页面</a> 2026-11-02</li></ul>' + footer),
        "/about.html": page(title="关于本网_测试市人民政府", h1="关于本网", head=SITE, body=ABOUT + footer),
        "/zt/x.html": page(h1="第一个专题页面", head=SITE, body=footer),
        "/zt/y.html": page(h1="第二个专题页面", head=SITE, body=footer),
    }
    routes.update({f"/zt/{i}.html": page(h1=f"专题活动第{i}期回顾", head=SITE, body="<p>略。</p>" + footer)
                   for i in range(1, 7)})
    site = build_site(tmp_path, routes)
    kinds = kinds_of(site)
    assert kinds["zt/list.html"] == "column" and kinds["zt/two.html"] == "column" and kinds[""] == "home"
    assert kinds["about.html"] == "other" and kinds["zt/x.html"] == kinds["zt/y.html"] == "other"
    assert {kinds[f"zt/{i}.html"] for i in range(1, 7)} == {"article"}       # the list's items


def test_gov_meta_invalid_formats_host_and_consistency(tmp_path):
    def meta(**values: str) -> str:
        tags = {"SiteName": "测试市人民政府", "SiteDomain": "portal.test", "SiteIDCode": "bm12000001", **values}
        return "".join(f'<meta name="{k}" content="{v}">' for k, v in tags.items())

    paths = ("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h")
    site = build_site(tmp_path, {
        "/": home(*paths, head=meta()),
        "/a": page(head=meta(SiteIDCode="12000001")),
        "/b": page(head=meta(PubDate="2026/10/12")),
        "/c": page(head=meta(PubDate="2026-10-12")),
        "/d": page(head=meta(SiteDomain="www.other.gov.cn")),
        "/e": page(head=meta(SiteName="测试市政府")),
        # near misses: scheme and slash around the host, seconds in PubDate, www. and a list of domains
        "/f": page(head=meta(SiteDomain="http://portal.test/", PubDate="2026-10-12 09:30:00")),
        "/h": page(head=meta(SiteDomain="www.portal.test,portal2.test")),
        "/g": page(head=meta()),
    })
    found = run_rule(site, "gov-meta-invalid")
    assert set(found) == {"/a", "/b", "/c", "/d", "/e"}
    assert found["/b"].evidence["problems"] == [
        {"tag": "PubDate", "value": "2026/10/12", "expected": "YYYY-MM-DD HH:MM[:SS]"}]
    assert found["/e"].evidence["problems"] == [
        {"tag": "SiteName", "value": "测试市政府", "expected": "测试市人民政府"}]
    # a 10-digit site code used consistently is valid
    ten = build_site(tmp_path / "ten", {"/": home("/a", head=meta(SiteIDCode="1234567890")),
                                        "/a": page(head=meta(SiteIDCode="1234567890"))})
    assert run_rule(ten, "gov-meta-invalid") == {}


def test_site_identity_missing(tmp_path):
    complete = build_site(tmp_path / "ok", {"/": home()})
    assert run_rule(complete, "site-identity-missing") == {}

    partial = build_site(tmp_path / "partial", {
        "/": home("/about.html", footer="<p>网站标识码：bm12000001　测ICP备12345678号-1</p>"),
        "/about.html": page(body=FOOTER),          # shown on an inner page only: does not count
    })
    found = run_rule(partial, "site-identity-missing")
    assert set(found) == {"/"} and found["/"].evidence == {"missing": ["公网安备"]}

    moved = build_site(tmp_path / "moved", {"/": redirect("/index.html"), "/index.html": home(footer="")})
    found = run_rule(moved, "site-identity-missing")
    assert set(found) == {"/index.html"}
    assert found["/index.html"].evidence == {"missing": ["网站标识码", "ICP备案号", "公网安备"]}


def test_service_guide_incomplete(tmp_path):
    s = [f"/bsfw/grbs/202609/t2026091{n}_200{n}.html" for n in range(1, 6)]
    full = [("事项名称", "社会保障卡申领"), ("设定依据", "《社会保险法》第五十八条"), ("申请条件", "已参加本市社会保险"),
            ("办理材料", "居民身份证原件"), ("办理地点", "市政务服务中心二楼"), ("办理时间", "工作日9:00—17:30"),
            ("联系电话", "0870-3125580")]
    partial = [*full[:3], ("实施机关", "测试市民政局"), ("承诺时限", "十个工作日"), ("办理流程", "申请、审核、公示、发放")]
    synonyms = [("法律依据", "《社会救助暂行办法》"), ("受理条件", "本市户籍居民"), ("申请材料", "申请书"),
                ("受理地点", "街道办事处"), ("受理时间", "工作日"), ("咨询电话", "12345")]

    def guide(name: str, rows: list[tuple[str, str]]) -> str:
        return page(h1=name, body="<table>" + "".join(ROW.format(k, v) for k, v in rows) + "</table>")

    site = build_site(tmp_path, {
        "/": home(*s, "/xwzx/202611/t20261103_1.html"),
        s[0]: guide("临时救助申请", partial),
        # near misses: complete, complete by synonyms (the H1 names the service), attachment-only
        s[1]: guide("社会保障卡申领", full),
        s[2]: guide("最低生活保障申请", synonyms),
        s[3]: page(h1="城乡居民养老保险待遇申领", body='<p>请下载：<a href="/files/bszn.pdf">办事指南（PDF）</a></p>'),
        s[4]: guide("居住证办理", full[1:]),
        "/xwzx/202611/t20261103_1.html": page(h1="政务服务中心推行周末不打烊", body="<p>新闻正文。</p>"),
    })
    found = run_rule(site, "service-guide-incomplete")
    assert set(found) == {s[0]}
    assert found[s[0]].evidence == {"missing": ["办理材料", "办理地点", "办理时间", "联系电话"], "present": 3, "min": 7}
    assert set(run_rule(site, "service-guide-incomplete", min_elements=3)) == set()
    assert set(run_rule(site, "service-guide-incomplete", required=["事项名称", "收费标准"])) == {s[0], s[1], s[2], s[4]}


def test_service_guide_lines_every_guide_shares_still_count(tmp_path):
    """On a site of mostly guides, a labelled line whose value every guide shares (the same service centre, the
    same hours) is filed under the template; it is still the guide's. A line the home page shows too (the site's
    footer phone) is not."""
    guides = [f"/bsfw/grbs/202609/t2026091{n}_200{n}.html" for n in range(1, 6)]
    shared = [("办理地点", "市政务服务中心一楼综合窗口"), ("办理时间", "工作日上午9:00—12:00，下午13:30—17:30")]
    footer = FOOTER.replace("</div>", "<p>联系电话：0870-3120000</p></div>")

    def guide(n: int, rows: list[tuple[str, str]]) -> str:
        own = [("事项名称", f"第{n}类证明开具"), ("设定依据", f"《测试市证明事项办法》第{n}条"),
               ("申请条件", f"本市第{n}类申请人"), ("办理材料", f"第{n}类申请表")]
        return page(h1=f"第{n}类证明开具", body="".join(f"<p>{k}：{v}</p>" for k, v in own + rows) + footer)

    site = build_site(tmp_path, {
        "/": home(*guides, footer=footer),
        **{path: guide(n, [*shared, ("联系电话", f"0870-312{n:04d}")]) for n, path in enumerate(guides[:4], 1)},
        guides[4]: guide(5, shared),        # no phone of its own: the footer's is the site's
    })
    found = run_rule(site, "service-guide-incomplete")
    assert set(found) == {guides[4]}
    assert found[guides[4]].evidence["missing"] == ["联系电话"]


# ---------------------------------------------------------------- jurisdiction: Chinese government sites only
GOV_RULES = ("gov-meta-missing", "gov-meta-invalid", "site-identity-missing", "service-guide-incomplete")
EN_FOOTER = "<footer><p>An official website of the City of Testville. Contact us: (555) 010-0199.</p></footer>"


def en_page(title: str, body: str = "", lang: str = "en", head: str = "") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body><h1>{title}</h1>{body}{EN_FOOTER}</body></html>")


def outcomes(site, **site_table):
    results, findings = run_rules(site, Config(site=site_table))
    status = {rule.id: outcome.status for rule, outcome, _ in results if rule.id in GOV_RULES}
    return status, {f.rule for f in findings}


def test_gov_rules_not_applicable_to_a_foreign_english_site(tmp_path):
    site = build_site(tmp_path, {
        "/": en_page("City of Testville", '<a href="/services/permits">Building permits</a>'),
        "/services/permits": en_page("Apply for a building permit", "<p>Submit the application form online.</p>"),
    })
    status, fired = outcomes(site)
    assert status == dict.fromkeys(GOV_RULES, "n/a") and not fired & set(GOV_RULES)
    result = build_result(site, Config())
    assert result["site"]["jurisdiction"] == "other" and result["site"]["categories"]["gov"] is None
    rules = {r["id"]: r for r in result["rules"]}
    assert {rules[r]["jurisdiction"] for r in GOV_RULES} == {"cn-gov"} and rules["title-missing"]["jurisdiction"] is None
    assert {rules[r]["status"] for r in GOV_RULES} == {"n/a"}
    # the switch in govseo.toml applies them anyway
    status, fired = outcomes(site, jurisdiction="cn-gov")
    assert status["gov-meta-missing"] == status["site-identity-missing"] == "fail" and site.jurisdiction == "cn-gov"


def test_gov_rules_apply_to_a_chinese_site_off_gov_cn_with_site_code(tmp_path):
    """Not a .gov.cn host: its language and a SiteIDCode tag (on the home page only) say it is a government site."""
    routes = {"/": home("/a", head='<meta name="SiteIDCode" content="bm12000001">'), "/a": page(h1="联系我们")}
    site = build_site(tmp_path, routes)
    status, _ = outcomes(site)
    assert status["gov-meta-missing"] == "fail" and site.jurisdiction == "cn-gov"
    assert set(run_rule(site, "gov-meta-missing")) == {"/", "/a"}
    assert outcomes(site, jurisdiction="other")[0] == dict.fromkeys(GOV_RULES, "n/a")


def test_jurisdiction_detection_marks_and_near_misses(tmp_path):
    no_lang = FOOTER.replace("网站标识码：bm12000001　", "")

    def zh(head: str = "", body: str = "", title: str = "测试科技有限公司", lang: str = ' lang="zh-CN"') -> str:
        return (f'<!doctype html><html{lang}><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
                f"<body><h1>{title}</h1><p>本公司提供企业软件开发与技术咨询服务，欢迎来电洽谈合作。</p>{body}</body></html>")

    cases = {
        # fire: the norms' tags (SiteIDCode alone, or two others), a .gov.cn SiteDomain, 网站标识码, 人民政府, conac
        "meta SiteIDCode": zh(head='<meta name="SiteIDCode" content="bm12000001">', lang=""),   # CJK text, no lang
        "meta sitename, columnname": zh(head='<meta name="SiteName" content="测试"><meta name="ColumnName" content="要闻">'),
        "meta SiteDomain": zh(head='<meta name="SiteDomain" content="www.test.gov.cn">'),
        "网站标识码": zh(body=FOOTER),
        "人民政府": zh(title="测试市人民政府"),
        "conac.cn": zh(body='<a href="https://bszs.conac.cn/sitename?id=1"><img src="/red.png" alt="党政机关"></a>'),
        # near misses: a Chinese company site (ICP and 公网安备 numbers, SiteName only), an English page
        # that carries the tags in a Chinese-looking template, a Japanese/English page
        None: zh(head='<meta name="SiteName" content="测试科技">', body=no_lang),
        "en": en_page("Testville", head='<meta name="SiteName" content="Testville">'
                                        '<meta name="ColumnName" content="News">'),
    }
    for i, (expected, html) in enumerate(cases.items()):
        site = build_site(tmp_path / str(i), {"/": html})
        assert detect(site) == (None if expected == "en" else expected), expected
    assert detect(build_site(tmp_path / "gov", {"/": en_page("English portal")}, start="http://english.test.gov.cn/")) \
        == "host"
    # Content-Language declares Chinese for a page without lang and with little text
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Language", "zh-CN")]
    bare = (200, headers, b'<html><head><meta name="SiteIDCode" content="bm12000001"></head><body>Portal</body></html>')
    assert detect(build_site(tmp_path / "cl", {"/": bare})) == "meta SiteIDCode"


def test_site_table_in_govseo_toml(tmp_path):
    path = tmp_path / "govseo.toml"
    path.write_text('[site]\njurisdiction = "other"\n', encoding="utf-8")
    assert load_config(path).site == {"jurisdiction": "other"}
    path.write_text('[site]\njurisdiction = "cn"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[site\]: jurisdiction = auto \| cn-gov \| other"):
        load_config(path)
