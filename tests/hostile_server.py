"""A hostile HTTP server on 127.0.0.1 for crawl tests: a small honest site plus traps.

The server listens on 127.0.0.1 only, on an ephemeral port, and never opens a connection itself.
A route is a callable ``route(conn)`` that writes the raw response through ``conn`` (status line and
headers included), so a trap can lie about Content-Length, stream for ever, stall or reset the
connection. Everything is bounded: no trap writes more than ``MAX_STREAM_BYTES`` or holds a
connection longer than ``MAX_TRAP_SECONDS``, every wait ends when the server stops, and the server
shuts itself down after ``lifetime`` seconds even if a test forgets to.

Requests that arrive in proxy form (``CONNECT host:443`` or ``GET http://host/...``) are answered
502 and recorded in ``proxied``: tests point ``http_proxy``/``https_proxy`` at this server so that
a crawler trying to leave 127.0.0.1 (a Sitemap: line of a real robots.txt naming its real host)
is caught here instead of reaching the network.
"""

from __future__ import annotations

import datetime as dt
import random
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_TRAP_SECONDS = 45.0              # no trap keeps a connection longer than this
MAX_STREAM_BYTES = 160 * 1024 * 1024  # no response body is longer than this
CHUNK = 64 * 1024

Route = Callable[["Conn"], None]
HTML = "text/html; charset=utf-8"
# The User-Agent tokens of the search engines govseo's engine views imitate (Baiduspider-render contains
# Baiduspider: the longer token first)
ENGINE_TOKENS = ("Baiduspider-render", "Baiduspider", "Googlebot", "360Spider", "Sogou web spider")


# ---------------------------------------------------------------------------- the connection API
class Conn(BaseHTTPRequestHandler):
    """One request; a route writes its response through these helpers."""

    protocol_version = "HTTP/1.1"
    timeout = 30          # socket timeout: an idle or stuck peer never pins a thread for long
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    # ---- dispatch
    def do_GET(self) -> None:
        if not self.path.startswith("/"):            # absolute form: someone uses us as a proxy
            self._refuse_proxy()
            return
        self.server.record(self.path, self.headers.get("User-Agent", ""))
        route = self.server.route_for(self.path)
        if route is None:
            self.send(404, b"<html><head><title>404</title></head><body>not found</body></html>")
            return
        route(self)

    def do_CONNECT(self) -> None:
        self._refuse_proxy()

    def _refuse_proxy(self) -> None:
        with self.server.lock:
            self.server.proxied.append(f"{self.command} {self.path}")
        self.send(502, b"no network in tests", content_type="text/plain", close=True)

    # ---- writing
    @property
    def stopping(self) -> threading.Event:
        return self.server.stop_event

    def write(self, data: bytes) -> bool:
        """Send raw bytes; False once the peer is gone."""
        try:
            self.wfile.write(data)
        except OSError:
            self.close_connection = True
            return False
        with self.server.lock:
            self.server.sent[self.path] += len(data)
        return True

    def head(self, status: int, headers: Iterable[tuple[str, str]], *, close: bool = False) -> bool:
        """Status line and headers exactly as given (no Content-Length is added)."""
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in headers]
        if close:
            lines.append("Connection: close")
            self.close_connection = True
        return self.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def send(self, status: int, body: bytes, *, content_type: str = HTML,
             headers: Iterable[tuple[str, str]] = (), close: bool = False) -> None:
        """A well-formed response with a correct Content-Length."""
        all_headers = [("Content-Type", content_type), *headers, ("Content-Length", str(len(body)))]
        if self.head(status, all_headers, close=close):
            self.write(body)

    def hold(self, seconds: float) -> None:
        """Keep the connection open, silent, for ``seconds`` (bounded) or until the server stops."""
        self.stopping.wait(min(seconds, MAX_TRAP_SECONDS))
        self.close_connection = True

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Conn)
        self.routes: dict[str, Route] = {}
        self.prefixes: list[str] = []
        self.hits: Counter[str] = Counter()
        self.engine_hits: Counter[tuple[str, str]] = Counter()
        self.sent: Counter[str] = Counter()
        self.log: list[tuple[float, str]] = []
        self.proxied: list[str] = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()

    def set_routes(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.prefixes = sorted((k[:-1] for k in routes if k.endswith("*")), key=len, reverse=True)

    def record(self, path: str, user_agent: str = "") -> None:
        with self.lock:
            engine = next((e for e in ENGINE_TOKENS if e in user_agent), None)
            if engine is not None:      # govseo's engine views (crawler/engines.py): counted apart
                self.engine_hits[(path, engine)] += 1
                return
            self.hits[path] += 1
            self.log.append((time.monotonic(), path))

    def route_for(self, path: str) -> Route | None:
        route = self.routes.get(path)
        if route is not None:
            return route
        for prefix in self.prefixes:
            if path.startswith(prefix):
                return self.routes[prefix + "*"]
        return None


class HostileServer:
    """``with HostileServer(routes) as srv:`` serves ``routes`` on ``srv.base`` ("http://127.0.0.1:PORT").

    ``routes`` maps a request path with query to a route; a key ending in "*" matches by prefix. It may
    also be a function of the base URL returning that dict (for routes that must name the server).
    ``hits`` counts requests per path, ``sent`` the bytes written per path, and ``log`` has
    (monotonic time, path) of every request.
    """

    def __init__(self, routes: dict[str, Route] | Callable[[str], dict[str, Route]], *,
                 lifetime: float = 240.0) -> None:
        self._server = _Server()
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._server.set_routes(routes(self.base) if callable(routes) else routes)
        self._lifetime = lifetime
        self._threads: list[threading.Thread] = []

    @property
    def hits(self) -> Counter[str]:
        with self._server.lock:
            return Counter(self._server.hits)

    @property
    def engine_hits(self) -> Counter[tuple[str, str]]:
        """Requests per (path, engine) made with a search engine's User-Agent (not in ``hits`` or ``log``)."""
        with self._server.lock:
            return Counter(self._server.engine_hits)

    @property
    def sent(self) -> Counter[str]:
        """Bytes written per path (headers included), over all its requests."""
        with self._server.lock:
            return Counter(self._server.sent)

    @property
    def log(self) -> list[tuple[float, str]]:
        with self._server.lock:
            return list(self._server.log)

    @property
    def proxied(self) -> list[str]:
        with self._server.lock:
            return list(self._server.proxied)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> HostileServer:
        serve = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        watchdog = threading.Thread(target=self._watchdog, daemon=True)
        self._threads = [serve, watchdog]
        for thread in self._threads:
            thread.start()
        return self

    def _watchdog(self) -> None:
        if not self._server.stop_event.wait(self._lifetime):
            self.stop()

    def stop(self) -> None:
        self._server.stop_event.set()       # wakes every held connection
        self._server.shutdown()

    def __exit__(self, *exc: object) -> None:
        if not self._server.stop_event.is_set():
            self.stop()
        self._server.server_close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)


