"""RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, proofs and their checks.

No well-kept PyPI package implements RFC 9162's tree; this is the RFC's algorithm (section
2.1) with hashlib SHA-256, tested against the RFC 6962/9162 reference vectors
(tests/audit/test_merkle.py). It is also what an auditor re-implements: see docs/audit.md.

Leaves of the audit log: leaf ``i`` (0-based) is the event with seq ``i + 1``; its leaf input
is the 32 bytes of the event's chain hash, so ``leaf_hash = SHA-256(0x00 || hash)``.

Proofs read only the leaves they need: complete subtrees of ``CHUNK`` or more leaves are
hashed once per process and kept (an append-only log never changes a complete subtree;
``verify`` reads the database, never this cache).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from typing import Any

CHUNK = 64  # the smallest cached complete subtree (a power of two)
PREFETCH = 65536  # leaves read in one query when hashing a subtree cold
EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof or tree head that does not verify; the message says which check failed."""


def leaf_hash(leaf_input: bytes) -> bytes:
    """RFC 9162 2.1.1: SHA-256(0x00 || leaf)."""
    return hashlib.sha256(b"\x00" + leaf_input).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 2.1.1: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaves: Sequence[bytes]) -> bytes:
    """MTH over leaf hashes (RFC 9162 2.1.1), iteratively: level by level, odd node carried."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


class Tree:
    """The first ``size`` leaves of a log, read through ``fetch(start, end)`` -> leaf hashes.

    ``cache`` maps (start, count) -> root of a complete, aligned subtree of at least
    ``chunk`` leaves, shared across trees of one log: a warm proof reads at most two
    chunks of leaves (the leaf's own and the right edge) and O(log n) cached nodes.
    """

    def __init__(
        self,
        size: int,
        fetch: Callable[[int, int], list[bytes]],
        cache: dict[tuple[int, int], bytes] | None = None,
        chunk: int = CHUNK,
        prefetch: int = PREFETCH,
    ) -> None:
        if chunk < 1 or chunk & (chunk - 1) or prefetch < chunk or prefetch & (prefetch - 1):
            raise ValueError("chunk and prefetch must be powers of two, prefetch >= chunk")
        self.size = size
        self.chunk = chunk
        self.prefetch = prefetch
        self._fetch = fetch
        self._cache = cache if cache is not None else {}
        self._leaves: dict[int, list[bytes]] = {}  # chunk index -> leaves, this tree only

    def preload(self, chunk: int, leaves: list[bytes]) -> None:
        """The leaf hashes of chunk ``chunk``, read by the caller along with other columns."""
        self._leaves[chunk] = leaves

    def _chunk_leaves(self, chunk: int) -> list[bytes]:
        if chunk not in self._leaves:
            start = chunk * self.chunk
            self._leaves[chunk] = self._fetch(start, min(start + self.chunk, self.size))
        return self._leaves[chunk]

    def _perfect(self, start: int, n: int) -> bytes:
        """Root of the complete subtree D[start:start+n] (n a power of two >= chunk)."""
        key = (start, n)
        found = self._cache.get(key)
        if found is not None:
            return found
        if n > self.prefetch:
            half = n // 2
            root = node_hash(self._perfect(start, half), self._perfect(start + half, half))
        else:  # one range read, hashed bottom-up, every node of >= chunk leaves kept
            level, width = self._fetch(start, start + n), 1
            while len(level) > 1:
                level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
                width *= 2
                if width >= self.chunk:
                    for offset, node in enumerate(level):
                        self._cache[(start + offset * width, width)] = node
            root = level[0]
        self._cache[key] = root
        return root

    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for the ranges RFC 9162's recursion visits."""
        n = end - start
        if n == 1:
            chunk = start // self.chunk
            return self._chunk_leaves(chunk)[start - chunk * self.chunk]
        if n >= self.chunk and n & (n - 1) == 0 and start % n == 0:
            return self._perfect(start, n)
        if n <= self.chunk and start // self.chunk == (end - 1) // self.chunk:
            chunk = start // self.chunk
            offset = chunk * self.chunk
            return root_of(self._chunk_leaves(chunk)[start - offset : end - offset])
        if end == self.size and n > self.chunk:
            # A right edge: every proof in this tree needs the same few; its leaves are all
            # there, so the node never changes either.
            found = self._cache.get((start, n))
            if found is None:
                k = _split(n)
                found = node_hash(self.subtree(start, start + k), self.subtree(start + k, end))
                self._cache[(start, n)] = found
            return found
        k = _split(n)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))

    def root(self) -> bytes:
        """MTH(D[size])."""
        return self.subtree(0, self.size) if self.size else EMPTY_ROOT

    def inclusion_path(self, index: int) -> list[bytes]:
        """PATH(index, D[size]) (RFC 9162 2.1.3.1), leaf to root."""
        if not 0 <= index < self.size:
            raise ProofError(f"leaf {index} is not in a tree of size {self.size}")
        path: list[bytes] = []
        start, end = 0, self.size
        while end - start > 1:
            k = _split(end - start)
            if index - start < k:
                path.append(self.subtree(start + k, end))
                end = start + k
            else:
                path.append(self.subtree(start, start + k))
                start += k
        return path[::-1]

    def consistency_path(self, first: int) -> list[bytes]:
        """PROOF(first, D[size]) (RFC 9162 2.1.4.1)."""
        if not 0 < first <= self.size:
            raise ProofError(f"no consistency proof from size {first} to {self.size}")
        path: list[bytes] = []
        start, end, m, whole = 0, self.size, first, True
        while True:
            n = end - start
            if m == n:
                if not whole:
                    path.append(self.subtree(start, end))
                break
            k = _split(n)
            if m <= k:
                path.append(self.subtree(start + k, end))
                end = start + k
            else:
                path.append(self.subtree(start, start + k))
                start, m, whole = start + k, m - k, False
        return path[::-1]


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 2.1.3.2; raises ProofError unless ``leaf`` is leaf ``index`` under ``root``."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not below tree size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ProofError("the inclusion path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the inclusion path is shorter than the tree is deep")
    if r != root:
        raise ProofError("the inclusion path does not lead to the signed root hash")


