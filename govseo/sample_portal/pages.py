"""Builders for the HTML pages of the sample portal (home, column lists, articles, service guides)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from . import content as c
from .content_services import Service
from .templates import Head, Link, Plant, a, document, item_list, pager, paragraphs, sidebar

COLUMN_OF_SERVICE = {"grbs": "个人办事", "qybs": "企业办事", "bm": "按部门"}


@dataclass(frozen=True)
class Ctx:
    quick: tuple[Link, ...]  # footer 热门服务 links


def site_title(*parts: str) -> str:
    return "_".join((*parts, c.SITE_NAME))


def summarize(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def day(date: str) -> str:
    return date[:10]


def home(ctx: Ctx, news: Sequence[Link], news_dates: Sequence[str], notices: Sequence[Link],
         notice_dates: Sequence[str], policies: Sequence[Link], policy_dates: Sequence[str],
         popular: Sequence[Link], plant: Plant) -> str:
    head = Head(c.HOME_TITLE, c.HOME_DESCRIPTION, c.HOME_KEYWORDS, canonical_path="/")

    def block(title: str, href: str, links: Sequence[Link], dates: Sequence[str], cls: str) -> str:
        items = [(t, h, d) for (t, h), d in zip(links, dates, strict=True)]
        return f'<div class="block {cls}"><h2>{a(title, href)}</h2>\n{item_list(items)}\n</div>'

    services = "\n".join(f'<li>{a(t, h)}</li>' for t, h in popular)
    body = f"""<div class="banner"><img src="/images/banner.png" usemap="#bannermap" alt="云溪市政务服务导航图" \
width="1200" height="240">
<map name="bannermap">
<area shape="rect" coords="0,0,400,240" href="/zt/yhyshj.html" alt="优化营商环境专题">
<area shape="rect" coords="400,0,800,240" href="/bsfw/grbs/" alt="个人办事服务">
<area shape="rect" coords="800,0,1200,240" href="/bsfw/qybs/" alt="企业办事服务">
</map></div>
<div class="row">
{block("新闻中心", "/xwzx/", news, news_dates, "news")}
{block("通知公告", "/tzgg/", notices, notice_dates, "notice")}
</div>
<div class="row">
{block("政务公开", "/zwgk/", policies, policy_dates, "policy")}
<div class="block hot"><h2>{a("办事服务", "/bsfw/")}</h2>
<p>高频事项网上办、就近办，以下为本月查询量最多的办事指南。</p>
<ul class="services">
{services}
</ul></div>
</div>
<div class="intro"><h2>{a("走进云溪", "/zjyx/")}</h2><p>{escape(c.ABOUT_CITY[0])}</p></div>"""
    return document(head, plant, body, None, ctx.quick, home=True)


def column_page(ctx: Ctx, col: c.Column, crumbs: Sequence[Link], items: Sequence[tuple[str, str, str]],
                index: int, pages: int, total: int, side: Sequence[Link], plant: Plant,
                extra: str = "") -> str:
    suffix = f"（第{index + 1}页）" if index else ""
    parents = [c.COLUMNS[col.parent].name] if col.parent else []
    title = site_title(col.name + suffix, *parents)
    desc = col.description if not index else f"{col.name}第{index + 1}页：{col.description}"
    head = Head(title, desc, col.keywords, column=col, canonical_path=col.path + (f"index_{index}.html" if index else ""))
    page_html = pager(index, pages, total) if pages > 1 else ""
    body = f"""{sidebar(parents[0] if parents else col.name, side)}
