"""Hits rolled up per target of an article (an entity; a topic and each
ancestor it counts for): how many, the first sentence naming it, and the
sentences that carry it, each once, with their scores summed exactly
(transforms.sentiment.exact_sum). One compiled pass over the hits
(transforms.kernels.targets) where a unique, a join and a group-by over a
million rows cost more than the rest of the tagging."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from transforms.kernels.targets import per_target
from transforms.sentiment import ten_thousandths


def sentence_points(scores: pl.DataFrame) -> np.ndarray:
    """Each sentence's score in integer ten-thousandths, indexed by sid
    (`scores`: sid, score; sids are small integers, as in one piece)."""
    sid = scores["sid"].to_numpy()
    points = np.zeros(int(sid.max(initial=-1)) + 1, dtype=np.int64)
    points[sid] = scores.select(ten_thousandths(pl.col("score")).fill_null(0))["score"].to_numpy()
    return points


@dataclass
class Rolled:
    """One row per (article, target) with any hit, ordered by article, then target."""
    article: np.ndarray
    target: np.ndarray
    hits: np.ndarray
    first: np.ndarray       # least sent_idx
    sentences: np.ndarray   # distinct sentences
    total: np.ndarray       # their points, summed


def roll_up(article: np.ndarray, target: np.ndarray, sid: np.ndarray, sent_idx: np.ndarray,
            n_targets: int, points: np.ndarray) -> Rolled:
    """Per (article, target) of the hit rows given (integer codes; `sid`
    indexes `points`, sentence_points)."""
    slot = article.astype(np.int64) * n_targets + target
    pairs, group = np.unique(slot, return_inverse=True)
    hits, first, sentences, total = per_target(group.astype(np.int64), sid.astype(np.int64),
                                               sent_idx.astype(np.int64), points, pairs.size, points.size)
    return Rolled(pairs // n_targets, pairs % n_targets, hits, first, sentences, total)
