"""description-missing: no meta description, or an empty one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        descriptions = page.artifacts.descriptions if page.artifacts else []
        if not descriptions:
            message = Text("页面没有 meta description", "the page has no meta description")
        elif not any(descriptions):
            message = Text("meta description 为空", "the meta description is empty")
        else:
            continue
        yield Finding(RULE.id, page.url, message, {"descriptions": descriptions})


RULE = Rule(
    id="description-missing", category="content", severity="warning", scope="page",
    title=Text("页面有描述", "Page has a meta description"),
    failure=Text("页面缺少描述（meta description）", "Page has no meta description"),
    why=Text("百度和谷歌常用 meta description 作为搜索结果的摘要；缺少时，摘要从正文随机截取，往往是导航或版权文字。",
             "Engines use the description as the result snippet; without it they cut text from the page, often "
             "navigation or the footer."),
    fix=Text("用一两句话（约 40～80 个汉字）概括本页办理的事项或内容，写入 <meta name=\"description\">。",
             "Summarise the page in one or two sentences in <meta name=\"description\">."),
    source="BD, LH", check=check, local=True,
)
