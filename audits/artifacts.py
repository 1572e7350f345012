"""Parse a stored page once into the artifacts every rule reads (lxml, no network)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.decode import decode_html
from crawler.extract import parse_html, refresh_target
from crawler.store import FetchRecord

_WS = re.compile(r"\s+")
# Meta robots names that speak to the engines we audit for.
ROBOTS_META_NAMES = ("robots", "baiduspider", "googlebot")
_XRT_AGENT = re.compile(r"^\s*([a-z][a-z0-9_-]*)\s*:\s*(.*)$", re.I)


def clean(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


@dataclass
class PageArtifacts:
    """What one HTML page says about itself."""

    titles: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    h1s: list[str] = field(default_factory=list)
    canonicals: list[str] = field(default_factory=list)
    # engine ("robots" for everyone, "baiduspider", "googlebot") -> directives, from meta and X-Robots-Tag
    robots: dict[str, set[str]] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)    # lower-cased meta name -> contents
    lang: str | None = None
    refresh: tuple[float, str | None] | None = None   # (delay seconds, target) of <meta http-equiv=refresh>
    parse_error: str | None = None

    @property
    def redirects(self) -> bool:
        """An immediate meta refresh (≤ 5 s) to another URL: engines treat the page as a redirect."""
        return self.refresh is not None and self.refresh[1] is not None and self.refresh[0] <= 5

    @property
    def title(self) -> str | None:
        return self.titles[0] if self.titles else None

    def noindex_for(self, engine: str) -> bool:
        directives = self.robots.get("robots", set()) | self.robots.get(engine, set())
        return bool(directives & {"noindex", "none"})

    @property
    def noindex(self) -> bool:
        return any(self.noindex_for(e) for e in ("baiduspider", "googlebot"))


def _directives(content: str) -> set[str]:
    return {d.strip().lower() for d in content.split(",") if d.strip()}


def x_robots_tag(values: list[str]) -> dict[str, set[str]]:
    """X-Robots-Tag header values: "noindex", or "googlebot: noindex, nofollow"."""
    result: dict[str, set[str]] = {}
    for value in values:
        match = _XRT_AGENT.match(value)
        agent = "robots"
        if match and match.group(1).lower() not in {"noindex", "none", "nofollow", "all", "index"}:
            agent, value = match.group(1).lower(), match.group(2)
        result.setdefault(agent, set()).update(_directives(value))
    return result


def parse_artifacts(record: FetchRecord) -> PageArtifacts:
    art = PageArtifacts()
    art.robots = x_robots_tag(record.header("X-Robots-Tag"))
    decoded = decode_html(record.body, record.content_type)
    doc = parse_html(decoded.text)
    if doc is None:
        art.parse_error = "empty document"
        return art
    html = doc if doc.tag == "html" else doc.getroottree().getroot()
    art.lang = clean(html.get("lang") or html.get("xml:lang")) or None
    for el in doc.iter("title", "meta", "h1", "link"):
        tag = el.tag
        if tag == "title":
            # <title> inside <svg> is not the page title
            if not any(parent.tag == "svg" for parent in el.iterancestors()):
                art.titles.append(clean(el.text_content()))
        elif tag == "h1":
            art.h1s.append(clean(el.text_content()))
        elif tag == "link":
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href") is not None:
                art.canonicals.append(el.get("href", "").strip())
        else:
            if (el.get("http-equiv") or "").strip().lower() == "refresh" and art.refresh is None:
                content = el.get("content") or ""
                delay = content.split(";", 1)[0].split(",", 1)[0].strip()
                try:
                    seconds = float(delay) if delay else 0.0
                except ValueError:
                    seconds = 0.0
                art.refresh = (seconds, refresh_target(content))
                continue
            name = (el.get("name") or "").strip().lower()
            if not name:
                continue
            content = el.get("content") or ""
            art.meta.setdefault(name, []).append(clean(content))
            if name == "description":
                art.descriptions.append(clean(content))
            elif name in ROBOTS_META_NAMES:
                art.robots.setdefault(name, set()).update(_directives(content))
    return art
