"""The crawl's side of ``--render``: which pages go to the render process (crawler/render.py), in what order,
and what comes back. Used by the spider from the reactor thread only; never blocks it for long.

Order: service guides first (a crawl-level guess from the URL, since the crawler knows no audit rules),
then the other pages in the order they were fetched. With ``--render-max N`` the other pages wait until the
crawl has nothing left to fetch, so the cap goes to the guides found anywhere in the site first.
At most ``2 x concurrency`` pages are inside the render process at once; the rest wait here as
(id, URL, depth) tuples.
"""

from __future__ import annotations

import heapq
import multiprocessing
import os
import time
from collections import deque
from typing import Any

from crawler.render import RenderConfig, RenderOutcome, child_main
from crawler.urls import SERVICE_URL

READY_SECONDS = 60.0
MAX_RESTARTS = 5


def looks_like_guide(url: str) -> bool:
    return bool(SERVICE_URL.search(url))


class RenderQueue:
    def __init__(self, config: RenderConfig, limit: int | None = None, done_before: int = 0) -> None:
        self.config = config
        self.limit = limit
        self.given = done_before            # pages rendered (or being rendered) against the cap
        self.waiting: list[tuple[int, int, int, str, int]] = []     # heap: (0 guide | 1 other, seq, id, url, depth)
        self.held: deque[tuple[int, str, int]] = deque()            # others held back under a cap
        self.inside: dict[int, tuple[str, int]] = {}                 # id -> (url, depth) in the render process
        self.failure: str | None = None
        self._seq = 0
        self._restarts = 0
        self._process: Any = None
        self._conn: Any = None
        self._started = 0.0
        self._is_ready = False

    # ------------------------------------------------------------------ the render process
    def start(self) -> None:
        """Start the render process; its browser comes up while the crawl goes on (see :meth:`_ready`)."""
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe(duplex=True)
        self._process = context.Process(target=child_main, args=(os.getpid(), child, self.config),
                                        name="govseo-render", daemon=True)
        self._process.start()
        child.close()
        self._started = time.monotonic()
        self._is_ready = False

    def _ready(self) -> bool:
        """Whether the browser runs; False while it starts, and for good (``failure`` says why) if it cannot."""
        if self._is_ready or self._conn is None:
            return self._is_ready and self._conn is not None
        try:
            message = self._conn.recv() if self._conn.poll() else None
        except (EOFError, OSError):
            message = ("fatal", f"render process exited ({self._process.exitcode})")
        if message is None:
            if time.monotonic() - self._started > READY_SECONDS:
                message = ("fatal", "the browser did not start")
            else:
                return False
        if message[0] == "ready":
            self._is_ready = True
            return True
        self.failure = message[1]
        self._kill()
        return False

    def _kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def close(self) -> None:
        """Stop the render process (its browser goes with it); pages inside it stay unrendered."""
        if self._conn is not None:
            try:
                self._conn.send(("stop",))
            except OSError:
                pass
            if self._process is not None:
                self._process.join(3)
        self._kill()

    @property
    def running(self) -> bool:
        return self._conn is not None

    # ------------------------------------------------------------------ the queue
    def offer(self, url_id: int, url: str, depth: int) -> None:
        guide = looks_like_guide(url)
        if self.limit is not None and not guide:
            self.held.append((url_id, url, depth))
            return
        self._seq += 1
        heapq.heappush(self.waiting, (0 if guide else 1, self._seq, url_id, url, depth))

    def release_held(self) -> None:
        """The crawl has nothing left to fetch: the held-back pages may use what is left of the cap."""
        while self.held:
            url_id, url, depth = self.held.popleft()
            self._seq += 1
            heapq.heappush(self.waiting, (1, self._seq, url_id, url, depth))

    def _budget_left(self) -> bool:
        return self.limit is None or self.given < self.limit

    def pump(self) -> None:
        """Hand the render process what it has room for."""
        if not self._ready():
            return
        while self.waiting and len(self.inside) < 2 * self.config.concurrency and self._budget_left():
            _, _, url_id, url, depth = heapq.heappop(self.waiting)
            try:
                self._conn.send(("job", url_id, url))
            except OSError:
                heapq.heappush(self.waiting, (0, 0, url_id, url, depth))
                break
            self.inside[url_id] = (url, depth)
            self.given += 1

    def results(self) -> list[tuple[RenderOutcome, str, int]]:
        """Finished renders, each with the page's URL and depth. A render process that died is restarted
        (up to MAX_RESTARTS times); the pages it held are recorded as crashed."""
        done: list[tuple[RenderOutcome, str, int]] = []
        if not self._ready():
            return done
        try:
            while self._conn.poll():
                message = self._conn.recv()
                if isinstance(message, RenderOutcome) and message.url_id in self.inside:
                    url, depth = self.inside.pop(message.url_id)
                    done.append((message, url, depth))
                elif isinstance(message, tuple) and message[0] == "fatal":
                    raise EOFError(message[1])
        except (EOFError, OSError) as exc:
            reason = str(exc) or "render process ended"
            for url_id, (url, depth) in self.inside.items():
                done.append((RenderOutcome(url_id, "crashed", reason[:300]), url, depth))
            self.inside.clear()
            self._kill()
            self._restart()
        return done

    def _restart(self) -> None:
        if self._restarts >= MAX_RESTARTS:
            self.failure = "the render process kept crashing"
            return
        self._restarts += 1
        self.start()

    def busy(self) -> bool:
        return bool(self.inside) or (self.running and bool(self.waiting) and self._budget_left())

    def leftover(self) -> list[int]:
        """Pages never rendered: over the cap, or the render process gave up."""
        return [item[2] for item in self.waiting] + [item[0] for item in self.held]
