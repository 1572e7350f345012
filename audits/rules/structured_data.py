"""structured-data-invalid: a JSON-LD block that is empty, not JSON, or holds an object without @type."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site

_WRAPPER = re.compile(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$")


def jsonld_problems(raw: str) -> list[str]:
    text = _WRAPPER.sub("", raw).strip()
    if not text:
        return ["empty JSON-LD block"]
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [f"not valid JSON: {exc}"[:160]]
    items = data if isinstance(data, list) else [data]
    problems = []
    for item in items:
        if not isinstance(item, dict):
            problems.append("an entry is not an object")
            continue
        graph = item.get("@graph")
        nodes = graph if isinstance(graph, list) else [item]
        for node in nodes:
            if not isinstance(node, dict):
                problems.append("a @graph entry is not an object")
            elif not node.get("@type"):
                problems.append("an object has no @type")
    return problems


def check_jsonld(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        found = [{"block": i + 1, "problem": p} for i, raw in enumerate(page.artifacts.json_ld if page.artifacts else [])
                 for p in jsonld_problems(raw)]
        if found:
            yield Finding(JSONLD.id, page.url,
                          Text(f"结构化数据（JSON-LD）有 {len(found)} 处错误：{found[0]['problem']}",
                               f"{len(found)} JSON-LD problem(s): {found[0]['problem']}"), {"problems": found[:10]})


JSONLD = Rule(
    id="structured-data-invalid", category="content", severity="warning", scope="page",
    title=Text("结构化数据有效", "Structured data is valid"),
    failure=Text("结构化数据（JSON-LD）无效", "Invalid JSON-LD structured data"),
    why=Text("搜索引擎只使用能解析且标明类型（@type）的结构化数据；格式错误的 JSON-LD 会被整体忽略，页面得不到富摘要展示。",
             "Engines only use structured data that parses and names its @type; broken JSON-LD is ignored "
             "entirely and the page gets no rich result."),
    fix=Text("用谷歌富媒体搜索结果测试或 schema.org 校验工具检查 JSON-LD，修正语法错误，并为每个对象填写 @type（如 GovernmentService、NewsArticle）。",
             "Validate the JSON-LD (Rich Results Test, schema.org validator), fix syntax errors and give every "
             "object an @type such as GovernmentService or NewsArticle."),
    source="G", check=check_jsonld, local=True,
)


RULES = [JSONLD]
