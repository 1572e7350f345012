"""A tiny threaded HTTP server on 127.0.0.1 serving a dict of routes, for crawl tests of odd sites.

A route is (status, headers, body) or a callable(handler) -> (status, headers, body) for behaviour
such as sleeping past the crawler's timeout.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Response = tuple[int, list[tuple[str, str]], bytes]
Route = Response | str | Callable[[BaseHTTPRequestHandler], Response]


def _resolve(route: Route, handler: BaseHTTPRequestHandler) -> Response:
    if callable(route):
        return route(handler)
    if isinstance(route, str):
        return 200, [("Content-Type", "text/html; charset=utf-8")], route.encode()
    return route


@contextlib.contextmanager
def serve_routes(routes: dict[str, Route]) -> Iterator[str]:
    """Serve ``routes`` (path with query -> route); yields the base URL "http://127.0.0.1:PORT/"."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            route = routes.get(self.path)
            status, headers, body = _resolve(route, self) if route is not None else \
                (404, [("Content-Type", "text/html")], b"<html><title>404</title></html>")
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
