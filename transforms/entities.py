"""Entity mentions: every alias in any language maps to one entity_id, with the
sentiment of the sentences that name it."""
from __future__ import annotations

import polars as pl

from transforms.sentiment import target_sentiment


def article_entities(hits: pl.LazyFrame, scores: pl.LazyFrame, band: float) -> pl.LazyFrame:
    """(article_id, entity_id, mentions, first_sentence, sentiment, sentiment_label);
    first_sentence 0 is the headline."""
    mentions = (
        hits.filter(pl.col("kind") == "entity")
        .group_by("article_id", "target_id")
        .agg(pl.len().cast(pl.Int64).alias("mentions"),
             pl.col("sent_idx").min().alias("first_sentence"))
    )
    return (
        mentions.join(target_sentiment(hits, scores, "entity", band), on=["article_id", "target_id"], how="left")
        .rename({"target_id": "entity_id"})
        .select("article_id", "entity_id", "mentions", "first_sentence", "sentiment", "sentiment_label")
    )
