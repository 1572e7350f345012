"""Process memory settings: keep the peak RSS of a long audit close to what it really holds.

glibc's malloc raises its mmap threshold each time a large block is freed, so after the first big
numpy temporary every later one comes from the heap, and the heap rarely shrinks. An audit of
100,000 pages makes many such temporaries (link-graph sorts, score vectors); fixing the threshold
keeps them in their own mappings, returned to the system when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt  # noqa: B018 - glibc only (musl has no mallopt)
    except (OSError, AttributeError):
        return None
    return libc


def tune_allocator(mmap_threshold: int = 256 * 1024, trim_threshold: int = 4 * 1024 * 1024) -> bool:
    """Fix glibc's mmap and trim thresholds (no-op elsewhere). True when applied."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(
        libc.mallopt(_M_TRIM_THRESHOLD, trim_threshold))

