"""Keyword density, TF-IDF key terms and title stuffing.

All functions take word tokens as produced by :meth:`audits.text.tokenizer.Tokenizer.terms`
(whitespace, punctuation, numbers and stop words already removed).
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from audits.text.tokenizer import Tokenizer, get_tokenizer

__all__ = ["KeyTerms", "density", "stuffing_terms", "top_density"]


def density(tokens: Sequence[str], terms: Iterable[str]) -> dict[str, float]:
    """Share of the word tokens that each term accounts for.

    density(term) = count(term in tokens) / len(tokens), where ``tokens`` are the page's word tokens
    (``Tokenizer.terms()``: stop words, punctuation and numbers are not counted in the denominator).
    An empty token list gives 0.0 for every term.
    """
    counts = Counter(tokens)
    total = len(tokens)
    return {term: (counts[term] / total if total else 0.0) for term in terms}


def top_density(tokens: Sequence[str], top_k: int = 10, min_chars: int = 2) -> list[tuple[str, float]]:
    """The ``top_k`` densest terms of at least ``min_chars`` characters, densest first
    (ties in order of first appearance)."""
    total = len(tokens)
    if not total:
        return []
    counts = Counter(t for t in tokens if len(t) >= min_chars)
    return [(term, count / total) for term, count in counts.most_common(top_k)]


def stuffing_terms(title_terms: Sequence[str], site_name_terms: Sequence[str],
                   min_count: int = 3, min_chars: int = 2) -> dict[str, int]:
    """Terms repeated ``min_count`` or more times in a title, with their counts.

    Terms shorter than ``min_chars`` characters are ignored, and so are the site name's terms and
    any term contained in the site name (a title may legitimately end with 临江市人民政府 while
    the name was segmented as 临江市 / 人民政府).
    """
    site_name = "".join(site_name_terms)
    counts = Counter(t for t in title_terms if len(t) >= min_chars)
    return {term: n for term, n in counts.items()
            if n >= min_count and term not in site_name_terms and term not in site_name}


class _TermsCutter:
    """Quacks like a jieba tokenizer for jieba's TF-IDF: cut() yields our word tokens."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer

    def cut(self, text: str) -> list[str]:
        return self._tokenizer.terms(text)


class _SiteIdf:
    """IDF table fitted on one site's pages, falling back to jieba's general IDF.

    idf(t) = ln((N + 1) / (df(t) + 1)) + 1 over the site's N pages (smoothed, so a term on every
    page scores 1 and a term on one page ln((N+1)/2) + 1). A term the site never showed gets jieba's
    bundled IDF, capped at the site's maximum ln(N + 1) + 1 so that the two scales do not let an
    unseen word outrank the site's own rare words.
    """

    def __init__(self, doc_freq: dict[str, int], pages: int, general: dict[str, float] | None) -> None:
        self._df = doc_freq
        self._pages = pages
        self.general = general       # jieba's table, attached when jieba.analyse is loaded
        self.cap = math.log(pages + 1) + 1

    def get(self, term: str, default: float) -> float:
        df = self._df.get(term)
        if df is not None:
            return math.log((self._pages + 1) / (df + 1)) + 1
        return min((self.general or {}).get(term, default), self.cap)

    def __contains__(self, term: str) -> bool:
        return term in self._df


# jieba.analyse's own English stop words (its STOP_WORDS), so no import is needed to know them.
JIEBA_STOP_WORDS = frozenset({
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as", "on", "with", "can",
    "if", "from", "which", "you", "it", "this", "then", "at", "have", "all", "not", "one", "has", "or"})


class KeyTerms:
    """TF-IDF key terms of a page (jieba's ``TFIDF`` extractor bound to the project tokenizer).

    weight(t) = tf(t) / (number of counted tokens) * idf(t), where counted tokens are the word
    tokens of at least 2 characters (jieba's rule). ``idf`` is jieba's bundled table until
    :meth:`fit` is called with the site's pages.

    jieba.analyse costs ~0.6 s and ~100 MB when imported (it loads a 270k-word IDF table and builds its
    default extractors), so it is imported only when needed: for :meth:`extract` on raw text, or for
    the IDF of a term the fitted site never showed. An audit fits the site first and asks only about
    the site's own terms, so it never pays for it. The extractor, when built, is a copy of
    ``jieba.analyse.default_tfidf`` sharing its read-only table; the global default is not modified.
    """

    def __init__(self, tokenizer: Tokenizer | None = None) -> None:
        self._tokenizer = tokenizer or get_tokenizer()
        self._stop_words = set(JIEBA_STOP_WORDS) | set(self._tokenizer.stopwords)
        self._site: _SiteIdf | None = None
        self._extractor: Any = None
        self.pages = 0

    @property
    def _tfidf(self) -> Any:
        if self._extractor is None:
            import jieba.analyse  # heavy: see the class docstring

            base = jieba.analyse.default_tfidf
            tfidf = copy.copy(base)
            tfidf.tokenizer = _TermsCutter(self._tokenizer)
            tfidf.postokenizer = None  # built on first use of allow_pos (loads jieba's tag table)
            tfidf.stop_words = set(base.STOP_WORDS) | self._stop_words
            if self._site is not None:
                self._site.general = base.idf_freq
                tfidf.idf_freq = self._site
            self._extractor = tfidf
        return self._extractor

    def fit(self, documents: Iterable[Sequence[str]]) -> KeyTerms:
        """Use IDF computed over the site's pages; ``documents`` yields each page's word tokens."""
        doc_freq: Counter[str] = Counter()
        pages = 0
        for tokens in documents:
            pages += 1
            doc_freq.update(set(tokens))
        self.pages = pages
        self._site = _SiteIdf(dict(doc_freq), pages, None) if pages else None
        if self._extractor is not None and self._site is not None:
            self._site.general = self._extractor.idf_freq if not isinstance(self._extractor.idf_freq, _SiteIdf) \
                else self._extractor.idf_freq.general
            self._extractor.idf_freq = self._site
        return self

    def idf(self, term: str) -> float:
        if self._site is not None and term in self._site:
            return self._site.get(term, 0.0)
        return self._tfidf.idf_freq.get(term, self._tfidf.median_idf)

    def extract(self, text: str, top_k: int = 10,
                allow_pos: Sequence[str] = ()) -> list[tuple[str, float]]:
        """The ``top_k`` key terms of ``text`` with their weights, heaviest first.

        ``allow_pos`` (e.g. ("n", "nz", "vn")) keeps only words with those jieba POS tags; its first
        use loads jieba's POS table (~0.5 s).
        """
        tfidf = self._tfidf
        if allow_pos and tfidf.postokenizer is None:
            import jieba.posseg

            tfidf.postokenizer = jieba.posseg.POSTokenizer(self._tokenizer.jieba_tokenizer)
        return tfidf.extract_tags(text, topK=top_k, withWeight=True, allowPOS=tuple(allow_pos))

    def extract_terms(self, terms: Sequence[str], top_k: int = 10) -> list[tuple[str, float]]:
        """Like :meth:`extract` for text already segmented with ``Tokenizer.terms()``
        (same weights, no second segmentation)."""
        freq: dict[str, float] = {}
        stop_words = self._stop_words
        for term in terms:
            if len(term.strip()) < 2 or term.lower() in stop_words:
                continue
            freq[term] = freq.get(term, 0.0) + 1.0
        total = sum(freq.values())
        weights = {t: n * (self.idf(t) / total) for t, n in freq.items()}  # jieba's order of operations
        return sorted(weights.items(), key=lambda item: item[1], reverse=True)[:top_k]
