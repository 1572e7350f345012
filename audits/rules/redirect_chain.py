"""redirect-chain: reaching the final URL takes 2+ redirects, or the redirects loop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Page, Site


def follow(site: Site, start: Page, limit: int = 30) -> tuple[list[dict[str, Any]], bool]:
    """The redirect hops from ``start`` (each {url, status, location}) and whether they loop."""
    hops: list[dict[str, Any]] = []
    seen: set[int] = set()
    page: Page | None = start
    while page is not None and page.record.location and page.status and 300 <= page.status < 400:
        if page.id in seen:
            return hops, True
        seen.add(page.id)
        hops.append({"url": page.url, "status": page.status, "location": page.record.location})
        if len(hops) > limit:
            break
        page = site.page(page.record.location)
    return hops, False


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    max_hops = int(params["max_hops"])
    for page in site.all_pages():
        if not (page.status and 300 <= page.status < 400):
            continue
        via = site.urls[page.id][2]
        if via == "redirect":
            continue   # reported from the URL that starts the chain
        hops, loop = follow(site, page)
        if loop:
            yield Finding(RULE.id, page.url, Text(f"重定向形成循环（{len(hops)} 跳）",
                                                   f"redirects loop ({len(hops)} hops)"),
                          {"hops": hops, "loop": True})
        elif len(hops) >= max_hops:
            yield Finding(RULE.id, page.url, Text(f"经过 {len(hops)} 次重定向才到达最终页面",
                                                   f"{len(hops)} redirects before the final page"),
                          {"hops": hops, "loop": False, "final": hops[-1]["location"]})


RULE = Rule(
    id="redirect-chain", category="indexability", severity="warning", scope="url",
    title=Text("重定向一步到位", "Redirects go straight to the target"),
    failure=Text("多次重定向或重定向循环", "Redirect chain or loop"),
    why=Text("多级重定向拖慢访问并消耗爬虫抓取配额，循环重定向让页面永远无法打开和收录。",
             "Chains slow visitors and waste crawl budget; a loop means the page never opens or gets indexed."),
    fix=Text("让旧网址直接 301 到最终地址，并把站内链接改为最终地址；消除循环。",
             "301 old URLs straight to the final address, link to the final address, and break loops."),
    source="SF", check=check, params={"max_hops": 2}, local=True,
)
