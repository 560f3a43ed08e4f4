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
    a repeated key keeps its first row. Slot s is slots[2s] (the key) and
    slots[2s + 1] (its row + 1; 0: empty)."""
    bits = 4
    while (1 << bits) < 4 * keys.size:
        bits += 1
    shift = 64 - bits
    slots = np.zeros(2 << bits, dtype=np.uint64)
    mask = np.uint64((1 << bits) - 1)
    for i in range(keys.size):
        k = keys[i]
        s = (k * _MIX) >> np.uint64(shift)
        while slots[2 * s + 1] != 0 and slots[2 * s] != k:
            s = (s + np.uint64(1)) & mask
        if slots[2 * s + 1] == 0:
            slots[2 * s] = k
            slots[2 * s + 1] = i + 1
    return slots, shift


@njit(cache=True, nogil=True)
def find(slots: np.ndarray, shift: int, k: np.uint64) -> int:
    """The row of key `k`, or MISSING."""
    mask = np.uint64(slots.size // 2 - 1)
    s = (k * _MIX) >> np.uint64(shift)
    at = MISSING
    while True:
        row = slots[2 * s + 1]
        if row == 0:
            break
        if slots[2 * s] == k:
            at = np.int64(row) - 1
            break
        s = (s + np.uint64(1)) & mask
    return at

