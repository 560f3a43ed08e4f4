"""`mediamon enrich`: JSONL in, one Parquet file out, topics and entities nested."""
from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from mediamon.atomic import atomic_path

CHUNK = 5000


def read_records(path: Path) -> pl.DataFrame:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc.msg}") from None
            if not isinstance(rec, dict) or not rec.get("text") or rec.get("id") in (None, ""):
                raise ValueError(f"{path}:{n}: a record needs a non-empty 'id' and 'text'")
            rows.append({
                "article_id": str(rec["id"]), "text": rec["text"], "title": rec.get("title"),
                "lang": rec.get("lang"), "url": rec.get("url"), "published_at": rec.get("published_at"),
            })
    df = pl.DataFrame(rows, schema={"article_id": pl.String, "text": pl.String, "title": pl.String,
                                    "lang": pl.String, "url": pl.String, "published_at": pl.String})
    dupes = df.filter(pl.col("article_id").is_duplicated())["article_id"].unique().to_list()
    if dupes:
        raise ValueError(f"{path}: duplicate ids: {dupes[:5]}")
    return df.with_columns(pl.col("published_at").str.to_datetime(time_zone="UTC", strict=False)).with_row_index("_row")


def enrich_jsonl(infile: Path, outfile: Path) -> int:
    from tqdm import tqdm

    from transforms.enrich import enrich_frame
    from transforms.patterns import cached_patterns
    from transforms.vocab import cached_vocabulary

    records = read_records(infile)
    vocab, patterns = cached_vocabulary(), cached_patterns()
    parts = []
    with tqdm(total=records.height, unit="rec", disable=records.height < CHUNK, desc="enrich") as bar:
        for chunk in records.iter_slices(CHUNK):
            res = enrich_frame(chunk, vocab, patterns)
            topics = res.topics.group_by("article_id").agg(
                pl.struct("topic_id", "hits", "score", "is_direct", "sentiment", "sentiment_label").alias("topics"))
            ents = res.entities.group_by("article_id").agg(
                pl.struct("entity_id", "mentions", "sentiment", "sentiment_label").alias("entities"))
            parts.append(res.articles.join(topics, on="article_id", how="left")
                         .join(ents, on="article_id", how="left"))
            bar.update(chunk.height)
    # joins do not keep row order; a user reading OUT next to IN expects it
    out = pl.concat(parts, how="diagonal_relaxed").sort("_row").drop("_row").rename({"article_id": "id"})
    with atomic_path(Path(outfile)) as tmp:
        out.write_parquet(tmp)
    return out.height
