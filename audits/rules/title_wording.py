"""title-generic, title-length and title-pattern: what the <title> says, not only that it exists."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.rules.gov import home_page
from audits.site import Page, Site
from audits.text.width import display_width

# Separators CMS templates put between 页面名, 栏目名 and 站点名.
_SEPARATORS = re.compile("\\s*[_|｜]\\s*|\\s+[-—\u2013－·•]+\\s+|(?<!\\d)(?:-|—{1,2}|－|\u2013)(?!\\d)")
_TRAILING_NUMBER = re.compile(r"[\s\-_]*\d*$")
_SITE_SUFFIX = re.compile(r"(门户网站|门户网|政府网站|网站|门户|官网|网)$")


GENERIC_TITLES = ["首页", "网站首页", "无标题", "无标题文档", "无标题页", "标题", "新建网页", "新建页面", "默认标题",
                  "untitled", "untitled document", "untitled page", "document", "new page", "index", "home",
                  "欢迎访问…", "欢迎光临…", "欢迎来到…", "welcome to…"]


def norm(text: str | None) -> str:
    """Full-width folded to half-width (NFKC), lower-cased, all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


_DEFAULT_GENERIC = [norm(g) for g in GENERIC_TITLES]


def segments(title: str) -> list[str]:
    return [s for s in _SEPARATORS.split(title.strip()) if s.strip()]


def site_names(site: Site) -> set[str]:
    """Normalised forms of the site's name: SiteName meta (home first, else the commonest), the home
    title and its first and last segments, each also without a 门户网站/网站 suffix."""
    names: list[str] = []
    home = home_page(site)
    if home is not None and home.artifacts is not None:
        names += home.artifacts.meta.get("sitename", [])
        title = home.artifacts.title or ""
        parts = segments(title)
        names += [title, parts[0], parts[-1]] if parts else []
    counts = Counter(v for p in site.html_pages() if p.artifacts for v in p.artifacts.meta.get("sitename", [])[:1])
    names += [name for name, _ in counts.most_common(2)]
    result = set()
    for name in names:
        key = norm(name)
        for form in (key, _SITE_SUFFIX.sub("", key)):
            if len(form) >= 2 and not _is_placeholder(form, _DEFAULT_GENERIC):
                result.add(form)
    return result


def _is_placeholder(key: str, generic: list[str]) -> bool:
    """``key`` (normalised) is one of the ``generic`` titles, give or take a trailing number ("新建网页 1");
    an entry ending in "…" is a prefix ("欢迎访问…")."""
    stem = _TRAILING_NUMBER.sub("", key)
    return any(key.startswith(g[:-3]) if g.endswith("...") else g in (key, stem) for g in generic)


def generic_reason(page: Page, site: Site, names: set[str], params: dict[str, Any]) -> Text | None:
    """Why the page's title is generic (placeholder, site name only, column name only), or None."""
    art = page.artifacts
    if art is None or not art.title:
        return None
    generic = [norm(g) for g in params["generic_titles"]]
    key = norm(art.title)
    if _is_placeholder(key, generic):
        return Text(f"标题“{art.title}”是占位文字", f"title \"{art.title}\" is a placeholder")
    own = [s for s in (norm(s) for s in segments(art.title)) if s not in names]
    if key in names or not own:
        return Text(f"标题“{art.title}”只有网站名称", f"title \"{art.title}\" is only the site name")
    if all(_is_placeholder(s, generic) for s in own):
        return Text(f"标题“{art.title}”除网站名称外只有占位文字",
                    f"title \"{art.title}\" is a placeholder plus the site name")
    column = norm(art.meta_value("columnname"))
    if column and own == [column] and site.kind(page) != "column" \
            and column not in {norm(h) for h in art.h1s}:
        return Text(f"标题“{art.title}”只有栏目名称", f"title \"{art.title}\" is only the column name")
    return None


def _inner_pages(site: Site) -> Iterator[Page]:
    for page in site.html_pages():
        if site.kind(page) != "home" and page.artifacts is not None and page.artifacts.title:
            yield page