# ---------------------------------------------------------------------------- honest pages
HONEST = {
    "/xxgk/index.html": "政府信息公开",
    "/zwfw/index.html": "政务服务",
    "/zwfw/bszn/shebao.html": "社会保障卡申领办事指南",
    "/zwfw/bszn/hukou.html": "户口迁移登记办事指南",
    "/zwfw/bszn/jiazhao.html": "机动车驾驶证换领办事指南",
    "/zwgk/tzgg/001.html": "关于做好冬季供暖工作的通知",
    "/zwgk/tzgg/002.html": "关于开展消防安全检查的公告",
    "/hdjl/zxts.html": "咨询投诉",
    "/jgzn/index.html": "机构职能",
    "/zcwj/2026-01.html": "2026年第1号政策文件解读",
}


def page_html(title: str, body: str = "", links: Iterable[tuple[str, str]] = ()) -> bytes:
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_示范市人民政府</title>'
            f'<meta name="description" content="{title}：示范市人民政府门户网站提供的政务公开与办事服务信息。"></head>'
            f"<body><h1>{title}</h1><p>{title}。本页面介绍办理条件、所需材料、办理流程和咨询电话，"
            f"群众可以在线办理，也可以到政务服务中心窗口办理。</p>{body}<ul>{anchors}</ul>"
            f'<p><a href="/">返回首页</a></p></body></html>').encode()


def static(body: bytes | str, status: int = 200, content_type: str = HTML,
           headers: Iterable[tuple[str, str]] = ()) -> Route:
    data = body.encode() if isinstance(body, str) else body
    extra = list(headers)

    def route(conn: Conn) -> None:
        conn.send(status, data, content_type=content_type, headers=extra)
    return route


def honest_site(extra_links: Iterable[tuple[str, str]] = (),
                robots: bytes | None = b"User-agent: *\nAllow: /\n") -> dict[str, Route]:
    """The home page linking to the ten honest pages (and ``extra_links``), the pages, robots.txt."""
    links = [*((path, title) for path, title in HONEST.items()), *extra_links]
    routes: dict[str, Route] = {"/": static(page_html("示范市人民政府门户网站", links=links))}
    for path, title in HONEST.items():
        routes[path] = static(page_html(title))
    if robots is not None:
        routes["/robots.txt"] = static(robots, content_type="text/plain")
    return routes


