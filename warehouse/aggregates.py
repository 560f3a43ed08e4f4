"""Daily aggregates behind the trend views and spikes (migration 014).

refresh() recounts agg_daily for a range of publication days from the
articles, and marks the days held; the views read agg_daily for held days and
count the rest live. Until anything is refreshed every day is counted live
(right, slower); once days are held, every load must call
refresh_batch(con) inside its transaction, after writing the batch's
articles, topics and entities (registered as b_articles), or articles that
land on a held day are missing from the counts."""
from __future__ import annotations

from datetime import date

import duckdb


def refresh(con: duckdb.DuckDBPyConnection, since: date | None = None, until: date | None = None) -> int:
    """Recount the days between since and until (default: every day with articles). Returns rows written."""
    lo, hi = con.execute("SELECT MIN(day), MAX(day) FROM counted_articles").fetchone()
    since, until = since or lo, until or hi
    if since is None or until is None:
        return 0
    con.execute("DELETE FROM agg_daily WHERE day BETWEEN ? AND ?", [since, until])
    con.execute("DELETE FROM agg_days WHERE day BETWEEN ? AND ?", [since, until])
    con.execute("INSERT INTO agg_daily BY NAME SELECT * FROM daily_counts_between(?, ?, false)", [since, until])
    # every day of the range is held, those without articles too (their 0 is a fact)
    con.execute("INSERT INTO agg_days SELECT CAST(unnest(generate_series(CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), "
                "INTERVAL 1 DAY)) AS DATE)", [since, until])
    return con.execute("SELECT COUNT(*) FROM agg_daily WHERE day BETWEEN ? AND ?", [since, until]).fetchone()[0]


def refresh_batch(con: duckdb.DuckDBPyConnection, batch_table: str = "b_articles") -> int:
    """Recount the publication days the batch's articles fall on."""
    since, until = con.execute(f"SELECT MIN(d), MAX(d) FROM (SELECT CAST(COALESCE(published_at, crawl_date) AS DATE) "
                               f"AS d FROM {batch_table})").fetchone()
    if since is None:
        return 0
    return refresh(con, since, until)
