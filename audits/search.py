"""Simulated site search: BM25F over the indexable pages of a crawl.

The index answers "where would this page rank on this site for this query?" with the ranking
function search engines descend from, applied to the fields they weigh: title, H1, meta
description and body text.

Scoring (BM25F, Robertson, Zaragoza & Taylor 2004; Zaragoza et al., TREC-13 2004). For a query
term t and a document d with fields f::

    tf~(t, d) = sum_f  w_f * tf_f(t, d) / (1 - b_f + b_f * len_f(d) / avglen_f)
    score(q, d) = sum_{t in q}  idf(t) * tf~(t, d) / (k1 + tf~(t, d))
    idf(t) = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))

N is the number of documents, df(t) the number of documents with t in any field, len_f(d) the
number of terms of field f and avglen_f its mean over all documents. Field weights and length
normalisation are applied before the single saturation k1, so repeating a word across fields
saturates like repeating it in one field. Defaults: weights title 5, h1 3, description 2,
body 1; b title 0.75, h1 0.5 (an H1 is usually just the service name), description 0.75,
body 0.75; k1 1.2. All are constructor arguments.

Terms. Text is NFKC-normalised (full-width letters and digits become half-width) and segmented
with the project tokenizer's jieba ``cut_for_search`` (long words are also emitted as their 2- and
3-character sub-words: 住房公积金 -> 住房, 公积金, 住房公积金 …). ASCII is lower-cased. Dropped:
whitespace, punctuation and symbols, the bundled stop words (which include 年/月/日 and portal
chrome such as 首页 and 当前位置), single ASCII letters and numbers (2026, 08:30, 0571-12345: dates,
phone numbers and fees would bloat the index and citizens rarely search a service by a number).
Single Chinese characters are kept. Queries are analysed the same way; each distinct query term
counts once and a term absent from the index adds nothing: an everyday word such as 违章 finds
only pages that contain it, which is the vocabulary gap the audit measures.

Storage. While adding, each (term, document, field, tf) entry is appended to flat typed arrays;
``finalise()`` turns them into compressed sparse rows per term (document numbers as int32 and the
precomputed ``idf * saturated tf~`` as float32) with numpy, and frees the build arrays. A query
adds the rows of its terms into one float64 score vector. Ties are broken by insertion order.

Vocabulary. When every query is known before the pages are added (the findability audit asks a
fixed set), ``SearchIndex(vocabulary=...)`` keeps postings only for those terms
(:func:`query_vocabulary` analyses the queries as the index will). Everything BM25F takes from the
other terms is still counted exactly: N, every field length and so the average lengths count all
terms, and df of a kept term counts every document that has it, so scores, rankings and positions
are the same floats as in the unrestricted index. A query term outside the vocabulary raises
:class:`OutOfVocabulary` instead of silently scoring as if the term were absent.

Building. The term filter and the search expansion work token by token, so a field needs only its
token counts: ``add_tokens`` filters each distinct token once, and ``add_words`` takes precise-mode
words (the audit gives a page's ``Tokenizer.terms`` as its body) and expands and filters each distinct
word once, as ``add_tokens`` of their ``Tokenizer.search_tokens``. With a vocabulary, a term outside
it only adds to the field length.

Queries. Only documents that hold one of the rarest query terms can match (``min_match``), so a
query reads those postings rather than scoring every document, unless they are a large part of
the index; ``position`` counts the documents scoring strictly higher plus the ties inserted before
(no sort) and ``positions`` ranks many documents on one scoring of the query.

Measured (CPython 3.11, 2 cores; 20,000 pages of ~830 characters, 192k terms, 4.9 M postings):
unrestricted ``analyse`` ~2.2 ms a page, ``add_tokens`` ~0.15 ms, ``finalise`` ~0.8 s; 53 MB traced
after finalising (39 MB of arrays), transient peak +80 MB; ``search``/``position`` ~0.2 ms a query.
With the findability audit's vocabulary (benchmark portal, 57 terms): 100,000 pages keep 0.7 M
postings (5.6 MB); the audit's whole assess phase went from 190 s and +315 MB peak RSS to 23 s and
+78 MB, most of what remains being segmentation of the short fields and reading the pages back.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from audits.text.tokenizer import Tokenizer, get_tokenizer

__all__ = ["DEFAULT_B", "DEFAULT_K1", "DEFAULT_WEIGHTS", "FIELDS", "OutOfVocabulary", "SearchIndex", "TermFilter",
           "analyse_queries", "query_vocabulary"]

FIELDS: tuple[str, ...] = ("title", "h1", "description", "body")
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"title": 5.0, "h1": 3.0, "description": 2.0, "body": 1.0})
DEFAULT_B: Mapping[str, float] = MappingProxyType({"title": 0.75, "h1": 0.5, "description": 0.75, "body": 0.75})
DEFAULT_K1 = 1.2

_NUMERIC = re.compile(r"^(?=.*[0-9])[0-9.,:/\-_%+~]+$")
_SINGLE_ASCII_LETTER = re.compile(r"^[a-z]$")
_CACHE_LIMIT = 300_000
_MAX_TF = 65_535  # term frequencies are stored as uint16
_FEW_TARGETS = 8  # positions(): up to this many documents are counted, beyond it the matches sorted


class TermFilter:
    """Turns jieba ``cut_for_search`` tokens into index terms (see the module docstring).

    Filtering is idempotent, so it may be applied to tokens that were already filtered.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        self._cache: dict[str, str | None] = {}

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer

    def analyse(self, text: str) -> list[str]:
        """Segment ``text`` (the expensive part, ~1.5-5 ms per page) and filter the tokens."""
        return self.filter(self._tokenizer.cut_for_search(unicodedata.normalize("NFKC", text)))

    def filter(self, tokens: Iterable[str]) -> list[str]:
        cache = self._cache
        result = []
        for token in tokens:
            term = cache.get(token, "")
            if term == "":
                term = self._term(token)
                if len(cache) < _CACHE_LIMIT:
                    cache[token] = term
            if term is not None:
                result.append(term)
        return result

    def clear(self) -> None:
        """Forget the memoised tokens."""
        self._cache = {}

    def term(self, token: str) -> str | None:
        """The index term of one token, or None when it is dropped."""
        term = self._cache.get(token, "")
        if term == "":
            term = self._term(token)
            if len(self._cache) < _CACHE_LIMIT:
                self._cache[token] = term
        return term

    def _term(self, token: str) -> str | None:
        term = unicodedata.normalize("NFKC", token).strip().lower()
        if (not term or _NUMERIC.match(term) or _SINGLE_ASCII_LETTER.match(term)
                or all(unicodedata.category(ch)[0] in "PSZC" for ch in term)
                or self._tokenizer.is_stopword(term)):
            return None
        return term


