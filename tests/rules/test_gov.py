import pytest
from sitebuilder import build_site, page, redirect, run_rule

from audits.engine import build_result, run_rules
from audits.jurisdiction import detect
from govseo.config import Config, ConfigError, load_config

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
