"""GDELT-compatible tone from native-language lexicons.

positive/negative: % of words with that connotation; tone = positive - negative;
polarity: % of words found in the lexicon. A negator a few words before a term
flips it, as "not strong" is not praise."""
from __future__ import annotations

import polars as pl

# About three words back, in bytes of the word-form text of each language.
NEGATION_WINDOW_BYTES = {"en": 24, "ar": 36, "zh": 24}


def negation_window() -> pl.Expr:
    return pl.col("lang").replace_strict(NEGATION_WINDOW_BYTES, default=24, return_dtype=pl.Int64)


def term_polarity(hits: pl.LazyFrame) -> pl.LazyFrame:
    """One row per lexicon hit: article_id, sign (+1/-1) after negation."""
    terms = hits.filter(pl.col("kind").is_in(["positive", "negative"])).sort("pos")
    negators = (
        hits.filter(pl.col("kind") == "negator")
        .select("article_id", pl.col("pos").alias("neg_pos")).sort("neg_pos")
    )
    joined = terms.join_asof(
        negators, left_on="pos", right_on="neg_pos", by="article_id",
        strategy="backward", check_sortedness=False,
    )
    negated = (
        pl.col("neg_pos").is_not_null()
        & (pl.col("neg_pos") < pl.col("pos"))
        & ((pl.col("pos").cast(pl.Int64) - pl.col("neg_pos").cast(pl.Int64)) <= negation_window())
    )
    base = pl.when(pl.col("kind") == "positive").then(1).otherwise(-1)
    return joined.select(
        "article_id", pl.when(negated).then(-base).otherwise(base).alias("sign")
    )


def tone_columns(articles: pl.LazyFrame, hits: pl.LazyFrame) -> pl.LazyFrame:
    counts = term_polarity(hits).group_by("article_id").agg(
        (pl.col("sign") > 0).sum().alias("positive_words"),
        (pl.col("sign") < 0).sum().alias("negative_words"),
    )
    pct = lambda c: (  # noqa: E731
        pl.when(pl.col("word_count") > 0)
        .then(pl.col(c).fill_null(0) * 100.0 / pl.col("word_count")).otherwise(0.0)
    )
    return (
        articles.join(counts, on="article_id", how="left")
        .with_columns(
            pct("positive_words").round(3).alias("positive"),
            pct("negative_words").round(3).alias("negative"),
        )
        .with_columns(
            (pl.col("positive") - pl.col("negative")).round(3).alias("tone"),
            (pl.col("positive") + pl.col("negative")).round(3).alias("polarity"),
        )
        .drop("positive_words", "negative_words")
    )
