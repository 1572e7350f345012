"""docs/rules.md, generated from the rule metadata (`python -m audits.docs > docs/rules.md`)."""

from __future__ import annotations

import sys

from audits.model import CATEGORIES, Rule

CATEGORY_TITLES = {
    "indexability": ("可收录性", "Crawlability and indexability"),
    "content": ("页面内容", "Page content"),
    "structure": ("站点结构、robots.txt 与网站地图", "Site structure, robots.txt and sitemaps"),
    "gov": ("政府网站规范", "Government website compliance"),
    "findability": ("可找到性", "Findability"),
}
SEVERITY = {"error": "错误 error", "warning": "警告 warning", "notice": "提示 notice"}
JURISDICTION = {"cn-gov": "仅中国政府网站（.gov.cn 域名，或中文网站且有网页设计规范标签等政府网站标志；"
                          "`govseo.toml` `[site] jurisdiction`），其他网站为“不适用” / Chinese government sites only "
                          "(a .gov.cn host, or a Chinese-language site with the 网页设计规范 tags or another government "
                          "mark; `[site] jurisdiction` in `govseo.toml`); elsewhere \"n/a\""}
SCOPE = {"page": "每个页面 / per page", "url": "每个网址 / per URL", "service": "每个办事事项 / per service",
         "site": "全站 / per site"}


def _md(text: str) -> str:
    """Rule texts mention tags such as <title>: escape them so Markdown shows them as text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(rules: list[Rule]) -> str:
    lines = [
        "# govseo 规则目录 / rule catalogue",
        "",
        "<!-- Generated from the rule metadata by `python -m audits.docs > docs/rules.md`; do not edit. -->",
        "",
        "Rule ids are a public contract: CI configs and baselines name them. Each rule can be switched off or "
        "given another severity in `govseo.toml` (`[rules.<id>] severity = \"off\"|\"notice\"|\"warning\"|"
        "\"error\"`), and its parameters, listed below, can be overridden in the same table.",
        "",
    ]
    for category in CATEGORIES:
        members = [r for r in rules if r.category == category]
        if not members:
            continue
        zh, en = CATEGORY_TITLES[category]
        lines += [f"## {zh} / {en} (`{category}`)", "",
                  "| id | 严重程度 severity | 范围 scope | 检查 / check |", "|---|---|---|---|"]
        lines += [f"| [`{r.id}`](#{r.id}) | {SEVERITY[r.severity]} | {SCOPE[r.scope]}"
                  f"{'（仅中国政府网站 / CN gov only）' if r.jurisdiction else ''} | "
                  f"{_cell(r.failure.zh)} / {_cell(r.failure.en)} |" for r in members]
        lines.append("")
        for rule in members:
            lines += [f"### {rule.id}", "", f"**{_md(rule.failure.zh)}** — {_md(rule.failure.en)}", "",
                      f"- 为什么重要：{_md(rule.why.zh)}", f"- Why: {_md(rule.why.en)}",
                      f"- 如何修复：{_md(rule.fix.zh)}", f"- How to fix: {_md(rule.fix.en)}",
                      f"- 依据 / source: {rule.source}"]
            if rule.jurisdiction is not None:
                lines.append(f"- 适用范围 / applies to: {JURISDICTION[rule.jurisdiction]}")
            if rule.params:
                params = ", ".join(f"`{k} = {v!r}`" for k, v in rule.params.items())
                lines.append(f"- 参数 / parameters: {params}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    from audits.rules import ALL_RULES

    sys.stdout.write(render_markdown(ALL_RULES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
