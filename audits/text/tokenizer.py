"""Chinese word segmentation with jieba, bound to the project's own dictionary and cache.

``get_tokenizer()`` returns one lazily built :class:`Tokenizer` per process. It wraps a private
``jieba.Tokenizer`` instance: the global ``jieba.dt`` (used by ``jieba.cut``) is never initialised
or modified, so other code that uses jieba keeps jieba's stock dictionary.

The prefix dictionary jieba builds at start-up is cached (jieba's marshal format, ~9 MB) as
``jieba-<version>.cache`` in the project cache directory: ``$GOVSEO_CACHE_DIR``, else
``$XDG_CACHE_HOME/govseo``, else ``~/.cache/govseo``. When that directory cannot be created or
written, the dictionary is built in memory and nothing is written anywhere (never to /tmp).
Measured on CPython 3.11 (2 cores): loading the cache and parsing jieba's dict.txt both take about
0.6 s and ~60 MB, so the cache mainly matters on slower interpreters or disks.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from functools import cached_property
from importlib import resources
from pathlib import Path
from sys import intern

import jieba

from audits.text.memo import RecentMemo

__all__ = ["Tokenizer", "cache_dir", "get_tokenizer", "load_stopwords", "load_userdict"]

# jieba attaches a stderr handler at DEBUG level to its own logger and logs while initialising.
# Raise that logger only; the root logger and its handlers are left alone.
jieba.setLogLevel(logging.WARNING)

# Letters of the alphabetic scripts other than ASCII: Latin-1 and Latin Extended (accents), IPA,
# combining marks, Greek and Cyrillic. CJK, kana and Hangul are not among them (jieba cuts those).
_ALPHABET_EXTRA = ("\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u0300-\u036f\u0386\u0388-\u03f5\u03f7-\u0481"
                   "\u0483-\u052f\u1e00-\u1fbc\u1fc2-\u1fcc\u1fd0-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ffc")
_OTHER_ALPHABET = re.compile(f"[{_ALPHABET_EXTRA}]")
_ALPHABETIC_WORD = re.compile(f"[0-9A-Za-z{_ALPHABET_EXTRA}]+")   # a word of letters (and digits), accents kept
_NUMERIC = re.compile(r"^(?=.*[0-9])[0-9.,:/\-_%+~]+$")  # 2026, 3.5, 2026/11/03, 08:30, 50%
_DATE_UNITS = frozenset("年月日号时分秒")
_SINGLE_LETTER = re.compile(f"^[A-Za-z{_ALPHABET_EXTRA}]$")     # a, x, é, à: not words of their own
_WORD, _NUMBER, _OTHER, _STOP = 0, 1, 2, 3  # token kinds, memoised per tokenizer
_KIND_CACHE_SIZE = 200_000


def cache_dir() -> Path:
    """The project cache directory (not created here)."""
    if os.environ.get("GOVSEO_CACHE_DIR"):
        return Path(os.environ["GOVSEO_CACHE_DIR"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "govseo"
    return Path.home() / ".cache" / "govseo"


def _data_lines(name: str) -> list[str]:
    text = resources.files("audits.text").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def load_userdict() -> list[tuple[str, int, str]]:
    """Bundled government-service terms as (word, frequency, POS tag)."""
    entries = []
    for line in _data_lines("userdict.txt"):
        word, freq, tag = line.split()
        entries.append((word, int(freq), tag))
    return entries


def load_stopwords() -> frozenset[str]:
    """Bundled stop words (function words and generic portal words), ASCII in lower case."""
    return frozenset(word.lower() for word in _data_lines("stopwords.txt"))


def _writable_dir(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError:
        return False
    return True


def _is_punctuation(token: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PSZC" for ch in token)


class Tokenizer:
    """jieba segmentation with the bundled user dictionary and stop words.

    Build it through :func:`get_tokenizer`; constructing one directly costs the full jieba start-up.
    """

    def __init__(self, cache: Path | None = None, use_cache: bool = True) -> None:
        # Memos keep what recurs (titles, template phrases) and forget one-page text, so they stay
        # a few MB at any site size; the expansions are per distinct word (bounded by the language).
        self._short = RecentMemo(_SHORT_CACHE)
        self._search = RecentMemo(_SHORT_CACHE)
        self._expansions: dict[str, tuple[str, ...]] = {}      # word -> search_tokens() of it
        self._runs = RecentMemo(_RUN_CACHE)                    # run of word characters -> its cut
        self._jieba = jieba.Tokenizer()
        directory = cache if cache is not None else cache_dir()
        if use_cache and _writable_dir(directory):
            self._jieba.tmp_dir = str(directory)
            self._jieba.cache_file = f"jieba-{jieba.__version__}.cache"
            self._jieba.initialize()
        else:
            # Build the prefix dictionary in memory: jieba.initialize() would try to write a cache
            # file to the system temp directory and log an error when that fails.
            jt = self._jieba
            jt.FREQ, jt.total = jt.gen_pfdict(jt.get_dict_file())
            jt.initialized = True
        for word, freq, tag in load_userdict():
            self._jieba.add_word(word, freq, tag)
        self._stopwords = load_stopwords()
        self._kinds: dict[str, int] = {}

    @property
    def jieba_tokenizer(self) -> jieba.Tokenizer:
        """The underlying (initialised) jieba tokenizer, for jieba APIs that take one."""
        return self._jieba

    @property
    def stopwords(self) -> frozenset[str]:
        return self._stopwords

    @cached_property
    def user_words(self) -> frozenset[str]:
        return frozenset(word for word, _, _ in load_userdict())

    def cut(self, text: str) -> list[str]:
        """Every token, whitespace and punctuation included (jieba precise mode, HMM on).

        Equal to ``jieba.lcut``, except that a word of letters holding one outside ASCII (Latin
        accents, Greek, Cyrillic: Administración, Müller) is one token where jieba's ASCII-only word
        pattern cuts it at each such letter. jieba cuts each run of word characters (its
        ``re_han_default``) on its own, so the runs are memoised; phrases such as 办理地点 or
        申请人应当携带 recur on page after page of a portal and are cut once."""
        if text.isascii() or not _OTHER_ALPHABET.search(text):
            return self._cut(text)
        # Words of other alphabets (Administración, São, naïve, Müller, Ελληνικά) are kept whole:
        # jieba's word pattern is ASCII-only and cut them at every accented letter.
        result: list[str] = []
        start = 0
        for match in _ALPHABETIC_WORD.finditer(text):
            word = match.group()
            if word.isascii():
                continue      # ASCII words (and their -._ neighbours) stay with jieba, as before
            if match.start() > start:
                result.extend(self._cut(text[start:match.start()]))
            result.append(word)
            start = match.end()
        if start < len(text):
            result.extend(self._cut(text[start:]))
        return result

    def _cut(self, text: str) -> list[str]:
        result: list[str] = []
        memo = self._runs
        for part in _RE_HAN.split(text):
            if not part:
                continue
            if _RE_HAN.match(part):
                words = memo.get(part)
                if words is None:
                    words = tuple(self._jieba.lcut(part))
                    memo[part] = words
                result.extend(words)
            else:
                result.extend(self._jieba.lcut(part))
        return result

    def cut_for_search(self, text: str) -> list[str]:
        """Search-engine mode: long words are also emitted as their 2- and 3-character sub-words
        (``jieba.lcut_for_search``: the same expansion of the same precise cut). Short texts
        (titles, H1s, descriptions) are cached: the crawl-time feed cuts them ahead."""
        if len(text) > _SHORT_SEARCH:
            return self.search_tokens(self.cut(text))
        cached = self._search.get(text)
        if cached is None:
            cached = tuple(self.search_tokens(self.cut(text)))
            self._search[text] = cached
        return list(cached)

    def terms(self, text: str) -> list[str]:
        if len(text) <= _SHORT:       # titles, names, H1s repeat across a site: segment each once
            cached = self._short.get(text)
            if cached is None:
                cached = self.terms_and_words(text)[0]
                self._short[text] = cached
            return list(cached)
        return self.terms_and_words(text)[0]

    def forget(self) -> None:
        """Empty the text memos (what the crawl-time feed cut is not what the audit will cut): their
        space goes back to the allocator for the audit's own objects."""
        for memo in (self._short, self._search, self._runs):
            memo.clear()

    def search_tokens(self, terms: list[str]) -> list[str]:
        """``cut_for_search`` of already-segmented words: each word plus its 2- and 3-character
        sub-words that are dictionary words (jieba's own rule), so a page is segmented only once."""
        expansions = self._expansions
        result: list[str] = []
        for word in terms:
            found = expansions.get(word)
            if found is None:
                found = self._expand(word)
                if len(expansions) < _EXPANSIONS:
                    expansions[word] = found
            result.extend(found)
        return result

    def _expand(self, word: str) -> tuple[str, ...]:
        freq = self._jieba.FREQ
        n = len(word)
        found: list[str] = []
        if n > 2:
            found.extend(word[i:i + 2] for i in range(n - 1) if freq.get(word[i:i + 2]))
        if n > 3:
            found.extend(word[i:i + 3] for i in range(n - 2) if freq.get(word[i:i + 3]))
        found.append(word)
        return tuple(found)

    def terms_and_words(self, text: str) -> tuple[list[str], int]:
        """Word tokens of ``text``, in order, repeats kept.

        The text is NFKC-normalised (full-width ASCII and digits become half-width), segmented, and
        these tokens are dropped: whitespace, punctuation and symbols, numbers and dates (2026,
        2026/11/03, 08:30, and the 年/月/日 that follows a number), single letters (a, é), and stop
        words (compared with ASCII in lower case). The second value counts every word token, stop
        words included (the denominator of keyword density).
        """
        result: list[str] = []
        words = 0
        after_number = False
        kinds = self._kinds
        for token in self.cut(unicodedata.normalize("NFKC", text)):
            kind = kinds.get(token)
            if kind is None:
                kind = self._classify(token)
                if len(kinds) < _KIND_CACHE_SIZE:
                    kinds[token] = kind
            if kind == _NUMBER:
                after_number = True
            elif not (after_number and token in _DATE_UNITS):
                after_number = False
                if kind == _WORD:
                    result.append(intern(token))     # one object per distinct word, site-wide
                    words += 1
                elif kind == _STOP:
                    words += 1
        return result, words

    def _classify(self, token: str) -> int:
        if _NUMERIC.match(token):
            return _NUMBER
        if _is_punctuation(token) or _SINGLE_LETTER.match(token):
            return _OTHER
        if token.lower() in self._stopwords:
            return _STOP
        return _WORD

    def is_stopword(self, token: str) -> bool:
        return token.lower() in self._stopwords


_SHORT, _SHORT_CACHE = 80, 20_000    # texts up to 80 characters are cached (RecentMemo generations)
_RUN_CACHE = 20_000                  # memoised runs of word characters a generation (see Tokenizer.cut)
_EXPANSIONS = 50_000
_RE_HAN = jieba.re_han_default       # what jieba cuts as one unit (CJK, ASCII letters, digits, +#&._%-)
_SHORT_SEARCH = 200                  # cut_for_search caches texts up to 200 characters (descriptions)

_instance: Tokenizer | None = None
_lock = threading.Lock()


def get_tokenizer() -> Tokenizer:
    """The process-wide tokenizer, built on first use (about 0.6 s)."""
    global _instance
    if _instance is None:
        with _lock:
            if _instance is None:
                _instance = Tokenizer()
    return _instance