def check_generic(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    names = site_names(site)
    for page in _inner_pages(site):
        reason = generic_reason(page, site, names, params)
        if reason is not None:
            yield Finding(GENERIC.id, page.url, reason, {"title": page.artifacts.title if page.artifacts else None})


GENERIC = Rule(
    id="title-generic", category="content", severity="error", scope="page",
    title=Text("内页标题具体明确", "Inner page titles are specific"),
    failure=Text("标题只是网站名、栏目名或占位文字", "Title is only the site name, a column name or a placeholder"),
    why=Text("百度清风算法把“首页”“无标题”或只有网站名的标题视为低质量标题；群众在搜索结果中看不出页面讲的是什么，"
             "多个页面标题相同也会被当作重复页面。",
             "Baidu's Qingfeng algorithm treats titles such as 首页, Untitled or the bare site name as low quality; "
             "searchers cannot tell what the page is about, and such pages look like duplicates."),
    fix=Text("在内容管理系统中把标题模板改为“页面名称_栏目名称_网站名称”，页面名称取文章标题或事项名称；"
             "删除“无标题文档”“新建网页”等默认标题。",
             "Set the CMS title template to page name_column_site name, taking the article or service name as "
             "the page name; remove default titles such as Untitled document."),
    source="BD 清风", check=check_generic,
    params={"generic_titles": GENERIC_TITLES},
)


def check_length(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    low, high = int(params["min_width"]), int(params["max_width"])
    for page in site.html_pages():
        title = page.artifacts.title if page.artifacts else None
        if not title:
            continue     # title-missing
        width = display_width(title)
        if width > high:
            message = Text(f"标题宽度 {width}（约 {width // 2} 个汉字），超过 {high}，搜索结果中会被截断",
                           f"title width {width} exceeds {high}: truncated in search results")
        elif width < low:
            message = Text(f"标题宽度 {width}，少于 {low}，信息太少", f"title width {width} is below {low}")
        else:
            continue
        yield Finding(LENGTH.id, page.url, message, {"title": title, "width": width, "min": low, "max": high})


LENGTH = Rule(
    id="title-length", category="content", severity="notice", scope="page",
    title=Text("标题长度适中", "Title length fits search results"),
    failure=Text("标题过长或过短", "Title too long or too short"),
    why=Text("百度和谷歌的搜索结果标题约显示 32 个汉字（宽度 64），超出部分被截断为“…”，网站名或关键信息因此看不到；"
             "过短的标题提供的信息不足。",
             "Baidu and Google show about 32 CJK characters (width 64) of a title and cut the rest; very short "
             "titles say too little."),
    fix=Text("把标题控制在 4～32 个汉字之间：长公文标题可精简为核心名称，并省略冗长的栏目层级；"
             "过短的标题补充事项或栏目名称。",
             "Keep titles between 4 and 32 CJK characters: shorten long document names to their core and drop "
             "long column paths; add the service or column name to very short titles."),
    source="BD, G", check=check_length, params={"min_width": 8, "max_width": 64}, local=True,
)


def page_names(page: Page, names: set[str]) -> list[str]:
    """The page's own name: its ArticleTitle meta and H1s, the site name (a logo H1) excluded."""
    art = page.artifacts
    if art is None:
        return []
    candidates = [art.meta_value("articletitle") or "", *art.h1s]
    return [n for n in dict.fromkeys(norm(c) for c in candidates) if n and n not in names]


def leads_with(title: str, name: str) -> bool:
    """The (raw) title starts with the normalised page name, or with a CMS-truncated prefix of it."""
    if norm(title).startswith(name):
        return True
    first = segments(title)
    head = norm(first[0]).rstrip(".…") if first else ""
    return len(head) >= 4 and name.startswith(head)


def check_pattern(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    names = site_names(site)
    for page in _inner_pages(site):
        art = page.artifacts
        assert art is not None and art.title
        if generic_reason(page, site, names, GENERIC.params | params) is not None:
            continue     # title-generic reports it
        title = norm(art.title)
        own = page_names(page, names)
        problems: list[Text] = []
        if own and not any(leads_with(art.title, name) for name in own):
            problems.append(Text("标题没有以页面名称开头", "the title does not lead with the page name"))
        if names and not any(name in title for name in names):
            problems.append(Text("标题中没有网站名称", "the title omits the site name"))
        if problems:
            yield Finding(PATTERN.id, page.url,
                          Text("；".join(p.zh for p in problems) + f"（建议格式：{params['pattern']}）",
                               "; ".join(p.en for p in problems) + " (page name_column_site name)"),
                          {"title": art.title, "page_name": (art.meta_value("articletitle") or
                                                             (art.h1s[0] if art.h1s else None)),
                           "problems": [p.en for p in problems]})


PATTERN = Rule(
    id="title-pattern", category="content", severity="notice", scope="page",
    title=Text("内页标题遵循“页面名_栏目名_站点名”格式", "Inner page titles follow page_column_site"),
    failure=Text("标题不以页面名称开头或缺少网站名称", "Title does not lead with the page name or omits the site name"),
    why=Text("百度《基础信息设置规范》建议内页标题采用“页面名称_栏目名称_网站名称”：页面名称在前，搜索结果即使被截断也能看到"
             "核心信息；网站名称在后，群众能辨认这是政府官方网站。",
             "Baidu's guidelines recommend page name_column_site name for inner pages: the page's own name "
             "first survives truncation, the site name last tells searchers it is the official site."),
    fix=Text("调整内容管理系统的标题模板：先输出文章标题或事项名称，再输出栏目名称，最后输出网站名称，用“_”或“-”分隔。",
             "Change the CMS title template to output the article or service name first, then the column, then "
             "the site name, separated by _ or -."),
    source="BD 基础信息", check=check_pattern, params={"pattern": "页面名称_栏目名称_网站名称"},
)

RULES = [GENERIC, LENGTH, PATTERN]
