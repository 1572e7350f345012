"""How a page delivers its content to a crawler: meta-refresh, canonical-problem, js-dependent-content,
frame-content and attachment-only (charset-mismatch lives with the other declarations in declarations.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from audits.artifacts import LOADING, PageArtifacts
from audits.model import Finding, Rule, Text, pages_of_kind
from audits.pagetype import guide_elements, has_guide_element
from audits.rendered import decoded_alike
from audits.site import Page, Site
from crawler.urls import BadURL, normalize

_ABSOLUTE = re.compile(r"^https?://[^/\s]", re.I)
_CONTENT_SCRIPT = re.compile(r"(^|[/_.-])(guide|bszn|detail|render|loader?|api)([/_.-]|$)", re.I)
# External scripts that do not build a page's content: analytics, site badges and toolbars (党政机关 badge,
# 纠错, 无障碍), sharing buttons and common libraries.
_INERT_SCRIPT = re.compile(
    r"hm\.baidu\.com|/hm\.js|cnzz\.com|umeng|google-analytics|googletagmanager|gtag/js|/ga\.js|/analytics\.js"
    r"|51\.la|tajs\.qq\.com|zz\.bdstatic\.com|/push\.js|conac\.cn|kaipuyun|jiucuo|/wza|aria\.js|/assist|cniil"
    r"|bdshare|share\.baidu|jiathis|clarity\.ms|hotjar|matomo|piwik"
    r"|jquery|bootstrap|/layer(?:\.min)?\.js|swiper|superslide|modernizr|html5shiv|respond(?:\.min)?\.js"
    r"|polyfill|es5-shim|json2|laydate|lazyload", re.I)
_ATTACHMENT_TYPES = ("application/pdf", "application/msword", "application/vnd.ms-", "application/vnd.openxmlformats",
                     "application/wps", "application/vnd.wps", "application/ofd", "image/")


def check_refresh(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.all_pages():
        art = page.artifacts
        if art is None or page.status != 200 or art.refresh is None or art.refresh[1] is None:
            continue
        delay, raw = art.refresh
        try:
            target = normalize(raw, page.url)
        except BadURL:
            target = raw
        if target == page.url:
            continue     # a page that reloads itself is not a redirect
        yield Finding(META_REFRESH.id, page.url,
                      Text(f"页面用 meta refresh 在 {delay:g} 秒后跳转到 {target}",
                           f"the page redirects with meta refresh after {delay:g}s to {target}"),
                      {"target": target, "delay": delay})


META_REFRESH = Rule(
    id="meta-refresh", category="indexability", severity="warning", scope="page",
    title=Text("页面不用 meta refresh 跳转", "No meta refresh redirects"),
    failure=Text("页面用 meta refresh 跳转", "Page redirects with meta refresh"),
    why=Text("搜索引擎对 meta refresh 跳转的处理不稳定：可能收录跳转前的空白页，也可能不把权重传给目标页；"
             "群众点击后还会先看到一个过渡页。",
             "Engines handle meta refresh inconsistently: they may index the empty stub or not pass its weight "
             "on, and visitors see an interstitial first."),
    fix=Text("在服务器上把旧地址配置为 301 永久重定向到新地址，并把站内链接直接改为新地址。",
             "Configure a server-side 301 redirect from the old address and link to the new one directly."),
    source="SF", check=check_refresh, local=True,
)


def _target_problem(site: Site, target: str) -> Text | None:
    """Why a canonical target is not a 200, indexable page (None when fine or unknown)."""
    page = site.page(target)
    if page is None:
        uid = site.ids.get(target)
        if uid is not None and site.urls[uid][1] == "blocked":
            return Text("被 robots.txt 禁止抓取", "blocked by robots.txt")
        return None      # off-site or not crawled: cannot judge
    if page.is_error:
        return Text(f"返回 {page.status or page.record.error}", f"answers {page.status or page.record.error}")
    if page.status is not None and 300 <= page.status < 400:
        return Text(f"会 {page.status} 重定向", f"redirects ({page.status})")
    if page.artifacts is None:
        return Text("不是网页", "is not an HTML page")
    if page.artifacts.redirects:
        return Text("用 meta refresh 跳转", "redirects with meta refresh")
    if page.artifacts.noindex:
        return Text("设置了 noindex", "is noindex")
    if site.blocked_for(page.url):
        return Text(f"对 {'、'.join(site.blocked_for(page.url))} 禁止抓取",
                    f"is blocked for {', '.join(site.blocked_for(page.url))}")
    if site.canonical_target(page) is not None:
        return Text("又规范化到其他网址", "is itself canonicalised elsewhere")
    return None


def check_canonical(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        hrefs = page.artifacts.canonicals if page.artifacts else []
        problems: list[Text] = []
        resolved: list[str] = []
        for href in hrefs:
            try:
                url = normalize(href, page.url) if href.strip() else None
            except BadURL:
                url = None
            if url is None or urlsplit(url).scheme not in ("http", "https"):
                problems.append(Text(f"规范网址“{href}”无效", f"canonical \"{href}\" is invalid"))
                continue
            resolved.append(url)
            if not _ABSOLUTE.match(href.strip()):
                problems.append(Text(f"规范网址“{href}”是相对地址", f"canonical \"{href}\" is relative"))
        if len(set(resolved)) > 1:
            problems.append(Text(f"有 {len(set(resolved))} 个不同的规范网址", f"{len(set(resolved))} differing canonicals"))
        elif resolved and resolved[0] != page.url:
            why = _target_problem(site, resolved[0])
            if why is not None:
                problems.append(Text(f"规范网址 {resolved[0]} {why.zh}", f"canonical {resolved[0]} {why.en}"))
        if problems:
            yield Finding(CANONICAL.id, page.url, Text("；".join(p.zh for p in problems), "; ".join(p.en for p in problems)),
                          {"canonicals": hrefs[:10], "resolved": resolved[:10]})


CANONICAL = Rule(
    id="canonical-problem", category="indexability", severity="warning", scope="page",
    title=Text("规范网址（canonical）正确", "Canonical link is valid"),
    failure=Text("规范网址有误", "Canonical link is broken"),
    why=Text("rel=canonical 告诉搜索引擎收录哪个网址。相对地址容易被解析错，多个不同的规范网址会被忽略，"
             "指向错误、跳转或不可收录的网址则可能让本页从搜索结果中消失。",
             "rel=canonical tells engines which URL to index. Relative URLs are easily misresolved, several "
             "differing canonicals are ignored, and a canonical to an error, redirect or non-indexable URL can "
             "drop the page from results."),
    fix=Text("每个页面只输出一个 <link rel=\"canonical\">，写完整的绝对地址（含 https:// 和域名），指向本页自身或可以正常访问、"
             "允许收录的正式网址。",
             "Output one <link rel=\"canonical\"> with a full absolute URL pointing to the page itself or to a "
             "live, indexable URL."),
    source="LH, SF", check=check_canonical, local=True,
)


def js_dependent(site: Site, page: Page, params: dict[str, Any]) -> dict[str, Any] | None:
    """Evidence that scripts carry the page's content, else None.

    With a rendered view (``--render``, the page's render ok) the two views decide: the main text (site
    template removed) that exists only after rendering, ``script_chars``, must reach ``min_text`` and be at
    least half of the rendered main text; the evidence holds both counts (``raw_chars``, ``rendered_chars``).
    A render that found no more text than the raw page clears it, unless the raw page shows the signals
    below and the rendered page is as empty as the raw one, scripts having added at most ``max_own_text``
    characters (its data source was out of the crawl's scope or failed: the citizen's browser would have
    fetched it, or shows 加载失败).

    Without a rendered view, the raw page's signals decide: empty content containers, much inline code,
    content-loading scripts, ajax calls, and what single-page-app shells show (art.shell): mount points,
    inline app state, <noscript> asking for JavaScript; a loading placeholder (加载中…); a page with no text
    of its own, only the site template, and an app script (not analytics, not a common library)."""
    art = page.artifacts
    if art is None:
        return None
    main = site.main_text(page)
    compared = rendered_difference(site, page, len(main))
    if compared is not None:
        if compared["script_chars"] >= int(params["min_text"]) and \
                2 * compared["script_chars"] >= compared["rendered_chars"]:
            return {"main_chars": len(main), **compared, "view": "rendered",
                    "signals": _signals(site, page, main, params), "loader": _loader(art)}
        if compared["rendered_chars"] >= int(params["min_text"]) or \
                compared["script_chars"] > int(params["max_own_text"]):
            return None     # the citizen's browser shows (nearly) the text Baiduspider gets, or scripts added a line
    if len(main) >= int(params["min_text"]):
        return None
    signals = _signals(site, page, main, params)
    if not signals:
        return None
    found: dict[str, Any] = {"main_chars": len(main), "signals": signals, "loader": _loader(art)}
    if compared is not None:
        found.update(compared, view="rendered-empty")
    return found


def rendered_difference(site: Site, page: Page, raw_chars: int) -> dict[str, int] | None:
    """Main-text characters of the raw page (``raw_chars``) and of the rendered page (site template removed,
    with what scripts add to many pages), and those of the rendered main blocks the raw page lacks (compared
    as the template detector compares blocks); None unless the page's render is ok."""
    if not decoded_alike(page.record):
        return None      # the browser decodes the bytes otherwise (charset-mismatch): its text is mojibake
    rendered_main = site.rendered_main_blocks(page)
    if rendered_main is None:
        return None
    digest = site.template.digest
    raw_blocks = {digest(b) for b in (page.artifacts.blocks if page.artifacts else ())}
    only = sum(len(b) for b in rendered_main if digest(b) not in raw_blocks)
    return {"raw_chars": raw_chars, "rendered_chars": len("\n".join(rendered_main)), "script_chars": only}


