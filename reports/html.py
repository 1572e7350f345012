"""Render the HTML scorecard from a result document.

Everything printed by the templates is autoescaped; crawled text (titles, URLs,
messages, evidence) is hostile and must never be marked ``|safe``. Links are
only clickable when their scheme is http or https (see ``safe_href``).
"""

from __future__ import annotations

import functools
import os
import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from govseo.fileio import atomic_open
from reports.view import build_context

# Browsers drop ASCII tab/newline anywhere in a URL and strip leading/trailing
# C0 controls and spaces before looking at the scheme; do the same before checking it.
_URL_NOISE = re.compile(r"[\t\n\r]")
_SAFE_URL = re.compile(r"https?://[^\s/?#\\]", re.IGNORECASE)


def safe_href(url: Any) -> str:
    """``url`` if it is an absolute http(s) URL, else "#" (javascript:, data:, relative, ...)."""
    if not isinstance(url, str):
        return "#"
    cleaned = _URL_NOISE.sub("", url).strip("".join(map(chr, range(0x21))))
    if not _SAFE_URL.match(cleaned) or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in cleaned):
        return "#"
    return cleaned


@functools.cache
def get_environment() -> Environment:
    """The shared Jinja environment: package templates, autoescape on for every template."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2", "html.j2"),
            default_for_string=True,
            default=True,
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_href"] = safe_href
    return env


def render_html(result: dict[str, Any], lang: str = "zh") -> str:
    """The self-contained HTML report for ``result`` in ``lang`` ("zh" default, or "en")."""
    context = build_context(result, lang)
    return get_environment().get_template("base.html.j2").render(**context)


def write_html(result: dict[str, Any], path: str | os.PathLike[str], lang: str = "zh") -> None:
    """Render and write the report atomically (temp file in the same directory, then os.replace)."""
    html = render_html(result, lang)
    with atomic_open(path, encoding="utf-8") as handle:
        handle.write(html)
