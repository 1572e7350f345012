"""The process that runs one site for a worker: a child of ``govseo worker`` (multiprocessing "spawn", not
daemonic, since ``govseo run`` starts a crawl process, a page-feed process and, with --render, Chromium), in a
process group of its own, killed with the worker (PR_SET_PDEATHSIG, crawler/lifeline.py). The run's own
children die with it the same way, so a worker killed with SIGKILL leaves no crawl behind that could keep
writing to the site's store while another worker resumes it.

Kept apart from the worker's modules so that the child imports only what a site run needs.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any


def job_spec(job: dict[str, Any]) -> Any:
    """The SiteSpec of a job (its fields travel as a dict: the message is JSON)."""
    from govseo.batch.sites import SiteSpec

    return SiteSpec(**job["spec"])


def child_main(parent: int, conn: Connection, job: dict[str, Any]) -> None:
    from crawler.lifeline import run_child

    run_child(parent, conn, lambda: _run(job))


def _run(job: dict[str, Any]) -> dict[str, Any]:
    from govseo.batch.runner import run_site

    verdict = run_site(job_spec(job), job["out"], list(job["argv"]), refresh=bool(job.get("refresh")),
                       lang=job.get("lang") or "zh")
    return {"status": (verdict or {}).get("status")}
