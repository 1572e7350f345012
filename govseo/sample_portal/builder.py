"""Assembles every route of the sample portal (used by ``site.build_site``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape

from . import assets
from . import content as c
from .content_docs import NOTICES, POLICIES
from .content_services import ORPHAN, PERSONAL, SCRIPT_ONLY, Service
from .content_services_biz import BUSINESS, DEPT_ONLY
from .pages import (
    Ctx,
    column_page,
    day,
    dept_page,
    guide_html,
    guide_rows,
    home,
    plain_page,
    service_page,
    site_title,
)
from .pages import article_page as render_article
from .site import (
    API_GUIDE,
    AREA_ONLY,
    ARTICLE_EXTRA,
    ARTICLE_PLANTS,
    ATTACHMENT_ONLY_PDF,
    BAIDU_BLOCKED_ID,
    EMBED,
    ERROR_500,
    HOME_NEWS,
    HOME_NOTICES,
    HOME_POLICIES,
    META_REFRESH,
    MISSING_IN_SITEMAP,
    MISSING_LINKED,
    NEWS_LISTED,
    POPULAR,
    SERVICE_BY_ID,
    SERVICE_MODES,
    SITEMAP_XML,
    PageInfo,
    Route,
    SitemapInfo,
    article_path,
    path_of,
    service_path,
)
from .templates import BASE, Link, Plant, a, item_list

HTML_UTF8 = "text/html; charset=utf-8"
SIDE_INFO: tuple[Link, ...] = (("新闻中心", "/xwzx/"), ("通知公告", "/tzgg/"), ("政务公开", "/zwgk/"))
SIDE_BSFW: tuple[Link, ...] = (("个人办事", "/bsfw/grbs/"), ("企业办事", "/bsfw/qybs/"), ("按部门", "/bsfw/bm/"))
LISTED_SERVICES: tuple[Service, ...] = (*PERSONAL, *BUSINESS)
SITEMAP_PAGES = ("/", "/xwzx/", "/tzgg/", "/zwgk/", "/bsfw/", "/bsfw/grbs/", "/bsfw/qybs/", "/bsfw/bm/")
ATTACHMENTS: dict[str, tuple[str, bytes]] = {
    "/files/zwgk/2026/yljs_gh.pdf": ("application/pdf", assets.pdf("Yunxi elderly care service plan 2026-2030")),
    ATTACHMENT_ONLY_PDF: ("application/pdf", assets.pdf("Yunxi urban-rural resident pension: service guide")),
    "/files/bsfw/sbk_sqb.doc": ("application/msword", assets.ole("social security card application form")),
    "/files/tzgg/2026xbn_gwb.xls": ("application/vnd.ms-excel", assets.ole("2026 H2 public recruitment posts")),
}
IMAGES: dict[str, tuple[int, int, tuple[int, int, int]]] = {
    "/images/logo.png": (4, 1, (13, 91, 168)),
    "/images/banner.png": (6, 2, (200, 220, 240)),
    "/images/jiucuo.png": (2, 1, (204, 0, 0)),
    "/images/dzjg.png": (1, 1, (230, 0, 18)),
}


SCRIPT_TITLE = "互动交流_市长信箱_12345热线_云溪市人民政府"     # /hdjl/: written by document.title


def script_link(path: str, name: str) -> str:
    """A link only a script makes (the raw HTML holds no <a> to ``path``): found with --render alone."""
    return ('<div class="block" id="js-more"><h2>新增服务</h2></div>\n<script>(function(){'
            "var box=document.getElementById('js-more'),link=document.createElement('a');"
            f"link.href='{path}';link.textContent='{name}';box.appendChild(link);}})();</script>")


class SiteBuilder:
    def __init__(self, ctx: Ctx, service_plants: dict[int, Plant]) -> None:
        self.ctx = ctx
        self.service_plants = service_plants
        self.routes: dict[str, Route] = {}
        self.pages: dict[str, PageInfo] = {}
        self.sitemaps: list[SitemapInfo] = []
        self.not_found = Route(404, (("Content-Type", HTML_UTF8),),
                               assets.error_page(404, "页面不存在", "您访问的页面不存在或者已经删除。"))

    # ------------------------------------------------------------ helpers
    def add(self, path: str, route: Route, info: PageInfo) -> None:
        if path in self.routes:
            raise ValueError(f"duplicate route {path}")
        self.routes[path] = route
        self.pages[path] = info

    def html(self, path: str, html: str, plant: Plant, info: PageInfo, status: int = 200) -> None:
        headers: list[tuple[str, str]] = [("Content-Type", HTML_UTF8 if plant.header_charset else "text/html")]
        if plant.x_robots:
            headers.append(("X-Robots-Tag", plant.x_robots))
        headers += plant.extra_headers
        self.add(path, Route(status, tuple(headers), html.encode(plant.encoding)), info)

    def raw(self, path: str, ctype: str, body: bytes, kind: str = "other") -> None:
        self.add(path, Route(200, (("Content-Type", ctype),), body), PageInfo(kind))

    def build(self) -> None:
        self.build_home()
        self.build_columns()
        self.build_articles()
        self.build_services()
        self.build_departments()
        self.build_other_pages()
        self.build_redirects()
        self.build_files()
        self.build_seo_files()
        for path in (MISSING_LINKED, MISSING_IN_SITEMAP, SITEMAP_XML):
            self.pages[path] = PageInfo("error")

    # ------------------------------------------------------------ pages
    def build_home(self) -> None:
        def links(arts: Sequence[c.Article]) -> tuple[list[Link], list[str]]:
            return [(x.title, article_path(x)) for x in arts], [day(x.date)[5:] for x in arts]  # "11-20"

        news, news_d = links(c.NEWS[:HOME_NEWS])
        notices, notice_d = links(NOTICES[:HOME_NOTICES])
        policies, policy_d = links(POLICIES[:HOME_POLICIES])
        popular = [(SERVICE_BY_ID[i].name, path_of(i)) for i in POPULAR]
        page = home(self.ctx, news, news_d, notices, notice_d, policies, policy_d, popular, Plant())
        self.html("/", page, Plant(), PageInfo("home"))
        # /index.html serves the same document (its canonical already points to "/").
        self.html("/index.html", page, Plant(), PageInfo("home"))

    def paged(self, col: c.Column, items: Sequence[tuple[str, str, str]], crumbs: list[Link],
              side: Sequence[Link], extra: str = "") -> None:
        size = col.page_size
        count = max(1, -(-len(items) // size))
        for index in range(count):
            path = col.path if index == 0 else f"{col.path}index_{index}.html"
            crumb = [*crumbs, (col.name, "")] if index == 0 else [*crumbs, (col.name, col.path),
                                                                  (f"第{index + 1}页", "")]
            chunk = items[index * size:(index + 1) * size]
            page = column_page(self.ctx, col, crumb, chunk, index, count, len(items), side, Plant(),
                               extra if index == 0 else "")
            self.html(path, page, Plant(), PageInfo("column"))

    def build_columns(self) -> None:
        cols = c.COLUMNS

        def arts(seq: Sequence[c.Article]) -> list[tuple[str, str, str]]:
            return [(x.title, article_path(x), day(x.date)) for x in seq]

        def svcs(seq: Sequence[Service]) -> list[tuple[str, str, str]]:
            return [(s.name, service_path(s), day(s.date)) for s in seq]

        self.paged(cols["xwzx"], arts(c.NEWS[:NEWS_LISTED]), [], SIDE_INFO)
        self.paged(cols["tzgg"], arts(NOTICES), [], SIDE_INFO)
        self.paged(cols["zwgk"], arts(POLICIES), [], SIDE_INFO)
        self.paged(cols["grbs"], svcs(PERSONAL), [("办事服务", "/bsfw/")], SIDE_BSFW)
        self.paged(cols["qybs"], svcs(BUSINESS), [("办事服务", "/bsfw/")], SIDE_BSFW)
        depts = [(d.name, f"/bsfw/bm/{d.slug}.html", f"{len(self.dept_services(d))}项") for d in c.DEPARTMENTS]
        total = sum(len(self.dept_services(d)) for d in c.DEPARTMENTS)
        note = (f'<p class="note">本栏目按实施机关分类收录市级部门办事指南共{total}项，'
                "点击部门名称即可查看该部门负责事项的办理条件、办理材料、办理地点和联系电话。</p>\n")
        self.paged(cols["bm"], depts, [("办事服务", "/bsfw/")], SIDE_BSFW, note)

        def block(title: str, ids: Sequence[int], more: str) -> str:
            lis = "".join(f"<li>{a(SERVICE_BY_ID[i].name, path_of(i))}</li>" for i in ids)
            return f'<div class="block"><h2>{title}</h2><ul>{lis}</ul><a class="more" href="{more}">更多&gt;&gt;</a></div>'

        body = (f'<p class="column-intro">{escape(cols["bsfw"].description)}</p>\n'
                + block("个人办事", (2002, 2003, 2004, 2006, 2013), "/bsfw/grbs/") + "\n"
                + block("企业办事", (2019, 2020, 2021, 2022), "/bsfw/qybs/") + "\n"
                + f'<div class="block"><h2>按部门办事</h2><p>{a("按实施部门查找办事指南", "/bsfw/bm/")}</p>'
                + f'<p>{a("企业服务专区（旧版）", META_REFRESH)}</p></div>\n'
                + script_link(service_path(SCRIPT_ONLY), SCRIPT_ONLY.name))
        page = plain_page(self.ctx, "办事服务", cols["bsfw"].description, body, "/bsfw/", Plant(),
                          column=cols["bsfw"], crumbs=[("办事服务", "")])
        self.html("/bsfw/", page, Plant(), PageInfo("column"))

    def build_articles(self) -> None:
        for seq in (c.NEWS, NOTICES, POLICIES):
            for i, art in enumerate(seq):
                newer = (seq[i - 1].title, article_path(seq[i - 1])) if i > 0 else None
                older = (seq[i + 1].title, article_path(seq[i + 1])) if i + 1 < len(seq) else None
                plant = ARTICLE_PLANTS.get(art.id, Plant())
                page = render_article(self.ctx, art, article_path(art), newer, older, plant,
                                      ARTICLE_EXTRA.get(art.id, ""))
                self.html(article_path(art), page, plant, PageInfo("article", art.title))

    def build_services(self) -> None:
        for svc in (*LISTED_SERVICES, DEPT_ONLY, ORPHAN, SCRIPT_ONLY):
            plant = self.service_plants.get(svc.id, Plant())
            mode = SERVICE_MODES.get(svc.id, "full")
            attachment = (f"{svc.name}办事指南（PDF）", ATTACHMENT_ONLY_PDF) if mode == "attachment" else None
            page = service_page(self.ctx, svc, service_path(svc), mode, plant, attachment, EMBED)
            info = PageInfo("service", svc.name, c.DEPT_BY_SLUG[svc.dept].name)
            self.html(service_path(svc), page, plant, info)
        framed = SERVICE_BY_ID[2012]
        embed = (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                 f"<title>{framed.name}办事指南</title>\n"
                 '<link rel="stylesheet" href="/css/style.css">\n</head>\n<body>\n<div class="bszn-embed">\n'
                 f"<h2>{framed.name}</h2>\n{guide_html(framed)}\n</div>\n</body>\n</html>\n")
        self.html(EMBED, embed, Plant(), PageInfo("other"))
        js_svc = SERVICE_BY_ID[2015]
        rows = [[k, v] for k, v in guide_rows(js_svc)] + [["办理流程", "；".join(js_svc.steps)]]
        data = {"id": js_svc.id, "name": js_svc.name, "rows": rows}
        self.raw(API_GUIDE, "application/json; charset=utf-8",
                 json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def dept_services(self, dept: c.Department) -> list[Service]:
        return [s for s in (*LISTED_SERVICES, DEPT_ONLY) if s.dept == dept.slug]

    def build_departments(self) -> None:
        for dept in c.DEPARTMENTS:
            items = [(s.name, service_path(s), day(s.date)) for s in self.dept_services(dept)]
            page = dept_page(self.ctx, dept, items, Plant())
            self.html(f"/bsfw/bm/{dept.slug}.html", page, Plant(), PageInfo("column"))

    def build_other_pages(self) -> None:
        ctx = self.ctx
        zjyx = c.Column("zjyx", "/zjyx/", "走进云溪", None,
                        "走进云溪栏目介绍云溪市的地理位置、行政区划、人口、历史文化、自然资源和经济社会发展概况。",
                        "云溪概况,城市介绍,历史文化", "走进云溪")
        body = "\n".join(f"<p>{escape(p)}</p>" for p in c.ABOUT_CITY)
        body += '\n<p class="photo"><img src="/images/banner.png" width="600" height="120"></p>'
        self.html("/zjyx/", plain_page(ctx, "走进云溪", zjyx.description, body, "/zjyx/", Plant(), column=zjyx),
                  Plant(), PageInfo("other"))

        hdjl = c.Column("hdjl", "/hdjl/", "互动交流", None,
                        "互动交流栏目提供12345政务服务便民热线、市长信箱、网上调查和意见征集等政民互动渠道。",
                        "互动交流,市长信箱,12345热线,网上调查", "互动交流")
        body = ("<p>云溪市12345政务服务便民热线全天候受理群众咨询、求助、投诉和建议，"
                "办理结果在五个工作日内反馈。市长信箱由市政府办公室负责受理，来信经登记后转有关部门办理，"
                "涉及多个部门的由市政府办公室协调，办理结果通过电子邮件或者电话答复来信人。</p>\n"
                f'<p>市长信箱：{a("zfb@yunxi.example", "mailto:zfb@yunxi.example")}</p>\n'
                f'<p>网上调查：{a("2026年政务服务满意度网上调查", "/loop/a.html")}</p>\n'
                '<form action="/hdjl/" method="post"><textarea name="content" aria-label="留言内容"></textarea>'
                '<button type="submit">提交留言</button></form>\n'
                # the title a browser shows is written by a script: an engine that reads HTML sees the other one
                f"<script>document.title='{SCRIPT_TITLE}';</script>")
        self.html("/hdjl/", plain_page(ctx, "互动交流", hdjl.description, body, "/hdjl/", Plant(), column=hdjl),
                  Plant(), PageInfo("other"))

        sitemap_links: list[Link] = [
            ("网站首页", "/index.html"), ("新闻中心", "/xwzx"), ("通知公告", "/tzgg/"), ("政务公开", "/zwgk/"),
            ("办事服务", "/bsfw/"), ("个人办事", "/bsfw/grbs/"), ("企业办事", "/bsfw/qybs/"), ("按部门", "/bsfw/bm/"),
            ("互动交流", "/hdjl/"), ("走进云溪", "/zjyx/"), ("关于本网", "/about.html"), ("联系我们", "/lxwm.html")]
        body = "<ul class=\"sitemap\">" + "".join(f"<li>{a(t, h)}</li>" for t, h in sitemap_links) + "</ul>"
        no_site_meta = Plant(site_meta=False)
        self.html("/wzdt.html", plain_page(ctx, "网站地图", "云溪市人民政府门户网站网站地图，列出首页、新闻中心、通知公告、"
                                            "政务公开、办事服务和互动交流等全部栏目的入口。", body, "/wzdt.html",
                                            no_site_meta), no_site_meta, PageInfo("other"))

        body = ("<p>地址：云溪市滨河路1号市政府办公大楼　邮编：675000</p>\n<p>值班电话：0870-3121000　"
                "传真：0870-3121001</p>\n"
                f'<p>网站运维：{c.OPERATOR}　电子邮箱：{a("web@yunxi.example", "mailto:web@yunxi.example")}</p>')
        legacy = Plant(title=c.SITE_NAME, description=c.LEGACY_DESCRIPTION)
        self.html("/lxwm.html", plain_page(ctx, "联系我们", "", body, "/lxwm.html", legacy), legacy,
                  PageInfo("other"))

        body = (f"<p>{c.SITE_FULL_NAME}由{c.SPONSOR}主办、{c.OPERATOR}承办，是云溪市人民政府在互联网上发布政务信息、"
                "提供在线服务和开展政民互动的官方网站。</p>\n<p>本网站刊登的政府文件以正式印发的纸质文件为准。"
                "转载本网站原创内容请注明来源。本网站不会收集访问者的个人身份信息，依法保护用户隐私。</p>\n"
                "<p>本网站按照政府网站发展指引建设，支持无障碍浏览和长者模式，"
                "发现网页错误或者链接失效的，可以通过页面底部的政府网站找错入口反馈。</p>")
        self.html("/about.html", plain_page(ctx, "关于本网", "关于云溪市人民政府门户网站：主办单位、承办单位、"
                                             "版权声明、隐私保护和网站使用说明。", body, "/about.html", Plant()),
                  Plant(), PageInfo("other"))

        body = ("<p>为深入推进营商环境优化提升，本专题集中发布我市优化营商环境的政策文件、工作动态和企业办事指南。</p>\n"
                + item_list([(x.title, article_path(x), day(x.date)) for x in (POLICIES[0], c.NEWS[12])])
                + "\n<h2>企业办事</h2>\n"
                + item_list([(SERVICE_BY_ID[i].name, path_of(i), day(SERVICE_BY_ID[i].date))
                             for i in (2019, 2020, 2026)]))
        self.html(AREA_ONLY, plain_page(ctx, "优化营商环境专题", "优化营商环境专题集中发布云溪市优化营商环境政策文件、"
                                        "工作动态和企业开办、变更、注销等办事指南。", body, AREA_ONLY, Plant(),
                                        crumbs=[("专题专栏", ""), ("优化营商环境专题", "")]),
                  Plant(), PageInfo("other"))

        body = ('<form action="/search/" method="get"><input type="text" name="q" aria-label="关键词">'
                '<button type="submit">搜索</button></form>\n<p>请输入关键词搜索本站信息。</p>')
        self.html("/search/", plain_page(ctx, "站内搜索", "云溪市人民政府门户网站站内搜索，可以检索新闻、通知公告、"
                                         "政策文件和办事指南。", body, "/search/", Plant()), Plant(), PageInfo("other"))

        refresh = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                   '<meta http-equiv="refresh" content="0; url=/bsfw/qybs/">\n'
                   f"<title>{site_title('企业服务专区')}</title>\n</head>\n<body>\n"
                   "<p>企业服务专区已并入企业办事栏目，页面正在跳转。如未自动跳转，请访问"
                   f'{a("企业办事栏目", "/bsfw/qybs/")}。</p>\n</body>\n</html>\n')
        self.html(META_REFRESH, refresh, Plant(), PageInfo("other"))

        self.add(ERROR_500, Route(500, (("Content-Type", HTML_UTF8),),
                                  assets.error_page(500, "服务器内部错误", "系统繁忙，请稍后再试。")),
                 PageInfo("error"))

    def build_redirects(self) -> None:
        hops = (("/xwzx", 301, "/xwzx/"),
                ("/old/bsfw.html", 301, f"{BASE}/bsfw/redirect.html"),
                ("/bsfw/redirect.html", 302, "/bsfw/grbs/"),
                ("/loop/a.html", 302, "b.html"),
                ("/loop/b.html", 302, f"{BASE}/loop/a.html"))
        for path, status, location in hops:
            headers = (("Content-Type", "text/html"), ("Location", location))
            self.add(path, Route(status, headers, assets.nginx_redirect_body(status)), PageInfo("redirect"))

    def build_files(self) -> None:
        for path, (ctype, body) in ATTACHMENTS.items():
            self.raw(path, ctype, body, "attachment")
        self.raw("/files/big-archive.zip", "application/zip", assets.big_archive(), "attachment")
        for path, (w, h, rgb) in IMAGES.items():
            self.raw(path, "image/png", assets.png(w, h, rgb))
        self.raw("/css/style.css", "text/css; charset=utf-8", assets.CSS.encode())
        self.raw("/js/common.js", "application/javascript; charset=utf-8", assets.COMMON_JS.encode())
        self.raw("/js/guide.js", "application/javascript; charset=utf-8", assets.GUIDE_JS.encode())

    def build_seo_files(self) -> None:
        self.raw("/robots.txt", "text/plain; charset=utf-8", assets.robots_txt(path_of(BAIDU_BLOCKED_ID)))
        news = [(article_path(x), day(x.date)) for x in c.NEWS[:NEWS_LISTED]]
        news.append((MISSING_IN_SITEMAP, "2026-07-01"))
        news += [(article_path(x), day(x.date)) for x in (*NOTICES, *POLICIES)]
        services = [(service_path(s), day(s.date)) for s in (*LISTED_SERVICES, ORPHAN)]
        children = (("/sitemaps/news.xml", "2026-11-20"), ("/sitemaps/bsfw.xml.gz", "2026-10-15"),
                    ("/sitemaps/pages.txt", "2026-11-20"))
        self.raw("/sitemap_index.xml", "application/xml; charset=utf-8", assets.sitemap_index(children))
        self.raw("/sitemaps/news.xml", "application/xml; charset=utf-8", assets.urlset(news))
        self.raw("/sitemaps/bsfw.xml.gz", "application/x-gzip", assets.gzip_bytes(assets.urlset(services)))
        self.raw("/sitemaps/pages.txt", "text/plain; charset=utf-8", assets.text_sitemap(SITEMAP_PAGES))
        self.sitemaps += [
            SitemapInfo("/sitemap_index.xml", "index", False, tuple(p for p, _ in children)),
            SitemapInfo("/sitemaps/news.xml", "urlset", False, tuple(p for p, _ in news)),
            SitemapInfo("/sitemaps/bsfw.xml.gz", "urlset", True, tuple(p for p, _ in services)),
            SitemapInfo("/sitemaps/pages.txt", "txt", False, SITEMAP_PAGES),
        ]
