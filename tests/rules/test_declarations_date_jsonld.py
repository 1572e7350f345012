from sitebuilder import build_site, page, run_rule

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'
TODAY = '<div class="top">今天是2026年11月27日 星期五</div>'


def home(*paths: str, head: str = VIEWPORT) -> str:
    return page(head=head, body="".join(f'<a href="{p}">链接{i}</a>' for i, p in enumerate(paths)))


def test_mobile_missing_viewport(tmp_path):
    site = build_site(tmp_path, {
        "/": home("/a", "/b", "/c"),
        "/a": page(),
        "/b": page(head='<meta name="viewport" content="user-scalable=no">'),
        "/c": page(head=VIEWPORT),                       # near miss
    })
    assert set(run_rule(site, "mobile-missing")) == {"/a", "/b"}


def test_mobile_missing_where_a_separate_mobile_site_exists(tmp_path):
    agent = '<meta name="mobile-agent" content="format=html5;url=http://m.portal.test/">'
    site = build_site(tmp_path, {
        "/": home("/a", "/b", "/c", head=VIEWPORT + agent),
        "/a": page(head=VIEWPORT),
        # near misses: each declares its mobile counterpart
        "/b": page(head=VIEWPORT + '<meta name="applicable-device" content="pc">'),
        "/c": page(head=VIEWPORT + agent),
    })
    found = run_rule(site, "mobile-missing")
    assert set(found) == {"/a"}
    assert found["/a"].evidence["separate_mobile_site"] is True


def test_lang_missing(tmp_path):
    site = build_site(tmp_path, {
        "/": home("/a", "/b", "/c"),
        "/a": "<!doctype html><html><head><title>无语言</title></head><body><p>正文</p></body></html>",
        "/c": '<!doctype html><html lang=""><head><title>空语言</title></head><body><p>正文</p></body></html>',
        # near miss: xml:lang (XHTML) counts
        "/b": '<html xml:lang="zh-CN"><head><title>XHTML</title></head><body><p>正文</p></body></html>',
    })
    assert set(run_rule(site, "lang-missing")) == {"/a", "/c"}


def article(n: int, body: str, head: str = "") -> str:
    return page(title=f"第{n}号文章_新闻中心_测试市人民政府", h1=f"第{n}号文章",
                head=f'<meta name="ArticleTitle" content="第{n}号文章">' + head,
                body=TODAY + f"<p>第{n}号文章的正文。</p>" + body)


def test_publish_date_missing(tmp_path):
    paths = [f"/xwzx/202611/t20261103_{n}.html" for n in range(1, 10)] + ["/lxwm.html"]
    same_line = "<p>发布时间：2026-11-03 来源：本网</p>"
    site = build_site(tmp_path, {
        "/": home(*paths),
        paths[0]: article(1, "<p>本文没有日期。</p>"),
        # near misses: PubDate meta, three visible formats, and a dated line the template detector swallows
        paths[1]: article(2, "", '<meta name="PubDate" content="2026-11-03 09:30">'),
        paths[2]: article(3, "<p>发布时间：2026-11-03 09:30</p>"),
        paths[3]: article(4, "<p>2026年11月3日</p>"),
        paths[4]: article(5, "<p>2026/11/03</p>"),
        paths[5]: article(6, same_line), paths[6]: article(7, same_line), paths[7]: article(8, same_line),
        paths[8]: article(9, same_line),
        "/lxwm.html": page(title="联系我们_测试市人民政府", h1="联系我们", body=TODAY + "<p>地址：滨河路1号</p>"),
    })
    found = run_rule(site, "publish-date-missing")
    assert set(found) == {paths[0]}
    assert found[paths[0]].evidence == {"kind": "article"}
    assert set(run_rule(site, "publish-date-missing", meta_names=[])) == {paths[0], paths[1]}


