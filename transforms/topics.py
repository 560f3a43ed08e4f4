"""Topic tags: phrase hits per topic, vetoed by exclusions, rolled up to parents,
with the sentiment of the sentences that carry them."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from transforms import ENGINE
from transforms.kernels.passages import tilings
from transforms.sentiment import target_sentiment
from transforms.vocab import Taxonomy

WORDS_PER_REQUIRED_HIT = 150  # a 40-word sentence cannot be held to an 800-word article's bar

# The classifier's classes and the taxonomy roots they vouch for. Real news
# mentions "market" or "chip" in passing far more often than it is about
# them: a phrase-triggered topic under one of these roots stands only where
# the classifier gives its class at least `gate`, or where the text is dense
# with the root's phrases (`strong` hits and `dense` per 100 words: a
# sentence naming two chip makers; the classifiers learnt general news and
# know the beat's niches less well than its phrase lists do); at `assign`
# the classifier alone tags the root (the coverage no list reaches).
ROOT_CLASS = {"economy": "economy", "markets": "economy", "trade": "economy",
              "technology": "technology", "politics": "politics", "geopolitics": "politics"}
MODEL_ROOTS = {"economy": "economy", "technology": "technology", "politics": "politics"}


NEVER = 10**9  # a word count no text reaches


@dataclass(frozen=True)
class Gate:
    gate: dict[str, float]     # per classifier class
    assign: dict[str, float]   # per classifier class
    strong: int
    dense: float
    # A classifier that never read a text as long as `long_words` is out of
    # its depth there: in such a text it vetoes no phrase topic, and it tags
    # a root alone only if the root's class is in `long_alone` or one of the
    # root's own phrases occurs.
    long_words: int = NEVER
    long_alone: tuple[str, ...] = tuple(MODEL_ROOTS)
    # In such a text the phrases alone decide, and a passing mention is not
    # what a long piece is about: a root of a class listed here (and its
    # beats) needs this many of the root's phrase hits per 1,000 words.
    long_dense: tuple[tuple[str, float], ...] = ()
    # A classifier that learnt one topic per text splits its belief over
    # the topics of a long commentary, so that none reaches the gate. A text
    # longer than this is also read passage by passage (even runs of whole
    # sentences of at most this many words): each class gets the larger of
    # the whole text's and its best passage's probability, and a long-text
    # density is read in the densest passage. A text is about what one of
    # its passages is about.
    passage_words: int = NEVER


def _even(gate: float, assign: float, strong: int, dense: float) -> Gate:
    return Gate({c: gate for c in MODEL_ROOTS}, {c: assign for c in MODEL_ROOTS}, strong, dense)


# Per language: the classifiers differ in what they learnt from (headlines,
# articles, sentences) and so in how sure they are. Chosen by 5-fold
# cross-validation on the training splits (python -m transforms.train.tune_topics;
# models/topics/CARD.md says what it picked and why), never on the dev splits,
# among the settings that keep the self-written beats (tests/eval) at their floors.
GATES = {
    # articles and sentences, a sure classifier: it vouches at .15, tags alone at .4
    # Passages (both Arabic and Chinese) are about as long as the median
    # article the classifier learnt from (SANAD 235 words; SogouC 836
    # characters, about 440 words). Chosen on the training splits: out of
    # fold the single articles lose little (mean F1 ar .867 -> .864 at 250;
    # zh .718 -> .715 at 400, -> .712 at 250, where SogouC economy precision
    # fell .75 -> .68), and four training articles run together into one
    # text gain most (R ar .78/.55/.51 -> .92/.94/.90, zh .13/.08/.11 ->
    # .77/.72/.81 for economy/technology/politics at P >= .96).
    "ar": replace(_even(0.15, 0.4, 3, 3.0), passage_words=250),
    # headlines and sentences: politics alone only at .6 (world and domestic
    # news is most of what it learnt, and it claims news-like text of every
    # kind), technology already at .3 (the rare class it under-rates); three
    # phrases at one per 100 words are dense enough
    "en": Gate({"economy": 0.15, "technology": 0.15, "politics": 0.15},
               {"economy": 0.4, "technology": 0.3, "politics": 0.6}, 3, 1.0,
               # it learnt from texts of at most 54 words (headlines, SIB-200
               # sentences, tweets); on long UK business stories it says
               # politics (.75 of the BBC train split's economy articles at
               # P >= .6) and gives economy .02. Beyond 150 words the phrases
               # decide, and politics alone needs a politics phrase (BBC
               # train, research-only, development use; models/topics/CARD.md):
               # economy P/R .85/.42 -> .76/.56, technology .84/.71 -> .83/.74,
               # politics .44/.92 -> .69/.68. Technology alone stays: needing
               # a phrase there cost its recall .71 -> .55. With the politics
               # beats (taxonomy 2026.12.2) two passing mentions of MPs or a
               # missile made every third business story political: economy
               # and politics need 7 root hits per 1,000 words there (about
               # three in a 400-word story). BBC train: economy .79/.73 ->
               # .85/.67, politics .68/.89 -> .81/.78 (6 per 1,000: politics
               # P .79; 8: recall .65 economy).
               # A density is read in the densest passage of 400 words: in
               # four BBC train articles run together it was diluted four
               # times (R economy .34, politics .44); at 400 the single
               # articles are unchanged and the runs reach .75 / .79 (P .92 /
               # .89), technology .56 -> .76 (at 250 single politics
               # precision fell .81 -> .76).
               long_words=150, long_alone=("economy", "technology"),
               long_dense=(("economy", 7.0), ("politics", 7.0)), passage_words=400),
    # headlines and articles: passing mentions of 市场 or 手机 abound, so the
    # classifier must be sure (.5) for a phrase topic to stand, unless a
    # short text is all about it (one hit per 20 words)
    "zh": Gate({"economy": 0.5, "technology": 0.5, "politics": 0.5},
               {"economy": 0.6, "technology": 0.5, "politics": 0.5}, 1, 5.0, passage_words=400),
}
DEFAULT_GATE = _even(0.2, 0.4, 2, 2.0)  # any other language: the settings before cross-validation


def with_passages(sents: pl.DataFrame) -> pl.DataFrame:
    """Add `passage` and `straddling` to sentence rows (sid, article_id,
    lang, word_count, para_idx) in text order.

    passage: the sid of the first sentence of the passage each sentence
    falls in. A text of W words with a passage limit of L
    (Gate.passage_words) is cut into ceil(W / L) passages of even length,
    so no short leftover is read on its own. The cuts fall between
    paragraphs where they can: a paragraph of at most L words goes whole
    into the passage it starts in, so that a commentary's turn from one
    subject to the next (most often a new paragraph) does not mix both into
    one passage; a longer paragraph is cut at sentence boundaries.

    straddling: the passages of the first tiling with every cut moved half
    a passage on: each straddles a cut of the first tiling, so that a part
    of a text which the first tiling splits in two (a subject that does not
    start where a passage does) is read whole in one of them. Only the inner
    ones: the half-length ends would read less than a passage, and they lie
    inside the first tiling's ends. The sid of a passage's first sentence;
    the sentences of the two ends share -1 - the first sid of their text, a
    value no passage has (joint_probabilities needs a key on every row,
    nested in the text; model_probabilities drops it)."""
    if sents.is_empty():
        return sents.with_columns(pl.lit(None, pl.Int64).alias("passage"), pl.lit(None, pl.Int64).alias("straddling"))
    cols = sents.select(
        (pl.col("article_id") != pl.col("article_id").shift(1)).fill_null(True).cum_sum().alias("text"),
        pl.col("sid").cast(pl.Int64), pl.col("word_count").cast(pl.Int64), pl.col("para_idx").cast(pl.Int64),
        _per_lang(GATES, lambda g: g.passage_words).cast(pl.Int64).alias("limit"))
    args = [cols[c].to_numpy() for c in ("text", "sid", "word_count", "para_idx", "limit")]
    first, _, _ = tilings(*args, 0.0)
    moved, index, parts = tilings(*args, 0.5)
    text, sid = args[0], args[1]
    opens = np.flatnonzero(np.r_[True, text[1:] != text[:-1]])
    text_first = sid[opens][np.cumsum(np.r_[True, text[1:] != text[:-1]]) - 1]
    inner = (index > 0) & (index < parts) & (parts >= 3)
    return sents.with_columns(pl.Series("passage", first), pl.Series("straddling", np.where(inner, moved, -1 - text_first)))


def _windows(passages: pl.LazyFrame) -> pl.LazyFrame:
    """(sid, tiling, window, window_words): each passage a sentence falls
    in, one row per tiling, and the passage's length in words."""
    tilings = [c for c in ("passage", "straddling") if c in passages.collect_schema().names()]
    return pl.concat([
        passages.select("sid", pl.lit(c).alias("tiling"), pl.col(c).alias("window"),
                        pl.col("word_count").sum().over(c).alias("window_words")).filter(pl.col("window") >= 0)
        for c in tilings])


