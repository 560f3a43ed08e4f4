"""Text units (words; Han characters and Latin runs in Chinese) cut and
hashed straight from a string column's bytes, with no row per unit
materialised as a string.

The hash reads the unit's UTF-8 bytes eight at a time (multiply by the
FNV prime, fold the high bits down), seeded, and is finished by
splitmix64's mixer so that every bit depends on every byte (the hash
tables read the top bits). `hash_strings` gives whole strings the same
hash, so a vocabulary token and the same word in a text meet."""
from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa
from numba import njit

from transforms.kernels.code_points import ARABIC, HAN, KANA_OR_HANGUL, LATIN_OR_DIGIT, LETTER
from transforms.kernels.pages import huge

_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)
_SEED_MIX = np.uint64(0x9E3779B97F4A7C15)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


@njit(cache=True, nogil=True)
def _hash(data: np.ndarray, start: int, end: int, seed: np.uint64) -> np.uint64:
    x = _FNV_OFFSET ^ (seed * _SEED_MIX)
    i = start
    # eight bytes per multiplication: the bytes of a word go in as one u64
    while i < end:
        w = np.uint64(0)
        stop = min(i + 8, end)
        for b in range(i, stop):
            w |= np.uint64(data[b]) << np.uint64(8 * (b - i))
        x = (x ^ w) * _FNV_PRIME
        x ^= x >> np.uint64(29)
        i = stop
    x ^= np.uint64(end - start)
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


@njit(cache=True, nogil=True)
def hash_strings(offsets: np.ndarray, data: np.ndarray, seed: np.uint64) -> np.ndarray:
    out = np.empty(offsets.size - 1, dtype=np.uint64)
    for r in range(out.size):
        out[r] = _hash(data, offsets[r], offsets[r + 1], seed)
    return out


@njit(cache=True, nogil=True)
def _word_row(data, base, stop, r, seed, row, h, start, end, m, fill):
    """Count (fill False) or write out from index m the space-separated
    words of one string, data[base:stop]; the index after them."""
    i = base
    while i < stop:
        if data[i] == 32:
            i += 1
            continue
        j = i
        while j < stop and data[j] != 32:
            j += 1
        if fill:
            row[m], h[m], start[m], end[m] = r, _hash(data, i, j, seed), i - base, j - base
        m += 1
        i = j
    return m


@njit(cache=True, nogil=True)
def words(offsets: np.ndarray, data: np.ndarray, seed: np.uint64):
    """(row, h, start, end) per space-separated word of each string, in order;
    start/end are byte offsets within the row's string."""
    none = np.empty(0, dtype=np.int64)
    nothing, at = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int32)
    n = 0
    for r in range(offsets.size - 1):
        n = _word_row(data, offsets[r], offsets[r + 1], r, seed, none, nothing, at, at, n, False)
    row, h = huge(np.empty(n, dtype=np.int64)), huge(np.empty(n, dtype=np.uint64))
    start, end = huge(np.empty(n, dtype=np.int32)), huge(np.empty(n, dtype=np.int32))
    m = 0
    for r in range(offsets.size - 1):
        m = _word_row(data, offsets[r], offsets[r + 1], r, seed, row, h, start, end, m, True)
    return row, h, start, end


@njit(cache=True, nogil=True)
def _codepoint(data: np.ndarray, i: int):
    """(code point, its byte length) of the UTF-8 sequence at data[i]."""
    b = np.int64(data[i])
    if b < 0x80:
        return b, 1
    if b < 0xE0:
        return ((b & 0x1F) << 6) | (np.int64(data[i + 1]) & 0x3F), 2
    if b < 0xF0:
        return ((b & 0x0F) << 12) | ((np.int64(data[i + 1]) & 0x3F) << 6) | (np.int64(data[i + 2]) & 0x3F), 3
    return (((b & 0x07) << 18) | ((np.int64(data[i + 1]) & 0x3F) << 12) | ((np.int64(data[i + 2]) & 0x3F) << 6)
            | (np.int64(data[i + 3]) & 0x3F)), 4


@njit(cache=True, nogil=True)
def first_code_points(offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    """The first code point of each string (-1 for an empty one)."""
    out = np.full(offsets.size - 1, -1, dtype=np.int64)
    for r in range(out.size):
        if offsets[r + 1] > offsets[r]:
            out[r] = _codepoint(data, offsets[r])[0]
    return out


@njit(cache=True, nogil=True)
def _han_row(data, base, stop, r, classes, seed, row, h, start, end, m, fill):
    """Count (fill False) or write out from index m the Chinese units of
    one string, data[base:stop]; the index after them."""
    i = base
    run = -1  # byte where the current Latin run began
    while i <= stop:
        kind, size = 0, 1
        if i < stop:
            cp, size = _codepoint(data, i)
            kind = classes[cp] & (HAN | LATIN_OR_DIGIT)
        if run >= 0 and kind != LATIN_OR_DIGIT:
            if fill:
                row[m], h[m], start[m], end[m] = r, _hash(data, run, i, seed), run - base, i - base
            m += 1
            run = -1
        if kind == HAN:
            if fill:
                row[m], h[m], start[m], end[m] = r, _hash(data, i, i + size, seed), i - base, i + size - base
            m += 1
        elif kind == LATIN_OR_DIGIT and run < 0:
            run = i
        i += size
    return m


@njit(cache=True, nogil=True)
def _mixed_pass(w_offsets, w_data, d_offsets, d_data, chinese, classes, seed, row, h, start, end, fill):
    m = 0
    for r in range(chinese.size):
        if chinese[r]:
            m = _han_row(d_data, d_offsets[r], d_offsets[r + 1], r, classes, seed, row, h, start, end, m, fill)
        else:
            m = _word_row(w_data, w_offsets[r], w_offsets[r + 1], r, seed, row, h, start, end, m, fill)
    return m


@njit(cache=True, nogil=True)
def mixed_units(w_offsets: np.ndarray, w_data: np.ndarray, d_offsets: np.ndarray, d_data: np.ndarray,
                chinese: np.ndarray, classes: np.ndarray, seed: np.uint64):
    """(row, h, start, end) per unit of each row, rows in order: the Chinese
    units (han_units) of the dense string where `chinese`, else the words
    of the word string. start/end are byte offsets within the string read."""
    none = np.empty(0, dtype=np.int64)
    nothing, at = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int32)
    n = _mixed_pass(w_offsets, w_data, d_offsets, d_data, chinese, classes, seed, none, nothing, at, at, False)
    row, h = huge(np.empty(n, dtype=np.int64)), huge(np.empty(n, dtype=np.uint64))
    start, end = huge(np.empty(n, dtype=np.int32)), huge(np.empty(n, dtype=np.int32))
    _mixed_pass(w_offsets, w_data, d_offsets, d_data, chinese, classes, seed, row, h, start, end, True)
    return row, h, start, end


