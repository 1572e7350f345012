"""audits.text: width, tokenizer, key terms, template detection, near-duplicates."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import jieba
import numpy as np
import pytest

from audits.text import (
    KeyTerms,
    NearDuplicates,
    TemplateDetector,
    Tokenizer,
    cache_dir,
    density,
    display_width,
    get_tokenizer,
    stuffing_terms,
    top_density,
    truncate_to_width,
)
from audits.text.neardup import band_params, jaccard, shingle_hashes
from audits.text.tokenizer import load_userdict

CACHE_NAME = f"jieba-{jieba.__version__}.cache"


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return get_tokenizer()


@pytest.fixture(scope="module")
def key_terms(tok: Tokenizer) -> KeyTerms:
    return KeyTerms(tok)


# ---------------------------------------------------------------------------------------------- width
def test_display_width_counts_full_width_as_two() -> None:
    assert display_width("社保卡ABC") == 9
    assert display_width("ABC") == 3
    assert display_width("") == 0
    assert display_width("，。：") == 6  # full-width punctuation
    assert display_width("\uff21\uff22\uff11") == 6  # full-width Latin and digits
    assert display_width("e\u0301") == 1  # combining acute accent adds nothing
    assert display_width("a\u200bb") == 2  # zero-width space adds nothing


def test_display_width_ambiguous_characters() -> None:
    # Near miss: East Asian Ambiguous quotes are narrow unless asked otherwise.
    assert display_width("“办”") == 4
    assert display_width("“办”", ambiguous_width=2) == 6


def test_truncate_to_width() -> None:
    title = "临江市住房公积金管理中心关于住房公积金提取业务办理指南的通知公告_临江市人民政府门户网站"
    assert display_width(title) > 64
    cut = truncate_to_width(title, 64)
    assert display_width(cut) == 64 and title.startswith(cut) and len(cut) == 32
    shown = truncate_to_width(title, 64, ellipsis="...")
    assert shown.endswith("...") and display_width(shown) <= 64 and display_width(shown) >= 63
    # Near misses: a title that fits exactly is unchanged; a wide character is never split.
    exact = "社" * 32
    assert truncate_to_width(exact, 64, ellipsis="...") == exact
    assert truncate_to_width("社保卡", 5) == "社保"
    assert truncate_to_width("ae\u0301b", 2) == "ae\u0301"
    assert truncate_to_width("abc", 0) == ""


# ------------------------------------------------------------------------------------------ tokenizer
def test_tokenizer_uses_user_dictionary(tok: Tokenizer) -> None:
    assert "住房公积金" in tok.cut("住房公积金提取")
    assert "提取" in tok.cut("住房公积金提取")  # near miss: the next word is not glued on
    assert tok.cut("临江市不动产登记办事指南")[-2:] == ["不动产登记", "办事指南"]
    for phrase in ("一网通办", "不见面审批", "医保关系转移", "个体工商户", "机动车驾驶证"):
        assert phrase in tok.cut(f"关于{phrase}的说明")
    search = tok.cut_for_search("住房公积金提取")
    assert "住房公积金" in search and "公积金" in search


def test_user_dictionary_size_and_format() -> None:
    entries = load_userdict()
    assert len(entries) >= 150
    words = {w for w, _, _ in entries}
    for needed in ("社会保障卡", "住房公积金", "居住证", "营业执照", "最低生活保障", "交通违法", "户口迁移",
                   "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "承诺时限"):
        assert needed in words
    assert all(freq > 0 and tag.isalpha() for _, freq, tag in entries)


def test_global_jieba_untouched(tok: Tokenizer) -> None:
    tok.cut("不见面审批")
    assert tok.jieba_tokenizer is not jieba.dt
    assert not jieba.dt.initialized or "不见面审批" not in jieba.dt.FREQ


def test_terms_drop_stopwords_numbers_punctuation(tok: Tokenizer) -> None:
    text = "当前位置：首页 > 2026年11月3日，临江市住房公积金的提取条件和办理材料 A （2026/11/03 08:30）"
    terms = tok.terms(text)
    assert {"临江市", "住房公积金", "提取", "条件", "办理材料"} <= set(terms)
    for dropped in ("的", "和", "首页", "当前位置", "2026", "11", "年", "月", "日", "A", "：", "，", " ", ">"):
        assert dropped not in terms
    # Near misses: a word starting with a date unit, and letters with digits, are words.
    assert tok.terms("2026年度报告")[0].startswith("年度")
    assert "5G" in tok.terms("5G网络")
    assert "PC" in tok.terms("PC端")
    # Full-width digits are numbers too.
    assert tok.terms("２０２６年办理") == ["办理"]


def test_latin_words_keep_their_accents(tok: Tokenizer) -> None:
    """jieba's word pattern is ASCII-only: Administración came out as Administraci / ó / n."""
    assert tok.cut("Administración de Seguro Social") == ["Administración", " ", "de", " ", "Seguro", " ", "Social"]
    assert tok.terms("São Paulo, naïve Müller-Lüdenscheidt") == ["São", "Paulo", "naïve", "Müller", "Lüdenscheidt"]
    assert "Administraci" not in tok.terms("la Administración del Seguro Social (Administración)")
    assert tok.terms("Ελληνικά и Русский") == ["Ελληνικά", "Русский"]      # и: a single letter
    assert tok.terms("cafe\u0301") == ["café"]          # a combining accent, composed by NFKC
    # single letters, accented or not, are no words; accented Spanish function words are stop words
    assert tok.terms("à la carte ó x") == ["carte"]
    assert tok.terms("más información") == ["información"]
    # search mode keeps them whole too
    assert "Administración" in tok.cut_for_search("Administración de Alimentos")
    # near misses: ASCII words and mixed CJK text are cut exactly as jieba cuts them
    jt = tok.jieba_tokenizer
    for text in ("e-government COVID-19 U.S. don't", "社会保险São中文", "申请人应当携带居民身份证，Social Security 办理",
                 "临江市São Paulo办事处：naïve用户的社会保险"):
        cut = tok.cut(text)
        assert "".join(cut) == text
        if text.isascii() or text == "申请人应当携带居民身份证，Social Security 办理":
            assert cut == jt.lcut(text)
    assert tok.cut("临江市São Paulo办事处") == ["临江市", "São", " ", "Paulo", "办事处"]
    assert tok.terms("社会保险São中文") == ["社会保险", "São", "中文"]


