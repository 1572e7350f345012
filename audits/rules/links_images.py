"""link-text-generic and image-alt-missing: what links and images say to engines and screen readers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Page, Site
from crawler.decode import decode_html
from crawler.extract import parse_html
from crawler.urls import BadURL, normalize

_DECO = "\\s>»》\u203a→+.…·\\-\\[\\]【】()<«《\u2039←:：\"'“”"   # \u203a \u2039: single angle quotes
_DECORATION = re.compile(f"^[{_DECO}]+|[{_DECO}]+$")
_NOT_A_LINK = re.compile(r"^\s*(javascript:|mailto:|tel:|#)", re.I)


@lru_cache(maxsize=8192)        # anchors repeat on every page (navigation)
def core(text: str) -> str:
    """The anchor text folded (NFKC, lower case, one space) without decoration such as >> or [ ]."""
    folded = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()
    return _DECORATION.sub("", folded).replace(" ", "")


def _accessible_name(el: Any) -> str:
    """aria-label, else the text plus the alt of images inside (an <area>: its alt)."""
    label = (el.get("aria-label") or "").strip()
    if label:
        return label
    if el.tag == "area":
        return (el.get("alt") or "").strip()
    alts = " ".join((img.get("alt") or "").strip() for img in el.iter("img"))
    return re.sub(r"\s+", " ", f"{el.text_content()} {alts}").strip()


def generic_links(site: Site, page: Page, keys: set[str]) -> list[dict[str, str]]:
    doc = parse_html(decode_html(site.body(page), page.record.content_type).text)
    if doc is None:
        return []
    base_el = doc.find(".//base[@href]")
    base = page.url
    if base_el is not None:
        try:
            base = normalize(base_el.get("href"), page.url)
        except BadURL:
            pass
    found: dict[tuple[str, str], None] = {}
    for el in doc.iter("a", "area"):
        href = el.get("href")
        if not href or not href.strip() or _NOT_A_LINK.match(href):
            continue
        name = _accessible_name(el)
        if not name or core(name) not in keys:
            continue
        try:
            target = normalize(href, base)
        except BadURL:
            target = href.strip()
        found[(name, target)] = None
    return [{"text": text, "target": target} for text, target in found]


def check_link_text(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    keys = {core(t) for t in params["generic_texts"]}
    limit = int(params["max_evidence"])
    for page in site.html_pages():
        # cheap filter on the stored anchors; the page is parsed only when one looks generic
        if not any(link.tag in ("a", "area") and link.anchor and core(link.anchor) in keys
                   for link in site.outlinks.get(page.id, ())):
            continue
        links = generic_links(site, page, keys)
        if links:
            shown = "、".join(f"“{x['text']}”" for x in links[:3])
            yield Finding(LINK_TEXT.id, page.url,
                          Text(f"{len(links)} 个链接的文字不说明去向：{shown}",
                               f"{len(links)} link(s) with generic text: {', '.join(x['text'] for x in links[:3])}"),
                          {"links": links[:limit], "count": len(links)})


LINK_TEXT = Rule(
    id="link-text-generic", category="content", severity="notice", scope="page",
    title=Text("链接文字说明去向", "Link texts are descriptive"),
    failure=Text("链接文字笼统（“更多”“点击这里”等）", "Generic link text (more, click here…)"),
    why=Text("搜索引擎用链接文字理解目标页面的内容，“更多”“点击这里”不提供任何信息；读屏软件用户逐个听链接时也无法分辨去向"
             "（WCAG F84）。",
             "Engines use anchor text to understand the target; 更多 or click here says nothing, and screen "
             "reader users cannot tell links apart (WCAG F84)."),
    fix=Text("把链接文字改为目标内容的名称，例如“更多>>”改为“更多个人办事指南”，“点击这里下载”改为“下载2026年下半年招聘岗位表（XLS）”。",
             "Name the target in the link: 更多个人办事指南 instead of 更多>>, the file's name instead of 点击这里."),
    source="LH, WCAG F84", check=check_link_text,
    params={"max_evidence": 10,
            "generic_texts": ["更多", "更多>>", "更多>", "更多+", "查看更多", "了解更多", "点击这里", "点击此处", "点击进入",
                              "点击查看", "点击", "点此", "详情", "查看详情", "详细", "进入", ">>", "》》", "这里", "此处",
                              "链接", "more", "more>>", "click here", "click", "read more", "learn more", "here",
                              "details", "link"]}, local=True,
)


def check_alt(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    limit = int(params["max_evidence"])
    for page in site.html_pages():
        missing = [src for src, alt in (page.artifacts.images if page.artifacts else []) if alt is None]
        if missing:
            yield Finding(ALT.id, page.url,
                          Text(f"{len(missing)} 张图片没有 alt 属性", f"{len(missing)} image(s) without an alt attribute"),
                          {"images": list(dict.fromkeys(missing))[:limit], "count": len(missing)})


ALT = Rule(
    id="image-alt-missing", category="content", severity="notice", scope="page",
    title=Text("图片有替代文字（alt）", "Images have alt text"),
    failure=Text("图片缺少 alt 属性", "Images without alt"),
    why=Text("搜索引擎靠 alt 理解图片内容，图片搜索也依赖它；读屏软件遇到没有 alt 的图片只能读出文件名，"
             "不符合《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668）。",
             "Engines and image search read alt to understand images; screen readers fall back to the file name "
             "(GB/T 37668, WCAG 1.1.1)."),
    fix=Text("为每张有内容的图片填写简短的 alt，说明图片内容（如“市政务服务中心办事大厅”）；纯装饰图片写 alt=\"\"。",
             "Give every meaningful image a short alt describing it; mark decorative images with alt=\"\"."),
    source="LH", check=check_alt, params={"max_evidence": 10}, local=True,
)

RULES = [LINK_TEXT, ALT]
