"""Which robots.txt line blocks a URL for an engine: the cause a fix names ("Disallow: /zwgk/ in the
User-agent: * group"), not only the verdict.

The verdict stays protego's (audits/robotstxt.py): this module is asked only about URLs protego already
found blocked, and explains them the way protego decides. The engine's group is the one whose
User-agent name matches the engine's name best (protego's rule: a case-insensitive substring starting
at a word boundary, the longest name wins, ``*`` only when nothing else matches; groups naming the same
agent are merged); in that group the longest Disallow pattern that matches the URL is the cause (each
pattern is checked with protego itself, on a one-rule robots.txt, so wildcards and ``$`` mean what
they mean to the verdict).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from protego import Protego

from audits.robotstxt import TYPOS
from crawler.robots import decode, truncate

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PROBE_AGENT = "govseo-probe"


def _directive(raw: str) -> tuple[str, str] | None:
    line = raw.split("#", 1)[0].strip()
    if ":" in line:
        name, value = line.split(":", 1)
    elif " " in line:            # "Disallow /x": protego, like Google, reads it
        name, value = line.split(None, 1)
    else:
        return None
    name = name.strip().lower()
    return TYPOS.get(name, name), value.strip()


def _score(agent: str, engine: str) -> int:
    """How well a group's User-agent name matches the engine (protego's _RuleSet.applies_to)."""
    if agent == "*":
        return 1
    index = engine.find(agent)
    while index != -1:
        if index == 0 or not (engine[index - 1].isalnum() or engine[index - 1] in "-_"):
            return len(agent)
        index = engine.find(agent, index + 1)
    return 0


class BlockingRules:
    """The Disallow lines of one robots.txt, grouped by User-agent name, to name the one that blocks a URL."""

    def __init__(self, body: bytes) -> None:
        self.groups: dict[str, list[tuple[int, str]]] = {}     # agent (lower) -> [(line, pattern)]
        self.names: dict[str, str] = {}                         # agent (lower) -> as written
        agents: list[str] = []
        in_rules = False
        for number, raw in enumerate(_LINE_BREAK.split(decode(truncate(body))), start=1):
            parsed = _directive(raw)
            if parsed is None:
                continue
            directive, value = parsed
            if directive == "user-agent":
                if in_rules:
                    agents, in_rules = [], False
                agents.append(value.lower())
                self.names.setdefault(value.lower(), value)
                self.groups.setdefault(value.lower(), [])
            elif directive in ("allow", "disallow"):
                in_rules = True
                if directive == "disallow" and value:
                    for agent in agents:
                        self.groups[agent].append((number, value))
        self._probes: dict[str, Protego] = {}

    def group_of(self, engine: str) -> str | None:
        """The User-agent name (lower case) of the group ``engine`` obeys, or None."""
        best = max(((_score(agent, engine.strip().lower()), agent) for agent in self.groups), default=(0, ""))
        return best[1] if best[0] else None

    def _matches(self, pattern: str, url: str, path: str) -> bool:
        if "*" not in pattern and "$" not in pattern and not path.startswith(pattern) \
                and not unquote(path).startswith(unquote(pattern)):
            return False        # a plain pattern matches only as a prefix
        probe = self._probes.get(pattern)
        if probe is None:
            probe = self._probes[pattern] = Protego.parse(f"User-agent: *\nDisallow: {pattern}\n")
        return not probe.can_fetch(url, _PROBE_AGENT)

    def cause(self, url: str, engine: str) -> dict[str, Any] | None:
        """{engine, group, rule, path, line} of the Disallow that blocks ``url`` for ``engine``; None when
        none matches (the verdict came from elsewhere)."""
        agent = self.group_of(engine)
        if agent is None:
            return None
        parts = urlsplit(url)
        path = url.split("#", 1)[0][len(parts.scheme) + 3 + len(parts.netloc):] or "/"    # "?" kept
        found = [(len(pattern), -line, pattern) for line, pattern in self.groups[agent]
                 if self._matches(pattern, url, path)]
        if not found:
            return None
        _, line, pattern = max(found)
        return {"engine": engine, "group": self.names[agent], "rule": f"Disallow: {pattern}", "path": pattern,
                "line": -line}