def test_stopwords_property(tok: Tokenizer) -> None:
    words = tok.stopwords
    assert len(words) >= 300
    assert {"的", "了", "和", "是", "在", "及", "与", "等", "对", "首页", "当前位置", "网站", "版权所有"} <= words
    assert "住房公积金" not in words and tok.is_stopword("ICP") and not tok.is_stopword("社保卡")


def test_cache_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GOVSEO_CACHE_DIR", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "a"
    monkeypatch.delenv("GOVSEO_CACHE_DIR")
    assert cache_dir() == tmp_path / "xdg" / "govseo"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "govseo"


def test_tokenizer_quiet_and_cache_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GOVSEO_CACHE_DIR", str(tmp_path / "cache"))
    fresh = Tokenizer()
    assert fresh.cut("住房公积金提取")[0] == "住房公积金"
    assert (tmp_path / "cache" / CACHE_NAME).is_file()
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_tokenizer_unwritable_cache_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capfd: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    fresh = Tokenizer(cache=blocker / "cache")
    assert "住房公积金" in fresh.cut("住房公积金提取")
    assert list(system_tmp.iterdir()) == []  # nothing written to the temp directory either
    assert capfd.readouterr().err == ""


def test_fresh_process_quiet_cached_and_isolated(tmp_path: Path) -> None:
    code = (
        "import jieba\n"
        "from audits.text import KeyTerms, get_tokenizer\n"
        "t = get_tokenizer()\n"
        "assert t is get_tokenizer()\n"
        "KeyTerms(t).extract('临江市住房公积金提取办事指南')\n"
        "print('|'.join(t.cut('住房公积金提取')), jieba.dt.initialized)\n"
    )
    env = {**os.environ, "GOVSEO_CACHE_DIR": str(tmp_path / "c")}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           timeout=120, check=True) for _ in range(2)]
    for run in runs:
        assert run.stderr == ""
        assert run.stdout.strip() == "住房公积金|提取 False"
    assert [p.name for p in (tmp_path / "c").iterdir()] == [CACHE_NAME]


