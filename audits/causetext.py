"""The words of result.json ``fixes`` (audits/causes.py): what causes a group of findings and the one
change that removes it, in zh-CN and English, naming the element, URL or robots.txt line.

Each maker takes the group's key (what audits/causes.py grouped by) and returns (cause, fix).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from audits.model import Text
from audits.rules import RULES_BY_ID

KIND_NAMES = {"home": ("首页", "home page"), "column": ("栏目页", "column page"),
              "article": ("文章页", "article page"), "service": ("办事指南页", "service guide page"),
              "other": ("其他页面", "other page")}
LONG = 200          # characters of a crawled URL or value quoted in a text


def clip(value: str) -> str:
    return value if len(value) <= LONG else value[:LONG] + "…"


def where(types: list[str] | None) -> Text:
    """"网站模板" for the whole site, else the page types' template(s)."""
    if not types:
        return Text("网站模板", "the site template")
    zh = "、".join(KIND_NAMES.get(t, (t, t))[0] for t in types)
    en = ", ".join(KIND_NAMES.get(t, (t, t))[1] for t in types)
    return Text(f"{zh}模板", f"the {en} template{'s' if len(types) > 1 else ''}")


def _noindex(key: str, at: Text) -> tuple[Text, Text]:
    elements = [clip(e) for e in key.split("\n") if e]
    meta = [e for e in elements if e.startswith("<meta")]
    header = [e for e in elements if not e.startswith("<meta")]
    cause_zh, cause_en, fix_zh, fix_en = [], [], [], []
    if meta:
        tags = " ".join(meta)
        cause_zh.append(f"{at.zh}中的 {tags}")
        cause_en.append(f"{tags} in {at.en}")
        fix_zh.append(f"删除{at.zh}中的 {tags}")
        fix_en.append(f"remove {tags} from {at.en}")
    if header:
        cause_zh.append(f"服务器发送的 {header[0]} 响应头")
        cause_en.append(f"the {header[0]} response header the server sends")
        fix_zh.append(f"在网站服务器（或 CMS）配置中删除 {header[0]} 响应头")
        fix_en.append(f"remove the {header[0]} header from the web server (or CMS) configuration")
    return Text("；".join(cause_zh), "; ".join(cause_en)), Text("；".join(fix_zh), "; ".join(fix_en))


def _missing(element: str, add_zh: str, add_en: str, empty: str | None = None) -> Callable[[str, Text], tuple[Text, Text]]:
    def make(key: str, at: Text) -> tuple[Text, Text]:
        if key == "empty" and empty:
            return (Text(f"{at.zh}中的 {element} 内容为空", f"the {element} in {at.en} is empty"),
                    Text(f"让{at.zh}中的 {element} {empty}", f"make {element} in {at.en} carry each page's own text"))
        return (Text(f"{at.zh}缺少 {element}", f"{at.en} lacks {element}"),
                Text(f"在{at.zh}{add_zh}", f"{add_en} in {at.en}"))
    return make


def _h1(key: str, at: Text) -> tuple[Text, Text]:
    if key == "several":
        return (Text(f"{at.zh}输出了多个不同的 <h1>", f"{at.en} outputs several different <h1>"),
                Text(f"{at.zh}只保留一个 <h1>（页面标题），网站名称等改用其他标签",
                     f"keep one <h1> (the page's heading) in {at.en}; use other tags for the site name"))
    return (Text(f"{at.zh}缺少 <h1>", f"{at.en} lacks an <h1>"),
            Text(f"在{at.zh}中用 <h1> 输出每个页面的标题", f"output each page's heading as <h1> in {at.en}"))


def _viewport(key: str, at: Text) -> tuple[Text, Text]:
    good = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    if key:
        tag = f'<meta name="viewport" content="{clip(key)}">'
        return (Text(f"{at.zh}中的 {tag}", f"{tag} in {at.en}"),
                Text(f"把{at.zh}中的 viewport 改为 {good}", f"change the viewport in {at.en} to {good}"))
    return (Text(f"{at.zh}缺少 <meta name=\"viewport\">", f"{at.en} lacks <meta name=\"viewport\">"),
            Text(f"在{at.zh}的 <head> 中加入 {good}", f"add {good} to the <head> of {at.en}"))


def _canonical(key: str, at: Text) -> tuple[Text, Text]:
    tag = f'<link rel="canonical" href="{clip(key)}">'
    return (Text(f"{at.zh}中写死的 {tag}", f"the fixed {tag} in {at.en}"),
            Text(f"让{at.zh}中的 <link rel=\"canonical\"> 输出每个页面自己的完整网址，而不是固定的 {clip(key)}",
                 f"make <link rel=\"canonical\"> in {at.en} output each page's own absolute URL, not {clip(key)}"))


