"""The trained linear models' arithmetic over hashed text units
(transforms.linear): features -> vocabulary ids per text row, then
TF-IDF, l2 norm, class scores and softmax per group of rows.

One pass per row instead of a join, a sparse count matrix, a group product
and a sparse-dense product. A group's sums run over its tokens in the order
they first occur in its text, so a rerun, or the same text in another
batch or slice, gives the same bits."""
from __future__ import annotations

import numpy as np
from numba import njit

from transforms.feature_keys import _LEFT, _RIGHT
from transforms.kernels.hash_table import MISSING, find
from transforms.kernels.pages import huge

_L, _R = np.uint64(_LEFT), np.uint64(_RIGHT)
_TF_TABLE = 1024  # term frequencies looked up, not logged, below this count


@njit(cache=True, nogil=True)
def row_features(unit_row: np.ndarray, h: np.ndarray, stem: np.ndarray, n_rows: int,
                 slots: np.ndarray, shift: int, emit_ptr: np.ndarray, emit_uids: np.ndarray):
    """(start, end, uids): the vocabulary ids of each row's features are
    uids[start[r]:end[r]].

    Units are in text order, each row's contiguous (`unit_row` its row).
    The features of a unit: itself, the pair with the next unit of its row,
    and its clitic-free stem (`stem`, 0 for none); each feature key maps to
    the ids in `emit_uids[emit_ptr[i]:emit_ptr[i + 1]]` (its own, and the
    lexicon class of a lexicon word). The table row of each feature is
    found once; then the ids are counted and copied out."""
    n = h.size
    found = huge(np.empty((n, 3), dtype=np.int32))
    found[:] = MISSING
    total = 0
    for i in range(n):
        at = find(slots, shift, h[i])
        if at != MISSING:
            found[i, 0] = at
            total += emit_ptr[at + 1] - emit_ptr[at]
        if i + 1 < n and unit_row[i + 1] == unit_row[i]:
            at = find(slots, shift, (h[i] * _L) ^ (h[i + 1] * _R))
            if at != MISSING:
                found[i, 1] = at
                total += emit_ptr[at + 1] - emit_ptr[at]
        if stem[i] != 0:
            at = find(slots, shift, stem[i])
            if at != MISSING:
                found[i, 2] = at
                total += emit_ptr[at + 1] - emit_ptr[at]
    start = np.zeros(n_rows, dtype=np.int64)
    end = np.zeros(n_rows, dtype=np.int64)
    out = huge(np.empty(total, dtype=np.int32))
    m = 0
    for i in range(n):
        r = unit_row[i]
        if i == 0 or unit_row[i - 1] != r:
            start[r] = m
        for f in range(3):
            at = found[i, f]
            if at != MISSING:
                for j in range(emit_ptr[at], emit_ptr[at + 1]):
                    out[m] = emit_uids[j]
                    m += 1
        end[r] = m
    return start, end, out


@njit(cache=True, nogil=True)
def score_groups(start: np.ndarray, end: np.ndarray, uids: np.ndarray, order: np.ndarray,
                 group_ptr: np.ndarray, table: np.ndarray, intercepts: np.ndarray, sublinear: bool):
    """(known, probabilities): per group of rows (order[group_ptr[g]:group_ptr[g + 1]]),
    whether any of its tokens has weight in the model, and the softmax of
    its l2-normalised TF-IDF vector times the weights plus `intercepts`.
    `table` has a row per vocabulary id: its idf, then a weight per class."""
    groups, classes = group_ptr.size - 1, table.shape[1] - 1
    probs = np.zeros((groups, classes))
    known = np.zeros(groups, dtype=np.bool_)
    count = np.zeros(table.shape[0], dtype=np.int32)
    touched = np.empty(table.shape[0], dtype=np.int32)
    tf = np.ones(_TF_TABLE)
    if sublinear:
        tf[1:] = 1.0 + np.log(np.arange(1, _TF_TABLE))
    z = np.empty(classes)
    for g in range(groups):
        distinct = 0
        for j in range(group_ptr[g], group_ptr[g + 1]):
            r = order[j]
            for q in range(start[r], end[r]):
                u = uids[q]
                if count[u] == 0:
                    touched[distinct] = u
                    distinct += 1
                count[u] += 1
        z[:] = 0.0
        squares = 0.0
        for t in range(distinct):
            u = touched[t]
            n = count[u]
            count[u] = 0
            v = (tf[n] if n < _TF_TABLE else (1.0 + np.log(n) if sublinear else 1.0)) * table[u, 0]
            squares += v * v
            for c in range(classes):
                z[c] += v * table[u, c + 1]
        if squares > 0.0:
            known[g] = True
            norm = np.sqrt(squares)
            top = -np.inf
            for c in range(classes):
                z[c] = z[c] / norm + intercepts[c]
                top = max(top, z[c])
            total = 0.0
            for c in range(classes):
                z[c] = np.exp(z[c] - top)
                total += z[c]
            for c in range(classes):
                probs[g, c] = z[c] / total
    return known, probs
