"""Near-duplicate pages without comparing all pairs: MinHash over token shingles with LSH banding.

Each document is the set of its 3-token shingles (consecutive word tokens), each hashed to 32 bits
with CRC-32 (stable across processes, unlike ``hash()``). A MinHash signature of ``num_perm`` values
(datasketch, "affine32" scheme) goes into a datasketch ``MinHashLSH`` index; documents sharing a
band bucket become candidates, and every candidate pair is verified with the exact Jaccard
similarity of the two shingle sets, which is the value returned.

Banding is chosen for recall, not balance: the most rows per band such that a pair exactly at the
threshold becomes a candidate with probability >= 99 % (for 0.9 and 128 permutations: 12 bands of 10
rows; a pair at 0.7 is a candidate with probability ~0.29 and then fails verification). datasketch's
own "optimal" parameters for 0.9 would catch only ~31 % of the pairs at 0.9.

Documents with fewer than ``min_tokens`` tokens (20) are skipped: their few shingles make the
similarity meaningless (two short notices differing in one word are "50 % similar"), and thin
pages are reported by another rule.

Memory: a document keeps its sorted shingle hashes (4 bytes each) for verification plus the LSH
band keys; the MinHash signatures themselves are not kept.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from zlib import crc32

import numpy as np

__all__ = ["NearDuplicates", "band_params", "jaccard", "shingle_hashes"]

_SEP = "\x1f"


def shingle_hashes(tokens: Sequence[str], k: int = 3) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the k-token shingles of ``tokens`` (one shingle if shorter).

    A ``str`` is taken as its characters and hashed in numpy (a polynomial over the code points,
    then a 64-bit finaliser): character shingles of a page's text cost no Python loop."""
    if isinstance(tokens, str) and len(tokens) >= k:
        return _char_shingles(tokens, k)
    count = max(1, len(tokens) - k + 1)
    # CRC-32: deterministic across runs (unlike hash()) and several times cheaper than blake2b here.
    hashes = np.fromiter((crc32(_SEP.join(tokens[i:i + k]).encode("utf-8")) for i in range(count)),
                         dtype=np.uint32, count=count)
    return np.unique(hashes)


_PRIME, _MIX = np.uint64(1_000_003), np.uint64(0xFF51AFD7ED558CCD)


def _char_shingles(text: str, k: int) -> np.ndarray:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - k + 1
    hashes = codes[:count].copy()
    for offset in range(1, k):
        hashes *= _PRIME                  # wraps modulo 2**64, as intended
        hashes += codes[offset:offset + count]
    hashes ^= hashes >> np.uint64(33)
    hashes *= _MIX
    hashes ^= hashes >> np.uint64(33)
    return np.unique((hashes >> np.uint64(32)).astype(np.uint32))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct values."""
    if not len(a) and not len(b):
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def band_params(threshold: float, num_perm: int, recall: float = 0.99) -> tuple[int, int]:
    """(bands, rows): the most rows per band for which a pair at ``threshold`` is a candidate with
    probability >= ``recall``; fewer rows admit more dissimilar candidates."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold ** rows) ** bands >= recall:
            best = (bands, rows)
    return best


class NearDuplicates:
    """Collects documents (``add``) and reports the pairs at least ``threshold`` similar (``pairs``)."""

    def __init__(self, threshold: float = 0.9, num_perm: int = 128, min_tokens: int = 20,
                 shingle_size: int = 3) -> None:
        from datasketch import MinHash, MinHashLSH  # imports scipy (~0.6 s): only when needed

        if not 0 < threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        self.min_tokens = min_tokens
        self.shingle_size = shingle_size
        self.bands, self.rows = band_params(threshold, num_perm)
        self._minhash = MinHash
        self._permutations = MinHash(num_perm=num_perm, seed=1).permutations  # shared by all
        self._lsh = MinHashLSH(num_perm=num_perm, params=(self.bands, self.rows))
        self._shingles: dict[Hashable, np.ndarray] = {}
        self._order: dict[Hashable, int] = {}
        self.skipped = 0

    def __len__(self) -> int:
        return len(self._shingles)

    def add(self, key: Hashable, tokens: Sequence[str]) -> bool:
        """Index a document's word tokens; False (and not indexed) when it has < ``min_tokens``."""
        if key in self._shingles:
            raise ValueError(f"duplicate key {key!r}")
        if len(tokens) < self.min_tokens:
            self.skipped += 1
            return False
        hashes = shingle_hashes(tokens, self.shingle_size)
        signature = self._minhash(num_perm=self.num_perm, hashfunc=int,
                                  permutations=self._permutations, scheme="affine32")
        signature.update_batch(hashes.tolist())
        self._lsh.insert(key, signature, check_duplication=False)
        self._shingles[key] = hashes
        self._order[key] = len(self._order)
        return True

    def pairs(self) -> list[tuple[Hashable, Hashable, float]]:
        """(key_a, key_b, exact Jaccard) for every pair with similarity >= threshold, most similar
        first; key_a was added before key_b."""
        order = self._order
        checked: set[tuple[int, int]] = set()
        found: list[tuple[Hashable, Hashable, float]] = []
        for table in self._lsh.hashtables:
            for bucket in table.keys():
                members = table.get(bucket)
                if len(members) < 2:
                    continue
                for a, b in itertools.combinations(sorted(members, key=order.__getitem__), 2):
                    ids = (order[a], order[b])
                    if ids in checked:
                        continue
                    checked.add(ids)
                    sa, sb = self._shingles[a], self._shingles[b]
                    if min(len(sa), len(sb)) < self.threshold * max(len(sa), len(sb)):
                        continue  # Jaccard <= |small| / |large| < threshold
                    similarity = jaccard(sa, sb)
                    if similarity >= self.threshold:
                        found.append((a, b, similarity))
        found.sort(key=lambda p: (-p[2], order[p[0]], order[p[1]]))
        return found
