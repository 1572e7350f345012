"""Findability rules over the service assessments (audits/findability.py).

The engine assesses the services after every other rule has run (gates and reasons are those rules'
findings) and puts the result on ``site.assessments`` / ``site.search_index`` before these run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from audits.model import Finding, Rule, Text
from audits.site import Site

COMPONENTS = {"gates": "准入", "reach": "可达性", "relevance": "相关性", "search": "模拟搜索"}


def check_hard(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    limit = int(params["min_score"])
    for a in site.assessments:
        if a.score >= limit:
            continue
        failing = [f"准入（{'、'.join(a.gates)}）"] if a.gates else []
        failing += [COMPONENTS[k] for k, v in (("reach", a.reach), ("relevance", a.relevance),
                                               ("search", a.search)) if v < 0.6]
        yield Finding(HARD.id, a.service.url,
                      Text(f"“{a.service.name}”可找到性得分 {a.score}（{'、'.join(failing) or '综合'}不足）",
                           f"\"{a.service.name}\" findability {a.score}"),
                      {"score": a.score, "gates": a.gates, "reach": round(a.reach, 2),
                       "relevance": round(a.relevance, 2), "search": round(a.search, 2), "reasons": a.reasons})


HARD = Rule(
    id="service-hard-to-find", category="findability", severity="error", scope="service",
    title=Text("办事服务容易被搜到", "Services are easy to find"),
    failure=Text("办事服务很难通过搜索引擎找到", "Service is hard to find through search engines"),
    why=Text("可找到性得分综合准入（能否被收录）、可达性（点击深度、站内链接、网站地图）、相关性（标题、H1、描述、群众常用词）"
             "和站内模拟搜索排名；低于 60 分的事项，群众很难通过百度找到。",
             "The findability score combines gates (can it be indexed), reachability (depth, links, sitemap), "
             "relevance (title, H1, description, everyday words) and a simulated search; below 60 citizens "
             "rarely find the service through Baidu."),
    fix=Text("按该事项列出的原因逐条修复：先解除准入问题（noindex、robots.txt、canonical、脚本/框架/附件），再改标题和链接。",
             "Fix the listed reasons, gates first (noindex, robots.txt, canonical, script/frame/attachment), "
             "then titles and links."),
    source="this project", check=check_hard, params={"min_score": 60},
)


def check_vocabulary(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    # ``everyday_missing`` is empty once the title, H1 or description carries any one of the service's
    # everyday names (Synonyms.vocabulary_gap); otherwise it lists them all, the one people type first.
    for a in site.assessments:
        if a.everyday_missing and a.service.page is not None:
            words = "、".join(f"“{w}”" for w in a.everyday_missing[:5])
            yield Finding(VOCABULARY.id, a.service.url,
                          Text(f"标题、H1 和描述中没有群众常用的任何一种说法，写出其中一个即可：{words}",
                               f"title, H1 and description carry none of the everyday names; any one would help: "
                               f"{', '.join(a.everyday_missing[:5])}"),
                          {"missing": a.everyday_missing[:10], "name": a.service.name})


VOCABULARY = Rule(
    id="service-vocabulary-gap", category="findability", severity="warning", scope="service",
    title=Text("办事指南使用群众常用词", "Guides use the words citizens search for"),
    failure=Text("办事指南缺少群众常用的说法", "Guide lacks the everyday words citizens search for"),
    why=Text("群众搜“违章”“社保卡”“公积金”，政府网站写“交通违法”“社会保障卡”“住房公积金”；标题和描述里没有常用说法，"
             "搜索引擎就不会把页面排在前面。词典见 audits/text/data/synonyms.tsv。",
             "Citizens search 违章, 社保卡, 公积金; portals write 交通违法, 社会保障卡, 住房公积金. Without the "
             "everyday word in title or description, engines don't rank the page."),
    fix=Text("在标题中事项名称后用括号补充常用说法，例如“机动车交通违法（违章）处理”，并在描述中自然地写出常用说法。",
             "Add the everyday word in brackets after the official name in the title, and use it in the "
             "description."),
    source="this project", check=check_vocabulary,
)


def check_search_rank(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    top = int(params["top"])
    for a in site.assessments:
        if a.gates:
            continue        # a gated page cannot rank at all: service-hard-to-find says why
        # Everyday-word queries are service-vocabulary-gap's business; here: the name, its key terms, the user's.
        missed = [q for q in a.queries if q.kind != "everyday" and (q.position is None or q.position > top)]
        if missed:
            first = missed[0]
            where = f"第 {first.position} 位" if first.position else "前 10 名以外"
            yield Finding(SEARCH_RANK.id, a.service.url,
                          Text(f"站内模拟搜索“{first.text}”时排在{where}（共 {len(missed)} 个搜索词未进前 {top}）",
                               f"simulated search for \"{first.text}\": {first.position or 'not in top 10'} "
                               f"({len(missed)} queries outside the top {top})"),
                          {"queries": [{"query": q.text, "kind": q.kind, "position": q.position} for q in a.queries]})


SEARCH_RANK = Rule(
    id="service-search-rank", category="findability", severity="warning", scope="service",
    title=Text("办事指南在模拟搜索中排名靠前", "Guides rank in the simulated search"),
    failure=Text("模拟搜索中排名靠后", "Service ranks low in the simulated search"),
    why=Text("用本站可收录页面建立的 BM25F 索引（标题、H1、描述、正文，jieba 搜索引擎模式分词）模拟搜索引擎；"
             "搜事项名称或常用说法时本页不在前 3 名，真实搜索中也很可能被其他页面挤下去。",
             "A BM25F index of the site's indexable pages (title, H1, description, body; jieba search mode) "
             "stands in for an engine; if the guide is not in the top 3 for its own name or everyday words, "
             "other pages will outrank it on Baidu too."),
    fix=Text("标题和 H1 以事项全称开头，描述写明办理对象和常用说法，避免多个页面使用相同或相近的标题。",
             "Start title and H1 with the full service name, describe who it is for with the everyday words, "
             "and avoid several pages with the same title."),
    source="this project", check=check_search_rank, params={"top": 3},
)


def check_queries(site: Site, params: dict[str, Any]) -> Iterator[Finding]:
    top = int(params["top"])
    for query in site.user_queries:
        if not query.url:
            continue
        if query.position is None or query.position > top:
            yield Finding(UNANSWERED.id, query.url,
                          Text(f"群众搜索“{query.text}”时，本页不在站内模拟搜索的前 {top} 名",
                               f"for the query \"{query.text}\" this page is not in the top {top}"),
                          {"query": query.text, "position": query.position, "top_results": query.top_results})


UNANSWERED = Rule(
    id="query-unanswered", category="findability", severity="error", scope="site",
    title=Text("群众搜索词能找到对应页面", "Citizens' queries find their page"),
    failure=Text("群众搜索词找不到对应页面", "A citizen query does not find its page"),
    why=Text("站内搜索日志或 12345 热线记录里的真实搜索词（--queries）是群众的原话；对应页面不在前 10 名，说明网站没有用群众的话说事。",
             "Real queries from the site-search log or hotline (--queries) are citizens' own words; if the "
             "intended page is not in the top 10, the site doesn't speak their language."),
    fix=Text("把搜索词中的说法写进对应页面的标题、H1 或描述；确认页面可被收录。",
             "Put the query's wording into the page's title, H1 or description; make sure the page is indexable."),
    source="this project", check=check_queries, params={"top": 10},
    judges=lambda site: sum(1 for query in site.user_queries if query.url),
)

RULES = [HARD, VOCABULARY, SEARCH_RANK, UNANSWERED]