# ------------------------------------------------------------------------------------------- keywords
def test_density_formula() -> None:
    tokens = ["社保卡", "申领", "社保卡", "办理", "材料"]
    assert density(tokens, ["社保卡", "材料", "缺失"]) == {"社保卡": 0.4, "材料": 0.2, "缺失": 0.0}
    assert density([], ["社保卡"]) == {"社保卡": 0.0}
    assert top_density(tokens, top_k=2) == [("社保卡", 0.4), ("申领", 0.2)]
    assert top_density(["证", "证", "办理"], min_chars=2) == [("办理", 1 / 3)]  # near miss: 1 char
    assert top_density([]) == []


def test_density_on_real_terms(tok: Tokenizer) -> None:
    terms = tok.terms("社保卡的办理：社保卡和社保卡补办。")
    assert density(terms, ["社保卡"])["社保卡"] == 3 / len(terms)
    assert "的" not in terms and "和" not in terms  # the denominator counts words only


def test_stuffing_terms() -> None:
    title = ["社保卡", "社保卡", "办理", "社保卡", "临江市", "临江市", "临江市", "证", "证", "证", "临江", "临江",
             "临江"]
    assert stuffing_terms(title, ["临江市", "人民政府"]) == {"社保卡": 3}
    # Near misses: two repeats, a single character, and a part of the site name never fire.
    assert stuffing_terms(["社保卡", "社保卡", "办理"], ["临江市"]) == {}


def test_key_terms_extract(key_terms: KeyTerms, tok: Tokenizer) -> None:
    text = ("临江市住房公积金提取办事指南。申请条件：职工购买自住住房的，可以提取住房公积金。"
            "办理材料：身份证、住房公积金缴存证明。办理地点：临江市政务服务中心。2026年11月3日")
    result = key_terms.extract(text, top_k=5)
    assert len(result) == 5
    assert result[0][0] == "住房公积金"
    assert [w for w, _ in result] == [w for w, _ in sorted(result, key=lambda x: -x[1])]
    assert all(not w.isdigit() and w not in tok.stopwords and len(w) >= 2 for w, _ in result)
    assert key_terms.extract_terms(tok.terms(text), top_k=5) == result
    assert key_terms.extract("", top_k=5) == []


def test_key_terms_pos_filter(key_terms: KeyTerms) -> None:
    result = key_terms.extract("依法办理不动产登记，及时提取住房公积金", top_k=10, allow_pos=("n", "vn"))
    words = [w for w, _ in result]
    assert "不动产登记" in words and "住房公积金" in words
    assert "及时" not in words and "依法" not in words


SERVICES = ["不动产登记", "户口迁移", "居住证", "营业执照", "婚姻登记", "医保关系转移", "最低生活保障",
            "个体工商户", "交通违法", "社会保障卡"]


def test_key_terms_site_idf_ranks_page_term_above_site_wide_term(tok: Tokenizer) -> None:
    services = SERVICES
    pages = [f"临江市{s}。临江市办理{s}的说明。临江市欢迎您。" for s in services]
    general = KeyTerms(tok)
    # Near miss: with jieba's general IDF the city name, more frequent on the page, wins.
    assert general.extract(pages[0], top_k=1)[0][0] == "临江市"
    site = KeyTerms(tok).fit(tok.terms(p) for p in pages)
    assert site.pages == 10
    for service, page in zip(services, pages, strict=True):
        assert site.extract(page, top_k=1)[0][0] == service
    assert site.idf("临江市") == pytest.approx(1.0)
    assert site.idf("不动产登记") > site.idf("临江市")
    assert site.idf("从未出现的词") <= site.idf("不动产登记") + 1.0  # unseen: capped general IDF


