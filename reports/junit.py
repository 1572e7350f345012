"""JUnit XML of a `govseo check` (GitLab CI test reports, Jenkins junit, GitHub test-reporter actions).

Three suites: ``govseo.site`` (one testcase, the site score), ``govseo.rules`` (one testcase per asserted rule,
i.e. each rule whose level is warn or error; it fails when the rule has new findings at level error) and
``govseo.services`` (one testcase per service, current or gone; it fails on a score drop beyond
``max-service-drop``, a new gate failure, a score below ``min-service-score`` or the service's absence).
Failure messages name the URLs; warnings go to ``system-out``. Crawled text is stripped of characters
XML 1.0 cannot hold, and ElementTree escapes the rest.

The scorecard's headline and its top fixes (each said once, with its impact) ride along without changing what
passes or fails: as ``<properties>`` of ``govseo.site`` (``headline``, ``fix.1`` ... ``fix.5``, for tools) and
in the ``system-out`` of its ``site-score`` testcase (what GitLab, Jenkins and GitHub show a reader).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections import defaultdict

from common.fileio import atomic_open
from reports.check import CheckReport, Item, clean_text, item_line
from reports.fixes import TOP_FIXES, check_headline, fix_sentence, read_fixes

_SERVICE_KINDS = ("score-drop", "new-gate", "min-service-score", "missing-service")
_MAX_URLS = 20
_FIX_WORDS = {"zh": {"first": "先修复这些：", "template": "［网站模板］", "target": "涉及网址：", "more": "另有 {n} 项，见 fixes.csv"},
              "en": {"first": "Fix these first:", "template": "[site template]", "target": "about: ",
                     "more": "{n} more in fixes.csv"}}


def junit_tree(report: CheckReport, lang: str = "zh") -> ET.Element:
    """The ``<testsuites>`` element of the check."""
    by_rule: dict[str, list[Item]] = defaultdict(list)
    by_service: dict[str, list[Item]] = defaultdict(list)
    site: list[Item] = []
    for item in report.items:
        if item.kind in _SERVICE_KINDS:
            by_service[item.key].append(item)
        elif item.kind == "new-finding" or (item.kind == "rule-error" and report.rule_levels.get(item.rule,
                                                                                                   "off") != "off"):
            by_rule[item.rule].append(item)
        else:
            site.append(item)
    root = ET.Element("testsuites", name="govseo check")
    suite = _suite(root, "govseo.site")
    before = "—" if report.site_before is None else f"{report.site_before:g}"
    after = "—" if report.site_after is None else f"{report.site_after:g}"
    said = _fixes(suite, report, lang)
    _case(suite, "site-score", "\n".join([f"{before} -> {after} {clean_text(report.site_url)}", *said]), site, lang)
    suite = _suite(root, "govseo.rules")
    for rule, level in sorted(report.rule_levels.items()):
        if level != "off":
            _case(suite, rule, f"level {level}", by_rule.get(rule, []), lang)
    suite = _suite(root, "govseo.services")
    for delta in report.services:
        name = f"{clean_text(delta.name)} {clean_text(delta.url, 2000)}".strip()
        scores = f"{_num(delta.before)} -> {_num(delta.after)}"
        _case(suite, name, scores, by_service.get(delta.key, []), lang)
    for attr in ("tests", "failures"):
        root.set(attr, str(sum(int(s.get(attr, "0")) for s in root)))
    root.set("errors", "0")
    return root


def write_junit(report: CheckReport, path: str | os.PathLike[str], lang: str = "zh") -> None:
    """Write the JUnit XML atomically (UTF-8, with an XML declaration)."""
    tree = ET.ElementTree(junit_tree(report, lang))
    ET.indent(tree)
    with atomic_open(path) as handle:
        tree.write(handle, encoding="unicode", xml_declaration=True)
        handle.write("\n")


def _fixes(suite: ET.Element, report: CheckReport, lang: str) -> list[str]:
    """Adds the headline and the top fixes to ``suite`` as properties; returns them as lines for system-out."""
    lang = "en" if lang == "en" else "zh"
    words = _FIX_WORDS[lang]
    said = check_headline(report, lang)
    headline = clean_text(said["text"], 2000) + (f" ({clean_text(said['note'])})" if said["note"] else "")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="headline", value=headline)
    read = read_fixes({"fixes": report.fixes}, TOP_FIXES)
    fixes = read.kept
    lines = [headline]
    if fixes:
        lines.append(words["first"])
    for number, fix in enumerate(fixes, 1):
        text = clean_text(fix_sentence(fix, lang), 1000) + (" " + words["template"] if fix["template"] else "")
        if fix["target"]:
            text += f" {words['target']}{clean_text(fix['target'], 2000)}"
        ET.SubElement(properties, "property", name=f"fix.{number}", value=text)
        lines.append(f"{number}. {text}")
    if read.total > TOP_FIXES:
        lines.append(words["more"].format(n=read.total - TOP_FIXES))
    return lines


def _suite(root: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=name, tests="0", failures="0", errors="0", skipped="0")


def _case(suite: ET.Element, name: str, info: str, items: list[Item], lang: str) -> None:
    case = ET.SubElement(suite, "testcase", name=name, classname=suite.get("name", ""))
    failures = [i for i in items if i.level == "error"]
    if failures:
        urls = list(dict.fromkeys(clean_text(i.url, 2000) for i in failures if i.url))
        shown = ", ".join(urls[:_MAX_URLS]) + (f" (+{len(urls) - _MAX_URLS})" if len(urls) > _MAX_URLS else "")
        kinds = ", ".join(dict.fromkeys(i.kind for i in failures))
        failure = ET.SubElement(case, "failure", type=failures[0].kind,
                                message=f"{kinds}: {shown}" if shown else kinds)
        failure.text = "\n".join(item_line(i, lang) for i in failures)
        suite.set("failures", str(int(suite.get("failures", "0")) + 1))
    warnings = [item_line(i, lang) for i in items if i.level != "error"]
    ET.SubElement(case, "system-out").text = "\n".join([info, *warnings])
    suite.set("tests", str(int(suite.get("tests", "0")) + 1))


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
