"""The pre-aggregated daily counts change how fast the views answer, never what they say."""
from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from warehouse.aggregates import recount, refresh_all, refresh_batch

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
    assert live["spikes"]  # the planted spike is there to be found either way
    # a stray recount with nothing held stores nothing that could be counted twice
    recount(con, date(2026, 10, 1), date(2026, 11, 4))
    assert answers(con) == live
    assert refresh_all(con) > 0
    assert con.execute("SELECT COUNT(*) FROM unheld_articles").fetchone()[0] == 0  # nothing left to count live
    assert answers(con) == live


def test_a_batch_holds_its_crawl_date_and_recounts_its_days(con):
    refresh_all(con)
    # a later crawl brings a late article about the quiet topic, published on 28 Oct
    con.execute("INSERT INTO articles BY NAME SELECT * REPLACE ('late1' AS article_id, 'https://x.example/late1' AS url,"
                " TIMESTAMPTZ '2026-10-28 10:00:00+00' AS published_at, NULL AS dup_of, DATE '2026-11-05' AS crawl_date)"
                " FROM articles LIMIT 1")
    con.execute("INSERT INTO article_topics VALUES ('late1', 'stock_markets', 2, 5.0, true, 0.5, 'positive')")
    q = "SELECT articles FROM topic_daily WHERE topic_id = 'stock_markets' AND day = DATE '2026-10-28'"
    assert con.execute(q).fetchone()[0] == 1  # before the refresh: counted live
    con.execute("CREATE TEMP VIEW b_late AS SELECT * FROM articles WHERE article_id = 'late1'")
    refresh_batch(con, "b_late")
    assert con.execute(q).fetchone()[0] == 1  # after: from agg_daily, and once
    assert con.execute("SELECT COUNT(*) FROM unheld_articles").fetchone()[0] == 0
    assert con.execute("SELECT articles FROM agg_daily WHERE dimension = 'topic' AND key = 'stock_markets' "
                       "AND day = DATE '2026-10-28'").fetchone()[0] == 1


def test_the_load_hook_backfills_once_then_follows_batches(con):
    from warehouse.aggregates import refresh_load

    live = answers(con)
    con.execute("CREATE TEMP VIEW b_any AS SELECT * FROM articles LIMIT 1")
    refresh_load(con, "b_any")  # nothing held yet: everything is
    assert con.execute("SELECT COUNT(*) FROM unheld_articles").fetchone()[0] == 0
    refresh_load(con, "b_any")
    assert answers(con) == live
