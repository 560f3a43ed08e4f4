"""Run the suites over an enriched batch; split it into passing rows and
quarantine rows that name every failed expectation. Nothing is dropped.

Row-level failures quarantine the row. Source-level checks are recorded per
source (quality/health.py): a source failing one at severity `fail` has its
rows flagged `degraded` or held in quarantine, as its `on_unhealthy` says;
other sources are untouched. Only a batch with nothing at all is rejected."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from datetime import datetime, timezone

import polars as pl

from quality import suites
from quality.health import content_health, is_fetch_failure
from quality.suites import SuiteParams


class BatchRejected(RuntimeError):
    """Nothing in the batch, from any source: the load must not run."""

    def __init__(self, message: str, results: pl.DataFrame):
        super().__init__(message)
        self.results = results


@dataclass
class Outcome:
    passed: pl.DataFrame
    quarantined: pl.DataFrame   # record_id, stage, source_id, url, reasons, payload
    results: pl.DataFrame       # one row per expectation (per source for batch checks): dq_results
    sources: pl.DataFrame       # the per-source batch summary the batch suite saw
    health: pl.DataFrame        # quality.health.HEALTH_SCHEMA: per source and content check


def _context(docs_root: Path | None = None):
    """A file-backed GX project under the data dir when Data Docs are wanted
    (validation results are kept and rendered), an in-memory one otherwise."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if docs_root is not None:
        ctx = gx.get_context(mode="file", project_root_dir=str(docs_root))
    else:
        ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def _run_suite(ctx, name: str, expectations: list, frame: pl.DataFrame, index: str, run_id: str):
    """Validate `frame` through a named checkpoint, so the result is stored
    (and rendered into Data Docs) under the Airflow run id."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    source = ctx.data_sources.add_or_update_pandas("mediamon")
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_dataframe_asset(name)
    try:
        batch_def = asset.get_batch_definition("whole")
    except KeyError:
        batch_def = asset.add_batch_definition_whole_dataframe("whole")
    suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=expectations))
    vd = ctx.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch_def, suite=suite))
    checkpoint = ctx.checkpoints.add_or_update(gx.Checkpoint(
        name=name, validation_definitions=[vd],
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [index]},
    ))
    result = checkpoint.run(
        batch_parameters={"dataframe": frame.to_pandas()},  # GX 1.x validates pandas, not Polars
        run_id=RunIdentifier(run_name=run_id),
    )
    return next(iter(result.run_results.values()))


def _jsonable(v):
    if isinstance(v, float) and v != v:
        return None
    return v if isinstance(v, (int, float, str, bool, type(None))) else str(v)


def text_length() -> pl.Expr:
    """Characters for Chinese, words otherwise: the units the length bounds use."""
    text = pl.col("text").fill_null("")
    return (
        pl.when(pl.col("lang") == "zh").then(text.str.replace_all(r"\s+", "").str.len_chars())
        .otherwise(text.str.count_matches(r"\S+"))
        .cast(pl.Int64).alias("text_length")
    )


def repeated_line_share(frame: pl.DataFrame, min_pages: int = 4) -> pl.DataFrame:
    """(article_id, repeated_line_share): the share of a body's lines that recur
    in at least `min_pages` pages of the same source, i.e. template text."""
    lines = (
        frame.select("article_id", "source_id", pl.col("text").fill_null("").str.split("\n").alias("line"))
        .explode("line").with_columns(pl.col("line").str.strip_chars())
        .filter(pl.col("line") != "")
    )
    spread = lines.group_by("source_id", "line").agg(pl.col("article_id").n_unique().alias("pages"))
    return (
        lines.join(spread, on=["source_id", "line"])
        .group_by("article_id")
        .agg((pl.col("pages") >= min_pages).mean().alias("repeated_line_share"))
    )


def derive(articles: pl.DataFrame, windows: dict[str, datetime]) -> pl.DataFrame:
    """The helper columns the expectations read."""
    window = pl.DataFrame({"source_id": list(windows), "window_start": list(windows.values())},
                          schema={"source_id": pl.String, "window_start": pl.Datetime("us", "UTC")})
    return (
        articles.join(window, on="source_id", how="left")
        .join(repeated_line_share(articles), on="article_id", how="left")
        .with_columns(
            pl.concat_str("source_id", pl.lit(":"), pl.col("lang").fill_null("unknown")).alias("source_lang"),
            text_length(),
            pl.col("repeated_line_share").fill_null(0.0),
            (pl.col("polarity") - pl.col("positive") - pl.col("negative")).alias("polarity_gap"),
        )
    )


def source_summary(passed: pl.DataFrame, quarantined: pl.DataFrame, records: dict[str, int],
                   history: dict[str, float], min_history: dict[str, int], min_history_days: int) -> pl.DataFrame:
    """One row per known source: rows that pass, their ratio to the source's
    recent median, and the share of its records that went to quarantine."""
    rows = []
    for sid, n_records in sorted(records.items()):
        n_pass = passed.filter(pl.col("source_id") == sid).height
        n_quar = quarantined.filter(pl.col("source_id") == sid).height
        median = history.get(sid)
        enough = min_history.get(sid, 0) >= min_history_days and median
        rows.append({
            "source_id": sid, "records": n_records, "rows": n_pass, "quarantined": n_quar,
            "history_median": median,
            "volume_ratio": (n_pass / median) if enough else None,
            "quarantine_share": (n_quar / n_records) if n_records else 0.0,
        })
    return pl.DataFrame(rows, schema={
        "source_id": pl.String, "records": pl.Int64, "rows": pl.Int64, "quarantined": pl.Int64,
        "history_median": pl.Float64, "volume_ratio": pl.Float64, "quarantine_share": pl.Float64,
    })


def _collect(res, suite: str, index: str, run_id: str, now: datetime, reasons: dict, rows: list) -> None:
    for r in res.results:
        cfg = r.expectation_config
        reason = (cfg.meta or {}).get("reason", cfg.type)
        failed = [d[index] for d in r.result.get("unexpected_index_list") or []]
        for key in failed:
            reasons.setdefault(key, []).append(reason)
        rows.append({
            "run_id": run_id, "suite": suite, "expectation": cfg.type,
            "column_name": cfg.kwargs.get("column") or cfg.kwargs.get("column_A"), "reason": reason,
            "success": bool(r.success), "unexpected_count": int(r.result.get("unexpected_count") or 0),
            "observed_value": json.dumps(_jsonable(r.result.get("observed_value")) if not failed else sorted(set(failed))[:20]),
            "checked_at": now,
        })


def validate_batch(articles: pl.DataFrame, params: SuiteParams, run_id: str, *,
                   topics: pl.DataFrame | None = None, entities: pl.DataFrame | None = None,
                   windows: dict[str, datetime] | None = None, prior_rejects: pl.DataFrame | None = None,
                   records: dict[str, int] | None = None, history: dict[str, float] | None = None,
                   history_days: dict[str, int] | None = None, docs_root: Path | None = None,
                   already_held: int = 0, policies: dict[str, str] | None = None) -> Outcome:
    """`records` are each source's extracted records and `prior_rejects` the
    extract stage's content rejects: the denominators and numerators of the
    quarantine share. `policies` maps a source to its on_unhealthy."""
    frame = derive(articles, windows or {})
    known_ids = tuple(set(params.known_article_ids) | set(articles["article_id"].drop_nulls().to_list()))
    params = SuiteParams(**{**params.__dict__, "known_article_ids": known_ids})
    ctx, now = _context(docs_root), datetime.now(timezone.utc)
    row_reasons: dict[str, list[str]] = {}
    results: list[dict] = []
    checks = [("articles", suites.article_expectations(params), frame, "article_id")]
    if topics is not None:
        checks.append(("article_topics", suites.topic_expectations(params), topics, "article_id"))
    if entities is not None:
        checks.append(("article_entities", suites.entity_expectations(params), entities, "article_id"))
    for name, exps, data, index in checks:
        _collect(_run_suite(ctx, name, exps, data, index, run_id), name, index, run_id, now, row_reasons, results)

    bad = pl.DataFrame({"article_id": list(row_reasons), "reasons": [sorted(set(v)) for v in row_reasons.values()]},
                       schema={"article_id": pl.String, "reasons": pl.List(pl.String)})
    failed = articles.join(bad, on="article_id", how="inner")
    quarantined = failed.select(
        pl.col("article_id").alias("record_id"), pl.lit("validate").alias("stage"), "source_id", "url", "reasons",
        pl.struct(pl.exclude("reasons")).struct.json_encode().alias("payload"),
    )
    passed = articles.join(bad, on="article_id", how="anti")

    # Fetch failures are crawl health (crawl_runs), not content: out of both
    # sides of the quarantine share.
    prior = prior_rejects if prior_rejects is not None else pl.DataFrame(
        schema={"source_id": pl.String, "reasons": pl.List(pl.String)})
    fetch_failed = dict(prior.filter(is_fetch_failure()).group_by("source_id").len().iter_rows())
    all_rejects = pl.concat([prior.filter(~is_fetch_failure()).select("source_id"), quarantined.select("source_id")])
    counts = {s: n - fetch_failed.get(s, 0) for s, n in records.items()} if records is not None else {
        s: articles.filter(pl.col("source_id") == s).height for s in params.known_sources}
    summary = source_summary(passed, all_rejects, counts, history or {}, history_days or {},
                             params.rules.batch.min_history_days)
    source_reasons: dict[str, list[str]] = {}
    _collect(_run_suite(ctx, "sources", suites.source_expectations(params), summary, "source_id", run_id),
             "sources", "source_id", run_id, now, source_reasons, results)
    # Nothing new is not an empty batch when the listings named only pages we
    # hold (skipped URLs, or listings that answered 304 Not Modified).
    if passed.height == 0 and not already_held:
        results.append({"run_id": run_id, "suite": "sources", "expectation": "expect_passed_rows_to_exist",
                        "column_name": None, "reason": "empty_batch", "success": False,
                        "unexpected_count": 0, "observed_value": "0", "checked_at": now})
    result_frame = pl.DataFrame(results)
    if docs_root is not None:
        ctx.build_data_docs()

    b = params.rules.batch
    bounds = {"quarantine_share": f"<= {b.max_quarantine_share}", "source_volume": f"{b.min_ratio}..{b.max_ratio}"}
    health = content_health(summary, result_frame, b.severity, bounds, policies or {})
    passed, quarantined = _apply_health(passed, quarantined, health)
    if passed.height == 0 and not already_held and not quarantined.filter(pl.col("stage") == "hold").height:
        raise BatchRejected("batch rejected: empty_batch: no source gave a single article that passed validation",
                            result_frame)
    return Outcome(passed=passed, quarantined=quarantined, results=result_frame, sources=summary, health=health)


def _apply_health(passed: pl.DataFrame, quarantined: pl.DataFrame,
                  health: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Flag the rows of degraded sources; move the rows of held sources to
    quarantine, each naming the checks that held it."""
    acted = health.filter(pl.col("action").is_in(["degraded", "held"]))
    degraded = acted.filter(pl.col("action") == "degraded")["source_id"].unique().to_list()
    held = acted.filter(pl.col("action") == "held").group_by("source_id").agg(
        ("held:" + pl.col("check_name")).sort().alias("reasons"))
    passed = passed.with_columns(pl.col("source_id").is_in(degraded).alias("degraded"))
    hold = passed.join(held, on="source_id", how="inner")
    moved = hold.select(
        pl.col("article_id").alias("record_id"), pl.lit("hold").alias("stage"), "source_id", "url", "reasons",
        pl.struct(pl.exclude("reasons")).struct.json_encode().alias("payload"),
    )
    return passed.join(held, on="source_id", how="anti"), pl.concat([quarantined, moved], how="vertical_relaxed")
