"""Near-duplicates: MinHash over word shingles (character shingles for Chinese).

Republished copies point to the earliest published member of their cluster."""
from __future__ import annotations

import polars as pl

NUM_PERM = 128
THRESHOLD = 0.7


def _shingles(words: str, lang: str) -> set[str]:
    toks = words.split()
    if lang == "zh":
        s = "".join(toks)
        return {s[i : i + 4] for i in range(max(1, len(s) - 3))}
    k = 4
    return {" ".join(toks[i : i + k]) for i in range(max(1, len(toks) - k + 1))}


def dup_of(frame: pl.DataFrame) -> pl.Series:
    """For each row, the article_id of the original it copies, or null.

    `frame` needs article_id, lang, words, published_at."""
    from datasketch import MinHash, MinHashLSH

    order = frame.with_row_index("_i").sort(
        ["published_at", "article_id"], nulls_last=True
    )
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    result: list[str | None] = [None] * frame.height
    rows = order.select("_i", "article_id", "lang", "words").iter_rows()
    for rank, (i, aid, lang, words) in enumerate(rows):
        sh = _shingles(words or "", lang or "")
        if not (words or "").strip():
            continue
        mh = MinHash(num_perm=NUM_PERM)
        mh.update_batch([s.encode() for s in sh])
        earlier = lsh.query(mh)
        if earlier:
            # the earliest member of the cluster is the original
            result[i] = min(earlier, key=lambda key: key[0])[1]
        else:
            lsh.insert((rank, aid), mh)
    return pl.Series("dup_of", result, dtype=pl.String)
