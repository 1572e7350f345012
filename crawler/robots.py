"""One reading of robots.txt for the crawler and the audit: the same bytes give the same rules in both.

Google reads robots.txt as UTF-8 and ignores what comes after 500 KiB (RFC 9309 asks crawlers to read at
least 500 KiB). So does govseo, everywhere: ``MAX_BYTES`` is cut at the last line break before the limit
(no half rule is read), invalid bytes are replaced and one leading BOM is removed. The crawl fetches up to
crawler/spider.py's ROBOTS_MAXSIZE and stores what it got; the audit re-reads the stored bytes with
``parse`` and agrees with the crawl about every URL.
"""

from __future__ import annotations

from protego import Protego

MAX_BYTES = 500 * 1024            # Google: content after 500 KiB is ignored


def truncate(body: bytes) -> bytes:
    """The first MAX_BYTES of ``body``, cut after the last line break within them."""
    if len(body) <= MAX_BYTES:
        return body
    head = body[:MAX_BYTES]
    cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return head[:cut + 1] if cut >= 0 else head


def decode(body: bytes) -> str:
    """UTF-8 text of a robots.txt: invalid bytes replaced, one leading BOM removed."""
    text = body.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def parse(body: bytes) -> Protego:
    """The protego parser for ``body`` as Google reads it (UTF-8, first MAX_BYTES on a line boundary)."""
    return Protego.parse(decode(truncate(body)))


def rules_of(status: int | None, body: bytes) -> Protego | None:
    """The rules a fetched robots.txt sets, or None for none. RFC 9309: 4xx means no rules; for 5xx or no
    answer it says "disallow all", but an audit crawl goes on instead (robots-txt-missing reports the
    outage). Hostile bytes never raise: protego is lenient, and anything it cannot read is no rules."""
    if status is None or status >= 400 or not body:
        return None
    try:
        return parse(body)
    except Exception:
        return None
