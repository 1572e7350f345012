"""Fixes written for a web editor, one per reason a service is hard to find, with a suggested title."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from audits.findability import Assessment
from audits.model import Text
from audits.rules import RULES_BY_ID
from audits.site import Site
from audits.synonyms import Synonyms


def suggested_title(site: Site, a: Assessment, synonyms: Synonyms) -> str:
    """页面名_栏目名_站点名 (Baidu's pattern), the everyday word added in brackets after its official term."""
    name = a.service.name
    for everyday in a.everyday_missing[:1]:
        if everyday in name:          # the name (an ArticleTitle) has it, the title does not: the name will do
            break
        for official in synonyms.officials_for(everyday):
            if official in name:
                name = name.replace(official, f"{official}（{everyday}）", 1)
                break
        else:
            name = f"{name}（{everyday}）"
    page = a.service.page
    column = page.artifacts.meta_value("columnname") if page is not None and page.artifacts else None
    parts = [name + "办事指南", column, site.name]
    return "_".join(p for p in parts if p)


def _worst_query(a: Assessment) -> tuple[str, int | None] | None:
    ranked = [(q.text, q.position) for q in a.queries if q.position is None or q.position > 3]
    return ranked[0] if ranked else None


def fix_for(rule_id: str, site: Site, a: Assessment, synonyms: Synonyms) -> Text:
    page = a.service.page
    path = urlsplit(a.service.url).path
    if rule_id == "service-vocabulary-gap" and a.everyday_missing:
        words = "、".join(f"“{w}”" for w in a.everyday_missing[:3])
        title = suggested_title(site, a, synonyms)
        return Text(f"标题缺少群众常用词{words}；建议标题：{title}",
                    f"the title lacks the everyday word(s) {', '.join(a.everyday_missing[:3])}; suggested title: "
                    f"{title}")
    if rule_id == "service-search-rank" and _worst_query(a):
        query, position = _worst_query(a)
        where = f"排第 {position} 位" if position else "前 10 名中找不到本页"
        return Text(f"在站内模拟搜索“{query}”时{where}；在标题和 H1 开头写出事项全称“{a.service.name}”，"
                    f"并在描述中写明办理对象和常用说法",
                    f"a site search for \"{query}\" ranks it {position or 'outside the top 10'}; start the title and "
                    f"H1 with the full service name")
    if rule_id == "robots-blocked":
        return Text(f"修改 robots.txt，删除覆盖 {path} 的 Disallow 规则（检查 User-agent: Baiduspider 分组）",
                    f"edit robots.txt: remove the Disallow covering {path} (check the Baiduspider group)")
    if rule_id == "engine-blocked":
        return _engine_fix(site, a.service.url)
    if rule_id == "noindex":
        return Text("删除页面中的 noindex（<meta name=\"robots\"> 或 X-Robots-Tag 响应头）",
                    "remove noindex from <meta name=\"robots\"> and the X-Robots-Tag header")
    if rule_id == "canonical-problem":
        return Text(f"把 <link rel=\"canonical\"> 改为本页自己的地址 {a.service.url}",
                    f"point <link rel=\"canonical\"> at the page itself: {a.service.url}")
    if rule_id == "http-error":
        status = page.status if page is not None else None
        what = f"返回 HTTP {status}" if status else "无法抓取"
        return Text(f"本页{what}：恢复页面，或把旧地址 301 重定向到新地址并更新站内链接",
                    f"the page {'answers HTTP ' + str(status) if status else 'cannot be fetched'}: restore it or "
                    f"301-redirect it and update internal links")
    if rule_id == "js-only-link" and page is not None:
        sources = [site.urls[s][0] for s in site.script_only.get(page.id, []) if s in site.urls]
        where = sources[0] if sources else site.home
        return Text(f"在 {where} 的网页源代码中用普通链接 <a href=\"{a.service.url}\"> 指向本页"
                    f"（现在只有脚本生成这个链接），并把本页列入网站地图",
                    f"link to the page with a plain <a href=\"{a.service.url}\"> in the raw HTML of {where} (today only "
                    f"a script builds that link), and list it in the sitemap")
    if rule_id == "deep-page" and page is not None and page.depth is not None:
        return Text(f"本页距首页 {page.depth} 次点击：在首页“热门服务”、部门页或主题页增加直达链接",
                    f"{page.depth} clicks from home: link it from popular services, department or topic pages")
    if rule_id == "title-missing" or rule_id == "title-generic" or rule_id == "title-pattern":
        title = suggested_title(site, a, synonyms)
        return Text(f"建议标题：{title}", f"suggested title: {title}")
    rule = RULES_BY_ID.get(rule_id)
    return rule.fix if rule is not None else Text(rule_id, rule_id)


def _engine_fix(site: Site, url: str) -> Text:
    """What Baiduspider got for the guide (its stored engine view) and how to let it through."""
    view = next((v for v in site.engine_views.get(url, []) if v["engine"] == "Baiduspider"), None)
    status = view.get("status") if view else None
    got = f"HTTP {status}" if status is not None else "无响应"
    got_en = f"HTTP {status}" if status is not None else "no answer"
    marker = ((view or {}).get("markers") or [None])[0]
    if marker:
        got, got_en = f"{got}（{marker}）", f"{got_en} ({marker})"
    return Text(f"网关对百度蜘蛛（Baiduspider）返回 {got}{'' if marker else ' '}而不是本页：在 WAF/反爬网关中按 User-Agent 放行搜索引擎爬虫，"
                "并以反向 DNS 核验其 IP（*.baidu.com、*.baidu.jp）",
                f"the gateway answers Baiduspider with {got_en} instead of the page: let search engine crawlers "
                "through the WAF/anti-bot gateway by User-Agent, verified by reverse DNS (*.baidu.com, *.baidu.jp)")


def service_fixes(site: Site, a: Assessment, synonyms: Synonyms) -> list[dict[str, Any]]:
    result = []
    for rule_id in a.reasons:
        text = fix_for(rule_id, site, a, synonyms)
        result.append({"rule": rule_id, "fix": text.zh, "fix_en": text.en})
    return result
