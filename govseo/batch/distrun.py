"""One site job inside ``govseo worker``: take the site's lock, run the site in a child process
(govseo/batch/distchild.py), watch it (time limit, lock renewal, worker shutdown), and decide what the broker
does with the message.

- the site already has its verdict (a job enqueued twice, a job delivered again after its worker died once
  the site was done): nothing runs;
- the lock is held by a live holder: the job is retried later (``SiteBusy``), never dropped;
- the run process ends with a verdict: done;
- it ends without one (killed, out of memory): run again up to MAX_CRASHES times, resuming the site's crawl
  store, then a "failed" verdict;
- the time limit passes: the run's process group is killed and the site gets a "failed" verdict. The engine's
  own limit (Dramatiq's TimeLimit raises in the worker thread) cannot interrupt a blocked wait nor end a child
  process, hence this one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dramatiq import Retry

from govseo.batch.distchild import child_main, job_spec
from govseo.batch.distconf import MAX_CRASHES, NAMESPACE, DistSettings
from govseo.batch.distlock import SiteLock, finish_key, redis_now, site_id, site_key

ATTEMPTS = f"{NAMESPACE}:crashes"


class SiteBusy(Retry):
    """Another live holder runs the site (or took it over): try again later."""


class SiteInterrupted(Retry):
    """The worker is stopping: the site goes back to the queue at once."""


class SiteCrashed(Retry):
    """The run process died without a verdict: run the site again (resuming its crawl)."""


FINISHED_TTL = 30 * 86400


def finished(job: dict[str, Any], client: Any) -> bool:
    """The site needs no run for this batch: it has an ``ok`` or ``unreachable`` verdict (unless the batch
    refreshes), or any verdict, ``failed`` included, that a worker saw written since the batch was enqueued
    (``since`` and the mark are both Redis's clock, one clock for every machine)."""
    from govseo.batch.runner import DONE, read_verdict

    verdict = read_verdict(job["out"], job_spec(job))
    if verdict is None:
        return False
    if verdict["status"] in DONE and not job.get("refresh"):
        return True
    mark = client.get(finish_key(job["out"], job["spec"]["folder"]))
    return mark is not None and float(mark) >= float(job.get("since") or 0)


def _mark_finished(job: dict[str, Any], client: Any) -> None:
    client.set(finish_key(job["out"], job["spec"]["folder"]), repr(redis_now(client)), ex=FINISHED_TTL)


def _write_failed(job: dict[str, Any], key: str, **params: Any) -> None:
    """A "failed" verdict for a site the worker gave up on, so that the batch finishes."""
    from common.messages import message
    from govseo.batch.runner import both_languages, write_verdict

    write_verdict(job["out"], job_spec(job), "failed", message(key, job.get("lang") or "zh", **params),
                  reasons=both_languages(key, **params))


Say = Callable[..., None]


def execute(job: dict[str, Any], client: Any, settings: DistSettings, stop: threading.Event,
            time_limit: float, say: Say, scratch: Path | None = None) -> str:
    """Run one site job to its end; returns "skipped", "done", "failed" or "timeout", or raises a Retry.

    ``scratch``: run the site in a directory of this machine's disk and copy its folder into DIR when it
    ends (the verdict last), for a DIR whose filesystem cannot hold a SQLite WAL database being written."""
    from govseo.batch.runner import read_verdict

    folder = job["spec"]["folder"]
    local: Path | None = None
    if finished(job, client):
        return "skipped"
    key = site_key(job["out"], folder)
    lock = SiteLock(client, key, folder, settings.lock_ttl)
    if not lock.acquire():
        raise SiteBusy(f"site {folder} is running elsewhere", delay=int(settings.retry_delay * 1000))
    try:
        if finished(job, client):       # finished by another worker between our check and the lock
            return "skipped"
        # a verdict older than the batch: start afresh when the batch refreshes; no verdict: resume
        before = read_verdict(job["out"], job_spec(job))
        refresh = bool(job.get("refresh")) and before is not None
        say("worker_site_start", site=folder, url=job["spec"]["url"])
        local = scratch / site_id(job["out"], folder) if scratch is not None else None
        run_job = {**job, "refresh": refresh, **({"out": str(local)} if local is not None else {})}
        ended = _supervise(run_job, lock, settings, stop, time_limit)
        if local is not None and ended == "exited":
            _publish(local / folder, Path(job["out"]) / folder)
        if ended == "timeout":
            _write_failed(job, "worker_failed_time_limit", seconds=f"{time_limit:g}")
            _mark_finished(job, client)
            say("worker_site_timeout", site=folder, seconds=f"{time_limit:g}")
            return "timeout"
        after = read_verdict(job["out"], job_spec(job))
        if after is not None and after != before:
            _mark_finished(job, client)
            client.hdel(ATTEMPTS, key)
            say("worker_site_done", site=folder)
            return "done"
        crashes = int(client.hincrby(ATTEMPTS, key, 1))
        if crashes < MAX_CRASHES:
            say("worker_site_crashed", site=folder, n=crashes)
            raise SiteCrashed(f"site {folder}: run ended without a verdict", delay=int(settings.retry_delay * 1000))
        _write_failed(job, "worker_failed_crashes", n=crashes)
        _mark_finished(job, client)
        client.hdel(ATTEMPTS, key)
        return "failed"
    finally:
        if local is not None:       # a run that did not end here starts afresh wherever it runs next
            shutil.rmtree(local, ignore_errors=True)
        with contextlib.suppress(Exception):
            lock.release()


def _publish(source: Path, target: Path) -> None:
    """Copy a site folder run in scratch space into DIR, ``verdict.json`` last and atomically (a folder
    without a verdict is an interrupted run to the batch). Nothing happens when
    the run left no verdict."""
    from govseo.batch.runner import VERDICT

    verdict = source / VERDICT
    if not verdict.is_file():
        return
    target.mkdir(parents=True, exist_ok=True)
    (target / VERDICT).unlink(missing_ok=True)
    for path in source.iterdir():
        if path.name == VERDICT:
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name, dirs_exist_ok=True)
        else:
            shutil.copyfile(path, target / path.name)
    partial = target / f".{VERDICT}.part"
    shutil.copyfile(verdict, partial)
    os.replace(partial, target / VERDICT)


