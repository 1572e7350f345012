"""Near-duplicate pages without comparing all pairs: MinHash over token shingles with LSH banding.

Each document is the set of its 3-token shingles (consecutive word tokens), each hashed to 32 bits
with CRC-32 (stable across processes, unlike ``hash()``; a ``str`` is shingled by characters in
numpy). A MinHash signature of ``num_perm`` values (multiply-shift hashing, seeded) is banded; documents
sharing a band bucket become candidates (numpy sort of the band keys), and every candidate pair is
verified with the exact Jaccard similarity of the two shingle sets, which is the value returned.

Banding is chosen for recall, not balance: the most rows per band such that a pair exactly at the
threshold becomes a candidate with probability >= 99 % (for 0.9 and 128 permutations: 12 bands of 10
rows; a pair at 0.7 is a candidate with probability ~0.29 and then fails verification). Balanced
"optimal" parameters for 0.9 (datasketch's, say) would catch only ~31 % of the pairs at 0.9.

Documents with fewer than ``min_tokens`` tokens (20) are skipped: their few shingles make the
similarity meaningless (two short notices differing in one word are "50 % similar"), and thin
pages are reported by another rule.

Memory: a document's signature is one row of a uint16 matrix (256 bytes at 128 permutations: the low
16 bits of each minimum, b-bit MinHash, Li & König 2010; two different values agree by chance once in
65,536, which adds a few candidates that verification drops and loses none). Its
sorted shingle hashes (4 bytes a shingle) are kept for verification, unless ``tokens_of`` is given:
then only the candidates' tokens are read again (at 100,000 pages, keeping every page's shingles was
most of the audit's peak).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
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


# In a bucket of more than 2 x _NEIGHBOURS documents each is verified against the _NEIGHBOURS after it:
# every copy still finds similar pages (a finding lists ten at most), in linear time.
_NEIGHBOURS = 16
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
    """Collects documents (``add``) and reports the pairs at least ``threshold`` similar (``pairs``).

    Signatures are rows of one uint16 matrix and band buckets are found by sorting band keys in
    numpy: no Python object per document and band (an LSH index of dicts held ~2 KB a page)."""

    def __init__(self, threshold: float = 0.9, num_perm: int = 128, min_tokens: int = 20,
                 shingle_size: int = 3, tokens_of: Callable[[Hashable], Sequence[str]] | None = None,
                 capacity: int = 0) -> None:
        """``tokens_of``: gives a key's tokens again; when set, shingles are not kept in memory.
        ``capacity``: how many documents are expected (the signature matrix is made that big at once,
        not grown by copies)."""
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        self.min_tokens = min_tokens
        self.shingle_size = shingle_size
        self.bands, self.rows = band_params(threshold, num_perm)
        # multiply-shift hashing h(x) = (a*x + b) mod 2**64 >> 32, one (a, b) per permutation; seeded
        rng = np.random.default_rng(1)
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        self._signatures = np.zeros((max(0, capacity), num_perm), dtype=np.uint16)
        self._keys: list[Hashable] = []
        self._known: set[Hashable] = set()
        self._shingles: dict[Hashable, np.ndarray] = {}
        self._tokens_of = tokens_of
        self.skipped = 0

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: Hashable, tokens: Sequence[str]) -> bool:
        """Index a document's tokens (a ``str``: its characters); False (and not indexed) when it has
        fewer than ``min_tokens``."""
        if key in self._known:
            raise ValueError(f"duplicate key {key!r}")
        if len(tokens) < self.min_tokens:
            self.skipped += 1
            return False
        hashes = shingle_hashes(tokens, self.shingle_size)
        mixed = (hashes.astype(np.uint64)[:, None] * self._a[None, :] + self._b[None, :]) >> np.uint64(32)
        count = len(self._keys)
        if count == len(self._signatures):        # grow by half: one matrix, no array per document
            grown = np.zeros((max(64, count * 3 // 2), self.num_perm), dtype=np.uint16)
            grown[:count] = self._signatures
            self._signatures = grown
        self._signatures[count] = mixed.min(axis=0) & np.uint64(0xFFFF)    # b-bit MinHash: the low 16 bits
        self._keys.append(key)
        self._known.add(key)
        if self._tokens_of is None:
            self._shingles[key] = hashes
        return True

    def _shingles_of(self, key: Hashable) -> np.ndarray:
        if self._tokens_of is None:
            return self._shingles[key]
        return shingle_hashes(self._tokens_of(key), self.shingle_size)

    def _candidates(self) -> np.ndarray:
        """Sorted distinct codes i * n + j (i < j, n documents) of the pairs of documents sharing the
        bucket of at least one band: 8 bytes a pair (a big portal's template text makes millions)."""
        n = len(self._keys)
        if n < 2:
            return np.zeros(0, dtype=np.int64)
        signatures = self._signatures[:n]
        found = np.zeros(0, dtype=np.int64)
        for band in range(self.bands):
            rows = signatures[:, band * self.rows:(band + 1) * self.rows]
            keys = np.zeros(len(rows), dtype=np.uint64)
            for column in rows.T:                       # polynomial over the band's values, mod 2**64
                keys = keys * np.uint64(0x100000001B3) + column.astype(np.uint64)
            order = np.argsort(keys, kind="stable")
            ordered = keys[order]
            starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
            ends = np.concatenate((starts[1:], [len(ordered)]))
            codes = array("q")
            for start, end in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist(), strict=True):
                members = sorted(order[start:end].tolist())
                if len(members) <= 2 * _NEIGHBOURS:
                    codes.extend(i * n + j for i, j in itertools.combinations(members, 2))
                else:   # a big cluster of (near) copies: each meets its next neighbours, not all k^2/2 pairs
                    for position, i in enumerate(members):
                        codes.extend(i * n + j for j in members[position + 1:position + 1 + _NEIGHBOURS])
            if codes:
                found = np.union1d(found, np.frombuffer(codes, dtype=np.int64))
        return found

    def _likely(self, candidates: np.ndarray) -> Iterator[tuple[int, int]]:
        """The candidates whose signatures agree on at least ``threshold - 0.25`` of their values: the
        MinHash estimate of their similarity. Its standard deviation is under 0.045 at 128
        permutations, so a pair at the threshold is dropped with probability below 1e-8; a page
        template shared by many pages makes many candidates that are far below it."""
        signatures = self._signatures
        floor = (self.threshold - 0.25) * self.num_perm
        n = len(self._keys)
        for start in range(0, len(candidates), 1 << 12):      # 2 x 4,096 signature rows at a time
            first, second = np.divmod(candidates[start:start + (1 << 12)], n)
            agree = (signatures[first] == signatures[second]).sum(axis=1)
            keep = agree >= floor
            yield from zip(first[keep].tolist(), second[keep].tolist(), strict=True)

    def pairs(self) -> list[tuple[Hashable, Hashable, float]]:
        """(key_a, key_b, exact Jaccard) for every pair with similarity >= threshold, most similar
        first; key_a was added before key_b."""
        keys = self._keys
        found: list[tuple[int, int, float]] = []
        recent: dict[int, np.ndarray] = {}     # shingles read again, while later pairs may need them
        limit = 1024
        for i, j in self._likely(self._candidates()):
            if len(recent) > limit:            # forget documents before i (pairs come in order of i)
                recent = {k: v for k, v in recent.items() if k >= i}
                limit = max(1024, 2 * len(recent))
            if i not in recent:
                recent[i] = self._shingles_of(keys[i])
            if j not in recent:
                recent[j] = self._shingles_of(keys[j])
            sa, sb = recent[i], recent[j]
            if min(len(sa), len(sb)) < self.threshold * max(len(sa), len(sb)):
                continue  # Jaccard <= |small| / |large| < threshold
            similarity = jaccard(sa, sb)
            if similarity >= self.threshold:
                found.append((i, j, similarity))
        found.sort(key=lambda p: (-p[2], p[0], p[1]))
        return [(keys[i], keys[j], similarity) for i, j, similarity in found]
