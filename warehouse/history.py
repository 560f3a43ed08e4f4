"""What the warehouse already knows, read-only, for the quality gate."""
from __future__ import annotations

import statistics
from datetime import date, timedelta
from pathlib import Path

import duckdb

from core.settings import warehouse_path
from warehouse.db import connect_reader


def _read(sql: str, params: list, path: Path | None = None) -> list[tuple]:
    """A read that waits out a writer's brief hold on the live file (30 s);
    an empty answer where there is no warehouse, or not that table, yet."""
    path = Path(path or warehouse_path())
    if not path.exists():
        return []
    con = connect_reader(path, wait_s=30)
    try:
        return con.execute(sql, params).fetchall()
    except duckdb.CatalogException:
        return []
    finally:
        con.close()


def source_history(day: date, days: int, path: Path | None = None) -> tuple[dict[str, float], dict[str, int]]:
    """Median articles loaded per crawl date for each source over the `days`
    before `day`, and on how many dates that median rests."""
    rows = _read(
        "SELECT source_id, crawl_date, COUNT(*) FROM articles "
        "WHERE crawl_date >= ? AND crawl_date < ? GROUP BY ALL",
        [day - timedelta(days=days), day], path,
    )
    per_source: dict[str, list[int]] = {}
    for sid, _, n in rows:
        per_source.setdefault(sid, []).append(n)
    return ({s: float(statistics.median(v)) for s, v in per_source.items()},
            {s: len(v) for s, v in per_source.items()})


def existing_ids(ids: list[str], path: Path | None = None) -> set[str]:
    if not ids:
        return set()
    rows = _read("SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [ids], path)
    return {r[0] for r in rows}


def committed_dates(source_id: str, before: date, path: Path | None = None) -> set[date]:
    """Dates before `before` whose load of this source committed."""
    rows = _read("SELECT DISTINCT crawl_date FROM partition_counts WHERE source_id = ? AND crawl_date < ?",
                 [source_id, before], path)
    return {r[0] for r in rows}


def warehouse_urls(source_id: str, before: date, path: Path | None = None) -> list[str]:
    """URLs of a source's articles loaded by runs of earlier dates."""
    rows = _read("SELECT url FROM articles WHERE source_id = ? AND crawl_date < ?", [source_id, before], path)
    return [r[0] for r in rows]
