"""The daily steps, one function each, over one date partition.

DAG tasks call these with strings and get strings back (paths, ids), so the
same steps run from Airflow, from tests, and by hand."""
from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import polars as pl

from core.atomic import atomic_dir
from core.dates import day_end, window_start
from core.settings import Partition
from core.sources import load_sources

log = logging.getLogger(__name__)


def read_sources(sources_file: str, day: str | None = None) -> list[dict]:
    """Check every config file and the warehouse directory before any request
    (mediamon/preflight.py); one entry per mapped crawl task."""
    from mediamon.preflight import preflight

    if day is not None:
        log.info("preflight: %s", preflight(sources_file, day))
    return [{"source_id": s.id, "sources_file": str(Path(sources_file).resolve())}
            for s in load_sources(sources_file).sources]


def raw_dirs(day: str, sources: list[dict]) -> list[str]:
    """The archives this date's sources left. A crawl task that failed may
    have left one (a dead feed is archived and counted) or none (it crashed):
    either way the other sources go on."""
    part = Partition.for_day(day)
    return [str(part.raw_dir(s["source_id"])) for s in sources if part.raw_dir(s["source_id"]).is_dir()]


def crawl(sources_file: str, source_id: str, day: str) -> str:
    import os

    from crawlers.run import crawl_source
    from crawlers.state import build_state
    from quality.health import answered, crawl_health
    from quality.thresholds import load_rules

    part = Partition.for_day(day)
    raw_dir = part.raw_dir(source_id)
    source = load_sources(sources_file).get(source_id)
    # the window validation enforces; feed and sitemap dates let the crawler skip older items unfetched
    window = window_start(part.day, source.window_days or load_rules().rows.default_window_days)
    # MEDIAMON_INCREMENTAL=0 fetches everything listed again, e.g. after a site fixed its pages
    incremental = os.environ.get("MEDIAMON_INCREMENTAL", "1") != "0"
    state = build_state(source_id, part.day, part.root, since=window.date()) if incremental else None
    stats = crawl_source(sources_file, source_id, raw_dir, state=state, window_start=window)
    log.info("crawl %s: %s", source_id, json.dumps(stats))
    listing = crawl_health({source_id: stats}).row(0, named=True)
    if not listing["passed"]:
        # Scrapy exits 0 for a dead or moved feed: say it here, where the person
        # on call looks first. The other sources go on (extract runs regardless).
        raise RuntimeError(f"source {source_id}: {listing['detail']}")
    if not answered(stats):
        log.warning("source %s: its listings answered but named no article that could be fetched "
                    "(responses by status %s, errors %s)", source_id, stats["responses_by_status"],
                    stats["errors_by_kind"])
    return str(raw_dir)


def extract(day: str, raw_dirs: list[str]) -> str:
    from transforms.extract import extract_archives

    part = Partition.for_day(day)
    warcs = sorted(p for d in raw_dirs for p in Path(d).glob("*.warc.gz"))
    articles, rejected, ledger = extract_archives(warcs)
    with atomic_dir(part.staging_dir) as tmp:
        articles.write_parquet(tmp / "articles.parquet")
        rejected.write_parquet(tmp / "quarantine.parquet")
        ledger.write_parquet(tmp / "ledger.parquet")
    log.info("extract: %d articles, %d rejected from %d archives", articles.height, rejected.height, len(warcs))
    return str(part.staging_dir)


def enrich(day: str, staging_dir: str) -> str:
    from transforms.enrich import enrich_frame, write_enriched

    part = Partition.for_day(day)
    staged = pl.read_parquet(Path(staging_dir) / "articles.parquet")
    result = enrich_frame(staged.rename({"lang_hint": "lang"}))
    with atomic_dir(part.enriched_dir) as tmp:
        write_enriched(result, tmp)
    log.info("enrich: %d articles, %d topic tags, %d entity mentions",
             result.articles.height, result.topics.height, result.entities.height)
    return str(part.enriched_dir)


