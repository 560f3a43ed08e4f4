"""Warehouse at scale: one simulated year of coverage, loaded and queried, with
the same queries over the raw Parquet files by DuckDB in the same run.

    python -m benchmarks.warehouse_scale [--articles 2000000] [--days 365] [--search-docs 200000] [--dir DIR]

Articles: ar/zh/en in 30/30/40 shares over 18 sources, topics and entities from
the real taxonomy and gazetteer with Zipf-like popularity and weekly rhythm,
5% near-copies, 15% opinion, tone and sentiment drawn per article and target,
and text of realistic length (20-35 sentences, drawn from the demo newsroom's
own sentences in the article's language). All but the last day are bulk
loaded (the history); the last day goes through the real load_batch (the
daily load). Not a test: it prints figures and asserts nothing."""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

LANGS = np.array(["ar", "zh", "en"])
START = date(2025, 11, 21)
MIGRATED_VIEWS = ("010_trend_views.sql", "011_spikes.sql", "012_framing_gap.sql")


def sentence_pool() -> dict[str, list[str]]:
    from mediamon.demo.content import load_articles
    from transforms.sentences import split_sentences

    demo = [a for a in load_articles() if not a.broken]
    pool = split_sentences(pl.DataFrame({
        "article_id": [f"{a.outlet_id}/{a.slug}" for a in demo], "lang": [a.lang for a in demo],
        "title": [a.title for a in demo], "text": [a.body for a in demo]})).filter(pl.col("sent_idx") > 0)
    return {lang: pool.filter(pl.col("lang") == lang)["sentence"].to_list() for lang in LANGS}


def zipf_choice(rng: np.random.Generator, n_items: int, size: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, n_items + 1) ** 1.1
    return rng.choice(n_items, size=size, p=weights / weights.sum())


