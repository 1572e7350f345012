"""Page types: home, column (list), article, service (办事指南), other.

The 网页设计规范 asks for different meta tags on each type, and the findability ranking works on the
service pages, so every 200 HTML page gets one type. The heuristic, in order:

1. home — a start URL, or the site root (``/``, ``/index.htm[l]``, ``/default.htm[l]``).
2. service — the page labels at least ``GUIDE_MIN`` of the guide's key elements (lines starting with 事项名称,
   设定依据, 申请条件, 办理材料, 办理地点, 办理时间, 联系电话, 办理流程, 承诺时限, 收费标准, …), or a service
   URL (bszn, zwfw, bsfw, fwzn, bszy, bmfw, bsdt, ggfw path segment) on an article-like page, or an
   article-like page whose ColumnName / breadcrumb says 办事/服务/指南.
3. column — a list page: a directory URL or ``index_N`` pager, ColumnName without ArticleTitle, or a
   page whose main text is mostly dated list lines.
4. article — ArticleTitle or PubDate meta, a CMS article URL (``t20261103_123``, ``/202611/``, ``/2026/``,
   ``art_``, ``content_``), or 300+ characters of main text.
5. other.
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
_DATED_LINE = re.compile(r"(19|20)\d{2}[-/.年]\d{1,2}([-/.月]\d{1,2})?")


_LABELS = [re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[）)、.\uff0e]\s*)?(?:" + "|".join(group)
                      + r")\s*(?:[:：]|$)", re.M) for group in GUIDE_ELEMENTS]


def guide_elements(text: str) -> list[str]:
    """The guide key elements ``text`` carries as labels (a line that starts with 办理材料：, 一、申请条件, …);
    first synonym of each group. Words in running prose don't count."""
    return [group[0] for group, label in zip(GUIDE_ELEMENTS, _LABELS, strict=True) if label.search(text)]


def classify(url: str, path: str, is_start: bool, art: PageArtifacts, main_blocks: list[str]) -> str:
    if is_start or _HOME_PATH.match(path.split("?", 1)[0]):
        return "home"
    main_text = "\n".join(main_blocks)
    all_text = "\n".join(art.blocks)       # guide labels repeat on every guide: the template may hold them
    has_article_meta = bool(art.meta_value("articletitle") or art.meta_value("pubdate"))
    articleish = has_article_meta or bool(_ARTICLE_URL.search(path)) or len(main_text) >= 300
    column_name = art.meta_value("columnname") or ""
    if len(guide_elements(all_text)) >= GUIDE_MIN:
        return "service"
    if articleish and (_SERVICE_URL.search(path) or _SERVICE_WORDS.search(column_name)
                       or _SERVICE_WORDS.search(art.breadcrumb or "")) and not COLUMN_URL.search(path):
        return "service"
    if COLUMN_URL.search(path.split("?", 1)[0]) or (column_name and not art.meta_value("articletitle")):
        return "column"
    dated = sum(1 for block in main_blocks if len(block) < 80 and _DATED_LINE.search(block))
    if main_blocks and dated >= 5 and dated >= len(main_blocks) / 3:
        return "column"
    if articleish:
        return "article"
    return "other"
