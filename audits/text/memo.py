"""A bounded memo for text that repeats across a site's pages (template blocks, stock phrases)."""

from __future__ import annotations

from typing import Any


class RecentMemo:
    """A memo that keeps what is used again: two generations of at most ``limit`` entries each;
    an entry read from the old generation moves to the young one, and when the young one is full it
    becomes the old one. Template blocks (on every page) stay; one-page blocks are forgotten."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._young: dict[Any, Any] = {}
        self._old: dict[Any, Any] = {}

    def get(self, key: Any, default: Any = None) -> Any:
        found = self._young.get(key)
        if found is None:
            found = self._old.get(key)
            if found is None:
                return default
            self[key] = found
        return found

    def __setitem__(self, key: Any, value: Any) -> None:
        if len(self._young) >= self.limit:
            self._old, self._young = self._young, {}
        self._young[key] = value

    def clear(self) -> None:
        self._young, self._old = {}, {}

    def __len__(self) -> int:
        return len(self._young) + len(self._old)

    def __contains__(self, key: Any) -> bool:
        return key in self._young or key in self._old
