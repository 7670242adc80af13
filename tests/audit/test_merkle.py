"""RFC 9162 tree hashing and proofs against the RFC 6962/9162 reference vectors, and that
every forged, truncated or reordered proof fails."""

from __future__ import annotations

import hashlib
import random

import pytest

from plugin.audit.merkle import (
    EMPTY_ROOT,
    ProofError,
    Tree,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

# The Certificate Transparency reference data (RFC 6962 test inputs, also used by RFC 9162
# implementations such as transparency-dev/merkle).
INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (1-based leaf, tree size, path)
INCLUSION = [
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        2,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
LEAVES = [leaf_hash(data) for data in INPUTS]


def _tree(leaves: list[bytes], chunk: int = 64, prefetch: int = 0) -> Tree:
    def fetch(start: int, end: int) -> list[bytes]:
        assert 0 <= start < end <= len(leaves)  # never past the tree
        return leaves[start:end]

    return Tree(len(leaves), fetch, chunk=chunk, prefetch=prefetch or max(chunk, 8))


def test_roots_match_reference() -> None:
    assert EMPTY_ROOT == hashlib.sha256(b"").digest() == root_of([])
    for size in range(1, 9):
        assert root_of(LEAVES[:size]).hex() == ROOTS[size - 1]
        for chunk in (1, 2, 4, 1024):
            assert _tree(LEAVES[:size], chunk).root().hex() == ROOTS[size - 1]


@pytest.mark.parametrize(("leaf", "size", "path"), INCLUSION)
def test_inclusion_vectors(leaf: int, size: int, path: list[str]) -> None:
    for chunk in (1, 2, 1024):
        got = _tree(LEAVES[:size], chunk).inclusion_path(leaf - 1)
        assert [p.hex() for p in got] == path
    root = bytes.fromhex(ROOTS[size - 1])
    verify_inclusion(leaf - 1, size, LEAVES[leaf - 1], [bytes.fromhex(p) for p in path], root)


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_consistency_vectors(first: int, second: int, path: list[str]) -> None:
    for chunk in (1, 2, 1024):
        got = _tree(LEAVES[:second], chunk).consistency_path(first)
        assert [p.hex() for p in got] == path
    verify_consistency(
        first,
        second,
        [bytes.fromhex(p) for p in path],
        bytes.fromhex(ROOTS[first - 1]),
        bytes.fromhex(ROOTS[second - 1]),
    )


def test_every_leaf_and_size_pair_up_to_40_with_small_chunks() -> None:
    rng = random.Random(9162)
    leaves = [leaf_hash(rng.randbytes(8)) for _ in range(40)]
    roots = {n: root_of(leaves[:n]) for n in range(1, 41)}
    for size in range(1, 41):
        tree = _tree(leaves[:size], chunk=4, prefetch=8)
        assert tree.root() == roots[size]
        for index in range(size):
            path = tree.inclusion_path(index)
            verify_inclusion(index, size, leaves[index], path, roots[size])
            with pytest.raises(ProofError):  # another leaf at that index
                verify_inclusion(index, size, leaves[(index + 1) % 40], path, roots[size])
        for first in range(1, size + 1):
            path = tree.consistency_path(first)
            verify_consistency(first, size, path, roots[first], roots[size])
            forged = root_of([leaf_hash(b"rewritten"), *leaves[1:first]])
            with pytest.raises(ProofError):  # a rewritten history under the old head
                verify_consistency(first, size, path, forged, roots[size])


def test_forged_proofs_fail() -> None:
    leaves = LEAVES
    root = root_of(leaves)
    tree = _tree(leaves)
    path = tree.inclusion_path(5)
    cases = [
        (5, 8, path[:-1]),  # truncated
        (5, 8, [*path, path[0]]),  # extended
        (5, 8, path[::-1]),  # reordered
        (4, 8, path),  # wrong index
        (5, 4, path),  # a size the path does not fit
        (8, 8, path),  # index past the end
    ]
    for index, size, forged in cases:
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaves[5], forged, root)
    consistency = tree.consistency_path(6)
    first = root_of(leaves[:6])
    for forged in ([], consistency[:-1], consistency[::-1], [*consistency, root]):
        with pytest.raises(ProofError):
            verify_consistency(6, 8, forged, first, root)
    with pytest.raises(ProofError):
        verify_consistency(8, 6, consistency, root, first)


def test_frontier_roots_match_every_size() -> None:
    from plugin.audit.merkle import Frontier

    frontier = Frontier()
    assert frontier.root() == EMPTY_ROOT
    for size, leaf in enumerate(LEAVES, start=1):
        frontier.append(leaf)
        assert frontier.root().hex() == ROOTS[size - 1]
    rng = random.Random(1)
    many = [leaf_hash(rng.randbytes(4)) for _ in range(300)]
    frontier = Frontier()
    for size, leaf in enumerate(many, start=1):
        frontier.append(leaf)
        assert frontier.root() == root_of(many[:size])


def test_shared_cache_serves_warm_proofs_from_two_chunks() -> None:
    rng = random.Random(7)
    leaves = [leaf_hash(rng.randbytes(8)) for _ in range(1000)]
    cache: dict = {}
    reads: list[tuple[int, int]] = []

    def fetch(start: int, end: int) -> list[bytes]:
        reads.append((start, end))
        return leaves[start:end]

    assert Tree(1000, fetch, cache, chunk=16, prefetch=64).root() == root_of(leaves)
    for index in (0, 517, 999):
        reads.clear()
        tree = Tree(1000, fetch, cache, chunk=16, prefetch=64)
        path = tree.inclusion_path(index)
        verify_inclusion(index, 1000, leaves[index], path, root_of(leaves))
        assert len(reads) <= 2 and all(end - start <= 16 for start, end in reads)
    # A larger tree of the same log reuses the cached complete subtrees of the smaller one.
    more = leaves + [leaf_hash(b"next")]
    reads.clear()
    bigger = Tree(1001, lambda a, b: more[a:b], cache, chunk=16, prefetch=64)
    assert bigger.root() == root_of(more)