def _lineage(taxonomy: Taxonomy) -> pl.LazyFrame:
    return pl.LazyFrame(
        {"topic_id": [t.id for t in taxonomy.topics],
         "lineage": [[t.id, *taxonomy.ancestors(t.id)] for t in taxonomy.topics],
         "min_hits": [t.min_hits for t in taxonomy.topics]},
        schema={"topic_id": pl.String, "lineage": pl.List(pl.String), "min_hits": pl.Int64},
    )


def _roots(taxonomy: Taxonomy) -> pl.LazyFrame:
    return pl.LazyFrame({"topic_id": [t.id for t in taxonomy.topics],
                         "root": [([t.id, *taxonomy.ancestors(t.id)])[-1] for t in taxonomy.topics]})


def _per_lang(values: dict[str, object], pick) -> pl.Expr:
    """A per-language setting as an expression over the `lang` column."""
    default = pick(DEFAULT_GATE)
    return pl.col("lang").replace_strict({k: pick(g) for k, g in values.items()}, default=default)


def _threshold(kind: str, cls: str | pl.Expr, gates: dict[str, Gate]) -> pl.Expr:
    if isinstance(cls, str):
        return _per_lang(gates, lambda g: getattr(g, kind)[cls])
    return pl.coalesce(*[pl.when(cls == c).then(_per_lang(gates, lambda g, c=c: getattr(g, kind)[c]))
                         for c in MODEL_ROOTS])


