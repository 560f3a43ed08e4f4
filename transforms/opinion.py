"""Opinion or news: the signals an editor would use, combined into a score.

A URL or section that says opinion is the strongest signal; first-person
writing and dense evaluative language add to it."""
from __future__ import annotations

import polars as pl

_OPINION_URL = (r"(?i)/(opinion|opinions|commentary|comment|column|columns|editorial|editorials|views|"
                r"analysis|blogs?|ra2y|raay|pinglun|sheping|zhuanlan)/|رأي|%D8%B1%D8%A3%D9%8A|评论|%E8%AF%84%E8%AE%BA")
FIRST_PERSON_PER_100 = 0.6   # first-person markers per 100 words that read as a columnist's voice
EVALUATIVE_POLARITY = 5.0    # % of lexicon words above which prose is argument rather than report
THRESHOLD = 1.5


def opinion_columns() -> list[pl.Expr]:
    """Expressions over an article frame that has url, optional section,
    word_count, polarity and first_person (hit count)."""
    url = pl.col("url").fill_null("").str.contains(_OPINION_URL).cast(pl.Float64)
    rate = pl.when(pl.col("word_count") > 0).then(
        pl.col("first_person").fill_null(0) * 100.0 / pl.col("word_count")).otherwise(0.0)
    score = (2.0 * url + 1.5 * (rate >= FIRST_PERSON_PER_100).cast(pl.Float64)
             + 0.5 * (pl.col("polarity") >= EVALUATIVE_POLARITY).cast(pl.Float64))
    return [score.alias("opinion_score"), (score >= THRESHOLD).alias("is_opinion")]


def first_person_counts(hits: pl.LazyFrame) -> pl.LazyFrame:
    return hits.filter(pl.col("kind") == "first_person").group_by("article_id").agg(
        pl.len().cast(pl.Int64).alias("first_person"))