def generate_day(i: int, n: int, rng: np.random.Generator, pool: dict, topic_ids: list[str],
                 entity_ids: list[str], first_id: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    day = START + timedelta(days=i)
    ids = np.arange(first_id, first_id + n)
    lang = LANGS[rng.choice(3, size=n, p=[0.3, 0.3, 0.4])]
    src = np.char.add(np.char.add(lang, "_src"), rng.integers(0, 6, size=n).astype(str))
    texts, titles = [], []
    for lg in lang:
        p = pool[lg]
        k = rng.integers(20, 36)
        picks = rng.integers(0, len(p), size=k + 1)
        titles.append(p[picks[0]][:120])
        texts.append((" " if lg != "zh" else "").join(p[j] for j in picks[1:]))
    dup = np.where((rng.random(n) < 0.05) & (ids > first_id), ids - 1, -1)
    hour = rng.integers(0, 24, size=n)
    articles = pl.DataFrame({
        "article_id": [f"a{x:09d}" for x in ids], "url": [f"https://news.example/{x}" for x in ids],
        "source_id": src, "title": titles, "text": texts, "author": None, "lang": lang,
        "published_at": [datetime(day.year, day.month, day.day, int(h), tzinfo=timezone.utc) for h in hour],
        "published_from": "html", "fetched_at": datetime(day.year, day.month, day.day, 23, tzinfo=timezone.utc),
        "crawl_date": day, "tone": rng.normal(0, 2.5, size=n).round(3),
        "positive": rng.uniform(0, 5, size=n).round(3), "negative": rng.uniform(0, 5, size=n).round(3),
        "polarity": rng.uniform(0, 10, size=n).round(3), "word_count": rng.integers(300, 900, size=n),
        "dup_of": [f"a{d:09d}" if d >= 0 else None for d in dup], "content_sha256": [f"h{x}" for x in ids],
        "taxonomy_version": "bench", "lexicon_version": "bench",
        "loaded_at": datetime(day.year, day.month, day.day, 23, 30, tzinfo=timezone.utc),
        "is_opinion": rng.random(n) < 0.15, "opinion_score": rng.random(n).round(3),
        "sentiment": rng.uniform(-1, 1, size=n).round(3),
    }, schema_overrides={"author": pl.String, "published_at": pl.Datetime("us", "UTC")})
    n_t = rng.integers(1, 4, size=n)
    t_art = np.repeat(ids, n_t)
    t_id = np.array(topic_ids)[zipf_choice(rng, len(topic_ids), len(t_art))]
    topics = pl.DataFrame({"article_id": [f"a{x:09d}" for x in t_art], "topic_id": t_id,
                           "hits": rng.integers(2, 9, size=len(t_art)), "score": rng.uniform(1, 20, len(t_art)).round(2),
                           "is_direct": True, "sentiment": rng.normal(0, 0.8, len(t_art)).clip(-3, 3).round(3)}
                          ).unique(["article_id", "topic_id"])
    n_e = rng.integers(1, 5, size=n)
    e_art = np.repeat(ids, n_e)
    e_id = np.array(entity_ids)[zipf_choice(rng, len(entity_ids), len(e_art))]
    entities = pl.DataFrame({"article_id": [f"a{x:09d}" for x in e_art], "entity_id": e_id,
                             "mentions": rng.integers(1, 6, size=len(e_art)),
                             "first_sentence": rng.integers(0, 10, size=len(e_art)),
                             "sentiment": rng.normal(0, 0.8, len(e_art)).clip(-3, 3).round(3)}
                            ).unique(["article_id", "entity_id"])
    label = (pl.when(pl.col("sentiment") > 0.25).then(pl.lit("positive"))
             .when(pl.col("sentiment") < -0.25).then(pl.lit("negative")).otherwise(pl.lit("neutral")))
    articles = articles.with_columns(label.alias("sentiment_label"))
    return articles, topics.with_columns(label.alias("sentiment_label")), entities.with_columns(
        label.alias("sentiment_label"))


def generate(root: Path, n_articles: int, days: int, seed: int = 11) -> None:
    from transforms.vocab import cached_vocabulary

    vocab = cached_vocabulary()
    topic_ids = [t.id for t in vocab.taxonomy.topics]
    entity_ids = [e.id for e in vocab.gazetteer.entities]
    pool = sentence_pool()
    rng = np.random.default_rng(seed)
    weekday = np.array([1.1, 1.15, 1.15, 1.1, 1.05, 0.75, 0.7])  # quieter weekends
    shares = np.array([weekday[(START + timedelta(days=i)).weekday()] for i in range(days)])
    per_day = np.round(shares / shares.sum() * n_articles).astype(int)
    next_id = 0
    for name in ("articles", "topics", "entities"):
        (root / name).mkdir(parents=True, exist_ok=True)
    for i in range(days):
        a, t, e = generate_day(i, int(per_day[i]), rng, pool, topic_ids, entity_ids, next_id)
        next_id += int(per_day[i])
        for name, frame in (("articles", a), ("topics", t), ("entities", e)):
            frame.write_parquet(root / name / f"day={i:03d}.parquet")


def timed(fn, repeat: int = 3) -> float:
    """Best of `repeat` wall-clock runs, in ms (the machine is shared)."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000


def queries(last: date) -> dict[str, str]:
    d, w = f"DATE '{last}'", f"DATE '{last - timedelta(days=last.weekday())}'"
    return {
        "daily_volume (topics, 30 days)": f"SELECT key, SUM(articles) FROM daily_volume WHERE dimension = 'topic' "
                                          f"AND day > {d} - 30 GROUP BY key",
        "weekly_volume (one entity)": "SELECT * FROM weekly_volume WHERE dimension = 'entity' AND key = 'deepseek'",
        "topic_daily (one topic, year)": "SELECT * FROM topic_daily WHERE topic_id = 'ai' ORDER BY day",
        "entity_daily (one entity, year)": "SELECT * FROM entity_daily WHERE entity_id = 'deepseek' ORDER BY day",
        "topic_lang_daily (one topic, 30 d)": f"SELECT * FROM topic_lang_daily WHERE topic_id = 'ai' AND day > {d} - 30",
        "topic_share_of_voice (one day)": f"SELECT * FROM topic_share_of_voice WHERE day = {d}",
        "entity_share_of_voice (topic, week)": f"SELECT * FROM entity_share_of_voice WHERE topic_id = 'ai' AND week = {w}",
        "entity_comentions (30 days, top PMI)": f"SELECT * FROM entity_comentions_between({d} - 29, {d}) "
                                                f"WHERE articles >= 5 ORDER BY pmi DESC LIMIT 20",
        "entity_comentions (all time)": "SELECT * FROM entity_comentions ORDER BY lift DESC LIMIT 20",
        "entity_topic_comentions (30 days)": f"SELECT * FROM entity_topic_comentions_between({d} - 29, {d}) "
                                             f"ORDER BY pmi DESC LIMIT 20",
        "opinion_mix_daily (year)": "SELECT * FROM opinion_mix_daily",
        "framing_gap (entities, week)": f"SELECT * FROM framing_gap WHERE dimension = 'entity' AND week = {w}",
        "spikes (last day)": f"SELECT * FROM spikes_with(14, 3.0, 5, 7) WHERE day = {d}",
        "spike_causes": f"SELECT * FROM spike_causes('entity', 'deepseek', {d}) LIMIT 10",
    }


def parquet_connection(root: Path) -> duckdb.DuckDBPyConnection:
    """The baseline: DuckDB over the raw Parquet files, with the same view SQL."""
    from warehouse.db import MIGRATIONS

    con = duckdb.connect()
    for name in ("articles", "topics", "entities"):
        table = {"topics": "article_topics", "entities": "article_entities"}.get(name, name)
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{root / name}/*.parquet')")
    con.execute("CREATE VIEW topics AS SELECT DISTINCT topic_id, topic_id AS name FROM article_topics")
    con.execute("CREATE VIEW entities AS SELECT DISTINCT entity_id, entity_id AS name FROM article_entities")
    for f in MIGRATED_VIEWS:
        con.execute((MIGRATIONS / f).read_text())
    return con


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=2_000_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--search-docs", type=int, default=200_000)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--reuse", action="store_true", help="query the warehouse already in --dir (migrated first)")
    ap.add_argument("--no-search", action="store_true")
    args = ap.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="mediamon-scale-"))
    gen = root / "parquet"
    t = time.perf_counter()
    if not (gen / "articles").exists():
        generate(gen, args.articles, args.days)
    print(f"generated {args.articles:,} articles over {args.days} days in {time.perf_counter() - t:.1f} s "
          f"({sum(f.stat().st_size for f in gen.rglob('*.parquet')) / 1e9:.2f} GB of Parquet) in {root}")
    from benchmarks.warehouse_scale_load import load_history, load_last_day, refresh_aggregates, search_figures

    db = root / "warehouse" / "mediamon.duckdb"
    if not (args.reuse and db.exists()):
        for old in ("warehouse", "search"):  # the Parquet is reused across runs; the warehouse is not
            shutil.rmtree(root / old, ignore_errors=True)
        history_s = load_history(gen, db, args.days)
        agg_s = refresh_aggregates(db)
        day_s, day_n, hook_s = load_last_day(gen, db, args.days)
        print(f"history load (bulk, {args.days - 1} days): {history_s:.1f} s, then the daily aggregates: {agg_s:.1f} s")
        print(f"daily load of one more day ({day_n:,} articles): load_batch {day_s:.2f} s "
              f"+ aggregates.refresh_batch {hook_s:.2f} s")
    else:
        print(f"reusing {db}: aggregates brought up in {refresh_aggregates(db):.1f} s")
    print(f"warehouse file {db.stat().st_size / 1e9:.2f} GB")
    last = START + timedelta(days=args.days - 1)
    wh, pq = duckdb.connect(str(db), read_only=True), parquet_connection(gen)
    print(f"\n{'query':42} {'warehouse ms':>13} {'parquet ms':>11} {'ratio':>6}")
    for name, sql in queries(last).items():
        a, b = timed(lambda: wh.execute(sql).fetchall()), timed(lambda: pq.execute(sql).fetchall())
        print(f"{name:42} {a:13.0f} {b:11.0f} {b / a:6.2f}x")
    wh.close()
    if not args.no_search:
        search_figures(db, gen, args.search_docs, rebuild=not args.reuse)
    if args.dir is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
