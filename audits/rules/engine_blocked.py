"""engine-blocked: the site answers a search engine's crawler (its real User-Agent) with an error, an
anti-bot challenge or another page, where the crawl got the page (judged in audits/engineviews.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.engineviews import blocked_views, marker_of
from audits.model import Finding, Rule, Text
from audits.site import Site

_REASONS = {
    "challenge": ("反爬挑战页", "an anti-bot challenge"),
    "status": ("错误状态码", "an error status"),
    "redirect": ("跳转到其他地址", "a redirect elsewhere"),
    "unreachable": ("无响应", "no answer"),
    "different-page": ("与浏览器不同的页面", "a different page"),
}


def _view(view: dict[str, Any]) -> dict[str, Any]:
    return {"engine": view["engine"], "status": view.get("status"), "reason": view["reason"],
            "markers": view.get("markers") or [], "final_url": view.get("final_url"), "size": view.get("size"),
            "title": view.get("title"), "text_length": view.get("text_length"), "error": view.get("error")}


def check(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for url, (crawl, views) in sorted(blocked_views(site).items()):
        engines = [v["engine"] for v in views]
        first = views[0]
        marker = marker_of(views)
        status = first.get("status")
        got_zh = f"HTTP {status}" if status is not None else "无响应"
        got_en = f"HTTP {status}" if status is not None else "no answer"
        if marker:
            got_zh += f"（{marker}）"
            got_en += f" ({marker})"
        zh, en = _REASONS[first["reason"]]
        yield Finding(RULE.id, url,
                      Text(f"{'、'.join(engines)} 得到{zh}：{got_zh}；govseo 抓取时为 HTTP {crawl.status}",
                           f"{', '.join(engines)} got {en}: {got_en}; the crawl got HTTP {crawl.status}"),
                      {"engines": engines, "status": status, "marker": marker, "reason": first["reason"],
                       "views": [_view(v) for v in views],
                       "crawl": {"status": crawl.status, "size": crawl.size, "title": crawl.title,
                                 "text_length": crawl.text_length, "markers": list(crawl.markers)}})


RULE = Rule(
    id="engine-blocked", category="indexability", severity="error", scope="url",
    title=Text("搜索引擎爬虫得到与浏览器相同的页面", "Search engine crawlers get the same page as a browser"),
    failure=Text("网关拦截搜索引擎爬虫", "A gateway blocks search engine crawlers"),
    why=Text("许多政府网站部署了反爬网关（瑞数、知道创宇、阿里云 WAF 等），它们常对百度蜘蛛等搜索引擎爬虫返回 412/403/521 "
             "状态码和脚本挑战页（$_ts、__jsl_clearance、acw_sc__v2）而不是页面本身，搜索引擎因此无法收录。"
             "本项检查用各搜索引擎公布的 User-Agent 重新抓取首页、办事指南和抽样页面；网关还可能核对爬虫的 IP（反向 DNS），"
             "所以这里通过只是必要条件，不是充分条件。",
             "Many government sites sit behind anti-bot gateways (瑞数, 知道创宇, Aliyun WAF) that answer Baiduspider "
             "and other crawlers with a 412/403/521 status and a script challenge ($_ts, __jsl_clearance, acw_sc__v2) "
             "instead of the page, so the page cannot be indexed. The home page, service guides and a sample of pages "
             "are fetched again with each engine's documented User-Agent; a gateway may also check the crawler's IP "
             "address (reverse DNS), so passing here is necessary, not sufficient."),
    fix=Text("在网关（WAF/反爬服务）中把搜索引擎爬虫加入白名单：按 User-Agent 放行，并用反向 DNS 核验其 IP"
             "（如 *.baidu.com、*.googlebot.com），不要对其返回挑战页。",
             "Allow search engine crawlers in the gateway (WAF/anti-bot service): let their User-Agent through, "
             "verified by reverse DNS of the IP (*.baidu.com, *.googlebot.com), and never serve them a challenge."),
    source="BD", check=check, judges=lambda site: sum(1 for views in site.engine_views.values()
                                                      if any(v.get("url_id") is not None for v in views)),
)
