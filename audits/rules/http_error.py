"""http-error: a crawled URL answers 4xx/5xx or fails (timeout, DNS, TLS, refused)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site

ERROR_NAMES = {
    "timeout": Text("请求超时", "timed out"),
    "dns": Text("域名解析失败", "DNS lookup failed"),
    "tls": Text("TLS/证书错误", "TLS error"),
    "refused": Text("连接被拒绝", "connection refused"),
    "reset": Text("连接中断", "connection reset"),
    "too-large": Text("响应超过大小上限", "response over the size limit"),
    "other": Text("请求失败", "request failed"),
}


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.all_pages():
        record = page.record
        if record.status is not None and record.status < 400:
            continue
        if record.status is not None:
            message = Text(f"返回 HTTP {record.status}", f"answers HTTP {record.status}")
        else:
            name = ERROR_NAMES.get(record.error or "other", ERROR_NAMES["other"])
            message = Text(f"无法访问：{name.zh}", f"unreachable: {name.en}")
        yield Finding(RULE.id, page.url, message,
                      {"status": record.status, "error": record.error, "detail": record.error_detail})


RULE = Rule(
    id="http-error", category="indexability", severity="error", scope="url",
    title=Text("网址可正常访问", "URLs answer successfully"),
    failure=Text("网址返回错误或无法访问", "URL answers an error or cannot be reached"),
    why=Text("返回 4xx/5xx 或无法连接的网址不会被搜索引擎收录，已收录的也会被删除；群众点开即是错误页。",
             "Search engines drop URLs that answer 4xx/5xx or cannot be reached; citizens land on an error."),
    fix=Text("恢复页面，或将旧网址 301 重定向到新地址，并修改站内指向它的链接。",
             "Restore the page or 301-redirect the old URL to its new address, and fix internal links to it."),
    source="LH, SF", check=check, local=True,
)
