"""HTTP decompression that cuts an HTML page at the page cap instead of dropping it.

Scrapy's HttpCompressionMiddleware inflates up to DOWNLOAD_MAXSIZE and then ignores the whole
response. For page requests (meta ``govseo == "page"``) a gzip or deflate body that inflates beyond
GOVSEO_MAX_PAGE_BYTES is kept up to that cap and flagged ``meta["truncated"]``, as a long
uncompressed page is (a gzip bomb costs at most the cap). Everything else is Scrapy's own behaviour.
"""

from __future__ import annotations

import zlib
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import Response, TextResponse
from scrapy.responsetypes import responsetypes

_WBITS = {b"gzip": 16 + zlib.MAX_WBITS, b"x-gzip": 16 + zlib.MAX_WBITS, b"deflate": zlib.MAX_WBITS}


def inflate_prefix(body: bytes, encoding: bytes, limit: int) -> bytes | None:
    """At most ``limit + 1`` inflated bytes of ``body``; None when it cannot be inflated here."""
    wbits = _WBITS.get(encoding.strip().lower())
    if wbits is None:
        return None
    for bits in (wbits, -zlib.MAX_WBITS) if wbits == zlib.MAX_WBITS else (wbits,):   # raw deflate too
        try:
            return zlib.decompressobj(bits).decompress(body, limit + 1)
        except zlib.error:
            continue
    return None


class BoundedHttpCompression(HttpCompressionMiddleware):
    def __init__(self, *args: Any, max_page_bytes: int = 10 * 1024 * 1024, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_page_bytes = max_page_bytes

    @classmethod
    def from_crawler(cls, crawler: Any) -> BoundedHttpCompression:
        middleware = super().from_crawler(crawler)
        middleware.max_page_bytes = crawler.settings.getint("GOVSEO_MAX_PAGE_BYTES", middleware.max_page_bytes)
        return middleware

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        encodings = response.headers.getlist("Content-Encoding")
        if request.meta.get("govseo") == "page" and request.method != "HEAD" and len(encodings) == 1:
            prefix = inflate_prefix(response.body, encodings[0], self.max_page_bytes)
            if prefix is not None and len(prefix) > self.max_page_bytes:
                request.meta["truncated"] = True
                body = prefix[: self.max_page_bytes]
                del response.headers["Content-Encoding"]
                respcls = responsetypes.from_args(headers=response.headers, url=response.url, body=body)
                kwargs: dict[str, Any] = {"body": body}
                if issubclass(respcls, TextResponse):
                    kwargs["encoding"] = None
                return response.replace(cls=respcls, **kwargs)
        return super().process_response(request, response, spider)
