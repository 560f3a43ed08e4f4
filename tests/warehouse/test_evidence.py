"""Why a score is what it is: the stored sentences explain every entity and topic sentiment."""
from __future__ import annotations

import shutil

import duckdb
import polars as pl
import pytest

from transforms.enrich import enrich_frame
from transforms.vocab import cached_vocabulary
from warehouse.db import migrate
from warehouse.evidence import refresh, sentence_evidence


@pytest.fixture(scope="module")
def con(demo_data_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("ev") / "w.duckdb"
    shutil.copy(demo_data_dir / "warehouse" / "mediamon.duckdb", path)
    c = duckdb.connect(str(path))
    migrate(c)
    c.execute("CREATE TEMP VIEW b_articles AS SELECT * FROM articles")  # as the load registers its batch
    c.execute("BEGIN")
    refresh(c, cached_vocabulary())
    c.execute("COMMIT")
    yield c
    c.close()


@pytest.mark.parametrize("kind, table", [("entity", "article_entities"), ("topic", "article_topics")])
def test_the_sentences_average_to_the_stored_sentiment(con, kind, table):
    rows = con.execute(f"""
        SELECT t.article_id, t.{kind}_id, t.sentiment, AVG(v.sentence_score), COUNT(v.sent_idx)
        FROM {table} t
        LEFT JOIN {kind}_evidence v USING (article_id, {kind}_id)
        WHERE t.sentiment IS NOT NULL GROUP BY ALL""").fetchall()
    assert len(rows) > 200
    unexplained = [r for r in rows if r[4] == 0 or abs(r[3] - r[2]) > 0.0015]  # enrich rounds to 3 places
    if kind == "topic":
        # a root only the topic classifier found names no sentence: it carries the whole article's sentiment
        whole = dict(con.execute("SELECT article_id, sentiment FROM articles").fetchall())
        unexplained = [r for r in unexplained if not (r[4] == 0 and abs(whole[r[0]] - r[2]) <= 0.0015)]
    assert unexplained == []


def test_evidence_names_its_cues():
    frame = pl.DataFrame({"article_id": ["n1"], "title": ["Tencent results"], "lang": ["en"],
                          "text": ["Tencent is not strong this quarter. Analysts praised Tencent for its very strong cloud unit."]})
    rows, targets = sentence_evidence(frame, cached_vocabulary())
    by_idx = {r["sent_idx"]: r for r in rows.to_dicts()}
    assert by_idx[1]["score"] < 0 and by_idx[1]["label"] == "negative"
    assert "+strong" in by_idx[1]["cues"] and "not (negator)" in by_idx[1]["cues"]
    assert by_idx[2]["score"] > 0 and "very (intensifier)" in by_idx[2]["cues"]
    assert {(r["sent_idx"], r["target_id"]) for r in targets.to_dicts() if r["kind"] == "entity"} >= {
        (0, "tencent"), (1, "tencent"), (2, "tencent")}
    # and the enrichment agrees on the roll-up
    enriched = enrich_frame(frame, cached_vocabulary()).entities.filter(pl.col("entity_id") == "tencent")
    assert enriched["sentiment"][0] == pytest.approx(rows["score"].mean(), abs=1e-3)


def test_refresh_replaces_and_forgets(con):
    before = con.execute("SELECT COUNT(*) FROM article_sentences").fetchone()[0]
    one = con.execute("SELECT article_id FROM articles ORDER BY article_id LIMIT 1").fetchone()[0]
    con.execute("BEGIN")
    refresh(con, cached_vocabulary())  # the same batch again: nothing doubles
    assert con.execute("SELECT COUNT(*) FROM article_sentences").fetchone()[0] == before
    con.execute("DELETE FROM article_entities WHERE article_id = ?", [one])
    con.execute("DELETE FROM article_topics WHERE article_id = ?", [one])
    con.execute("DELETE FROM articles WHERE article_id = ?", [one])
    con.execute("CREATE OR REPLACE TEMP VIEW b_none AS SELECT * FROM articles WHERE FALSE")
    refresh(con, cached_vocabulary(), "b_none")  # an article the reload dropped loses its evidence
    assert con.execute("SELECT COUNT(*) FROM article_sentences WHERE article_id = ?", [one]).fetchone()[0] == 0
    con.execute("ROLLBACK")
