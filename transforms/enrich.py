"""Enrichment: language -> sentences -> word forms -> dedup -> matching ->
sentence sentiment -> topics / entities / tone / opinion.

Input: one row per article with article_id, title, text (optionally lang,
url, published_at). Output: the article rows with enrichment columns, the long
article_topics and article_entities tables, and per-sentence scores."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from transforms import ENGINE, dedup, entities, language, model_scores, opinion, segment, sentences, sentiment, topics
from transforms.feature_keys import units
from transforms.linear import LinearModel, cached_model
from transforms.matching import PatternGroup, drop_inside, drop_nested, match, pattern_groups
from transforms.patterns import vocabulary_patterns
from transforms.vocab import Vocabulary, cached_vocabulary


@dataclass
class Enriched:
    articles: pl.DataFrame
    topics: pl.DataFrame
    entities: pl.DataFrame
    # article_id, sent_idx, score, label (lexicon), sentiment, sentiment_label (not stored in the warehouse)
    sentences: pl.DataFrame


def _defaults(frame: pl.DataFrame) -> pl.DataFrame:
    missing = {"published_at": pl.Datetime("us", "UTC"), "title": pl.String, "url": pl.String}
    return frame.with_columns(
        pl.lit(None, dtype=dtype).alias(name) for name, dtype in missing.items() if name not in frame.columns
    )


class _Timings:
    """Seconds per phase, summed over the workers that run it (worker-seconds:
    a worker's time includes what Polars' pool threads do for it)."""

    def __init__(self, into: dict[str, float] | None):
        self.into, self.lock = into, threading.Lock()

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        yield
        if self.into is not None:
            with self.lock:
                self.into[name] = self.into.get(name, 0.0) + time.perf_counter() - start


# Below this many articles per worker, splitting the batch costs more than it saves.
MIN_PER_WORKER = 500
# Articles enriched start to finish in one go, at most. Their intermediate
# tables (about 900 text units and 150 phrase hits per 800-word article)
# then stay in memory the process has touched before: on the 2-core VMs
# this project is measured on, fresh pages cost about as much as the work
# done on them (0.58 s to fill 320 MB the first time, 0.055 s after).
# 20,000 articles took 0.99 ms of CPU each in two slices, 0.65-0.67 in
# pieces of 2,000; pieces of 500 pay more in per-query overhead (0.79).
PIECE = 2_000


@dataclass
class _Piece:
    done: Enriched
    sketched: pl.Series      # article_id of each row of `sketch`
    sketch: np.ndarray       # transforms.dedup.article_sketches


def enrich_frame(frame: pl.DataFrame, vocab: Vocabulary | None = None,
                 patterns: pl.DataFrame | None = None, timings: dict[str, float] | None = None,
                 models: tuple[LinearModel, LinearModel, LinearModel] | None = None,
                 trust_lang: bool = False, workers: int | None = None, piece: int | None = None) -> Enriched:
    """`timings`, if given, accumulates worker-seconds per phase (for the
    benchmark); `models` (sentiment, polarity, topics) default to the
    shipped ones in models/. `trust_lang`: a `lang` in the input is the
    caller's word, not a page's hint; detection then only fills the missing
    ones.

    Everything but near-duplicate detection is per article, so the batch
    is cut into pieces of at most `piece` (default PIECE) articles, each
    enriched start to finish by one of `workers` threads (default: Polars'
    thread count): a string expression over one column runs on one core,
    and the compiled loops and libraries below release the GIL.
    Near-duplicates compare the whole batch at the end, from sketches each
    piece makes of its own articles."""
    vocab = vocab or cached_vocabulary()
    models = models or (cached_model("sentiment"), cached_model("polarity"), cached_model("topics"))
    groups = pattern_groups(patterns if patterns is not None else vocabulary_patterns(vocab))
    frame = _defaults(frame)
    # In id order, the pieces' own sorted rows, one piece after the other,
    # are the batch's sorted rows: the workers sort, in parallel, what the
    # batch would otherwise sort at the end on one thread. (An id given
    # twice could straddle two pieces: then the batch sorts at the end.)
    in_order = frame["article_id"].is_unique().all()
    if in_order:
        frame = frame.sort("article_id")
    hint = "lang" in frame.columns
    clock = _Timings(timings)
    workers = max(1, min(workers or pl.thread_pool_size(), frame.height // MIN_PER_WORKER))
    # as many pieces for each worker, so that none idles at the end
    rounds = max(1, -(-frame.height // ((piece or PIECE) * workers)))
    size = max(1, -(-frame.height // (rounds * workers)))
    pieces = [frame.slice(i, size) for i in range(0, max(frame.height, 1), size)]

    def one(piece: pl.DataFrame) -> _Piece:
        with clock.stage("language_sentences_units"):
            work, sents, unit_rows = _prepare(piece, hint, trust_lang)
            sketched, sketch = dedup.article_sketches(sents, unit_rows)
        with clock.stage("models_topics_entities_tone"):
            probs = model_scores.model_probabilities(sents, models, unit_rows)
            done = _tag(work.with_columns(pl.lit(None, pl.String).alias("dup_of")), sents, vocab, groups, hint,
                        probs, models, unit_rows)
        with clock.stage("assemble"):
            done = _sorted(done)
        return _Piece(done, sketched, sketch)

    with ThreadPoolExecutor(max_workers=min(workers, len(pieces))) as pool:
        parts = list(pool.map(one, pieces))
    with clock.stage("dedup"):
        copies = dedup.copies(frame, pl.concat([p.sketched for p in parts]),
                              np.concatenate([p.sketch for p in parts]))
    with clock.stage("assemble"):
        articles = pl.concat([p.done.articles for p in parts])
        # dup_of where the placeholder was: the columns keep their order
        articles = articles.drop("dup_of").join(copies, on="article_id", how="left",
                                                maintain_order="left").select(articles.columns)
        done = Enriched(articles=articles, topics=pl.concat([p.done.topics for p in parts]),
                        entities=pl.concat([p.done.entities for p in parts]),
                        sentences=pl.concat([p.done.sentences for p in parts]))
        return done if in_order else _sorted(done)


def _sorted(done: Enriched) -> Enriched:
    return Enriched(articles=done.articles.sort("article_id"), topics=done.topics.sort("article_id", "topic_id"),
                    entities=done.entities.sort("article_id", "entity_id"),
                    sentences=done.sentences.sort("article_id", "sent_idx"))


def _prepare(frame: pl.DataFrame, hint: bool, trust_lang: bool) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Language; sentence rows with their word forms, word counts and
    passages (transforms.topics.with_passages); hashed units."""
    work = language.with_language(frame.rename({"lang": "lang_hint"}) if hint else frame, "text",
                                  "lang_hint" if hint else None, trust_hint=trust_lang)
    # one language's sentences, and so its text units, in one run: the
    # models and phrase matching, which work a language at a time, slice
    work = work.sort("lang", maintain_order=True, nulls_last=True)
    sents = segment.with_word_forms(sentences.split_sentences(work), "sentence")
    per_article = sents.group_by("article_id").agg(pl.col("word_count").sum().alias("word_count"))
    work = work.join(per_article, on="article_id", how="left").with_columns(pl.col("word_count").fill_null(0))
    # cut and hashed once: near-duplicates, the trained models and phrase matching read the same units
    return work, topics.with_passages(sents), units(sents)


