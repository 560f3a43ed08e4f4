"""Enrichment: language -> word forms -> dedup -> topics/entities -> tone.

Input: one row per article with article_id, title, text (and optionally lang,
published_at, ...). Output: the article rows with enrichment columns, plus the
long article_topics and article_entities tables."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from transforms import dedup, entities, language, segment, sentiment, topics
from transforms.matching import drop_nested, match
from transforms.patterns import vocabulary_patterns
from transforms.vocab import Vocabulary, cached_vocabulary

ARTICLE_ENRICHED_COLUMNS = [
    "lang", "word_count", "positive", "negative", "tone", "polarity", "dup_of",
    "taxonomy_version", "lexicon_version",
]


@dataclass
class Enriched:
    articles: pl.DataFrame
    topics: pl.DataFrame
    entities: pl.DataFrame


def enrich_frame(frame: pl.DataFrame, vocab: Vocabulary | None = None,
                 patterns: pl.DataFrame | None = None) -> Enriched:
    vocab = vocab or cached_vocabulary()
    patterns = patterns if patterns is not None else vocabulary_patterns(vocab)
    if "published_at" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Datetime("us", "UTC")).alias("published_at"))
    if "title" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("title"))

    hint = "lang" if "lang" in frame.columns else None
    work = frame.rename({"lang": "lang_hint"}) if hint else frame
    work = language.with_language(work, "text", "lang_hint" if hint else None)
    # The headline counts: it is where an outlet states what the piece is about.
    work = work.with_columns(
        pl.concat_str(pl.col("title").fill_null(""), pl.lit("\n"), pl.col("text").fill_null("")).alias("body")
    )
    zh = vocab.lexicons.get("zh")
    zh_words = tuple(sorted({*zh.positive, *zh.negative, *zh.negators})) if zh else ()
    work = segment.with_word_forms(work, "body", zh_words).with_columns(segment.title_end())
    work = work.with_columns(dedup.dup_of(work))

    lazy = work.lazy()
    hits = match(lazy, patterns, {"word": "words", "substring": "dense"})
    entity_types = pl.DataFrame({"target_id": [e.id for e in vocab.gazetteer.entities],
                                 "class": [e.type for e in vocab.gazetteer.entities]})
    hits = drop_nested(hits, "entity", entity_types).collect().lazy()
    topic_rows = topics.article_topics(hits, lazy, vocab.taxonomy).collect()
    entity_rows = entities.article_entities(hits).collect()
    scored = sentiment.tone_columns(lazy, hits).collect()

    articles = scored.drop("body", "words", "dense", "title_end", *(["lang_hint"] if hint else [])).with_columns(
        pl.lit(vocab.taxonomy_version).alias("taxonomy_version"),
        pl.lit(vocab.lexicon_version).alias("lexicon_version"),
    )
    return Enriched(
        articles=articles,
        topics=topic_rows.sort("article_id", "topic_id"),
        entities=entity_rows.sort("article_id", "entity_id"),
    )


def write_enriched(result: Enriched, out_dir: Path) -> dict[str, str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in ("articles", "topics", "entities"):
        path = out_dir / f"{name}.parquet"
        getattr(result, name).write_parquet(path)
        paths[name] = str(path)
    return paths