# ------------------------------------------------------------------------------------------- template
def _site_pages(count: int) -> list[list[str]]:
    pages = []
    for i in range(count):
        blocks = [
            "首页  政务公开\n办事服务 互动交流",
            f"版权所有：临江市人民政府 网站标识码：3301000001 更新时间：2026-11-{i + 1:02d}",
            f"{SERVICES[i]}办事指南：申请条件、办理材料和办理地点各不相同。",
        ]
        if i < 2:
            blocks.append("热点专题：营商环境")  # on 2 pages only
        if i < 3:
            blocks.append("相关链接：国务院")  # on exactly 3 pages
        pages.append(blocks)
    return pages


def test_template_detector_finds_nav_and_footer() -> None:
    detector = TemplateDetector()
    pages = _site_pages(10)
    for i, blocks in enumerate(pages):
        detector.add(i, blocks)
    detector.add(0, pages[0])  # the same page again is not counted twice
    detector.finalise()
    assert detector.pages == 10 and detector.threshold == 3
    assert detector.is_template("首页 政务公开 办事服务 互动交流")
    assert detector.is_template("版权所有：临江市人民政府 网站标识码：3301000001 更新时间：2027-01-31")
    assert detector.is_template("相关链接：国务院")  # exactly at the threshold
    assert not detector.is_template("热点专题：营商环境")  # near miss: 2 pages
    assert not detector.is_template(pages[4][2])
    assert not detector.is_template("   ")
    assert detector.main_text(pages[4]) == pages[4][2]
    assert detector.main_text(pages[0]) == "\n".join([pages[0][2], "热点专题：营商环境"])
    assert detector.template_size == 3


def test_template_detector_ratio_and_lifecycle() -> None:
    detector = TemplateDetector(ratio=0.5)
    for i, blocks in enumerate(_site_pages(10)):
        detector.add(f"page-{i}", blocks)
    with pytest.raises(RuntimeError):
        detector.is_template("x")
    detector.finalise()
    assert detector.threshold == 5
    assert not detector.is_template("相关链接：国务院")
    with pytest.raises(RuntimeError):
        detector.add("late", ["x"])


def test_template_detector_memory_bounded() -> None:
    detector = TemplateDetector()
    peak = 0
    pages = 20_000
    for i in range(pages):
        blocks = ["导航 首页 办事服务", f"页脚 版权所有 {i}", "侧栏 热点"] + [f"第{i}页正文段落{j}号" for j in range(15)]
        if i % 2 == 0:
            blocks.append("半数页面才有的栏目")
        detector.add(i, blocks)
        peak = max(peak, detector.tracked_blocks)
    assert peak < pages * 15 // 10  # an exact counter would hold 300,000 digests
    detector.finalise()
    assert detector.is_template("导航 首页 办事服务") and detector.is_template("页脚 版权所有 7")
    assert detector.is_template("半数页面才有的栏目")
    assert not detector.is_template("第0页正文段落3号".replace("0", "A"))


# ------------------------------------------------------------------------------------- near-duplicates
VOCAB = [f"词{i}" for i in range(3000)]


def _doc(rng: random.Random, n: int = 300) -> list[str]:
    return [rng.choice(VOCAB) for _ in range(n)]


def _mutate(tokens: list[str], positions: list[int]) -> list[str]:
    copy = list(tokens)
    for p in positions:
        copy[p] = f"改{p}"
    return copy


def test_near_duplicates_pairs_similar_not_dissimilar() -> None:
    rng = random.Random(7)
    base = _doc(rng, 400)
    close = _mutate(base, [50, 150, 250])  # 9 of 398 shingles differ
    far = _mutate(base, list(range(0, 400, 12)))  # every 12th token changed
    nd = NearDuplicates(threshold=0.9)
    for key, tokens in (("base", base), ("close", close), ("far", far), ("other", _doc(rng, 400))):
        assert nd.add(key, tokens)
    expected_close = jaccard(shingle_hashes(base), shingle_hashes(close))
    expected_far = jaccard(shingle_hashes(base), shingle_hashes(far))
    assert 0.94 < expected_close < 0.97 and 0.55 < expected_far < 0.65
    assert nd.pairs() == [("base", "close", expected_close)]


