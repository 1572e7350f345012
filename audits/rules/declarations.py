"""What a page declares about itself: mobile-missing (viewport), lang-missing and charset-mismatch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site
from crawler.decode import charset_problems

_MOBILE_TAGS = ("mobile-agent", "applicable-device")


# ---------------------------------------------------------------- mobile-missing
def check_mobile(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    pages = site.html_pages()
    separate = any(p.artifacts and any(p.artifacts.meta_value(t) for t in _MOBILE_TAGS) for p in pages)
    for page in pages:
        art = page.artifacts
        assert art is not None
        problems: list[Text] = []
        viewport = art.meta_value("viewport")
        if viewport is None:
            problems.append(Text("没有 <meta name=\"viewport\">", "no <meta name=\"viewport\">"))
        elif not re.search(r"width\s*=|initial-scale\s*=", viewport, re.I):
            problems.append(Text(f"viewport“{viewport}”没有设置 width 或 initial-scale",
                                 f"viewport \"{viewport}\" sets neither width nor initial-scale"))
        if separate and not any(art.meta_value(t) for t in _MOBILE_TAGS):
            problems.append(Text("网站有移动版，但本页没有 mobile-agent / applicable-device 声明",
                                 "the site has a mobile version, but this page declares no mobile-agent / "
                                 "applicable-device"))
        if problems:
            yield Finding(MOBILE.id, page.url, Text("；".join(p.zh for p in problems), "; ".join(p.en for p in problems)),
                          {"viewport": viewport, "separate_mobile_site": separate})


MOBILE = Rule(
    id="mobile-missing", category="content", severity="warning", scope="page",
    title=Text("页面适配移动设备", "Pages are mobile-ready"),
    failure=Text("页面没有移动适配声明", "Page lacks mobile declarations"),
    why=Text("大多数群众用手机搜索办事信息；百度移动搜索优先展示适配手机的页面。没有 viewport 的页面在手机上按电脑宽度缩小显示，"
             "有独立移动站的网站还需用 mobile-agent 或 applicable-device 告诉百度对应关系。",
             "Most citizens search on phones and Baidu mobile favours mobile-ready pages. Without a viewport the "
             "page is shrunk to desktop width; sites with a separate mobile site must map pages with mobile-agent "
             "or applicable-device."),
    fix=Text("在页面模板 <head> 中加入 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">，"
             "采用响应式布局；有独立移动站的，在电脑版页面加 <meta name=\"mobile-agent\" content=\"format=html5;url=移动版网址\">。",
             "Add <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"> and a responsive layout; "
             "with a separate mobile site, add <meta name=\"mobile-agent\" content=\"format=html5;url=…\">."),
    source="BD", check=check_mobile,
)


# ---------------------------------------------------------------- lang-missing
def check_lang(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        if page.artifacts is not None and not page.artifacts.lang:
            yield Finding(LANG.id, page.url, Text("<html> 没有 lang 属性", "<html> has no lang attribute"), None)


LANG = Rule(
    id="lang-missing", category="content", severity="notice", scope="page",
    title=Text("页面声明语言", "Page declares its language"),
    failure=Text("html 元素缺少 lang 属性", "The html element lacks a lang attribute"),
    why=Text("lang 属性让搜索引擎和读屏软件确定页面语言，读屏软件据此选择中文发音；GB/T 37668 无障碍要求也包含此项。",
             "lang tells engines and screen readers the page's language so Chinese is read correctly; GB/T 37668 "
             "accessibility requires it."),
    fix=Text("在页面模板中把 <html> 改为 <html lang=\"zh-CN\">。", "Use <html lang=\"zh-CN\"> in the page templates."),
    source="LH, GB/T 37668", check=check_lang, local=True,
)


# ---------------------------------------------------------------- charset-mismatch
_META_CHARSET = re.compile(r"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def _as_written(body: bytes, fallback: str) -> str:
    """The charset as the page's <meta> writes it (w3lib reports gb2312 as gb18030)."""
    match = _META_CHARSET.search(body[:4096].decode("latin-1"))
    return match.group(1).lower() if match else fallback


def check_charset(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.all_pages():
        record = page.record
        if page.artifacts is None or page.status != 200:
            continue
        header, meta, detected = record.charset_header, record.charset_meta, record.charset_detected
        problems = charset_problems(header, meta, detected)
        if not problems:
            continue
        if meta:
            meta = _as_written(site.body(page), meta)     # the body is read only for pages that fire
        if problems[0][0] == "none":
            message = Text(f"网页是 {detected} 编码，却没有声明字符集", f"{detected} bytes without any charset declaration")
        else:
            shown = [(where, meta if where == "meta" else value) for where, value in problems]
            where = "、".join(f"{'HTTP 头' if w == 'header' else '<meta>'}声明 {v}" for w, v in shown)
            message = Text(f"{where}，但网页实际编码是 {detected}",
                           f"{', '.join(f'{w} declares {v}' for w, v in shown)} but the bytes are {detected}")
        yield Finding(CHARSET.id, page.url, message, {"header": header, "meta": meta, "detected": detected})


CHARSET = Rule(
    id="charset-mismatch", category="indexability", severity="warning", scope="page",
    title=Text("字符集声明与实际编码一致", "Declared charset matches the bytes"),
    failure=Text("字符集声明与实际编码不符", "Declared charset disagrees with the bytes"),
    why=Text("搜索引擎按声明的字符集解码；声明错误或缺失时，中文会被解成乱码，标题和正文都无法被正确收录和检索。",
             "Engines decode by the declared charset; a wrong or missing declaration turns Chinese into mojibake "
             "that cannot be indexed or searched."),
    fix=Text("统一使用 UTF-8 保存和发布页面，并在 HTTP 头 Content-Type 和 <meta charset=\"utf-8\"> 中如实声明；"
             "旧的 GBK 页面要么转码，要么把声明改为 gbk。",
             "Save and serve pages as UTF-8 and declare it in the Content-Type header and <meta charset>; convert "
             "legacy GBK pages or declare gbk truthfully."),
    source="—", check=check_charset, local=True,
)

# CHARSET is registered apart, after the indexability rules of rendering.py (catalogue order).


RULES = [MOBILE, LANG, CHARSET]
