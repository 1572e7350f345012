"""BM25F simulated site search on small corpora of government pages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from audits.search import DEFAULT_B, DEFAULT_WEIGHTS, FIELDS, SearchIndex
from audits.synonyms import load_synonyms
from audits.text.tokenizer import Tokenizer, get_tokenizer

SITE = "_云溪市人民政府"

# (doc_id, title, h1, description, body): pages as a 办事指南 portal publishes them.
PAGES = [
    ("wf", "机动车交通违法处理" + SITE, "机动车交通违法处理", "机动车交通违法处理的办理条件、材料与流程",
     "事项名称：机动车交通违法处理。实施机关：云溪市公安局交通警察支队。申请条件：机动车驾驶人"
     "对交通技术监控设备记录的交通违法行为进行处理。办理材料：机动车驾驶证、机动车行驶证。"
     "办理地点：各交通违法处理窗口。承诺时限：即办。"),
    ("news", "我市开展道路交通安全宣传月活动" + SITE, "我市开展道路交通安全宣传月活动", "",
     "本月，市公安局交警支队在全市开展道路交通安全宣传活动，走进学校、社区和企业，讲解安全出行"
     "知识，发放宣传资料两万余份。活动期间还开展了电动自行车头盔佩戴专项行动，市民可通过政务服务网"
     "查询交通违法记录。下一步，交警部门将继续加强宣传教育，营造文明交通的良好氛围。"),
    ("gjj", "住房公积金提取" + SITE, "住房公积金提取", "职工提取住房公积金的条件和材料",
     "事项名称：住房公积金提取。申请条件：职工购买、建造、翻建、大修自住住房的，偿还购房贷款本息的，"
     "租房自住的，可以提取职工住房公积金账户内的存储余额。办理材料：身份证、购房合同。"),
    ("sbk", "社会保障卡申领" + SITE, "社会保障卡申领", "首次申领社会保障卡",
     "事项名称：社会保障卡申领。申请条件：参加本市社会保险的人员。办理材料：居民身份证、近期照片。"
     "办理地点：各社会保险经办机构及合作银行网点。"),
    ("db", "最低生活保障申请" + SITE, "最低生活保障申请", "城乡居民最低生活保障的申请条件与流程",
     "事项名称：最低生活保障申请。申请条件：共同生活的家庭成员人均收入低于当地最低生活保障标准，"
     "且符合家庭财产状况规定。办理材料：申请书、户口簿、收入证明。实施机关：区民政局。"),
    ("faq", "常见问题" + SITE, "常见问题", "",
     "问：违章了怎么处理？答：可在交警窗口或网上办理。问：公积金怎么提？答：见住房公积金提取指南。"),
]


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return get_tokenizer()


@pytest.fixture(scope="module")
def site(tok: Tokenizer) -> SearchIndex:
    index = SearchIndex(tokenizer=tok)
    for doc_id, title, h1, description, body in PAGES:
        index.add(doc_id, title=title, h1=h1, description=description, body=body)
    index.finalise()
    return index


def ids(results: list[tuple[object, float]]) -> list[object]:
    return [doc_id for doc_id, _ in results]


def tokens_index(docs: list[tuple[str, dict[str, list[str]]]], **params: object) -> SearchIndex:
    index = SearchIndex(**params)  # type: ignore[arg-type]
    for doc_id, fields in docs:
        index.add_tokens(doc_id, fields)
    index.finalise()
    return index


# -- ranking on a realistic corpus ------------------------------------------------------------------

def test_title_page_ranks_first(site: SearchIndex) -> None:
    results = site.search("机动车交通违法处理")
    assert results[0][0] == "wf"
    # Near miss: the news page only mentions 交通违法 in its body; it is found, but lower.
    assert site.position("机动车交通违法处理", "news") is not None
    assert site.position("机动车交通违法处理", "news") > 1
    assert site.search("住房公积金提取")[0][0] == "gjj"
    assert site.search("社会保障卡")[0][0] == "sbk"
    assert site.search("低保") == []  # everyday word absent from every page


def test_everyday_word_finds_only_pages_that_contain_it(site: SearchIndex) -> None:
    # The vocabulary gap: 违章 is what citizens type, 交通违法 is what the guide says.
    assert ids(site.search("违章")) == ["faq"]
    assert site.position("违章", "wf") is None
    # Near miss: the official terms the dictionary gives for 违章 do find the guide first.
    officials = load_synonyms().officials_for("违章")
    assert "交通违法" in officials
    assert site.position(officials[0], "wf") == 1
    # A query mixing the everyday word and the official term finds both pages.
    assert set(ids(site.search("违章 交通违法", top_k=None))) >= {"wf", "faq"}


def test_absent_query_terms_contribute_nothing(site: SearchIndex) -> None:
    assert site.search("住房公积金 火星探测器") == site.search("住房公积金")
    assert site.search("火星探测器") == []
    assert site.search("") == []
    assert site.search("的 了 首页 2026年") == []  # stop words, portal chrome and numbers only


# -- BM25F components, on controlled token lists ----------------------------------------------------

def test_score_matches_formula() -> None:
    docs = [("a", {"title": ["公积金", "提取"], "body": ["公积金", "贷款", "条件", "材料"]}),
            ("b", {"title": ["社保卡"], "body": ["材料", "条件"]})]
    index = tokens_index(docs)
    n, df = 2, 1
    avg_title, avg_body = 1.5, 3.0
    w, b, k1 = DEFAULT_WEIGHTS, DEFAULT_B, 1.2
    tf = (w["title"] * 1 / (1 - b["title"] + b["title"] * 2 / avg_title)
          + w["body"] * 1 / (1 - b["body"] + b["body"] * 4 / avg_body))
    expected = math.log(1 + (n - df + 0.5) / (df + 0.5)) * tf / (k1 + tf)
    [(doc_id, score)] = index.search("公积金")
    assert doc_id == "a"
    assert score == pytest.approx(expected, rel=1e-6)


def test_field_weights_matter() -> None:
    body = ["办理", "材料", "条件", "流程", "时限"]
    docs = [("in_title", {"title": ["失业保险金", "申领"], "body": body}),
            ("in_body", {"title": ["办事", "服务"], "body": [*body[:3], "失业保险金", "申领"]})]
    default = tokens_index(docs)
    assert ids(default.search("失业保险金")) == ["in_title", "in_body"]
    flipped = tokens_index(docs, weights={"title": 1, "body": 5})
    assert ids(flipped.search("失业保险金")) == ["in_body", "in_title"]
    # Near miss: re-weighting a field neither page uses for the term changes nothing.
    other = tokens_index(docs, weights={"description": 9, "h1": 0})
    assert other.search("失业保险金") == default.search("失业保险金")


def test_zero_weight_field_does_not_match() -> None:
    docs = [("a", {"description": ["公积金"]}), ("b", {"body": ["社保"]})]
    assert tokens_index(docs, weights={"description": 0}).search("公积金") == []


def test_length_normalisation() -> None:
    filler = [f"词{i}" for i in range(300)]
    docs = [("long", {"body": ["低保", *filler]}), ("short", {"body": ["低保", *filler[:10]]})]
    index = tokens_index(docs)
    assert ids(index.search("低保")) == ["short", "long"]
    # Near miss: with b = 0 for the body, length no longer matters: a tie, kept in insertion order.
    flat = tokens_index(docs, b={"body": 0.0})
    (first, s1), (second, s2) = flat.search("低保")
    assert (first, second) == ("long", "short")
    assert s1 == pytest.approx(s2)


def test_idf_common_term_contributes_almost_nothing() -> None:
    docs = [(f"p{i}", {"title": ["办事指南", f"事项{i}"], "body": ["办理", "材料"]}) for i in range(50)]
    docs.append(("gjj", {"title": ["办事指南", "住房公积金"], "body": ["办理", "材料"]}))
    index = tokens_index(docs)
    common = index.search("办事指南", top_k=1)[0][1]
    rare = index.search("住房公积金")[0][1]
    assert common < 0.01 * rare
    assert index.search("办事指南 住房公积金", top_k=3)[0][0] == "gjj"
    # Near miss: a term on half the pages still carries weight.
    half = tokens_index([(f"p{i}", {"title": ["社保" if i % 2 else "医保"]}) for i in range(50)])
    assert half.search("社保", top_k=1)[0][1] > 0.3


def test_repeated_terms_saturate() -> None:
    docs = [("once", {"body": ["医保", "报销", "材料"]}), ("many", {"body": ["医保"] * 30 + ["报销", "材料"]})]
    index = tokens_index(docs, b={"body": 0.0})
    scores = dict(index.search("医保"))
    once, many = scores["once"], scores["many"]
    assert once < many < once * (1 + 1.2)  # bounded by the saturation (k1 + 1) / 1


# -- positions and determinism ----------------------------------------------------------------------

def test_position(site: SearchIndex) -> None:
    ranking = ids(site.search("住房公积金", top_k=None))
    assert ranking[0] == "gjj"
    for rank, doc_id in enumerate(ranking, start=1):
        assert site.position("住房公积金", doc_id) == rank
    assert site.position("住房公积金", "sbk") is None  # no match
    assert site.position("住房公积金", "no-such-page") is None
    assert site.position("住房公积金", ranking[1], top_k=1) is None  # beyond top_k
    assert site.position("住房公积金", ranking[1], top_k=2) == 2


def test_ties_in_insertion_order_and_deterministic() -> None:
    page = {"title": ["居住证", "办理"], "body": ["材料", "条件"]}
    index = tokens_index([("z", page), ("a", page), ("m", page)])
    assert ids(index.search("居住证")) == ["z", "a", "m"]
    assert [index.position("居住证", d) for d in "zam"] == [1, 2, 3]
    assert ids(index.search("居住证", top_k=2)) == ["z", "a"]
    reordered = tokens_index([("m", page), ("z", page), ("a", page)])
    assert ids(reordered.search("居住证")) == ["m", "z", "a"]


def test_rebuild_gives_identical_results(tok: Tokenizer, site: SearchIndex) -> None:
    again = SearchIndex(tokenizer=tok)
    for doc_id, title, h1, description, body in PAGES:
        again.add(doc_id, title=title, h1=h1, description=description, body=body)
    for query in ("机动车交通违法处理", "住房公积金提取", "社会保险 办理材料", "违章"):
        assert again.search(query, top_k=None) == site.search(query, top_k=None)


def test_pre_tokenised_pages_equal_text_pages(tok: Tokenizer, site: SearchIndex) -> None:
    raw = SearchIndex(tokenizer=tok)
    for doc_id, title, h1, description, body in PAGES:
        texts = dict(zip(FIELDS, (title, h1, description, body), strict=True))
        raw.add_tokens(doc_id, {name: tok.cut_for_search(text) for name, text in texts.items()})
    assert raw.search("住房公积金提取") == site.search("住房公积金提取")
    # A query given as tokens is used as given (after the same filtering).
    assert raw.search(site.analyse("住房公积金提取")) == site.search("住房公积金提取")
    assert raw.search(["住房公积金", "，", "2026"]) == site.search(["住房公积金"])


def test_analyse_normalises_and_filters(site: SearchIndex) -> None:
    terms = site.analyse("\uff12\uff10\uff12\uff16年3月5日，办理ＡＢＣ 违章罚款（12345热线）a")
    assert terms == ["办理", "abc", "违章", "罚款", "违章罚款", "热线"]
    assert site.analyse(" 住房公积金 ") == ["住房", "公积", "积金", "公积金", "住房公积金"]


# -- API contract -----------------------------------------------------------------------------------

def test_empty_index() -> None:
    index = SearchIndex()
    index.finalise()
    assert index.search("公积金") == []
    assert index.position("公积金", "x") is None
    assert len(index) == 0


def test_build_errors() -> None:
    index = SearchIndex()
    index.add_tokens("a", {"title": ["公积金"]})
    with pytest.raises(ValueError, match="duplicate"):
        index.add_tokens("a", {"title": ["社保"]})
    with pytest.raises(ValueError, match="unknown field"):
        index.add_tokens("b", {"keywords": ["社保"]})
    assert len(index) == 1 and "a" in index and "b" not in index
    index.search("公积金")  # finalises
    with pytest.raises(RuntimeError):
        index.add_tokens("c", {"title": ["医保"]})


@pytest.mark.parametrize("params", [
    {"weights": {"keywords": 1}}, {"weights": {"title": -1}}, {"b": {"body": 1.5}}, {"b": {"h2": 0.5}},
    {"k1": 0}, {"k1": float("nan")},
])
def test_bad_parameters(params: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SearchIndex(**params)  # type: ignore[arg-type]


def test_top_k_zero_and_none(site: SearchIndex) -> None:
    assert site.search("办理", top_k=0) == []
    everything = site.search("办理", top_k=None)
    assert len(everything) > 3
    assert site.search("办理", top_k=3) == everything[:3]


def test_position_from_postings_equals_the_rank_over_every_document(tok: Tokenizer) -> None:
    """position() touches only the query terms' postings; it must rank exactly as the full score array."""
    import random

    rng = random.Random(3)
    words = ["社会保障卡", "申领", "补办", "公积金", "提取", "居住证", "办理", "材料", "流程", "户口", "迁移", "营业执照"]
    rare = [f"专项{chr(0x4E00 + 300 + i)}" for i in range(40)]      # each on a few documents only
    index = SearchIndex(tok, min_match=0.75)
    for doc in range(300):
        index.add_tokens(doc, {"title": [*rng.sample(words, 2), rare[doc % 40]],
                               "body": [rng.choice(words) for _ in range(30)]})
    index.finalise()
    checked = pruned = 0
    for round_ in range(120):
        query = rng.sample(words, rng.randint(1, 3)) + ([rng.choice(rare)] if round_ % 2 else [])
        scores = index.scores(query)
        for doc in rng.sample(range(300), 20):
            score = scores[doc]
            expected = (None if score <= 0 else
                        1 + int((scores > score).sum()) + int((scores[:doc] == score).sum()))
            assert index.position(query, doc) == expected, (query, doc)
            terms = index.query_terms(query)
            _, sparse = index._matching(terms, np.arange(300))       # the path rare terms take
            assert sparse.tolist() == scores.tolist()
            candidates = index._candidates(terms)
            if candidates is not None:      # every document with a score is a candidate
                assert set(np.flatnonzero(scores > 0).tolist()) <= set(candidates.tolist())
                pruned += 1
            checked += expected is not None
    assert checked > 100 and pruned > 500
