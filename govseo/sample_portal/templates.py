"""HTML templates of the sample portal: the ordinary markup of a Chinese government CMS.

Bodies may contain two placeholders that the server fills per request (see ``site.fill_placeholders``):
``{{BASE}}`` -> ``http://host:port`` (no trailing slash) and ``{{HOST}}`` -> the host name without port.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from . import content as c

BASE = "{{BASE}}"
HOST = "{{HOST}}"

Link = tuple[str, str]  # (text, href)


@dataclass(frozen=True)
class Plant:
    """Per-page knobs used to plant defects. The defaults produce a clean page."""

    title: str | None = None  # replaces the generated <title> text
    no_title: bool = False
    description: str | None = None  # replaces the generated meta description
    no_description: bool = False
    h1_tag: str = "h1"  # e.g. "div" for a page without <h1>
    h1_text: str | None = None  # H1 text different from the page name
    lang: bool = True
    viewport: bool = True
    canonical: str | None = None  # raw href written into <link rel=canonical> instead of the self URL
    site_meta: bool = True  # SiteName / SiteDomain / SiteIDCode
    no_date: bool = False  # no visible date and no PubDate meta
    article_meta: bool = True  # ArticleTitle / PubDate / ContentSource on article and service pages
    pubdate: str | None = None  # PubDate meta value instead of the real one
    robots: str | None = None  # content of <meta name="robots">
    x_robots: str | None = None  # X-Robots-Tag response header
    jsonld: str | None = None  # raw JSON-LD text
    encoding: str = "utf-8"  # bytes encoding of the page
    meta_charset: str = "utf-8"  # charset written in the HTML
    header_charset: bool = True  # whether Content-Type carries "; charset=utf-8"
    extra_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Head:
    title: str
    description: str
    keywords: str = ""
    column: c.Column | None = None  # emits the four column meta tags
    article: tuple[str, str, str] | None = None  # (ArticleTitle, PubDate, ContentSource)
    canonical_path: str | None = None  # self path; None = no canonical
    extra: str = ""  # raw HTML appended to <head>


def a(text: str, href: str, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_")}="{escape(v)}"' for k, v in attrs.items())
    return f'<a href="{escape(href)}"{extra}>{escape(text)}</a>'


def render_head(head: Head, plant: Plant) -> str:
    if plant.meta_charset.lower() == "utf-8":
        charset = '<meta charset="utf-8">'
    else:
        charset = f'<meta http-equiv="Content-Type" content="text/html; charset={plant.meta_charset}">'
    lines = [charset, '<meta http-equiv="X-UA-Compatible" content="IE=edge">']
    if plant.viewport:
        lines.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    if not plant.no_title:
        lines.append(f"<title>{escape(plant.title if plant.title is not None else head.title)}</title>")
    if head.keywords:
        lines.append(f'<meta name="keywords" content="{escape(head.keywords)}">')
    if not plant.no_description:
        desc = plant.description if plant.description is not None else head.description
        lines.append(f'<meta name="description" content="{escape(desc)}">')
    if plant.robots:
        lines.append(f'<meta name="robots" content="{escape(plant.robots)}">')
    if plant.site_meta:
        lines += [f'<meta name="SiteName" content="{c.SITE_NAME}">',
                  f'<meta name="SiteDomain" content="{HOST}">',
                  f'<meta name="SiteIDCode" content="{c.SITE_ID_CODE}">']
    if head.column is not None:
        col = head.column
        lines += [f'<meta name="ColumnName" content="{escape(col.name)}">',
                  f'<meta name="ColumnDescription" content="{escape(col.description)}">',
                  f'<meta name="ColumnKeywords" content="{escape(col.keywords)}">',
                  f'<meta name="ColumnType" content="{escape(col.column_type)}">']
    if head.article is not None and plant.article_meta:
        title, pubdate, source = head.article
        lines.append(f'<meta name="ArticleTitle" content="{escape(title)}">')
        if not plant.no_date:
            lines.append(f'<meta name="PubDate" content="{escape(plant.pubdate or pubdate)}">')
        lines.append(f'<meta name="ContentSource" content="{escape(source)}">')
    if plant.canonical is not None:
        lines.append(f'<link rel="canonical" href="{escape(plant.canonical)}">')
    elif head.canonical_path is not None:
        lines.append(f'<link rel="canonical" href="{BASE}{escape(head.canonical_path)}">')
    lines.append('<link rel="stylesheet" href="/css/style.css">')
    if plant.jsonld is not None:
        lines.append(f'<script type="application/ld+json">{plant.jsonld}</script>')
    if head.extra:
        lines.append(head.extra)
    return "\n".join(lines)


NAV: tuple[Link, ...] = (
    ("首页", "/"), ("新闻中心", "/xwzx/"), ("通知公告", "/tzgg/"), ("政务公开", "/zwgk/"),
    ("办事服务", "/bsfw/"), ("互动交流", "/hdjl/"), ("走进云溪", "/zjyx/"),
)
SUBNAV: tuple[Link, ...] = (("个人办事", "/bsfw/grbs/"), ("企业办事", "/bsfw/qybs/"), ("政策文件", "/zwgk/"))


def header(home: bool) -> str:
    logo = f'<img src="/images/logo.png" alt="{c.SITE_NAME}" width="420" height="80">'
    title = (f'<h1 class="site-title">{c.SITE_FULL_NAME}</h1>' if home
             else f'<div class="site-title">{c.SITE_FULL_NAME}</div>')
    top = " | ".join([a("无障碍浏览", "javascript:toggleAccessible()"), a("长者模式", "javascript:toggleElder()"),
                      a("繁體", "javascript:toggleTraditional()"), a("网站地图", "/wzdt.html"),
                      a("联系我们", "/lxwm.html"),
                      a("国家政务服务平台", "https://gjzwfw.www.gov.cn/", target="_blank")])
    nav = "\n".join(f"<li>{a(t, h)}</li>" for t, h in NAV)
    sub = "\n".join(f"<li>{a(t, h)}</li>" for t, h in SUBNAV)
    return f"""<div class="topbar"><div class="w1200"><span class="welcome">欢迎访问{c.SITE_FULL_NAME}</span>
