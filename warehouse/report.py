"""The trend summary printed after a run and kept in the reports partition."""
from __future__ import annotations

from pathlib import Path

from warehouse.db import connect_reader

SECTIONS = [
    ("Articles per language",
     "SELECT lang, COUNT(*) AS articles, COUNT(*) FILTER (WHERE dup_of IS NOT NULL) AS near_copies "
     "FROM articles GROUP BY lang ORDER BY articles DESC"),
    ("Top topics",
     "SELECT topic_id, name, SUM(articles) AS articles, ROUND(SUM(avg_tone * articles) / SUM(articles), 2) AS avg_tone "
     "FROM sentiment_by_topic JOIN topics USING (topic_id) GROUP BY ALL ORDER BY articles DESC, topic_id LIMIT 12"),
    ("Top entities",
     "SELECT entity_id, name, SUM(articles) AS articles, SUM(mentions) AS mentions "
     "FROM entity_mentions JOIN entities USING (entity_id) GROUP BY ALL ORDER BY articles DESC, mentions DESC, entity_id LIMIT 12"),
    ("Quarantine by reason",
     "SELECT stage, reason, COUNT(*) AS records FROM "
     "(SELECT stage, unnest(reasons) AS reason FROM quarantine) GROUP BY ALL ORDER BY records DESC, reason"),
    ("Crawl runs (latest date)",
     "SELECT crawl_date, source_id, requests, responses, articles, skipped_known AS known, not_modified AS \"304\", "
     "errors_by_kind FROM crawl_runs "
     "WHERE crawl_date = (SELECT MAX(crawl_date) FROM crawl_runs) ORDER BY source_id"),
]


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[str(c) for c in columns]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def trend_summary(path: Path | None = None) -> str:
    con = connect_reader(path)
    try:
        parts = []
        for title, sql in SECTIONS:
            cur = con.execute(sql)
            cols = [d[0] for d in cur.description]
            parts.append(f"## {title}\n{_table(cols, cur.fetchall())}")
        return "\n\n".join(parts) + "\n"
    finally:
        con.close()
