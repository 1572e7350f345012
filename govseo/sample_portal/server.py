"""A small threaded HTTP/1.1 server for the sample portal (stdlib only, quiet, keep-alive capable)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .gateway import challenge
from .site import Site, build_site

# A Host header we are willing to echo into bodies: host name or IPv4/[IPv6] literal, optional port.
_HOST_RE = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?")
_CHUNK = 64 * 1024


class PortalServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive clients must not block shutdown

    def __init__(self, address: tuple[str, int], site: Site) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PortalHandler)
        self.site = site

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that hang up (e.g. a crawler aborting a large download)."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class PortalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "YunxiCMS/5.2"
    sys_version = ""
    timeout = 30  # close idle keep-alive connections
    server: PortalServer

    def log_message(self, format: str, *args: Any) -> None:
        """No request logging."""

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _base(self) -> str:
        host = self.headers.get("Host", "")
        if not _HOST_RE.fullmatch(host):
            addr, port = self.server.server_address[:2]
            host = f"[{addr}]:{port}" if ":" in str(addr) else f"{addr}:{port}"
        return f"http://{host}"

    def _serve(self, with_body: bool) -> None:
        target = self.path
        if not target.startswith("/"):  # absolute-form request target
            parts = urlsplit(target)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        route = challenge(target.partition("?")[0], self.headers.get("User-Agent", "")) \
            or self.server.site.render(target, self._base())
        self.send_response(route.status)
        for key, value in route.headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if not with_body:
            return
        try:
            for start in range(0, len(route.body), _CHUNK):
                self.wfile.write(route.body[start:start + _CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


@contextmanager
def serve_portal(variant: str | None = None, host: str = "127.0.0.1", port: int = 0,
                 site: Site | None = None) -> Iterator[str]:
    """Serve the sample portal in a background thread; yields the base URL, e.g. ``http://127.0.0.1:54321/``.

    ``site`` serves a prebuilt ``Site`` instead of ``build_site(variant)``.
    """
    server = PortalServer((host, port), site if site is not None else build_site(variant))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="govseo-sample-portal", daemon=True)
    thread.start()
    try:
        addr, bound = server.server_address[:2]
        shown = f"[{addr}]" if ":" in str(addr) else str(addr)
        yield f"http://{shown}:{bound}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