class OutOfVocabulary(ValueError):
    """A query term that an index built with a vocabulary keeps no postings for."""


def query_vocabulary(queries: Iterable[str | Sequence[str]], tokenizer: Tokenizer | None = None) -> set[str]:
    """The terms of ``queries`` (strings, or tokens) as ``SearchIndex.query_terms`` analyses them: the
    vocabulary an index needs to answer exactly these queries."""
    term_filter = TermFilter(tokenizer or get_tokenizer())
    vocabulary: set[str] = set()
    for query in queries:
        vocabulary.update(term_filter.analyse(query) if isinstance(query, str) else term_filter.filter(query))
    return vocabulary


def analyse_queries(queries: Iterable[str], tokenizer: Tokenizer | None = None) -> dict[str, tuple[str, ...]]:
    """Each distinct query -> its distinct terms in query order, as ``SearchIndex.query_terms`` gives
    them (each query is segmented once). The union of the values is the queries' vocabulary."""
    term_filter = TermFilter(tokenizer or get_tokenizer())
    result: dict[str, tuple[str, ...]] = {}
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}     # queries that differ only in dropped tokens
    for query in queries:
        if query not in result:
            terms = tuple(dict.fromkeys(term_filter.analyse(query)))
            result[query] = shared.setdefault(terms, terms)
    return result


def _new_entries() -> tuple[array, array, array, array]:
    """Build arrays: term number, document number, field number, term frequency."""
    return array("I"), array("I"), array("B"), array("H")


def _view(values: array) -> np.ndarray:
    return np.frombuffer(values, dtype=np.dtype(f"u{values.itemsize}"))


def _per_field(values: Mapping[str, float] | None, defaults: Mapping[str, float], what: str) -> np.ndarray:
    merged = dict(defaults)
    for name, value in (values or {}).items():
        if name not in merged:
            raise ValueError(f"unknown field {name!r} in {what}; fields are {', '.join(FIELDS)}")
        merged[name] = float(value)
    return np.array([merged[name] for name in FIELDS], dtype=np.float64)


