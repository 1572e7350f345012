"""url-unfriendly: long URLs, session ids, many query parameters, spaces."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from audits.model import Finding, Rule, Text
from audits.site import Site

_SPACE = re.compile(r"%20|\s")


def _session_pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n.lower()) for n in names)
    return re.compile(rf"(?:[;?&/])(?:{alternatives})=", re.I)


def problems(url: str, params: dict[str, Any], session: re.Pattern[str]) -> list[Text]:
    found: list[Text] = []
    parts = urlsplit(url)
    if len(url) > int(params["max_length"]):
        found.append(Text(f"网址长 {len(url)} 个字符（超过 {params['max_length']}）",
                          f"{len(url)} characters long (over {params['max_length']})"))
    match = session.search(url)
    if match:
        name = match.group(0).strip(";?&/=")
        found.append(Text(f"网址中带有会话标识 {name}", f"carries a session id ({name})"))
    count = len(parse_qsl(parts.query, keep_blank_values=True))
    if count >= int(params["max_query_params"]):
        found.append(Text(f"有 {count} 个查询参数", f"{count} query parameters"))
    if _SPACE.search(url):
        found.append(Text("网址中含有空格", "contains spaces"))
    return found


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    session = _session_pattern(list(params["session_ids"]))
    for page in site.all_pages():
        found = problems(page.url, params, session)
        if found:
            yield Finding(RULE.id, page.url, Text("；".join(p.zh for p in found), "; ".join(p.en for p in found)),
                          {"length": len(page.url), "problems": [p.en for p in found]})


RULE = Rule(
    id="url-unfriendly", category="content", severity="notice", scope="url",
    title=Text("网址简短规范", "URLs are short and clean"),
    failure=Text("网址过长或不规范", "URL is long or unfriendly"),
    why=Text("过长、带会话标识或很多参数的网址会让同一页面出现多个地址，搜索引擎抓取时容易遗漏或重复收录；"
             "带空格的网址在转发和复制时容易断开。",
             "Long URLs, session ids and many parameters create many addresses for one page, so engines miss or "
             "duplicate it; spaces break when the link is copied or shared."),
    fix=Text("让内容管理系统生成静态化的短网址（如 /bsfw/grbs/202609/t20260915_2002.html），不要把会话标识写入网址，"
             "去掉不影响内容的参数，文件名中不用空格。",
             "Have the CMS publish short static URLs, keep session ids out of URLs, drop parameters that do not "
             "change the content and avoid spaces in file names."),
    source="SF", check=check,
    params={"max_length": 115, "max_query_params": 3,
            "session_ids": ["jsessionid", "phpsessid", "sid", "sessionid", "aspsessionid", "sessid", "cfid", "cftoken"]}, local=True,
)

RULES = [RULE]
