"""Topic tags: phrase hits per topic, vetoed by exclusions, rolled up to parents."""
from __future__ import annotations

import polars as pl

from transforms.vocab import Taxonomy


def article_topics(hits: pl.LazyFrame, articles: pl.LazyFrame, taxonomy: Taxonomy) -> pl.LazyFrame:
    """(article_id, topic_id, hits, score, is_direct); score = hits per 1,000 words.

    A topic needs `min_hits` phrase hits, or one in the headline: the headline
    is where an outlet says what the piece is about."""
    direct = (
        hits.filter(pl.col("kind") == "topic")
        .join(articles.select("article_id", "title_end"), on="article_id")
        .group_by("article_id", "target_id").agg(
            pl.len().cast(pl.Int64).alias("hits"),
            (pl.col("pos").cast(pl.Int64) < pl.col("title_end")).sum().alias("title_hits"),
        )
    )
    vetoed = hits.filter(pl.col("kind") == "topic_exclude").select("article_id", "target_id").unique()
    min_hits = pl.LazyFrame(
        {"target_id": [t.id for t in taxonomy.topics], "min_hits": [t.min_hits for t in taxonomy.topics]}
    )
    direct = (
        direct.join(vetoed, on=["article_id", "target_id"], how="anti")
        .join(min_hits, on="target_id")
        .filter((pl.col("hits") >= pl.col("min_hits")) | (pl.col("title_hits") > 0))
        .select("article_id", pl.col("target_id").alias("topic_id"), "hits")
    )
    lineage = pl.LazyFrame(
        {"topic_id": [t.id for t in taxonomy.topics],
         "ancestor_id": [taxonomy.ancestors(t.id) for t in taxonomy.topics]},
        schema={"topic_id": pl.String, "ancestor_id": pl.List(pl.String)},
    )
    rolled = (
        direct.join(lineage, on="topic_id").explode("ancestor_id").drop_nulls("ancestor_id")
        .select("article_id", pl.col("ancestor_id").alias("topic_id"), "hits",
                pl.lit(False).alias("is_direct"))
    )
    both = pl.concat([direct.with_columns(pl.lit(True).alias("is_direct")), rolled])
    return (
        both.group_by("article_id", "topic_id")
        .agg(pl.col("hits").sum(), pl.col("is_direct").any())
        .join(articles.select("article_id", "word_count"), on="article_id")
        .with_columns(
            pl.when(pl.col("word_count") > 0)
            .then(pl.col("hits") * 1000.0 / pl.col("word_count"))
            .otherwise(None).round(2).alias("score")
        )
        .select("article_id", "topic_id", "hits", "score", "is_direct")
    )
