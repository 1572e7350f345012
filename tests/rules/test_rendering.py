from sitebuilder import BASE, build_site, page, redirect, run_rule

GUIDE = ("<table><tr><th>事项名称</th><td>{name}</td></tr><tr><th>设定依据</th><td>《社会保险法》第五十八条</td></tr>"
         "<tr><th>申请条件</th><td>已参加本市社会保险的人员</td></tr><tr><th>办理材料</th><td>居民身份证原件</td></tr>"
         "<tr><th>办理地点</th><td>市政务服务中心二楼人社窗口</td></tr>"
         "<tr><th>办理时间</th><td>工作日上午9:00—12:00，下午13:30—17:30</td></tr>"
         "<tr><th>联系电话</th><td>0870-3125580</td></tr></table>")
PROSE = "<p>" + "测试市政务服务中心推行周末不打烊服务，群众可在周六上午办理社保、医保、公积金等高频事项。" * 5 + "</p>"


def home(*paths: str) -> str:
    return page(body="".join(f'<a href="{p}">链接{i}</a>' for i, p in enumerate(paths)))


def test_meta_refresh(tmp_path):
    site = build_site(tmp_path, {
        "/": home("/stub", "/slow", "/reload", "/self"),
        "/stub": '<html><head><meta http-equiv="refresh" content="0; url=/new"></head><body>正在跳转</body></html>',
        "/slow": page(head='<meta http-equiv="refresh" content="30;URL=\'/new\'">'),
        "/new": page(h1="新栏目"),
        # near misses: an auto-reload without target, a refresh to the page itself
        "/reload": page(head='<meta http-equiv="refresh" content="60">'),
        "/self": page(head='<meta http-equiv="refresh" content="300; url=/self">'),
    })
    found = run_rule(site, "meta-refresh")
    assert set(found) == {"/stub", "/slow"}
    assert found["/slow"].evidence == {"target": BASE + "new", "delay": 30.0}


