"""Phrase look-up over hashed words (transforms.word_hits): each word
starts a walk that extends word by word while the words so far begin some
phrase, and reports where they make a whole one. Chinese substrings are
walked the same way, code point by code point."""
from __future__ import annotations

import numpy as np
from numba import njit

from transforms.feature_keys import _LEFT, _RIGHT
from transforms.kernels.hash_table import MISSING, find
from transforms.kernels.text_units import _codepoint

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


# --- Chinese: the same walk over code points -------------------------------------

_CP_MIX = np.uint64(0xFF51AFD7ED558CCD)


@njit(cache=True, nogil=True)
def _char_key(cp: int) -> np.uint64:
    """A code point's key (murmur3's finaliser: well mixed, never shared)."""
    x = np.uint64(cp + 1) * _CP_MIX
    return x ^ (x >> np.uint64(33))


@njit(cache=True, nogil=True)
def suffix_keys(offsets: np.ndarray, data: np.ndarray):
    """(row, n, key): the key of the last n code points of each string, read
    from its end, for every n from 1 to its length, keyed as `walk_chars`
    extends them backwards."""
    total, widest = 0, 1
    for r in range(offsets.size - 1):
        widest = max(widest, offsets[r + 1] - offsets[r])
        i = offsets[r]
        while i < offsets[r + 1]:
            i += _codepoint(data, i)[1]
            total += 1
    row, n_out, keys = np.empty(total, np.int64), np.empty(total, np.int64), np.empty(total, np.uint64)
    cps = np.empty(widest, dtype=np.int64)
    m = 0
    for r in range(offsets.size - 1):
        i, k = offsets[r], 0
        while i < offsets[r + 1]:
            cp, size = _codepoint(data, i)
            cps[k] = cp
            k += 1
            i += size
        key = np.uint64(0)
        for n in range(1, k + 1):
            c = _char_key(cps[k - n])
            key = c if n == 1 else (key * _L) ^ (c * _R)
            row[m], n_out[m], keys[m] = r, n, key ^ (np.uint64(n) * _LENGTH)
            m += 1
    return row, n_out, keys


@njit(cache=True, nogil=True)
def _walk_chars(offsets, data, slots, shift, flags, longest, row, start, end):
    """Write out the complete sequences while they fit; their number."""
    widest = 1
    for r in range(offsets.size - 1):
        widest = max(widest, offsets[r + 1] - offsets[r] + 1)
    cps = np.empty(widest, dtype=np.int64)
    at = np.empty(widest, dtype=np.int64)  # byte offset of each code point within the string, then its end
    m = 0
    for r in range(offsets.size - 1):
        base, i, k = offsets[r], offsets[r], 0
        while i < offsets[r + 1]:
            cp, size = _codepoint(data, i)
            cps[k], at[k] = cp, i - base
            k += 1
            i += size
        at[k] = i - base
        # from each code point back: the sequences that end there, the shorter first
        for e in range(1, k + 1):
            key = _char_key(cps[e - 1])
            n = 1
            first = m
            while True:
                found = find(slots, shift, key ^ (np.uint64(n) * _LENGTH))
                if found == MISSING:
                    break
                if flags[found] & COMPLETE:
                    if m < row.size:
                        row[m], start[m], end[m] = r, at[e - n], at[e]
                    m += 1
                if not flags[found] & STARTS or n == longest or n == e:
                    break
                key = (key * _L) ^ (_char_key(cps[e - n - 1]) * _R)
                n += 1
            # Aho-Corasick reports the longer first
            lo, hi = first, min(m, row.size) - 1
            while lo < hi:
                row[lo], row[hi] = row[hi], row[lo]
                start[lo], start[hi] = start[hi], start[lo]
                end[lo], end[hi] = end[hi], end[lo]
                lo += 1
                hi -= 1
    return m


def walk_chars(offsets: np.ndarray, data: np.ndarray, slots: np.ndarray, shift: int, flags: np.ndarray,
               longest: int):
    """(row, start, end) byte ranges, within their string, of every code
    point sequence whose length key the table marks COMPLETE, read
    backwards (`suffix_keys`), in the order an Aho-Corasick scan reports
    overlapping matches: by where they end, the longer first."""
    room = data.size // 2 + 16
    row, start, end = np.empty(room, np.int64), np.empty(room, np.int64), np.empty(room, np.int64)
    n = _walk_chars(offsets, data, slots, shift, flags, longest, row, start, end)
    if n > room:
        row, start, end = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
        _walk_chars(offsets, data, slots, shift, flags, longest, row, start, end)
    return row[:n], start[:n], end[:n]