def test_near_duplicates_skips_short_documents() -> None:
    nd = NearDuplicates()
    tokens = [f"t{i}" for i in range(19)]
    assert not nd.add("short", tokens)
    assert not nd.add("short-copy", tokens)
    assert nd.add("twenty", [*tokens, "t19"])  # near miss: exactly 20 tokens are kept
    assert nd.add("twenty-copy", [*tokens, "t19"])
    assert nd.skipped == 2 and len(nd) == 2
    assert nd.pairs() == [("twenty", "twenty-copy", 1.0)]
    with pytest.raises(ValueError):
        nd.add("twenty", tokens)


def test_near_duplicates_two_thousand_documents() -> None:
    rng = random.Random(11)
    docs = {f"p{i}": _doc(rng, 250) for i in range(2000)}
    planted = {}
    for i in range(0, 40, 2):  # 20 planted pairs: exact copies and ~95 % copies
        a, b = f"p{i}", f"p{i + 1}"
        docs[b] = list(docs[a]) if i % 4 == 0 else _mutate(docs[a], [40, 160])
        planted[(a, b)] = jaccard(shingle_hashes(docs[a]), shingle_hashes(docs[b]))
    nd = NearDuplicates()
    asked: list[str] = []
    rereading = NearDuplicates(tokens_of=lambda key: asked.append(key) or docs[key], capacity=len(docs))
    matrix = rereading._signatures
    for key, tokens in docs.items():
        nd.add(key, tokens)
        rereading.add(key, tokens)
    found = {(a, b): s for a, b, s in nd.pairs()}
    assert found == planted
    # without kept shingles: the same pairs, and only candidates were read again
    assert rereading.pairs() == nd.pairs() and not rereading._shingles
    assert rereading._signatures is matrix                 # made as big as asked, never grown
    codes = nd._candidates()                               # sorted distinct pair codes i * n + j, i < j
    assert np.all(np.diff(codes) > 0) and np.all(codes // 2000 < codes % 2000)
    assert {a for pair in planted for a in pair} <= set(asked) and len(set(asked)) < 200


def test_a_big_cluster_of_copies_costs_linear_pairs_and_every_copy_is_found() -> None:
    rng = random.Random(5)
    original = _doc(rng, 250)
    other = _doc(rng, 250)
    nd = NearDuplicates(tokens_of=lambda key: other if key == "other" else list(original))
    for i in range(400):                        # one template-made guide, 400 times
        nd.add(f"copy{i}", list(original))
    nd.add("other", other)
    pairs = nd.pairs()
    partners = {key for a, b, _ in pairs for key in (a, b)}
    assert partners == {f"copy{i}" for i in range(400)}
    assert all(score == 1.0 for _, _, score in pairs)
    assert len(pairs) <= 400 * 16              # not the 79,800 pairs of every copy against every other


def test_jaccard_and_band_params() -> None:
    a, b = shingle_hashes("一 二 三 四 五 六".split()), shingle_hashes("一 二 三 四 五 七".split())
    assert jaccard(a, b) == pytest.approx(3 / 5)
    assert jaccard(a, a) == 1.0
    bands, rows = band_params(0.9, 128)
    assert bands * rows <= 128
    assert 1 - (1 - 0.9 ** rows) ** bands >= 0.99
    assert 1 - (1 - 0.9 ** (rows + 1)) ** (128 // (rows + 1)) < 0.99  # the most rows that keep recall


def test_memoised_cut_equals_jieba_on_portal_text(portal_site) -> None:
    """Tokenizer.cut memoises jieba's runs of word characters; the tokens must be jieba's own."""
    tok = get_tokenizer()
    jt = tok.jieba_tokenizer
    texts = ["", "  ", "2026年11月3日，市政府召开常务会议。", "社保卡（补办）办理指南_云溪市人民政府",
             "E-mail: a.b@gov.cn 电话：0571-12345678", "ＡＢＣ全角１２３", "申请人应当携带居民身份证\n\t原件"]
    texts += [page.artifacts.text for page in portal_site.html_pages()[:60] if page.artifacts]
    for round_ in range(3):                  # the second round reads the memo, the third an emptied one
        if round_ == 2:
            tok.forget()
            assert len(tok._runs) == len(tok._short) == len(tok._search) == 0
        for text in texts:
            assert tok.cut(text) == jt.lcut(text), text[:40]
            assert tok.cut_for_search(text) == jt.lcut_for_search(text), text[:40]
