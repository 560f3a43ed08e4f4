"""The passage tilings of transforms.topics in one pass over each text's
sentences (the window expressions they replace took a sort and a hash
partition per window)."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def _run(keys: np.ndarray, words: np.ndarray, i: int, stop: int) -> tuple[int, int]:
    """(end, words) of the run of rows from i (before `stop`) sharing keys[i]."""
    j, total = i, 0
    while j < stop and keys[j] == keys[i]:
        total += words[j]
        j += 1
    return j, total


@njit(cache=True, nogil=True)
def tilings(text: np.ndarray, sid: np.ndarray, words: np.ndarray, para: np.ndarray, limit: np.ndarray,
            offset: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(first, index, parts) per sentence: the sid of the first sentence of
    its passage, the passage's index in its text, and the number of
    passages of its text, for the tiling with its cuts moved by `offset`
    passages. Sentences come in text order, each text's contiguous
    (`text` a code per text); `limit` is the passage length in words of
    each sentence's language."""
    n = sid.size
    first = np.empty(n, dtype=np.int64)
    index = np.empty(n, dtype=np.int64)
    parts = np.empty(n, dtype=np.int64)
    a = 0
    while a < n:
        b, total = _run(text, words, a, n)
        size = max((total + limit[a] - 1) // limit[a], 1)
        shift = np.int64(total * offset)
        before = 0
        anchor = 0
        i = a
        while i < b:
            # a paragraph of at most `limit` words goes whole into the passage it starts in
            j, para_words = _run(para, words, i, b)
            start = before
            for k in range(i, j):
                anchor = start if para_words <= limit[k] else before
                index[k] = (anchor * size + shift) // max(total, 1)
                parts[k] = size
                before += words[k]
            i = j
        for k in range(a, b):
            first[k] = sid[k] if k == a or index[k] != index[k - 1] else first[k - 1]
        a = b
    return first, index, parts
