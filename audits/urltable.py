"""Every URL a crawl knew, by id, as a read-only mapping id -> (url, state, found_via); and numbers by
id (:class:`IdValues`), names by id (:class:`IdNames`) and sets of ids (:class:`IdSet`).

A dict of tuples cost ~130 bytes a URL beside the URL itself (13 MB at 100,000 URLs), and the URL
strings were copies of the pages' own. Here a URL is one slot of a list (the page's own string when
the URL was fetched) and two bytes of codes; the tuple is made when asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np


class _Names:
    """Up to 256 names, each a one-byte code; ``reserved`` names take the first codes."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.names: list[str] = list(reserved)
        self._codes = {name: code for code, name in enumerate(self.names)}

    def code(self, name: str) -> int:
        code = self._codes.get(name)
        if code is None:
            if len(self.names) >= 256:
                raise ValueError("more than 256 distinct names")
            code = self._codes[name] = len(self.names)
            self.names.append(name)
        return code


def _reach(buffer: bytearray, uid: int) -> None:
    """Grow a byte-an-id ``buffer`` (with zeros) so that it has a slot for ``uid``."""
    if uid < 0:
        raise ValueError(f"negative id {uid}")
    if uid >= len(buffer):
        buffer.extend(bytes(uid + 1 - len(buffer)))


class UrlTable(Mapping[int, tuple[str, str, str]]):
    def __init__(self) -> None:
        self._urls: list[str | None] = []
        self._state = bytearray()
        self._via = bytearray()
        self._names = _Names()         # states and origins
        self._count = 0

    def add(self, uid: int, url: str, state: str, via: str) -> None:
        _reach(self._state, uid)
        _reach(self._via, uid)
        if uid >= len(self._urls):
            self._urls.extend([None] * (uid + 1 - len(self._urls)))
        if self._urls[uid] is None:
            self._count += 1
        self._urls[uid] = url
        self._state[uid], self._via[uid] = self._names.code(state), self._names.code(via)

    def __getitem__(self, uid: int) -> tuple[str, str, str]:
        url = self._urls[uid] if isinstance(uid, int) and 0 <= uid < len(self._urls) else None
        if url is None:
            raise KeyError(uid)
        names = self._names.names
        return url, names[self._state[uid]], names[self._via[uid]]

    def url(self, uid: int) -> str:
        """The URL alone (``self[uid][0]`` without building the tuple)."""
        url = self._urls[uid] if 0 <= uid < len(self._urls) else None
        if url is None:
            raise KeyError(uid)
        return url

    def __iter__(self) -> Iterator[int]:
        return (uid for uid, url in enumerate(self._urls) if url is not None)

    def __len__(self) -> int:
        return self._count


class IdValues(Mapping[int, Any]):
    """A read-only mapping id -> number held as one numpy array indexed by id (ids without a value are
    absent). A dict of Python ints or floats was ~100 bytes an entry (~10 MB for the link scores or
    the inlink counts of 100,000 pages); this is 9 bytes an id."""

    def __init__(self, values: np.ndarray, present: np.ndarray) -> None:
        if values.shape != present.shape:
            raise ValueError("values and present must have the same shape")
        self._values = values
        self._present = present.astype(bool, copy=False)

    @classmethod
    def of(cls, ids: np.ndarray, values: np.ndarray, dtype: Any) -> IdValues:
        """The mapping ids[i] -> values[i]."""
        ids = np.asarray(ids, dtype=np.int64)
        size = int(ids.max()) + 1 if len(ids) else 0
        dense = np.zeros(size, dtype=dtype)
        present = np.zeros(size, dtype=bool)
        dense[ids] = values
        present[ids] = True
        return cls(dense, present)

    def __getitem__(self, uid: int) -> Any:
        if isinstance(uid, (int, np.integer)) and 0 <= uid < len(self._present) and self._present[uid]:
            return self._values[uid].item()      # a Python int or float, as the dict gave
        raise KeyError(uid)

    def __iter__(self) -> Iterator[int]:
        return iter(np.flatnonzero(self._present).tolist())

    def __len__(self) -> int:
        return int(np.count_nonzero(self._present))


class IdNames(Mapping[int, str]):
    """A mapping id -> one of up to 255 names (page types; code 0 is "absent"), a byte an id: a dict was ~50 bytes an
    entry (5 MB at 100,000 pages)."""

    def __init__(self) -> None:
        self._codes = bytearray()
        self._names = _Names(("",))          # code 0: absent
        self._count = 0

    def __setitem__(self, uid: int, name: str) -> None:
        code = self._names.code(name)
        _reach(self._codes, uid)
        self._count += self._codes[uid] == 0
        self._codes[uid] = code

    def __getitem__(self, uid: int) -> str:
        code = self._codes[uid] if isinstance(uid, int) and 0 <= uid < len(self._codes) else 0
        if not code:
            raise KeyError(uid)
        return self._names.names[code]

    def __iter__(self) -> Iterator[int]:
        return (uid for uid, code in enumerate(self._codes) if code)

    def __len__(self) -> int:
        return self._count


class IdSet(AbstractSet[int]):
    """A set of ids, a byte an id (a set of ints was ~40 bytes an id: 4 MB at 100,000 pages)."""

    def __init__(self, ids: Iterable[int] = ()) -> None:
        self._marks = bytearray()
        self._count = 0
        for uid in ids:
            _reach(self._marks, uid)
            self._count += not self._marks[uid]
            self._marks[uid] = 1

    def __contains__(self, uid: object) -> bool:
        return isinstance(uid, int) and 0 <= uid < len(self._marks) and bool(self._marks[uid])

    def __iter__(self) -> Iterator[int]:
        return (uid for uid, mark in enumerate(self._marks) if mark)

    def __len__(self) -> int:
        return self._count
