"""Extraction: raw WARC archive -> one staging row per article page.

Runs offline from the archive, so it can be repeated after a better extractor
or a fix without fetching anything again. Pages that cannot become articles
(HTTP errors, failed fetches, non-HTML) become quarantine rows with a reason."""
from __future__ import annotations

import hashlib
import itertools
import json
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import polars as pl

from core.dates import parse_datetime
from core.urls import article_id_for, canonical_url
from transforms.decode import decode_html, is_html, looks_binary
from transforms.extract_fallback import extract_article

STAGING_SCHEMA = {
    "article_id": pl.String, "url": pl.String, "source_id": pl.String, "title": pl.String,
    "text": pl.String, "author": pl.String, "lang_hint": pl.String,
    "published_at": pl.Datetime("us", "UTC"), "published_from": pl.String,
    "fetched_at": pl.Datetime("us", "UTC"), "http_status": pl.Int32, "content_sha256": pl.String,
}
QUARANTINE_SCHEMA = {
    "record_id": pl.String, "stage": pl.String, "source_id": pl.String, "url": pl.String,
    "reasons": pl.List(pl.String), "payload": pl.String,
}
PARALLEL_FROM = 40  # below this, starting worker processes costs more than it saves


def iter_warc(path: Path) -> Iterator[dict]:
    """Article records of one archive, as plain dicts (picklable for workers)."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh):
            h = rec.rec_headers
            if h.get_header("Mediamon-Role") != "article":
                continue
            meta = json.loads(h.get_header("Mediamon-Meta") or "{}")
            base = {
                "url": h.get_header("WARC-Target-URI"),
                "source_id": h.get_header("Mediamon-Source"),
                "fetched_at": h.get_header("WARC-Date"),
                "meta": meta,
            }
            if rec.rec_type == "response":
                base["status"] = int(rec.http_headers.get_statuscode())
                base["content_type"] = rec.http_headers.get_header("Content-Type") or ""
                base["body"] = rec.content_stream().read()
                yield base
            elif rec.rec_type == "metadata":
                base["failure"] = json.loads(rec.content_stream().read() or b"{}")
                yield base


@lru_cache(maxsize=1)
def _date_params() -> dict:
    """htmldate's settings, applied by trafilatura's own metadata pass (one date
    search per page, on the tree it has already parsed). htmldate drops dates
    after today and then guesses another one; a future date is a fact about the
    page that validation must see, so allow it. Time of day is kept."""
    return {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            "max_date": (datetime.now(timezone.utc) + timedelta(days=3650)).strftime("%Y-%m-%d")}


def _published(page_date: str | None, meta: dict) -> tuple[datetime | None, str]:
    """The page's own date, else the date its feed or sitemap gave."""
    dt = parse_datetime(page_date)
    if dt is not None:
        return dt, "html"
    dt = parse_datetime(meta.get("published"))
    return (dt, "feed") if dt is not None else (None, "none")


def extract_one(rec: dict) -> tuple[str, dict]:
    """('article', row), ('quarantine', row) or ('skipped', row) for one archived record."""
    url = canonical_url(rec["url"])
    rid = article_id_for(url)
    q = {"record_id": rid, "stage": "extract", "source_id": rec["source_id"], "url": url}
    if "failure" in rec and rec["failure"].get("skipped"):
        return "skipped", {"source_id": rec["source_id"], "url": url, "reason": rec["failure"]["skipped"]}
    if "failure" in rec:
        f = rec["failure"]
        return "quarantine", {**q, "reasons": [f"fetch_failed:{f.get('error_kind', 'other')}"],
                              "payload": json.dumps({"message": f.get("message")}, ensure_ascii=False)}
    if rec["status"] >= 400:
        return "quarantine", {**q, "reasons": [f"http_status:{rec['status']}"],
                              "payload": json.dumps({"status": rec["status"]})}
    if not is_html(rec["content_type"], rec["body"]):
        return "quarantine", {**q, "reasons": [f"not_html:{rec['content_type'][:60]}"],
                              "payload": json.dumps({"content_type": rec["content_type"]})}

    if looks_binary(rec["body"]):
        return "quarantine", {**q, "reasons": ["binary_content"],
                              "payload": json.dumps({"content_type": rec["content_type"], "bytes": len(rec["body"])})}

    html = decode_html(rec["body"], rec["content_type"])
    d, _ = extract_article(html, url, _date_params())
    published, origin = _published(d.get("date"), rec["meta"])
    return "article", {
        "article_id": rid, "url": url, "source_id": rec["source_id"],
        "title": d.get("title") or rec["meta"].get("title"),
        "text": (d.get("text") or "").strip(),
        "author": d.get("author"), "lang_hint": d.get("language"),
        "published_at": published, "published_from": origin,
        "fetched_at": parse_datetime(rec["fetched_at"]), "http_status": rec["status"],
        "content_sha256": hashlib.sha256(rec["body"]).hexdigest(),
    }


