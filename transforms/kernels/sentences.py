"""Sentence rows cut in one pass over each article (transforms.sentences):
what four regex rewrites, a split, an explode and a window did, as a scan
over code points that keeps the same rules."""
from __future__ import annotations

import numpy as np
from numba import njit

from transforms.kernels.code_points import SPACE
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
def split(title_offsets, title_data, body_offsets, body_data, classes, ends):
    """(article, sent_idx, para_idx, offsets, bytes) per kept sentence: the
    title is sentence 0 (kept even when empty); the body's white space runs
    that hold a line break start a paragraph; a sentence ends after
    a LATIN_END character (`ends`, per code point) followed by white space
    and after every OTHER_END one; empty sentences are dropped but keep
    their index."""
    rows = body_offsets.size - 1
    longest = 1
    for r in range(rows):
        longest = max(longest, body_offsets[r + 1] - body_offsets[r], title_offsets[r + 1] - title_offsets[r])
    a = np.empty(longest, dtype=np.int64)
    b = np.empty(2 * longest + 2, dtype=np.int64)
    c = np.empty(2 * longest + 2, dtype=np.int64)
    d = np.empty(4 * longest + 4, dtype=np.int64)
    cap = 4 * (body_data.size + title_data.size) + 16
    out = np.empty(cap, dtype=np.uint8)
    n_cap = body_data.size + 2 * rows + 16
    article = np.empty(n_cap, dtype=np.int64)
    sent_idx = np.empty(n_cap, dtype=np.int64)
    para_idx = np.empty(n_cap, dtype=np.int32)
    offsets = np.zeros(n_cap + 1, dtype=np.int64)
    m, s = 0, 0
    for r in range(rows):
        para = 0
        n = _decode(title_offsets, title_data, r, a)
        m, marked = _emit(a, 0, n, classes, out, m)
        para += marked
        article[s], sent_idx[s], para_idx[s] = r, 0, para
        s += 1
        offsets[s] = m
        # drop the marks the text itself holds
        n0 = _decode(body_offsets, body_data, r, a)
        n = 0
        for i in range(n0):
            if a[i] != _PARAGRAPH:
                a[n] = a[i]
                n += 1
        # a white space run holding a line break -> line break + paragraph mark
        nb, i = 0, 0
        while i < n:
            if classes[a[i]] & SPACE:
                j, newline = i, False
                while j < n and classes[a[j]] & SPACE:
                    newline = newline or a[j] == _NEWLINE
                    j += 1
                if newline:
                    b[nb], b[nb + 1] = _NEWLINE, _PARAGRAPH
                    nb += 2
                else:
                    for k in range(i, j):
                        b[nb] = a[k]
                        nb += 1
                i = j
            else:
                b[nb] = a[i]
                nb += 1
                i += 1
        # a Latin full stop and the white space after it -> full stop + line break;
        # a CJK or Arabic one -> itself + line break
        nc, i = 0, 0
        while i < nb:
            cp = b[i]
            c[nc] = cp
            nc += 1
            i += 1
            if ends[cp] == LATIN_END and i < nb and classes[b[i]] & SPACE:
                while i < nb and classes[b[i]] & SPACE:
                    i += 1
                c[nc] = _NEWLINE
                nc += 1
        nd = 0
        for i in range(nc):
            d[nd] = c[i]
            nd += 1
            if ends[c[i]] == OTHER_END:
                d[nd] = _NEWLINE
                nd += 1
        # split at line breaks
        lo, idx = 0, 1
        for i in range(nd + 1):
            if i == nd or d[i] == _NEWLINE:
                start = m
                m, marked = _emit(d, lo, i, classes, out, m)
                para += marked
                if m > start:
                    article[s], sent_idx[s], para_idx[s] = r, idx, para
                    s += 1
                    offsets[s] = m
                idx += 1
                lo = i + 1
    return article[:s], sent_idx[:s], para_idx[:s], offsets[:s + 1], out[:m]
