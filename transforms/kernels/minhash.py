"""One-permutation MinHash over shingles of consecutive hashed units
(transforms.dedup): the shingles and the bin minima in one pass, without
materialising a row per shingle."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def bin_minima(code: np.ndarray, h: np.ndarray, n_codes: int, position: np.ndarray, bins: int) -> np.ndarray:
    """(n_codes, bins) u32 grid: per article code, per bin, the least
    shingle value; the u32 maximum where no shingle fell.

    `code`/`h` are each unit's article code and hash, each article's units
    contiguous and in text order. A shingle is the len(position)
    consecutive units of one article, each multiplied by its position's
    odd constant and xor-ed; its top 32 bits pick the bin (low bits) and
    the value (the rest)."""
    k = position.size
    empty = np.uint32(0xFFFFFFFF)
    grid = np.full((n_codes, bins), empty, dtype=np.uint32)
    mask = np.uint32(bins - 1)
    for i in range(h.size - k + 1):
        c = code[i]
        if code[i + k - 1] != c:
            continue
        x = h[i] * position[0]
        for j in range(1, k):
            x ^= h[i + j] * position[j]
        s = np.uint32(x >> np.uint64(32))
        b = s & mask
        v = s // np.uint32(bins)
        if v < grid[c, b]:
            grid[c, b] = v
    return grid
