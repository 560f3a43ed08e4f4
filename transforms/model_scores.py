"""mediamon's own sentiment (per sentence, per article) and the topic
classifier's root probabilities, from the trained models in models/.

Two models per language: a three-way one (positive / negative / neutral)
says whether a sentence is neutral, a two-way one trained on the positive
and negative rows alone says which way it leans. sentiment = (2 P2(positive)
- 1) * (1 - P3(neutral)), in [-1, 1]: its sign from the two-way model, its
size shrunk by how neutral the sentence reads. The label is neutral where
P3(neutral) is the largest, else the sign's.
Where a language has no model (a permissive-only build for Chinese), the
lexicon score stands in, squashed into the same range. A sentence with no
token the model knows (an empty headline) is neutral, not the model's prior."""
from __future__ import annotations

import polars as pl

from transforms.linear import LinearModel, joint_probabilities
from transforms.sentiment import exact_sum


# How much of a sentence's sentiment is the squashed lexicon score, per
# language; chosen by cross-validation on the training splits
# (python -m transforms.train.tune_sentiment), never on the dev splits.
LEXICON_SHARE = {"ar": 0.5, "en": 0.5, "zh": 0.5}
DEFAULT_SHARE = 0.5
SENTENCE_BAND = 0.15  # a sentence within +-this is neutral
ARTICLE_BAND = 0.15   # an article whose mean sentence sentiment is within +-this is neutral
TARGET_BAND = 0.25    # the same for an entity's or a topic's sentences


def band_label(score: pl.Expr, band: float) -> pl.Expr:
    return (pl.when(score > band).then(pl.lit("positive"))
            .when(score < -band).then(pl.lit("negative")).otherwise(pl.lit("neutral")))


def share_for(lang: str) -> float:
    return LEXICON_SHARE.get(lang, DEFAULT_SHARE)


def model_probabilities(sents: pl.DataFrame, models: tuple[LinearModel, LinearModel, LinearModel],
                        unit_rows: pl.DataFrame | None = None):
    """(three-way per sid, two-way per sid, topics per article_id) class
    probabilities; `sents` are sentence rows with sid, article_id, lang and
    word forms (word_count among them), `unit_rows` their
    transforms.feature_keys.units if at hand.

    The topic classifier also reads a long text passage by passage
    (transforms.topics.Gate.passage_words): an article's probability of a
    class is the larger of the whole text's and its best passage's (in
    either tiling: transforms.topics.with_passages), so
    passages can only add a topic a long commentary spends a part on."""
    from transforms.topics import with_passages

    if "passage" not in sents.columns or "straddling" not in sents.columns:
        sents = with_passages(sents.drop("passage", "straddling", strict=False))
    if sents["passage"].n_unique() == sents["article_id"].n_unique():  # no text is long: read whole
        return joint_probabilities(sents, models, ("sid", "sid", "article_id"), unit_rows)
    keys = ("sid", "sid", "article_id", "passage", "straddling")
    # the straddling tiling's ends (negative keys) are not passages: in no group, they are not read
    sents = sents.with_columns(pl.when(pl.col("straddling") >= 0).then(pl.col("straddling")).alias("straddling"))
    three, two, whole, *tilings = joint_probabilities(sents, (*models, models[2], models[2]), keys, unit_rows)
    cols = whole.collect_schema().names()
    read = [p.join(sents.lazy().select(key, "article_id").unique(key).filter(pl.col(key) >= 0), on=key).select(cols)
            for p, key in zip(tilings, ("passage", "straddling"))]
    topics = pl.concat([whole, *read]).group_by("article_id").agg(pl.col("lang").first(), pl.col("^p_.*$").max())
    return three, two, topics


def sentence_sentiment(sents: pl.LazyFrame, three: pl.LazyFrame, two: pl.LazyFrame, lexicon: pl.LazyFrame,
                       model: LinearModel) -> pl.LazyFrame:
    """(sid, sentiment, sentiment_label, _known) for every sentence, from the
    three-way and two-way probabilities of `model_probabilities`.

    `lexicon` is (sid, score) from transforms.sentiment.sentence_scores."""
    three = three.select("sid", "p_neutral", "p_positive", "p_negative")
    two = two.select("sid", pl.col("p_positive").alias("q"))
    sent = ((2 * pl.col("q") - 1) * (1 - pl.col("p_neutral")))
    modelled = three.join(two, on="sid").select("sid", sent.alias("m_sent"))
    lexical = (pl.col("score").fill_null(0.0) / 2).tanh()
    share = pl.col("lang").replace_strict(LEXICON_SHARE, default=DEFAULT_SHARE, return_dtype=pl.Float64)
    blend = (1 - share) * pl.col("m_sent") + share * lexical
    score = pl.when(pl.col("m_sent").is_not_null()).then(blend).otherwise(lexical)
    return (
        sents.select("sid", "lang").join(lexicon.select("sid", "score"), on="sid", how="left")
        .join(modelled, on="sid", how="left")
        .select("sid", score.round(4).alias("sentiment"), pl.col("m_sent").is_not_null().alias("_known"))
        .with_columns(band_label(pl.col("sentiment"), SENTENCE_BAND).alias("sentiment_label"))
    )


def article_sentiment(sents: pl.LazyFrame, sentence: pl.LazyFrame) -> pl.LazyFrame:
    """(article_id, sentiment, sentiment_label): the mean over the sentences
    that carry any signal (empty headlines and token-free lines do not dilute it)."""
    signal = pl.col("_known") | (pl.col("sentiment") != 0)
    return (
        sents.select("sid", "article_id").join(sentence, on="sid")
        .group_by("article_id")
        # summed exactly: a float mean depends on row order, and a rerun must round the same
        .agg((exact_sum(pl.col("sentiment").filter(signal)) / pl.col("sentiment").filter(signal).len())
             .fill_nan(0.0).fill_null(0.0).round(4).alias("sentiment"))
        .with_columns(band_label(pl.col("sentiment"), ARTICLE_BAND).alias("sentiment_label"))
    )