def _tag(work: pl.DataFrame, sents: pl.DataFrame, vocab: Vocabulary, patterns: list[PatternGroup],
         hint: bool, probabilities: list[pl.LazyFrame], models: tuple[LinearModel, ...],
         unit_rows: pl.DataFrame | None = None) -> Enriched:

    # Inside, an article is a number, not its id string: the group-bys and
    # joins over a million hits hash an integer instead of a string per row.
    ids = article_names(work["article_id"])
    codes = pl.Series(np.arange(ids.len(), dtype=np.uint32))
    # (lazily: on an empty DataFrame, Polars 2.1 leaves the column as it was)
    coded = pl.col("article_id").replace_strict(ids, codes, return_dtype=pl.UInt32)
    work, sents = (f.lazy().with_columns(coded).collect(engine=ENGINE) for f in (work, sents))
    three, two, probs = probabilities
    probs = probs.with_columns(coded)
    named = pl.col("article_id").replace_strict(codes, ids, return_dtype=pl.String)
    entity_types = pl.DataFrame({"target_id": [e.id for e in vocab.gazetteer.entities],
                                 "class": [e.type for e in vocab.gazetteer.entities]})
    # Each step reads the hits several times: materialize them between steps so
    # the Aho-Corasick scan runs once, not once per reference.
    hits = match(sents.lazy(), patterns, {"word": "words", "substring": "dense"}, key="sid",
                 units=unit_rows).collect(engine=ENGINE).lazy()
    hits = drop_nested(hits, "entity", entity_types, key="sid").collect(engine=ENGINE).lazy()
    hit_rows = _with_sentences(drop_inside(hits, "negator", "non_negation", key="sid").collect(engine=ENGINE), sents)
    hits = hit_rows.lazy()
    passages = sents.select("sid", "article_id", "lang", "word_count", "passage", "straddling")

    scores = sentiment.sentence_scores(sents.lazy(), hits).collect(engine=ENGINE).lazy()
    feel = model_scores.sentence_sentiment(sents.lazy(), three, two, scores, models[0]).collect(engine=ENGINE).lazy()
    by_article = model_scores.article_sentiment(sents.lazy(), feel).collect(engine=ENGINE).lazy()
    probs = probs.drop("lang").collect(engine=ENGINE).lazy()  # joined twice in the topic gate
    target_scores = feel.select("sid", pl.col("sentiment").alias("score")).collect(engine=ENGINE)
    lazy = work.lazy()
    topic_rows = (
        topics.article_topics(hit_rows, work, vocab.taxonomy, target_scores, probs, model_scores.TARGET_BAND,
                              passages).lazy()
        # a root the classifier tagged without a phrase carries the article's feeling
        .join(by_article.select("article_id", pl.col("sentiment").alias("_a"),
                                pl.col("sentiment_label").alias("_al")), on="article_id", how="left")
        .with_columns(pl.when(pl.col("sentiment").is_null()).then(pl.col("_a")).otherwise(pl.col("sentiment"))
                      .alias("sentiment"),
                      pl.when(pl.col("sentiment_label").is_null()).then(pl.col("_al"))
                      .otherwise(pl.col("sentiment_label")).alias("sentiment_label"))
        .drop("_a", "_al").collect(engine=ENGINE)
    )
    entity_rows = entities.article_entities(hit_rows, target_scores, model_scores.TARGET_BAND,
                                            entity_types["target_id"].to_list())
    articles = (
        sentiment.tone_columns(lazy, sents.lazy(), scores)
        .join(by_article, on="article_id", how="left")
        .join(opinion.first_person_counts(hits), on="article_id", how="left")
        .with_columns(opinion.opinion_columns())
        .drop("first_person", *(["lang_hint"] if hint else []))
        .with_columns(pl.lit(vocab.taxonomy_version).alias("taxonomy_version"),
                      pl.lit(vocab.lexicon_version).alias("lexicon_version"))
        .collect(engine=ENGINE)
    )
    sentence_rows = (
        sents.select("sid", "article_id", "sent_idx").join(scores.collect(engine=ENGINE), on="sid")
        .join(feel.collect(engine=ENGINE), on="sid")
        .select("article_id", "sent_idx", "score", sentiment.label(pl.col("score")).alias("label"),
                "sentiment", "sentiment_label"))
    articles, topic_rows, entity_rows, sentence_rows = (
        f.lazy().with_columns(named).collect(engine=ENGINE) for f in (articles, topic_rows, entity_rows, sentence_rows))
    # in no order: enrich_frame sorts the pieces' rows together
    return Enriched(articles=articles, topics=topic_rows, entities=entity_rows, sentences=sentence_rows)