<span class="toplinks">{top}</span></div></div>
<div class="header"><div class="w1200">
<div class="logo"><a href="/">{logo}</a></div>
{title}
<form class="search" action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键词" \
aria-label="站内搜索"><button type="submit">搜索</button></form>
</div></div>
<div class="navbar"><ul class="nav">
{nav}
</ul><ul class="subnav">
{sub}
</ul></div>"""


def footer(quick: Sequence[Link]) -> str:
    quick_html = " ".join(a(t, h) for t, h in quick)
    friends = " ".join(a(t, h, target="_blank") for t, h in c.EXTERNAL_LINKS)
    bottom = " | ".join([a("关于本网", "/about.html"), a("网站地图", "/wzdt.html"), a("联系我们", "/lxwm.html")])
    return f"""<div class="footer"><div class="w1200">
<div class="quick"><span>热门服务：</span>{quick_html}</div>
<div class="friends"><span>友情链接：</span>{friends}
<select aria-label="市级部门网站" onchange="if(this.value){{window.open(this.value)}}">
<option value="">市级部门网站</option><option value="">市发展和改革委员会</option><option value="">市教育体育局</option>
<option value="">市财政局</option><option value="">市统计局</option></select></div>
<p class="bottomlinks">{bottom}</p>
<p>主办单位：{c.SPONSOR}　承办单位：{c.OPERATOR}　值班电话：0870-3121000</p>
<p>网站标识码：{c.SITE_ID_CODE}　{a(c.ICP_NUMBER, c.ICP_URL, target="_blank")}　\
{a(c.PSB_NUMBER, c.PSB_URL, target="_blank")}</p>
<p>版权所有：{c.SITE_NAME}　建议使用1280*800以上分辨率浏览</p>
<div class="marks"><a href="{escape(c.JIUCUO_URL)}" target="_blank"><img src="/images/jiucuo.png" \
alt="政府网站找错" width="110" height="55"></a> <img src="/images/dzjg.png" alt="党政机关" width="55" height="55"></div>
</div></div>
<script src="/js/common.js"></script>"""


def breadcrumb(crumbs: Sequence[Link]) -> str:
    """``crumbs`` after 首页; an empty href renders plain text (the current page)."""
    parts = [a("首页", "/")]
    parts += [a(t, h) if h else f"<span>{escape(t)}</span>" for t, h in crumbs]
    return '<div class="position w1200">当前位置：' + " &gt; ".join(parts) + "</div>"


def document(head: Head, plant: Plant, body: str, crumbs: Sequence[Link] | None, quick: Sequence[Link],
             home: bool = False) -> str:
    lang = ' lang="zh-CN"' if plant.lang else ""
    crumb_html = breadcrumb(crumbs) + "\n" if crumbs is not None else ""
    return (f"<!DOCTYPE html>\n<html{lang}>\n<head>\n{render_head(head, plant)}\n</head>\n<body>\n"
            f"{header(home)}\n{crumb_html}<div class=\"main w1200\">\n{body}\n</div>\n{footer(quick)}\n"
            "</body>\n</html>\n")


def item_list(items: Sequence[tuple[str, str, str]], cls: str = "list") -> str:
    """``items``: (text, href, date YYYY-MM-DD)."""
    lis = "\n".join(f'<li>{a(t, h, title=t, target="_blank")}<span>{d}</span></li>' for t, h, d in items)
    return f'<ul class="{cls}">\n{lis}\n</ul>'


def pager(index: int, pages: int, total: int) -> str:
    """TRS-style pager with relative links: the first page is ``./``, page k is ``index_k.html``."""

    def href(k: int) -> str:
        return "./" if k == 0 else f"index_{k}.html"

    links = [f"<span>共{total}条　第{index + 1}/{pages}页</span>"]
    if index > 0:
        links += [a("首页", href(0)), a("上一页", href(index - 1))]
    if index < pages - 1:
        links += [a("下一页", href(index + 1)), a("尾页", href(pages - 1))]
    return '<div class="pager">' + " ".join(links) + "</div>"


def sidebar(title: str, links: Sequence[Link]) -> str:
    lis = "\n".join(f"<li>{a(t, h)}</li>" for t, h in links)
    return f'<div class="sidebar"><h2>{escape(title)}</h2><ul>\n{lis}\n</ul></div>'


def paragraphs(paras: Sequence[str]) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in paras)
