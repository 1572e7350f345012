"""Every URL a crawl knew, by id, as a read-only mapping id -> (url, state, found_via).

A dict of tuples cost ~130 bytes a URL beside the URL itself (13 MB at 100,000 URLs), and the URL
strings were copies of the pages' own. Here a URL is one slot of a list (the page's own string when
the URL was fetched) and two bytes of codes; the tuple is made when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class UrlTable(Mapping[int, tuple[str, str, str]]):
    def __init__(self) -> None:
        self._urls: list[str | None] = []
        self._state = bytearray()
        self._via = bytearray()
        self._names: list[str] = []
        self._codes: dict[str, int] = {}
        self._count = 0

    def _code(self, name: str) -> int:
        code = self._codes.get(name)
        if code is None:
            if len(self._names) >= 255:
                raise ValueError("more than 255 distinct states and origins")
            code = self._codes[name] = len(self._names)
            self._names.append(name)
        return code

    def add(self, uid: int, url: str, state: str, via: str) -> None:
        if uid < 0:
            raise ValueError(f"negative URL id {uid}")
        if uid >= len(self._urls):
            grow = uid + 1 - len(self._urls)
            self._urls.extend([None] * grow)
            self._state.extend(bytes(grow))
            self._via.extend(bytes(grow))
        if self._urls[uid] is None:
            self._count += 1
        self._urls[uid] = url
        self._state[uid], self._via[uid] = self._code(state), self._code(via)

    def __getitem__(self, uid: int) -> tuple[str, str, str]:
        url = self._urls[uid] if isinstance(uid, int) and 0 <= uid < len(self._urls) else None
        if url is None:
            raise KeyError(uid)
        return url, self._names[self._state[uid]], self._names[self._via[uid]]

    def __iter__(self) -> Iterator[int]:
        return (uid for uid, url in enumerate(self._urls) if url is not None)

    def __len__(self) -> int:
        return self._count
