"""Trend views over a generated warehouse: zero-filled, copies counted once."""
from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse.fixtures import SPIKE
from warehouse.db import connect


@pytest.fixture(scope="module")
def con(spiked_warehouse):
    c = connect(spiked_warehouse[1], read_only=True)
    yield c
    c.close()


def test_every_series_has_every_calendar_day(con, spiked_warehouse):
    corpus, _ = spiked_warehouse
    days = con.execute("SELECT COUNT(*), MIN(day), MAX(day) FROM calendar").fetchone()
    assert days == (corpus.days, corpus.start, corpus.last_day)
    # one row per key and day, whatever the key; 4 dimensions
    per_key = con.execute("SELECT dimension, key, COUNT(*) AS n FROM daily_volume GROUP BY ALL").fetchall()
    assert {d for d, _, _ in per_key} == {"topic", "entity", "lang", "source"}
    assert {n for _, _, n in per_key} == {corpus.days}
    for view, key in [("topic_daily", "topic_id"), ("entity_daily", "entity_id")]:
        n = con.execute(f"SELECT COUNT(DISTINCT day), MIN(c), MAX(c) FROM "
                        f"(SELECT day, {key}, COUNT(*) OVER (PARTITION BY {key}) AS c FROM {view})").fetchone()
        assert n == (corpus.days, corpus.days, corpus.days)


def test_a_quiet_day_is_a_zero_not_a_gap(con):
    quiet = con.execute("SELECT day, articles FROM topic_daily WHERE topic_id = 'stock_markets' "
                        "AND day BETWEEN DATE '2026-10-28' AND DATE '2026-10-31' ORDER BY day").fetchall()
    assert quiet == [(date(2026, 10, 28), 0), (date(2026, 10, 29), 0), (SPIKE.day, SPIKE.articles),
                     (date(2026, 10, 31), 0)]


def test_near_copies_are_counted_once(con, spiked_warehouse):
    corpus, _ = spiked_warehouse
    originals = sum(1 for r in corpus.rows if r["dup_of"] is None)
    assert con.execute("SELECT SUM(articles) FROM daily_volume WHERE dimension = 'lang'").fetchone()[0] == originals
    weekly = con.execute("SELECT SUM(articles) FROM weekly_volume WHERE dimension = 'source'").fetchone()[0]
    assert weekly == originals


def test_moving_average_weights_articles_not_days(con):
    # The spike day's tone (-3) carries on for a week of quiet days instead of fading toward 0.
    rows = con.execute("SELECT day, avg_tone, tone_ma7, articles_ma7 FROM topic_daily WHERE topic_id = 'stock_markets' "
                       "AND day >= DATE '2026-10-30' ORDER BY day").fetchall()
    assert rows[0][1:3] == (-3.0, -3.0)
    assert rows[1][1] is None and rows[1][2] == -3.0
    assert rows[0][3] == pytest.approx(8 / 7, abs=0.01)


def test_share_of_voice(con):
    topic = con.execute("SELECT articles, day_articles, share_pct FROM topic_share_of_voice "
                        "WHERE topic_id = 'stock_markets' AND day = ?", [SPIKE.day]).fetchone()
    assert topic[0] == SPIKE.articles and topic[2] == round(100 * topic[0] / topic[1], 2)
    sums = con.execute("SELECT week, topic_id, SUM(share_pct) FROM entity_share_of_voice GROUP BY ALL").fetchall()
    assert sums and all(abs(s - 100) < 0.05 for _, _, s in sums)


def test_co_mentions_score_lift_not_just_counts(con):
    # deepseek only ever appears with china (in the spike), so the pair is far above chance
    row = con.execute("SELECT articles, lift, pmi FROM entity_comentions "
                      "WHERE entity_a = 'china' AND entity_b = 'deepseek'").fetchone()
    n, na, nb = con.execute("SELECT (SELECT COUNT(*) FROM counted_articles), "
                            "(SELECT articles FROM entity_comentions WHERE entity_a = 'china' AND entity_b = 'deepseek'),"
                            "(SELECT COUNT(DISTINCT article_id) FROM article_entities JOIN counted_articles "
                            "USING (article_id) WHERE entity_id = 'china')").fetchone()
    assert row[0] == SPIKE.articles  # the two wire copies are not counted
    assert row[1] == pytest.approx(n * SPIKE.articles / (nb * SPIKE.articles), abs=1e-3) and row[1] > 1
    assert row[2] == pytest.approx(__import__("math").log2(row[1]), abs=1e-3)
    et = con.execute("SELECT lift FROM entity_topic_comentions WHERE entity_id = 'deepseek' "
                     "AND topic_id = 'stock_markets'").fetchone()[0]
    assert et > 3
    window = con.execute("SELECT COUNT(*) FROM entity_comentions_between(DATE '2026-10-01', DATE '2026-10-29')"
                         ).fetchone()[0]
    assert window == 0  # the pair only exists from the spike day on


def test_opinion_mix(con, spiked_warehouse):
    corpus, _ = spiked_warehouse
    got = con.execute("SELECT SUM(opinion), SUM(news) FROM opinion_mix_daily").fetchone()
    originals = [r for r in corpus.rows if r["dup_of"] is None]
    assert got == (sum(r["is_opinion"] for r in originals), sum(not r["is_opinion"] for r in originals))


def test_empty_warehouse_views_answer_empty(tmp_path):
    from warehouse.db import migrate

    c = connect(tmp_path / "w.duckdb")
    migrate(c)
    for view in ("calendar", "daily_volume", "topic_daily", "entity_daily", "spikes", "entity_comentions",
                 "opinion_mix_daily", "topic_share_of_voice"):
        assert c.execute(f"SELECT COUNT(*) FROM {view}").fetchone()[0] == 0
