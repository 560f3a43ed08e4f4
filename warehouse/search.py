"""Ranked full-text search (BM25) over titles and texts in ar, zh and en.

The index (warehouse/search_index.py: postings in term order, Okapi BM25 in
SQL) holds tokens from warehouse/tokens.py and lives in its own file
($MEDIAMON_DATA_DIR/search/index.duckdb) because readers open the warehouse
read-only. It is rebuilt,
atomically, whenever the warehouse's articles changed since it was built.
Near-copies are folded into their original, as everywhere else.

A query that names an entity in any language is widened with the entity's
names in all three (DeepSeek also looks for 深度求索 and ديب سيك)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb

from core.settings import data_dir
from warehouse import search_index
from warehouse.db import connect_reader, is_lock_error, reader_wait_s
from warehouse.tokens import VERSION as TOKENS_VERSION
from warehouse.tokens import query_tokens, tokens

LANGS = ("ar", "zh", "en")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s*|\n+")
SNIPPET_CHARS = 240


class SearchError(ValueError):
    """A bad search argument, said in one line."""


@dataclass(frozen=True)
class Filters:
    lang: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None
    topic: str | None = None
    entity: str | None = None


def index_path() -> Path:
    return data_dir() / "search" / "index.duckdb"


def fts_extension() -> str:
    """DuckDB's FTS extension file (from PyPI); the tests' baseline, not the index."""
    import duckdb_extension_fts

    found = sorted(Path(duckdb_extension_fts.__file__).parent.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
    found = found or sorted(Path(duckdb_extension_fts.__file__).parent.glob("extensions/*/*.duckdb_extension"))
    if not found:
        raise RuntimeError("duckdb-extension-fts is installed without its extension file")
    return str(found[-1])


def fingerprint(wh: duckdb.DuckDBPyConnection) -> str:
    """Changes whenever an article is added, removed, re-titled or re-written."""
    row = wh.execute("SELECT COUNT(*), MAX(loaded_at), bit_xor(hash(article_id, content_sha256, title, dup_of)) "
                     "FROM articles").fetchone()
    return "|".join(map(str, (*row, TOKENS_VERSION)))


def build_index(wh: duckdb.DuckDBPyConnection, target: Path) -> int:
    return search_index.build(wh, target, fingerprint(wh))


def _fresh_index(wh: duckdb.DuckDBPyConnection) -> Path:
    """The index, brought up to the warehouse first: built whole the first
    time, then updated in place for the articles that changed."""
    path = index_path()
    fp = fingerprint(wh)
    if path.exists():
        try:
            con = duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if is_lock_error(exc):
                return path  # another search is updating it: read it once it is done
            raise
        try:
            if con.execute("SELECT fingerprint FROM stats").fetchone()[0] != fp:
                search_index.update(con, wh, fp)
            return path
        except duckdb.CatalogException:
            pass  # an index of an older layout: rebuild it
        finally:
            con.close()
    search_index.build(wh, path, fp)
    return path


def _open_index(path: Path) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + reader_wait_s()
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException as exc:
            if not is_lock_error(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@lru_cache(maxsize=4)
def _alias_index(config: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """alias tokens (as one string) -> (entity_id, all names' query tokens)."""
    from transforms.vocab import load_vocabulary

    out = {}
    for e in load_vocabulary(config).gazetteer.entities:
        names = {" ".join(query_tokens(n)) for n in (e.name, *(a for al in e.aliases.values() for a in al))}
        names.discard("")
        # "ديب سيك الصينية" and "杭州深度求索" would widen the query with
        # "Chinese" and "Hangzhou": a name that holds a shorter name adds nothing
        core = [n for n in names if not any(o != n and f" {o} " in f" {n} " for o in names)]
        toks = tuple(dict.fromkeys(t for n in sorted(core) for t in n.split()))
        for n in names:
            out[n] = (e.id, toks)
    return out


def aliases() -> dict[str, tuple[str, tuple[str, ...]]]:
    from core.settings import config_dir

    return _alias_index(str(config_dir()))


def expand(query: str) -> tuple[list[str], list[str]]:
    """The query's tokens widened with every name of each entity it names, and those entity ids."""
    q = query_tokens(query)
    joined = f" {' '.join(q)} "
    out, found = list(q), []
    for alias, (eid, toks) in aliases().items():
        if alias and f" {alias} " in joined and eid not in found:
            found.append(eid)
            out.extend(toks)
    return list(dict.fromkeys(out)), found


def resolve_entity(name: str) -> str:
    key = " ".join(query_tokens(name))
    ids = {eid for eid, _ in aliases().values()}
    if name in ids:
        return name
    if key in aliases():
        return aliases()[key][0]
    raise SearchError(f"unknown entity {name!r}: give an id from the entities table or one of its names")


def _where(f: Filters, topics: set[str]) -> tuple[str, list]:
    conds, params = [], []
    if f.lang:
        if f.lang not in LANGS:
            raise SearchError(f"--lang must be one of {', '.join(LANGS)}, not {f.lang!r}")
        conds.append("lang = ?"), params.append(f.lang)
    if f.since:
        conds.append("day >= ?"), params.append(f.since)
    if f.until:
        conds.append("day <= ?"), params.append(f.until)
    if f.source:
        conds.append("source_id = ?"), params.append(f.source)
    if f.topic:
        if f.topic not in topics:
            raise SearchError(f"unknown topic {f.topic!r}: see SELECT topic_id, name FROM topics")
        conds.append("list_contains(topics, ?)"), params.append(f.topic)
    if f.entity:
        conds.append("list_contains(entities, ?)"), params.append(resolve_entity(f.entity))
    return (" AND ".join(conds) or "TRUE"), params


def snippet(title: str | None, text: str | None, qtoks: set[str]) -> str:
    """The sentence of the article that holds the most distinct query tokens."""
    best, best_hits = (title or ""), -1
    for i, sent in enumerate([title or "", *_SENTENCE_END.split(text or "")]):
        sent = sent.strip()
        if not sent:
            continue
        hits = len(qtoks & set(tokens(sent))) - (i == 0) * 0.5  # prefer a body sentence to the bare title
        if hits > best_hits:
            best, best_hits = sent, hits
    return best if len(best) <= SNIPPET_CHARS else best[: SNIPPET_CHARS - 1] + "…"


def search(query: str, filters: Filters = Filters(), limit: int = 10, path: Path | None = None) -> list[dict]:
    if not query.strip():
        raise SearchError("the query is empty")
    if limit < 1:
        raise SearchError("--limit must be at least 1")
    if filters.since and filters.until and filters.since > filters.until:
        raise SearchError("--since is after --until")
    qtoks, named = expand(query)
    if not qtoks:
        raise SearchError(f"the query {query!r} has no words to search for")
    wh = connect_reader(path)
    try:
        topics = {r[0] for r in wh.execute("SELECT topic_id FROM topics").fetchall()}
        where, params = _where(filters, topics)
        idx = _open_index(_fresh_index(wh))
        try:
            # A named entity is looked for in all three languages; Chinese names
            # index as several bigrams and would outscore a one-word English
            # name, so each language's scores are scaled to its own best.
            rows = search_index.query(idx, qtoks, where, params, limit, per_lang=bool(named) and not filters.lang)
        finally:
            idx.close()
        texts = dict(wh.execute("SELECT article_id, text FROM articles WHERE article_id IN (SELECT unnest(?))",
                                [[r[0] for r in rows]]).fetchall())
    finally:
        wh.close()
    wanted = set(qtoks)
    return [{"article_id": aid, "lang": lang, "source_id": src, "published": str(day), "title": title, "url": url,
             "copies": copies, "score": round(score, 4), "snippet": snippet(title, texts.get(aid), wanted)}
            for aid, lang, src, day, title, url, copies, score in rows]
