"""Settings of the distributed mode (``govseo batch --broker``, ``govseo worker``) and the broker URL check.

Every party (the batch that enqueues, each worker) must use the same timings: the Redis broker's dead-worker
sweep runs inside whichever process sends a command, with that process's heartbeat timeout. The defaults meet
"a lost worker's site is delivered again within 2 minutes"; tests shorten them through the environment:

- ``GOVSEO_BROKER_HEARTBEAT`` (s, 60): a worker silent this long is dead; its unacknowledged sites go back
  to the queue at the next broker command (every command runs the sweep, see ``maintenance_chance``).
- ``GOVSEO_BROKER_LOCK_TTL`` (s, 30): a site's lock lives this long unless its holder renews it (every third
  of it), so a killed worker's lock is gone before its site is delivered again.
- ``GOVSEO_BROKER_RETRY`` (s, 30): a site whose lock is held by a live holder is tried again this much later.
- ``GOVSEO_BROKER_POLL`` (s, 2): how often ``govseo batch --broker`` looks at the results.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

#: the Redis key prefix of Dramatiq's queues and of govseo's own keys (locks, history, workers)
NAMESPACE = "govseo"
QUEUE = "sites"
ACTOR = "govseo_site"
#: Dramatiq runs its dead-worker sweep on this many commands out of a million; all of them here (the sweep
#: is a ZRANGEBYSCORE on a small sorted set while no worker is dead), so redelivery does not wait for luck.
MAINTENANCE_ALWAYS = 1_000_000
#: how many times a site whose run process died without a verdict (OOM, segfault) is run again (resuming
#: its crawl) before it gets a "failed" verdict
MAX_CRASHES = 3


class BrokerURLError(ValueError):
    """The --broker value is not a usable redis:// URL."""


@dataclass(frozen=True)
class DistSettings:
    heartbeat: float = 60.0
    lock_ttl: float = 30.0
    retry_delay: float = 30.0
    poll: float = 2.0

    @classmethod
    def from_env(cls) -> DistSettings:
        def number(name: str, default: float) -> float:
            raw = os.environ.get(name, "")
            try:
                value = float(raw) if raw else default
            except ValueError:
                return default
            return value if value > 0 else default

        return cls(heartbeat=number("GOVSEO_BROKER_HEARTBEAT", cls.heartbeat),
                   lock_ttl=number("GOVSEO_BROKER_LOCK_TTL", cls.lock_ttl),
                   retry_delay=number("GOVSEO_BROKER_RETRY", cls.retry_delay),
                   poll=number("GOVSEO_BROKER_POLL", cls.poll))


def check_broker_url(url: str) -> str:
    """``redis://[:password@]HOST[:PORT][/DB]`` (or ``rediss://``, ``unix:///path?db=N``); raises
    BrokerURLError with the reason otherwise. Returns the URL unchanged."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BrokerURLError(str(exc)) from exc
    if parts.scheme == "unix":
        if not parts.path:
            raise BrokerURLError("unix:// needs a socket path")
        return url
    if parts.scheme not in ("redis", "rediss"):
        raise BrokerURLError(f"{parts.scheme}://" if parts.scheme else "no scheme")
    if not parts.hostname:
        raise BrokerURLError("no host")
    if port is not None and not 0 < port < 65536:
        raise BrokerURLError(f"bad port {port}")
    if parts.path not in ("", "/") and not re.fullmatch(r"/\d+", parts.path):
        raise BrokerURLError(f"bad database number {parts.path[1:]!r}")
    return url
