"""Pure robots.txt checks: per-engine allow/deny verdicts (protego) and a line validator.

Verdicts (``evaluate``) go through protego, which selects each engine's own group the RFC 9309 way:
the most specific matching ``User-agent`` group wins, groups naming the same agent are merged, and
``*`` applies only when no group names the engine; inside the group the longest matching rule wins
and ``Allow`` wins ties. Where protego departs from RFC 9309 / Google's reference parser:

* Group names are matched as a case-insensitive substring of the engine name that starts at a word
  boundary, not as whole-token equality. So ``User-agent: Baidu`` applies to Baiduspider and
  ``User-agent: google`` to Googlebot (Google's parser would ignore both groups), and for
  "Sogou web spider" the groups ``Sogou``, ``web`` and ``spider`` all apply (the longest wins).
  ``User-agent: spider`` does not apply to 360Spider (no boundary before "spider").
* Google keeps only the leading ``[A-Za-z_-]`` characters of a ``User-agent`` value, so it reads
  ``Baiduspider+`` as ``Baiduspider``; protego does not, and that group does not apply.
* RFC 9309 product tokens are letters, ``-`` and ``_`` only: "360Spider" (digits) and
  "Sogou web spider" (spaces) are not valid tokens. protego still matches them as written.
* protego tolerates typos (``Dissallow``, ``User agent``) and missing colons (``Disallow /x``) the way
  Google does. ``validate`` still reports them, since other engines may not be as lenient.

Decoding (crawler/robots.py, the crawl's own reading, so the crawl and the audit agree on the same bytes):
UTF-8, one leading BOM removed, invalid bytes replaced. Google reads robots.txt only as UTF-8 and ignores
content past 500 KiB; ``evaluate`` does the same for every engine (the cut is made at the last line break
before the limit, so no half rule is read).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from crawler import robots
from crawler.robots import decode

ENGINES = {"Baiduspider": "百度", "Googlebot": "谷歌", "360Spider": "360搜索", "Sogou web spider": "搜狗"}

MAX_BYTES = robots.MAX_BYTES      # Google: content after 500 KiB is ignored
MAX_LINE_ISSUES = 100             # per-line issues reported at most (a 10,000-line mistake is one story)
PROBE_ORIGIN = "http://robots.invalid"

# Directives known to be read by some crawler (after Lighthouse's safelist): the standard ones,
# Yandex's host/clean-param, and several read in the wild.
KNOWN_DIRECTIVES = frozenset({
    "user-agent", "allow", "disallow", "sitemap",
    "crawl-delay", "host", "clean-param",
    "request-rate", "visit-time", "noindex", "content-signal", "license",
})
RULE_DIRECTIVES = frozenset({"allow", "disallow"})
# Misspellings Google's parser (and protego) still accept; reported with a hint.
TYPOS = {"useragent": "user-agent", "user agent": "user-agent", "dissallow": "disallow",
         "dissalow": "disallow", "disalow": "disallow", "diasllow": "disallow", "disallaw": "disallow",
         "sitemaps": "sitemap", "site-map": "sitemap", "crawl delay": "crawl-delay"}

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HTML_TAG = re.compile(rb"<\s*(?:!doctype|html|head|body|title|meta|script|div|p|br|link|style)\b", re.I)


@dataclass(frozen=True)
class RobotsIssue:
    line: int | None          # 1-based line number, None for file-level issues
    code: str
    message_zh: str
    message_en: str
    text: str                 # the offending line (or a short description of the file)


# ---------------------------------------------------------------------------- decoding and verdicts
def parse(body: bytes) -> Protego:
    """The protego parser for ``body`` as Google reads it (UTF-8, first 500 KiB): crawler/robots.py, the
    crawl's own reading."""
    return robots.parse(body)


def evaluate(body: bytes, url: str, agent: str) -> bool:
    """May ``agent`` (an ENGINES key such as "Baiduspider") fetch ``url`` under this robots.txt?"""
    return parse(body).can_fetch(url, agent)


def blocked_all(body: bytes, agent: str) -> bool:
    """Is ``agent`` disallowed from the site root ``/``?"""
    return not evaluate(body, PROBE_ORIGIN + "/", agent)


# ---------------------------------------------------------------------------- validation
def _issue(line: int | None, code: str, text: str, zh: str, en: str) -> RobotsIssue:
    return RobotsIssue(line, code, zh, en, text)