def _dense(hits: pl.Expr, gates: dict[str, Gate]) -> pl.Expr:
    strong = _per_lang(gates, lambda g: g.strong)
    dense = _per_lang(gates, lambda g: g.dense)
    return (hits >= strong) & (hits * 100 >= dense * pl.col("word_count").clip(1))


def _long(gates: dict[str, Gate]) -> pl.Expr:
    """Whether the text is longer than its language's classifier ever read."""
    return pl.col("word_count").fill_null(0) > _per_lang(gates, lambda g: g.long_words)


def _long_dense(cls: pl.Expr, hits: pl.Expr, rate: pl.Expr, gates: dict[str, Gate]) -> pl.Expr:
    """Whether a long text's root hits are dense enough for its class (true
    where no density is set for the class): `rate` is the root's hits per
    1,000 words in its densest passage (a commentary that spends one part on
    the economy is as dense there as a piece about it), where known, else
    the whole text's."""
    need = pl.coalesce(*[pl.when(cls == c).then(_per_lang(gates, lambda g, c=c: dict(g.long_dense).get(c, 0.0)))
                         for c in MODEL_ROOTS], pl.lit(0.0))
    whole = hits * 1000 / pl.col("word_count").clip(1)
    return pl.max_horizontal(rate.fill_null(0.0), whole) >= need


def _gated(assigned: pl.LazyFrame, probs: pl.LazyFrame, counts: pl.LazyFrame, words: pl.LazyFrame,
           taxonomy: Taxonomy, gates: dict[str, Gate] | None = None) -> pl.LazyFrame:
    """Phrase-triggered topics the classifier does not veto, plus the roots it tags alone.

    `counts` (article_id, topic_id, hits[, rate]) with every hit counted for its ancestors
    too, `rate` its hits per 1,000 words in its densest passage;
    `words` (article_id, word_count, lang)."""
    gates = GATES if gates is None else gates
    if "rate" not in counts.collect_schema().names():
        counts = counts.with_columns(pl.lit(None, dtype=pl.Float64).alias("rate"))
    known = {t.id for t in taxonomy.topics}
    cls = pl.col("root").replace_strict(ROOT_CLASS, default=None, return_dtype=pl.String)
    p_root = pl.coalesce(*[pl.when(cls == c).then(pl.col(f"p_{c}")) for c in set(ROOT_CLASS.values())])
    kept = (
        assigned.join(_roots(taxonomy), on="topic_id").join(probs, on="article_id", how="left")
        .join(counts.select("article_id", pl.col("topic_id").alias("root"), pl.col("hits").alias("root_hits"),
                            pl.col("rate").alias("root_rate")),
              on=["article_id", "root"], how="left")
        .join(words, on="article_id", how="left")
        .filter(pl.when(_long(gates))
                .then(_long_dense(cls, pl.col("root_hits").fill_null(0), pl.col("root_rate"), gates))
                .otherwise(p_root.is_null() | (p_root >= _threshold("gate", cls, gates))
                           | _dense(pl.col("root_hits").fill_null(0), gates)))
        .select("article_id", "topic_id", "is_direct")
    )
    scored = probs.join(words, on="article_id", how="left")
    tagged = [
        scored.filter(pl.col(f"p_{c}") >= _threshold("assign", c, gates))
        .join(counts.filter(pl.col("topic_id") == root)
              .select("article_id", pl.col("hits").alias("_own"), pl.col("rate").alias("_rate")),
              on="article_id", how="left")
        .filter(~_long(gates) | _per_lang(gates, lambda g, c=c: c in g.long_alone)
                | ((pl.col("_own").fill_null(0) >= 1)
                   & _long_dense(pl.lit(c), pl.col("_own").fill_null(0), pl.col("_rate"), gates)))
        .select("article_id", pl.lit(root).alias("topic_id"), pl.lit(True).alias("is_direct"))
        for c, root in MODEL_ROOTS.items() if root in known
    ]
    if not tagged:
        return kept
    alone = pl.concat(tagged).join(kept, on=["article_id", "topic_id"], how="anti")
    return pl.concat([kept, alone])