def _gov_meta(key: str, at: Text) -> tuple[Text, Text]:
    names = key.split(",")
    return (Text(f"{at.zh}缺少网页设计规范要求的 meta 标签：{'、'.join(names)}",
                 f"{at.en} lacks the 网页设计规范 meta tags {', '.join(names)}"),
            Text(f"在{at.zh}的 <head> 中加入 meta 标签 {'、'.join(names)}，由 CMS 按页面填写",
                 f"add the meta tags {', '.join(names)} to the <head> of {at.en}, filled in by the CMS"))


def _gov_value(key: str, at: Text) -> tuple[Text, Text]:
    rows = [line.split("\t") for line in key.split("\n")]
    tags = " ".join(f'<meta name="{tag}" content="{clip(value)}">' for tag, value, _ in rows)
    zh = "；".join(f"{tag} 应为 {clip(expected)}" for tag, _, expected in rows)
    en = "; ".join(f"{tag} should be {clip(expected)}" for tag, _, expected in rows)
    return (Text(f"{at.zh}中的 {tags}（{zh}）", f"{tags} in {at.en} ({en})"),
            Text(f"在{at.zh}中改正站点标签的取值：{zh}", f"correct the site tags in {at.en}: {en}"))


def _date(key: str, at: Text) -> tuple[Text, Text]:
    return (Text(f"{at.zh}不显示发布日期，也不输出 <meta name=\"PubDate\">",
                 f"{at.en} shows no publish date and outputs no <meta name=\"PubDate\">"),
            Text(f"在{at.zh}的正文标题下显示发布日期，并在 <head> 中输出 <meta name=\"PubDate\" content=\"…\">，"
                 "由 CMS 的发布时间生成",
                 f"show the publish date under the headline in {at.en} and output <meta name=\"PubDate\" "
                 "content=\"…\"> from the CMS publish time"))


TEMPLATE_TEXT: dict[str, Callable[[str, Text], tuple[Text, Text]]] = {
    "noindex": _noindex,
    "title-missing": _missing("<title>", "中用 <title> 输出每个页面的标题", "output each page's <title>",
                              "输出每个页面自己的标题"),
    "description-missing": _missing('<meta name="description">',
                                    '的 <head> 中加入 <meta name="description" content="…">，由每个页面的摘要生成',
                                    'add <meta name="description" content="…"> made from each page\'s summary',
                                    "输出每个页面自己的摘要"),
    "h1-missing": _h1,
    "lang-missing": _missing('<html lang="zh-CN">', '的 <html> 标签上加 lang="zh-CN"', 'add lang="zh-CN" to <html>'),
    "mobile-missing": _viewport,
    "canonical-problem": _canonical,
    "gov-meta-missing": _gov_meta,
    "gov-meta-invalid": _gov_value,
    "publish-date-missing": _date,
}


def template_text(rule: str, key: str, types: list[str] | None) -> tuple[Text, Text]:
    return TEMPLATE_TEXT[rule](key, where(types))


def broken_text(target: str, detail: dict[str, Any], at: Text | None) -> tuple[Text, Text]:
    status = detail.get("status")
    answer_zh = f"返回 HTTP {status}" if status else f"无法访问（{clip(str(detail.get('error') or '无响应'))}）"
    answer_en = f"answers HTTP {status}" if status else f"cannot be fetched ({clip(str(detail.get('error') or 'no answer'))})"
    url = clip(target)
    inside_zh, inside_en = (f"{at.zh}中", f" in {at.en}") if at is not None else ("", "")
    return (Text(f"{inside_zh}指向 {url} 的链接（该地址{answer_zh}）", f"links{inside_en} to {url} (it {answer_en})"),
            Text(f"修复或删除{inside_zh}指向 {url} 的链接；页面已迁移的，把 {url} 301 重定向到新地址",
                 f"fix or remove the links{inside_en} to {url}; if the page moved, 301-redirect {url} to its new "
                 "address"))


def robots_text(causes: list[dict[str, Any]], robots_url: str) -> tuple[Text, Text]:
    said = [f"User-agent: {clip(str(c['group']))} 分组的 {clip(str(c['rule']))}（第 {c['line']} 行）" for c in causes]
    said_en = [f"{clip(str(c['rule']))} in the User-agent: {clip(str(c['group']))} group (line {c['line']})"
               for c in causes]
    engines = "、".join(sorted({str(e) for c in causes for e in c.get("engines") or [c["engine"]]}))
    return (Text(f"{robots_url} 中 {'；'.join(said)}禁止 {engines} 抓取",
                 f"{'; '.join(said_en)} of {robots_url} blocks {engines}"),
            Text(f"修改 robots.txt：删除或收窄 {'；'.join(said)}，只屏蔽后台、搜索结果等不需要收录的路径",
                 f"edit robots.txt: remove or narrow {'; '.join(said_en)}; block only admin and search-result paths"))


