"""One site, one run at a time across every worker: a Redis lock per site (SET NX with a time to live that
its holder renews while the site runs), and a history of who held which lock when.

A holder that dies stops renewing, and the lock expires after its time to live; a holder that cannot renew
(its lock expired while Redis was out of reach, and another may hold it now) must stop its run. Renewal and
release compare the holder's token first (a Lua script, atomic on the server), so nobody extends or frees
a lock another holder took.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from typing import Any

from govseo.batch.distconf import NAMESPACE

HISTORY = f"{NAMESPACE}:history"
HISTORY_MAX = 100_000

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


def site_id(out_dir: str, folder: str) -> str:
    """The site's identity across machines: the batch's output directory (the same path on every
    machine) and the site's folder in it."""
    return hashlib.sha1(f"{os.path.abspath(out_dir)}\0{folder}".encode()).hexdigest()[:20]


def site_key(out_dir: str, folder: str) -> str:
    """The site's lock."""
    return f"{NAMESPACE}:lock:{site_id(out_dir, folder)}"


def finish_key(out_dir: str, folder: str) -> str:
    """When (Redis's clock) a worker last saw the site end with a verdict."""
    return f"{NAMESPACE}:finished:{site_id(out_dir, folder)}"


def redis_now(client: Any) -> float:
    """The Redis server's clock: one clock for every machine of a batch."""
    seconds, micros = client.time()
    return seconds + micros / 1e6


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class SiteLock:
    """``acquire`` / ``renew`` / ``release`` of one site's lock; every change is logged in the history."""

    def __init__(self, client: Any, key: str, site: str, ttl: float, holder: str | None = None) -> None:
        self.client = client
        self.key = key
        self.site = site
        self.ttl_ms = max(int(ttl * 1000), 1000)
        self.token = f"{holder or holder_id()}:{uuid.uuid4().hex[:12]}"
        self.renewed_at = 0.0           # time.monotonic() of the last successful acquire or renew

    def acquire(self) -> bool:
        sent = time.monotonic()
        if not self.client.set(self.key, self.token, nx=True, px=self.ttl_ms):
            return False
        self.renewed_at = sent
        self._log("acquire")
        return True

    def renew(self) -> bool:
        """Extend the lock; False when it is no longer this holder's (expired, taken by another)."""
        sent = time.monotonic()         # the server's expiry runs from no earlier than this
        if self.client.eval(_RENEW, 1, self.key, self.token, self.ttl_ms):
            self.renewed_at = sent
            return True
        return False

    def expired(self) -> bool:
        """True once two thirds of the time to live have passed since the last successful renewal: the
        holder gives the site up before Redis can give it to another worker, whatever Redis says when it is
        back."""
        return time.monotonic() - self.renewed_at >= self.ttl_ms / 1000 * 2 / 3

    def release(self) -> None:
        if self.client.eval(_RELEASE, 1, self.key, self.token):
            self._log("release")

    def _log(self, event: str) -> None:
        entry = json.dumps({"site": self.site, "key": self.key, "holder": self.token, "event": event,
                            "t": time.time()}, ensure_ascii=False)
        pipe = self.client.pipeline()
        pipe.rpush(HISTORY, entry)
        pipe.ltrim(HISTORY, -HISTORY_MAX, -1)
        pipe.execute()


def holders(client: Any, keys: list[str]) -> int:
    """How many of ``keys`` are held now."""
    if not keys:
        return 0
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.exists(key)
    return sum(pipe.execute())


def read_history(client: Any) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in client.lrange(HISTORY, 0, -1)]
