"""An open-addressing table from 64-bit keys to row numbers, in one numpy array.

The keys are already well-mixed hashes (transforms.feature_keys), so the
slot is the key's top bits after one multiplication. Each slot holds its
key and row side by side (one cache line per probe: most look-ups of a
text's word pairs miss, and a miss costs a memory read), with linear
probing in a table at most a quarter full."""
from __future__ import annotations

import numpy as np
from numba import njit

_MIX = np.uint64(0x9E3779B97F4A7C15)
MISSING = -1


@njit(cache=True, nogil=True)
def build(keys: np.ndarray) -> tuple[np.ndarray, int]:
    """(slots, shift) for `keys` (u64): a key's row is its index in `keys`;
    a repeated key keeps its first row. slots[s] = (key, row + 1), 0: empty."""
    bits = 4
    while (1 << bits) < 4 * keys.size:
        bits += 1
    shift = 64 - bits
    slots = np.zeros((1 << bits, 2), dtype=np.uint64)
    mask = np.uint64((1 << bits) - 1)
    for i in range(keys.size):
        k = keys[i]
        s = (k * _MIX) >> np.uint64(shift)
        while slots[s, 1] != 0 and slots[s, 0] != k:
            s = (s + np.uint64(1)) & mask
        if slots[s, 1] == 0:
            slots[s, 0] = k
            slots[s, 1] = i + 1
    return slots, shift


@njit(cache=True, nogil=True, inline="always")
def find(slots: np.ndarray, shift: int, k: np.uint64) -> int:
    """The row of key `k`, or MISSING."""
    mask = np.uint64(slots.shape[0] - 1)
    s = (k * _MIX) >> np.uint64(shift)
    while True:
        row = slots[s, 1]
        if row == 0:
            return MISSING
        if slots[s, 0] == k:
            return np.int64(row) - 1
        s = (s + np.uint64(1)) & mask


@njit(cache=True, nogil=True)
def find_all(slots: np.ndarray, shift: int, keys: np.ndarray) -> np.ndarray:
    out = np.empty(keys.size, dtype=np.int64)
    for i in range(keys.size):
        out[i] = find(slots, shift, keys[i])
    return out
