"""robots-blocked: robots.txt disallows the URL for Baiduspider or Googlebot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.robotsmatch import BlockingRules
from audits.site import Site
from crawler.urls import origin

CHECKED_STATES = frozenset({"done", "blocked", "queued"})


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    finders: dict[str, BlockingRules | None] = {}
    for uid, (url, state, _via) in site.urls.items():
        if state not in CHECKED_STATES or not site.scope.on_site(url):
            continue
        page = site.pages.get(uid)
        if page is not None and page.artifacts is None and page.status == 200:
            continue   # attachments and images are not pages to rank
        engines = site.blocked_for(url)
        if engines:
            host = origin(url)
            if host not in finders:
                row = site.robots.get(host)
                finders[host] = BlockingRules(row["body"] or b"") if row is not None else None
            finder = finders[host]
            causes = [c for c in (finder.cause(url, e) for e in engines) if c] if finder is not None else []
            yield Finding(RULE.id, url,
                          Text(f"robots.txt 禁止 {'、'.join(engines)} 抓取此网址",
                               f"robots.txt disallows {', '.join(engines)}"),
                          {"engines": engines, "rules": causes})


RULE = Rule(
    id="robots-blocked", category="indexability", severity="error", scope="url",
    title=Text("搜索引擎可以抓取", "Search engines may crawl the URL"),
    failure=Text("robots.txt 禁止搜索引擎抓取", "robots.txt blocks search engines"),
    why=Text("百度蜘蛛（Baiduspider）和谷歌（Googlebot）各按自己的 robots.txt 分组执行；被禁止抓取的页面无法正常收录。",
             "Baiduspider and Googlebot each obey their own robots.txt group; disallowed pages cannot be indexed "
             "properly."),
    fix=Text("修改 robots.txt，删除覆盖该网址的 Disallow 规则（注意 User-agent: Baiduspider 分组不会继承 * 分组）。",
             "Edit robots.txt to remove the Disallow covering the URL (a Baiduspider group does not inherit *)."),
    source="BD, RFC", check=check,
)
