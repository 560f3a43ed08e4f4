"""Loading into a real DuckDB file: idempotent, atomic, queryable."""
from __future__ import annotations

from datetime import date, datetime, timezone

import polars as pl
import pytest

from warehouse.db import connect
from warehouse.load import Batch, load_batch

UTC = timezone.utc


def article(aid: str, **kw) -> dict:
    base = {
        "article_id": aid, "url": f"https://example.org/{aid}", "source_id": "ex", "title": f"T {aid}",
        "text": "body " * 50, "author": None, "lang": "en",
        "published_at": datetime(2026, 11, 20, 9, tzinfo=UTC), "published_from": "html",
        "fetched_at": datetime(2026, 11, 25, 1, tzinfo=UTC), "tone": 1.5, "positive": 3.0,
        "negative": 1.5, "polarity": 4.5, "word_count": 50, "dup_of": None, "content_sha256": "x",
        "taxonomy_version": "test-1", "lexicon_version": "v", "is_opinion": False, "opinion_score": 0.0,
        "sentiment": 0.2, "sentiment_label": "positive",
    }
    return {**base, **kw}


def batch(arts, topics=None, quarantine=None) -> Batch:
    return Batch(
        day=date(2026, 11, 25),
        articles=pl.DataFrame(arts),
        topics=topics if topics is not None else pl.DataFrame(
            {"article_id": ["a"], "topic_id": ["ai"], "hits": [3], "score": [60.0], "is_direct": [True],
             "sentiment": [0.5], "sentiment_label": ["positive"]}),
        entities=pl.DataFrame({"article_id": ["a"], "entity_id": ["deepseek"], "mentions": [2], "first_sentence": [0],
                               "sentiment": [1.0], "sentiment_label": ["positive"]}),
        quarantine=quarantine if quarantine is not None else pl.DataFrame(
            {"record_id": ["q1"], "stage": ["validate"], "source_id": ["ex"], "url": ["https://example.org/q1"],
             "reasons": [["empty_text"]], "payload": ["{}"]}),
        crawl_runs=[{"source_id": "ex", "requests": 4, "responses": 4, "responses_by_status": {"200": 3, "404": 1},
                     "items": 4, "articles": 3, "bytes": 1000, "elapsed_s": 1.2,
                     "errors_by_kind": {"http_4xx": 1}, "finish_reason": "finished",
                     "started_at": "2026-11-25 01:00:00+00:00", "finished_at": "2026-11-25 01:00:02+00:00"}],
        dq_results=pl.DataFrame({"run_id": ["r"], "suite": ["articles"], "expectation": ["e"], "column_name": ["text"],
                                 "reason": ["empty_text"], "success": [False], "unexpected_count": [1],
                                 "observed_value": ["null"], "checked_at": [datetime.now(UTC)]}),
    )


def snapshot(path):
    con = connect(path, read_only=True)
    try:
        # when a row was (re)written is not part of what it says
        stamp = {"articles": "loaded_at", "quarantine": "quarantined_at"}
        return {t: con.execute(f"SELECT * EXCLUDE ({stamp[t]}) FROM {t} ORDER BY ALL" if t in stamp
                               else f"SELECT * FROM {t} ORDER BY ALL").fetchall()
                for t in ("articles", "article_topics", "article_entities", "quarantine", "crawl_runs")}
    finally:
        con.close()


