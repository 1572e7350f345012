"""Test portals assembled from the real government pages of ../shared/realdata (never copied: read in place).

Two portals, each a dict of routes for tests/routeserver.serve_routes:

- ``chinese_portal()``: 中国宜春 (www.yichun.gov.cn). Its real home page and its two real 统计公报 articles are
  served as they are, their links rewritten from the original host to this server (links to pages that are
  not part of the copy lose their href, so the copy has no dead links of its own). Column pages and 办事指南
  service guides are made from the real article page (the site's own template: header, breadcrumb, meta
  block, footer), with the article's title, breadcrumb and body replaced. Guides use both breadcrumb styles
  of real portals: ending with the column (首页 > 办事服务 > 市公安局) and ending with the page's own name
  (首页 > 办事服务 > 市公安局 > 居住证办理). One real article has its ArticleTitle/PubDate/ContentSource meta
  removed and sits at a URL with no date in it: only the column list and its body say it is an article.
- ``english_portal()``: the USA.gov 2023 archive (English and Spanish), its ``<base>`` removed. The archive
  put ``<meta name="robots" content="noindex">`` on every page, so the whole site is invisible to engines.

Variants of the Chinese portal: ``noindex=True`` adds that meta to the template (every page), and
``broken_link=True`` adds a footer link to a page that does not exist (every page).

``python tests/realportal.py zh|en [--noindex] [--broken-link]`` serves one on 127.0.0.1 until Ctrl-C.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
YICHUN = REALDATA / "cn_gov_html" / "SimonXinw_job"
USA = REALDATA / "gov_html_en" / "usa.gov_archive_2023"

Route = tuple[int, list[tuple[str, str]], bytes]
HTML = [("Content-Type", "text/html; charset=utf-8")]
BROKEN_TARGET = "/ycsrmzf/wzdt/old-sitemap.shtml"

# path -> (real article file, keep its article meta)
ARTICLES = {
    "/art/2023/5/16/art_1629_101.html": ("www.yichun.gov.cn_tjgb2022_article.html", True),
    "/ycsrmzf/tjgb/jxtjgb2022.shtml": ("www.yichun.gov.cn_jx_tjgb2022_article.html", False),
}
# (name, department, breadcrumb ends with the page's own name, path, what the applicant brings, who may apply)
GUIDES = (
    ("居住证办理", "市公安局", True, "/ycsrmzf/bszn/ga/jzz.shtml", "居住登记凭证、近期一寸免冠彩色照片、租房合同或房产证明",
     "离开常住户口所在地，到本市居住半年以上，并有合法稳定就业、合法稳定住所或连续就读条件之一的公民"),
    ("户口迁移登记", "市公安局", False, "/ycsrmzf/bszn/ga/hkqy.shtml", "户口簿、准予迁入证明、迁移证件、婚姻或亲属关系证明",
     "因投靠亲属、购房、就业或升学需要将户口迁入本市的居民"),
    ("机动车驾驶证补领", "市公安局", True, "/ycsrmzf/bszn/ga/jszbl.shtml", "机动车驾驶人身份证明、近期驾驶证照片、遗失声明",
     "机动车驾驶证遗失、损毁或被盗，且驾驶证不在扣押、暂扣或吊销期间的驾驶人"),
    ("社会保险登记", "市人力资源和社会保障局", True, "/ycsrmzf/bszn/rs/sbdj.shtml", "营业执照副本、法定代表人身份证、银行开户许可证",
     "在本市依法设立的用人单位应当自成立之日起三十日内申请办理社会保险登记"),
    ("失业保险金申领", "市人力资源和社会保障局", False, "/ycsrmzf/bszn/rs/sybx.shtml", "终止或解除劳动合同证明、社会保障卡、求职登记材料",
     "失业前用人单位和本人已缴纳失业保险费满一年，非因本人意愿中断就业，已办理失业登记并有求职要求"),
    ("个体工商户设立登记", "市市场监督管理局", True, "/ycsrmzf/bszn/sj/gtgsh.shtml", "经营者身份证明、经营场所使用证明、名称自主申报材料",
     "有经营能力的公民在本市从事工商业经营，依法登记为个体工商户"),
    ("食品经营许可", "市市场监督管理局", False, "/ycsrmzf/bszn/sj/spjy.shtml", "食品经营许可申请书、与经营规模相适应的场所和设备布局图、食品安全管理制度",
     "在本市从事食品销售和餐饮服务活动，具有与经营的食品品种、数量相适应的经营场所"),
)
COLUMNS = {"/ycsrmzf/tjgb/index.shtml": "统计公报", "/ycsrmzf/bszn/index.shtml": "办事指南"}


def _adapt(doc: lxml_html.HtmlElement, original: str, mount: str, known: set[str]) -> None:
    """Links to the original site become links to this server; links to pages the copy lacks lose their
    href/src (kept as text), so the copy has no dead links of its own. Other hosts are left alone."""
    host = urlsplit(original).netloc
    for base in doc.iter("base"):
        base.drop_tree()
    # what the saver's browser extensions injected into a "save page" copy is not the site's
    for injected in doc.xpath("//*[@data-v-app or contains(@class, 'dl-input-translation')]"
                              "|//link[starts-with(@href, 'chrome-extension:')]"):
        injected.drop_tree()
    for el in doc.iter():
        for attr in ("href", "src"):
            value = el.get(attr)
            if value is None or value.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
                continue
            url = urljoin(original, value.strip())
            parts = urlsplit(url)
            if parts.netloc != host:
                continue
            path = "/" + parts.path[len(mount):].lstrip("/") if parts.path.startswith(mount) else parts.path
            if path in known:
                el.set(attr, path)
            else:
                del el.attrib[attr]


def _serialise(doc: lxml_html.HtmlElement) -> Route:
    return 200, HTML, b"<!DOCTYPE html>\n" + lxml_html.tostring(doc, encoding="utf-8")


def _parse(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(path.read_bytes())


def _set_meta(doc: lxml_html.HtmlElement, name: str, value: str | None) -> None:
    for meta in doc.xpath(f"//meta[translate(@name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
                          f"='{name.lower()}']"):
        if value is None:
            meta.drop_tree()
        else:
            meta.set("content", value)


def _crumbs(doc: lxml_html.HtmlElement, crumbs: list[tuple[str, str | None]]) -> None:
    h2 = doc.xpath("//div[@class='xxgk-crumb']//h2")[0]
    for child in list(h2):
        h2.remove(child)
    h2.text = "您当前所在位置："
    for i, (text, href) in enumerate(crumbs):
        a = lxml_html.Element("a")
        if href:
            a.set("href", href)
        a.text = text
        a.tail = ">" if i < len(crumbs) - 1 else ""
        h2.append(a)


def _replace_article(doc: lxml_html.HtmlElement, title: str, h1: str, body: str) -> None:
    doc.xpath("//title")[0].text = title
    h1_el = doc.xpath("//h1[contains(@class, 'article-title')]")[0]
    for child in list(h1_el):
        h1_el.remove(child)
    h1_el.text = h1
    content = doc.get_element_by_id("zoomcon")
    for child in list(content):
        content.remove(child)
    content.text = None
    for fragment in lxml_html.fragments_fromstring(body):
        content.append(fragment)


def _guide_body(name: str, department: str | None, materials: str, who: str) -> str:
    """A guide's key elements as labelled lines; without the 实施主体 line when ``department`` is None."""
    return "".join(f"<p>{label}：{value}</p>" for label, value in (
        ("事项名称", name), *((("实施主体", department),) if department else ()),
        ("设定依据", f"《江西省{name}管理办法》第十二条"), ("申请条件", who),
        ("办理材料", f"{materials}（原件及复印件各1份）"),
        ("办理地点", "宜春市政务服务中心一楼综合窗口（宜春市袁州区宜阳大道）"),
        ("办理时间", "工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）"),
        ("联系电话", "0795-3201234"), ("承诺时限", "5个工作日"), ("收费标准", "不收费")))


