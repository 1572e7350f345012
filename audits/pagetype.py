"""Page types: home, column (list), article, service (办事指南), other.

The 网页设计规范 asks for different meta tags on each type, and the findability ranking works on the
service pages, so every 200 HTML page gets one type. A type comes from several signals, so that a page
that lacks its meta tags is still judged by its type's rules (an article without ArticleTitle/PubDate is
an article that misses them, not an "other" page that escapes them):

1. home — a start URL, or the site root (``/``, ``/index.htm[l]``, ``/default.htm[l]``).
2. service — the page labels at least ``GUIDE_MIN`` of the guide's key elements (lines starting with 事项名称,
   设定依据, 申请条件, 办理材料, 办理地点, 办理时间, 联系电话, 办理流程, 承诺时限, 收费标准, …), or a service
   URL (bszn, zwfw, bsfw, fwzn, bszy, bmfw, bsdt, ggfw path segment) on an article-like page, or an
   article-like page whose ColumnName / breadcrumb says 办事/服务/指南.
3. column — a list page: a directory URL or ``index_N`` pager, or a page whose main text is mostly dated
   list lines.
4. article — any of: ArticleTitle or PubDate meta; a CMS article URL (``t20261103_123``, ``/202611/``,
   ``/2026/``, ``art_``, ``content_``); a 发布日期/发布时间/成文日期 line with a date or a 发布机构 line in
   the page (one or two of them: more are a list's); a place in a column page's list of dated items
   (``listed``, from the link graph: see ``Site.kinds``).
5. column — ColumnName without ArticleTitle (a CMS column page at a URL that does not look like one).
6. article — 300+ characters of main text on a page that is not a utility page (关于本网, 联系我们, 网站地图,
   隐私声明 … by its title, H1 or URL).
7. other.
"""

from __future__ import annotations

import re

from audits.artifacts import PageArtifacts

KINDS = ("home", "column", "article", "service", "other")
GUIDE_ELEMENTS = (
    ("事项名称",), ("设定依据", "实施依据", "法律依据", "办理依据"), ("申请条件", "受理条件", "办理条件"),
    ("办理材料", "申请材料", "申报材料", "所需材料"), ("办理地点", "受理地点", "办理地址"),
    ("办理时间", "受理时间", "办公时间"), ("联系电话", "咨询电话", "咨询方式"), ("办理流程", "办事流程", "办理程序"),
    ("承诺时限", "办理时限", "法定时限", "承诺期限"), ("收费标准", "是否收费", "收费依据"), ("实施机关", "实施主体", "受理机构"),
)
GUIDE_MIN = 4
_SERVICE_URL = re.compile(r"/(bszn|zwfw|bsfw|fwzn|bszy|bmfw|bsdt|ggfw|grbs|qybs)(/|_|\.|$)", re.I)
_SERVICE_WORDS = re.compile(r"办事|服务|指南")
_HOME_PATH = re.compile(r"^/(index|default)?(\.s?html?|\.jsp|\.php|\.aspx?)?$", re.I)
# A list page URL: a directory, or an index/list/default page with its pager number.
COLUMN_URL = re.compile(r"(/|/(index|list|default)(_\d+)?\.\w+)$", re.I)
_ARTICLE_URL = re.compile(r"/t20\d{6}_\d+|/20\d{4}/|/20\d{2}/\d{2}/|/(art|content|detail)_?\d+|\.jsp\?.*id=", re.I)
DATED_LINE = re.compile(r"(19|20)\d{2}[-/.年]\d{1,2}([-/.月]\d{1,2})?")
# The date of a list item (2026-11-03, 2026年11月): a month follows the year (a copyright 2003-2026 is none).
ITEM_DATE = re.compile(r"(19|20)\d{2}\s*[-/.年]\s*(0?[1-9]|1[0-2])(?!\d)")


_LABELS = [re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.\uff0e]\s*)?(?:" + "|".join(group)
                      + r")\s*(?:[:：]|$)", re.M) for group in GUIDE_ELEMENTS]


_ANY_LABEL = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.\uff0e]\s*)?(?:"
                        + "|".join(word for group in GUIDE_ELEMENTS for word in group) + r")\s*(?:[:：]|$)", re.M)


def has_guide_element(text: str) -> bool:
    """``guide_elements(text)`` is not empty (one search instead of one a group)."""
    return _ANY_LABEL.search(text) is not None


def guide_elements(text: str) -> list[str]:
    """The guide key elements ``text`` carries as labels (a line that starts with 办理材料：, 一、申请条件, …);
    first synonym of each group. Words in running prose don't count."""
    return [group[0] for group, label in zip(GUIDE_ELEMENTS, _LABELS, strict=True) if label.search(text)]


