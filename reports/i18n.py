"""User-visible labels of the report, zh-CN first, English second.

Labels with ``%s`` placeholders are meant for Jinja's ``format`` filter
(printf style), e.g. ``{{ t.more_rows|format(n) }}``.
"""

from __future__ import annotations

import copy
from typing import Any

from reports.labels_en import EN
from reports.labels_zh import ZH

DEFAULT_LANG = "zh"

# Display order of severities and categories (also the sort order of findings).
SEVERITIES: tuple[str, ...] = ("error", "warning", "notice")
CATEGORIES: tuple[str, ...] = ("indexability", "content", "structure", "gov", "findability")

_LABELS: dict[str, dict[str, Any]] = {"zh": ZH, "en": EN}
LANGS: tuple[str, ...] = tuple(_LABELS)


def labels(lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Return (a copy of) the label table for ``lang``: "zh" (also "zh-CN") or "en"."""
    return copy.deepcopy(_LABELS[normalise_lang(lang)])


def normalise_lang(lang: str) -> str:
    """Map an accepted language spelling to its key ("zh" or "en"); ValueError otherwise."""
    key = lang.strip().lower() if isinstance(lang, str) else ""
    key = "zh" if key in ("zh-cn", "zh_cn", "zh-hans") else key
    if key not in _LABELS:
        raise ValueError(f"unsupported report language {lang!r}; choose one of {', '.join(LANGS)}")
    return key
