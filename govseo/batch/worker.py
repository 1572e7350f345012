"""``govseo worker --broker redis://HOST:PORT/DB [--concurrency N]``: take site jobs from the broker and run
N sites at once on this machine, each in a child process (govseo/batch/distrun.py).

A Dramatiq worker runs inside this process (N worker threads; this process is not daemonic, so its site
processes may start their own). It fetches no more jobs than it runs (prefetch N), so queued sites wait in
Redis for any free worker rather than in this one's memory. Its consumers keep beating the broker's heartbeat
while sites run; when this process dies (SIGKILL, power loss) the heartbeat stops, and the next broker command
after ``GOVSEO_BROKER_HEARTBEAT`` seconds puts its sites back in the queue for other workers, which resume them.

SIGINT / SIGTERM: the running sites are stopped and go back to the queue at once; the worker then exits.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from common.messages import message
from govseo.batch.broker import WORKERS, connect, make_broker
from govseo.batch.distconf import ACTOR, QUEUE, DistSettings
from govseo.batch.distlock import holder_id

#: what a site may take at most unless --time-limit says otherwise: a 100,000-page site at a polite
#: 3 requests per second takes about 9 hours
DEFAULT_TIME_LIMIT = 12 * 3600.0
#: a job's own errors (not a site's): retried this many times with backoff before Dramatiq gives up
MAX_RETRIES = 20


def _retry_when(retries: int, exc: BaseException) -> bool:
    """A busy, interrupted or crashed site (a Retry) is always tried again: the decision to give up on a
    site is distrun's (a "failed" verdict); other errors (Redis gone mid-job) a bounded number of times."""
    from dramatiq import Retry

    return isinstance(exc, Retry) or retries < MAX_RETRIES


def run_worker(url: str, concurrency: int, time_limit: float, lang: str, scratch: str | None = None,
               settings: DistSettings | None = None) -> int:
    """Serve site jobs until SIGINT / SIGTERM. Raises BrokerError when the broker cannot be used."""
    import dramatiq
    from dramatiq.middleware import Retries

    from govseo.batch.distrun import execute

    settings = settings or DistSettings.from_env()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="govseo worker: %(name)s: %(message)s")
    client = connect(url)
    local = Path(scratch).resolve() if scratch else None
    retries = Retries(min_backoff=int(settings.retry_delay * 1000), max_backoff=15 * 60 * 1000,
                      retry_when=_retry_when)
    broker = make_broker(client, settings, middleware=[retries])
    stop = threading.Event()

    def say(key: str, **params: Any) -> None:
        print(f"govseo worker: {message(key, lang, **params)}", file=sys.stderr, flush=True)

    def site_job(job: dict[str, Any]) -> None:
        execute(job, client, settings, stop, time_limit, say, scratch=local)

    dramatiq.Actor(site_job, broker=broker, actor_name=ACTOR, queue_name=QUEUE, priority=0,
                   options={"retry_when": _retry_when})
    worker = dramatiq.Worker(broker, queues={QUEUE}, worker_threads=concurrency, worker_timeout=1000)
    worker.queue_prefetch = concurrency         # fetch a site only when a thread is free to run it
    finished = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()
        finished.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    me = holder_id()
    worker.start()
    say("worker_started", n=concurrency, url=url.split("@")[-1])
    try:
        while True:             # govseo's own roll of live workers, for the batch's progress line
            with contextlib.suppress(Exception):
                client.zadd(WORKERS, {me: time.time()})
            if finished.wait(min(5.0, settings.heartbeat / 3)):
                break
    finally:
        stop.set()
        say("worker_stopping")
        worker.stop(timeout=60_000)
        with contextlib.suppress(Exception):
            client.zrem(WORKERS, me)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
