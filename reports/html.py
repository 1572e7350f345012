"""Render the HTML scorecard from a result document.

Everything printed by the templates is autoescaped; crawled text (titles, URLs,
messages, evidence) is hostile and must never be marked ``|safe``. Links are
only clickable when their scheme is http or https (see ``safe_href``).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import re
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from common.fileio import atomic_open
from reports.index import index_context
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
    env.filters["clip"] = clip
    return env


def clip(value: Any, limit: int = 300) -> str:
    """``value`` as text, cut to ``limit`` characters with "…" (keeps huge crawled strings out of the HTML)."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def script_text() -> str:
    """The page script exactly as the templates include it (templates/report.js)."""
    return get_environment().get_template("report.js").render()


@functools.cache
def content_security_policy() -> str:
    """The report's CSP: nothing from the network, inline styles, and only our own script (by hash)."""
    script = script_text()
    if "</" in script:
        raise ValueError("report.js must not contain '</' (it is inlined in a <script> element)")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def render_page(template: str, context: dict[str, Any]) -> str:
    """Render one of the page templates (base.html.j2, index.html.j2) with the shared CSP."""
    return get_environment().get_template(template).render(csp=content_security_policy(), **context)


def render_html(result: dict[str, Any], lang: str = "zh", history: list[dict[str, Any]] | None = None) -> str:
    """The self-contained HTML report for ``result`` in ``lang`` ("zh" default, or "en").

    ``history``: earlier result documents of the same site; adds the trend section.
    """
    return render_page("base.html.j2", build_context(result, lang, history))


def write_html(result: dict[str, Any], path: str | os.PathLike[str], lang: str = "zh",
               history: list[dict[str, Any]] | None = None) -> None:
    """Render and write the report atomically (temp file in the same directory, then os.replace)."""
    html = render_html(result, lang, history)
    with atomic_open(path, encoding="utf-8") as handle:
        handle.write(html)


def render_index(results: list[dict[str, Any]], hrefs: list[str], lang: str = "zh") -> str:
    """The multi-site index page: ``results`` ranked by site score, each linking to its ``hrefs`` entry.

    ``hrefs`` are relative links this package made itself (``<dir>/report.html``), never crawled text.
    """
    return render_page("index.html.j2", index_context(results, hrefs, lang))
