"""What the copy-and-swap writer costs against writing the live file in place.

Builds a warehouse of N articles (default 200,000, ~2 KB of text each), then
loads one more day of 1,000 articles ten times: through warehouse.writer (copy,
write, checkpoint, rename: readers never block it) and, as the baseline, on
the live file in place (what the load did before: any open reader blocks it).

    python -m benchmarks.warehouse_write [--articles 200000] [--day-articles 1000]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import polars as pl

import warehouse.load as load_mod
from transforms.vocab import cached_vocabulary
from warehouse.db import migrate
from warehouse.load import Batch, load_batch


def articles(n: int, day: date, offset: int = 0) -> pl.DataFrame:
    ids = pl.int_range(offset, offset + n, eager=True)
    ts = datetime.combine(day, datetime.min.time(), timezone.utc)
    return pl.DataFrame({"i": ids}).select(
        pl.format("a{}", "i").alias("article_id"), pl.format("https://example.org/{}", "i").alias("url"),
        pl.lit("ex").alias("source_id"), pl.format("Title {}", "i").alias("title"),
        pl.format("Body of story {} ", "i").alias("seed"),
        pl.lit(None, pl.String).alias("author"), pl.lit("en").alias("lang"),
        pl.lit(ts).alias("published_at"), pl.lit("html").alias("published_from"),
        pl.lit(ts).alias("fetched_at"), pl.lit(1.0).alias("tone"), pl.lit(2.0).alias("positive"),
        pl.lit(1.0).alias("negative"), pl.lit(3.0).alias("polarity"), pl.lit(350).alias("word_count"),
        pl.lit(None, pl.String).alias("dup_of"), pl.lit("x").alias("content_sha256"),
        pl.lit("t").alias("taxonomy_version"), pl.lit("l").alias("lexicon_version"),
        pl.lit(False).alias("is_opinion"), pl.lit(0.0).alias("opinion_score"),
        pl.lit(0.1).alias("sentiment"), pl.lit("neutral").alias("sentiment_label"),
    ).with_columns((pl.col("seed") + pl.lit("word " * 400)).alias("text")).drop("seed")


def day_batch(day: date, n: int, offset: int) -> Batch:
    arts = articles(n, day, offset)
    empty = pl.DataFrame(schema={"record_id": pl.String, "stage": pl.String, "source_id": pl.String,
                                 "url": pl.String, "reasons": pl.List(pl.String), "payload": pl.String})
    return Batch(
        day=day, articles=arts,
        topics=arts.select("article_id", topic_id=pl.lit("ai"), hits=pl.lit(1), score=pl.lit(1.0),
                           is_direct=pl.lit(True), sentiment=pl.lit(0.1), sentiment_label=pl.lit("neutral")),
        entities=arts.select("article_id", entity_id=pl.lit("deepseek"), mentions=pl.lit(1),
                             first_sentence=pl.lit(0), sentiment=pl.lit(0.1), sentiment_label=pl.lit("neutral")),
        quarantine=empty, crawl_runs=[{"source_id": "ex"}],
        dq_results=pl.DataFrame(schema={"run_id": pl.String, "suite": pl.String, "expectation": pl.String,
                                        "column_name": pl.String, "reason": pl.String, "success": pl.Boolean,
                                        "unexpected_count": pl.Int64, "observed_value": pl.String,
                                        "checked_at": pl.Datetime("us", "UTC")}),
    )


@contextmanager
def in_place(path: Path | None = None, **_):
    con = duckdb.connect(str(path))
    try:
        migrate(con)
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--day-articles", type=int, default=1_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    vocab = cached_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "mediamon.duckdb"
        start = date(2026, 1, 1)
        per_day = max(args.articles // 100, 1)
        t0 = time.perf_counter()
        for k in range(0, args.articles, per_day):  # 100 days of history
            load_batch(day_batch(start + timedelta(days=k // per_day), per_day, k), vocab, db)
        print(f"built {args.articles:,} articles in {time.perf_counter() - t0:.1f} s; "
              f"file {db.stat().st_size / 2**20:.0f} MiB")
        day = start + timedelta(days=200)
        batch = day_batch(day, args.day_articles, 10**9)
        timings = {}
        original = load_mod.writing
        for name, writer in (("in place (baseline)", in_place), ("copy and swap", original)):
            load_mod.writing = writer
            runs = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                load_batch(batch, vocab, db)
                runs.append(time.perf_counter() - t)
            timings[name] = statistics.median(runs)
        load_mod.writing = original
        print(f"file after reruns {db.stat().st_size / 2**20:.0f} MiB")
        base = timings["in place (baseline)"]
        for name, t in timings.items():
            print(f"{name:<22} load of {args.day_articles:,} articles: {t:6.2f} s median of {args.repeats} "
                  f"({args.day_articles / t:,.0f} articles/s, {t / base:.2f}x baseline)")


if __name__ == "__main__":
    main()
