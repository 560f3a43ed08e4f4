"""Near-duplicates: MinHash LSH (datasketch) over 4-word shingles, 4-character
shingles for Chinese. Republished copies point to the earliest published
member of their cluster.

Shingles are built and hashed in Polars for the whole batch; datasketch gets
the ready 32-bit hashes, so no Python runs per shingle."""
from __future__ import annotations

import numpy as np
import polars as pl

NUM_PERM = 128
THRESHOLD = 0.7          # estimated Jaccard similarity of shingle sets that makes a copy
CANDIDATE_THRESHOLD = 0.5  # LSH recall is a probability: find candidates generously, then verify
K = 4


def shingle_hashes(sentences: pl.DataFrame) -> pl.DataFrame:
    """(article_id, hashes: list[u32]) from sentence rows with words/dense/lang."""
    toks = (
        sentences.sort("article_id", "sent_idx")
        .select("article_id", pl.when(pl.col("lang") == "zh")
                .then(pl.col("dense").str.replace_all(r"\s+", "").str.split(""))
                .otherwise(pl.col("words").str.strip_chars().str.split(" ")).alias("tok"))
        .explode("tok").filter(pl.col("tok").is_not_null() & (pl.col("tok") != ""))
    )
    shingle = pl.concat_str([pl.col("tok").shift(-i).over("article_id") for i in range(K)], separator=" ")
    return (
        toks.with_columns(shingle.alias("sh")).drop_nulls("sh")
        .group_by("article_id")
        .agg((pl.col("sh").hash(seed=42) & 0xFFFFFFFF).cast(pl.UInt32).unique().alias("hashes"))
    )


def dup_of(sentences: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """(article_id, dup_of): the original each article copies, or null."""
    from datasketch import MinHash, MinHashLSH

    order = articles.select("article_id", "published_at").join(
        shingle_hashes(sentences), on="article_id", how="left"
    ).sort(["published_at", "article_id"], nulls_last=True)
    lsh = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
    # generating permutations costs more than hashing an article: share one set
    template = MinHash(num_perm=NUM_PERM)
    sketches: dict[tuple, MinHash] = {}
    result = {}
    for rank, (aid, hashes) in enumerate(order.select("article_id", "hashes").iter_rows()):
        result[aid] = None
        if hashes is None or len(hashes) == 0:
            continue
        # the values are already 32-bit hashes: datasketch only permutes them
        mh = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=template.permutations,
                     scheme=template.scheme)
        mh.update_batch(np.asarray(hashes, dtype=np.uint64).tolist())
        earlier = [key for key in lsh.query(mh) if sketches[key].jaccard(mh) >= THRESHOLD]
        if earlier:
            result[aid] = min(earlier)[1]
        else:
            lsh.insert((rank, aid), mh)
            sketches[(rank, aid)] = mh
    return pl.DataFrame({"article_id": list(result), "dup_of": list(result.values())},
                        schema={"article_id": pl.String, "dup_of": pl.String})
