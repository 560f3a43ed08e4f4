"""Load one partition into DuckDB in a single transaction.

Upserts by key, so loading the same date twice leaves the same rows; any
error rolls the whole partition back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import polars as pl

from transforms.vocab import Vocabulary
from warehouse import aggregates, evidence
from warehouse.writer import writing

ARTICLE_COLUMNS = [
    "article_id", "url", "source_id", "title", "text", "author", "lang", "published_at",
    "published_from", "fetched_at", "crawl_date", "tone", "positive", "negative", "polarity",
    "word_count", "dup_of", "content_sha256", "taxonomy_version", "lexicon_version", "loaded_at",
    "is_opinion", "opinion_score", "sentiment", "sentiment_label", "degraded",
]
TOPIC_COLUMNS = ["article_id", "topic_id", "hits", "score", "is_direct", "sentiment", "sentiment_label"]
ENTITY_COLUMNS = ["article_id", "entity_id", "mentions", "first_sentence", "sentiment", "sentiment_label"]
# Kept from the first load: when we first saw it is a fact a rerun must not rewrite.
_FIRST_SEEN = {"article_id", "fetched_at", "crawl_date", "loaded_at"}


@dataclass
class Batch:
    day: date
    articles: pl.DataFrame
    topics: pl.DataFrame
    entities: pl.DataFrame
    quarantine: pl.DataFrame
    crawl_runs: list[dict]
    dq_results: pl.DataFrame
    ledger: pl.DataFrame | None = None  # source_id, records, skipped_duplicates (from extract)
    health: pl.DataFrame | None = None  # quality.health.HEALTH_SCHEMA: per source and check


class ConservationError(RuntimeError):
    """Records were read that are neither loaded nor quarantined nor skipped."""


def partition_counts(batch: Batch, now: datetime) -> pl.DataFrame:
    loaded = batch.articles.group_by("source_id").agg(pl.len().cast(pl.Int64).alias("loaded"))
    quarantined = batch.quarantine.group_by("source_id").agg(pl.len().cast(pl.Int64).alias("quarantined"))
    # every source crawled gets its row, so a day with nothing from it shows as 0s, not as nothing
    crawled = pl.DataFrame({"source_id": [s["source_id"] for s in batch.crawl_runs]}, schema={"source_id": pl.String})
    counts = (
        batch.ledger.join(crawled, on="source_id", how="full", coalesce=True)
        .join(loaded, on="source_id", how="full", coalesce=True)
        .join(quarantined, on="source_id", how="full", coalesce=True)
        .with_columns(pl.col("records", "loaded", "quarantined", "skipped_duplicates").fill_null(0))
        .select(pl.lit(batch.day).alias("crawl_date"), "source_id", "records", "loaded", "quarantined",
                "skipped_duplicates", pl.lit(now).alias("counted_at"))
        .sort("source_id")
    )
    broken = counts.filter(pl.col("records") != pl.col("loaded") + pl.col("quarantined") + pl.col("skipped_duplicates"))
    if broken.height:
        raise ConservationError(f"records unaccounted for: {broken.drop('counted_at').to_dicts()}")
    return counts


def _articles(batch: Batch, now: datetime) -> pl.DataFrame:
    # Duplicate keys inside one upsert are resolved silently by DuckDB: refuse them.
    dupes = batch.articles.filter(pl.col("article_id").is_duplicated())
    if dupes.height:
        raise ValueError(f"duplicate article_id in batch: {dupes['article_id'].unique().to_list()[:5]}")
    arts = batch.articles if "degraded" in batch.articles.columns else \
        batch.articles.with_columns(pl.lit(False).alias("degraded"))
    return arts.with_columns(
        pl.lit(batch.day).alias("crawl_date"), pl.lit(now).alias("loaded_at")
    ).select(ARTICLE_COLUMNS)


def _crawl_runs(batch: Batch) -> pl.DataFrame:
    rows = [{
        "crawl_date": batch.day, "source_id": s["source_id"], "requests": s.get("requests", 0),
        "responses": s.get("responses", 0),
        "responses_by_status": [{"key": str(k), "value": int(v)} for k, v in s.get("responses_by_status", {}).items()],
        "items": s.get("items", 0), "articles": s.get("articles", 0), "bytes": s.get("bytes", 0),
        "duration_s": float(s.get("elapsed_s") or 0.0),
        "errors_by_kind": [{"key": str(k), "value": int(v)} for k, v in s.get("errors_by_kind", {}).items()],
        "finish_reason": s.get("finish_reason"),
        "started_at": s.get("started_at") or None, "finished_at": s.get("finished_at") or None,
        "not_modified": s.get("not_modified", 0), "skipped_known": s.get("skipped_known", 0),
        "skipped_duplicate_url": s.get("skipped_duplicate_url", 0),
        "skipped_outside_window": s.get("skipped_outside_window", 0),
        "refetched_pending": s.get("refetched_pending", 0),
    } for s in batch.crawl_runs]
    kv = pl.List(pl.Struct({"key": pl.String, "value": pl.Int64}))
    return pl.DataFrame(rows, schema={
        "crawl_date": pl.Date, "source_id": pl.String, "requests": pl.Int64, "responses": pl.Int64,
        "responses_by_status": kv, "items": pl.Int64, "articles": pl.Int64, "bytes": pl.Int64,
        "duration_s": pl.Float64, "errors_by_kind": kv, "finish_reason": pl.String,
        "started_at": pl.String, "finished_at": pl.String,
        "not_modified": pl.Int64, "skipped_known": pl.Int64, "skipped_duplicate_url": pl.Int64,
        "skipped_outside_window": pl.Int64, "refetched_pending": pl.Int64,
    })


def load_batch(batch: Batch, vocab: Vocabulary, path: Path | None = None,
               wait_s: float | None = None) -> dict[str, int]:
    now = datetime.now(timezone.utc)
    arts = _articles(batch, now)
    quarantine = batch.quarantine.with_columns(
        pl.lit(batch.day).alias("crawl_date"), pl.lit(now).alias("quarantined_at")
    ).unique(["record_id", "stage"], keep="last")
    topics_dim = pl.DataFrame([
        {"topic_id": t.id, "name": t.name, "parent_id": t.parent, "taxonomy_version": vocab.taxonomy_version}
        for t in vocab.taxonomy.topics
    ])
    entities_dim = pl.DataFrame([{"entity_id": e.id, "name": e.name, "type": e.type}
                                 for e in vocab.gazetteer.entities])
    runs = _crawl_runs(batch)
    dq = batch.dq_results.with_columns(pl.lit(batch.day).alias("crawl_date"))
    counts = partition_counts(batch, now) if batch.ledger is not None else None

    with writing(path, purpose=f"load of {batch.day}", wait_s=wait_s) as con:
        for name, frame in [("b_articles", arts), ("b_topics", batch.topics), ("b_entities", batch.entities),
                            ("b_quarantine", quarantine), ("b_topics_dim", topics_dim),
                            ("b_entities_dim", entities_dim), ("b_runs", runs), ("b_dq", dq)]:
            con.register(name, frame.to_arrow())
        if counts is not None:
            con.register("b_counts", counts.to_arrow())
        if batch.health is not None:
            con.register("b_health", batch.health.with_columns(pl.lit(batch.day).alias("crawl_date")).to_arrow())
        update = ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_COLUMNS if c not in _FIRST_SEEN)
        con.execute("BEGIN")
        try:
            # Reprocessing a date replaces what that date first brought in.
            gone = ("SELECT article_id FROM articles WHERE crawl_date = ? "
                    "AND article_id NOT IN (SELECT article_id FROM b_articles)")
            for table in ("article_topics", "article_entities", "articles"):
                con.execute(f"DELETE FROM {table} WHERE article_id IN ({gone})", [batch.day])
            con.execute(f"INSERT INTO articles BY NAME SELECT * FROM b_articles "
                        f"ON CONFLICT (article_id) DO UPDATE SET {update}")
            con.execute("DELETE FROM article_topics WHERE article_id IN (SELECT article_id FROM b_articles)")
            con.execute(f"INSERT INTO article_topics BY NAME SELECT {', '.join(TOPIC_COLUMNS)} "
                        "FROM b_topics WHERE article_id IN (SELECT article_id FROM b_articles)")
            con.execute("DELETE FROM article_entities WHERE article_id IN (SELECT article_id FROM b_articles)")
            con.execute(f"INSERT INTO article_entities BY NAME SELECT {', '.join(ENTITY_COLUMNS)} "
                        "FROM b_entities WHERE article_id IN (SELECT article_id FROM b_articles)")
            evidence.refresh(con, vocab)      # the sentences behind each entity and topic score
            aggregates.refresh_load(con)      # the daily counts the trend views and spikes read
            con.execute("INSERT OR REPLACE INTO topics SELECT * FROM b_topics_dim")
            con.execute("INSERT OR REPLACE INTO entities SELECT * FROM b_entities_dim")
            # The date's quarantine is replaced whole: a record fixed since the
            # last run of this date must not stay listed as rejected.
            con.execute("DELETE FROM quarantine WHERE crawl_date = ?", [batch.day])
            con.execute("""
                INSERT INTO quarantine BY NAME
                SELECT record_id, stage, source_id, url, reasons, payload, crawl_date, quarantined_at FROM b_quarantine""")
            con.execute("""
                INSERT OR REPLACE INTO crawl_runs BY NAME
                SELECT * REPLACE (map_from_entries(responses_by_status) AS responses_by_status,
                                  map_from_entries(errors_by_kind) AS errors_by_kind,
                                  CAST(started_at AS TIMESTAMPTZ) AS started_at,
                                  CAST(finished_at AS TIMESTAMPTZ) AS finished_at)
                FROM b_runs""")
            con.execute("DELETE FROM dq_results WHERE crawl_date = ?", [batch.day])
            con.execute("""INSERT INTO dq_results BY NAME SELECT crawl_date, run_id, suite, expectation,
                           column_name, reason, success, unexpected_count, observed_value, checked_at FROM b_dq""")
            if counts is not None:
                con.execute("INSERT OR REPLACE INTO partition_counts BY NAME SELECT * FROM b_counts")
            if batch.health is not None:
                con.execute("DELETE FROM source_health WHERE crawl_date = ?", [batch.day])
                con.execute("INSERT INTO source_health BY NAME SELECT * FROM b_health")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return {
        "articles": arts.height, "topics": batch.topics.height, "entities": batch.entities.height,
        "quarantined": quarantine.height,
    }
