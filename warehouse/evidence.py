"""Sentence-level evidence for every entity and topic sentiment.

The enrichment scores sentences and keeps only their roll-up per article and
target; this module re-reads the loaded articles with the same transforms
(same sentence split, same matcher, same sentence sentiment: models and
lexicon blended, as transforms/enrich.py does) and stores each sentence with
its score, its cues and the targets it names, so that
    SELECT * FROM entity_evidence WHERE article_id = ? AND entity_id = ?
shows exactly the sentences whose mean is the number in article_entities.

refresh(con, vocab) runs inside the load's transaction, after the articles of
the batch (registered as b_articles) are written."""
from __future__ import annotations

import duckdb
import polars as pl

from transforms import model_scores, segment, sentences, sentiment
from transforms.linear import cached_model
from transforms.matching import drop_inside, drop_nested, match
from transforms.patterns import vocabulary_patterns
from transforms.vocab import Vocabulary

_MODIFIERS = ("negator", "intensifier", "diminisher")


_PATTERNS: dict[int, tuple[Vocabulary, pl.DataFrame]] = {}


def _patterns(vocab: Vocabulary) -> pl.DataFrame:
    if id(vocab) not in _PATTERNS:  # the vocabulary is kept alongside, so its id is not reused
        _PATTERNS[id(vocab)] = (vocab, vocabulary_patterns(vocab))
    return _PATTERNS[id(vocab)][1]


def _hits(sents: pl.DataFrame, vocab: Vocabulary) -> pl.LazyFrame:
    """The enrichment's hits, built the same way (transforms/enrich.py _tag)."""
    entity_types = pl.DataFrame({"target_id": [e.id for e in vocab.gazetteer.entities],
                                 "class": [e.type for e in vocab.gazetteer.entities]})
    hits = match(sents.lazy(), _patterns(vocab), {"word": "words", "substring": "dense"}, key="sid").collect().lazy()
    hits = drop_nested(hits, "entity", entity_types, key="sid").collect().lazy()
    hits = drop_inside(hits, "negator", "non_negation", key="sid")
    return hits.join(sents.lazy().select("sid", "article_id", "sent_idx"), on="sid").collect().lazy()


def _cues(hits: pl.LazyFrame) -> pl.LazyFrame:
    cue = pl.col("pattern").str.strip_chars()
    text = (pl.when(pl.col("kind") == "positive").then(pl.lit("+") + cue)
            .when(pl.col("kind") == "negative").then(pl.lit("-") + cue)
            .otherwise(cue + pl.lit(" (") + pl.col("kind") + pl.lit(")")))
    return (hits.filter(pl.col("kind").is_in(["positive", "negative", *_MODIFIERS]))
            .sort("sid", "pos").group_by("sid").agg(text.alias("cues")))


def sentence_evidence(frame: pl.DataFrame, vocab: Vocabulary) -> tuple[pl.DataFrame, pl.DataFrame]:
    """frame: article_id, title, text, lang ->
    (article_id, sent_idx, sentence, score, label, cues) for sentences that name a target,
    (article_id, sent_idx, kind, target_id)."""
    sents = segment.with_word_forms(sentences.split_sentences(frame), "sentence")
    hits = _hits(sents, vocab)
    lexicon = sentiment.sentence_scores(sents.lazy(), hits).collect().lazy()
    # the enrichment's sentence sentiment: trained models blended with the lexicon score
    models = (cached_model("sentiment"), cached_model("polarity"), cached_model("topics"))
    three, two, _ = model_scores.model_probabilities(sents, models)
    scores = model_scores.sentence_sentiment(sents.lazy(), three, two, lexicon, models[0]).select(
        "sid", pl.col("sentiment").alias("score"), pl.col("sentiment_label").alias("label"))
    lineage = pl.LazyFrame({"target_id": [t.id for t in vocab.taxonomy.topics],
                            "lineage": [[t.id, *vocab.taxonomy.ancestors(t.id)] for t in vocab.taxonomy.topics]})
    topics = (hits.filter(pl.col("kind") == "topic").join(lineage, on="target_id").explode("lineage")
              .select("article_id", "sent_idx", pl.lit("topic").alias("kind"), pl.col("lineage").alias("target_id")))
    entities = hits.filter(pl.col("kind") == "entity").select("article_id", "sent_idx", "kind", "target_id")
    targets = pl.concat([entities, topics]).unique().collect().sort("article_id", "sent_idx", "kind", "target_id")
    keep = targets.select("article_id", "sent_idx").unique()
    rows = (
        sents.lazy().select("sid", "article_id", "sent_idx", "sentence")
        .join(keep.lazy(), on=["article_id", "sent_idx"])
        .join(scores, on="sid")
        .join(_cues(hits), on="sid", how="left")
        .select("article_id", "sent_idx", "sentence", "score", "label",
                pl.col("cues").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .collect().sort("article_id", "sent_idx")
    )
    return rows, targets


def refresh(con: duckdb.DuckDBPyConnection, vocab: Vocabulary, batch_table: str = "b_articles") -> int:
    """Replace the evidence of the articles in `batch_table` (and drop that of
    articles no longer in the warehouse). Returns sentences stored."""
    frame = con.execute(f"SELECT article_id, title, text, lang FROM {batch_table}").pl()
    rows, targets = sentence_evidence(frame, vocab)
    con.register("b_ev_sentences", rows.to_arrow())
    con.register("b_ev_targets", targets.to_arrow())
    for table in ("article_sentences", "sentence_targets"):
        con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {batch_table}) "
                    f"OR article_id NOT IN (SELECT article_id FROM articles)")
    con.execute("INSERT INTO article_sentences BY NAME SELECT * FROM b_ev_sentences")
    con.execute("INSERT INTO sentence_targets BY NAME SELECT * FROM b_ev_targets")
    con.unregister("b_ev_sentences")
    con.unregister("b_ev_targets")
    return rows.height
