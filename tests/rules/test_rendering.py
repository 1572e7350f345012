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


NAV = ('<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
       '<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>')
FOOT = '<div class="footer"><p>主办单位：测试市人民政府办公室　地址：测试市人民路1号　联系电话：0870-3120000</p></div>'
HM = ('<script>var _hmt = _hmt || [];(function() {var hm = document.createElement("script");'
      'hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef";var s = document.getElementsByTagName("script")[0];'
      's.parentNode.insertBefore(hm, s);})();</script>')
GA = ('<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script><script>window.dataLayer = '
      "window.dataLayer || [];function gtag(){dataLayer.push(arguments);}gtag('js', new Date());"
      "gtag('config', 'G-TEST');</script>")
CNZZ = '<script src="https://s4.cnzz.com/z_stat.php?id=1000000001&web_id=1000000001"></script>'


def templated(body: str, h1: str | None = None, head: str = "") -> str:
    """A page in the site template (navigation and footer on every page)."""
    return page(h1=h1, head=head, body=NAV + body + FOOT + HM)


def test_js_dependent_content_app_shells(tmp_path):
    """Single-page-app shells in raw HTML: loading placeholders, mount points, inline app state, noscript warnings,
    a page of template text with an app script; each names its signal. Near misses: analytics, a tracking pixel in
    <noscript>, an #app wrapper that holds its text, a short page without scripts, a page of pictures, other <noscript> text and code."""
    app = '<script src="/static/js/chunk-vendors.3f2a1c.js"></script><script src="/static/js/app.9b1e.js"></script>'
    fire = {
        # the trial's guide: a placeholder body and a script (thin-content and h1-missing fired, this did not)
        "/bsfw/bszn/2015.html": templated('<div id="app" data-api="/api/guide/2015">加载中...</div>' + app),
        "/loading": templated('<div class="box">正在加载，请稍候…</div>' + app, h1="社保查询"),
        "/loading-en": templated("<p>Loading...</p>" + app, h1="社保查询"),
        "/vue": templated('<div id="root" v-cloak>{{ guide.title }}<p>{{ guide.body }}</p></div>' + app),
        "/ng": templated('<section ng-app="guide"><i class="spinner"></i></section>'),
        "/react": templated('<div data-reactroot=""></div>'),
        "/state": templated("<script>window.__INITIAL_STATE__={\"guide\":{\"id\":2015}};</script>", h1="指南"),
        "/next": templated('<script id="__NEXT_DATA__" type="application/json">{"props":{}}</script>', h1="指南"),
        "/nuxt": templated("<script>window.__NUXT__=(function(a){return {data:[a]}}(1));</script>", h1="指南"),
        "/noscript": templated("<noscript>请启用 JavaScript 后浏览本页内容。</noscript>", h1="办事指南"),
        "/noscript-en": templated("<noscript>You need to enable JavaScript to run this app.</noscript>", h1="Guide"),
        "/template-only": templated('<div class="wrap"><div class="l"></div><div class="r"></div></div>' + app),
        # an empty container named as the page's content, on a short page
        "/empty-main": templated('<p>本栏目收录市统计局发布的年度统计公报和月度统计数据。</p><div class="main-content"></div>',
                                 h1="统计数据"),
    }
    quiet = {
        # analytics only (百度统计, CNZZ, Google Analytics, a 无障碍 toolbar, jQuery) on a page of template text
        "/analytics": templated('<script src="/js/jquery-1.12.4.min.js"></script>' + CNZZ + GA
                                + '<script src="https://wza.test.gov.cn/wza/wzaCore.js"></script>'),
        # a tracking pixel in <noscript> on a short page
        "/pixel": templated('<p>本事项已暂停受理，恢复时间另行通知。</p><noscript><img src="https://hm.baidu.com/hm.gif?si=1">'
                            "</noscript>" + app, h1="暂停受理通知"),
        # <noscript> text that asks for nothing; ASP.NET's __doPostBack is no app state
        "/noscript-link": templated('<p>本栏目信息每周五更新，如有疑问请致电政务服务热线。</p><noscript>本站导航：<a href="/sitemap.html">'
                                    "网站地图</a></noscript><script>function __doPostBack(t, a) {}</script>", h1="说明"),
        # a site-wide notice that scripts only improve the page (usa.gov's), on a short page
        "/noscript-better": templated("<p>Office hours: Monday to Friday, 9 am to 5 pm.</p><noscript>Please enable "
                                      "JavaScript in your web browser; otherwise some parts of this site might not "
                                      "work properly.</noscript><noscript>为获得更好的浏览体验，请启用JavaScript。</noscript>",
                                      h1="Hours"),
        # an #app wrapper that holds its (short) text, with the app's script
        "/short-app": templated('<div id="app"><p>本站办事指南已全部迁移至省政务服务网，请前往新地址办理相关事项。</p></div>' + app,
                                h1="迁移通知"),
        "/long-app": templated('<div id="app">' + PROSE + "</div>" + app, h1="周末不打烊"),
        # a short list page whose empty boxes are a share widget and a layout wrapper, not its content
        "/share-box": templated('<p>本栏目收录市统计局发布的年度统计公报和月度统计数据。</p><div class="article-share" '
                                'id="content-share"></div><div class="xxgk-container"></div>'
                                '<script src="/js/share.js"></script>', h1="统计公报"),
        # short but complete, no scripts at all
        "/short": page(h1="联系我们", body=NAV + "<p>地址：测试市人民路1号，邮编：650000，电话：0870-3120000。</p>" + FOOT),
        # a page of pictures (its own image) with the app script
        "/photo": templated('<img src="/images/2026/photo-1103.jpg" alt="">' + app),
    }
    links = "".join(f'<a href="{path}">链接{i}</a>' for i, path in enumerate([*fire, *quiet]))
    site = build_site(tmp_path, {"/": page(body=NAV + links + FOOT), **fire, **quiet})
    found = run_rule(site, "js-dependent-content")
    assert set(found) == set(fire)
    signals = {path: found[path].evidence["signals"] for path in fire}
    assert signals["/bsfw/bszn/2015.html"] == ["loading placeholder: 加载中...", "mount: div#app[data-api]"]
    assert signals["/loading"] == ["loading placeholder: 正在加载，请稍候…"]
    assert signals["/loading-en"] == ["loading placeholder: Loading..."]
    assert signals["/vue"] == ["mount: div#root[v-cloak]"] and signals["/empty-main"] == ["placeholders: 1"]
    assert signals["/ng"] == ["mount: section[ng-app]"] and signals["/react"] == ["mount: div[data-reactroot]"]
    assert (signals["/state"], signals["/next"], signals["/nuxt"]) == (
        ["state: __INITIAL_STATE__"], ["state: __NEXT_DATA__"], ["state: __NUXT__"])
    assert signals["/noscript"] == ["noscript: 请启用 JavaScript 后浏览本页内容。"]
    assert signals["/noscript-en"] == ["noscript: You need to enable JavaScript to run this app."]
    (template_only,) = signals["/template-only"]
    assert template_only.startswith("template only: 0 of ") and "/static/js/chunk-vendors.3f2a1c.js" in template_only
    # the template-only signal is bounded by its own parameter
    assert "/template-only" not in run_rule(site, "js-dependent-content", max_own_text=0)

