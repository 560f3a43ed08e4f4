"""Whole-word phrase look-up over hashed words (transforms.word_hits): each
word starts a walk that extends word by word while the words so far begin
some phrase, and reports where they make a whole one."""
from __future__ import annotations

import numpy as np
from numba import njit

from transforms.feature_keys import _LEFT, _RIGHT
from transforms.kernels.hash_table import MISSING, find

_L, _R = np.uint64(_LEFT), np.uint64(_RIGHT)
# a phrase's first n words are looked up as their key xor n times this
_LENGTH = np.uint64(0xD6E8FEB86659FD93)
STARTS, COMPLETE = 1, 2


def sequence_key(prefix: np.ndarray, word: np.ndarray) -> np.ndarray:
    """The key of a word sequence extended by one word (the products wrap)."""
    return (prefix * _L) ^ (word * _R)


def length_key(key: np.ndarray, n: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        return key ^ (np.uint64(n) * _LENGTH)


@njit(cache=True, nogil=True)
def _walk(row, h, slots, shift, flags, longest, first, last):
    """Write out the complete sequences while they fit; their number."""
    m = 0
    for i in range(h.size):
        key = h[i]
        j = i
        n = 1
        while True:
            at = find(slots, shift, key ^ (np.uint64(n) * _LENGTH))
            if at == MISSING:
                break
            if flags[at] & COMPLETE:
                if m < first.size:
                    first[m], last[m] = i, j
                m += 1
            if not flags[at] & STARTS or n == longest:
                break
            j += 1
            if j >= h.size or row[j] != row[i]:
                break
            key = (key * _L) ^ (h[j] * _R)
            n += 1
    return m


def walk(row: np.ndarray, h: np.ndarray, slots: np.ndarray, shift: int, flags: np.ndarray, longest: int):
    """(first, last) word indices of every word sequence whose length key
    the table marks COMPLETE; the walk from a word goes on while the table
    marks the sequence so far STARTS."""
    # room for a hit per word, the most any text here has come near; else walk again with room for all
    first, last = np.empty(h.size + 16, dtype=np.int64), np.empty(h.size + 16, dtype=np.int64)
    n = _walk(row, h, slots, shift, flags, longest, first, last)
    if n > first.size:
        first, last = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        _walk(row, h, slots, shift, flags, longest, first, last)
    return first[:n], last[:n]
