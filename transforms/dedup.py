"""Near-duplicates: MinHash LSH over 4-word shingles (4-character shingles
for Chinese), computed for the whole batch in Polars. Republished copies
point to the earliest published member of their cluster.

Shingles are built from the hashed text units the trained models also read
(transforms.feature_keys), so the text is cut and hashed once per batch.

The sketch is one-permutation MinHash: each shingle hash falls in one of
BINS bins by its low bits and each bin keeps its minimum, so one pass
over all shingles of the batch replaces 128 hash permutations per article.
Bands of ROWS bins make the LSH keys; articles sharing a key are candidates,
confirmed when the share of equal bins (the Jaccard estimate) reaches
THRESHOLD. Only the candidates (few, in any real batch) go through Python;
the shingles and their minima are one compiled pass (transforms.kernels.minhash)."""
from __future__ import annotations

import numpy as np
import polars as pl

from transforms.feature_keys import units
from transforms.kernels import minhash

BINS = 128
ROWS = 4                 # bins per band: 32 bands find pairs at Jaccard 0.5 with p = 0.87, 0.7 with p > 0.999
THRESHOLD = 0.7          # estimated Jaccard similarity of shingle sets that makes a copy
K = 4


# odd multipliers, one per position in the shingle: order counts, and the
# top 32 bits of the xor of the wrapped products mix every unit
_POSITION = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93)


def sketches(code: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, sketch): the article codes that have shingles, and for each a
    row of BINS minima (u32), every bin filled.

    `code` (dense integer article codes, 0..n-1) and `h` (u64) are the
    hashed text units of transforms.feature_keys (words; Han characters and
    Latin runs in Chinese), each article's contiguous and in text order. A
    shingle is K consecutive units of one article; repeats are kept (a
    sketch takes minima). A short text leaves most bins empty; an empty bin
    borrows the next filled bin's value (the last filled one at the end of
    the row), so two copies of a 40-word item still agree bin for bin."""
    # A value is shingle // BINS < 2**25: the u32 maximum marks an empty bin.
    empty = np.iinfo(np.uint32).max
    n_codes = int(code.max()) + 1 if code.size else 0
    grid = minhash.bin_minima(code, h, n_codes, np.array(_POSITION[:K], dtype=np.uint64), BINS)
    codes = np.flatnonzero((grid != empty).any(axis=1))
    grid = grid[codes]
    filled = grid != empty
    # index of the next filled bin at or after each bin (BINS where none), else the last filled one
    where = np.where(filled, np.arange(BINS), BINS)
    following = np.minimum.accumulate(where[:, ::-1], axis=1)[:, ::-1]
    last = BINS - 1 - np.argmax(filled[:, ::-1], axis=1)
    source = np.where(following < BINS, following, last[:, None])
    return codes, np.take_along_axis(grid, source, axis=1)


# odd multipliers mixing the ROWS minima of a band into its LSH key
_BAND = np.array([0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93][:ROWS],
                 dtype=np.uint64)


def candidate_pairs(n: int, sketch: np.ndarray) -> pl.DataFrame:
    """(a, b) pairs of rows of the `n`-row `sketch` (a < b) that share a band."""
    bands = sketch.reshape(n, BINS // ROWS, ROWS).astype(np.uint64)
    with np.errstate(over="ignore"):  # the multiplications wrap by design
        keys = np.bitwise_xor.reduce(bands * _BAND, axis=2)
    frame = pl.DataFrame({"row": np.repeat(np.arange(n), BINS // ROWS),
                          "band": np.tile(np.arange(BINS // ROWS), n), "key": keys.ravel()})
    # most keys are one article's alone: only the shared ones are joined
    shared = frame.filter(pl.len().over("band", "key") > 1)
    return (
        shared.join(shared, on=["band", "key"], suffix="_b").filter(pl.col("row") < pl.col("row_b"))
        .select(pl.col("row").alias("a"), pl.col("row_b").alias("b")).unique()
    )


def similar_pairs(sketch: np.ndarray, pairs: pl.DataFrame) -> pl.DataFrame:
    """(a, b) candidate pairs whose estimated Jaccard (share of equal bins) reaches THRESHOLD."""
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    similar = (sketch[a] == sketch[b]).mean(axis=1) >= THRESHOLD
    return pairs.filter(pl.Series(similar))


def dup_of(sentences: pl.DataFrame, articles: pl.DataFrame, unit_rows: pl.DataFrame | None = None) -> pl.DataFrame:
    """(article_id, dup_of): the original each article copies, or null.

    `sentences` are sentence rows with sid, article_id and word forms;
    `unit_rows` (sid, h), their hashed units, are computed when not given."""
    return copies(articles, *article_sketches(sentences, units(sentences) if unit_rows is None else unit_rows))


def article_sketches(sentences: pl.DataFrame, unit_rows: pl.DataFrame) -> tuple[pl.Series, np.ndarray]:
    """(article_id, sketch) for every article of `sentences` with a shingle.

    A sketch reads one article alone, so the slices of a batch can be
    sketched apart (in parallel) and compared together by `copies`."""
    # the work is keyed by an integer code, not the article_id string:
    # hashing and comparing strings over millions of shingle rows costs
    # more than the MinHash itself
    ids = sentences.select("article_id").unique(maintain_order=True).with_row_index("code")
    by_sid = sentences.select("sid", "article_id").join(ids, on="article_id")
    code = np.zeros(int(by_sid["sid"].max() or 0) + 1, dtype=np.uint32)
    code[by_sid["sid"].to_numpy()] = by_sid["code"].to_numpy()
    if not unit_rows.height:
        return pl.Series("article_id", [], pl.String), np.empty((0, BINS), dtype=np.uint32)
    codes, sketch = sketches(code[unit_rows["sid"].to_numpy()], unit_rows["h"].to_numpy())
    return ids["article_id"].gather(codes), sketch


def copies(articles: pl.DataFrame, ids: pl.Series, sketch: np.ndarray) -> pl.DataFrame:
    """(article_id, dup_of) for every article, from the sketches of the
    whole batch (`ids` naming the rows of `sketch`)."""
    order = articles.select("article_id", "published_at").sort(
        ["published_at", "article_id"], nulls_last=True).with_row_index("rank")
    result = dict.fromkeys(order["article_id"].to_list())
    if len(ids):
        _link_copies(ids, sketch, order, result)
    return pl.DataFrame({"article_id": list(result), "dup_of": list(result.values())},
                        schema={"article_id": pl.String, "dup_of": pl.String})


def _link_copies(ids: pl.Series, sketch: np.ndarray, order: pl.DataFrame,
                 result: dict[str, str | None]) -> None:
    """Set result[copy] to the original each similar article copies."""
    pairs = similar_pairs(sketch, candidate_pairs(len(ids), sketch))
    similar = pl.DataFrame({"a": ids.gather(pairs["a"].to_numpy()), "b": ids.gather(pairs["b"].to_numpy())})
    if similar.height:
        rank = dict(zip(order["article_id"].to_list(), order["rank"].to_list()))
        earlier: dict[str, list[str]] = {}
        for a, b in similar.iter_rows():
            first, later = (a, b) if rank[a] < rank[b] else (b, a)
            earlier.setdefault(later, []).append(first)
        # in publication order: a copy points to the earliest original it
        # matches; a copy of a copy is not an original to point to
        for aid in sorted(earlier, key=rank.__getitem__):
            originals = [e for e in earlier[aid] if result[e] is None]
            if originals:
                result[aid] = min(originals, key=rank.__getitem__)
