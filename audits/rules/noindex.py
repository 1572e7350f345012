"""noindex: meta robots / baiduspider / googlebot or X-Robots-Tag forbids indexing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from audits.artifacts import ROBOTS_META_NAMES
from audits.model import Finding, Rule, Text
from audits.site import ENGINES, Site

NOINDEX_WORDS = re.compile(r"\b(noindex|none)\b", re.I)      # the meta tags (as written) that say it


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.all_pages():
        art = page.artifacts
        if art is None or page.status != 200:
            continue
        engines = [name for key, name in ENGINES.items() if art.noindex_for(key)]
        if engines:
            header = page.record.header("X-Robots-Tag")
            tags = [f'<meta name="{name}" content="{content}">' for name in ROBOTS_META_NAMES
                    for content in art.meta.get(name, ()) if NOINDEX_WORDS.search(content)]
            yield Finding(RULE.id, page.url,
                          Text(f"页面禁止 {'、'.join(engines)} 收录", f"page forbids indexing by {', '.join(engines)}"),
                          {"engines": engines, "meta": {k: sorted(v) for k, v in art.robots.items()},
                           "x_robots_tag": header or None, "tags": tags})


RULE = Rule(
    id="noindex", category="indexability", severity="error", scope="page",
    title=Text("页面允许搜索引擎收录", "Page allows indexing"),
    failure=Text("页面禁止搜索引擎收录（noindex）", "Page is blocked from indexing (noindex)"),
    why=Text("带 noindex 的页面不会出现在百度或谷歌的搜索结果中，群众搜不到。",
             "A noindex page never appears in Baidu or Google results."),
    fix=Text("删除 meta robots / baiduspider / googlebot 中的 noindex 或 none，以及 X-Robots-Tag 响应头中的 noindex。",
             "Remove noindex/none from meta robots, baiduspider, googlebot and the X-Robots-Tag header."),
    source="LH, G", check=check, local=True,
)