def article_topics(hits: pl.LazyFrame, articles: pl.LazyFrame, taxonomy: Taxonomy,
                   scores: pl.LazyFrame, probs: pl.LazyFrame | None = None,
                   band: float = 0.25, passages: pl.LazyFrame | None = None) -> pl.LazyFrame:
    """(article_id, topic_id, hits, score, is_direct, sentiment, sentiment_label).

    `probs` (article_id, p_<class>) from the topic classifier, if there is one;
    `passages` (sid, lang, word_count, passage[, straddling]): the passages each sentence
    falls in (with_passages), for the densities of long texts.

    A topic needs `min_hits` phrase hits (fewer in short texts), or one in the
    headline: the headline is where an outlet says what the piece is about.
    score = hits per 1,000 words."""
    lineage = _lineage(taxonomy)
    own = hits.filter(pl.col("kind") == "topic").rename({"target_id": "topic_id"})
    vetoed = hits.filter(pl.col("kind") == "topic_exclude").select(
        "article_id", pl.col("target_id").alias("topic_id")).unique()
    need = pl.min_horizontal(pl.col("min_hits"), 1 + pl.col("word_count") // WORDS_PER_REQUIRED_HIT)
    direct = (
        own.group_by("article_id", "topic_id").agg(
            pl.len().cast(pl.Int64).alias("hits"), (pl.col("sent_idx") == 0).sum().alias("title_hits"))
        .join(vetoed, on=["article_id", "topic_id"], how="anti")
        .join(lineage, on="topic_id")
        .join(articles.select("article_id", "word_count"), on="article_id")
        .filter((pl.col("hits") >= need) | (pl.col("title_hits") > 0))
    )
    assigned = (
        direct.select("article_id", pl.col("topic_id").alias("direct_id"), "lineage").explode("lineage")
        .group_by("article_id", pl.col("lineage").alias("topic_id"))
        .agg((pl.col("direct_id") == pl.col("lineage")).any().alias("is_direct"))
    )
    # every hit counts for its topic and each ancestor
    spread = (
        own.join(lineage.select("topic_id", "lineage"), on="topic_id").explode("lineage")
        .select("article_id", "sid", pl.col("lineage").alias("target_id"), pl.lit("topic").alias("kind"))
    ).collect(engine=ENGINE).lazy()  # counted, and read again for the feeling toward each topic
    counts = spread.group_by("article_id", pl.col("target_id").alias("topic_id")).agg(
        pl.len().cast(pl.Int64).alias("hits"))
    if passages is not None:
        # only the roots a long-text density applies to, in the languages
        # that set one, read a rate (the rest of the hits are most of them)
        dense_langs = [lang for lang, g in GATES.items() if g.long_dense]
        dense_roots = sorted({root for root, c in ROOT_CLASS.items()
                              if any(c in dict(GATES[lang].long_dense) for lang in dense_langs)})
        densest = (spread.filter(pl.col("target_id").is_in(dense_roots))
                   .join(_windows(passages.filter(pl.col("lang").is_in(dense_langs))), on="sid")
                   .group_by("article_id", "target_id", "tiling", "window")
                   .agg((pl.len() * 1000.0 / pl.col("window_words").first().clip(1)).alias("rate"))
                   .group_by("article_id", pl.col("target_id").alias("topic_id")).agg(pl.col("rate").max()))
        counts = counts.join(densest, on=["article_id", "topic_id"], how="left")
    counts = counts.collect(engine=ENGINE).lazy()  # read four times below: count once
    if probs is not None:
        assigned = _gated(assigned, probs, counts, articles.select("article_id", "word_count", "lang"),
                          taxonomy)
    feeling = target_sentiment(spread, scores, "topic", band).rename({"target_id": "topic_id"})
    return (
        assigned.join(counts.select("article_id", "topic_id", "hits"), on=["article_id", "topic_id"], how="left")
        .with_columns(pl.col("hits").fill_null(0))
        .join(feeling, on=["article_id", "topic_id"], how="left")
        .join(articles.select("article_id", "word_count"), on="article_id")
        .with_columns(
            pl.when(pl.col("word_count") > 0).then(pl.col("hits") * 1000.0 / pl.col("word_count"))
            .otherwise(None).round(2).alias("score"))
        .select("article_id", "topic_id", "hits", "score", "is_direct", "sentiment", "sentiment_label")
    )
