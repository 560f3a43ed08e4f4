"""The search index: BM25 over a postings table in its own DuckDB file.

DuckDB's FTS extension keeps one row per token occurrence ordered by
document, so every query scans them all (1.6 s for 19,000 articles of
realistic length, hopeless for two million). Here postings are one row per
(term, document) with its frequency, stored in term order, so a query reads
only the row groups of its own terms (DuckDB's zone maps skip the rest).
Scoring is Okapi BM25 (k1 = 1.2, b = 0.75, Lucene's idf), the same formula
the FTS extension uses."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core.atomic import atomic_path
from warehouse.tokens import ARABIC_CLASS, HAN_CLASS, stem_arabic, stem_latin

K1, B = 1.2, 0.75
CHUNK = 20_000  # documents tokenized at a time, to bound memory
TOKEN = rf"[{HAN_CLASS}]+|[{ARABIC_CLASS}]+|[^\W_{HAN_CLASS}{ARABIC_CLASS}]+"  # tokens.py's three kinds
IS_HAN, IS_ARABIC = rf"^[{HAN_CLASS}]+$", rf"^[{ARABIC_CLASS}]+$"


def _postings(docs: pl.DataFrame, title_weight: int = 2) -> pl.DataFrame:
    """(docid, term, tf) from title and text: warehouse/tokens.py's index_text,
    vectorized (tests hold the two equal); Python stems each distinct word once."""
    def found(col: str, weight: int) -> pl.LazyFrame:
        return docs.lazy().select(
            "docid", pl.col(col).fill_null("").str.normalize("NFKC").str.extract_all(TOKEN).alias("tok"),
            pl.lit(weight, dtype=pl.Int32).alias("w")).explode("tok").drop_nulls("tok")

    t = pl.concat([found("title", title_weight), found("text", 1)]).collect()
    han = t.filter(pl.col("tok").str.contains(IS_HAN)).with_columns(pl.col("tok").str.split("").alias("c"))
    grams = han.select("docid", "w", pl.concat_list(
        pl.col("c"), pl.col("c").list.eval(pl.element() + pl.element().shift(-1)).list.drop_nulls()).alias("term"))
    words = t.filter(~pl.col("tok").str.contains(IS_HAN))
    distinct = words.select("tok").unique().with_columns(pl.col("tok").str.contains(IS_ARABIC).alias("ar"))
    stems = distinct.select("tok", pl.Series("term", [stem_arabic(w) if ar else stem_latin(w)
                                                     for w, ar in distinct.iter_rows()], dtype=pl.String))
    rest = words.join(stems, on="tok").filter(pl.col("term") != "").select("docid", "w", "term")
    return (pl.concat([grams.explode("term"), rest]).group_by("docid", "term")
            .agg(pl.col("w").sum().cast(pl.Int32).alias("tf")))


_META = """
    WITH copies AS (SELECT dup_of AS article_id, COUNT(*) AS copies FROM articles
                    WHERE dup_of IS NOT NULL GROUP BY ALL),
         tops AS (SELECT article_id, list(topic_id ORDER BY topic_id) AS topics FROM article_topics GROUP BY ALL),
         ents AS (SELECT article_id, list(entity_id ORDER BY entity_id) AS entities FROM article_entities GROUP BY ALL)
    SELECT a.article_id, a.lang, a.source_id, CAST(COALESCE(a.published_at, a.crawl_date) AS DATE) AS day,
           a.title, a.url, 1 + COALESCE(c.copies, 0) AS copies, COALESCE(t.topics, []) AS topics,
           COALESCE(e.entities, []) AS entities,
           -- what an indexed document depends on: a change re-indexes it
           hash(a.content_sha256, a.title, a.taxonomy_version, c.copies, a.published_at, a.source_id) AS sig
    FROM articles a LEFT JOIN copies c USING (article_id) LEFT JOIN tops t USING (article_id)
    LEFT JOIN ents e USING (article_id)
    WHERE a.dup_of IS NULL"""

_SCHEMA = """
    CREATE TABLE docs (docid INTEGER, article_id VARCHAR, lang VARCHAR, source_id VARCHAR, day DATE, title VARCHAR,
                       url VARCHAR, copies BIGINT, topics VARCHAR[], entities VARCHAR[], sig UBIGINT, len INTEGER);
    CREATE TABLE terms (termid INTEGER, term VARCHAR, df BIGINT);
    CREATE TABLE postings (termid INTEGER, docid INTEGER, tf INTEGER);
    CREATE TABLE stats (n_docs BIGINT, avgdl DOUBLE, fingerprint VARCHAR);"""


def build(wh: duckdb.DuckDBPyConnection, target: Path, fingerprint: str) -> int:
    """Write the index of the warehouse behind `wh` to `target`, atomically."""
    with atomic_path(target) as tmp:
        tmp.unlink()
        con = duckdb.connect(str(tmp))
        try:
            con.execute(_SCHEMA)
            n = update(con, wh, fingerprint)
            # a fresh index is stored in term order, which is what makes queries read little
            con.execute("CREATE TABLE sorted AS SELECT * FROM postings ORDER BY termid, docid")
            con.execute("DROP TABLE postings")
            con.execute("ALTER TABLE sorted RENAME TO postings")
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return n


def update(con: duckdb.DuckDBPyConnection, wh: duckdb.DuckDBPyConnection, fingerprint: str) -> int:
    """Bring the index up to the warehouse in one transaction: documents that
    are new or changed are (re)tokenized, those gone are dropped, document
    frequencies are recounted for the terms touched. Returns documents (re)indexed."""
    cur = wh.execute(_META).pl()
    old = con.execute("SELECT docid, article_id, sig FROM docs").pl()
    both = cur.select("article_id", "sig").join(old, on="article_id", how="full", coalesce=True, suffix="_old")
    stale = both.filter(pl.col("docid").is_not_null() & (pl.col("sig").is_null() | (pl.col("sig") != pl.col("sig_old"))))
    fresh = both.filter(pl.col("sig").is_not_null() & (pl.col("docid").is_null() | (pl.col("sig") != pl.col("sig_old"))))
    first = (con.execute("SELECT COALESCE(MAX(docid), 0) FROM docs").fetchone()[0] or 0) + 1
    new_docs = cur.join(fresh.select("article_id"), on="article_id").sort("article_id").with_row_index(
        "docid", offset=first).with_columns(pl.col("docid").cast(pl.Int32))
    con.execute("BEGIN")
    try:
        con.register("b_stale", stale.select("docid").to_arrow())
        con.execute("CREATE TEMP TABLE touched AS SELECT DISTINCT termid FROM postings SEMI JOIN b_stale USING (docid)")
        con.execute("DELETE FROM postings WHERE docid IN (SELECT docid FROM b_stale)")
        con.execute("DELETE FROM docs WHERE docid IN (SELECT docid FROM b_stale)")
        con.register("b_docs", new_docs.to_arrow())
        con.execute("INSERT INTO docs BY NAME SELECT *, 0 AS len FROM b_docs")
        ids = new_docs.select("docid", "article_id")
        for start in range(0, ids.height, CHUNK):
            con.register("b_post", _postings(_texts(wh, ids.slice(start, CHUNK))).to_arrow())
            top = con.execute("SELECT COALESCE(MAX(termid), 0) FROM terms").fetchone()[0]
            con.execute(f"""INSERT INTO terms SELECT CAST({top} + row_number() OVER (ORDER BY term) AS INTEGER), term, 0
                            FROM (SELECT DISTINCT term FROM b_post) ANTI JOIN terms USING (term)""")
            con.execute("INSERT INTO postings SELECT t.termid, p.docid, p.tf FROM b_post p JOIN terms t USING (term)")
            con.execute("INSERT INTO touched SELECT DISTINCT t.termid FROM b_post JOIN terms t USING (term)")
            con.execute("UPDATE docs SET len = l.len FROM (SELECT docid, SUM(tf) AS len FROM b_post GROUP BY docid) l "
                        "WHERE docs.docid = l.docid")
        con.execute("""UPDATE terms SET df = c.df FROM (
                           SELECT termid, COUNT(*) AS df FROM postings WHERE termid IN (SELECT termid FROM touched)
                           GROUP BY termid) c WHERE terms.termid = c.termid""")
        con.execute("UPDATE terms SET df = 0 WHERE termid IN (SELECT termid FROM touched) "
                    "AND termid NOT IN (SELECT termid FROM postings)")
        con.execute("DROP TABLE touched")
        con.execute("DELETE FROM stats")
        con.execute("INSERT INTO stats SELECT COUNT(*), COALESCE(AVG(len), 1), ? FROM docs", [fingerprint])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return new_docs.height


def _texts(wh: duckdb.DuckDBPyConnection, ids: pl.DataFrame) -> pl.DataFrame:
    wh.register("b_ids", ids.to_arrow())
    try:
        return wh.execute("SELECT i.docid, a.title, a.text FROM b_ids i JOIN articles a USING (article_id)").pl()
    finally:
        wh.unregister("b_ids")


def query(idx: duckdb.DuckDBPyConnection, qtoks: list[str], where: str, params: list, limit: int,
          per_lang: bool) -> list[tuple]:
    """(article_id, lang, source_id, day, title, url, copies, score), best first.
    per_lang scales each language's scores to its own best (see search.search)."""
    termids = [r[0] for r in idx.execute("SELECT termid FROM terms WHERE term IN (SELECT unnest(?))",
                                         [qtoks]).fetchall()]
    if not termids:
        return []
    # literal ids: the scan of postings then skips every row group outside them
    in_list = ", ".join(str(int(t)) for t in termids)
    scale = "MAX(score) OVER (PARTITION BY lang)" if per_lang else "1.0"
    return idx.execute(f"""
        WITH hits AS (
            SELECT p.docid, p.tf, t.df FROM postings p JOIN terms t USING (termid)
            WHERE p.termid IN ({in_list})
        ), scored AS (
            SELECT h.docid, SUM(ln((s.n_docs - h.df + 0.5) / (h.df + 0.5) + 1)
                               * h.tf * ({K1} + 1) / (h.tf + {K1} * (1 - {B} + {B} * d.len / s.avgdl))) AS score
            FROM hits h JOIN docs d USING (docid) CROSS JOIN stats s GROUP BY h.docid
        )
        SELECT article_id, lang, source_id, day, title, url, copies, score / {scale} AS score
        FROM scored JOIN docs USING (docid) WHERE {where}
        ORDER BY score DESC, article_id LIMIT ?""", [*params, limit]).fetchall()