class SearchIndex:
    """BM25F index of pages. Add every page, ``finalise()``, then ``search`` / ``position``.

    ``weights`` and ``b`` may give any subset of the fields; the others keep their defaults.
    Searching an index that is not finalised finalises it; adding to a finalised index raises
    RuntimeError. ``vocabulary``: the terms of every query that will be asked (see
    :func:`query_vocabulary`); postings are kept for those terms only, and a query with a term
    outside it raises :class:`OutOfVocabulary`. Results are otherwise those of the full index.
    """

    def __init__(self, tokenizer: Tokenizer | None = None, weights: Mapping[str, float] | None = None,
                 b: Mapping[str, float] | None = None, k1: float = DEFAULT_K1, min_match: float = 0.0,
                 vocabulary: Iterable[str] | None = None) -> None:
        if not 0.0 <= min_match <= 1.0:
            raise ValueError("min_match must be between 0 and 1")
        # A document must contain at least ceil(min_match x distinct query terms) of the query's terms
        # to be returned (0 = any one term, as plain BM25; engines want most of the query).
        self._min_match = float(min_match)
        self._weights = _per_field(weights, DEFAULT_WEIGHTS, "weights")
        self._b = _per_field(b, DEFAULT_B, "b")
        if (self._weights < 0).any() or not np.isfinite(self._weights).all():
            raise ValueError("field weights must be finite and >= 0")
        if not ((self._b >= 0) & (self._b <= 1)).all():
            raise ValueError("b must be between 0 and 1")
        if not (k1 > 0 and np.isfinite(k1)):
            raise ValueError("k1 must be > 0")
        self._k1 = float(k1)
        self._tokenizer = tokenizer
        self._filter: TermFilter | None = None
        # the terms postings are kept for (None: every term); filtering is idempotent
        self._allowed: frozenset[str] | None = (
            None if vocabulary is None else frozenset(self.term_filter.filter(vocabulary)))
        self._doc_ids: list[Hashable] = []
        self._doc_index: dict[Hashable, int] = {}
        self._vocab: dict[str, int] = {}
        self._lengths = array("I")  # len_f(d), len(FIELDS) values per document
        # Build entries, one per (term, document, field): freed by finalise().
        self._e_term, self._e_doc, self._e_field, self._e_tf = _new_entries()
        # add_words: word -> (its number of terms, the kept ones), while building
        self._word_terms: dict[str, tuple[int, tuple[str, ...]]] = {}
        self._shared: dict[tuple[int, tuple[str, ...]], tuple[int, tuple[str, ...]]] = {}
        self._finalised = False
        self._offsets = np.zeros(1, dtype=np.int64)
        self._post_doc = np.zeros(0, dtype=np.int32)
        self._post_weight = np.zeros(0, dtype=np.float32)

    # -- building -------------------------------------------------------------------------------

    @property
    def term_filter(self) -> TermFilter:
        if self._filter is None:
            self._filter = TermFilter(self._tokenizer or get_tokenizer())
        return self._filter

    @property
    def vocabulary(self) -> frozenset[str] | None:
        """The terms postings are kept for; None when every term is kept."""
        return self._allowed

    def analyse(self, text: str) -> list[str]:
        """Index terms of ``text``, as ``add`` computes them (for callers that segment once)."""
        return self.term_filter.analyse(text)

    def tokens(self, text: str) -> list[str]:
        """Search-mode tokens of ``text`` before filtering (NFKC, then ``Tokenizer.cut_for_search``, which
        caches short texts): ``add_tokens`` filters them, so they index as ``analyse(text)`` does."""
        return self.term_filter.tokenizer.cut_for_search(unicodedata.normalize("NFKC", text))

    def add(self, doc_id: Hashable, title: str = "", h1: str = "", description: str = "",
            body: str = "") -> None:
        """Segment and add one page."""
        texts = {"title": title, "h1": h1, "description": description, "body": body}
        self.add_tokens(doc_id, {name: self.tokens(text) for name, text in texts.items() if text})

    def add_tokens(self, doc_id: Hashable, fields: Mapping[str, Sequence[str]],
                   words: Mapping[str, Sequence[str]] | None = None) -> None:
        """Add one page from tokens: ``analyse()`` output or raw ``cut_for_search`` tokens (they are
        filtered here). ``words``: other fields given as precise-mode words (see ``add_words``).
        Missing fields are empty."""
        words = words or {}
        both = set(fields) & set(words)
        if both:
            raise ValueError(f"field(s) {sorted(both)} given both as tokens and as words")
        self._check_new(doc_id, {**fields, **words})
        self._append(doc_id, [self._count_words(words[name]) if name in words else
                              self._count_tokens(fields.get(name, ())) for name in FIELDS])

    def add_words(self, doc_id: Hashable, fields: Mapping[str, Sequence[str]]) -> None:
        """Add one page from precise-mode words (``Tokenizer.cut`` or ``Tokenizer.terms`` output): the
        same as ``add_tokens`` of ``Tokenizer.search_tokens`` of each field. Missing fields are empty."""
        self.add_tokens(doc_id, {}, fields)

    def _count_tokens(self, tokens: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(field length, tf of each kept term) of one field given as search tokens."""
        allowed = self._allowed
        term_filter = self.term_filter
        cache = term_filter._cache
        length = 0
        counts: dict[str, int] = {}
        for token in tokens:    # short fields: a plain loop beats counting the tokens first
            term = cache.get(token, "")
            if term == "":
                term = term_filter.term(token)
            if term is not None:
                length += 1
                if allowed is None or term in allowed:
                    counts[term] = counts.get(term, 0) + 1
        return length, counts

    def _count_words(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(field length, tf of each kept term) of one field given as precise-mode words."""
        cache = self._word_terms
        length = 0
        counts: dict[str, int] = {}
        for word, n in Counter(words).items():
            entry = cache.get(word)
            if entry is None:
                entry = self._word_entry(word)
            length += entry[0] * n
            for term in entry[1]:
                counts[term] = counts.get(term, 0) + n
        return length, counts

    def _word_entry(self, word: str) -> tuple[int, tuple[str, ...]]:
        """(number of index terms, the kept ones in order) of one word's search expansion."""
        terms = self.term_filter.filter(self.term_filter.tokenizer.search_tokens([word]))
        allowed = self._allowed
        entry = (len(terms), tuple(terms if allowed is None else [t for t in terms if t in allowed]))
        entry = self._shared.setdefault(entry, entry) if not entry[1] else entry  # (n, ()) shared
        if len(self._word_terms) < _CACHE_LIMIT:
            self._word_terms[word] = entry
        return entry

    def _check_new(self, doc_id: Hashable, fields: Mapping[str, Sequence[str]]) -> None:
        if self._finalised:
            raise RuntimeError("the index is finalised; build a new SearchIndex to add pages")
        if doc_id in self._doc_index:
            raise ValueError(f"duplicate document id {doc_id!r}")
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown field(s) {sorted(unknown)}; fields are {', '.join(FIELDS)}")

    def _append(self, doc_id: Hashable, counted: list[tuple[int, Mapping[str, int]]]) -> None:
        """Record one document: per field (in FIELDS order) its length and the tf of each kept term."""
        doc = len(self._doc_ids)
        vocab = self._vocab
        e_term, e_doc, e_field, e_tf = self._e_term, self._e_doc, self._e_field, self._e_tf
        for number, (length, counts) in enumerate(counted):
            self._lengths.append(length)
            for term, tf in counts.items():
                e_term.append(vocab.setdefault(term, len(vocab)))
                e_doc.append(doc)
                e_field.append(number)
                e_tf.append(tf if tf < _MAX_TF else _MAX_TF)
        self._doc_index[doc_id] = doc
        self._doc_ids.append(doc_id)

    @property
    def pending_entries(self) -> int:
        """(term, document, field) entries in the build arrays (0 once finalised)."""
        return len(self._e_term)

    def finalise(self) -> None:
        """Compute the BM25F weights and freeze the index (idempotent)."""
        if self._finalised:
            return
        self._finalised = True
        self._word_terms, self._shared = {}, {}
        if self._filter is not None:     # the pages' tokens; queries refill it with theirs
            self._filter.clear()
        n_docs, n_terms = len(self._doc_ids), len(self._vocab)
        if not n_docs or not len(self._e_term):
            self._offsets = np.zeros(n_terms + 1, dtype=np.int64)
            return
        lengths = _view(self._lengths).reshape(n_docs, len(FIELDS))
        average = lengths.mean(axis=0)
        average[average == 0] = 1.0
        norm = 1.0 - self._b + self._b * (lengths / average)  # per document and field
        del lengths
        # Entries arrive document by document, so a stable sort by term leaves each term's
        # documents ascending and the fields of one (term, document) adjacent.
        entries = [self._e_term, self._e_doc, self._e_field, self._e_tf]
        self._e_term, self._e_doc, self._e_field, self._e_tf = _new_entries()
        order = np.argsort(_view(entries[0]), kind="stable")
        sorted_entries = []
        for i in range(len(entries)):  # release each build array as soon as it is copied
            sorted_entries.append(_view(entries[i])[order])
            entries[i] = array("B")
        del order
        term, doc, field, tf = sorted_entries
        # Per-entry contribution w_f * tf / norm_f (float32: at most len(FIELDS) values are summed).
        contrib = norm.astype(np.float32)[doc, field]
        np.divide(self._weights.astype(np.float32)[field], contrib, out=contrib)
        contrib *= tf
        del field, tf, sorted_entries
        starts = np.flatnonzero(np.r_[True, (term[1:] != term[:-1]) | (doc[1:] != doc[:-1])])
        weight = np.add.reduceat(contrib, starts)  # the pseudo term frequency tf~, float32
        del contrib
        post_term = term[starts]
        self._post_doc = doc[starts].view(np.int32)  # document numbers are < 2**31
        del term, doc, starts
        df = np.bincount(post_term, minlength=n_terms)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        np.divide(weight, weight + np.float32(self._k1), out=weight)  # saturation
        weight *= idf[post_term]
        self._post_weight = weight
        self._offsets = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(df, out=self._offsets[1:])

    # -- querying -------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._doc_ids)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._doc_index

    @property
    def num_terms(self) -> int:
        """Distinct terms with postings (with a vocabulary: those of it that some document has)."""
        return len(self._vocab)

    @property
    def num_postings(self) -> int:
        """Distinct (term, document) pairs; known once finalised."""
        return int(self._offsets[-1])

    def query_terms(self, query: str | Sequence[str]) -> list[str]:
        """The distinct terms of a query (a string, or tokens), in query order. With a vocabulary, a
        term outside it raises :class:`OutOfVocabulary` (the index cannot score it)."""
        terms = self.analyse(query) if isinstance(query, str) else self.term_filter.filter(query)
        terms = list(dict.fromkeys(terms))
        if self._allowed is not None:
            missing = [t for t in terms if t not in self._allowed]
            if missing:
                raise OutOfVocabulary(f"query term(s) {missing} are not in the index vocabulary; build the "
                                      "index with every query's terms (query_vocabulary)")
        return terms

    def scores(self, query: str | Sequence[str]) -> np.ndarray:
        """BM25F score of every document, in insertion order (0.0 = no query term matched)."""
        self.finalise()
        scores = np.zeros(len(self._doc_ids), dtype=np.float64)
        terms = self.query_terms(query)
        matched = np.zeros(len(self._doc_ids), dtype=np.int32) if self._min_match else None
        for term in terms:
            number = self._vocab.get(term)
            if number is not None:
                start, end = self._offsets[number], self._offsets[number + 1]
                scores[self._post_doc[start:end]] += self._post_weight[start:end]
                if matched is not None:
                    matched[self._post_doc[start:end]] += 1
        if matched is not None:
            scores[matched < self._needed(terms)] = 0.0
        return scores

    def _hits(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(documents, scores) of every document with a score > 0, documents ascending: from the
        postings of the candidates when they are few, else from one pass over every document. The
        floats are those of :meth:`scores` either way."""
        candidates = self._candidates(terms)
        if candidates is None:
            scores = self.scores(terms)
            docs = np.flatnonzero(scores > 0)
            return docs, scores[docs]
        docs, scores = self._matching(terms, candidates)
        positive = scores > 0
        return docs[positive], scores[positive]

    def search(self, query: str | Sequence[str], top_k: int | None = 10) -> list[tuple[Hashable, float]]:
        """The best ``top_k`` documents (all matches when None) as (doc_id, score), best first;
        equal scores in insertion order. Documents with a zero score are never returned."""
        terms = self.query_terms(query)
        if top_k is not None and top_k <= 0:
            return []
        self.finalise()
        hits, values = self._hits(terms)
        if top_k is not None and len(hits) > top_k:
            kth = np.partition(values, len(values) - top_k)[len(values) - top_k]
            keep = values >= kth
            hits, values = hits[keep], values[keep]
        order = np.lexsort((hits, -values))[:top_k]
        return [(self._doc_ids[hits[i]], float(values[i])) for i in order.tolist()]

    def position(self, query: str | Sequence[str], doc_id: Hashable, top_k: int | None = None) -> int | None:
        """1-based rank of ``doc_id`` in ``search(query, top_k=None)``; None when the page does not
        match at all, is ranked below ``top_k``, or is not in the index."""
        return self.positions(query, [doc_id], top_k)[0]

    def positions(self, query: str | Sequence[str], doc_ids: Iterable[Hashable],
                  top_k: int | None = None) -> list[int | None]:
        """``position(query, d, top_k)`` of each of ``doc_ids``, scoring the query once.

        A rank is 1 + the documents scoring strictly higher + the equal ones inserted before: for a
        few documents these are counted, for many the matches are sorted once."""
        terms = self.query_terms(query)
        targets = [self._doc_index.get(doc_id) for doc_id in doc_ids]
        if all(t is None for t in targets):
            return [None] * len(targets)
        self.finalise()
        docs, scores = self._hits(terms)
        found = np.array([-1 if t is None else t for t in targets], dtype=np.int64)
        at = np.minimum(np.searchsorted(docs, found), max(len(docs) - 1, 0))
        present = (docs[at] == found) if len(docs) else np.zeros(len(found), dtype=bool)
        if len(targets) <= _FEW_TARGETS:
            ranks = [1 + int(np.count_nonzero(scores > scores[i])) + int(np.count_nonzero(scores[:i] == scores[i]))
                     if ok else None for i, ok in zip(at.tolist(), present.tolist(), strict=True)]
        else:
            rank_of = np.empty(len(docs), dtype=np.int64)
            rank_of[np.lexsort((docs, -scores))] = np.arange(1, len(docs) + 1)
            ranks = [int(rank_of[i]) if ok else None for i, ok in zip(at.tolist(), present.tolist(), strict=True)]
        return [None if r is None or (top_k is not None and r > top_k) else r for r in ranks]

    def _candidates(self, terms: list[str]) -> np.ndarray | None:
        """Documents that can hold enough of the query terms, ascending; None when they would be a
        32nd of the index or more (measured at 100,000 documents: past that, one dense pass over
        every document is cheaper than looking the candidates up term by term).

        A document needs m of the k terms (``min_match``), so it holds one of the k - m + 1 rarest:
        only their postings are read. A site with a service per few pages asks as many queries as it
        has services; without this each query cost a pass over every document."""
        numbers = [self._vocab[t] for t in terms if t in self._vocab]
        need = max(1, self._needed(terms))
        if len(numbers) < need:
            return np.zeros(0, dtype=np.int64)
        rare = sorted(numbers, key=lambda n: int(self._offsets[n + 1] - self._offsets[n]))[:len(numbers) - need + 1]
        spans = [(int(self._offsets[n]), int(self._offsets[n + 1])) for n in rare]
        if sum(b - a for a, b in spans) * 32 >= len(self._doc_ids):
            return None
        return np.unique(np.concatenate([self._post_doc[a:b] for a, b in spans]).astype(np.int64))

    def _matching(self, terms: list[str], candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(candidates, their scores): :meth:`scores` restricted to ``candidates``. The sums run term by
        term in query order, as there, so the floating-point values are the same."""
        scores = np.zeros(len(candidates), dtype=np.float64)
        matched = np.zeros(len(candidates), dtype=np.int32)
        for term in terms:
            number = self._vocab.get(term)
            if number is None or not len(candidates):
                continue
            start, end = int(self._offsets[number]), int(self._offsets[number + 1])
            docs = self._post_doc[start:end]
            if not len(docs):
                continue
            at = np.minimum(np.searchsorted(docs, candidates), len(docs) - 1)
            hit = docs[at] == candidates
            scores[hit] += self._post_weight[start:end][at[hit]]
            matched[hit] += 1
        if self._min_match:
            scores[matched < self._needed(terms)] = 0.0
        return candidates, scores

    def _needed(self, terms: list[str]) -> int:
        """How many of the query's distinct terms a document must hold (``min_match``; 0: any)."""
        return math.ceil(self._min_match * len(terms) - 1e-9) if self._min_match else 0
