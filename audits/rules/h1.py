"""h1-missing: no <h1>, or several differing ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        h1s = [h for h in (page.artifacts.h1s if page.artifacts else []) if h]
        if not h1s:
            message = Text("页面没有 <h1> 主标题", "the page has no <h1>")
        elif len(set(h1s)) > 1:
            message = Text(f"页面有 {len(set(h1s))} 个不同的 <h1>", f"the page has {len(set(h1s))} different <h1>")
        else:
            continue
        yield Finding(RULE.id, page.url, message, {"h1": h1s[:10]})


RULE = Rule(
    id="h1-missing", category="content", severity="warning", scope="page",
    title=Text("页面有一个主标题（H1）", "Page has one H1"),
    failure=Text("页面缺少主标题（H1）或有多个不同的 H1", "Page has no H1, or several different ones"),
    why=Text("H1 告诉搜索引擎和读屏软件这一页讲什么；办事指南的事项名称应当是页面唯一的 H1。",
             "The H1 tells engines and screen readers what the page is about; a service guide's name should be "
             "its one H1."),
    fix=Text("把页面名称（如事项名称、文章标题）放在唯一的 <h1> 中，栏目名和站点名不要用 <h1>。",
             "Put the page's own name in a single <h1>; don't use <h1> for the site or column name."),
    source="SF", check=check, local=True,
)
