"""Small, forgiving readers of result-document values, shared by the view modules.

A result document is trusted for shape only loosely: a missing or malformed
field becomes an empty value here instead of an exception in a template.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from common.spool import is_rows
from reports.i18n import SEVERITIES

_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
HARD_BELOW = 60  # a service scoring below this counts as hard to find (headline, league table, index)
_BEIJING = timezone(timedelta(hours=8), "UTC+8")


def dict_of(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The dict items of a list (or spool) as a list: for short lists only (rules, sections, queries)."""
    return list(rows(value))


def rows(value: Any) -> Iterator[dict[str, Any]]:
    """The dict items of a list or a ``Spool``, one at a time (nothing for anything else).

    Findings, pages and services are read through this (or ``Rows``), never gathered into a list.
    """
    if is_rows(value):
        for item in value:
            if isinstance(item, dict):
                yield item


class Rows:
    """A re-iterable view of the dict items of a list or ``Spool``: each iteration reads them again."""

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        self._value = value

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return rows(self._value)


def count(value: Any) -> int:
    """How many dict items a list or ``Spool`` holds (counted by iterating, not by listing them)."""
    return sum(1 for _ in rows(value))


def text(value: Any) -> str:
    return "" if value is None else str(value)


def int_of(value: Any) -> int | None:
    """A finite number rounded to int, else None (bools, None, junk)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return round(number) if math.isfinite(number) else None


def score_of(value: Any) -> int | None:
    """A 0-100 score, or None when absent / not applicable / not a number."""
    number = int_of(value)
    return None if number is None else max(0, min(100, number))


def grade(score: int | None) -> str:
    """Lighthouse bands: good (>= 90), average (50-89), poor (< 50), na (no score)."""
    if score is None:
        return "na"
    return "good" if score >= 90 else "average" if score >= 50 else "poor"


def evidence_text(evidence: Any) -> str:
    """Evidence as one line: strings as they are, anything else as compact JSON (for the CSV)."""
    if evidence is None:
        return ""
    if isinstance(evidence, str):
        return evidence
    return json.dumps(evidence, ensure_ascii=False, separators=(",", ":"), default=str)


def severity_rank(severity: Any) -> int:
    return _SEVERITY_RANK.get(severity, len(SEVERITIES))


def rule_texts(rule: dict[str, Any], lang: str) -> dict[str, str]:
    """Title, description and fix of a rule in ``lang`` (English falls back to the zh text)."""
    zh = {key: text(rule.get(key)) for key in ("title", "description", "fix")}
    if lang == "en":
        en = dict_of(rule.get("en"))
        zh = {key: text(en.get(key)) or value for key, value in zh.items()}
    zh["title"] = zh["title"] or text(rule.get("id"))
    return zh


def moment(value: Any, lang: str) -> tuple[str, datetime | None]:
    """An ISO timestamp shown in Beijing time (zh) or UTC (en), and the parsed moment (None if unparseable)."""
    shown = text(value)
    try:
        parsed = datetime.fromisoformat(shown)
    except ValueError:
        return shown, None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
    local = parsed.astimezone(_BEIJING if lang == "zh" else UTC)
    return local.strftime("%Y-%m-%d %H:%M:%S"), parsed
