"""The demo newsroom's articles enriched and loaded into a real warehouse,
without crawling: what search relevance and the report are judged on."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from pathlib import Path

import polars as pl

from mediamon.demo.content import load_articles
from transforms.enrich import enrich_frame
from transforms.vocab import cached_vocabulary
from warehouse.load import ARTICLE_COLUMNS, Batch, load_batch

ANCHOR = date(2026, 11, 20)


def demo_id(outlet: str, slug: str) -> str:
    return hashlib.sha256(f"{outlet}/{slug}".encode()).hexdigest()[:16]


def build(path: Path, anchor: date = ANCHOR) -> Path:
    arts = [a for a in load_articles(anchor) if a.broken is None]
    frame = pl.DataFrame({
        "article_id": [demo_id(a.outlet_id, a.slug) for a in arts],
        "title": [a.title for a in arts],
        "text": [a.body.strip() for a in arts],
        "lang": [a.lang for a in arts],
        "url": [f"https://{a.outlet_id}.example{a.path}" for a in arts],
        "published_at": [a.published_at for a in arts],
        "source_id": [a.outlet_id for a in arts],
        "author": [a.author for a in arts],
    }, schema_overrides={"published_at": pl.Datetime("us", "UTC")})
    res = enrich_frame(frame, cached_vocabulary())
    articles = res.articles.with_columns(
        pl.lit("html").alias("published_from"),
        pl.lit(datetime(anchor.year, anchor.month, anchor.day, 6, tzinfo=timezone.utc)).alias("fetched_at"),
        pl.col("article_id").alias("content_sha256"),
        pl.lit(None, dtype=pl.Date).alias("crawl_date"), pl.lit(None, dtype=pl.Datetime("us", "UTC")).alias("loaded_at"),
    )
    articles = articles.select([c for c in ARTICLE_COLUMNS if c not in ("crawl_date", "loaded_at", "degraded")])
    batch = Batch(day=anchor, articles=articles, topics=res.topics, entities=res.entities,
                  quarantine=pl.DataFrame(schema={"record_id": pl.String, "stage": pl.String, "source_id": pl.String,
                                                  "url": pl.String, "reasons": pl.List(pl.String),
                                                  "payload": pl.String}),
                  crawl_runs=[{"source_id": s, "requests": 30, "responses": 30, "responses_by_status": {"200": 30},
                               "items": 30, "articles": 30} for s in ("alwasat", "huaxia", "ledger")],
                  dq_results=pl.DataFrame(schema={"run_id": pl.String, "suite": pl.String, "expectation": pl.String,
                                                  "column_name": pl.String, "reason": pl.String,
                                                  "success": pl.Boolean, "unexpected_count": pl.Int64,
                                                  "observed_value": pl.String,
                                                  "checked_at": pl.Datetime("us", "UTC")}),
                  ledger=articles.group_by("source_id").agg(pl.len().cast(pl.Int64).alias("records"))
                  .with_columns(pl.lit(0, dtype=pl.Int64).alias("skipped_duplicates")))
    load_batch(batch, cached_vocabulary(), path)
    return path
