"""Engine views: a few URLs fetched again as each search engine's crawler, after the crawl.

Anti-bot gateways (瑞数, 知道创宇, 阿里云 WAF) often answer a crawler's User-Agent with a challenge
instead of the page. Once the crawl's frontier is empty, the spider hands this pass a bounded plan
(``plan``): the home page, each origin's robots.txt, up to MAX_SERVICES service guides and a
deterministic sample of MAX_SAMPLE other pages, each fetched once per engine (at most 5 x 252
requests) through the same Scrapy downloader (same per-host concurrency and delay). Each engine obeys
robots.txt by its own group: a URL its group disallows is not fetched and is recorded as
``blocked-by-robots``.

Service guides are picked by URL with crawler/urls.py SERVICE_URL, which is also the audit's default service
pattern: the crawler knows nothing of rules, and the pattern is a cheap, documented
heuristic. The sample of other pages is the MAX_SAMPLE with the smallest SHA-1 of their URL: the same
pages from run to run, spread over the site.

What is stored (crawl store table ``engine_views``): status, final URL, a digest and the size of the
body, its title and visible text length, the challenge markers found, the error; the body itself only
when it is a small challenge (<= CHALLENGE_BODY bytes). ``--resume`` skips views already stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from protego import Protego
from scrapy.exceptions import StopDownload
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.urls import SERVICE_URL, origin


@dataclass(frozen=True)
class Engine:
    name: str           # as reports name it
    user_agent: str     # the string the engine documents
    robots_token: str   # the robots.txt group it obeys


# The User-Agent strings as Baidu, Google, 360 and Sogou document them (PC crawlers).
ENGINES = (
    Engine("Baiduspider", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
           "Baiduspider"),
    Engine("Baiduspider-render",
           "Mozilla/5.0 (compatible; Baiduspider-render/2.0; +http://www.baidu.com/search/spider.html)",
           "Baiduspider"),
    Engine("Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot"),
    Engine("360Spider", "Mozilla/5.0 (compatible; 360Spider/3.0; +http://www.so.com/help/help_3_2.html)",
           "360Spider"),
    Engine("Sogou web spider", "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
           "Sogou web spider"),
)
ENGINES_BY_NAME = {e.name: e for e in ENGINES}
MAX_SERVICES = 200
MAX_SAMPLE = 50
CHALLENGE_BODY = 64 * 1024
MAX_VIEW_BYTES = 2 * 1024 * 1024        # a view is compared by size and title: its first 2 MB do
BLOCKED = "blocked-by-robots"

# Challenge markers: (marker, regex over the body's first bytes or the Set-Cookie headers).
# "strong" markers are challenges by themselves; acw_tc (an Aliyun load-balancer cookie) is set on
# ordinary pages too, so it is only recorded.
_BODY_MARKERS = (
    ("$_ts", re.compile(rb"\$_ts\s*=|\$_ts\[|\$_ts\.")),                     # 瑞数
    ("__jsl_clearance", re.compile(rb"__jsl_clearance")),                    # 知道创宇 (加速乐)
    ("acw_sc__v2", re.compile(rb"acw_sc__v2")),                              # 阿里云 WAF
    ("captcha", re.compile(rb"captcha|\xe9\xaa\x8c\xe8\xaf\x81\xe7\xa0\x81|\xe4\xba\xba\xe6\x9c\xba\xe9\xaa\x8c"
                           rb"\xe8\xaf\x81|\xe6\xbb\x91\xe5\x8a\xa8\xe9\xaa\x8c\xe8\xaf\x81", re.I)),
    ("access-denied", re.compile(rb"<title>[^<]{0,40}(access denied|\xe8\xae\xbf\xe9\x97\xae\xe8\xa2\xab\xe6\x8b"
                                 rb"\x92\xe7\xbb\x9d)", re.I)),
)
_COOKIE_MARKERS = (("__jsl_clearance", "__jsl_clearance"), ("acw_sc__v2", "acw_sc__v2"), ("acw_tc", "acw_tc"))
# A captcha word on a big page is a login form or a footer link: only a small page is a challenge page.
_SMALL_PAGE = 32 * 1024
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)
_SCRIPT = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(rb"<[^>]*>")
_SPACE = re.compile(r"\s+")


def markers(body: bytes, set_cookies: Iterable[str] = ()) -> list[str]:
    """The challenge markers found in a response (body markers, then cookie names)."""
    head = body[:CHALLENGE_BODY]
    found = []
    for name, pattern in _BODY_MARKERS:
        if name == "captcha" and len(body) > _SMALL_PAGE:
            continue
        if pattern.search(head):
            found.append(name)
    cookies = " ".join(set_cookies)
    for name, token in _COOKIE_MARKERS:
        if token in cookies and name not in found:
            found.append(name)
    return found


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def title_of(body: bytes) -> str | None:
    match = _TITLE.search(body[:256 * 1024])
    return _SPACE.sub(" ", _decode(match.group(1))).strip()[:200] if match else None


def text_length(body: bytes) -> int:
    """Visible characters, roughly (scripts, styles and tags removed, whitespace dropped)."""
    text = _decode(_TAG.sub(b" ", _SCRIPT.sub(b" ", body[:MAX_VIEW_BYTES])))
    return len(_SPACE.sub("", text))


def digest(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def describe(url: str, status: int, location: str | None, set_cookies: list[str], body: bytes) -> dict[str, Any]:
    """What is stored of one engine's answer (crawl store ``engine_views``), its body kept only when it is a
    small challenge or error page."""
    body = body[:MAX_VIEW_BYTES]
    found = markers(body, set_cookies)
    final = urljoin(url, location) if location and 300 <= status < 400 else url
    keep = body if (found or status >= 400) and len(body) <= CHALLENGE_BODY else None
    return {"status": status, "final_url": final, "digest": digest(body), "size": len(body), "title": title_of(body),
            "text_length": text_length(body), "markers": found, "body": keep}


def plan(start_urls: list[str], pages: Iterable[tuple[int, str]], origins: Iterable[str],
         done: set[tuple[str, str]]) -> list[tuple[int | None, str, str]]:
    """(url id or None, url, engine name) to fetch: the home pages, robots.txt of each origin, the service
    guides (at most MAX_SERVICES, in URL order) and a sample of MAX_SAMPLE others, for every engine, less
    the views in ``done`` ((url, engine) pairs already stored)."""
    pages_list = list(pages)
    ids = {url: uid for uid, url in pages_list}
    homes = [u for u in start_urls if u in ids]
    guides = {u for _, u in pages_list if SERVICE_URL.search(u)} - set(homes)
    services = sorted(guides)[:MAX_SERVICES]
    others = sorted((u for _, u in pages_list if u not in guides and u not in homes),
                    key=lambda u: hashlib.sha1(u.encode()).digest())[:MAX_SAMPLE]
    targets: list[tuple[int | None, str]] = [(None, o + "/robots.txt") for o in sorted(set(origins))]
    targets += [(ids[u], u) for u in (*homes, *services, *others)]
    return [(uid, url, e.name) for uid, url in targets for e in ENGINES if (url, e.name) not in done]


class EngineViews:
    """The pass itself: builds the requests, records each answer in the store."""

    def __init__(self, store: Any, robots: dict[str, Protego | None], timeout: float,
                 classify: Callable[[Failure], str]) -> None:
        self.store = store
        self.classify = classify        # the spider's names for failures
        self.robots = robots
        self.timeout = timeout
        self.requested = 0

    def requests(self, start_urls: list[str]) -> Iterator[Request]:
        pages = self.store.engine_view_candidates()
        todo = plan(start_urls, pages, self.robots, self.store.engine_views_done())
        for url_id, url, name in todo:
            engine = ENGINES_BY_NAME[name]
            parser = self.robots.get(origin(url))
            if url_id is not None and parser is not None and not parser.can_fetch(url, engine.robots_token):
                self.store.put_engine_view(url, name, url_id=url_id, error=BLOCKED)
                continue
            self.requested += 1
            yield Request(url, callback=self.parse, errback=self.failed, dont_filter=True, priority=-100,
                          headers={"User-Agent": engine.user_agent},
                          meta={"govseo": "view", "engine": name, "url_id": url_id, "received": 0,
                                "dont_redirect": True, "handle_httpstatus_all": True, "dont_merge_cookies": True,
                                "dont_retry": True, "download_timeout": self.timeout})
        self.store.commit()

    def on_bytes(self, data: bytes, request: Request, spider: Any) -> None:
        meta = request.meta
        if meta.get("govseo") != "view":
            return
        meta["received"] += len(data)
        if meta["received"] > MAX_VIEW_BYTES:
            meta["truncated"] = True
            raise StopDownload(fail=False)

    def parse(self, response: Response) -> None:
        location = response.headers.get("Location")
        cookies = [v.decode("latin-1") for v in response.headers.getlist("Set-Cookie")]
        url = response.request.url if response.request else response.url
        self.store.put_engine_view(url, response.meta["engine"], url_id=response.meta["url_id"],
                                   **describe(url, response.status, location.decode("latin-1") if location else None,
                                              cookies, response.body))
        self.store.maybe_commit()

    def failed(self, failure: Failure) -> None:
        request = failure.request
        self.store.put_engine_view(request.url, request.meta["engine"], url_id=request.meta["url_id"],
                                   error=self.classify(failure))
        self.store.maybe_commit()
