"""Loading and search figures for benchmarks/warehouse_scale.py."""
from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import polars as pl


def load_history(gen: Path, db: Path, days: int) -> float:
    """Every day but the last in one bulk insert per table (a backfill)."""
    from transforms.vocab import cached_vocabulary
    from warehouse.db import connect, migrate

    vocab = cached_vocabulary()
    last = f"day={days - 1:03d}.parquet"
    t = time.perf_counter()
    con = connect(db)
    migrate(con)
    con.execute("BEGIN")
    for name, table in (("articles", "articles"), ("topics", "article_topics"), ("entities", "article_entities")):
        con.execute(f"INSERT INTO {table} BY NAME SELECT * EXCLUDE (filename) FROM "
                    f"read_parquet('{gen / name}/*.parquet', filename = true) WHERE NOT ends_with(filename, '{last}')")
    con.executemany("INSERT OR REPLACE INTO topics VALUES (?, ?, ?, ?)",
                    [(x.id, x.name, x.parent, vocab.taxonomy_version) for x in vocab.taxonomy.topics])
    con.executemany("INSERT OR REPLACE INTO entities VALUES (?, ?, ?)",
                    [(e.id, e.name, e.type) for e in vocab.gazetteer.entities])
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - t


def refresh_aggregates(db: Path) -> float:
    """Migrate (a reused warehouse may predate migration 014) and hold every day."""
    from warehouse.aggregates import refresh_all
    from warehouse.db import connect, migrate

    t = time.perf_counter()
    con = connect(db)
    migrate(con)
    con.execute("BEGIN")
    refresh_all(con)
    con.execute("COMMIT")
    con.close()
    return time.perf_counter() - t


def load_last_day(gen: Path, db: Path, days: int) -> tuple[float, int, float]:
    """The last day through the daily load path (load_batch: upsert, one
    transaction), then the aggregate refresh the load's hook runs."""
    from transforms.vocab import cached_vocabulary
    from warehouse.load import Batch, load_batch

    name = f"day={days - 1:03d}.parquet"
    arts = pl.read_parquet(gen / "articles" / name)
    empty_q = pl.DataFrame(schema={"record_id": pl.String, "stage": pl.String, "source_id": pl.String,
                                   "url": pl.String, "reasons": pl.List(pl.String), "payload": pl.String})
    empty_dq = pl.DataFrame(schema={"run_id": pl.String, "suite": pl.String, "expectation": pl.String,
                                    "column_name": pl.String, "reason": pl.String, "success": pl.Boolean,
                                    "unexpected_count": pl.Int64, "observed_value": pl.String,
                                    "checked_at": pl.Datetime("us", "UTC")})
    batch = Batch(day=arts["crawl_date"][0], articles=arts, topics=pl.read_parquet(gen / "topics" / name),
                  entities=pl.read_parquet(gen / "entities" / name), quarantine=empty_q,
                  crawl_runs=[{"source_id": s} for s in arts["source_id"].unique().sort()], dq_results=empty_dq)
    vocab = cached_vocabulary()
    t = time.perf_counter()
    load_batch(batch, vocab, db)
    load_s = time.perf_counter() - t
    from warehouse.aggregates import refresh_batch
    from warehouse.db import connect

    con = connect(db)
    con.register("b_articles", arts.to_arrow())
    t = time.perf_counter()
    con.execute("BEGIN")
    refresh_batch(con)
    con.execute("COMMIT")
    hook_s = time.perf_counter() - t
    con.close()
    return load_s, arts.height, hook_s


QUERIES = ["DeepSeek", "深度求索", "ديب سيك", "H20 export curbs", "降准", "أسعار النفط"]


def search_figures(db: Path, gen: Path, n_docs: int, rebuild: bool = True) -> None:
    """The search index over the latest `n_docs` articles: build time, query
    latency through `search()`, and a full scan of the Parquet text as baseline."""
    from warehouse import search as s

    os.environ["MEDIAMON_DATA_DIR"] = str(db.parent.parent)
    build_s = None
    if rebuild or not s.index_path().exists():
        con = duckdb.connect()
        con.execute(f"ATTACH '{db}' AS w (READ_ONLY)")
        con.execute(f"CREATE VIEW articles AS SELECT * FROM w.articles WHERE article_id IN "
                    f"(SELECT article_id FROM w.articles ORDER BY article_id DESC LIMIT {n_docs})")
        con.execute("CREATE VIEW article_topics AS SELECT * FROM w.article_topics SEMI JOIN articles USING (article_id)")
        con.execute("CREATE VIEW article_entities AS SELECT * FROM w.article_entities SEMI JOIN articles "
                    "USING (article_id)")
        t = time.perf_counter()
        s.build_index(con, s.index_path())
        build_s = time.perf_counter() - t
        con.close()
    # searches go through the real path (warehouse freshness check, text fetch, snippets): let the index stand
    wh = duckdb.connect(str(db), read_only=True)
    fp = s.fingerprint(wh)
    wh.close()
    idx = duckdb.connect(str(s.index_path()))
    idx.execute("UPDATE stats SET fingerprint = ?", [fp])
    idx.close()
    size = s.index_path().stat().st_size
    docs = duckdb.connect(str(s.index_path()), read_only=True).execute("SELECT n_docs FROM stats").fetchone()[0]
    built = f"built in {build_s:.1f} s" if build_s is not None else "reused"
    print(f"\nsearch index over the latest {docs:,} articles: {built}, {size / 1e6:.0f} MB")
    pq = duckdb.connect()
    files = f"{gen / 'articles'}/*.parquet"
    print(f"{'search':24} {'search() ms':>12} {'hits':>5} {'Parquet ILIKE scan ms':>22} {'ratio':>6}")
    for q in QUERIES:
        best, hits = float("inf"), 0
        for _ in range(3):
            t = time.perf_counter()
            hits = len(s.search(q, limit=10, path=db))
            best = min(best, time.perf_counter() - t)
        words = [w for w in q.split() if w]
        cond = " OR ".join(f"(title ILIKE '%{w}%' OR text ILIKE '%{w}%')" for w in words)
        t = time.perf_counter()  # once: a full scan of the text takes tens of seconds
        pq.execute(f"SELECT article_id, title FROM (SELECT * FROM read_parquet('{files}') "
                   f"ORDER BY article_id DESC LIMIT {n_docs}) WHERE {cond} LIMIT 10").fetchall()
        scan = time.perf_counter() - t
        print(f"{q:24} {best * 1000:12.0f} {hits:5d} {scan * 1000:22.0f} {scan / best:6.2f}x")
