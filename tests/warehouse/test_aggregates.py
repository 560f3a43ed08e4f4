"""The pre-aggregated daily counts change how fast the views answer, never what they say."""
from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from warehouse.aggregates import refresh, refresh_batch

VIEWS = {
    "daily_volume": "SELECT * FROM daily_volume ORDER BY ALL",
    "weekly_volume": "SELECT * FROM weekly_volume ORDER BY ALL",
    "topic_daily": "SELECT * FROM topic_daily ORDER BY ALL",
    "entity_daily": "SELECT * FROM entity_daily ORDER BY ALL",
    "topic_share_of_voice": "SELECT * FROM topic_share_of_voice ORDER BY ALL",
    "spikes": "SELECT * FROM spikes ORDER BY ALL",
    "volume_zscores": "SELECT * FROM volume_zscores(14) ORDER BY ALL",
}


@pytest.fixture
def con(spiked_warehouse, tmp_path):
    path = tmp_path / "w.duckdb"
    shutil.copy(spiked_warehouse[1], path)
    c = duckdb.connect(str(path))
    yield c
    c.close()


def answers(con) -> dict[str, list]:
    return {name: con.execute(sql).fetchall() for name, sql in VIEWS.items()}


def test_views_say_the_same_with_none_some_or_all_days_aggregated(con):
    live = answers(con)
    assert con.execute("SELECT COUNT(*) FROM agg_daily").fetchone()[0] == 0
    assert live["spikes"]  # the planted spike is there to be found either way
    refresh(con, date(2026, 10, 10), date(2026, 10, 30))  # the spike day held, its baseline half held
    assert answers(con) == live
    assert refresh(con) > 0
    assert con.execute("SELECT COUNT(*) FROM daily_counts_between(DATE '0001-01-01', DATE '9999-12-31', true)"
                       ).fetchone()[0] == 0  # nothing left to count live
    assert answers(con) == live


def test_a_batch_refreshes_its_own_days(con):
    refresh(con)
    # a late article about the quiet topic lands on 28 Oct; the batch holds only it
    con.execute("INSERT INTO articles BY NAME SELECT * REPLACE ('late1' AS article_id, 'https://x.example/late1' AS url,"
                " TIMESTAMPTZ '2026-10-28 10:00:00+00' AS published_at, NULL AS dup_of) FROM articles LIMIT 1")
    con.execute("INSERT INTO article_topics VALUES ('late1', 'stock_markets', 2, 5.0, true, 0.5, 'positive')")
    con.execute("CREATE TEMP VIEW b_late AS SELECT * FROM articles WHERE article_id = 'late1'")
    stale = con.execute("SELECT articles FROM topic_daily WHERE topic_id = 'stock_markets' AND day = DATE '2026-10-28'"
                        ).fetchone()[0]
    assert stale == 0  # held days are not recounted until refreshed: that is the load's job
    refresh_batch(con, "b_late")
    assert con.execute("SELECT articles FROM topic_daily WHERE topic_id = 'stock_markets' AND day = DATE '2026-10-28'"
                       ).fetchone()[0] == 1
