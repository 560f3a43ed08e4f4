"""Both word forms of transforms.segment in one pass over a text's code
points: `dense` (folded, every run of separators one space, every
pictograph a word of its own) and `words` (dense trimmed and padded), with
the counts Chinese word counts are made of (Han characters, Latin runs).

What the expressions of transforms.normalize do in four regex passes, a
table look-up per code point does here (transforms.kernels.code_points
reads the tables off those expressions)."""
from __future__ import annotations

import numpy as np
from numba import njit

from transforms.kernels.code_points import BY_CONTEXT, DROPPED, ELONGATES, HAN, LATIN_OR_DIGIT, PICTOGRAPH, WORD
from transforms.kernels.pages import huge
from transforms.kernels.text_units import _codepoint

_SPACE = 32


@njit(cache=True, nogil=True)
def _put(out: np.ndarray, m: int, cp: int) -> int:
    """UTF-8 of `cp` at out[m:]; the new m."""
    if cp < 0x80:
        out[m] = cp
        return m + 1
    if cp < 0x800:
        out[m], out[m + 1] = 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F)
        return m + 2
    if cp < 0x10000:
        out[m], out[m + 1], out[m + 2] = 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F)
        return m + 3
    out[m], out[m + 1] = 0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F)
    out[m + 2], out[m + 3] = 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F)
    return m + 4


@njit(cache=True, nogil=True)
def word_forms(offsets: np.ndarray, data: np.ndarray, folded: np.ndarray, classes: np.ndarray):
    """(dense offsets, dense bytes, words offsets, words bytes, words, han,
    latin runs, by_context) per string: `words` counts the words of the
    words form; `han` and `latin` count the string's own Han characters and
    runs of Latin letters and digits. by_context marks a string with a
    character the tables cannot fold alone (its forms here are not to be used)."""
    rows = offsets.size - 1
    # a code point grows at most from 1 byte to 4 (a pictograph gains two spaces), and words adds two
    dense = huge(np.empty(4 * data.size + 2 * rows, dtype=np.uint8))
    words = huge(np.empty(4 * data.size + 4 * rows, dtype=np.uint8))
    dense_offsets = np.zeros(rows + 1, dtype=np.int64)
    words_offsets = np.zeros(rows + 1, dtype=np.int64)
    count = np.zeros(rows, dtype=np.int64)
    han = np.zeros(rows, dtype=np.int64)
    latin = np.zeros(rows, dtype=np.int64)
    by_context = np.zeros(rows, dtype=np.bool_)
    longest = 0
    for r in range(rows):
        longest = max(longest, offsets[r + 1] - offsets[r])
    text = np.empty(longest, dtype=np.int32)  # one row's folded code points
    m = 0
    w = 0
    for r in range(rows):
        n = 0
        i = offsets[r]
        in_latin = False
        while i < offsets[r + 1]:
            cp, size = _codepoint(data, i)
            i += size
            kind = classes[cp]
            if kind & HAN:
                han[r] += 1
            if kind & LATIN_OR_DIGIT:
                if not in_latin:
                    latin[r] += 1
                in_latin = True
            else:
                in_latin = False
            f = folded[cp]
            if f == DROPPED:
                continue
            if f == BY_CONTEXT:
                by_context[r] = True
                f = cp
            text[n] = f
            n += 1
        start = m
        pending = False  # a run of separators waits to become one space
        j = 0
        while j < n:
            cp = text[j]
            kind = classes[cp]
            if kind & ELONGATES and j + 2 < n and text[j + 1] == cp and text[j + 2] == cp:
                while j + 1 < n and text[j + 1] == cp:
                    j += 1
            if kind & PICTOGRAPH:
                pending = True
            if kind & (WORD | PICTOGRAPH):
                if pending or m == start:
                    count[r] += 1
                if pending:
                    dense[m] = _SPACE
                    m += 1
                    pending = False
                m = _put(dense, m, cp)
                if kind & PICTOGRAPH:
                    pending = True
            else:
                pending = True
            j += 1
        if pending:
            dense[m] = _SPACE
            m += 1
        dense_offsets[r + 1] = m
        # words: dense without its end spaces, padded with one each side
        lo, hi = start, m
        if hi > lo and dense[lo] == _SPACE:
            lo += 1
        if hi > lo and dense[hi - 1] == _SPACE:
            hi -= 1
        words[w] = _SPACE
        words[w + 1:w + 1 + hi - lo] = dense[lo:hi]
        w += 1 + hi - lo
        words[w] = _SPACE
        w += 1
        words_offsets[r + 1] = w
    return dense_offsets, dense[:m], words_offsets, words[:w], count, han, latin, by_context