def article_names(ids: pl.Series) -> pl.Series:
    """The article ids of a piece in the order of their integer codes inside
    the tagging step (code i names the i-th): their sorted distinct values,
    so that what a tuning script captures there can be named again."""
    return ids.unique().sort()


def _with_sentences(hits: pl.DataFrame, sents: pl.DataFrame) -> pl.DataFrame:
    """`hits` with the article_id and sent_idx of their sentence. A piece's
    sids are consecutive (split_sentences numbers them from 0), so each
    hit's sentence is a row number: a gather, not a join."""
    sid = sents["sid"].to_numpy()
    if not sid.size or not np.array_equal(sid, np.arange(sid[0], sid[0] + sid.size)):
        return hits.join(sents.select("sid", "article_id", "sent_idx"), on="sid")
    at = pl.Series(hits["sid"].to_numpy() - sid[0])
    return hits.with_columns(sents["article_id"].gather(at), sents["sent_idx"].gather(at))


def write_enriched(result: Enriched, out_dir: Path) -> dict[str, str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    # sentences: per-sentence tone score and mediamon sentiment, for drill-down
    for name in ("articles", "topics", "entities", "sentences"):
        path = out_dir / f"{name}.parquet"
        getattr(result, name).write_parquet(path)
        paths[name] = str(path)
    return paths
