"""Run the suites over an enriched batch; split it into passing rows and
quarantine rows that name every failed expectation. Nothing is dropped."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone

import polars as pl

from quality.suites import SuiteParams, article_expectations, batch_expectations


class BatchRejected(RuntimeError):
    """A batch-level expectation failed: the load must not run."""


@dataclass
class Outcome:
    passed: pl.DataFrame
    quarantined: pl.DataFrame   # record_id, stage, source_id, url, reasons, payload
    results: pl.DataFrame       # one row per expectation: dq_results


def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


def _run_suite(ctx, name: str, expectations: list, pdf):
    import great_expectations as gx

    asset = ctx.data_sources.add_pandas(f"{name}_source").add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe("whole").get_batch(
        batch_parameters={"dataframe": pdf}
    )
    suite = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
    return batch.validate(suite, result_format={
        "result_format": "COMPLETE", "unexpected_index_column_names": ["article_id"],
    })


def text_length() -> pl.Expr:
    """Characters for Chinese, words otherwise: the units the length bounds use."""
    text = pl.col("text").fill_null("")
    return (
        pl.when(pl.col("lang") == "zh").then(text.str.replace_all(r"\s+", "").str.len_chars())
        .otherwise(text.str.count_matches(r"\S+"))
        .cast(pl.Int64).alias("text_length")
    )


def _jsonable(v):
    if isinstance(v, float) and v != v:
        return None
    return v if isinstance(v, (int, float, str, bool, type(None))) else str(v)


def validate_batch(articles: pl.DataFrame, params: SuiteParams, run_id: str) -> Outcome:
    frame = articles.with_columns(
        pl.concat_str("source_id", pl.lit(":"), pl.col("lang").fill_null("unknown")).alias("source_lang"),
        text_length(),
    )
    # GX 1.x validates pandas frames, not Polars.
    pdf = frame.select(
        "article_id", "url", "title", "text", "lang", "text_length", "published_at", "source_lang",
        "tone", "polarity",
    ).to_pandas()
    ctx = _context()
    now = datetime.now(timezone.utc)
    reasons: dict[str, list[str]] = {}
    rows = []
    for suite_name, exps in (("articles", article_expectations(params)), ("batch", batch_expectations())):
        res = _run_suite(ctx, suite_name, exps, pdf)
        for r in res.results:
            cfg = r.expectation_config
            reason = (cfg.meta or {}).get("reason", cfg.type)
            failed_ids = [d["article_id"] for d in r.result.get("unexpected_index_list") or []]
            for aid in failed_ids:
                reasons.setdefault(aid, []).append(reason)
            rows.append({
                "run_id": run_id, "suite": suite_name, "expectation": cfg.type,
                "column_name": cfg.kwargs.get("column"), "reason": reason, "success": bool(r.success),
                "unexpected_count": int(r.result.get("unexpected_count") or 0),
                "observed_value": json.dumps(_jsonable(r.result.get("observed_value"))),
                "checked_at": now,
            })
    results = pl.DataFrame(rows)
    batch_failures = results.filter((pl.col("suite") == "batch") & ~pl.col("success"))
    if batch_failures.height:
        detail = "; ".join(f"{r['reason']} (observed {r['observed_value']})" for r in batch_failures.to_dicts())
        raise BatchRejected(f"batch rejected: {detail}")

    bad = pl.DataFrame({"article_id": list(reasons), "reasons": list(reasons.values())},
                       schema={"article_id": pl.String, "reasons": pl.List(pl.String)})
    failed = frame.join(bad, on="article_id", how="inner")
    payload = failed.drop("reasons", "source_lang", "text_length").select(
        pl.struct(pl.all()).struct.json_encode().alias("payload"), "article_id"
    )
    quarantined = failed.join(payload, on="article_id").select(
        pl.col("article_id").alias("record_id"), pl.lit("validate").alias("stage"),
        "source_id", "url", "reasons", "payload",
    )
    passed = articles.join(bad, on="article_id", how="anti")
    return Outcome(passed=passed, quarantined=quarantined, results=results)