def test_publish_date_not_required_of_a_frame_fragment(tmp_path):
    guide = "/bsfw/grbs/202609/t20260922_2012.html"
    rows = "".join(f"<p>{k}：略</p>" for k in ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间"))
    site = build_site(tmp_path, {
        "/": home(guide),
        guide: page(h1="失业保险金申领", body='<p>发布日期：2026-09-22</p><iframe src="/bsfw/embed/2012.html"></iframe>'),
        # the fragment is a guide by its text, but only a part of the page that frames it
        "/bsfw/embed/2012.html": f"<html><body><h2>失业保险金申领</h2>{rows}</body></html>",
    })
    assert run_rule(site, "publish-date-missing") == {}


def test_publish_date_in_english_and_spanish(tmp_path):
    """A foreign government site writes its dates in words: "Last Updated: February 14, 2023" (usa.gov),
    "14 de febrero de 2023". Near miss: a year alone is no date."""
    text = "<p>" + "Find out how to apply for benefits and what documents you need to bring. " * 6 + "</p>"
    paths = [f"/news/2023/02/story-{n}.html" for n in range(1, 6)]

    def story(date_line: str) -> str:
        return page(title="Benefits | City of Testville", h1="Benefits", description=None, body=text + date_line)

    site = build_site(tmp_path, {
        "/": home(*paths),
        paths[0]: story("<p>Last Updated: February 14, 2023</p>"),
        paths[1]: story("<p>Published 3 Mar 2024</p>"),
        paths[2]: story("<p>Última actualización: 14 de febrero de 2023</p>"),
        paths[3]: story("<p>Updated: Feb. 9, 2023</p>"),
        paths[4]: story("<p>The 2023 budget is online.</p>"),
    })
    assert set(run_rule(site, "publish-date-missing")) == {paths[4]}


def test_structured_data_invalid(tmp_path):
    def ld(text: str) -> str:
        return page(head=f'<script type="application/ld+json">{text}</script>')

    site = build_site(tmp_path, {
        "/": home("/a", "/b", "/c", "/d", "/e", "/f", "/g"),
        "/a": ld('{"@context": "https://schema.org", "headline": "我市新增三条城乡公交线路"}'),
        "/b": ld('{"@context": "https://schema.org", "@type": "NewsArticle",}'),
        "/e": ld('{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, {"name": "测试市"}]}'),
        # near misses: typed object, typed @graph, a typed list, an HTML-comment wrapper
        "/c": ld('{"@context": "https://schema.org", "@type": "GovernmentService", "name": "居住证办理"}'),
        "/d": ld('{"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, {"@type": "GovernmentOrganization"}]}'),
        "/f": ld('[{"@type": "BreadcrumbList"}, {"@type": "WebSite"}]'),
        "/g": ld('<!-- {"@context": "https://schema.org", "@type": "WebSite"} -->'),
    })
    found = run_rule(site, "structured-data-invalid")
    assert set(found) == {"/a", "/b", "/e"}
    assert found["/a"].evidence["problems"] == [{"block": 1, "problem": "an object has no @type"}]
    assert found["/b"].evidence["problems"][0]["problem"].startswith("not valid JSON")


def test_charset_mismatch(tmp_path):
    text = "<p>关于做好2026年冬季供暖工作的通知</p>"

    def doc(meta: str = "") -> str:
        return f"<html><head>{meta}<title>通知</title></head><body>{text}</body></html>"

    html, utf8 = "text/html", "text/html; charset=utf-8"
    site = build_site(tmp_path, {
        "/": home("/a", "/b", "/c", "/d", "/e", "/f"),
        "/a": (200, [("Content-Type", html)], doc('<meta charset="gb2312">').encode("utf-8")),
        "/b": (200, [("Content-Type", utf8)], doc().encode("gbk")),
        "/c": (200, [("Content-Type", html)], doc().encode("gbk")),
        # near misses: GBK declared in <meta>, undeclared UTF-8, a wrong header on ASCII-only bytes
        "/d": (200, [("Content-Type", html)], doc('<meta charset="gbk">').encode("gbk")),
        "/e": (200, [("Content-Type", html)], doc().encode("utf-8")),
        "/f": (200, [("Content-Type", "text/html; charset=gbk")], b"<html><body><p>ok</p></body></html>"),
    })
    found = run_rule(site, "charset-mismatch")
    assert set(found) == {"/a", "/b", "/c"}
    assert found["/a"].evidence == {"header": None, "meta": "gb2312", "detected": "utf-8"}
