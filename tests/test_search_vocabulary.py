"""A SearchIndex restricted to the queries' vocabulary answers those queries exactly as the full index.

The restricted index keeps postings only for the terms of the queries that will be asked, but still
counts every term in N, the field lengths and df: scores must be the same floats, rankings and
positions the same (ties in insertion order), and a query term outside the vocabulary must raise.
"""

from __future__ import annotations

import random
import unicodedata
from collections import Counter

import numpy as np
import pytest

from audits import findability
from audits.findability import assess, build_index, service_queries
from audits.search import FIELDS, OutOfVocabulary, SearchIndex, analyse_queries, query_vocabulary
from audits.services import detect_services
from audits.synonyms import load_synonyms
from audits.text.tokenizer import Tokenizer, get_tokenizer
from govseo.sample_portal import demo_queries


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return get_tokenizer()


def same_answers(full: SearchIndex, restricted: SearchIndex, queries: list[str]) -> int:
    """Assert identical scores, search results and positions; returns the number of ranked documents."""
    rng = random.Random(len(queries))
    docs = list(full._doc_ids)
    compared = 0
    for query in queries:
        scores = full.scores(query)
        assert np.array_equal(restricted.scores(query), scores), query      # the same floats
        ranking = full.search(query, top_k=None)
        assert restricted.search(query, top_k=None) == ranking, query
        assert restricted.search(query, top_k=3) == full.search(query, top_k=3) == ranking[:3], query
        rank = {doc_id: i for i, (doc_id, _) in enumerate(ranking, start=1)}
        expected = [rank.get(d) for d in docs]
        assert restricted.positions(query, docs) == full.positions(query, docs) == expected, query
        assert dense_positions(full, query, docs) == expected, query
        sample = [d for d, _ in ranking[:25]] + rng.sample(docs, 15)
        assert [restricted.position(query, d) for d in sample] == [full.position(query, d) for d in sample] \
            == [rank.get(d) for d in sample], query
        assert restricted.positions(query, sample[:5]) == [rank.get(d) for d in sample[:5]], query   # counted
        compared += len(ranking)
    return compared


def dense_positions(index: SearchIndex, query: str, doc_ids: list[object], top_k: int | None = None) -> list[int | None]:
    """Reference ranks from the score of every document: 1 + those scoring higher + equal ones before."""
    scores = index.scores(query)
    ranks: list[int | None] = []
    for doc_id in doc_ids:
        i = index._doc_index.get(doc_id)
        rank = (None if i is None or scores[i] <= 0 else
                1 + int((scores > scores[i]).sum()) + int((scores[:i] == scores[i]).sum()))
        ranks.append(None if rank is None or (top_k is not None and rank > top_k) else rank)
    return ranks


# -- the sample portal ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def portal_queries(portal, portal_site) -> list[str]:
    """What assess asks (service names, everyday variants, key terms, the search log) plus phrases cut
    from the pages' titles and H1s, so that common and rare terms, ties and misses all occur."""
    site = portal_site
    synonyms = load_synonyms()
    user = demo_queries(portal)
    queries = [text for text, _ in user]
    for service in detect_services(site):
        queries += [q.text for q in service_queries(site, service, synonyms, user)]
    rng = random.Random(7)
    for page in site.html_pages():
        if page.artifacts is not None:
            for text in (page.artifacts.title or "", *page.artifacts.h1s):
                if len(text) > 4:
                    start = rng.randrange(len(text) - 3)
                    queries.append(text[start:start + rng.randint(2, 8)])
    queries += ["办理", "材料 流程", "首页", ""]
    return list(dict.fromkeys(queries))


def test_restricted_index_answers_the_portal_queries_exactly(portal_site, portal_queries, tok) -> None:
    vocabulary = query_vocabulary(portal_queries, tok)
    analysed = analyse_queries(portal_queries + portal_queries[:5], tok)
    assert list(analysed) == portal_queries and {t for terms in analysed.values() for t in terms} == vocabulary
    for min_match in (0.0, 0.75):
        full = build_index(portal_site, min_match)
        restricted = build_index(portal_site, min_match, vocabulary)
        assert len(restricted) == len(full) > 50
        assert restricted.num_postings < full.num_postings
        assert all(list(terms) == full.query_terms(query) == restricted.query_terms(query)
                   for query, terms in analysed.items())
        assert same_answers(full, restricted, portal_queries) > 200


