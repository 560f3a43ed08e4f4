"""Enrichment: language -> sentences -> word forms -> dedup -> matching ->
sentence sentiment -> topics / entities / tone / opinion.

Input: one row per article with article_id, title, text (optionally lang,
url, published_at). Output: the article rows with enrichment columns, the long
article_topics and article_entities tables, and per-sentence scores."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from transforms import dedup, entities, language, model_scores, opinion, segment, sentences, sentiment, topics
from transforms.feature_keys import units
from transforms.linear import LinearModel, cached_model
from transforms.matching import drop_inside, drop_nested, match
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


@contextmanager
def _stage(timings: dict[str, float] | None, name: str):
    start = time.perf_counter()
    yield
    if timings is not None:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


# Below this many articles per worker, splitting the batch costs more than it saves.
MIN_PER_WORKER = 500


@dataclass
class _Part:
    work: pl.DataFrame
    sents: pl.DataFrame
    units: pl.DataFrame
    sketched: pl.Series      # article_id of each row of `sketch`
    sketch: np.ndarray       # transforms.dedup.article_sketches


def enrich_frame(frame: pl.DataFrame, vocab: Vocabulary | None = None,
                 patterns: pl.DataFrame | None = None, timings: dict[str, float] | None = None,
                 models: tuple[LinearModel, LinearModel, LinearModel] | None = None,
                 trust_lang: bool = False, workers: int | None = None) -> Enriched:
    """`timings`, if given, accumulates seconds per phase (for the benchmark);
    `models` (sentiment, polarity, topics) default to the shipped ones in models/.
    `trust_lang`: a `lang` in the input is the caller's word, not a page's
    hint; detection then only fills the missing ones.

    Everything but near-duplicate detection is per article, so a large batch
    is cut into `workers` slices (default: Polars' thread count) enriched in
    threads: a string expression over one column runs on one core, and the
    libraries below release the GIL. Near-duplicates compare the whole
    batch, from sketches each slice makes of its own articles."""
    vocab = vocab or cached_vocabulary()
    models = models or (cached_model("sentiment"), cached_model("polarity"), cached_model("topics"))
    patterns = patterns if patterns is not None else vocabulary_patterns(vocab)
    frame = _defaults(frame)
    hint = "lang" in frame.columns
    workers = max(1, min(workers or pl.thread_pool_size(), frame.height // MIN_PER_WORKER))
    size = -(-frame.height // workers) if frame.height else 1
    slices = [frame.slice(i, size) for i in range(0, max(frame.height, 1), size)]
    with ThreadPoolExecutor(max_workers=len(slices)) as pool:
        with _stage(timings, "language_sentences_units"):
            parts = _renumbered(list(pool.map(lambda part: _prepare(part, hint, trust_lang), slices)))
        with _stage(timings, "dedup"):
            copies = dedup.copies(pl.concat([p.work for p in parts]), pl.concat([p.sketched for p in parts]),
                                  np.concatenate([p.sketch for p in parts]))
        with _stage(timings, "models_topics_entities_tone"):
            done = list(pool.map(lambda p: _tag(p.work.join(copies, on="article_id", how="left"), p.sents, vocab,
                                                patterns, hint, model_scores.model_probabilities(
                                                    p.sents, models, p.units), models, p.units), parts))
    return Enriched(articles=pl.concat([d.articles for d in done]).sort("article_id"),
                    topics=pl.concat([d.topics for d in done]).sort("article_id", "topic_id"),
                    entities=pl.concat([d.entities for d in done]).sort("article_id", "entity_id"),
                    sentences=pl.concat([d.sentences for d in done]).sort("article_id", "sent_idx"))


def _prepare(frame: pl.DataFrame, hint: bool, trust_lang: bool) -> _Part:
    """Language, sentence rows with their word forms and word counts, hashed units."""
    work = language.with_language(frame.rename({"lang": "lang_hint"}) if hint else frame, "text",
                                  "lang_hint" if hint else None, trust_hint=trust_lang)
    sents = segment.with_word_forms(sentences.split_sentences(work), "sentence")
    per_article = sents.group_by("article_id").agg(pl.col("word_count").sum().alias("word_count"))
    work = work.join(per_article, on="article_id", how="left").with_columns(pl.col("word_count").fill_null(0))
    # cut and hashed once: near-duplicates and the trained models read the same units
    unit_rows = units(sents)
    return _Part(work, sents, unit_rows, *dedup.article_sketches(sents, unit_rows))


def _renumbered(parts: list[_Part]) -> list[_Part]:
    """Sentence ids unique across the slices (each slice numbered its own
    from 0), and the passages of each sentence in both tilings
    (transforms.topics.with_passages), named by such an id."""
    out, offset = [], 0
    for p in parts:
        shift = pl.col("sid") + offset
        sents = topics.with_passages(p.sents.with_columns(shift))
        out.append(_Part(p.work, sents, p.units.with_columns(shift), p.sketched, p.sketch))
        offset += p.sents.height
    return out


def _tag(work: pl.DataFrame, sents: pl.DataFrame, vocab: Vocabulary, patterns: pl.DataFrame,
         hint: bool, probabilities: list[pl.LazyFrame], models: tuple[LinearModel, ...],
         unit_rows: pl.DataFrame | None = None) -> Enriched:

    # Inside, an article is a number, not its id string: the group-bys and
    # joins over a million hits hash an integer instead of a string per row.
    ids = work["article_id"].unique(maintain_order=True)
    codes = pl.Series(np.arange(ids.len(), dtype=np.uint32))
    # (lazily: on an empty DataFrame, Polars 2.1 leaves the column as it was)
    coded = pl.col("article_id").replace_strict(ids, codes, return_dtype=pl.UInt32)
    work, sents = (f.lazy().with_columns(coded).collect() for f in (work, sents))
    three, two, probs = probabilities
    probs = probs.with_columns(coded)
    named = pl.col("article_id").replace_strict(codes, ids, return_dtype=pl.String)
    entity_types = pl.DataFrame({"target_id": [e.id for e in vocab.gazetteer.entities],
                                 "class": [e.type for e in vocab.gazetteer.entities]})
    # Each step reads the hits several times: materialize them between steps so
    # the Aho-Corasick scan runs once, not once per reference.
    hits = match(sents.lazy(), patterns, {"word": "words", "substring": "dense"}, key="sid",
                 units=unit_rows).collect().lazy()
    hits = drop_nested(hits, "entity", entity_types, key="sid").collect().lazy()
    hits = _with_sentences(drop_inside(hits, "negator", "non_negation", key="sid").collect(), sents).lazy()
    passages = sents.lazy().select("sid", "lang", "word_count", "passage", "straddling")

    scores = sentiment.sentence_scores(sents.lazy(), hits).collect().lazy()
    feel = model_scores.sentence_sentiment(sents.lazy(), three, two, scores, models[0]).collect().lazy()
    by_article = model_scores.article_sentiment(sents.lazy(), feel).collect().lazy()
    probs = probs.drop("lang").collect().lazy()  # joined twice in the topic gate
    target_scores = feel.select("sid", pl.col("sentiment").alias("score"))
    lazy = work.lazy()
    topic_rows = (
        topics.article_topics(hits, lazy, vocab.taxonomy, target_scores, probs, model_scores.TARGET_BAND,
                              passages)
        # a root the classifier tagged without a phrase carries the article's feeling
        .join(by_article.select("article_id", pl.col("sentiment").alias("_a"),
                                pl.col("sentiment_label").alias("_al")), on="article_id", how="left")
        .with_columns(pl.when(pl.col("sentiment").is_null()).then(pl.col("_a")).otherwise(pl.col("sentiment"))
                      .alias("sentiment"),
                      pl.when(pl.col("sentiment_label").is_null()).then(pl.col("_al"))
                      .otherwise(pl.col("sentiment_label")).alias("sentiment_label"))
        .drop("_a", "_al").collect()
    )
    entity_rows = entities.article_entities(hits, target_scores, model_scores.TARGET_BAND).collect()
    articles = (
        sentiment.tone_columns(lazy, sents.lazy(), scores)
        .join(by_article, on="article_id", how="left")
        .join(opinion.first_person_counts(hits), on="article_id", how="left")
        .with_columns(opinion.opinion_columns())
        .drop("first_person", *(["lang_hint"] if hint else []))
        .with_columns(pl.lit(vocab.taxonomy_version).alias("taxonomy_version"),
                      pl.lit(vocab.lexicon_version).alias("lexicon_version"))
        .collect()
    )
    sentence_rows = (
        sents.select("sid", "article_id", "sent_idx").join(scores.collect(), on="sid")
        .join(feel.collect(), on="sid")
        .select("article_id", "sent_idx", "score", sentiment.label(pl.col("score")).alias("label"),
                "sentiment", "sentiment_label"))
    articles, topic_rows, entity_rows, sentence_rows = (
        f.lazy().with_columns(named).collect() for f in (articles, topic_rows, entity_rows, sentence_rows))
    return Enriched(
        articles=articles,
        topics=topic_rows.sort("article_id", "topic_id"),
        entities=entity_rows.sort("article_id", "entity_id"),
        sentences=sentence_rows.sort("article_id", "sent_idx"),
    )


def _with_sentences(hits: pl.DataFrame, sents: pl.DataFrame) -> pl.DataFrame:
    """`hits` with the article_id and sent_idx of their sentence. A slice's
    sids are consecutive (split_sentences numbers them, _renumbered shifts
    them), so each hit's sentence is a row number: a gather, not a join."""
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
