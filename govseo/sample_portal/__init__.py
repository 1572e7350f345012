"""The bundled sample portal: a fictional 云溪市人民政府 site with planted defects, served on 127.0.0.1.

It is the target of ``govseo demo`` and the fixture of every crawl test. ``manifest.toml`` states, for every
served path, what a correct crawl and audit must find; MANIFEST.md explains it.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from .server import serve_portal
from .site import PageInfo, Route, Site, SitemapInfo, build_site


def load_manifest() -> dict[str, Any]:
    """Parse the bundled ``manifest.toml``."""
    text = resources.files(__package__).joinpath("manifest.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)




def demo_queries(base_url: str) -> list[tuple[str, str | None]]:
    """The bundled sample of the portal's search log (queries.csv), URLs resolved against ``base_url``."""
    import csv

    text = resources.files(__package__).joinpath("queries.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    base = base_url.rstrip("/")
    return [(row["query"], base + row["url"] if row["url"] else None) for row in rows]

__all__ = ["PageInfo", "Route", "Site", "SitemapInfo", "build_site", "demo_queries", "load_manifest", "serve_portal"]
