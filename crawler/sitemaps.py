"""Pure sitemap parsing: XML urlset/sitemapindex, plain-text lists, gzip, all bounded.

XML goes through a streaming lxml iterparse with entities left unresolved, no network and no DTD
loading, so billion-laughs and XXE files cannot expand or read local files. Gzip is inflated with
Scrapy's bounded gunzip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree
from scrapy.utils.gz import gunzip

# Google accepts 50 MB uncompressed per sitemap file; nothing larger is inflated.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 200_000
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class ParsedSitemap:
    kind: str                       # urlset | sitemapindex | txt | invalid
    body: bytes                     # decompressed bytes (what was parsed)
    gzipped: bool = False
    entries: list[dict[str, str]] = field(default_factory=list)   # urlset/txt: page entries
    children: list[str] = field(default_factory=list)             # sitemapindex: child sitemap locs
    error: str | None = None


def inflate(raw: bytes, max_size: int | None = None) -> tuple[bytes, bool]:
    """Gunzip ``raw`` when it is gzip data; raise ValueError past ``max_size`` bytes."""
    max_size = max_size or MAX_SITEMAP_BYTES
    if not raw.startswith(GZIP_MAGIC):
        return raw, False
    try:
        return gunzip(raw, max_size=max_size), True
    except (OSError, EOFError) as exc:
        raise ValueError(f"corrupt gzip: {exc}") from exc
    except Exception as exc:  # Scrapy's _DecompressionMaxSizeExceeded is private
        raise ValueError(f"gzip inflates beyond {max_size} bytes") from exc


def _looks_xml(body: bytes) -> bool:
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


_FIELDS = ("loc", "lastmod", "changefreq", "priority")
_CHILD = {"urlset": "url", "sitemapindex": "sitemap"}


def parse_sitemap(raw: bytes) -> ParsedSitemap:
    try:
        body, gzipped = inflate(raw)
    except ValueError as exc:
        return ParsedSitemap("invalid", b"", True, error=str(exc))
    if not body.strip():
        return ParsedSitemap("invalid", body, gzipped, error="empty")
    if not _looks_xml(body):
        return _parse_txt(body, gzipped)
    return _parse_xml(body, gzipped)


def _parse_xml(body: bytes, gzipped: bool) -> ParsedSitemap:
    """urlset / sitemapindex by a streaming, recovering lxml parse that never resolves entities.

    Only direct children of the root with the right name count (<url> in a urlset, <sitemap> in an
    index); errors the parser recovered from are reported in ``error``.
    """
    events = etree.iterparse(BytesIO(body), events=("start", "end"), recover=True, resolve_entities=False,
                             no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                             collect_ids=False, load_dtd=False)
    result: ParsedSitemap | None = None
    depth = 0
    try:
        for event, el in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    kind = _local(el.tag)
                    if kind not in _CHILD:
                        return ParsedSitemap("invalid", body, gzipped, error=f"root element <{kind}>")
                    result = ParsedSitemap(kind, body, gzipped)
                continue
            depth -= 1
            if depth != 1 or result is None:
                continue
            if _local(el.tag) == _CHILD[result.kind]:
                item = {_local(child.tag): (child.text or "").strip() for child in el
                        if _local(child.tag) in _FIELDS}
                if item.get("loc"):
                    if result.kind == "urlset":
                        result.entries.append({k: v for k, v in item.items() if v})
                    else:
                        result.children.append(item["loc"])
            el.clear()
            while el.getprevious() is not None:      # keep memory flat on 50,000-URL files
                del el.getparent()[0]
            if len(result.entries) + len(result.children) >= MAX_ENTRIES:
                result.error = f"more than {MAX_ENTRIES} entries; the rest ignored"
                return result
    except etree.XMLSyntaxError as exc:
        if result is None:
            return ParsedSitemap("invalid", body, gzipped, error=f"XML: {exc}"[:300])
        result.error = f"XML: {exc}"[:300]
    if result is None:
        return ParsedSitemap("invalid", body, gzipped, error="no XML element")
    errors = [e for e in events.error_log if e.level >= etree.ErrorLevels.ERROR]
    if errors and result.error is None:
        result.error = f"XML: {errors[0].message} (line {errors[0].line})"[:300]
    return result


def _parse_txt(body: bytes, gzipped: bool) -> ParsedSitemap:
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(("http://", "https://")):
            entries.append({"loc": line})
            if len(entries) >= MAX_ENTRIES:
                break
    if not entries:
        return ParsedSitemap("invalid", body, gzipped, error="neither XML nor a list of URLs")
    return ParsedSitemap("txt", body, gzipped, entries=entries)