# ---------------------------------------------------------------------------- traps
JSL_CHALLENGE = (b"<html><body><script>document.cookie=('_')+('_j')+('sl_clear')+('ance=1764700000.123|0|')"
                 b"+(function(){return 'fZ3kq'})()+';max-age=3600;path=/';location.href=location.pathname"
                 b"+location.search</script></body></html>")


def gateway(routes: dict[str, Route], engines: Iterable[str] = ENGINE_TOKENS) -> dict[str, Route]:
    """知道创宇-style gateway in front of every route: a request whose User-Agent names one of ``engines`` gets
    521 with a __jsl_clearance cookie challenge (its script spells the name in pieces, the Set-Cookie header
    names it whole); any other client gets the route."""
    tokens = tuple(engines)

    def guard(route: Route) -> Route:
        def guarded(conn: Conn) -> None:
            if any(t in conn.headers.get("User-Agent", "") for t in tokens):
                conn.send(521, JSL_CHALLENGE, headers=[("Set-Cookie", "__jsluid_h=4f1c2a; max-age=31536000; path=/"),
                                                       ("Set-Cookie", "__jsl_clearance=0; path=/")])
            else:
                route(conn)
        return guarded
    return {path: guard(route) for path, route in routes.items()}


def redirect(location: str, status: int = 301) -> Route:
    def route(conn: Conn) -> None:
        conn.send(status, b"", headers=[("Location", location)])
    return route


def redirect_ladder(prefix: str, last: int, final: str) -> Route:
    """``prefix + N`` redirects to ``prefix + (N + 1)``; ``prefix + last`` redirects to ``final``."""
    def route(conn: Conn) -> None:
        n = int(conn.path[len(prefix):] or 0)
        conn.send(301, b"", headers=[("Location", final if n >= last else f"{prefix}{n + 1}")])
    return route


def hang(seconds: float = MAX_TRAP_SECONDS) -> Route:
    """Read the request, never answer."""
    return lambda conn: conn.hold(seconds)


def headers_then_hang(seconds: float = MAX_TRAP_SECONDS) -> Route:
    """Status and headers promising a body that never comes."""
    def route(conn: Conn) -> None:
        if conn.head(200, [("Content-Type", HTML), ("Content-Length", "5000")]):
            conn.write(b"<html><head><title>")
            conn.hold(seconds)
    return route


def drip(interval: float = 0.25, seconds: float = MAX_TRAP_SECONDS) -> Route:
    """A chunked body, one tiny chunk every ``interval`` seconds, for ``seconds`` (bounded)."""
    def route(conn: Conn) -> None:
        if not conn.head(200, [("Content-Type", HTML), ("Transfer-Encoding", "chunked")]):
            return
        end = time.monotonic() + min(seconds, MAX_TRAP_SECONDS)
        while time.monotonic() < end and not conn.stopping.wait(interval):
            if not conn.write(b"3\r\n<p>\r\n"):
                return
        conn.close_connection = True
    return route


def _filler(title: str, prose: bool = False) -> Iterator[bytes]:
    yield (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title></head>'
           f"<body><h1>{title}</h1>").encode()
    # Mostly markup by default; ``prose``: paragraphs of Chinese text, what the audit segments into words.
    row = ("<p>群众可以在线办理，也可以到政务服务中心窗口办理，办理结果通过短信通知本人。</p>\n" if prose
           else '<div class="row"><span class="cell"></span><span class="cell"></span></div>\n')
    block = (row * 800).encode()
    while True:
        yield block


def big_page(size: int, title: str = "超大页面") -> Route:
    """An HTML page of ``size`` bytes with an honest Content-Length, generated on the fly."""
    size = min(size, MAX_STREAM_BYTES)

    def route(conn: Conn) -> None:
        if not conn.head(200, [("Content-Type", HTML), ("Content-Length", str(size))]):
            return
        sent = 0
        end = time.monotonic() + MAX_TRAP_SECONDS
        for piece in _filler(title):
            piece = piece[: size - sent]
            if not piece or time.monotonic() > end or conn.stopping.is_set() or not conn.write(piece):
                break
            sent += len(piece)
        conn.close_connection = True
    return route


def endless_chunked(title: str = "无尽的页面", *, prose: bool = False) -> Route:
    """A chunked HTML body that never ends (until MAX_STREAM_BYTES / MAX_TRAP_SECONDS or the peer leaves);
    ``prose``: of Chinese text rather than markup."""
    def route(conn: Conn) -> None:
        if not conn.head(200, [("Content-Type", HTML), ("Transfer-Encoding", "chunked")]):
            return
        sent = 0
        end = time.monotonic() + MAX_TRAP_SECONDS
        for piece in _filler(title, prose):
            if sent >= MAX_STREAM_BYTES or time.monotonic() > end or conn.stopping.is_set():
                break
            if not conn.write(b"%x\r\n%s\r\n" % (len(piece), piece)):
                break
            sent += len(piece)
        conn.close_connection = True        # never the terminating 0-chunk
    return route