def _loaders(art: PageArtifacts) -> list[str]:
    """The page's external scripts whose path says they load content (guide.js, detail.js, /api/…)."""
    return [src for src in art.script_srcs if _CONTENT_SCRIPT.search(urlsplit(src).path)]


def _loader(art: PageArtifacts) -> str | None:
    """The first content-loading script, by which fixes group the pages it fills (audits/causes.py)."""
    return next(iter(_loaders(art)), None)


def _signals(site: Site, page: Page, main: str, params: dict[str, Any]) -> list[str]:
    """What in the raw page says scripts fill it (see js_dependent)."""
    art = page.artifacts
    assert art is not None
    signals: list[str] = []
    if art.placeholders:
        signals.append(f"placeholders: {art.placeholders}")
    loading = next((b for b in art.blocks if len(b) <= 30 and LOADING.fullmatch(b)), None)
    if loading is not None:
        signals.append(f"loading placeholder: {loading}")
    signals += art.shell
    if art.script_chars >= int(params["min_script_chars"]):
        signals.append(f"inline script: {art.script_chars} chars")
    signals += [f"script: {src}" for src in _loaders(art)[:5]]
    if art.ajax:
        signals.append("ajax call")
    if not signals and len(main) < int(params["max_own_text"]):
        signals += _template_only(site, page, len(main))
    return signals


