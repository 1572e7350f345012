"""Display width of text as search engines count it when they truncate result titles.

A full-width character (East Asian Wide or Fullwidth: CJK ideographs, kana, hangul, full-width
punctuation such as ，。：) counts 2, combining marks and zero-width format characters count 0, and
everything else counts 1. East Asian "Ambiguous" characters (“ ” · — …) count ``ambiguous_width``,
1 by default as in Unicode's non-East-Asian context; pass 2 to count them as Chinese fonts draw them.
"""

from __future__ import annotations

import unicodedata

__all__ = ["char_width", "display_width", "truncate_to_width"]

_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


def char_width(ch: str, ambiguous_width: int = 1) -> int:
    """Width of one character: 0, 1 or 2."""
    if unicodedata.category(ch) in _ZERO_WIDTH_CATEGORIES:
        return 0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F"):
        return 2
    if eaw == "A":
        return ambiguous_width
    return 1


def display_width(text: str, ambiguous_width: int = 1) -> int:
    """Width of ``text``: "社保卡ABC" is 3 * 2 + 3 = 9."""
    if text.isascii():
        return len(text)  # fast path: every ASCII character counts 1
    return sum(char_width(ch, ambiguous_width) for ch in text)


def truncate_to_width(text: str, width: int, ellipsis: str = "", ambiguous_width: int = 1) -> str:
    """The longest prefix of ``text`` whose width is at most ``width``.

    ``text`` comes back unchanged when it fits. Otherwise the prefix is followed by ``ellipsis``
    (e.g. "..." as Baidu shows it), and prefix plus ellipsis fit in ``width``. A wide character that
    would straddle the limit is dropped whole, together with the combining marks that follow it.
    """
    if width <= 0:
        return ""
    if display_width(text, ambiguous_width) <= width:
        return text
    budget = width - display_width(ellipsis, ambiguous_width)
    if budget < 0:
        return truncate_to_width(ellipsis, width, "", ambiguous_width)
    used = 0
    end = 0
    for i, ch in enumerate(text):
        w = char_width(ch, ambiguous_width)
        if used + w > budget:
            break
        used += w
        end = i + 1
    return text[:end] + ellipsis
