"""Parse a stored page once into the artifacts every rule reads (lxml, no network)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from sys import intern

from lxml import etree

from crawler.decode import decode_html
from crawler.extract import parse_html, refresh_target
from crawler.store import FetchRecord

_WS = re.compile(r"\s+")
# Meta robots names that speak to the engines we audit for.
ROBOTS_META_NAMES = ("robots", "baiduspider", "googlebot")
_XRT_AGENT = re.compile(r"^\s*([a-z][a-z0-9_-]*)\s*:\s*(.*)$", re.I)
# Engines index only the head of a long page. Googlebot reads the first 2 MB of an HTML file when it
# crawls for Google Search, 15 MB being the default of Google's other crawlers (Google Search Central,
# "Googlebot", as reported in https://ppc.land/google-slashes-web-crawl-limit-by-86-7-as-cost-pressures-mount;
# 15 MB for Googlebot in https://developers.google.com/search/blog/2022/06/googlebot-15mb). Baidu publishes
# no figure: its engineers told https://www.theegg.com/seo/china/baidu-search-qa-content-and-character-limits/
# that it cuts a page's source at an undocumented length and that its crawl-diagnosis tool shows the first
# 200 KB, twice what they found common pages need. The audit reads at most MAX_TEXT_CHARS characters of a
# page's visible text (~300 KB of Chinese in UTF-8, more than that tool shows; the bench portal's pages
# carry ~760, a long policy document some tens of thousands): what a page says past that no rule judges,
# and a page of millions of characters costs the tokenizer, the template detector and the near-duplicate
# shingles no more than this (a 9 MB page of one letter took the feed process to 3 GB).
MAX_TEXT_CHARS = 100_000
# A longer line of text is split into blocks of MAX_BLOCK_CHARS: jieba's HMM (Viterbi) copies its path
# at every character of a run of words it does not know, so its time grows with the square of the run
# (measured: 30,000 repetitions of one character, 4.2 s; 100,000, ~50 s). Paragraphs are far shorter.
MAX_BLOCK_CHARS = 5_000
# Each title, heading, description, meta content or alt text is cut at MAX_FIELD_CHARS (they are words
# to a reader; the rules' "too long" limits are below 200), and a page keeps at most MAX_ITEMS of each.
MAX_FIELD_CHARS = 2_000
MAX_ITEMS = 2_000


def clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _field(text: str | None) -> str:
    """A short text of the page (title, heading, description…), cleaned and cut at MAX_FIELD_CHARS."""
    return clean(text)[:MAX_FIELD_CHARS]


def _add(items: list, value: object) -> None:
    if len(items) < MAX_ITEMS:
        items.append(value)


@dataclass(slots=True)      # one per page: no per-instance __dict__
class PageArtifacts:
    """What one HTML page says about itself."""

    titles: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    h1s: list[str] = field(default_factory=list)
    canonicals: list[str] = field(default_factory=list)
    # engine ("robots" for everyone, "baiduspider", "googlebot") -> directives, from meta and X-Robots-Tag
    robots: dict[str, set[str]] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)    # lower-cased meta name -> contents
    lang: str | None = None
    refresh: tuple[float, str | None] | None = None   # (delay seconds, target) of <meta http-equiv=refresh>
    images: list[tuple[str, str | None]] = field(default_factory=list)   # (src, alt or None when absent)
    json_ld: list[str] = field(default_factory=list)  # raw <script type="application/ld+json"> texts
    scripts: int = 0                 # <script> elements, <head> included
    script_chars: int = 0            # characters of inline script code
    script_srcs: list[str] = field(default_factory=list)   # src of external scripts
    ajax: bool = False               # inline code fetches content ($.ajax, fetch, XMLHttpRequest, .load…)
    blocks: list[str] = field(default_factory=list)   # visible text, one entry per block-level element line
    breadcrumb: str | None = None    # text of the breadcrumb (当前位置 …) if found
    placeholders: int = 0            # empty content containers waiting for scripts (id/class content, app…)
    # What a single-page-app shell shows before its script runs, at most SHELL_SIGNALS of them: "mount: div#app"
    # (an app's mount point, empty or only "加载中…"), "state: __NUXT__" (inline data for the app),
    # "noscript: 请启用JavaScript…". Empty on ordinary pages (kept per page: one shared empty tuple).
    shell: tuple[str, ...] = ()
    parse_error: str | None = None

    @property
    def text(self) -> str:
        """All visible text (template included), blocks joined by newlines."""
        return "\n".join(self.blocks)

    def meta_value(self, name: str) -> str | None:
        values = self.meta.get(name.lower())
        return values[0] if values else None

    @property
    def redirects(self) -> bool:
        """An immediate meta refresh (≤ 5 s) to another URL: engines treat the page as a redirect."""
        return self.refresh is not None and self.refresh[1] is not None and self.refresh[0] <= 5

    @property
    def title(self) -> str | None:
        return self.titles[0] if self.titles else None

    def noindex_for(self, engine: str) -> bool:
        directives = self.robots.get("robots", set()) | self.robots.get(engine, set())
        return bool(directives & {"noindex", "none"})

    @property
    def noindex(self) -> bool:
        return any(self.noindex_for(e) for e in ("baiduspider", "googlebot"))


def _directives(content: str) -> set[str]:
    return {d.strip().lower() for d in content.split(",") if d.strip()}


def x_robots_tag(values: list[str]) -> dict[str, set[str]]:
    """X-Robots-Tag header values: "noindex", or "googlebot: noindex, nofollow"."""
    result: dict[str, set[str]] = {}
    for value in values:
        match = _XRT_AGENT.match(value)
        agent = "robots"
        if match and match.group(1).lower() not in {"noindex", "none", "nofollow", "all", "index"}:
            agent, value = match.group(1).lower(), match.group(2)
        result.setdefault(agent, set()).update(_directives(value))
    return result


# Elements whose text is not visible page text.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option", "textarea"})
# Elements that start a new line of text.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
    "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul", "iframe", "frame", "body", "html",
})
# An empty container whose id or class names it as the page's content (an id/class word that ends with one of
# these): "content", "main-content", "guide-app". Not a widget's box ("content-share", "share-content-btn") nor
# a layout wrapper ("container", "clearfix"), which many templates leave empty.
_PLACEHOLDER_HINT = re.compile(r"(?:^|[-_])(?:app|root|content|main|guide|detail|zoom|loading)$", re.I)
_CRUMB_HINT = re.compile(r"crumb|position|location|dqwz|weizhi|path", re.I)
_AJAX = re.compile(r"\$\.(ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b|\.load\s*\(", re.I)
_CRUMB_TEXT = re.compile(r"^\s*(当前位置|您的位置|所在位置|您现在的位置)")
SHELL_SIGNALS = 4
# Loading placeholders: the whole text of a block (加载中… / 正在加载 / 数据加载中，请稍候 / Loading...).
LOADING = re.compile(r"(?:(?:数据|内容|页面)?(?:正在)?(?:加载|载入)中?|loading|please wait)"
                     r"(?:[,，、\s]*(?:请稍[候等]|please wait))?[\s.。…·!！]*", re.I)
# Mount points of script apps (Vue, React, Angular, Next, Nuxt…) and of CMS widgets that fetch their content.
_MOUNT_TAGS = frozenset({"div", "section", "main", "article", "span", "body", "app-root", "app"})
_MOUNT_IDS = frozenset({"app", "root", "__next", "__nuxt", "app-root", "approot", "vue-app", "react-root",
                        "main-app", "application"})
_MOUNT_ATTRS = frozenset({"data-api", "data-reactroot", "data-react-root", "data-v-app", "v-cloak", "ng-app",
                          "data-ng-app", "ng-view", "ui-view", "data-server-rendered"})
_MUSTACHE = re.compile(r"\{\{.*?\}\}|\[\[.*?\]\]", re.S)      # {{ item.name }}: a template not yet rendered
# Inline data a script app renders from: window.__INITIAL_STATE__ = {...}, __NUXT__, __NEXT_DATA__…
_STATE = re.compile(r"\b(__(?:INITIAL|PRELOADED|APOLLO|INIT|APP|SERVER|REDUX)_?(?:STATE|DATA|PROPS)__"
                    r"|__NUXT__|__NEXT_DATA__|__NUXT_DATA__|__remixContext)")
_STATE_IDS = frozenset({"__NEXT_DATA__", "__NUXT_DATA__"})
# <noscript> text asking for JavaScript (a tracking pixel in <noscript> has no text).
_NOSCRIPT_ASK = re.compile(r"(?:启用|开启|打开|允许|支持|enable|turn on|activate|requires?|need)\W{0,3}.{0,16}?"
                           r"(?:javascript|js\b|脚本)|(?:javascript|脚本).{0,16}?(?:禁用|关闭|disabled|required|turned off)",
                           re.I | re.S)
# ...unless scripts only improve the page: "for a better experience", "some parts of this site might not work".
_NOSCRIPT_EXTRA = re.compile(r"better|best|some (?:parts|features|functions)|may not|might not|体验|部分|更好|最佳", re.I)


def _walk(art: PageArtifacts, body: etree._Element) -> None:
    """One pass over the body: visible text blocks, images, scripts, placeholders, breadcrumb."""
    line: list[str] = []
    skip_depth = 0
    room = MAX_TEXT_CHARS

    def flush() -> None:
        nonlocal room
        if not line:
            return
        text = clean("".join(line))
        line.clear()
        if not text:
            return
        if len(text) <= MAX_BLOCK_CHARS and len(text) <= room:
            room -= len(text)
            art.blocks.append(intern(text))     # template blocks repeat on every page: share them
            return
        text = text[:room]
        room -= len(text)
        art.blocks.extend(intern(text[start:start + MAX_BLOCK_CHARS]) for start in range(0, len(text), MAX_BLOCK_CHARS))

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _INVISIBLE:
                if tag == "noscript" and not skip_depth and len(art.shell) < SHELL_SIGNALS:
                    _noscript(art, el)
                skip_depth += 1
                continue
            if skip_depth:
                continue
            if tag in BLOCK_TAGS:
                flush()
            if tag in _MOUNT_TAGS and (el.get("id") in _MOUNT_IDS or not _MOUNT_ATTRS.isdisjoint(el.keys())) \
                    and len(art.shell) < SHELL_SIGNALS:
                _mount(art, el, tag)
            if tag == "img":
                alt = el.get("alt")
                _add(art.images, ((el.get("src") or "").strip(), alt if alt is None else alt[:MAX_FIELD_CHARS]))
            elif tag in ("div", "section", "main", "article") and not len(el) and not (el.text or "").strip():
                words = f"{el.get('id') or ''} {el.get('class') or ''}".split()
                if any(_PLACEHOLDER_HINT.search(word) for word in words):
                    art.placeholders += 1
            if art.breadcrumb is None and tag in ("div", "p", "nav", "span", "ol", "ul"):
                hint = f"{el.get('id') or ''} {el.get('class') or ''}"
                if _CRUMB_HINT.search(hint):
                    art.breadcrumb = clean(el.text_content())[:300] or None
            if el.text and room > 0:
                line.append(el.text)
        else:
            if tag in _INVISIBLE:
                skip_depth -= 1
            elif not skip_depth and tag in BLOCK_TAGS:
                flush()
            if el.tail and not skip_depth and el is not body and room > 0:
                line.append(el.tail)
    flush()
    if art.breadcrumb is None:
        art.breadcrumb = next((b for b in art.blocks[:40] if _CRUMB_TEXT.match(b)), None)


def _mount(art: PageArtifacts, el: etree._Element, tag: str) -> None:
    """A mount point counts when it holds no text yet: empty, a loading placeholder or {{ template }} only."""
    text = clean(_MUSTACHE.sub("", el.text_content()))
    if not text or (len(text) <= 30 and LOADING.fullmatch(text)):
        marks = [f"#{el.get('id')}" if el.get("id") else "", *sorted(f"[{a}]" for a in _MOUNT_ATTRS & set(el.keys()))]
        art.shell += (intern(f"mount: {tag}{''.join(marks)}"[:80]),)


def _noscript(art: PageArtifacts, el: etree._Element) -> None:
    """<noscript> text that asks for JavaScript to see the page (not one that promises a better experience)."""
    text = clean(el.text_content())[:300]
    if text and _NOSCRIPT_ASK.search(text) and not _NOSCRIPT_EXTRA.search(text):
        art.shell += (f"noscript: {text[:60]}",)


def _state(art: PageArtifacts, script_id: str | None, code: str) -> None:
    match = None if script_id in _STATE_IDS else _STATE.search(code)
    found = script_id if match is None else match.group(1)
    if found in _STATE_IDS or match is not None:
        signal = intern(f"state: {found}")
        if signal not in art.shell and len(art.shell) < SHELL_SIGNALS:
            art.shell += (signal,)


def parse_artifacts(record: FetchRecord) -> PageArtifacts:
    art = PageArtifacts()
    art.robots = x_robots_tag(record.header("X-Robots-Tag"))
    decoded = decode_html(record.body, record.content_type)
    doc = parse_html(decoded.text)
    if doc is None:
        art.parse_error = "empty document"
        return art
    html = doc if doc.tag == "html" else doc.getroottree().getroot()
    art.lang = _field(html.get("lang") or html.get("xml:lang")) or None
    body_titles: list[str] = []
    for el in doc.iter("title", "meta", "h1", "link"):
        tag = el.tag
        if tag == "title":
            # <title> inside <svg> is not the page title; one pasted into <body> (Word HTML) is a fallback
            ancestors = {parent.tag for parent in el.iterancestors()}
            if "svg" not in ancestors:
                _add(body_titles if "body" in ancestors else art.titles, _field(el.text_content()))
        elif tag == "h1":
            _add(art.h1s, _field(el.text_content()))
        elif tag == "link":
            # engines ignore a canonical in <body> (Lighthouse's canonical audit too)
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href") is not None \
                    and not any(parent.tag == "body" for parent in el.iterancestors()):
                _add(art.canonicals, el.get("href", "").strip())
        else:
            if (el.get("http-equiv") or "").strip().lower() == "refresh" and art.refresh is None:
                content = el.get("content") or ""
                delay = content.split(";", 1)[0].split(",", 1)[0].strip()
                try:
                    seconds = float(delay) if delay else 0.0
                except ValueError:
                    seconds = 0.0
                art.refresh = (seconds, refresh_target(content))
                continue
            name = (el.get("name") or "").strip().lower()
            if not name:
                continue
            content = el.get("content") or ""
            if name not in art.meta and len(art.meta) >= MAX_ITEMS:
                continue
            _add(art.meta.setdefault(name, []), _field(content))
            if name == "description":
                _add(art.descriptions, _field(content))
            elif name in ROBOTS_META_NAMES:
                art.robots.setdefault(name, set()).update(_directives(content))
    for script in doc.iter("script"):
        art.scripts += 1
        code = script.text or ""
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            _add(art.json_ld, code)
            continue
        if script.get("src"):
            _add(art.script_srcs, script.get("src", "").strip())
        if "__" in code or script.get("id") in _STATE_IDS:
            _state(art, script.get("id"), code)
        art.script_chars += len(code)
        art.ajax = art.ajax or bool(code and _AJAX.search(code))
    if not art.titles and body_titles:
        art.titles = body_titles[:1]     # what a browser shows as document.title
    body = doc.find("body")
    _walk(art, body if body is not None else doc)
    return art