def test_assess_with_the_vocabulary_equals_assess_on_the_full_index(portal, portal_site, monkeypatch) -> None:
    """assess builds the restricted index and ranks each distinct query once; the same assessments as
    with the full index asked query by query."""
    user = demo_queries(portal)

    def flatten(assessments):
        return [(a.service.url, a.score, a.rank, a.reach, a.relevance, a.search, a.gates, a.reasons,
                 a.everyday_missing, [(q.text, q.kind, q.position) for q in a.queries]) for a in assessments]

    def user_answers():
        return [(q.text, q.url, q.position, q.top_results) for q in portal_site.user_queries]

    restricted = flatten(assess(portal_site, {}, None, None, user))
    restricted_user = user_answers()
    full_index = findability.build_index
    monkeypatch.setattr(findability, "build_index", lambda site, min_match, vocabulary=None: full_index(site, min_match))
    monkeypatch.setattr(SearchIndex, "positions", dense_positions)
    full = flatten(assess(portal_site, {}, None, None, user))
    assert restricted == full
    assert restricted_user == user_answers()
    assert any(q[2] for a in full for q in a[-1]) and any(q[2] is None for a in full for q in a[-1])


# -- generated Chinese pages ------------------------------------------------------------------------

WORDS = ["社会保障卡", "申领", "补办", "住房公积金", "提取", "居住证", "办理", "材料", "流程", "户口", "迁移",
         "营业执照", "最低生活保障", "申请", "机动车", "交通违法", "处理", "失业保险金", "出生医学证明",
         "不动产登记", "医保", "报销", "异地", "就医", "备案", "残疾人", "护理", "补贴", "老年人", "优待证"]
RARE = ["殡葬", "渔船", "船员", "档案", "兵役", "宅基地", "林权", "取水", "排污", "文物", "种子", "采砂", "爆破",
        "烟花", "彩票", "典当", "拍卖", "测绘", "气象", "地震", "人防", "水土保持", "草原", "矿产", "盐业"]
FILLER = ["我市", "开展", "宣传", "活动", "群众", "服务", "窗口", "工作日", "受理", "审核", "通知", "发布"]