_DATE = r"(19|20)\d{2}\s*[-/.年]\s*\d{1,2}"
_PUBLISH_DATED = re.compile(r"(发布|发文|成文|印发)(日期|时间)\s*[:：]\s*" + _DATE)
_PUBLISH_AGENCY = re.compile(r"发布机构\s*[:：]\s*\S{2,}")
_PUBLISH_WORDS = ("发布", "发文", "成文", "印发")
_PUBLISH_LABEL = re.compile(r"^\s*((发布|发文|成文)(日期|时间)|发布机构)\s*[:：]?\s*$")
_DATE_START = re.compile(r"^\s*" + _DATE)
# Utility pages: long text, no date, linked from the template; never articles by their length alone.
_UTILITY_NAME = re.compile(r"^(关于本网|关于我们|关于本站|网站简介|本网简介|网站介绍|联系我们|联系方式|网站地图|站点地图|"
                           r"隐私(声明|政策|保护)|版权(声明|信息)|网站声明|免责声明|法律声明|使用帮助|帮助中心|网站帮助|"
                           r"无障碍(说明|声明)?|站内搜索|搜索结果|网站纠错|意见反馈)")
_UTILITY_URL = re.compile(r"/(about|aboutus|gywm|gybw|gybz|wzjj|lxwm|contact|contactus|wzdt|sitemap|yssm|ysbh|privacy|"
                          r"bqsm|copyright|wzsm|mzsm|help|bzzx|search)(\.\w+)?$", re.I)
_TITLE_SEPARATORS = ("_", "|", "｜", " - ", "—", "－", "--")


def publish_lines(blocks: list[str], text: str | None = None) -> tuple[int, int]:
    """(dated, all) lines that say when or by whom the page was published: 发布时间：2026-11-03 (anywhere in
    a short block), 发布机构：市政府办公室, or such a label alone in a table cell followed by its value."""
    dated = total = 0
    text = "\n".join(blocks) if text is None else text         # ``text``: the blocks joined, when at hand
    if not any(word in text for word in _PUBLISH_WORDS):
        return 0, 0
    for i, block in enumerate(blocks):
        if len(block) > 160:
            continue
        if _PUBLISH_DATED.search(block):
            dated += 1
            total += 1
        elif _PUBLISH_AGENCY.search(block):
            total += 1
        elif _PUBLISH_LABEL.match(block) and i + 1 < len(blocks) and len(blocks[i + 1]) <= 60:
            following = blocks[i + 1]
            if _DATE_START.match(following):
                dated += 1
                total += 1
            elif "机构" in block and not _PUBLISH_LABEL.match(following) and len(following.strip()) >= 2:
                total += 1
    return dated, total


def is_utility(path: str, art: PageArtifacts) -> bool:
    """About, contact, site map, privacy, help pages: by their title's first part, H1 or URL."""
    title = art.title or ""
    for sep in _TITLE_SEPARATORS:
        title = title.split(sep)[0]
    names = [title.strip(), *(h.strip() for h in art.h1s)]
    return any(_UTILITY_NAME.match(name) for name in names if name) or bool(_UTILITY_URL.search(path.split("?", 1)[0]))


def classify(url: str, path: str, is_start: bool, art: PageArtifacts, main_blocks: list[str],
             listed: bool = False) -> str:
    """The page's type; ``listed``: a column page lists it among dated items."""
    return classify_both(url, path, is_start, art, main_blocks)[1 if listed else 0]


def classify_both(url: str, path: str, is_start: bool, art: PageArtifacts, main_blocks: list[str]) -> tuple[str, str]:
    """(type, type if a column page lists it among dated items): the page is read once for both."""
    if is_start or _HOME_PATH.match(path.split("?", 1)[0]):
        return "home", "home"
    bare = path.split("?", 1)[0]
    main_text = "\n".join(main_blocks)
    all_text = "\n".join(art.blocks)       # guide labels repeat on every guide: the template may hold them
    if len(guide_elements(all_text)) >= GUIDE_MIN:
        return "service", "service"
    column_name = art.meta_value("columnname") or ""
    has_article_meta = bool(art.meta_value("articletitle") or art.meta_value("pubdate"))
    dated_publish, publish = publish_lines(art.blocks, all_text)
    strong = has_article_meta or bool(_ARTICLE_URL.search(path)) or bool(publish and dated_publish <= 2)
    long = len(main_text) >= 300 and not is_utility(path, art)
    serviceish = bool(_SERVICE_URL.search(path) or _SERVICE_WORDS.search(column_name)
                      or _SERVICE_WORDS.search(art.breadcrumb or "")) and not COLUMN_URL.search(path)
    dated = sum(1 for block in main_blocks if len(block) < 80 and DATED_LINE.search(block))
    is_list = COLUMN_URL.search(bare) is not None or (bool(main_blocks) and dated >= 5 and dated >= len(main_blocks) / 3)

    def decide(article: bool) -> str:
        if (article or long) and serviceish:
            return "service"
        if is_list:
            return "column"
        if article:
            return "article"
        if column_name and not art.meta_value("articletitle"):
            return "column"
        return "article" if long else "other"

    return decide(strong), decide(True)
