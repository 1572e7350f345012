"""Markdown summary of a `govseo check`, for a merge-request / pull-request comment.

Crawled text is hostile: it is stripped of control characters, HTML-escaped and Markdown-escaped, ``@`` is
broken so a page cannot mention anyone, and URLs go into code spans with `` ` `` and ``|`` percent-encoded.
Long lists are cut at ``limit`` rows so the comment stays far below the 65,536-character limits.
"""

from __future__ import annotations

import html
import os
import re
from typing import Any

from common.fileio import atomic_open
from reports.check import CheckReport, clean_text, item_text
from reports.fixes import TOP_FIXES, check_headline, fix_text, impact_text, read_fixes

_LABELS: dict[str, dict[str, str]] = {
    "zh": {"passed": "✅ 通过", "failed": "❌ 未通过", "baseline": "基线", "current": "本次", "site": "站点得分",
           "counts": "新增问题 {new} 项 · 已修复 {fixed} 项 · 未变化 {unchanged} 项",
           "no_baseline": "未指定基线：所有问题都按新增计算。", "failures": "失败", "warnings": "警告",
           "new": "新增问题", "fixed": "已修复的问题", "services": "服务得分变化", "level": "级别",
           "rule": "规则", "url": "网址", "message": "说明", "service": "服务", "change": "变化",
           "more": "……另有 {n} 项", "levels": "error=失败 warn=警告 off=不检查", "gone": "消失",
           "fix_first": "先修复这些", "template": "网站模板", "fixes_more": "……另有 {n} 项，见 fixes.csv",
           "lead": "：", "sep": " · "},
    "en": {"passed": "✅ passed", "failed": "❌ failed", "baseline": "baseline", "current": "now", "site": "site score",
           "counts": "{new} new · {fixed} fixed · {unchanged} unchanged findings",
           "no_baseline": "No baseline: every finding counts as new.", "failures": "Failures",
           "warnings": "Warnings", "new": "New findings", "fixed": "Fixed findings",
           "services": "Service score changes", "level": "level", "rule": "rule", "url": "URL",
           "message": "message", "service": "service", "change": "change", "more": "… and {n} more",
           "levels": "error=fails warn=warns off=ignored", "gone": "gone",
           "fix_first": "Fix these first", "template": "site template",
           "fixes_more": "… and {n} more in fixes.csv", "lead": ": ", "sep": " · "},
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~])")


def md(value: Any) -> str:
    """Crawled text as inert Markdown inline text (no HTML, no links, no mentions, no table breaks)."""
    text = html.escape(clean_text(value), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("@", "@\u200b")


def code(url: Any) -> str:
    """A URL as a code span that cannot end early or split a table cell."""
    text = clean_text(url, 2000).replace("`", "%60").replace("|", "%7C").replace(" ", "%20")
    return f"`{text}`" if text else ""


def markdown_summary(report: CheckReport, lang: str = "zh", limit: int = 50) -> str:
    t = _LABELS["en" if lang == "en" else "zh"]
    out = [f"### govseo check: {t['passed'] if report.passed else t['failed']}", ""]
    out += [f"| | {t['baseline']} | {t['current']} |", "|---|---:|---:|",
            f"| {t['site']} | {_num(report.site_before)} | {_num(report.site_after)} |", ""]
    out += _fixes(report, lang, t)
    out.append(t["counts"].format(new=len(report.new), fixed=len(report.fixed), unchanged=len(report.unchanged)))
    if not report.has_baseline:
        out += ["", t["no_baseline"]]
    for key, items in (("failures", report.failures), ("warnings", report.warnings)):
        if items:
            out += ["", f"#### {t[key]} ({len(items)})", ""]
            out += [f"- {item_text(i, lang, md, code)}" for i in items[:limit]]
            out += _more(t, len(items), limit)
    if report.new:
        rows = [[f["level"], md(f["rule"]), code(f["url"]), md(_message(f, lang))] for f in report.new]
        out += _table(t["new"], [t["level"], t["rule"], t["url"], t["message"]], rows, t, limit)
        out += ["", f"<sub>{t['levels']}</sub>"]
    if report.fixed:
        rows = [[md(f["rule"]), code(f["url"]), md(_message(f, lang))] for f in report.fixed]
        out += _table(t["fixed"], [t["rule"], t["url"], t["message"]], rows, t, limit)
    changed = [d for d in report.services if d.change != 0]
    changed.sort(key=lambda d: (d.change is None, d.change or 0))
    if changed:
        rows = [[md(d.name), code(d.url), _num(d.before), _num(d.after) if d.after is not None else t["gone"],
                 "—" if d.change is None else f"{d.change:+g}"] for d in changed]
        out += _table(t["services"], [t["service"], t["url"], t["baseline"], t["current"], t["change"]],
                      rows, t, limit)
    out += ["", f"<sub>govseo {md(report.version)}</sub>" if report.version else ""]
    return "\n".join(out).rstrip() + "\n"


def write_markdown(report: CheckReport, path: str | os.PathLike[str], lang: str = "zh") -> None:
    """Write the Markdown summary atomically (UTF-8)."""
    with atomic_open(path) as handle:
        handle.write(markdown_summary(report, lang))


def _fixes(report: CheckReport, lang: str, t: dict[str, str]) -> list[str]:
    """The headline, then the top fixes: each said once, with its impact, the template mark and its target."""
    lang = "en" if lang == "en" else "zh"
    said = check_headline(report, lang)
    lines = [md(said["text"]) + (f" <sub>{md(said['note'])}</sub>" if said["note"] else ""), ""]
    read = read_fixes({"fixes": report.fixes}, TOP_FIXES)
    fixes = read.kept
    if not fixes:
        return lines
    lines += [f"#### {t['fix_first']}", ""]
    for number, fix in enumerate(fixes, 1):
        impact = impact_text(fix, lang)
        extra = ([t["template"]] if fix["template"] else []) + ([code(fix["target"])] if fix["target"] else [])
        lines.append(f"{number}. **{md(fix_text(fix, lang))}**" + (md(t["lead"] + impact) if impact else "")
                     + "".join(t["sep"] + e for e in extra))
    if read.total > TOP_FIXES:
        lines += ["", t["fixes_more"].format(n=read.total - TOP_FIXES)]
    return [*lines, ""]


def _table(title: str, header: list[str], rows: list[list[str]], t: dict[str, str], limit: int) -> list[str]:
    lines = ["", f"#### {title} ({len(rows)})", "", "| " + " | ".join(header) + " |",
             "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:limit]]
    return lines + _more(t, len(rows), limit)


def _more(t: dict[str, str], n: int, limit: int) -> list[str]:
    return ["", t["more"].format(n=n - limit)] if n > limit else []


def _message(finding: dict[str, Any], lang: str) -> str:
    return (finding.get("message_en") if lang == "en" else None) or finding.get("message") or ""


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
