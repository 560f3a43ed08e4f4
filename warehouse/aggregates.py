"""Daily aggregates behind the trend views and spikes (migration 014).

agg_daily counts, per publication day, the articles of the crawl dates held
in agg_crawl_dates; the views add the articles of other crawl dates live, so
they are exact whatever has been refreshed. The load calls
refresh_batch(con) inside its transaction, after writing the batch's
articles, topics and entities (registered as b_articles): it holds the
batch's crawl date and recounts the publication days its articles can touch.
refresh_all(con) holds every crawl date (a backfill, e.g. after migrating)."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb

# Articles are accepted up to this many days before their crawl date
# (config/quality.yaml default_window_days, 30): a reload of a crawl date can
# add or drop articles on any of those publication days.
WINDOW_DAYS = 31


def recount(con: duckdb.DuckDBPyConnection, since: date, until: date) -> None:
    """Recount agg_daily for publication days since..until from the held crawl dates."""
    con.execute("DELETE FROM agg_daily WHERE day BETWEEN ? AND ?", [since, until])
    con.execute("INSERT INTO agg_daily BY NAME SELECT * FROM daily_counts_between(?, ?, false)", [since, until])


def refresh_all(con: duckdb.DuckDBPyConnection) -> int:
    """Hold every crawl date in the warehouse and recount every day. Returns rows in agg_daily."""
    con.execute("INSERT OR IGNORE INTO agg_crawl_dates SELECT DISTINCT crawl_date FROM articles")
    lo, hi = con.execute("SELECT MIN(day), MAX(day) FROM counted_articles").fetchone()
    con.execute("DELETE FROM agg_daily")
    if lo is not None:
        recount(con, lo, hi)
    return con.execute("SELECT COUNT(*) FROM agg_daily").fetchone()[0]


def refresh_batch(con: duckdb.DuckDBPyConnection, batch_table: str = "b_articles") -> None:
    """Hold the batch's crawl date(s) and recount the days its articles fall on,
    and the window before it (articles a reload dropped were on those days)."""
    crawl = [r[0] for r in con.execute(f"SELECT DISTINCT crawl_date FROM {batch_table}").fetchall()]
    if not crawl:
        return
    lo, hi = con.execute(f"SELECT MIN(d), MAX(d) FROM (SELECT CAST(COALESCE(published_at, crawl_date) AS DATE) "
                         f"AS d FROM {batch_table})").fetchone()
    con.executemany("INSERT OR IGNORE INTO agg_crawl_dates VALUES (?)", [[c] for c in crawl])
    recount(con, min(lo, min(crawl) - timedelta(days=WINDOW_DAYS)), max(hi, max(crawl)))


def refresh_load(con: duckdb.DuckDBPyConnection, batch_table: str = "b_articles") -> None:
    """The load's hook: the first time, hold everything already loaded; then the batch."""
    if con.execute("SELECT COUNT(*) FROM agg_crawl_dates").fetchone()[0] == 0:
        refresh_all(con)
    else:
        refresh_batch(con, batch_table)