def _supervise(job: dict[str, Any], lock: SiteLock, settings: DistSettings, stop: threading.Event,
               time_limit: float) -> str:
    """Start the run process and wait for it; "exited" or "timeout" (process group killed)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=child_main, args=(os.getpid(), send, job), daemon=False,
                              name=f"govseo-site-{job['spec']['folder']}")
    process.start()
    send.close()
    deadline = time.monotonic() + time_limit
    renew_every = settings.lock_ttl / 3
    next_renew = time.monotonic() + renew_every
    try:
        while True:
            if receive.poll(0.5):
                with contextlib.suppress(EOFError, OSError):
                    receive.recv()
            if not process.is_alive():
                process.join()
                return "exited"
            now = time.monotonic()
            if stop.is_set():
                _kill(process)
                raise SiteInterrupted("worker stopping", delay=0)
            if now >= deadline:
                _kill(process)
                return "timeout"
            if now >= next_renew:
                next_renew = now + renew_every
                if not _renewed(lock):
                    _kill(process)
                    raise SiteBusy("site lock lost", delay=int(settings.retry_delay * 1000))
    finally:
        if process.is_alive():
            _kill(process)
        receive.close()


def _renewed(lock: SiteLock) -> bool:
    """Renew the lock; a Redis outage is tolerated until the lock would have expired."""
    try:
        return lock.renew()
    except Exception:
        return not lock.expired()


def _kill(process: Any) -> None:
    """The run process's group (it made one of its own), then the process itself: its crawl, feed and
    Chromium processes die with it (PR_SET_PDEATHSIG)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        process.kill()
    process.join(10)
