"""What the daily report says, read from the analyst views for one day."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb

from warehouse.spikes import find_spikes

LANG_NAMES = {"ar": "Arabic", "zh": "Chinese", "en": "English"}


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def latest_day(con: duckdb.DuckDBPyConnection) -> date | None:
    return con.execute("SELECT MAX(crawl_date) FROM articles").fetchone()[0]


def headline(con, day: date) -> list[dict]:
    """Today against the mean of the 7 days before it, per measure."""
    return rows(con, """
        WITH per_day AS (
            SELECT day, SUM(articles) FILTER (WHERE dimension = 'lang') AS articles,
                   SUM(articles) FILTER (WHERE dimension = 'lang' AND key = 'ar') AS ar,
                   SUM(articles) FILTER (WHERE dimension = 'lang' AND key = 'zh') AS zh,
                   SUM(articles) FILTER (WHERE dimension = 'lang' AND key = 'en') AS en,
                   COUNT(*) FILTER (WHERE dimension = 'source' AND articles > 0) AS sources
            FROM daily_volume WHERE day BETWEEN ? - 7 AND ? GROUP BY day
        ), tone AS (
            SELECT day, AVG(tone) AS tone FROM counted_articles WHERE day BETWEEN ? - 7 AND ? GROUP BY day
        ), m AS (
            SELECT p.*, t.tone FROM per_day p LEFT JOIN tone t USING (day)
        )
        SELECT measure, today, ROUND(avg7, 2) AS avg7,
               CASE WHEN avg7 > 0 THEN ROUND(100.0 * (today - avg7) / avg7, 1) END AS change_pct
        FROM (
            SELECT 'Articles' AS measure, MAX(articles) FILTER (WHERE day = ?) AS today,
                   AVG(articles) FILTER (WHERE day < ?) AS avg7, 1 AS o FROM m
            UNION ALL SELECT 'Arabic', MAX(ar) FILTER (WHERE day = ?), AVG(ar) FILTER (WHERE day < ?), 2 FROM m
            UNION ALL SELECT 'Chinese', MAX(zh) FILTER (WHERE day = ?), AVG(zh) FILTER (WHERE day < ?), 3 FROM m
            UNION ALL SELECT 'English', MAX(en) FILTER (WHERE day = ?), AVG(en) FILTER (WHERE day < ?), 4 FROM m
            UNION ALL SELECT 'Sources publishing', MAX(sources) FILTER (WHERE day = ?),
                             AVG(sources) FILTER (WHERE day < ?), 5 FROM m
            UNION ALL SELECT 'Average tone', ROUND(MAX(tone) FILTER (WHERE day = ?), 2),
                             AVG(tone) FILTER (WHERE day < ?), 6 FROM m
        ) ORDER BY o""", [day] * 16)


def topic_volume(con, day: date, top: int = 8) -> list[dict]:
    return rows(con, """
        WITH top AS (SELECT topic_id FROM topic_daily WHERE day BETWEEN ? - 29 AND ?
                     GROUP BY ALL HAVING SUM(articles) > 0 ORDER BY SUM(articles) DESC, topic_id LIMIT ?)
        SELECT d.day, t.name AS topic, d.articles FROM topic_daily d JOIN top USING (topic_id)
        JOIN topics t USING (topic_id) WHERE d.day BETWEEN ? - 29 AND ? ORDER BY d.day, topic""",
                [day, day, top, day, day])


def tone_by_topic(con, day: date, top: int = 12) -> list[dict]:
    return rows(con, """
        SELECT t.name AS topic, SUM(articles) AS articles,
               ROUND(SUM(avg_tone * articles) / SUM(articles), 2) AS tone,
               ROUND(SUM(avg_sentiment * articles) / SUM(articles), 3) AS sentiment
        FROM topic_daily d JOIN topics t USING (topic_id)
        WHERE day BETWEEN ? - 6 AND ? AND articles > 0 GROUP BY ALL ORDER BY articles DESC, topic LIMIT ?""",
                [day, day, top])


def tone_by_lang(con, day: date) -> list[dict]:
    return rows(con, """
        SELECT lang, COUNT(*) AS articles, ROUND(AVG(tone), 2) AS tone FROM counted_articles
        WHERE day BETWEEN ? - 6 AND ? AND lang IS NOT NULL GROUP BY ALL ORDER BY lang""", [day, day])


def entity_movers(con, day: date, top: int = 12) -> list[dict]:
    """Entities with most articles this week, their sentiment and their change on the week before."""
    return rows(con, """
        WITH w AS (
            SELECT entity_id, COALESCE(SUM(articles) FILTER (WHERE day > ? - 7), 0) AS this_week,
                   COALESCE(SUM(articles) FILTER (WHERE day <= ? - 7), 0) AS last_week,
                   SUM(avg_sentiment * articles) FILTER (WHERE day > ? - 7 AND avg_sentiment IS NOT NULL) AS s_sum,
                   SUM(articles) FILTER (WHERE day > ? - 7 AND avg_sentiment IS NOT NULL) AS s_n
            FROM entity_daily WHERE day BETWEEN ? - 13 AND ? GROUP BY ALL
        )
        SELECT e.name AS entity, entity_id, this_week, last_week, this_week - last_week AS change,
               ROUND(s_sum / NULLIF(s_n, 0), 3) AS sentiment
        FROM w JOIN entities e USING (entity_id) WHERE this_week > 0
        ORDER BY this_week DESC, change DESC, entity LIMIT ?""", [day] * 6 + [top])


def framing(con, day: date, top: int = 8) -> list[dict]:
    # an example sentence naming the entity where sentence evidence is stored, else the headline
    return rows(con, """
        WITH x AS (
            SELECT key, week, MAX(example_sentence) FILTER (WHERE lang = 'ar') AS ar_sentence,
                   MAX(example_sentence) FILTER (WHERE lang = 'zh') AS zh_sentence,
                   MAX(example_sentence) FILTER (WHERE lang = 'en') AS en_sentence
            FROM framing_examples WHERE dimension = 'entity' GROUP BY ALL
        )
        SELECT e.name AS entity, f.* EXCLUDE (dimension, key, week, ar_example, zh_example, en_example),
               COALESCE(x.ar_sentence, f.ar_example) AS ar_example, COALESCE(x.zh_sentence, f.zh_example) AS zh_example,
               COALESCE(x.en_sentence, f.en_example) AS en_example
        FROM framing_gap f JOIN entities e ON e.entity_id = f.key
        LEFT JOIN x ON x.key = f.key AND x.week = f.week
        WHERE f.dimension = 'entity' AND f.week = CAST(date_trunc('week', CAST(? AS DATE)) AS DATE)
        ORDER BY (ar_articles > 0)::INT + (zh_articles > 0)::INT + (en_articles > 0)::INT DESC,
                 ar_articles + zh_articles + en_articles DESC, entity LIMIT ?""", [day, top])


def comentions(con, day: date, top: int = 10) -> list[dict]:
    return rows(con, """
        SELECT a.name AS entity_a, b.name AS entity_b, c.articles, c.lift, c.pmi
        FROM entity_comentions_between(CAST(? AS DATE) - 29, CAST(? AS DATE)) c
        JOIN entities a ON a.entity_id = c.entity_a JOIN entities b ON b.entity_id = c.entity_b
        WHERE c.articles >= 2 ORDER BY c.pmi DESC, c.articles DESC, entity_a, entity_b LIMIT ?""", [day, day, top])


def data_quality(con, day: date) -> dict[str, list[dict]]:
    return {
        "sources": rows(con, """
            SELECT COALESCE(p.source_id, r.source_id) AS source_id, p.records, p.loaded, p.quarantined,
                   p.skipped_duplicates, r.requests, r.responses,
                   COALESCE(list_sum(map_values(r.errors_by_kind)), 0) AS crawl_errors,
                   array_to_string(list_transform(map_entries(r.errors_by_kind), x -> x.key || ' ' || x.value), ', ')
                       AS errors_by_kind
            FROM (SELECT * FROM partition_counts WHERE crawl_date = ?) p
            FULL JOIN (SELECT * FROM crawl_runs WHERE crawl_date = ?) r USING (source_id)
            ORDER BY source_id""", [day, day]),
        "quarantine": rows(con, """
            SELECT source_id, stage, reason, COUNT(*) AS records
            FROM (SELECT source_id, stage, unnest(reasons) AS reason FROM quarantine WHERE crawl_date = ?)
            GROUP BY ALL ORDER BY records DESC, source_id, reason""", [day]),
    }


def gather(con: duckdb.DuckDBPyConnection, day: date) -> dict:
    spikes = find_spikes(con, since=day - timedelta(days=6), until=day)
    names = {**dict(con.execute("SELECT topic_id, name FROM topics").fetchall()),
             **dict(con.execute("SELECT entity_id, name FROM entities").fetchall())}
    return {
        "day": day,
        "headline": headline(con, day),
        "topic_volume": topic_volume(con, day),
        "tone_by_topic": tone_by_topic(con, day),
        "tone_by_lang": [{**r, "language": LANG_NAMES.get(r["lang"], r["lang"])} for r in tone_by_lang(con, day)],
        "entities": entity_movers(con, day),
        "spikes": [{"dimension": s.dimension, "name": names.get(s.key, s.key), "day": s.day, "articles": s.articles,
                    "baseline": s.baseline, "z_score": s.z_score, "causes": s.causes} for s in spikes],
        "framing": framing(con, day),
        "comentions": comentions(con, day),
        "quality": data_quality(con, day),
    }
