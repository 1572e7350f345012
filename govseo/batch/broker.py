"""``govseo batch SITES.csv --out DIR --broker redis://HOST:PORT/DB``: each site becomes a job on Dramatiq's
Redis broker (docs/scale.md says why Dramatiq), run by ``govseo worker`` processes on any number of machines;
this process enqueues the sites, shows the progress on stderr, waits for every verdict, and the league is
built from DIR as in the local mode.

Enqueuing the same batch twice runs no site twice: a worker takes a site's lock before running it and skips
a site that has its verdict (govseo/batch/distrun.py). Stopping this process (Ctrl-C) leaves the jobs to the
workers; running the same command again waits for them (and enqueues only the sites without a verdict).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from govseo.batch.distconf import ACTOR, MAINTENANCE_ALWAYS, NAMESPACE, QUEUE, DistSettings, check_broker_url
from govseo.batch.distlock import holders, site_key

WORKERS = f"{NAMESPACE}:workers"


class BrokerError(Exception):
    """The broker cannot be used: ``key`` names the message (common/messages.py), ``params`` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def connect(url: str) -> Any:
    """A checked Redis client for ``url``; BrokerError when the URL is bad or Redis does not answer."""
    import redis

    from govseo.batch.distconf import BrokerURLError

    try:
        check_broker_url(url)
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30,
                                      health_check_interval=30)
    except (BrokerURLError, ValueError) as exc:
        raise BrokerError("broker_url_bad", url=url, error=exc) from exc
    try:
        client.ping()
    except redis.RedisError as exc:
        raise BrokerError("broker_unreachable", url=url, error=str(exc).splitlines()[0] if str(exc) else
                          type(exc).__name__) from exc
    return client


def make_broker(client: Any, settings: DistSettings, middleware: Sequence[Any] = ()) -> Any:
    """Dramatiq's Redis broker on ``client``, with govseo's dead-worker timing, and the sites queue."""
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(client=client, namespace=NAMESPACE, middleware=list(middleware),
                         heartbeat_timeout=int(settings.heartbeat * 1000), maintenance_chance=MAINTENANCE_ALWAYS)
    broker.declare_queue(QUEUE)
    return broker


def job_payload(spec: Any, out_dir: str, argv: Sequence[str], *, refresh: bool, lang: str,
                since: float) -> dict[str, Any]:
    """What a site job carries (JSON): the site, the batch's output directory (the same path on every
    machine), the run options and when the batch was enqueued."""
    import os

    fields = asdict(spec) if is_dataclass(spec) else dict(spec._asdict())
    return {"v": 1, "spec": fields, "out": os.path.abspath(out_dir), "argv": portable_argv(argv),
            "refresh": refresh, "lang": lang, "since": since}


#: run options naming a file: a worker runs in another directory, often on another machine
PATH_OPTIONS = ("--config", "--queries")


def portable_argv(argv: Sequence[str]) -> list[str]:
    """The run options with their file arguments made absolute (the files must be on the shared
    filesystem too, like DIR)."""
    import os

    out = list(argv)
    for number, item in enumerate(out):
        if item in PATH_OPTIONS and number + 1 < len(out):
            out[number + 1] = os.path.abspath(out[number + 1])
        elif item.split("=", 1)[0] in PATH_OPTIONS and "=" in item:
            flag, value = item.split("=", 1)
            out[number] = f"{flag}={os.path.abspath(value)}"
    return out


def enqueue(broker: Any, jobs: Sequence[dict[str, Any]]) -> None:
    from dramatiq import Message

    for job in jobs:
        broker.enqueue(Message(queue_name=QUEUE, actor_name=ACTOR, args=(job,), kwargs={}, options={}))


def live_workers(client: Any, settings: DistSettings) -> int:
    return int(client.zcount(WORKERS, time.time() - 2 * settings.heartbeat, "+inf"))


def run_distributed(specs: Sequence[Any], out_dir: str, argv: Sequence[str], *, broker: str, refresh: bool,
                    lang: str, quiet: bool = False, settings: DistSettings | None = None) -> None:
    """``govseo batch --broker URL`` (govseo/batch/command.py): enqueue the sites that need a run, then wait
    until each has its verdict, showing the progress on stderr. UsageError (one line, exit 2) when the
    broker cannot be used; Ctrl-C stops the waiting only (one line, exit 130): the jobs stay queued."""
    import redis

    from common.messages import message
    from govseo.batch.distlock import redis_now
    from govseo.batch.runner import is_done
    from govseo.commands import UsageError

    url = broker
    settings = settings or DistSettings.from_env()
    try:
        client = connect(url)
        try:
            dramatiq_broker = make_broker(client, settings)
            since = redis_now(client)
            todo = [job_payload(spec, out_dir, argv, refresh=refresh, lang=lang, since=since)
                    for spec in specs if refresh or not is_done(out_dir, spec)]
            enqueue(dramatiq_broker, todo)
            if not quiet:
                print(f"govseo: {message('broker_enqueued', lang, n=len(todo), total=len(specs), url=_shown(url))}",
                      file=sys.stderr, flush=True)
            try:
                _wait(client, dramatiq_broker, todo, out_dir, len(specs), settings, lang, quiet)
            except KeyboardInterrupt:
                print(f"\ngovseo: {message('broker_detached', lang)}", file=sys.stderr, flush=True)
                raise SystemExit(130) from None
        except redis.RedisError as exc:
            raise BrokerError("broker_unreachable", url=_shown(url), error=str(exc).splitlines()[0]) from exc
    except BrokerError as exc:
        raise UsageError(message(exc.key, lang, **exc.params)) from exc


def _wait(client: Any, broker: Any, jobs: list[dict[str, Any]], out_dir: str, total: int,
          settings: DistSettings, lang: str, quiet: bool) -> None:
    from common.messages import message
    from govseo.batch.distrun import finished

    pending = list(jobs)
    shown = ""
    tty = sys.stderr.isatty()
    while True:
        pending = [job for job in pending if not finished(job, client)]
        running = holders(client, [site_key(out_dir, job["spec"]["folder"]) for job in pending])
        broker.do_qsize(QUEUE)           # a broker command: runs the dead-worker sweep even when every worker is busy
        line = message("broker_progress", lang, done=total - len(pending), total=total, running=running,
                       workers=live_workers(client, settings))
        if line != shown and not quiet:
            print(f"\r{line}" if tty else line, end="" if tty else "\n", file=sys.stderr, flush=True)
            shown = line
        if not pending:
            if tty and not quiet:
                print(file=sys.stderr)
            return
        time.sleep(max(settings.poll, len(pending) / 2000))     # ~1 look a second per 2,000 sites at most


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password:
            netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
            return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        pass
    return url
