"""Sentiment from native-language lexicons, sentence by sentence.

GDELT-compatible article tone: positive/negative are the % of words with that
connotation, tone = positive - negative, polarity = % of words in the lexicon.
A negator a few words back flips a term ("not strong" is not praise) unless it
is part of a phrase that does not negate ("not only", لا يزال "still", 不断).
Intensifiers and diminishers scale a term's weight in the sentence score,
which is what sentiment toward entities and topics is built from."""
from __future__ import annotations

import polars as pl

# About three words back, in bytes of the matched text of each language
# (Chinese: about five characters of three bytes).
WINDOW_BYTES = {"en": 24, "ar": 36, "zh": 15}
NEUTRAL_BAND = 0.25  # a sentence or target score within +-this is neutral


def ten_thousandths(score: pl.Expr) -> pl.Expr:
    return (score * 10_000).round(0).cast(pl.Int64)


def exact_sum(score: pl.Expr) -> pl.Expr:
    """Sum in integer ten-thousandths. Float sums depend on the order rows
    arrive in (and the engine may reorder them), which would let a rerun
    round 1.4275 differently; integers add up the same in any order."""
    return ten_thousandths(score).sum() / 10_000


def target_feeling(total: pl.Expr, sentences: pl.Expr, band: float) -> tuple[pl.Expr, pl.Expr]:
    """(sentiment, sentiment_label) of a target (an entity, a topic): the
    mean score of the sentences that name it, each sentence once, from the
    sum of their ten_thousandths and their number (transforms.targets);
    null where no sentence carries it."""
    mean = pl.when(sentences > 0).then((total / 10_000 / sentences).round(3))
    return mean.alias("sentiment"), pl.when(sentences > 0).then(label(mean, band)).alias("sentiment_label")


def _window() -> pl.Expr:
    return pl.col("lang").replace_strict(WINDOW_BYTES, default=24, return_dtype=pl.Int64)


def _nearest_before(terms: pl.LazyFrame, hits: pl.LazyFrame, kind: str, alias: str) -> pl.LazyFrame:
    """Attach the position (and weight) of the closest `kind` hit before each term."""
    # Overlapping cues can start at one position ("very", "very much"): keep
    # one row per position, or the as-of join would pick between them at random.
    cues = (
        hits.filter(pl.col("kind") == kind)
        .group_by("sid", pl.col("pos").cast(pl.Int64).alias(f"{alias}_pos"))
        .agg(pl.col("weight").max().alias(f"{alias}_w"))
        .sort(f"{alias}_pos")
    )
    joined = terms.sort("pos").join_asof(cues, left_on="pos", right_on=f"{alias}_pos", by="sid",
                                          strategy="backward", check_sortedness=False)
    near = (pl.col(f"{alias}_pos") < pl.col("pos")) & ((pl.col("pos") - pl.col(f"{alias}_pos")) <= _window())
    return joined.with_columns(near.fill_null(False).alias(f"{alias}_near"))


def term_scores(hits: pl.LazyFrame) -> pl.LazyFrame:
    """One row per lexicon hit: sid, sign (+1/-1 after negation), score (signed weight)."""
    terms = hits.filter(pl.col("kind").is_in(["positive", "negative"])).with_columns(pl.col("pos").cast(pl.Int64))
    terms = _nearest_before(terms, hits, "negator", "neg")
    terms = _nearest_before(terms, hits, "intensifier", "int")
    terms = _nearest_before(terms, hits, "diminisher", "dim")
    base = pl.when(pl.col("kind") == "positive").then(1).otherwise(-1)
    sign = pl.when(pl.col("neg_near")).then(-base).otherwise(base)
    scale = (pl.when(pl.col("int_near")).then(pl.col("int_w")).otherwise(1.0)
             * pl.when(pl.col("dim_near")).then(pl.col("dim_w")).otherwise(1.0))
    return terms.select("sid", sign.alias("sign"), (sign * pl.col("weight") * scale).alias("score"))


def sentence_scores(sentences: pl.LazyFrame, hits: pl.LazyFrame) -> pl.LazyFrame:
    """sid, positive_words, negative_words, score for every sentence."""
    per = term_scores(hits).group_by("sid").agg(
        (pl.col("sign") > 0).sum().cast(pl.Int64).alias("positive_words"),
        (pl.col("sign") < 0).sum().cast(pl.Int64).alias("negative_words"),
        exact_sum(pl.col("score")).alias("score"),
    )
    return sentences.select("sid").join(per, on="sid", how="left").with_columns(
        pl.col("positive_words", "negative_words").fill_null(0), pl.col("score").fill_null(0.0))


def label(score: pl.Expr, band: float = NEUTRAL_BAND) -> pl.Expr:
    return (pl.when(score > band).then(pl.lit("positive"))
            .when(score < -band).then(pl.lit("negative")).otherwise(pl.lit("neutral")))


def tone_columns(articles: pl.LazyFrame, sentences: pl.LazyFrame, scores: pl.LazyFrame) -> pl.LazyFrame:
    counts = (
        sentences.select("sid", "article_id").join(scores, on="sid")
        .group_by("article_id").agg(pl.col("positive_words").sum(), pl.col("negative_words").sum())
    )
    pct = lambda c: (  # noqa: E731
        pl.when(pl.col("word_count") > 0)
        .then(pl.col(c).fill_null(0) * 100.0 / pl.col("word_count")).otherwise(0.0)
    )
    return (
        articles.join(counts, on="article_id", how="left")
        .with_columns(pct("positive_words").round(3).alias("positive"),
                      pct("negative_words").round(3).alias("negative"))
        .with_columns((pl.col("positive") - pl.col("negative")).round(3).alias("tone"),
                      (pl.col("positive") + pl.col("negative")).round(3).alias("polarity"))
        .drop("positive_words", "negative_words")
    )