def verify_consistency(
    first: int, second: int, path: Sequence[bytes], first_root: bytes, second_root: bytes
) -> None:
    """RFC 9162 2.1.4.2; raises ProofError unless tree ``first`` is a prefix of ``second``."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency between sizes {first} and {second}")
    if first == second:
        if path:
            raise ProofError("a proof between equal sizes must be empty")
        if first_root != second_root:
            raise ProofError("equal sizes with different root hashes")
        return
    if not path:
        raise ProofError("the consistency path is empty")
    items = list(path)
    if first & (first - 1) == 0:  # a power of two: the first root is the first node
        items.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = items[0]
    for c in items[1:]:
        if sn == 0:
            raise ProofError("the consistency path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency path is shorter than the tree is deep")
    if fr != first_root:
        raise ProofError("the consistency path does not lead to the first signed root hash")
    if sr != second_root:
        raise ProofError("the consistency path does not lead to the second signed root hash")


class ChunkCache:
    """Complete-chunk roots per database, shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_db: dict[str, dict[tuple[int, int], bytes]] = {}

    def for_database(self, key: str) -> dict[tuple[int, int], bytes]:
        """The chunk map of one database (dict operations are atomic under the GIL)."""
        with self._lock:
            return self._by_db.setdefault(key, {})


CHUNKS = ChunkCache()


def _fold(stack: Sequence[tuple[int, bytes]]) -> bytes:
    """The root of perfect subtrees given left to right (RFC 9162: folded from the right)."""
    if not stack:
        return EMPTY_ROOT
    root = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        root = node_hash(left, root)
    return root


class Frontier:
    """The roots of the perfect subtrees of a growing log: O(log n) memory, any root at once.

    Verification streams leaves through it and compares ``root()`` with each signed head.
    """

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (leaf count, subtree root), left to right

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash."""
        self.size += 1
        stack = self._stack
        stack.append((1, leaf))
        while len(stack) > 1 and stack[-1][0] == stack[-2][0]:
            count, right = stack.pop()
            _, left = stack.pop()
            stack.append((count * 2, node_hash(left, right)))

    def root(self) -> bytes:
        """MTH of the leaves so far (RFC 9162: right subtrees folded in from the right)."""
        return _fold(self._stack)

    def extend(self, leaves: Sequence[bytes], wanted: Sequence[int] = ()) -> dict[int, bytes]:
        """Append ``leaves``; return the root at each size in ``wanted`` (sizes reached
        while appending), as ``append`` then ``root`` would, with far fewer Python steps:
        the leaves go in as aligned complete subtrees hashed level by level."""
        roots: dict[int, bytes] = {}
        wanted = sorted(w for w in wanted if self.size < w <= self.size + len(leaves))
        position = 0
        while position < len(leaves):
            remaining = len(leaves) - position
            block = 1 << (remaining.bit_length() - 1)
            if self.size:
                block = min(block, self.size & -self.size)  # keep the subtree aligned
            levels = [list(leaves[position : position + block])]
            while len(levels[-1]) > 1:
                level = levels[-1]
                levels.append(
                    [
                        hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
                        for i in range(0, len(level), 2)
                    ]
                )
            start = self.size
            while wanted and wanted[0] <= start + block:
                offset, nodes, index = wanted.pop(0) - start, [], 0
                for height in range(len(levels) - 1, -1, -1):
                    if offset >> height & 1:
                        nodes.append((1 << height, levels[height][index >> height]))
                        index += 1 << height
                roots[start + offset] = _fold(self._stack + nodes)
            stack = self._stack
            stack.append((block, levels[-1][0]))
            while len(stack) > 1 and stack[-1][0] == stack[-2][0]:
                count, right = stack.pop()
                _, left = stack.pop()
                stack.append((count * 2, node_hash(left, right)))
            self.size += block
            position += block
        return roots

    def state(self) -> list[list[Any]]:
        """[[leaf count, hex root], ...] to resume from (incremental verification)."""
        return [[count, node.hex()] for count, node in self._stack]

    @classmethod
    def resume(cls, state: list[list[Any]]) -> Frontier:
        """The frontier ``state()`` described; ValueError when it is not a valid one."""
        frontier = cls()
        previous = None
        for count, node in state:
            if not isinstance(count, int) or count < 1 or count & (count - 1):
                raise ValueError("frontier subtree sizes must be powers of two")
            if previous is not None and count >= previous:
                raise ValueError("frontier subtree sizes must shrink left to right")
            frontier._stack.append((count, bytes.fromhex(node)))
            frontier.size += count
            previous = count
        return frontier