def affected(pages: int, services: int) -> tuple[str, str]:
    """"37 个办事指南" / "37 service guides", or pages when no service is among them."""
    what_zh = f"{services} 个办事指南" if services else f"{pages} 个页面"
    if services and pages > services:
        what_zh += f"等 {pages} 个页面"
    what_en = f"{services} service guide{'s' if services != 1 else ''}" if services else \
        f"{pages} page{'s' if pages != 1 else ''}"
    if services and pages > services:
        what_en += f" ({pages} pages in all)"
    return what_zh, what_en


def script_text(rule: str, detail: dict[str, Any], pages: int, services: int) -> tuple[Text, Text]:
    """js-dependent-content pages that share a loading script and a folder; js-only-link pages that one page's
    script links, by folder."""
    what_zh, what_en = affected(pages, services)
    where = clip(str(detail.get("where") or "/"))
    script = clip(str(detail["script"])) if detail.get("script") else None
    if rule == "js-only-link":
        source = script or "站内页面"
        source_en = script or "the site's pages"
        return (Text(f"只有 {source} 上的脚本生成指向 {where} 下 {what_zh}的链接，网页源代码和网站地图中都没有",
                     f"only the scripts on {source_en} build the links to {what_en} under {where}; no raw HTML or "
                     "sitemap links to them"),
                Text(f"在 {source} 的网页源代码中用普通 <a href> 直接链接这些页面（服务器端输出），并把它们列入网站地图",
                     f"link these pages with plain <a href> in the server-rendered HTML of {source_en} and list "
                     "them in the sitemap"))
    by_zh = f"脚本 {script}" if script else "脚本"
    by_en = f"the script {script}" if script else "scripts"
    return (Text(f"{where} 下 {what_zh}的正文由{by_zh}{' ' if script else ''}在浏览器中加载，网页源代码中没有",
                 f"{by_en} load{'s' if script else ''} the main text of {what_en} under {where} in the browser; "
                 "the raw HTML lacks it"),
            Text(f"让 CMS 在服务器端把 {where} 下这些页面的正文直接输出到 HTML 中（服务端渲染或静态化发布），"
                 f"{by_zh}{' ' if script else ''}只用于交互增强",
                 f"have the CMS write the main text of these pages under {where} into the HTML on the server "
                 f"(server rendering or static publishing); keep {by_en} for enhancement only"))


_ENGINE_ANSWER = {"challenge": ("挑战页", "challenge"), "status": ("错误状态", "error status"),
                  "redirect": ("跳转", "redirect"), "unreachable": ("无响应", "no answer"),
                  "different-page": ("另一个页面", "different page")}


def engine_text(detail: dict[str, Any], pages: int, services: int) -> tuple[Text, Text]:
    """engine-blocked pages that share the engines, the marker and a folder: "网关对 Baiduspider 返回 412 挑战（$_ts）：
    /bsfw/ 下 37 个办事指南"."""
    engines = [clip(str(e)) for e in detail.get("engines") or []]
    status, marker = detail.get("status"), detail.get("marker")
    zh, en = _ENGINE_ANSWER.get(str(detail.get("reason")), ("异常响应", "unexpected answer"))
    answer_zh = (f"{status} " if status else "") + zh + (f"（{clip(str(marker))}）" if marker else "")
    answer_en = (f"a {status} " if status else "a ") + en + (f" ({clip(str(marker))})" if marker else "")
    prefix = clip(str(detail.get("prefix") or "/"))
    what_zh, what_en = affected(pages, services)
    return (Text(f"网关对 {'、'.join(engines)} 返回 {answer_zh}：{prefix} 下 {what_zh}",
                 f"the gateway answers {', '.join(engines)} with {answer_en}: {what_en} under {prefix}"),
            Text(f"在 WAF/反爬网关中为 {prefix} 放行 {'、'.join(engines)}：按 User-Agent 识别并以反向 DNS 核验其 IP，"
                 "不要对搜索引擎爬虫返回挑战页",
                 f"let {', '.join(engines)} through the WAF/anti-bot gateway on {prefix}: recognise the User-Agent, "
                 "verify the IP by reverse DNS, and never serve search engine crawlers a challenge"))


def redirect_text(rule: str, target: str) -> tuple[Text, Text]:
    url = clip(target)
    if rule == "meta-refresh":
        return (Text(f"用 meta refresh 跳转到 {url} 的页面", f"pages that meta-refresh to {url}"),
                Text(f"把跳转到 {url} 的 meta refresh 改为服务器端 301 重定向，并把站内链接直接改为 {url}",
                     f"replace the meta refresh to {url} with a server-side 301 and link straight to {url}"))
    return (Text(f"经过多次重定向才到达 {url} 的网址", f"URLs that reach {url} only after several redirects"),
            Text(f"让这些旧网址直接 301 重定向到 {url}，并把站内链接直接改为 {url}",
                 f"301-redirect these old URLs straight to {url} and link straight to {url}"))


def rule_text(rule_id: str) -> tuple[Text, Text]:
    rule = RULES_BY_ID.get(rule_id)
    if rule is None:
        return Text(rule_id, rule_id), Text(rule_id, rule_id)
    return rule.failure, rule.fix
