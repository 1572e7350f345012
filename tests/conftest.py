"""Shared fixtures. tests/ is put on sys.path so helper modules import as plain modules."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def govseo(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a child process (Scrapy's reactor runs once per process)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("GOVSEO_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "govseo", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=REPO)
    if check and proc.returncode != 0:
        raise AssertionError(f"govseo {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def portal() -> Iterator[str]:
    """The bundled sample portal, served on 127.0.0.1 for the whole test session."""
    from govseo.sample_portal import serve_portal

    with serve_portal() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def portal_crawl(portal: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real crawl of the sample portal (crawl store path), shared by the read-only tests."""
    db = tmp_path_factory.mktemp("portal") / "crawl.sqlite"
    govseo("crawl", portal, "--db", str(db), "--quiet")
    return db


@pytest.fixture(scope="session")
def portal_site(portal_crawl: Path):
    from audits.site import load_site
    from crawler.store import CrawlStore

    store = CrawlStore(portal_crawl, create=False)
    try:
        return load_site(store)
    finally:
        store.close()