def validate(day: str, enriched_dir: str, sources_file: str, run_id: str) -> str:
    from quality.health import crawl_health, failures
    from quality.suites import SuiteParams
    from quality.thresholds import load_rules
    from quality.validate import BatchRejected, validate_batch
    from transforms.vocab import cached_vocabulary
    from warehouse.history import existing_ids, source_history

    part = Partition.for_day(day)
    src, rules, vocab = load_sources(sources_file), load_rules(), cached_vocabulary()
    enriched = Path(enriched_dir)
    articles = pl.read_parquet(enriched / "articles.parquet")
    tags = {name: pl.read_parquet(enriched / f"{name}.parquet") for name in ("topics", "entities")}
    staged_rejects = pl.read_parquet(part.staging_dir / "quarantine.parquet")
    ledger = pl.read_parquet(part.staging_dir / "ledger.parquet")
    end = day_end(part.day)
    dup_targets = articles["dup_of"].drop_nulls().unique().to_list()
    params = SuiteParams(
        rules=rules,
        allowed_source_langs=tuple(f"{s.id}:{lang}" for s in src.sources for lang in s.lang),
        known_sources=tuple(s.id for s in src.sources),
        # pages are dated in their own time zone, some ahead of UTC
        latest_published_at=end + timedelta(hours=rules.rows.future_tolerance_hours),
        topic_ids=tuple(t.id for t in vocab.taxonomy.topics),
        entity_ids=tuple(e.id for e in vocab.gazetteer.entities),
        known_article_ids=tuple(existing_ids(dup_targets)),
    )
    history, history_days = source_history(part.day, rules.batch.history_days)
    windows = {s.id: window_start(part.day, s.window_days or rules.rows.default_window_days) for s in src.sources}
    # shares and volumes are about what was fetched; skipped URLs were not
    fetched = ledger.select("source_id", pl.col("records") - pl.col("skipped_duplicates"))
    records = {s.id: 0 for s in src.sources} | dict(fetched.iter_rows())
    stats = _crawl_stats(part, [s.id for s in src.sources])
    try:
        outcome = validate_batch(
            articles, params, run_id, topics=tags["topics"], entities=tags["entities"], windows=windows,
            prior_rejects=staged_rejects, records=records, history=history, history_days=history_days,
            already_held=int(ledger["skipped_duplicates"].sum()) + _nothing_new(stats),
            docs_root=part.root,  # GX keeps its project in <data dir>/gx
            policies={s.id: s.on_unhealthy for s in src.sources},
        )
    except BatchRejected as exc:
        # kept with the date, so a person can see why it did not load
        with atomic_dir(part.quarantine_dir) as tmp:
            exc.results.write_parquet(tmp / "dq_rejected.parquet")
            staged_rejects.write_parquet(tmp / "records.parquet")
        raise
    health = pl.concat([outcome.health, crawl_health(stats)])
    for line in failures(health):
        log.warning("source health: %s", line)
    keep = outcome.passed.select("article_id")
    with atomic_dir(part.validated_dir) as tmp:
        outcome.passed.write_parquet(tmp / "articles.parquet")
        for name, frame in tags.items():
            frame.join(keep, on="article_id").write_parquet(tmp / f"{name}.parquet")
        outcome.results.write_parquet(tmp / "dq_results.parquet")
        ledger.write_parquet(tmp / "ledger.parquet")
        health.write_parquet(tmp / "health.parquet")
    with atomic_dir(part.quarantine_dir) as tmp:
        pl.concat([staged_rejects, outcome.quarantined], how="vertical_relaxed").write_parquet(
            tmp / "records.parquet")
    log.info("validate: %d passed, %d quarantined; Data Docs: %s", outcome.passed.height,
             outcome.quarantined.height, part.root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html")
    return str(part.validated_dir)


def _crawl_stats(part: Partition, source_ids: list[str]) -> dict[str, dict | None]:
    """Each source's crawl_stats.json for this date; None where its crawl left none."""
    found = {}
    for sid in source_ids:
        f = part.raw_dir(sid) / "crawl_stats.json"
        found[sid] = json.loads(f.read_text()) if f.exists() else None
    return found


def _nothing_new(stats: dict[str, dict | None]) -> int:
    """Listings of this date that answered 304, and listed items older than the
    window: nothing new, by the server's word or by date."""
    return sum(s.get("not_modified", 0) + s.get("skipped_outside_window", 0) for s in stats.values() if s)


def load(day: str, validated_dir: str, sources: list[dict]) -> dict:
    from transforms.vocab import cached_vocabulary
    from warehouse.load import Batch, load_batch

    v = Path(validated_dir)
    stats = [s for s in _crawl_stats(Partition.for_day(day), [s["source_id"] for s in sources]).values() if s]
    batch = Batch(
        day=Partition.for_day(day).day,
        articles=pl.read_parquet(v / "articles.parquet"),
        topics=pl.read_parquet(v / "topics.parquet"),
        entities=pl.read_parquet(v / "entities.parquet"),
        quarantine=pl.read_parquet(Partition.for_day(day).quarantine_dir / "records.parquet"),
        crawl_runs=stats,
        dq_results=pl.read_parquet(v / "dq_results.parquet"),
        ledger=pl.read_parquet(v / "ledger.parquet"),
        health=pl.read_parquet(v / "health.parquet"),
    )
    counts = load_batch(batch, cached_vocabulary())
    log.info("load: %s", counts)
    return counts


def check_sources(day: str, sources: list[dict], dag_id: str, run_id: str) -> list[str]:
    """The run's verdict on its sources, after everything that could load has
    loaded: alerts (data quality, silent sources, spikes), then fails naming
    each source, check and value that failed."""
    from mediamon.alerts import daily_alerts
    from quality.health import failures
    from quality.thresholds import load_rules

    part = Partition.for_day(day)
    lines = failures(pl.read_parquet(part.validated_dir / "health.parquet"))
    daily_alerts(part.day, [s["source_id"] for s in sources], lines, dag_id, run_id,
                 silent_days=load_rules().batch.silent_days)
    if lines:
        raise RuntimeError(f"{len(lines)} source check(s) failed: " + "; ".join(lines))
    return lines


def summarize(day: str) -> str:
    from core.atomic import atomic_path
    from warehouse.report import trend_summary

    part = Partition.for_day(day)
    text = trend_summary()
    target = part.reports_dir / "summary.txt"
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    log.info("summary:\n%s", text)
    # Scheduled runs also get it from the report DAG, which fails loudly on its
    # own; here a report bug must not turn a loaded day red.
    from warehouse.report_html import write_report

    try:
        log.info("report: %s", write_report(part.day))
    except Exception:
        log.exception("the HTML report for %s could not be written (the data is loaded)", day)
    return str(target)



def archived_dates(start: str, end: str) -> list[str]:
    """Dates between start and end (inclusive) that have a raw archive."""
    first, last = Partition.for_day(start).day, Partition.for_day(end).day
    if first > last:
        raise ValueError(f"start {first} is after end {last}")
    root = Partition.for_day(first).root / "raw"
    days = []
    for d in sorted(root.glob("date=*")):
        try:
            day = Partition.for_day(d.name.removeprefix("date=")).day
        except ValueError:
            continue
        if first <= day <= last and any(d.glob("source=*/*.warc.gz")):
            days.append(day.isoformat())
    return days


def reprocess(day: str, sources_file: str, run_id: str) -> dict:
    """Extract, enrich, validate and load one date again from its raw archive
    alone (no network), e.g. after the taxonomy, lexicons or models changed."""
    sources = read_sources(sources_file)
    staging = extract(day, raw_dirs(day, sources))
    validated = validate(day, enrich(day, staging), sources_file, run_id)
    return load(day, validated, sources)
