"""The roll-up of hits per target: each sentence counts once toward a
target's feeling however often it names it, in whatever order the hits come."""
from __future__ import annotations

import numpy as np
import polars as pl

from transforms.targets import roll_up, sentence_points


def test_a_sentence_that_names_a_target_twice_counts_once_in_any_order():
    points = sentence_points(pl.DataFrame({"sid": [0, 1, 2, 3], "score": [0.5, -0.25, 0.1235, None]}))
    assert points.tolist() == [5000, -2500, 1235, 0]  # ten-thousandths, a sentence without a score adds 0
    # article 0 names target 1 twice in sentence 1 and once in 0; article 1 names target 0 in sentence 3
    rows = [(0, 1, 1, 4), (1, 0, 3, 2), (0, 1, 0, 0), (0, 1, 1, 4), (0, 2, 2, 5)]
    rng = np.random.default_rng(3)
    for _ in range(5):
        a, t, s, i = (np.array(c) for c in zip(*rng.permutation(rows).tolist()))
        got = roll_up(a, t, s, i, 3, points)
        table = {(x, y): (h, f, n, tot) for x, y, h, f, n, tot in zip(
            got.article, got.target, got.hits, got.first, got.sentences, got.total)}
        assert table == {(0, 1): (3, 0, 2, 2500), (0, 2): (1, 5, 1, 1235), (1, 0): (1, 2, 1, 0)}
