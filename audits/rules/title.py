"""title-missing and title-duplicate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site


def check_missing(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        titles = page.artifacts.titles if page.artifacts else []
        if not titles:
            message = Text("页面没有 <title>", "the page has no <title>")
        elif len(titles) > 1:
            message = Text(f"页面有 {len(titles)} 个 <title>", f"the page has {len(titles)} <title> elements")
        elif not titles[0]:
            message = Text("<title> 为空", "the <title> is empty")
        else:
            continue
        yield Finding(MISSING.id, page.url, message, {"titles": titles})


MISSING = Rule(
    id="title-missing", category="content", severity="error", scope="page",
    title=Text("页面有唯一的标题", "Page has one title"),
    failure=Text("页面缺少标题或有多个标题", "Page title missing, empty or repeated"),
    why=Text("标题是百度和谷歌搜索结果中最醒目的内容，也是排序最重要的依据；没有标题，搜索结果只能显示网址或猜测的文字。",
             "The title is the headline of a search result and a main ranking signal; without one, engines show "
             "the URL or guess."),
    fix=Text("每个页面设置且只设置一个 <title>，按“页面名称_栏目名称_网站名称”的格式填写。",
             "Give every page exactly one <title>, formatted page name_column_site name."),
    source="LH, BD", check=check_missing, local=True,
)


def check_duplicate(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    limit = int(params["max_evidence"])
    for title, urls in site.shared_values(lambda page: page.artifacts.title if page.artifacts else None):
        for url in urls:
            others = [u for u in urls if u != url]
            yield Finding(DUPLICATE.id, url,
                          Text(f"标题“{title}”与其他 {len(others)} 个页面相同",
                               f"title \"{title}\" is shared with {len(others)} other page(s)"),
                          {"title": title, "others": others[:limit], "count": len(others)})


DUPLICATE = Rule(
    id="title-duplicate", category="content", severity="warning", scope="page",
    title=Text("页面标题各不相同", "Page titles are unique"),
    failure=Text("多个页面使用相同标题", "Several pages share one title"),
    why=Text("标题相同的页面在搜索结果里无法区分，百度会把它们当作重复内容，只收录或展示其中之一。",
             "Pages with one title look alike in results; Baidu treats them as duplicates and shows one."),
    fix=Text("为每个页面写出反映其自身内容的标题，例如在站点名前加上页面名称和栏目名称。",
             "Write a title that names each page's own content, e.g. page name and column before the site name."),
    source="BD", check=check_duplicate, params={"max_evidence": 10},
)

RULES = [MISSING, DUPLICATE]
