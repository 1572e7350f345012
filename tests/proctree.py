"""Linux process trees for the tests that check no process is left behind (Ctrl-C, kill -9, a killed worker)."""

from __future__ import annotations

import contextlib
from pathlib import Path

_PROC = Path("/proc")


def _parent_of(stat: str) -> int:
    return int(stat.rsplit(")", 1)[1].split()[1])      # after the command name, which may hold spaces


def descendants(root: int) -> list[int]:
    """Every process under ``root`` (children, their children…), as /proc shows them now."""
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                children.setdefault(_parent_of((entry / "stat").read_text()), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        state = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def command(pid: int) -> str | None:
    try:
        return (_PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