<div class="content">
<h1 class="column-title">{escape(col.name)}</h1>
<p class="column-intro">{escape(col.description)}</p>
{extra}{item_list(items)}
{page_html}
</div>"""
    return document(head, plant, body, crumbs, ctx.quick)


def article_page(ctx: Ctx, art: c.Article, path: str, newer: Link | None, older: Link | None,
                 plant: Plant, extra_html: str = "") -> str:
    col = c.COLUMNS[art.column]
    head = Head(site_title(art.title, col.name), summarize(art.paras[0]), f"{col.name},{art.source}",
                column=col, article=(art.title, art.date, art.source), canonical_path=path)
    h1 = escape(plant.h1_text or art.title)
    h1_html = f'<{plant.h1_tag} class="article-title">{h1}</{plant.h1_tag}>'
    date_html = "" if plant.no_date else f"<span>发布时间：{art.date}</span>"
    attachments = ""
    if art.attachments:
        links = "".join(f"<li>{a(label, href)}</li>" for label, href in art.attachments)
        attachments = f'<div class="attachments"><span>附件：</span><ul>{links}</ul></div>'

    def step(label: str, link: Link | None) -> str:
        return f"<p>{label}：{a(link[0], link[1]) if link else '没有了'}</p>"

    body = f"""<div class="article">
{h1_html}
<div class="info">{date_html}<span>来源：{escape(art.source)}</span><span>字号：\
<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>\
</span></div>
<div class="TRS_Editor" id="zoom">
{paragraphs(art.paras)}
{extra_html}</div>
{attachments}
<div class="prevnext">{step("上一篇", newer)}{step("下一篇", older)}</div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>"""
    return document(head, plant, body, [(col.name, col.path)], ctx.quick)


def _ol(items: Sequence[str]) -> str:
    return "<ol>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ol>"


def guide_rows(svc: Service, complete: bool = True) -> list[tuple[str, str]]:
    """The 办事指南 elements as (label, inner HTML)."""
    dept = c.DEPT_BY_SLUG[svc.dept]
    rows = [("事项名称", escape(svc.name)), ("事项类型", escape(svc.item_type)),
            ("实施机关", escape(dept.full_name)), ("设定依据", escape(svc.basis)),
            ("申请条件", _ol(svc.conditions))]
    if complete:
        rows += [("办理材料", _ol(svc.materials)), ("办理地点", escape(dept.window)),
                 ("办理时间", escape(svc.hours)), ("联系电话", f"{dept.phone}；政务服务便民热线12345")]
    rows += [("承诺时限", escape(svc.time_limit))]
    if complete:
        rows += [("收费标准", escape(svc.fee))]
    return rows


def guide_html(svc: Service, complete: bool = True) -> str:
    rows = "\n".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in guide_rows(svc, complete))
    faq = ""
    if svc.faq:
        faq = "<h2>常见问题</h2><dl>" + "".join(f"<dt>{escape(q)}</dt><dd>{escape(r)}</dd>" for q, r in svc.faq) + "</dl>"
    form = ""
    if svc.form:
        form = f'<div class="attachments"><span>表格下载：</span>{a(svc.form[0], svc.form[1])}</div>'
    return f"""<table class="bszn-table">
{rows}
</table>
<h2>办理流程</h2>{_ol(svc.steps)}
{faq}{form}"""


def own_crumb(svc: Service) -> str:
    """How a breadcrumb that ends with the page names it: the name, the name with 办事指南, or cut short."""
    if svc.id % 3 == 1:
        return svc.name + "办事指南"
    if svc.id % 3 == 2 and len(svc.name) > 8:
        return svc.name[:7] + "…"
    return svc.name


def service_crumbs(svc: Service) -> list[Link]:
    """Both breadcrumb styles of Chinese portals: personal services end with the page's own name
    (办事服务 > 个人办事 > 市公安局 > 居住证办理), business and department services with the department's
    column (办事服务 > 企业办事 > 市市场监督管理局). Either way the department is the section."""
    dept = c.DEPT_BY_SLUG[svc.dept]
    # the department crumb links only where the guide sits under its department page (按部门); elsewhere the
    # CMS prints it as plain text (which keeps the department pages' link graph as it was)
    dept_href = f"/bsfw/bm/{dept.slug}.html" if svc.column == "bm" else ""
    crumbs: list[Link] = [("办事服务", "/bsfw/"), (COLUMN_OF_SERVICE[svc.column], c.COLUMNS[svc.column].path),
                          (dept.name, dept_href)]
    if svc.column == "grbs":
        crumbs.append((own_crumb(svc), ""))
    return crumbs


def service_page(ctx: Ctx, svc: Service, path: str, mode: str, plant: Plant, attachment: Link | None = None,
                 embed_path: str = "") -> str:
    """``mode``: full | incomplete | iframe | js | attachment."""
    col_name = COLUMN_OF_SERVICE[svc.column]
    dept = c.DEPT_BY_SLUG[svc.dept]
    head = Head(site_title(svc.name, col_name), svc.summary, svc.keywords, column=c.COLUMNS[svc.column],
                article=(svc.name, svc.date, dept.full_name), canonical_path=path)
    h1 = escape(plant.h1_text or svc.name)
    date_html = "" if plant.no_date else f"<span>发布日期：{day(svc.date)}</span>"
    summary = f'<div class="summary"><p>{escape(svc.summary)}</p></div>'
    if mode in ("full", "incomplete"):
        main = summary + "\n" + guide_html(svc, complete=mode == "full")
    elif mode == "iframe":
        main = (f'{summary}\n<iframe src="{embed_path}" width="100%" height="1200" frameborder="0" scrolling="no" '
                f'title="{escape(svc.name)}办事指南"></iframe>')
    elif mode == "js":
        main = (f'<div id="guide-app" data-guide-id="{svc.id}"></div>\n'
                '<noscript>请启用浏览器脚本后查看。</noscript>\n<script src="/js/guide.js"></script>')
    elif mode == "attachment":
        assert attachment is not None
        main = f'<p class="download">本事项办事指南请下载：{a(attachment[0], attachment[1])}</p>'
    else:
        raise ValueError(mode)
    crumbs = service_crumbs(svc)
    body = f"""<div class="bszn">