def generated_pages(n: int, seed: int) -> list[tuple[str, dict[str, str]]]:
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        topic = rng.sample(WORDS, 2)
        rare = RARE[i // 4 % len(RARE)] if i % 4 == 0 else ""      # on 6 pages each
        title = "".join(topic) + rare + ("指南" if i % 3 else "") + f"（{i % 17}）_临江市人民政府"
        body = "，".join("".join(rng.choice(WORDS + FILLER * 3) for _ in range(rng.randint(2, 6)))
                        for _ in range(rng.randint(3, 40)))
        fields = {"title": title, "h1": "".join(topic) if i % 5 else "",
                  "description": f"{topic[0]}的条件和材料" if i % 2 else "", "body": body}
        pages.append((f"p{i}", fields))
    pages += [("copy-a", pages[0][1]), ("copy-b", pages[0][1])]      # exact ties
    return pages


def generated_queries(seed: int) -> list[str]:
    rng = random.Random(seed)
    queries = ["".join(rng.sample(WORDS, rng.randint(1, 3))) for _ in range(60)]
    queries += [" ".join(rng.sample(WORDS, 2)) for _ in range(20)] + WORDS[:10] + ["违章", "我市 服务"]
    queries += [rng.choice(RARE) + "".join(rng.sample(WORDS, rng.randint(0, 2))) for _ in range(20)]
    return queries


@pytest.mark.parametrize("params", [{}, {"min_match": 0.75}, {"min_match": 0.5, "weights": {"title": 1, "body": 4}},
                                    {"b": {"body": 0.0, "title": 1.0}, "k1": 2.0}])
def test_restricted_index_on_generated_pages(tok, params) -> None:
    pages = generated_pages(400, seed=5)
    queries = generated_queries(seed=9)
    vocabulary = query_vocabulary(queries, tok)
    full, restricted = SearchIndex(tok, **params), SearchIndex(tok, vocabulary=vocabulary, **params)
    for doc_id, fields in pages:
        full.add(doc_id, **fields)
        restricted.add(doc_id, **fields)
    assert same_answers(full, restricted, queries) > 1000


def test_build_arrays_hold_only_the_vocabulary(tok) -> None:
    pages = generated_pages(300, seed=1)
    vocabulary = query_vocabulary(["住房公积金提取", "机动车 交通违法", "优待证"], tok)
    full, restricted = SearchIndex(tok), SearchIndex(tok, vocabulary=vocabulary)
    entries = Counter()     # (term, document, field) entries of the full index, per term
    for doc_id, fields in pages:
        full.add(doc_id, **fields)
        restricted.add(doc_id, **fields)
        for name in FIELDS:
            entries.update(set(full.analyse(fields[name])))
    assert full.pending_entries == sum(entries.values())
    assert restricted.pending_entries == sum(n for term, n in entries.items() if term in vocabulary) > 0
    assert restricted.pending_entries * 4 < full.pending_entries
    full.finalise()
    restricted.finalise()
    assert restricted.pending_entries == full.pending_entries == 0
    df = {term: int(full._offsets[number + 1] - full._offsets[number]) for term, number in full._vocab.items()}
    assert restricted.num_postings == sum(df.get(term, 0) for term in vocabulary)
    assert restricted.num_terms == sum(term in df for term in vocabulary) <= len(vocabulary) < full.num_terms
    assert restricted.vocabulary == frozenset(vocabulary) and full.vocabulary is None


def test_lengths_and_df_count_every_term(tok) -> None:
    """Terms outside the vocabulary still lengthen their fields: length normalisation is unchanged."""
    filler = [f"词{i}" for i in range(300)]
    docs = [("long", {"body": ["低保", *filler]}), ("short", {"body": ["低保", *filler[:10]]}),
            ("none", {"title": ["社保"]})]
    full, restricted = SearchIndex(tok), SearchIndex(tok, vocabulary=["低保"])
    for doc_id, fields in docs:
        full.add_tokens(doc_id, fields)
        restricted.add_tokens(doc_id, fields)
    assert restricted.search("低保") == full.search("低保")
    assert [d for d, _ in restricted.search("低保")] == ["short", "long"]
    assert restricted.num_postings == 2 and full.num_postings == 2 + 300 + 10 + 1


def test_a_query_outside_the_vocabulary_raises(tok) -> None:
    index = SearchIndex(tok, vocabulary=query_vocabulary(["住房公积金提取"], tok))
    index.add("a", title="住房公积金提取", body="社会保障卡申领的条件和材料")
    for ask in (lambda q: index.search(q), lambda q: index.position(q, "a"), lambda q: index.scores(q),
                lambda q: index.positions(q, ["a", "b"]), index.query_terms):
        with pytest.raises(OutOfVocabulary, match="社会保障卡"):
            ask("住房公积金 社会保障卡")
        with pytest.raises(ValueError):     # OutOfVocabulary is a ValueError
            ask(["社会保障卡"])
    assert index.position("住房公积金提取", "a") == 1
    assert index.position("公积金", "a") == 1            # a sub-word of a query is in the vocabulary
    assert index.search("") == [] and index.search("的 了 2026年") == []    # no terms: nothing to miss
    assert index.position("住房公积金", "no-such-page") is None


def test_words_and_tokens_build_the_same_index(tok) -> None:
    """add_words (precise words, expanded by the index) == add_tokens of their search tokens == add."""
    pages = generated_pages(120, seed=3)
    by_text, by_tokens, by_words = SearchIndex(tok), SearchIndex(tok), SearchIndex(tok)
    for doc_id, fields in pages:
        by_text.add(doc_id, **fields)
        words = {name: tok.terms(text) for name, text in fields.items()}
        by_tokens.add_tokens(doc_id, {name: tok.search_tokens(w) for name, w in words.items() if name != "body"},
                             words={"body": words["body"]})
        by_words.add_words(doc_id, words)
    mixed = SearchIndex(tok)
    for doc_id, fields in pages:
        mixed.add_tokens(doc_id, {name: tok.search_tokens(tok.terms(text)) for name, text in fields.items()})
    for query in generated_queries(seed=4):
        assert np.array_equal(by_tokens.scores(query), by_words.scores(query))
        assert np.array_equal(by_tokens.scores(query), mixed.scores(query))
    # a text is indexed as the search expansion of its precise (NFKC) words
    by_cut = SearchIndex(tok)
    for doc_id, fields in pages:
        by_cut.add_words(doc_id, {name: tok.cut(unicodedata.normalize("NFKC", text)) for name, text in fields.items()})
    for query in generated_queries(seed=4):
        assert np.array_equal(by_cut.scores(query), by_text.scores(query))
    with pytest.raises(ValueError, match="both"):
        by_words.add_tokens("x", {"body": ["a"]}, words={"body": ["a"]})


def test_positions_of_many_documents_equal_position(tok) -> None:
    """positions() sorts the matches once (many documents) or counts (few): the same ranks as position(),
    on the sparse (rare terms) and the dense (common terms) paths, with top_k."""
    pages = generated_pages(600, seed=11)
    index = SearchIndex(tok, min_match=0.75)
    for doc_id, fields in pages:
        index.add(doc_id, **fields)
    index.finalise()
    rng = random.Random(13)
    docs = [d for d, _ in pages] + ["missing"]
    dense = sparse = 0
    for query in generated_queries(seed=12):
        terms = index.query_terms(query)
        if index._candidates(terms) is None:
            dense += 1
        else:
            sparse += 1
        rank = {doc_id: i for i, (doc_id, _) in enumerate(index.search(query, top_k=None), start=1)}
        single = [rank.get(d) for d in docs]
        sample = rng.sample(range(len(docs)), 25)
        assert [index.position(query, docs[i]) for i in sample] == [single[i] for i in sample]
        assert index.positions(query, docs) == single
        assert index.positions(query, docs, top_k=5) == [p if p is not None and p <= 5 else None for p in single]
        assert index.positions(query, list(reversed(docs))) == list(reversed(single))
        assert index.positions(query, []) == []
    assert dense > 5 and sparse > 5
