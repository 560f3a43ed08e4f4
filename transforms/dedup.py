"""Near-duplicates: MinHash LSH over 4-word shingles (4-character shingles
for Chinese), computed for the whole batch in Polars. Republished copies
point to the earliest published member of their cluster.

Shingles are built from the hashed text units the trained models also read
(transforms.feature_keys), so the text is cut and hashed once per batch.

The sketch is one-permutation MinHash: each shingle hash falls in one of
BINS bins by its low bits and each bin keeps its minimum, so one group-by
over all shingles of the batch replaces 128 hash permutations per article.
Bands of ROWS bins make the LSH keys; articles sharing a key are candidates,
confirmed when the share of equal bins (the Jaccard estimate) reaches
THRESHOLD. Only the candidates (few, in any real batch) go through Python."""
from __future__ import annotations

import numpy as np
import polars as pl

from transforms.feature_keys import units

BINS = 128
ROWS = 4                 # bins per band: 32 bands find pairs at Jaccard 0.5 with p = 0.87, 0.7 with p > 0.999
THRESHOLD = 0.7          # estimated Jaccard similarity of shingle sets that makes a copy
K = 4


# odd multipliers, one per position in the shingle: order counts, and the
# top 32 bits of the wrapped sum of products mix every unit
_POSITION = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93)


def shingle_hashes(unit_rows: pl.DataFrame) -> pl.DataFrame:
    """(article_id, h: u32) one row per shingle of K consecutive units.

    `unit_rows` is (article_id, h): the hashed text units of transforms.feature_keys
    (words; Han characters and Latin runs in Chinese), each article's rows
    contiguous and in text order. Repeats are kept: a sketch takes minima."""
    # a shingle is complete when its last unit still belongs to the same article
    same = pl.col("article_id").shift(-(K - 1)) == pl.col("article_id")
    mixed = [(pl.col("h").shift(-i) * pl.lit(m, pl.UInt64)) for i, m in enumerate(_POSITION[:K])]
    shingle = mixed[0]
    for part in mixed[1:]:
        shingle = shingle.xor(part)
    return unit_rows.select("article_id", pl.when(same).then(shingle // (1 << 32)).cast(pl.UInt32).alias("h")
                            ).drop_nulls("h")


def sketches(hashes: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(codes, sketch): the article codes that have shingles, and for each a
    row of BINS minima (u32), every bin filled.

    `hashes` is (article_id: integer code, h: u32). A short text leaves most
    bins empty; an empty bin borrows the next filled bin's value (the last
    filled one at the end of the row), so two copies of a 40-word item still
    agree bin for bin."""
    # Codes are dense (0..n-1), so a grid of every code's bins is
    # small, and an unbuffered minimum into it costs a tenth of a group-by.
    # A value is h // BINS < 2**25: the u32 maximum marks an empty bin.
    code = hashes["article_id"].to_numpy().astype(np.int64)
    h = hashes["h"].to_numpy()
    empty = np.iinfo(np.uint32).max
    grid = np.full((int(code.max()) + 1 if code.size else 0) * BINS, empty, dtype=np.uint32)
    np.minimum.at(grid, code * BINS + (h & (BINS - 1)), h // BINS)
    grid = grid.reshape(-1, BINS)
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
    return (
        frame.join(frame, on=["band", "key"], suffix="_b").filter(pl.col("row") < pl.col("row_b"))
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
    coded = pl.DataFrame({"article_id": code[unit_rows["sid"].to_numpy()], "h": unit_rows["h"]})
    if not coded.height:
        return pl.Series("article_id", [], pl.String), np.empty((0, BINS), dtype=np.uint32)
    codes, sketch = sketches(shingle_hashes(coded))
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