<{plant.h1_tag} class="bszn-title">{h1}</{plant.h1_tag}>
<div class="info">{date_html}<span>实施机关：{escape(dept.full_name)}</span></div>
{main}
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>"""
    return document(head, plant, body, crumbs, ctx.quick)


def dept_page(ctx: Ctx, dept: c.Department, services: Sequence[tuple[str, str, str]], plant: Plant) -> str:
    col = c.COLUMNS["bm"]
    desc = f"{dept.full_name}政务服务事项办事指南汇总：{dept.intro}"
    head = Head(site_title(dept.name, col.name), summarize(desc, 75), f"{dept.name},办事指南", column=col,
                canonical_path=f"/bsfw/bm/{dept.slug}.html")
    body = f"""{sidebar("办事服务", [("个人办事", "/bsfw/grbs/"), ("企业办事", "/bsfw/qybs/"), ("按部门", "/bsfw/bm/")])}
<div class="content">
<h1 class="column-title">{escape(dept.name)}</h1>
<p class="column-intro">{escape(dept.intro)}</p>
<p class="contact">办公地点：{escape(dept.window)}　咨询电话：{escape(dept.phone)}</p>
<h2>本部门办事指南（{len(services)}项）</h2>
{item_list(services)}
</div>"""
    return document(head, plant, body, [("办事服务", "/bsfw/"), (col.name, col.path), (dept.name, "")], ctx.quick)


def plain_page(ctx: Ctx, name: str, description: str, body_html: str, path: str, plant: Plant,
               column: c.Column | None = None, crumbs: Sequence[Link] | None = None) -> str:
    """A simple inner page (about, contact, site map, 专题…): title ``name_站点名``."""
    head = Head(site_title(name), description, name, column=column, canonical_path=path)
    body = f'<div class="content">\n<{plant.h1_tag}>{escape(name)}</{plant.h1_tag}>\n{body_html}\n</div>'
    return document(head, plant, body, crumbs if crumbs is not None else [(name, "")], ctx.quick)
