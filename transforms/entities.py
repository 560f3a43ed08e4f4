"""Entity mentions: every alias in any language maps to one entity_id."""
from __future__ import annotations

import polars as pl


def article_entities(hits: pl.LazyFrame) -> pl.LazyFrame:
    """(article_id, entity_id, mentions, first_pos)."""
    return (
        hits.filter(pl.col("kind") == "entity")
        .group_by("article_id", "target_id")
        .agg(pl.len().cast(pl.Int64).alias("mentions"), pl.col("pos").min().alias("first_pos"))
        .rename({"target_id": "entity_id"})
    )
