"""description-missing (no meta description, or an empty one), description-duplicate and description-length."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site
from audits.text.width import display_width


def check_missing(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        descriptions = page.artifacts.descriptions if page.artifacts else []
        if not descriptions:
            message = Text("页面没有 meta description", "the page has no meta description")
        elif not any(descriptions):
            message = Text("meta description 为空", "the meta description is empty")
        else:
            continue
        yield Finding(MISSING.id, page.url, message, {"descriptions": descriptions})


MISSING = Rule(
    id="description-missing", category="content", severity="warning", scope="page",
    title=Text("页面有描述", "Page has a meta description"),
    failure=Text("页面缺少描述（meta description）", "Page has no meta description"),
    why=Text("百度和谷歌常用 meta description 作为搜索结果的摘要；缺少时，摘要从正文随机截取，往往是导航或版权文字。",
             "Engines use the description as the result snippet; without it they cut text from the page, often "
             "navigation or the footer."),
    fix=Text("用一两句话（约 40～80 个汉字）概括本页办理的事项或内容，写入 <meta name=\"description\">。",
             "Summarise the page in one or two sentences in <meta name=\"description\">."),
    source="BD, LH", check=check_missing, local=True,
)


def _description(page: Any) -> str:
    descriptions = page.artifacts.descriptions if page.artifacts else []
    return descriptions[0] if descriptions else ""


def check_duplicate(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    limit = int(params["max_evidence"])
    for text, urls in site.shared_values(_description):
        for url in urls:
            others = [u for u in urls if u != url]
            yield Finding(DUPLICATE.id, url,
                          Text(f"描述与其他 {len(others)} 个页面相同", f"description shared with {len(others)} other page(s)"),
                          {"description": text[:200], "others": others[:limit], "count": len(others)})


DUPLICATE = Rule(
    id="description-duplicate", category="content", severity="notice", scope="page",
    title=Text("页面描述各不相同", "Meta descriptions are unique"),
    failure=Text("多个页面使用相同描述", "Several pages share one meta description"),
    why=Text("百度用描述生成搜索结果摘要；多个页面共用同一段描述（常见于模板默认值），摘要就无法说明各页的具体内容，"
             "还会被当作重复页面。",
             "Baidu builds the result snippet from the description; a template default shared by many pages "
             "says nothing about each page and makes them look like duplicates."),
    fix=Text("删除模板中的默认描述，改为每个页面单独填写：文章取导语，办事指南概括“办理什么、谁可以办、怎么办”。",
             "Drop the template default and write one per page: the lead paragraph for articles, what/who/how "
             "for service guides."),
    source="BD", check=check_duplicate, params={"max_evidence": 10},
)


def check_length(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    low, high = int(params["min_width"]), int(params["max_width"])
    for page in site.html_pages():
        text = _description(page)
        if not text:
            continue     # description-missing
        width = display_width(text)
        if width < low:
            message = Text(f"描述宽度 {width}（约 {width // 2} 个汉字），少于 {low}，不足以概括页面",
                           f"description width {width} is below {low}")
        elif width > high:
            message = Text(f"描述宽度 {width}（约 {width // 2} 个汉字），超过 {high}，搜索结果中会被截断",
                           f"description width {width} exceeds {high}: truncated in results")
        else:
            continue
        yield Finding(LENGTH.id, page.url, message,
                      {"description": text[:200], "width": width, "min": low, "max": high})


LENGTH = Rule(
    id="description-length", category="content", severity="notice", scope="page",
    title=Text("描述长度适中", "Meta description length fits results"),
    failure=Text("描述过长或过短", "Meta description too long or too short"),
    why=Text("百度搜索结果的摘要约显示 50～80 个汉字；过短的描述说不清页面内容，过长的会被截断，关键信息可能看不到。",
             "Baidu shows about 50-80 CJK characters of snippet; a short description says too little and a long "
             "one is cut off."),
    fix=Text("把描述控制在 20～80 个汉字，把事项名称、办理对象等关键信息放在前面。",
             "Keep descriptions between 20 and 80 CJK characters with the key facts first."),
    source="BD", check=check_length, params={"min_width": 40, "max_width": 160}, local=True,
)

RULES = [MISSING, DUPLICATE, LENGTH]
