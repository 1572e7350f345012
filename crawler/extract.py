"""Link extraction for the crawler: one lxml parse, every link-bearing element."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import lxml.html
from lxml import etree

_REFRESH_URL = re.compile(r"""^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']+)["']?\s*$""", re.I)
_WS = re.compile(r"\s+")
_CLOSING = re.compile(r"</(html|body)\s*>", re.I)
_TAG_ATTR = {"a": "href", "area": "href", "iframe": "src", "frame": "src", "img": "src"}
MAX_ANCHOR = 200
# The HTML parsed (for links here, for every audit artifact in audits/artifacts.py) is a page's first
# MAX_PARSE_CHARS characters, at least the 2 MB Googlebot reads of an HTML file for Google Search (see
# audits/artifacts.py for the sources): a tree costs a few hundred bytes an element, and 10 MB of tiny
# elements (300,000 links) took the crawl process to 470 MB and the feed to 350 MB. The stored body is
# still the whole page, up to the crawl's page cap (CrawlOptions.max_page_bytes, 10 MB).
MAX_PARSE_CHARS = 2 * 1024 * 1024


class RawLink(NamedTuple):      # ~115 a page: a tuple is made 3x faster than a frozen dataclass
    href: str           # as written in the page (unresolved)
    tag: str            # a | area | iframe | frame | img | canonical | meta-refresh
    rel: str | None
    anchor: str | None


@dataclass(frozen=True)
class Extracted:
    base: str | None
    links: list[RawLink]


def parse_html(text: str) -> etree._Element | None:
    """Parse decoded HTML leniently; None when there is nothing to parse."""
    text = text[:MAX_PARSE_CHARS]
    if not text.strip():
        return None
    # A stray </html> or </body> (CMS includes) makes libxml2 drop everything after it; browsers don't.
    text = _CLOSING.sub("", text)
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


_PARSER = lxml.html.HTMLParser(recover=True, remove_comments=True, no_network=True)


def refresh_target(content: str | None) -> str | None:
    """URL of a <meta http-equiv=refresh content="0; url=..."> value, if any."""
    if not content:
        return None
    match = _REFRESH_URL.match(content)
    if not match:
        return None
    target = match.group(1).strip()
    return None if not target or target.replace(".", "").isdigit() else target


def anchor_text(el: etree._Element) -> str:
    # most anchors are one text node: el.text, without text_content()'s XPath evaluation
    text = " ".join((el.text or "").split() if not len(el) else el.text_content().split())
    if not text:
        text = " ".join(filter(None, (img.get("alt") for img in el.iter("img")))).strip()
    return text[:MAX_ANCHOR]


def extract_links(doc: etree._Element | None) -> Extracted:
    if doc is None:
        return Extracted(None, [])
    base = None
    links: list[RawLink] = []
    for el in doc.iter("a", "area", "iframe", "frame", "img", "link", "meta", "base"):
        tag = el.tag
        if tag == "base":
            base = base or (el.get("href") or "").strip() or None
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and el.get("href") is not None:
                links.append(RawLink(el.get("href", ""), "canonical", "canonical", None))
        elif tag == "meta":
            if (el.get("http-equiv") or "").strip().lower() == "refresh":
                target = refresh_target(el.get("content"))
                if target:
                    links.append(RawLink(target, "meta-refresh", None, None))
        else:
            href = el.get(_TAG_ATTR[tag])
            if href is None or not href.strip():
                continue
            anchor = anchor_text(el) if tag in ("a", "area") else (el.get("alt") if tag == "img" else None)
            if tag == "area" and not anchor:
                anchor = (el.get("alt") or "")[:MAX_ANCHOR]
            links.append(RawLink(href, tag, el.get("rel"), anchor))
    return Extracted(base, links)
