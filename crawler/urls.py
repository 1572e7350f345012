"""URL normalisation and crawl scope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# What a 办事指南 URL looks like on Chinese government portals (bszn 办事指南, zwfw 政务服务, bsfw 办事服务, grbs
# 个人办事, qybs 企业办事…): the audit's default service pattern (audits/services.py) and the crawler's guess where
# it must pick guides first (--render-max, the engine views), one pattern for both.
SERVICE_PATH = r"/(bszn|zwfw|bsfw|fwzn|bszy|bmfw|bsdt|ggfw|grbs|qybs)/"
SERVICE_URL = re.compile(SERVICE_PATH)


_DEFAULT_PORTS = {"http": 80, "https": 443}


class BadURL(ValueError):
    """A URL that cannot be crawled (malformed, or not http/https)."""


def normalize(url: str, base: str | None = None) -> str:
    """Absolute, percent-escaped URL without fragment or default port; empty path becomes "/".

    Query strings are kept in their order: reordering can change what a CMS serves.
    Raises BadURL for anything that is not an http(s) URL with a host.
    """
    url = url.strip()
    try:
        if base is not None:
            url = urljoin(base, url)     # raises ValueError on "http://[bad" (a hostile href)
        parts = urlsplit(safe_url_string(url))
        host = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise BadURL(str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not host:
        raise BadURL(url)
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


class Resolver:
    """``normalize(href, base)`` with a bounded memo.

    About 100 links a page are template links (navigation, footer) that resolve the same on every
    page; resolving each anew was most of the crawler's time per page. The memo key holds only the
    part of ``base`` that RFC 3986 resolution reads for that kind of reference: nothing for an
    absolute URL, the scheme for "//host/…", the origin for "/path", the directory for a relative
    path. References made only of a query or fragment depend on the whole base and are not memoised.
    """

    def __init__(self, size: int = 50_000) -> None:
        self._memo: dict[tuple[str | None, str], str | BadURL] = {}
        self._size = size
        self._base: str | None = None
        self._parts: tuple[str, str, str] | None = None

    def __call__(self, href: str, base: str) -> str:
        key = self._key(href, base)
        if key is None:
            return normalize(href, base)
        result = self._memo.get(key)
        if result is None:
            try:
                result = normalize(href, base)
            except BadURL as exc:
                result = exc
            if len(self._memo) >= self._size:
                self._memo.clear()
            self._memo[key] = result
        if isinstance(result, BadURL):
            raise BadURL(str(result))
        return result

    def _key(self, href: str, base: str) -> tuple[str | None, str] | None:
        if base is not self._base:          # a page's links share one base: split it once
            self._base, self._parts = base, _base_parts(base)
        ref = href.strip()
        if not ref or ref[0] in "?#" or _UNSAFE.search(ref):
            return None     # depends on the whole base, or on urljoin's whitespace handling: no memo
        if ref[:8].lower().startswith(("http://", "https://")):
            return (None, href)
        parts = self._parts
        if parts is None:
            return None
        scheme, root, directory = parts
        if ref.startswith("//"):
            return (scheme, href)
        return (root, href) if ref[0] == "/" else (directory, href)


_UNSAFE = re.compile(r"[\t\r\n\\]")


def _base_parts(base: str) -> tuple[str, str, str] | None:
    """(scheme, origin, directory) of a base URL; None when it has no path to resolve against."""
    scheme_end = base.find("://")
    if scheme_end < 0:
        return None
    path_start = base.find("/", scheme_end + 3)
    if path_start < 0:
        return None
    path = base.split("#", 1)[0].split("?", 1)[0]
    return base[:scheme_end], base[:path_start], path[: path.rfind("/") + 1]


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or "", parts.port or _DEFAULT_PORTS.get(parts.scheme, 0))


@dataclass
class Scope:
    """Which URLs the crawl fetches: the start hosts (optionally their subdomains), filtered by regex."""

    start_urls: list[str]
    subdomains: bool = False
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._hosts = {host_port(u) for u in self.start_urls}
        self._include = [re.compile(p) for p in self.include]
        self._exclude = [re.compile(p) for p in self.exclude]

    def on_site(self, url: str) -> bool:
        """Same site as a start URL: same host, same port (http/https default ports count as one)."""
        host, port = host_port(url)
        for start_host, start_port in self._hosts:
            same_port = port == start_port or (port in (80, 443) and start_port in (80, 443))
            if not same_port:
                continue
            if host == start_host or (self.subdomains and host.endswith("." + start_host)):
                return True
        return False

    def filtered(self, url: str) -> bool:
        """True when --include/--exclude rule the URL out."""
        if self._include and not any(p.search(url) for p in self._include):
            return True
        return any(p.search(url) for p in self._exclude)


_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}([-/_.]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])(?!\d)")


def date_pattern(url: str) -> str | None:
    """The URL with its full dates (2026-11-27, 2026/11/27, 20261127) replaced, or None without one.

    URLs that differ only in a date share a pattern: the pages of a calendar, not articles (an article
    URL such as t20261103_1234.html keeps its own id and so its own pattern)."""
    replaced, count = _DATE.subn("{date}", url)
    return replaced if count else None