def test_canonical_problem(tmp_path):
    def canon(*hrefs: str) -> str:
        return page(head="".join(f'<link rel="canonical" href="{h}">' for h in hrefs))

    paths = ("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h", "/i", "/j", "/k")
    site = build_site(tmp_path, {
        "/robots.txt": (200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /private/\n"),
        "/": home(*paths),
        "/a": canon("a"),                                        # relative (resolves to itself)
        "/b": canon(f"{BASE}b", f"{BASE}b?page=1"),              # two differing
        "/c": canon(f"{BASE}gone"),                              # 404
        "/d": canon(f"{BASE}noidx"),                             # noindex target
        "/e": canon(f"{BASE}moved"),                             # redirecting target
        "/i": canon("javascript:void(0)"),                       # invalid
        "/k": canon(f"{BASE}private/k"),                         # robots-blocked target
        "/noidx": page(head='<meta name="robots" content="noindex">'),
        "/moved": redirect("/"),
        # near misses: self, another indexable page, off-site, the same canonical twice
        "/f": canon(f"{BASE}f"),
        "/g": canon(BASE),
        "/h": canon("https://www.gov.cn/zhengce/content.htm"),
        "/j": canon(f"{BASE}j", f"{BASE}j"),
    })
    found = run_rule(site, "canonical-problem")
    assert set(found) == {"/a", "/b", "/c", "/d", "/e", "/i", "/k"}
    assert "relative" in found["/a"].message.en
    assert "404" in found["/c"].message.en and "noindex" in found["/d"].message.en
    assert "redirects (301)" in found["/e"].message.en and "robots.txt" in found["/k"].message.en


def test_js_dependent_content(tmp_path):
    service = "/bsfw/grbs/202609/t20260923_2015.html"
    paths = (service, "/x", "/y", "/z", "/w", "/v")
    site = build_site(tmp_path, {
        "/": home(*paths),
        service: page(h1="灵活就业人员参保登记", body='<div id="guide-app" data-id="2015"></div>'
                      '<noscript>请启用浏览器脚本后查看。</noscript><script src="/js/guide.js"></script>'),
        "/x": page(h1="应用", body='<div id="app"></div>'),
        "/y": page(h1="脚本页", body="<script>var data = '" + "办事指南内容" * 1000 + "';</script>"),
        "/v": page(h1="接口页", head='<script>$.ajax({url: "/api/list"});</script>', body="<ul class='list'><li></li></ul>"),
        # near misses: a thin page with only a library script, a long page with an empty app container
        "/z": page(h1="短页", body='<p>详见附件。</p><script src="/js/jquery.min.js"></script>'),
        "/w": page(h1="长页", body=PROSE + '<div id="app"></div>'),
    })
    found = run_rule(site, "js-dependent-content")
    assert set(found) == {service, "/x", "/y", "/v"}
    assert "script: /js/guide.js" in found[service].evidence["signals"]
    assert set(run_rule(site, "js-dependent-content", min_text=1)) == set()


def test_frame_content(tmp_path):
    guide = "/bsfw/grbs/202609/t20260922_2012.html"
    site = build_site(tmp_path, {
        "/": home(guide, "/map", "/video", "/fs"),
        guide: page(h1="失业保险金申领", body='<p>失业保险金申领办事指南。</p><iframe src="/embed/2012.html"></iframe>'),
        "/embed/2012.html": "<html><body>" + GUIDE.format(name="失业保险金申领") + "</body></html>",
        "/fs": '<html><head><title>框架</title></head><frameset cols="20%,80%"><frame src="/nav.html">'
               '<frame src="/embed/2012.html"></frameset></html>',
        "/nav.html": "<html><body><a href='/'>首页</a></body></html>",
        # near misses: a long article with a same-site map iframe; a thin page framing an even thinner player
        "/map": page(h1="交通指引", body=PROSE + '<iframe src="/embed/map.html"></iframe>'),
        "/embed/map.html": "<html><body><div>地图</div></body></html>",
        "/video": page(h1="视频新闻", body='<p>视频。</p><iframe src="/embed/player.html"></iframe>'),
        "/embed/player.html": "<html><body><div>播放器</div></body></html>",
    })
    found = run_rule(site, "frame-content")
    assert set(found) == {guide, "/fs"}
    assert found[guide].evidence["frames"] == [BASE + "embed/2012.html"]
    assert found["/fs"].evidence["frameset"] is True
    assert set(run_rule(site, "frame-content", max_main_text=5)) == {"/fs"}


def test_attachment_only(tmp_path):
    s = [f"/bsfw/grbs/202609/t2026092{n}_201{n}.html" for n in range(1, 5)]
    logo = '<img src="/images/logo.png" alt="测试市人民政府">'
    site = build_site(tmp_path, {
        "/": home(*s, "/xwzx/202611/t20261103_1.html"),
        s[0]: page(h1="城乡居民养老保险待遇申领", body=logo + '<p>本事项办事指南请下载：<a href="/files/bszn.pdf">办事指南（PDF）</a></p>'),
        s[1]: page(h1="临时救助申请", body=logo + '<p>办事指南见下图：</p><img src="/files/bszn.png" alt="办事指南">'),
        # near misses: a complete HTML guide with a form to download, a thin service page with only the logo,
        # an article with a PDF
        s[2]: page(h1="社会保障卡申领", body=logo + GUIDE.format(name="社会保障卡申领")
                   + '<p>表格下载：<a href="/files/sqb.doc">申领登记表</a></p>'),
        s[3]: page(h1="生育津贴申领", body=logo + "<p>详见政务服务网。</p>"),
        "/xwzx/202611/t20261103_1.html": page(h1="规划全文", body=logo + '<a href="/files/gh.pdf">规划全文（PDF）</a>'),
    })
    found = run_rule(site, "attachment-only")
    assert set(found) == {s[0], s[1]}
    assert found[s[0]].evidence == {"attachments": [BASE + "files/bszn.pdf"], "elements": []}
    assert set(run_rule(site, "attachment-only", extensions=["doc"])) == set()