def looks_html(body: bytes, content_type: str | None) -> bool:
    """An HTML page (error page, home page, login wall) served as robots.txt."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n\x00")
    lowered = head.lower()
    if lowered.startswith((b"<!doctype", b"<html")):
        return True
    is_html_type = bool(content_type) and "text/html" in content_type.lower()
    if head.startswith(b"<") or is_html_type:
        return _HTML_TAG.search(head) is not None
    return False


def _encoding_issue(body: bytes) -> RobotsIssue | None:
    """UTF-16 or binary bytes (file-level), or non-UTF-8 bytes outside comments (line-level)."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body[:1024]:
        what = "UTF-16 BOM" if body[:2] in (b"\xff\xfe", b"\xfe\xff") else "NUL bytes"
        return _issue(None, "not-utf8", what,
                      "robots.txt 不是 UTF-8 文本（UTF-16 或二进制），搜索引擎读不懂其中的规则",
                      "robots.txt is not UTF-8 text (UTF-16 or binary); engines cannot read its rules")
    for line_no, line in enumerate(re.split(rb"\r\n|\r|\n", body), start=1):
        try:
            line.split(b"#", 1)[0].decode("utf-8")
        except UnicodeDecodeError as exc:
            return _issue(line_no, "not-utf8", decode(line)[:120],
                          "robots.txt 含有非 UTF-8 字节（如 GBK 编码的中文路径），搜索引擎可能误读这一行",
                          "robots.txt has non-UTF-8 bytes (e.g. a GBK-encoded path); engines may misread this "
                          f"line (byte {exc.start + 1})")
    return None


def _check_value(directive: str, value: str, line_no: int, raw: str) -> RobotsIssue | None:
    if directive == "user-agent" and not value:
        return _issue(line_no, "empty-user-agent", raw, "User-agent 没有写爬虫名称",
                      "User-agent names no crawler")
    if directive in RULE_DIRECTIVES:
        if value and value[0] not in "/*":
            return _issue(line_no, "bad-pattern", raw,
                          f"{directive} 的路径必须以“/”或“*”开头（不能写完整网址或相对路径）",
                          f"{directive} path must start with '/' or '*' (not a full URL or relative path)")
        if "$" in value[:-1]:
            return _issue(line_no, "bad-pattern", raw, "“$”只能出现在路径末尾，表示网址到此结束",
                          "'$' may only end a pattern (it anchors the end of the URL)")
    if directive == "sitemap":
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return _issue(line_no, "bad-sitemap", raw, "Sitemap 必须写成以 http:// 或 https:// 开头的完整网址",
                          "Sitemap must be an absolute http:// or https:// URL")
    if directive == "crawl-delay":
        try:
            delay = float(value)
        except ValueError:
            delay = math.nan
        if not math.isfinite(delay) or delay < 0:
            return _issue(line_no, "bad-crawl-delay", raw, "Crawl-delay 的值必须是秒数（数字）",
                          "Crawl-delay must be a number of seconds")
    return None


def _check_line(raw: str, line_no: int, in_group: bool) -> tuple[RobotsIssue | None, str | None]:
    """(issue, directive) for one line; directive is None for blank/comment/unreadable lines."""
    line = raw.split("#", 1)[0].strip()
    if not line:
        return None, None
    if ":" not in line:
        return _issue(line_no, "no-colon", raw, "这一行缺少冒号，应写成“指令: 值”（谷歌能容忍，其他搜索引擎未必）",
                      "line has no colon; write 'Directive: value' (Google tolerates this, others may not)"), None
    name, value = line.split(":", 1)
    directive, value = name.strip().lower(), value.strip()
    if directive not in KNOWN_DIRECTIVES:
        hint = TYPOS.get(directive)
        if directive in ("http", "https"):
            zh, en = "这一行是网址而不是指令，是否漏写了“Sitemap:”？", "a bare URL, not a directive: missing 'Sitemap:'?"
        elif hint:
            zh = f"未知指令“{name.strip()}”，应为“{hint}”（拼写错误：谷歌能容忍，其他搜索引擎未必）"
            en = f"unknown directive '{name.strip()}'; did you mean '{hint}'? (Google tolerates the typo, other engines may not)"
        else:
            zh = f"未知指令“{name.strip()}”，搜索引擎会忽略这一行"
            en = f"unknown directive '{name.strip()}'; engines ignore the line"
        return _issue(line_no, "unknown-directive", raw, zh, en), None
    issue = _check_value(directive, value, line_no, raw)
    if issue is None and directive in RULE_DIRECTIVES and not in_group:
        issue = _issue(line_no, "rule-before-user-agent", raw,
                       f"{directive} 规则前面没有 User-agent 行，搜索引擎会忽略它",
                       f"{directive} rule before any User-agent line; engines ignore it")
    return issue, directive


