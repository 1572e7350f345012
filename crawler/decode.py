"""Decode page bytes the way a careful browser would, and record what was declared."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

_ASCII = re.compile(rb"^[\x00-\x7f]*$")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_NON_ASCII = re.compile("[^\x00-\x7f]+")
_LATIN = re.compile("[\u00a0-\u02ff\u2000-\u20cf]+")
# The GB family: a page declared gb2312 or gbk is decoded as GB18030, its superset.
_FAMILY = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "ascii": "utf-8", "utf-8": "utf-8"}


@dataclass(frozen=True)
class Decoded:
    text: str
    header: str | None      # charset in the Content-Type header
    meta: str | None        # charset in <meta charset> / http-equiv
    detected: str | None    # what the bytes are (BOM, valid UTF-8, or valid GB18030); None if ASCII-only
    used: str               # codec used to produce ``text``

    @property
    def mismatch(self) -> bool:
        """Declared charset disagrees with the bytes, or non-UTF-8 bytes carry no declaration."""
        return bool(charset_problems(self.header, self.meta, self.detected))


def charset_problems(header: str | None, meta: str | None, detected: str | None) -> list[tuple[str, str]]:
    """What is wrong about a page's charset: [("header" | "meta", declared)] for each declaration that
    disagrees with the bytes, or [("none", detected)] for non-UTF-8 bytes without any declaration.
    ASCII-only bytes (``detected`` None) read the same in any charset: nothing is wrong."""
    if detected is None:
        return []
    actual = family(detected)
    wrong = [(where, value) for where, value in (("header", header), ("meta", meta))
             if value and family(value) not in (None, actual)]
    if not wrong and not header and not meta and actual != "utf-8":
        return [("none", detected)]
    return wrong


def family(encoding: str) -> str | None:
    """The codec family (gb2312/gbk/gb18030 are one); None for a name Python does not know."""
    try:
        name = codecs.lookup(resolve_encoding(encoding) or encoding).name
    except LookupError:
        return None
    return _FAMILY.get(name, name)


def _declared(encoding: str | None) -> str | None:
    """The declared charset as written (lower-cased), or None when absent or unknown to Python."""
    if not encoding:
        return None
    return encoding.strip().lower() if resolve_encoding(encoding) else None


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` in runs matching ``pattern``, without an object per character (a 10 MB
    page of one non-ASCII character made a list of millions of one-character strings: ~300 MB)."""
    return sum(match.end() - match.start() for match in pattern.finditer(text))


def _plausible_latin(text: str) -> bool:
    """Most non-ASCII characters are Latin-1 supplement / Latin extended / general punctuation."""
    others = _count(_NON_ASCII, text)
    latin = _count(_LATIN, text)
    return bool(others) and latin >= 0.8 * others


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def detect(body: bytes) -> str | None:
    """What the bytes are: BOM, else valid UTF-8, else valid GB18030; None for ASCII-only bytes.

    Short GBK text can also be valid UTF-8 (two-byte sequences), and European UTF-8 text can also be
    valid GB18030 (Guía reads Gu铆a). Valid UTF-8 with CJK characters is UTF-8; valid UTF-8 without
    them is UTF-8 when its non-ASCII characters are plausibly European (Latin-1 supplement, Latin
    extended, general punctuation), else GB18030 when that yields CJK.
    """
    bom, _ = read_bom(body)
    if bom:
        return codecs.lookup(bom).name
    if _ASCII.match(body):
        return None
    try:
        as_utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    if as_utf8 is not None and (_has_cjk(as_utf8) or _plausible_latin(as_utf8)):
        return "utf-8"
    try:
        as_gb = body.decode("gb18030")
    except UnicodeDecodeError:
        as_gb = None
    if as_gb is not None and _has_cjk(as_gb):
        return "gb18030"
    return "utf-8" if as_utf8 is not None else ("gb18030" if as_gb is not None else None)


def decode_html(body: bytes, content_type: str | None) -> Decoded:
    header = _declared(http_content_type_encoding(content_type or ""))
    meta = _declared(html_body_declared_encoding(body[:4096]))
    detected = detect(body)
    bom, bom_bytes = read_bom(body)
    if bom:
        used = codecs.lookup(bom).name
        payload = body[len(bom_bytes or b""):]
    else:
        declared = header or meta
        payload = body
        if detected and (declared is None or family(declared) != family(detected)):
            used = detected          # the bytes win over a wrong or missing declaration
        else:
            used = codecs.lookup(resolve_encoding(declared) or "utf-8").name if declared else "utf-8"
        if family(used) == "gb18030":
            used = "gb18030"
    return Decoded(payload.decode(used, errors="replace"), header, meta, detected, used)
