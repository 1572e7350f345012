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


__all__ = ["PageInfo", "Route", "Site", "SitemapInfo", "build_site", "load_manifest", "serve_portal"]