def validate(body: bytes, status: int | None, content_type: str | None) -> list[RobotsIssue]:
    """Problems in a robots.txt response. Error statuses (4xx/5xx) and empty files have none here:
    a missing or unavailable robots.txt is the robots-txt-missing rule's business."""
    if (status is not None and status >= 400) or not body.strip():
        return []
    issues: list[RobotsIssue] = []
    if len(body) > MAX_BYTES:
        issues.append(_issue(None, "too-large", f"{len(body)} bytes",
                             f"robots.txt 有 {len(body) // 1024} KiB，超过 500 KiB，谷歌会忽略超出部分的规则",
                             f"robots.txt is {len(body) // 1024} KiB; Google ignores everything after 500 KiB"))
    if looks_html(body, content_type):
        first = decode(body[:400]).strip().splitlines() or [""]
        issues.append(_issue(1, "html", first[0][:120],
                             "robots.txt 返回的是 HTML 网页而不是纯文本规则，搜索引擎读不到任何规则",
                             "robots.txt serves an HTML page instead of plain-text rules; engines find no rules"))
        return issues
    encoding = _encoding_issue(body)
    if encoding is not None:
        issues.append(encoding)
        if encoding.line is None:      # UTF-16: the lines are unreadable as UTF-8
            return issues
    in_group = False
    line_issues = 0
    for line_no, raw in enumerate(_LINE_BREAK.split(decode(robots.truncate(body))), start=1):
        issue, directive = _check_line(raw, line_no, in_group)
        if directive == "user-agent":
            in_group = True
        if issue is not None and line_issues < MAX_LINE_ISSUES:
            issues.append(issue)
            line_issues += 1
    return issues


# ---------------------------------------------------------------------------- Baidu specifics
def _names_baiduspider(agent: str) -> bool:
    """Does a group's User-agent value apply to Baiduspider the way protego matches it?"""
    agent = agent.replace("*", "")
    return bool(agent) and "baiduspider".startswith(agent)


def baidu_notes(body: bytes) -> list[RobotsIssue]:
    """Things that read differently for Baiduspider than a webmaster may expect.

    * Crawl-delay: Baidu's webmaster platform announced in 2012 that Baiduspider does not honour
      Crawl-delay and that crawl pressure is set in its 抓取频次 tool instead (announcement as quoted
      by third parties; Baidu's own page could not be checked offline).
    * A ``User-agent: Baiduspider`` group replaces the ``*`` group for Baiduspider (RFC 9309 group
      selection): rules written only under ``*`` do not apply to it.
    """
    notes: list[RobotsIssue] = []
    groups: list[list[str]] = []          # user-agent names of each group, in order
    rules_in: set[int] = set()            # indexes of groups holding allow/disallow rules
    prev_agent = False
    for line_no, raw in enumerate(_LINE_BREAK.split(decode(robots.truncate(body))), start=1):
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        name, value = (part.strip() for part in line.split(":", 1))
        directive = name.lower()
        if directive == "user-agent":
            if not prev_agent or not groups:
                groups.append([])
            groups[-1].append(value.lower())
        elif directive in RULE_DIRECTIVES and groups and value:
            rules_in.add(len(groups) - 1)
        elif directive == "crawl-delay" and not any(n.code == "crawl-delay" for n in notes):
            notes.append(_issue(line_no, "crawl-delay", raw,
                                "百度已公告不执行 Crawl-delay；如需限制百度抓取频率，请在百度搜索资源平台的抓取频次工具中设置",
                                "Baidu announced that Baiduspider ignores Crawl-delay; set its crawl rate in "
                                "Baidu's webmaster platform instead"))
        if directive not in ("sitemap", "host"):
            prev_agent = directive == "user-agent"
    baidu_group = any(_names_baiduspider(agent) for group in groups for agent in group)
    star_rules = any(i in rules_in for i, g in enumerate(groups) if "*" in g)
    if baidu_group and star_rules:
        notes.append(_issue(None, "baidu-own-group", "User-agent: Baiduspider",
                            "文件有单独的 User-agent: Baiduspider 分组，百度只执行该分组，“*”分组中的规则对百度无效",
                            "there is a Baiduspider group, so Baiduspider obeys only it: rules under '*' do not "
                            "apply to Baiduspider"))
    return notes