def one_character(size: int, char: str = "a") -> Route:
    """A body of ``size`` bytes that is one character repeated, nothing else (no tag), as text/html: one
    text node, one block, one run of word characters for the tokenizer."""
    encoded = char.encode()
    return static(encoded * (size // len(encoded)))


def random_bytes(size: int, seed: int = 1) -> Route:
    """``size`` random bytes (NULs and all) served as text/html."""
    return static(random.Random(seed).randbytes(size))


def nested_tags(depth: int, tag: str = "div") -> Route:
    body = (f'<!doctype html><html><head><meta charset="utf-8"><title>嵌套{depth}层的页面</title></head><body>'
            + f"<{tag}>" * depth + '深处<a href="/zwfw/index.html">政务服务</a>' + f"</{tag}>" * depth
            + "</body></html>").encode()
    return static(body)


def reset_at_once() -> Route:
    """Read the request, answer with a TCP RST."""
    return lambda conn: conn.reset()


def reset_mid_body(claimed: int = 100_000) -> Route:
    """Headers and part of the body, then a TCP RST."""
    def route(conn: Conn) -> None:
        if conn.head(200, [("Content-Type", HTML), ("Content-Length", str(claimed))]):
            conn.write(page_html("连接中断的页面")[:2000])
            time.sleep(0.05)
        conn.reset()
    return route


def wrong_length(claimed: str, body: bytes, *, close: bool = True) -> Route:
    """A body with a Content-Length header that does not match it (a number, or garbage)."""
    def route(conn: Conn) -> None:
        if conn.head(200, [("Content-Type", HTML), ("Content-Length", claimed)], close=close):
            conn.write(body)
    return route


def raw(data: bytes) -> Route:
    """Write ``data`` as the whole response (status line included), then close."""
    def route(conn: Conn) -> None:
        conn.write(data)
        conn.close_connection = True
    return route


def status(code: int) -> Route:
    return static(page_html(f"服务器错误 {code}"), status=code)


def slow(route: Route, delay: float) -> Route:
    """``route``, after ``delay`` seconds."""
    def wrapped(conn: Conn) -> None:
        if not conn.stopping.wait(delay):
            route(conn)
    return wrapped


def calendar(prefix: str, *, wide: bool = False) -> Route:
    """``prefix + YYYY-MM-DD``: a calendar page linking to the next day (``wide``: also previous day,
    previous/next month and previous/next year, like a CMS calendar widget). It never ends."""
    def route(conn: Conn) -> None:
        try:
            day = dt.date.fromisoformat(conn.path[len(prefix):])
        except ValueError:
            conn.send(404, b"<html><title>bad date</title></html>")
            return
        targets = [day + dt.timedelta(days=1)]
        if wide:
            safe = day.replace(day=min(day.day, 28))
            month_back = (safe.replace(month=12, year=safe.year - 1) if safe.month == 1
                          else safe.replace(month=safe.month - 1))
            month_on = (safe.replace(month=1, year=safe.year + 1) if safe.month == 12
                        else safe.replace(month=safe.month + 1))
            targets += [day - dt.timedelta(days=1), month_back, month_on,
                        safe.replace(year=safe.year - 1), safe.replace(year=safe.year + 1)]
        links = [(f"{prefix}{t.isoformat()}", t.isoformat()) for t in targets]
        conn.send(200, page_html(f"{day.isoformat()} 活动日历", links=links))
    return route


# ---------------------------------------------------------------------------- gzip bomb
def gzip_bomb(inflated: int = 1 << 30) -> bytes:
    """A valid gzip member of ``inflated`` zero bytes (a multiple of 1 MiB), built without ever holding or
    compressing them: one 1 MiB block is deflated with a full flush (which resets the dictionary, so
    every later block deflates to the same bytes) and repeated. 1 GiB -> about 1 MB, in well under a second.
    """
    block = bytes(1 << 20)
    count, rest = divmod(inflated, len(block))
    if rest or count < 2:
        raise ValueError("inflated must be a multiple of 1 MiB, at least 2 MiB")
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    if first != again:
        raise AssertionError("zlib did not deflate identical flushed blocks identically")
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"       # gzip, deflate, no name, mtime 0, max compression
    trailer = struct.pack("<II", crc, inflated & 0xFFFFFFFF)
    return header + first * count + deflate.flush() + trailer