def test_loading_the_same_batch_twice_changes_nothing(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    b = batch([article("a"), article("b", dup_of="a")])
    load_batch(b, test_vocab, db)
    first = snapshot(db)
    load_batch(b, test_vocab, db)
    assert snapshot(db) == first
    assert len(first["articles"]) == 2 and len(first["quarantine"]) == 1


def test_reload_updates_content_but_keeps_first_seen(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    load_batch(batch([article("a")]), test_vocab, db)
    later = datetime(2026, 11, 26, 1, tzinfo=UTC)
    load_batch(batch([article("a", title="Corrected", fetched_at=later)]), test_vocab, db)
    con = connect(db, read_only=True)
    title, fetched = con.execute("SELECT title, fetched_at FROM articles").fetchone()
    assert title == "Corrected" and fetched.astimezone(UTC).day == 25


def test_reloading_a_date_replaces_what_it_brought(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    load_batch(batch([article("a"), article("b")]), test_vocab, db)
    # b was fixed upstream to be quarantined this time; the date now holds only a
    quarantine = pl.DataFrame({"record_id": ["b"], "stage": ["validate"], "source_id": ["ex"],
                               "url": ["https://example.org/b"], "reasons": [["future_date"]], "payload": ["{}"]})
    load_batch(batch([article("a")], quarantine=quarantine), test_vocab, db)
    con = connect(db, read_only=True)
    assert con.execute("SELECT article_id FROM articles").fetchall() == [("a",)]
    assert con.execute("SELECT record_id FROM quarantine").fetchall() == [("b",)]


def test_conservation_is_enforced(tmp_path, test_vocab):
    from warehouse.load import ConservationError

    ledger = pl.DataFrame({"source_id": ["ex"], "records": [5], "skipped_duplicates": [0]})
    b = batch([article("a"), article("b")])
    b.ledger = ledger  # 5 read, 2 loaded + 1 quarantined: 2 records unaccounted for
    with pytest.raises(ConservationError, match="unaccounted"):
        load_batch(b, test_vocab, db := tmp_path / "w.duckdb")
    assert not db.exists() or connect(db, read_only=True).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    b.ledger = ledger.with_columns(pl.lit(3).alias("records"))
    load_batch(b, test_vocab, db)
    con = connect(db, read_only=True)
    assert con.execute("SELECT records, loaded, quarantined FROM partition_counts").fetchall() == [(3, 2, 1)]


def test_a_failing_load_leaves_nothing(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    bad_topics = pl.DataFrame({"article_id": ["a"], "topic_id": [None], "hits": [1], "score": [1.0],
                               "is_direct": [True], "sentiment": [0.0], "sentiment_label": ["neutral"]},
                              schema_overrides={"topic_id": pl.String})  # topic_id is NOT NULL in the schema
    with pytest.raises(Exception):
        load_batch(batch([article("a")], topics=bad_topics), test_vocab, db)
    assert not db.exists()  # the first load failed: no warehouse, not an empty or half one
    load_batch(batch([article("a")]), test_vocab, db)
    before = snapshot(db)
    with pytest.raises(Exception):
        load_batch(batch([article("a"), article("b")], topics=bad_topics), test_vocab, db)
    assert snapshot(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".w.duckdb.writer.lock", "w.duckdb"]  # no copy left over


def test_duplicate_ids_in_one_batch_are_refused(tmp_path, test_vocab):
    with pytest.raises(ValueError, match="duplicate article_id"):
        load_batch(batch([article("a"), article("a")]), test_vocab, tmp_path / "w.duckdb")


def test_views_answer_trend_queries(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    load_batch(batch([article("a"), article("b", dup_of="a")]), test_vocab, db)
    con = connect(db, read_only=True)
    # the near-copy b is not counted twice
    assert con.execute("SELECT topic_id, articles FROM daily_topic_volume").fetchall() == [("ai", 1)]
    assert con.execute("SELECT entity_id, mentions FROM entity_mentions").fetchall() == [("deepseek", 2)]
    assert con.execute("SELECT entity_id, avg_sentiment, positive_articles FROM entity_sentiment").fetchall() == [
        ("deepseek", 1.0, 1)]
    assert con.execute("SELECT source_id, share_pct FROM share_of_voice").fetchall() == [("ex", 100.0)]
    assert con.execute("SELECT responses_by_status['404'] FROM crawl_runs").fetchone()[0] == 1
    names = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"daily_topic_volume", "entity_mentions", "sentiment_by_topic", "share_of_voice", "topic_spikes",
            "entity_sentiment", "topic_sentiment"} <= names
