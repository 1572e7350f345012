"""js-only-link: a page that only links built by scripts reach (found with ``--render``).

The crawler records each link of a page's rendered DOM that its raw HTML lacks with the tag ``script``
(crawler/render_hook.py). A page is reachable only through scripts when every link to it from another page
has that tag, no raw HTML links to it (nor a redirect, canonical or frame), it is not a start URL and no
sitemap lists it: an engine that reads HTML never learns that it exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    if not site.render_enabled:
        return
    starts = set(site.start_urls)
    for target, sources in sorted(site.script_only.items()):
        page = site.pages.get(target)
        if page is None or page.in_sitemap or page.url in starts:
            continue
        urls = [site.urls[s][0] for s in sources if s in site.urls]
        yield Finding(RULE.id, page.url,
                      Text(f"只有脚本生成的链接指向本页（{len(urls)} 个页面的脚本），网页源代码和网站地图中都没有",
                           f"only links that scripts create lead here (scripts on {len(urls)} pages); no raw HTML "
                           "and no sitemap links to it"),
                      {"script_sources": urls, "in_sitemap": False})


RULE = Rule(
    id="js-only-link", category="indexability", severity="error", scope="page",
    title=Text("页面可以通过网页源代码中的链接到达", "Page is reachable through links in the HTML"),
    failure=Text("页面只能通过脚本生成的链接到达", "Page is reachable only through links that scripts create"),
    why=Text("百度蜘蛛基本不执行脚本，只跟踪网页源代码里的 <a href> 链接。只由脚本（点击事件、接口数据拼出的菜单）"
             "生成的链接它看不到，这样的页面就不会被发现和收录，群众也就搜不到。",
             "Baiduspider runs little JavaScript and follows the <a href> links of the raw HTML. Links that only "
             "scripts build (click handlers, menus assembled from API data) are invisible to it, so the page is "
             "never discovered or indexed."),
    fix=Text("在栏目页或导航的网页源代码中用普通 <a href=\"...\"> 链接到本页（服务器端输出），并把它列入网站地图。",
             "Link to the page with a plain <a href=\"...\"> in the server-rendered HTML of its column or "
             "navigation, and list it in the sitemap."),
    source="BD, G, SF", check=check,
    judges=lambda site: len(site.pages) if site.render_enabled else 0,
)