def _template_only(site: Site, page: Page, own: int) -> list[str]:
    """A page with (nearly) no text of its own, only the site template, and an app script (an external script
    that is not analytics, a site badge or a common library) is a shell its script fills. Not a page of pictures."""
    art = page.artifacts
    assert art is not None
    apps = [src for src in art.script_srcs if not _INERT_SCRIPT.search(src)]
    if not apps:
        return []
    image_uses = site.image_uses
    if any(link.tag == "img" and image_uses[link.target] <= 2 for link in site.outlinks.get(page.id, ())):
        return []       # images of its own (a photo or a scanned notice): its content is not text
    total = sum(len(b) for b in art.blocks)
    return [f"template only: {own} of {total} characters are the page's own; scripts: {', '.join(apps[:3])}"]


def check_js(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        evidence = js_dependent(site, page, params)
        if evidence is not None and framed(site, page, FRAME.params) is None:
            yield Finding(JS.id, page.url, _js_message(evidence), evidence)


def _js_message(ev: dict[str, Any]) -> Text:
    if ev.get("view") == "rendered":
        return Text(f"网页源代码中只有 {ev['raw_chars']} 个字的正文，浏览器执行脚本后有 {ev['rendered_chars']} 个字，"
                    f"其中 {ev['script_chars']} 个字只在脚本运行后出现",
                    f"the raw HTML has {ev['raw_chars']} characters of main text, the rendered page "
                    f"{ev['rendered_chars']}; {ev['script_chars']} exist only after scripts run")
    if ev.get("view") == "rendered-empty":
        return Text(f"网页源代码中只有 {ev['main_chars']} 个字的正文，内容由脚本加载（本次渲染也只得到 "
                    f"{ev['rendered_chars']} 个字：数据接口未能加载或不在抓取范围内）",
                    f"the raw HTML has {ev['main_chars']} characters of main text; scripts load the content (the "
                    f"render got only {ev['rendered_chars']}: its data source failed or is outside the crawl)")
    return Text(f"网页源代码中只有 {ev['main_chars']} 个字的正文，内容由脚本加载",
                f"the raw HTML has {ev['main_chars']} characters of main text; scripts load the content")


JS = Rule(
    id="js-dependent-content", category="indexability", severity="error", scope="page",
    title=Text("正文直接写在网页源代码中", "Content is in the raw HTML"),
    failure=Text("正文依赖脚本加载", "Content depends on JavaScript"),
    why=Text("百度蜘蛛基本不执行 JavaScript，谷歌也要延后渲染；正文靠脚本或接口（ajax）加载的页面，在搜索引擎看来几乎是空白页。"
             "用 --render 运行时比较网页源代码与浏览器渲染后的正文（去掉网站模板）：只在脚本运行后出现的正文不少于 100 字、"
             "且占渲染后正文的一半以上即判为问题；不渲染时根据空的挂载点、加载正文的脚本、“加载中”占位等迹象判断。",
             "Baiduspider hardly runs JavaScript and Google renders late; a page whose text arrives by script or "
             "ajax looks empty to engines. With --render the raw and the rendered main text (site template removed) "
             "are compared: at least 100 characters, and half the rendered main text, existing only after scripts "
             "run is a failure; without it, the raw page's signals decide (an empty mount point, a content-loading "
             "script, a 加载中 placeholder)."),
    fix=Text("让内容管理系统在服务器端把办事指南和文章正文直接输出到 HTML 中（服务端渲染或静态化发布），脚本只用于交互增强。",
             "Have the CMS write the guide or article text into the HTML on the server (server rendering or "
             "static publishing); use scripts only to enhance."),
    source="BD, G", check=check_js, params={"min_text": 100, "min_script_chars": 5000, "max_own_text": 20},
    local=True,
)


def framed(site: Site, page: Page, params: dict[str, Any]) -> dict[str, Any] | None:
    """Evidence that the page's main content sits in a same-site frame or iframe, else None."""
    links = [link for link in site.outlinks.get(page.id, ()) if link.tag in ("iframe", "frame")
             and link.target in site.pages]
    if not links:
        return None
    frames = sorted({site.pages[link.target].url for link in links})
    if any(link.tag == "frame" for link in links):
        return {"frameset": True, "frames": frames[:10]}
    own = len(site.main_text(page))
    if own >= int(params["max_main_text"]):
        return None
    carried = {site.pages[link.target].url: len(site.main_text(site.pages[link.target])) for link in links}
    heavy = sorted(url for url, chars in carried.items() if chars >= max(own, int(params["min_frame_text"])))
    return {"frameset": False, "frames": heavy[:10], "main_chars": own,
            "frame_chars": max(carried.values())} if heavy else None


def check_frame(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        ev = framed(site, page, params)
        if ev is not None:
            yield Finding(FRAME.id, page.url, Text("页面是框架集（frameset），内容在各个框架页中",
                                                   "the page is a frameset; content is in the frames")
                          if ev["frameset"] else Text(f"正文在 iframe {ev['frames'][0]} 中，本页只有 {ev['main_chars']} 个字",
                                                      f"the main content is in the iframe {ev['frames'][0]}; the page "
                                                      f"itself has {ev['main_chars']} characters"), ev)


FRAME = Rule(
    id="frame-content", category="indexability", severity="warning", scope="page",
    title=Text("正文不在框架（iframe）中", "Content is not inside frames"),
    failure=Text("正文放在框架（iframe/frame）中", "Main content sits in a frame or iframe"),
    why=Text("百度不把 iframe 中的内容算作本页内容：外层页面几乎是空的，框架页又没有标题、导航和栏目信息，两边都难以获得排名。",
             "Baidu does not count iframe content as part of the page: the outer page is nearly empty and the "
             "framed page lacks title, navigation and context, so neither ranks."),
    fix=Text("把办事指南正文直接写入本页 HTML，不要用 iframe 嵌入另一个页面；确需嵌入时，在本页保留完整的指南文字。",
             "Write the guide text into the page itself instead of embedding another page with an iframe; if "
             "embedding is unavoidable, keep the full text on the page too."),
    source="BD", check=check_frame, params={"max_main_text": 300, "min_frame_text": 100}, local=True,
)


def attachment_links(site: Site, page: Page, extensions: list[str]) -> list[str]:
    """Attachments the page links (documents, and images used on this page only, not template images)."""
    exts = tuple("." + e.lower().lstrip(".") for e in extensions)
    return site.fact(("attachments", exts), lambda: _attachments_by_page(site, exts)).get(page.id, [])


def _attachments_by_page(site: Site, exts: tuple[str, ...]) -> dict[int, list[str]]:
    """Page id -> the attachments it links, sorted, for every page that links one. An attachment: a URL whose
    path ends with one of ``exts``, or a fetched target whose content type is a document or an image; linked
    by <a>, <area>, <iframe>, or by <img> when the image is used on at most two pages (not a logo). One
    vectorised pass over the link table (a loop over every link of every page took 6 s at 20,000 pages)."""
    links = site.links
    bound = links.id_bound()
    is_file = np.zeros(bound, dtype=bool)
    for uid in site.urls:
        if uid < bound and urlsplit(site.urls.url(uid)).path.lower().endswith(exts):
            is_file[uid] = True
    for uid, target in site.pages.items():
        if uid < bound and (target.record.content_type or "").lstrip().lower().startswith(_ATTACHMENT_TYPES):
            is_file[uid] = True
    shared_image = np.zeros(bound, dtype=bool)
    shared_image[[uid for uid, uses in site.image_uses.items() if uses > 2 and uid < bound]] = True
    found: dict[int, set[int]] = {}
    for tags, keep in ((("a", "area", "iframe"), is_file), (("img",), is_file & ~shared_image)):
        for sources, targets in links.edge_slices(tags):
            mask = keep[targets]
            for source, target in zip(sources[mask].tolist(), targets[mask].tolist(), strict=True):
                found.setdefault(source, set()).add(target)
    return {source: sorted(site.urls.url(t) for t in targets) for source, targets in found.items()}


def guide_text(site: Site, page: Page) -> str:
    """The page's main text plus the guide's label lines that the template detector filed under boilerplate:
    on a site of mostly guides, a label (办理材料) repeats on every guide, and so does a labelled line whose
    value every guide shares (办理地点：市政务服务中心, 办理时间：工作日…). A labelled line the home page shows
    too (a site-wide footer's 联系电话) is the site's, not the guide's."""
    main = site.main_blocks(page)
    own = set(main)
    site_wide = site.home_blocks
    labels = [b for b in (page.artifacts.blocks if page.artifacts else []) if b not in own and (
        len(b) <= 12 or (b not in site_wide and has_guide_element(b)))]
    return "\n".join([*main, *labels])


def attachment_only(site: Site, page: Page, params: dict[str, Any]) -> dict[str, Any] | None:
    if site.kind(page) != "service":
        return None
    files = attachment_links(site, page, params["extensions"])
    if not files:
        return None
    present = guide_elements(guide_text(site, page))
    if len(present) >= int(params["min_elements"]):
        return None
    return {"attachments": files[:10], "elements": present}


def check_attachment(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        evidence = attachment_only(site, page, params)
        if evidence is not None:
            yield Finding(ATTACHMENT.id, page.url,
                          Text(f"办事指南只以附件形式提供（{evidence['attachments'][0]}），网页正文缺少指南要素",
                               f"the guide is only an attachment ({evidence['attachments'][0]}); the page text "
                               "lacks the guide's elements"), evidence)


ATTACHMENT = Rule(
    id="attachment-only", category="indexability", severity="warning", scope="page",
    title=Text("办事指南以网页文字发布", "Service guides are published as HTML text"),
    failure=Text("办事指南只有附件（PDF/Word/Excel/图片）", "Service guide only as an attachment"),
    why=Text("附件中的文字很少被收录、无法在搜索结果中显示摘要，手机上也难以打开；群众搜索办事条件和材料时找不到网页。",
             "Text inside attachments is rarely indexed, gets no snippet and is awkward on phones; searches "
             "for conditions and materials find no page."),
    fix=Text("把办事指南的事项名称、设定依据、申请条件、办理材料、办理地点、办理时间、联系电话等要素写成网页正文，"
             "附件只作为申请表格下载。",
             "Publish the guide's elements (name, legal basis, conditions, materials, place, hours, phone) as page "
             "text; keep attachments for forms only."),
    source="BD", check=check_attachment, judges=pages_of_kind("service"),
    params={"min_elements": 4, "extensions": ["pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "jpg", "jpeg",
                                              "png", "gif", "bmp", "tif", "tiff"]}, local=True,
)


def guide_elsewhere(site: Site, page: Page) -> str | None:
    """The rule that explains why a service page's guide is not in its HTML text (defaults), if any."""
    if framed(site, page, FRAME.params) is not None:
        return FRAME.id
    if js_dependent(site, page, JS.params) is not None:
        return JS.id
    if attachment_only(site, page, ATTACHMENT.params) is not None:
        return ATTACHMENT.id
    return None


RULES = [META_REFRESH, CANONICAL, JS, FRAME, ATTACHMENT]