LEDGER_SCHEMA = {"source_id": pl.String, "records": pl.Int64, "skipped_duplicates": pl.Int64}


def extract_archives(warc_paths: list[Path], workers: int = 2) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(staging articles, extract-stage quarantine, ledger) for a set of archives.

    The ledger counts, per source, the article records in the archive and how
    many of them the crawler skipped as already held (an earlier run's page, or
    the same page listed twice), so that later stages can prove every record
    was loaded, quarantined or skipped."""
    records = (r for p in warc_paths for r in iter_warc(p))
    head = list(itertools.islice(records, PARALLEL_FROM))
    if len(head) >= PARALLEL_FROM and workers > 1:
        # map() submits while this process is still unpacking the archive, so
        # reading and extraction overlap instead of running one after the other
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(extract_one, itertools.chain(head, records), chunksize=8))
    else:
        results = [extract_one(r) for r in itertools.chain(head, records)]
    arts = [row for kind, row in results if kind == "article"]
    quar = [row for kind, row in results if kind == "quarantine"]
    # Out-of-window items were never in scope, so they are not records; the
    # archive and crawl_runs still show each of them.
    skipped = pl.DataFrame([row for kind, row in results if kind == "skipped"],
                           schema={"source_id": pl.String, "url": pl.String, "reason": pl.String}
                           ).filter(pl.col("reason") != "outside_window")
    fetched = pl.DataFrame(arts, schema=STAGING_SCHEMA).sort("fetched_at", "url")
    # The same article reached twice (links differing only in tracking
    # parameters, feed and section, a retry) is one article: the latest fetch
    # goes on, earlier ones are quarantined as duplicates, so nothing vanishes.
    ranked = fetched.with_columns(
        (pl.len().over("article_id") - 1 - pl.int_range(pl.len()).over("article_id")).alias("_later")
    )
    articles = ranked.filter(pl.col("_later") == 0).drop("_later")
    dupes = ranked.filter(pl.col("_later") > 0).select(
        (pl.col("article_id") + "-dup" + pl.col("_later").cast(pl.String)).alias("record_id"),
        pl.lit("extract").alias("stage"), "source_id", "url",
        pl.lit(["duplicate_id"]).alias("reasons"),
        pl.struct("article_id", "url", "fetched_at", "content_sha256").struct.json_encode().alias("payload"),
    )
    rejected = pl.concat([pl.DataFrame(quar, schema=QUARANTINE_SCHEMA), dupes], how="vertical_relaxed")
    ledger = (
        pl.concat([articles.select("source_id", skip=pl.lit(0)), rejected.select("source_id", skip=pl.lit(0)),
                   skipped.select("source_id", skip=pl.lit(1))])
        .group_by("source_id")
        .agg(pl.len().cast(pl.Int64).alias("records"), pl.col("skip").sum().cast(pl.Int64).alias("skipped_duplicates"))
    )
    return articles, rejected, pl.DataFrame(ledger, schema=LEDGER_SCHEMA)
