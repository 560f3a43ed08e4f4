"""Entity mentions: every alias in any language maps to one entity_id, with the
sentiment of the sentences that name it."""
from __future__ import annotations

import polars as pl

from transforms.sentiment import target_feeling
from transforms.targets import roll_up, sentence_points


def article_entities(hits: pl.DataFrame, scores: pl.DataFrame, band: float,
                     entity_ids: list[str]) -> pl.DataFrame:
    """(article_id, entity_id, mentions, first_sentence, sentiment, sentiment_label);
    first_sentence 0 is the headline.

    `hits` (article_id, sid, sent_idx, kind, target_id) with article_id an
    integer code, `scores` (sid, score) for every sentence, `entity_ids`
    every entity a hit can name."""
    mine = hits.filter(pl.col("kind") == "entity")
    entity = mine["target_id"].cast(pl.Enum(entity_ids)).to_physical().to_numpy()
    rolled = roll_up(mine["article_id"].to_numpy(), entity, mine["sid"].to_numpy(), mine["sent_idx"].to_numpy(),
                     len(entity_ids), sentence_points(scores))
    return pl.DataFrame({
        "article_id": pl.Series(rolled.article, dtype=hits.schema["article_id"]),
        "entity_id": pl.Series(entity_ids, dtype=pl.String).gather(rolled.target),
        "mentions": pl.Series(rolled.hits, dtype=pl.Int64),
        "first_sentence": pl.Series(rolled.first, dtype=hits.schema["sent_idx"]),
        "_sentences": rolled.sentences, "_total": rolled.total,
    }).with_columns(*target_feeling(pl.col("_total"), pl.col("_sentences"), band)).drop("_sentences", "_total")