@njit(cache=True, nogil=True)
def han_units(offsets: np.ndarray, data: np.ndarray, classes: np.ndarray, seed: np.uint64):
    """(row, h, start, end) per Chinese unit: each Han character alone, each
    run of Latin letters and digits together (`classes`: the HAN and
    LATIN_OR_DIGIT bits per code point, transforms.kernels.code_points);
    everything else separates."""
    chinese = np.ones(offsets.size - 1, dtype=np.bool_)
    return mixed_units(offsets, np.empty(0, dtype=np.uint8), offsets, data, chinese, classes, seed)


@njit(cache=True, nogil=True)
def _slots_for(first: np.ndarray, n: int, h: np.ndarray, bits: int):
    """A table of 1 << bits slots holding the first n distinct values (their index in `first`, +1)."""
    shift, mask = np.uint64(64 - bits), np.uint64((1 << bits) - 1)
    slots = np.zeros(1 << bits, dtype=np.int64)
    for d in range(n):
        s = (h[first[d]] * _SEED_MIX) >> shift
        while slots[s] != 0:
            s = (s + np.uint64(1)) & mask
        slots[s] = d + 1
    return slots


@njit(cache=True, nogil=True)
def distinct(h: np.ndarray):
    """(first, inverse): the index of the first occurrence of each distinct
    value of `h`, in order, and each element's place among them
    (h == h[first][inverse]). The table grows with the distinct values, not
    with `h`: a piece's half a million Arabic words are some 20,000 words,
    whose table stays in the cache."""
    first = np.empty(h.size, dtype=np.int64)
    inverse = huge(np.empty(h.size, dtype=np.int64))
    bits, n = 10, 0
    slots = np.zeros(1 << bits, dtype=np.int64)
    for i in range(h.size):
        if 2 * (n + 1) > (1 << bits):
            bits += 2
            slots = _slots_for(first, n, h, bits)
        shift, mask = np.uint64(64 - bits), np.uint64((1 << bits) - 1)
        k = h[i]
        s = (k * _SEED_MIX) >> shift
        while slots[s] != 0 and h[first[slots[s] - 1]] != k:
            s = (s + np.uint64(1)) & mask
        if slots[s] == 0:
            first[n] = i
            n += 1
            slots[s] = n
        inverse[i] = slots[s] - 1
    return first[:n], inverse


@njit(cache=True, nogil=True)
def gather(offsets: np.ndarray, data: np.ndarray, row: np.ndarray, start: np.ndarray, end: np.ndarray):
    """(offsets, data) of the byte ranges start..end of the given rows' strings."""
    out_offsets = np.empty(row.size + 1, dtype=np.int64)
    out_offsets[0] = 0
    for i in range(row.size):
        out_offsets[i + 1] = out_offsets[i] + end[i] - start[i]
    out = np.empty(out_offsets[-1], dtype=np.uint8)
    for i in range(row.size):
        base = offsets[row[i]]
        out[out_offsets[i]:out_offsets[i + 1]] = data[base + start[i]:base + end[i]]
    return out_offsets, out


# --- between Polars and the loops ------------------------------------------------

def buffers(strings: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a string Series (a null reads as empty), without copying the text twice."""
    arr = strings.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    _, offsets, data = arr.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return offsets, data


def strings(offsets: np.ndarray, data: np.ndarray, name: str = "") -> pl.Series:
    array = pa.LargeStringArray.from_buffers(offsets.size - 1, pa.py_buffer(offsets), pa.py_buffer(data))
    return pl.Series(name, pl.from_arrow(array))


@njit(cache=True, nogil=True)
def script_counts(offsets: np.ndarray, data: np.ndarray, classes: np.ndarray, marked: np.ndarray,
                  limit: int) -> np.ndarray:
    """(rows, 5) counts over each string's first `limit` code points: Han,
    letters, Arabic, kana or hangul (transforms.kernels.code_points bits),
    and the code points listed in `marked` (sorted)."""
    out = np.zeros((offsets.size - 1, 5), dtype=np.int64)
    for r in range(offsets.size - 1):
        i, seen = offsets[r], 0
        while i < offsets[r + 1] and seen < limit:
            cp, size = _codepoint(data, i)
            i += size
            seen += 1
            kind = classes[cp]
            if kind & HAN:
                out[r, 0] += 1
            if kind & LETTER:
                out[r, 1] += 1
            if kind & ARABIC:
                out[r, 2] += 1
            if kind & KANA_OR_HANGUL:
                out[r, 3] += 1
            at = np.searchsorted(marked, cp)
            if at < marked.size and marked[at] == cp:
                out[r, 4] += 1
    return out
