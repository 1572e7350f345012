"""js-changed-meta: rendering changes what the raw HTML declares (title, meta description, robots, canonical, H1).

An engine that does not run scripts (Baiduspider, mostly) indexes the raw declarations; a browser, and Google
after rendering, see the rendered ones. When they differ the page says two things: the title a citizen sees is
not the one Baidu shows, or a noindex exists in one view only (an error: one engine indexes what another drops).
Judged on the pages the crawl rendered (``--render``); without it the rule has nothing to judge (n/a).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.artifacts import PageArtifacts
from audits.model import Finding, Rule, Text
from audits.rendered import decoded_alike
from audits.rules.noindex import NOINDEX_WORDS as _NOINDEX
from audits.site import ENGINES, Site

FIELDS = ("title", "description", "robots", "canonical", "h1")
_NAMES = {"title": ("标题", "title"), "description": ("描述", "description"), "robots": ("robots", "robots"),
          "canonical": ("规范网址", "canonical"), "h1": ("H1", "H1")}


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _declared(art: PageArtifacts) -> dict[str, Any]:
    return {"title": _first(art.titles), "description": _first(art.descriptions),
            "robots": _meta_noindex(art),
            "canonical": _first(art.canonicals), "h1": _first(art.h1s)}


def _meta_noindex(art: PageArtifacts) -> list[str]:
    """The engines a meta robots tag tells noindex (an X-Robots-Tag header is the same for both views)."""
    return sorted(name for key, name in ENGINES.items()
                  if any(_NOINDEX.search(content) for meta in ("robots", key) for content in art.meta.get(meta, ())))


def changes(raw: PageArtifacts, rendered: PageArtifacts) -> list[dict[str, Any]]:
    """What differs between the two views: [{field, raw, rendered}], robots as the engines told noindex."""
    before, after = _declared(raw), _declared(rendered)
    return [{"field": name, "raw": before[name], "rendered": after[name]}
            for name in FIELDS if before[name] != after[name]]


def rendered_pages(site: Site) -> int:
    return sum(1 for page in site.html_pages() if site.render_status(page) == "ok")


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        if page.artifacts is None or site.render_status(page) != "ok":
            continue
        rendered = site.rendered(page)
        if rendered is None:
            continue
        found = changes(page.artifacts, rendered)
        if not decoded_alike(page.record):      # the browser shows mojibake: charset-mismatch says so
            found = [c for c in found if c["field"] in ("robots", "canonical")]
        if not found:
            continue
        noindex = next((c for c in found if c["field"] == "robots"), None)
        zh = "、".join(_NAMES[c["field"]][0] for c in found)
        en = ", ".join(_NAMES[c["field"]][1] for c in found)
        yield Finding(RULE.id, page.url,
                      Text(f"脚本运行后页面的{zh}与网页源代码不同", f"rendering changes the page's {en}"),
                      {"changes": found}, severity="error" if noindex else None)


RULE = Rule(
    id="js-changed-meta", category="indexability", severity="warning", scope="page",
    title=Text("脚本不改变页面的标题和声明", "Scripts leave the page's declarations alone"),
    failure=Text("脚本改变了页面的标题或声明", "Rendering changes the page's declarations"),
    why=Text("百度基本按网页源代码收录，浏览器和谷歌看到的是脚本运行后的页面。标题、描述、robots、canonical 或 H1 "
             "由脚本改写时，搜索结果显示的和群众看到的不是同一个页面；noindex 只出现在其中一种视图时，一个搜索引擎收录、"
             "另一个却删除。",
             "Baidu mostly indexes the raw HTML; browsers and Google see the rendered page. When a script rewrites the "
             "title, description, robots, canonical or H1, results show one page and citizens another; a noindex in "
             "only one view makes one engine index what another drops."),
    fix=Text("在服务器端直接输出最终的标题、描述、robots、canonical 和 H1，不要用脚本写入或修改它们。",
             "Output the final title, description, robots, canonical and H1 in the server's HTML; do not write or "
             "change them with scripts."),
    source="G, SF", check=check, local=True, judges=rendered_pages,
)

RULES = [RULE]
