"""Chinese keyword rules on jieba terms: title-stuffing, title-h1-mismatch, keyword-stuffing, keyword-focus.

Every page is segmented once (``Site.terms`` for the main text, ``Site.title_terms`` for the title)
through the project tokenizer with the government user dictionary and stop-words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site
from audits.text.keywords import stuffing_terms

# Separators of a keyword-list title ("社保,医保,公积金,..."); _ and - are Baidu's page_column_site pattern.
# Spaces are not separators: they separate the words of an English title.
_LIST_SEPARATORS = re.compile(r"[,，、|｜/;；]+")
CONTENT_KINDS = ("article", "service")


def check_title_stuffing(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    for page in site.html_pages():
        title = page.artifacts.title if page.artifacts else None
        if not title:
            continue
        repeated = stuffing_terms(site.title_terms(page), site.name_terms, min_count=int(params["min_repeats"]))
        segments = [s for s in _LIST_SEPARATORS.split(title) if s]
        is_list = len(segments) >= int(params["list_min_segments"]) and \
            all(len(s) <= int(params["list_max_segment"]) for s in segments)
        if repeated:
            words = "、".join(f"“{t}”{n} 次" for t, n in repeated.items())
            yield Finding(STUFFING.id, page.url, Text(f"标题中词语重复：{words}",
                                                     f"title repeats terms: {repeated}"),
                          {"title": title, "repeated": repeated})
        elif is_list:
            yield Finding(STUFFING.id, page.url, Text(f"标题是关键词的罗列（{len(segments)} 段）",
                                                     f"title is a list of keywords ({len(segments)} parts)"),
                          {"title": title, "segments": segments[:10]})


STUFFING = Rule(
    id="title-stuffing", category="content", severity="warning", scope="page",
    title=Text("标题不堆砌关键词", "Title is not stuffed"),
    failure=Text("标题堆砌关键词", "Title is stuffed with keywords"),
    why=Text("百度清风算法打击标题堆砌关键词、罗列关键词的页面，会降低其排名甚至不予展示。",
             "Baidu's Qingfeng algorithm demotes or hides pages whose titles repeat or list keywords."),
    fix=Text("标题只写本页的名称（如事项全称）、栏目名和网站名，每个词出现一次；群众常用说法可用括号补充一次。",
             "Write the page's own name, column and site once each; add the citizens' everyday word once in "
             "brackets if needed."),
    source="BD 清风", check=check_title_stuffing,
    params={"min_repeats": 3, "list_min_segments": 4, "list_max_segment": 6}, local=True,
)


def _key(terms: list[str], exclude: set[str]) -> set[str]:
    return {t for t in terms if len(t) >= 2 and t not in exclude}


def check_title_h1(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    exclude = set(site.name_terms)
    for page in site.html_pages():
        art = page.artifacts
        h1s = [h for h in (art.h1s if art else []) if h]
        if not art or not art.title or len(set(h1s)) != 1:
            continue       # title-missing / h1-missing report those
        h1 = h1s[0]
        column = art.meta_value("columnname") or ""
        title_terms = _key(site.title_terms(page), exclude | set(site.tokenizer.terms(column)))
        h1_terms = _key(site.tokenizer.terms(h1), exclude)
        if not title_terms or not h1_terms or title_terms & h1_terms or h1 in art.title:
            continue
        yield Finding(MISMATCH.id, page.url, Text(f"标题与主标题（H1）“{h1}”没有共同的关键词",
                                                  f"title and H1 \"{h1}\" share no key term"),
                      {"title": art.title, "h1": h1})


MISMATCH = Rule(
    id="title-h1-mismatch", category="content", severity="notice", scope="page",
    title=Text("标题与主标题一致", "Title and H1 agree"),
    failure=Text("标题与主标题（H1）不一致", "Title and H1 share no key term"),
    why=Text("标题和 H1 说的不是一回事时，搜索引擎难以判断页面主题，百度可能改写搜索结果中的标题。",
             "When title and H1 disagree, engines can't tell the topic and Baidu may rewrite the result title."),
    fix=Text("让标题以 H1 中的页面名称开头，例如 H1“社会保障卡申领”对应标题“社会保障卡申领_个人办事_XX市人民政府”。",
             "Start the title with the H1's page name."),
    source="BD", check=check_title_h1, local=True,
)


def check_keyword_stuffing(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    min_tokens, limit = int(params["min_tokens"]), float(params["max_density"])
    for page in site.html_pages():
        words = site.word_count(page)
        terms = [t for t in site.terms(page) if len(t) >= 2]
        if words < min_tokens or not terms:
            continue
        term, count = Counter(terms).most_common(1)[0]
        share = count / words
        if share > limit:
            yield Finding(KEYWORD_STUFFING.id, page.url,
                          Text(f"“{term}”占正文词语的 {share:.0%}（{count}/{words}）",
                               f"\"{term}\" is {share:.0%} of the body's words ({count}/{words})"),
                          {"term": term, "count": count, "tokens": words, "density": round(share, 4)})


KEYWORD_STUFFING = Rule(
    id="keyword-stuffing", category="content", severity="warning", scope="page",
    title=Text("正文不堆砌关键词", "Body text is not stuffed"),
    failure=Text("正文关键词堆砌", "Body text is stuffed with a keyword"),
    why=Text("同一个词在正文中反复出现、远超自然写作的频率，会被百度视为作弊。"
             "密度 = 该词（非停用词）出现次数 ÷ 正文词语数（jieba 分词，计入停用词，不计数字和标点）；正文不少于 200 个词才判断。",
             "A word repeated far beyond natural writing is treated as spam. Density = occurrences of the "
             "(non-stop-word) term / body words (jieba words, stop-words counted, numbers and punctuation not); "
             "bodies of 200+ words only."),
    fix=Text("按自然语言写作，删除为排名而重复的词句；同义表达可以换用群众常用说法。",
             "Write naturally; remove repetitions added for ranking."),
    source="BD", check=check_keyword_stuffing, params={"max_density": 0.05, "min_tokens": 200}, local=True,
)


def check_keyword_focus(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    top_k, min_terms = int(params["top_terms"]), int(params["min_terms"])
    for page in site.html_pages():
        if site.kind(page) not in CONTENT_KINDS or not page.artifacts or not page.artifacts.title:
            continue
        terms = site.terms(page)
        if len(terms) < min_terms:
            continue
        key = [term for term, _ in site.key_terms.extract_terms(terms, top_k=top_k)]
        title = page.artifacts.title
        if key and not any(term in title for term in key):
            yield Finding(FOCUS.id, page.url, Text(f"标题不含正文的任何核心词（{'、'.join(key)}）",
                                                   f"the title has none of the body's key terms ({', '.join(key)})"),
                          {"title": title, "key_terms": key})


FOCUS = Rule(
    id="keyword-focus", category="content", severity="notice", scope="page",
    title=Text("标题包含正文核心词", "Title carries the body's key terms"),
    failure=Text("标题没有体现正文核心词", "Title misses the body's key terms"),
    why=Text("搜索引擎用标题判断页面与搜索词的相关性；正文的核心词（TF-IDF，按本站页面计算）都不在标题中时，页面很难被搜到。",
             "Engines match searches against the title; if none of the body's key terms (TF-IDF over this "
             "site) is in it, the page is hard to find."),
    fix=Text("把正文最核心的名词（如事项名称、证照名称）写进标题开头。",
             "Put the body's main nouns (service or certificate names) at the start of the title."),
    source="BD", check=check_keyword_focus, params={"top_terms": 5, "min_terms": 30}, local=True,
)

RULES = [STUFFING, MISMATCH, KEYWORD_STUFFING, FOCUS]
