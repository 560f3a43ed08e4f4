"""Sentence rows cut in one pass over each article (transforms.sentences):
what four regex rewrites, a split, an explode and a window did, as a scan
over code points that keeps the same rules."""
from __future__ import annotations

import numpy as np
from numba import njit

from transforms.kernels.code_points import SPACE
from transforms.kernels.pages import huge
from transforms.kernels.text_units import _codepoint
from transforms.kernels.word_forms import _put

_NEWLINE, _PARAGRAPH = 10, 0x1E


@njit(cache=True, nogil=True)
def _decode(offsets, data, r, out):
    """The code points of string r into out; their number."""
    n, i = 0, offsets[r]
    while i < offsets[r + 1]:
        cp, size = _codepoint(data, i)
        out[n] = cp
        n += 1
        i += size
    return n


LATIN_END, OTHER_END = 1, 2  # values of the `ends` table


@njit(cache=True, nogil=True)
def _emit(piece, lo, hi, classes, out, m):
    """Write piece[lo:hi] without its leading paragraph marks and its end
    white space; (new m, whether it started with a mark)."""
    marked = hi > lo and piece[lo] == _PARAGRAPH
    while lo < hi and piece[lo] == _PARAGRAPH:
        lo += 1
    while lo < hi and classes[piece[lo]] & SPACE:
        lo += 1
    while hi > lo and classes[piece[hi - 1]] & SPACE:
        hi -= 1
    for k in range(lo, hi):
        m = _put(out, m, piece[k])
    return m, marked


@njit(cache=True, nogil=True)
def _keep(r, idx, para, start, m, article, sent_idx, para_idx, offsets, s):
    """Record out[start:m], unless empty, as sentence `idx` of article r; the new count."""
    if m > start:
        article[s], sent_idx[s], para_idx[s] = r, idx, para
        s += 1
        offsets[s] = m
    return s


@njit(cache=True, nogil=True)
def split(title_offsets, title_data, body_offsets, body_data, classes, ends):
    """(article, sent_idx, para_idx, offsets, bytes) per kept sentence: the
    title is sentence 0 (kept even when empty); the body's white space runs
    that hold a line break start a paragraph; a sentence ends after
    a LATIN_END character (`ends`, per code point) followed by white space
    and after every OTHER_END one; empty sentences are dropped but keep
    their index. The body is read once: a white space run is held back
    until what follows it says whether it cuts the sentence, is kept inside
    it, or trims off its end."""
    rows = body_offsets.size - 1
    longest = 1
    for r in range(rows):
        longest = max(longest, title_offsets[r + 1] - title_offsets[r])
    title = np.empty(longest, dtype=np.int64)
    out = huge(np.empty(body_data.size + title_data.size + 16, dtype=np.uint8))
    n_cap = body_data.size + 2 * rows + 16
    article = np.empty(n_cap, dtype=np.int64)
    sent_idx = np.empty(n_cap, dtype=np.int64)
    para_idx = np.empty(n_cap, dtype=np.int32)
    # room for a sentence per byte, written only as far as there are sentences
    offsets = np.empty(n_cap + 1, dtype=np.int64)
    offsets[0] = 0
    m, s = 0, 0
    for r in range(rows):
        n = _decode(title_offsets, title_data, r, title)
        m, headline_marked = _emit(title, 0, n, classes, out, m)
        para = 1 if headline_marked else 0
        article[s], sent_idx[s], para_idx[s] = r, 0, para
        s += 1
        offsets[s] = m
        idx, start, marked = 1, m, False
        held, newline, after_stop = -1, False, False
        i, stop = body_offsets[r], body_offsets[r + 1]
        while True:
            cp, size = 0, 1
            if i < stop:
                if body_data[i] == _PARAGRAPH:  # the text's own marks are dropped
                    i += 1
                    continue
                cp, size = _codepoint(body_data, i)
                if classes[cp] & SPACE:
                    if held < 0:
                        held, newline = i, False
                    newline = newline or cp == _NEWLINE
                    i += size
                    continue
            if held >= 0:
                if newline or after_stop:
                    # a run with a line break starts a paragraph; one after a Latin stop cuts the sentence
                    para += 1 if marked else 0
                    s = _keep(r, idx, para, start, m, article, sent_idx, para_idx, offsets, s)
                    idx, start, marked = idx + 1, m, newline
                elif m > start and i < stop:
                    for k in range(held, i):
                        if body_data[k] != _PARAGRAPH:
                            out[m] = body_data[k]
                            m += 1
                held = -1
            if i >= stop:
                break
            for k in range(i, i + size):
                out[m] = body_data[k]
                m += 1
            i += size
            after_stop = ends[cp] == LATIN_END
            if ends[cp] == OTHER_END:
                para += 1 if marked else 0
                s = _keep(r, idx, para, start, m, article, sent_idx, para_idx, offsets, s)
                idx, start, marked = idx + 1, m, False
        para += 1 if marked else 0
        s = _keep(r, idx, para, start, m, article, sent_idx, para_idx, offsets, s)
    return article[:s], sent_idx[:s], para_idx[:s], offsets[:s + 1], out[:m]