def chinese_portal(*, noindex: bool = False, broken_link: bool = False) -> dict[str, Route]:
    origin = "https://www.yichun.gov.cn/"
    known = {"/", *ARTICLES, *COLUMNS, *(g[3] for g in GUIDES)}
    routes: dict[str, Route] = {}
    shell = _parse(YICHUN / "www.yichun.gov.cn_tjgb2022_article.html")
    article_url = origin + "ycsrmzf/tjgb/2023/art.shtml"

    def add(path: str, doc: lxml_html.HtmlElement, original: str) -> None:
        _adapt(doc, original, "/", known)
        if noindex:
            doc.head.append(lxml_html.Element("meta", name="robots", content="noindex"))
        if broken_link:
            footer = (doc.xpath("//div[contains(@class, 'footer')]") or [doc.body])[0]
            link = lxml_html.Element("a", href=BROKEN_TARGET)
            link.text = "网站地图（旧版）"
            footer.append(link)
        routes[path] = _serialise(doc)

    home = _parse(YICHUN / "www.yichun.gov.cn_homepage_saved_stat.php.html")
    nav = lxml_html.fragment_fromstring(
        '<div class="govseo-columns"><a href="/ycsrmzf/tjgb/index.shtml">统计公报</a> '
        '<a href="/ycsrmzf/bszn/index.shtml">办事指南</a></div>')
    home.body.insert(0, nav)
    add("/", home, origin + "ycsrmzf/index.shtml")

    for path, (name, keep_meta) in ARTICLES.items():
        doc = _parse(YICHUN / name)
        if not keep_meta:
            for meta in ("ArticleTitle", "PubDate", "ContentSource"):
                _set_meta(doc, meta, None)
        add(path, doc, article_url)

    listing = {
        "/ycsrmzf/tjgb/index.shtml": [(p, _parse(YICHUN / f).xpath("string(//h1[contains(@class,'article-title')])")
                                       .strip(), "2023-05-16") for p, (f, _) in ARTICLES.items()],
        "/ycsrmzf/bszn/index.shtml": [(g[3], f"{g[0]}办事指南", "2024-03-01") for g in GUIDES],
    }
    for path, column in COLUMNS.items():
        doc = copy.deepcopy(shell)
        for meta in ("ArticleTitle", "PubDate", "ContentSource"):
            _set_meta(doc, meta, None)
        _set_meta(doc, "ColumnName", column)
        _crumbs(doc, [("首页", "/"), (column, path)])
        items = "".join(f'<li><a href="{href}">{text}</a><span>{date}</span></li>' for href, text, date in listing[path])
        _replace_article(doc, f"{column}_中国宜春", column, f"<ul class='list'>{items}</ul>")
        add(path, doc, article_url)

    for name, department, ends_with_name, path, materials, who in GUIDES:
        doc = copy.deepcopy(shell)
        _set_meta(doc, "ColumnName", "办事指南")
        _set_meta(doc, "ArticleTitle", f"{name}办事指南")
        _set_meta(doc, "PubDate", "2024-03-01 09:00:00")
        _set_meta(doc, "ContentSource", department)
        crumbs = [("首页", "/"), ("办事服务", "/ycsrmzf/bszn/index.shtml"), (department, None)]
        _crumbs(doc, crumbs + ([(name, None)] if ends_with_name else []))
        _replace_article(doc, f"{name}办事指南_{department}_中国宜春", f"{name}办事指南",
                         _guide_body(name, None if ends_with_name else department, materials, who))
        add(path, doc, article_url)

    routes["/robots.txt"] = (200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow:\n")
    return routes


# archive file -> path on the portal (the archive's own paths, under its mount point)
USA_PAGES = {
    "homepage.html": "/", "about.html": "/about", "absentee-voting.html": "/absentee-voting",
    "agencies.html": "/agencies", "become-us-citizen.html": "/become-us-citizen", "benefits.html": "/benefits",
    "business.html": "/business", "change-voter-registration.html": "/change-voter-registration",
    "complaint-letter.html": "/complaint-letter", "contact.html": "/contact",
    "covid-stimulus-checks.html": "/covid-stimulus-checks", "espanol_homepage.html": "/espanol/",
    "espanol__acerca-de-estados-unidos.html": "/espanol/acerca-de-estados-unidos",
    "espanol__agencias-estatales.html": "/espanol/agencias-estatales",
}


def english_portal() -> dict[str, Route]:
    mount = "/site/usagov/usagov-archive-2023/"
    origin = "https://federalist-36a58435-bbf2-47f1-8c05-dd08d446e3cf.sites.pages.cloud.gov" + mount
    known = set(USA_PAGES.values()) | {"/espanol"}
    routes: dict[str, Route] = {}
    for name, path in USA_PAGES.items():
        doc = _parse(USA / name)
        _adapt(doc, origin, mount, known)
        for el in doc.iter("a"):        # the archive links the Spanish home as "espanol"
            if el.get("href") == "/espanol":
                el.set("href", "/espanol/")
        routes[path] = _serialise(doc)
    routes["/robots.txt"] = (200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow:\n")
    return routes


PORTALS: dict[str, Callable[..., dict[str, Route]]] = {"zh": chinese_portal, "en": english_portal}


if __name__ == "__main__":
    import time

    from routeserver import serve_routes

    kind = sys.argv[1] if len(sys.argv) > 1 else "zh"
    options = {"noindex": "--noindex" in sys.argv, "broken_link": "--broken-link" in sys.argv} if kind == "zh" else {}
    with serve_routes(PORTALS[kind](**options)) as base:
        print(base, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
