"""Per target of an article (an entity, a topic or an ancestor it counts
for): its hits, the first sentence naming it, and the sentences that
carry it, each once, with the sum of their scores (transforms.topics,
transforms.entities). One pass over the hits instead of a unique, a join
and a group-by over a million rows."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def per_target(group: np.ndarray, sid: np.ndarray, sent_idx: np.ndarray, score: np.ndarray,
               n_groups: int, n_sids: int):
    """(hits, first, sentences, total) per group: the rows of the group, the
    least sent_idx among them, how many distinct sentences (sid) they fall
    in, and the sum of score[sid] over those sentences.

    `group` is each row's group (0 <= group < n_groups), `sid` its
    sentence (0 <= sid < n_sids), `score` an integer per sentence (summed
    exactly, in any order)."""
    n = group.size
    hits = np.zeros(n_groups, dtype=np.int64)
    first = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
    sentences = np.zeros(n_groups, dtype=np.int64)
    total = np.zeros(n_groups, dtype=np.int64)
    last = np.full(n_groups, -1, dtype=np.int64)
    # the rows in sentence order (a counting sort): a sentence's rows are
    # then together, so the last sentence a group saw tells a new one
    start = np.zeros(n_sids + 1, dtype=np.int64)
    for i in range(n):
        start[sid[i] + 1] += 1
    for s in range(n_sids):
        start[s + 1] += start[s]
    order = np.empty(n, dtype=np.int64)
    for i in range(n):
        order[start[sid[i]]] = i
        start[sid[i]] += 1
    for i in order:
        g, s = group[i], sid[i]
        hits[g] += 1
        first[g] = min(first[g], sent_idx[i])
        if last[g] != s:
            last[g] = s
            sentences[g] += 1
            total[g] += score[s]
    return hits, first, sentences, total
