"""thin-content and near-duplicate: judged on the page's own text (site template removed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site
from audits.text.neardup import NearDuplicates

# Content pages: lists, the home page and utility pages (contact, site map) are judged by other rules.
CONTENT_KINDS = ("article", "service")
_SPACE = re.compile(r"\s+")


def check_thin(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    minimum = int(params["min_chars"])
    for page in site.html_pages():
        if site.kind(page) not in CONTENT_KINDS or page.id not in site.indexable_ids:
            continue
        chars = len(_SPACE.sub("", site.main_text(page)))
        if chars < minimum:
            yield Finding(THIN.id, page.url, Text(f"正文（去除网站模板后）只有 {chars} 个字",
                                                  f"main text (template removed) has {chars} characters"),
                          {"chars": chars, "min_chars": minimum})


THIN = Rule(
    id="thin-content", category="content", severity="warning", scope="page",
    title=Text("页面有足够的正文", "Page has enough text of its own"),
    failure=Text("正文内容过少", "Thin content"),
    why=Text("去掉导航、页脚等全站重复的模板后正文寥寥的页面，搜索引擎视为低质量页面，很少收录或排名靠后。",
             "With navigation and footer removed, a page with little text of its own is low quality for "
             "engines."),
    fix=Text("补充办理对象、条件、材料、流程等实质内容；只有附件的页面，把附件内容写成网页正文。",
             "Add the substance (who, conditions, documents, steps); turn attachments into page text."),
    source="SF", check=check_thin, params={"min_chars": 150}, local=True,
)


_NON_WORD = re.compile(r"[\W_]+")


def check_near_duplicate(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    """Jaccard similarity of character 5-gram shingles of the main text (punctuation and spaces removed):
    independent of word segmentation, and a changed word costs a few shingles, not a sentence."""
    def text(page_id: int) -> str:      # a str: its characters are the tokens
        return _NON_WORD.sub("", site.main_text(site.pages[page_id]))

    # the candidates' texts are read again from the shelf rather than every page's shingles kept
    detector = NearDuplicates(threshold=float(params["threshold"]), min_tokens=int(params["min_chars"]),
                              shingle_size=int(params["shingle_chars"]), tokens_of=text,
                              capacity=len(site.indexable_ids))
    for page in site.html_pages():
        if page.id in site.indexable_ids:
            detector.add(page.id, text(page.id))
    similar: dict[int, list[tuple[str, float]]] = {}
    for a, b, score in detector.pairs():
        similar.setdefault(a, []).append((site.pages[b].url, score))
        similar.setdefault(b, []).append((site.pages[a].url, score))
    for page_id, others in similar.items():
        others.sort(key=lambda item: (-item[1], item[0]))
        url, score = others[0]
        yield Finding(NEAR_DUP.id, site.pages[page_id].url,
                      Text(f"正文与 {url} 的相似度为 {score:.0%}", f"main text {score:.0%} similar to {url}"),
                      {"other": url, "similarity": round(score, 3),
                       "others": [{"url": u, "similarity": round(s, 3)} for u, s in others[:10]]})


NEAR_DUP = Rule(
    id="near-duplicate", category="content", severity="warning", scope="page",
    title=Text("页面正文各不相同", "Pages have distinct text"),
    failure=Text("页面正文高度重复", "Near-duplicate content"),
    why=Text("正文几乎相同的页面（如同一事项的多个版本、照抄的办事指南、不同部门转载）会被搜索引擎合并，只展示其中之一，"
             "往往不是最新最准的那个。相似度 = 两页正文（去除模板、标点和空白）5 字片段集合的 Jaccard 系数。",
             "Engines fold near-identical pages together and show one, often not the current one. Similarity = "
             "Jaccard index of the 5-character shingles of the two main texts (template, punctuation, spaces "
             "removed)."),
    fix=Text("合并重复页面并 301 重定向，或用 canonical 指向权威版本；确有区别的，写明各自的适用对象和差异。",
             "Merge duplicates with a 301, or point a canonical at the authoritative version; where they "
             "differ, say how."),
    source="SF", check=check_near_duplicate, params={"threshold": 0.9, "min_chars": 100, "shingle_chars": 5},
)

RULES = [THIN, NEAR_DUP]
