"""Pure sitemap parsing: XML urlset/sitemapindex, plain-text lists, gzip, all bounded.

XML goes through Scrapy's Sitemap parser (lxml iterparse with entities left unresolved, no network,
no DTD loading), so billion-laughs and XXE files cannot expand or read local files. Gzip is inflated
with Scrapy's bounded gunzip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

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


def parse_sitemap(raw: bytes) -> ParsedSitemap:
    try:
        body, gzipped = inflate(raw)
    except ValueError as exc:
        return ParsedSitemap("invalid", b"", True, error=str(exc))
    if not body.strip():
        return ParsedSitemap("invalid", body, gzipped, error="empty")
    if not _looks_xml(body):
        return _parse_txt(body, gzipped)
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, StopIteration, ValueError) as exc:
        return ParsedSitemap("invalid", body, gzipped, error=f"XML: {exc}"[:300])
    kind = sitemap.type
    if kind not in ("urlset", "sitemapindex"):
        return ParsedSitemap("invalid", body, gzipped, error=f"root element <{kind}>")
    result = ParsedSitemap(kind, body, gzipped)
    try:
        for item in sitemap:
            loc = (item.get("loc") or "").strip()
            if not loc:
                continue
            if kind == "sitemapindex":
                result.children.append(loc)
            else:
                result.entries.append({k: item[k] for k in ("loc", "lastmod", "changefreq", "priority")
                                       if isinstance(item.get(k), str)})
            if len(result.entries) + len(result.children) >= MAX_ENTRIES:
                result.error = f"more than {MAX_ENTRIES} entries; the rest ignored"
                break
    except etree.XMLSyntaxError as exc:
        result.error = f"XML: {exc}"[:300]
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
