"""Everyday-to-official service vocabulary (违章 -> 交通违法, 社保 -> 社会保险, 房本 -> 不动产权证书 …).

Citizens search with everyday words; 办事指南 pages are titled with the official names of the
services. The bundled dictionary ``audits/text/data/synonyms.tsv`` (sources in the README next to
it) maps one to the other so that the simulated search can also query a service by the words people
actually type, and the vocabulary-gap rule can say which of those words a page lacks.

File format (UTF-8, a byte-order mark is accepted in user files; tab-separated, one pair a line)::

    everyday<TAB>official<TAB>domain

The first line may be the header ``everyday	official	domain``; blank lines and lines starting with
``#`` are ignored. One everyday word may map to several official terms and the other way round.
Every field must be non-empty and free of whitespace, and the two terms must differ. A pair that is
repeated (also across the bundled and a user file) is kept once, at its first occurrence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

__all__ = ["HEADER", "SynonymPair", "Synonyms", "carries", "load_synonyms", "parse_synonyms"]

HEADER = ("everyday", "official", "domain")


class SynonymPair(NamedTuple):
    everyday: str
    official: str
    domain: str


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def carries(text: str, word: str) -> bool:
    """``text`` uses the everyday ``word``: as written, or every character of it (an abbreviation or a
    reordering engines match: 失业金 in 失业保险金, 迁户口 in 户口迁移). NFKC on both."""
    text, word = _normalise(text), _normalise(word)
    return word in text or set(word) <= set(text)


def parse_synonyms(text: str, source: str = "<string>") -> list[SynonymPair]:
    """Parse the TSV format; raises ValueError naming ``source`` and the 1-based line number."""
    pairs: list[SynonymPair] = []
    first = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = tuple(_normalise(field) for field in line.split("\t"))
        if first and fields == HEADER:
            first = False
            continue
        first = False
        if len(fields) != 3:
            raise ValueError(f"{source}:{number}: expected 3 tab-separated fields "
                             f"(everyday, official, domain), found {len(fields)}")
        for name, field in zip(HEADER, fields, strict=True):
            if not field:
                raise ValueError(f"{source}:{number}: empty {name} field")
            if any(ch.isspace() for ch in field):
                raise ValueError(f"{source}:{number}: whitespace inside the {name} field {field!r}")
        if fields[0] == fields[1]:
            raise ValueError(f"{source}:{number}: everyday and official terms are the same ({fields[0]})")
        pairs.append(SynonymPair(*fields))
    return pairs


class Synonyms:
    """An immutable everyday/official dictionary with lookups in both directions."""

    def __init__(self, pairs: Iterable[tuple[str, str, str]]) -> None:
        unique: dict[tuple[str, str], SynonymPair] = {}
        for everyday, official, domain in pairs:
            unique.setdefault((everyday, official), SynonymPair(everyday, official, domain))
        self._pairs = tuple(unique.values())
        self._by_official: dict[str, list[str]] = {}
        self._by_everyday: dict[str, list[str]] = {}
        for pair in self._pairs:
            self._by_official.setdefault(pair.official, []).append(pair.everyday)
            self._by_everyday.setdefault(pair.everyday, []).append(pair.official)
        # Longest official terms first; equal lengths keep file order (dicts preserve insertion).
        self._officials = sorted(self._by_official, key=len, reverse=True)
        self._first_seen: dict[str, int] = {}
        for i, pair in enumerate(self._pairs):
            self._first_seen.setdefault(pair.everyday, i)

    @classmethod
    def from_file(cls, path: Path) -> Synonyms:
        return cls(parse_synonyms(Path(path).read_text(encoding="utf-8-sig"), source=str(path)))

    @property
    def pairs(self) -> tuple[SynonymPair, ...]:
        """Every (everyday, official, domain) pair, in file order."""
        return self._pairs

    @property
    def domains(self) -> list[str]:
        """The domains, in order of first appearance."""
        return list(dict.fromkeys(pair.domain for pair in self._pairs))

    def __len__(self) -> int:
        return len(self._pairs)

    def __iter__(self) -> Iterator[SynonymPair]:
        return iter(self._pairs)

    def officials_for(self, word: str) -> list[str]:
        """The official terms an everyday word stands for (exact match, file order)."""
        return list(self._by_everyday.get(_normalise(word).strip(), ()))

    def everyday_for(self, text: str) -> list[str]:
        """Everyday words whose official term occurs in ``text`` (substring match after NFKC).

        Official terms are tried longest first, so the words for the most specific match come first
        (住房公积金提取 -> 提公积金, 取公积金, 公积金提取, then 公积金 for 住房公积金). Each word appears
        once. Words already present in ``text`` are not removed: whether a page lacks them is the
        caller's question.
        """
        text = _normalise(text)
        found: dict[str, None] = {}
        for official in self._officials:
            if official in text:
                for word in self._by_official[official]:
                    found.setdefault(word)
        return list(found)


    def vocabulary_gap(self, name: str, shown: str) -> list[str]:
        """The everyday names that would help a service called ``name`` whose page shows ``shown`` (its
        title, H1 and description): [] when the dictionary has none for it or when ``shown`` already
        carries any one of them (see :func:`carries`); else all of them, the word people actually type
        first (shortest, then dictionary order: 违章 before 交通违章)."""
        words = self.everyday_for(name)
        if not words or any(carries(shown, word) for word in words):
            return []
        return sorted(words, key=lambda w: (len(w), self._first_seen.get(w, 0)))


@lru_cache(maxsize=1)
def _bundled() -> Synonyms:
    data = resources.files("audits.text").joinpath("data", "synonyms.tsv")
    return Synonyms(parse_synonyms(data.read_text(encoding="utf-8"), source="synonyms.tsv"))


def load_synonyms(extra: Path | None = None) -> Synonyms:
    """The bundled dictionary (parsed once per process), plus the pairs of ``extra`` when given.

    ``extra`` is a user file in the same format; it is read on every call. Its pairs follow the
    bundled ones. Raises ValueError (with the line number) for a malformed line and OSError when the
    file cannot be read.
    """
    bundled = _bundled()
    if extra is None:
        return bundled
    return Synonyms([*bundled.pairs, *Synonyms.from_file(extra).pairs])
