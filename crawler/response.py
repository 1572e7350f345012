"""Turn one HTTP response into what the store keeps: a fetch record and the outgoing links.

Pure (no Scrapy, no I/O), so the spider and the tests' in-memory site builder share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.decode import decode_html
from crawler.extract import extract_links, parse_html
from crawler.settings import HTML_TYPES, TEXT_TYPES
from crawler.urls import BadURL, Resolver, normalize

# Link kinds the crawler follows (and records). Redirects are their own kind.
FOLLOWED_TAGS = frozenset({"a", "area", "iframe", "frame", "img", "canonical", "meta-refresh"})


@dataclass
class Summary:
    record: dict[str, Any]                    # keyword arguments for CrawlStore.add_fetch
    # (absolute normalised URL, tag, rel, anchor); tag "redirect" for a Location header
    links: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def header_value(headers: list[tuple[str, str]], name: str) -> str | None:
    lname = name.lower()
    return next((v for k, v in headers if k.lower() == lname), None)


def summarise(url: str, status: int, headers: list[tuple[str, str]], body: bytes, *,
              truncated: bool = False, elapsed_ms: float | None = None, resolve: Resolver | None = None) -> Summary:
    """``resolve``: a memoising resolver shared across pages (the spider keeps one)."""
    resolve = resolve or Resolver()
    content_type = header_value(headers, "Content-Type") or None
    length = header_value(headers, "Content-Length")
    kind = media_type(content_type)
    record: dict[str, Any] = {
        "status": status, "content_type": content_type,
        "content_length": int(length) if length and length.strip().isdigit() else None,
        "body_size": len(body), "truncated": truncated, "headers": headers, "elapsed_ms": elapsed_ms,
    }
    summary = Summary(record)
    location = header_value(headers, "Location")
    if 300 <= status < 400 and location:
        try:
            target = normalize(location, url)
        except BadURL:
            record["location"] = location
        else:
            record["location"] = target
            summary.links.append((target, "redirect", None, None))
    elif kind in HTML_TYPES or (not kind and body.lstrip()[:1] == b"<"):
        decoded = decode_html(body, content_type)
        record.update(body=body, charset_header=decoded.header, charset_meta=decoded.meta,
                      charset_detected=decoded.detected, charset_used=decoded.used)
        extracted = extract_links(parse_html(decoded.text))
        base = url
        if extracted.base:
            try:
                base = normalize(extracted.base, url)
            except BadURL:
                pass
        for link in extracted.links:
            if link.tag not in FOLLOWED_TAGS:
                continue
            try:
                target = resolve(link.href, base)
            except BadURL:
                continue
            summary.links.append((target, link.tag, link.rel, link.anchor))
    elif kind in TEXT_TYPES:
        record["body"] = body
    return summary
