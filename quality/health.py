"""Source health: each source judged on its own, so one bad source never keeps
another's articles out of the warehouse.

Two kinds of evidence, kept apart:
- content health (from validation): how much of what a source's pages yielded
  was rejected, and its volume against its own history. Fetch failures are not
  content and are left out of both sides of the share.
- crawl health (from crawl_stats.json): whether its listings answered at all.

A failed check at severity `fail` degrades the source's rows (on_unhealthy:
load) or holds them in quarantine (on_unhealthy: hold); the run's last task
then fails naming the source, the check and the value."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import polars as pl

# Quarantine reasons that say the page never arrived as content.
FETCH_REASON_PREFIXES = ("fetch_failed:", "http_status:", "not_html:", "binary_content")

HEALTH_SCHEMA = {
    "source_id": pl.String, "check_name": pl.String, "observed": pl.Float64, "threshold": pl.String,
    "severity": pl.String, "passed": pl.Boolean, "action": pl.String, "detail": pl.String,
    "checked_at": pl.Datetime("us", "UTC"),
}


def is_fetch_failure(reasons: str = "reasons") -> pl.Expr:
    """True for a quarantined record whose reasons are all about fetching."""
    return pl.col(reasons).list.eval(
        pl.any_horizontal(pl.element().str.starts_with(p) for p in FETCH_REASON_PREFIXES)
    ).list.all()


def empty_health() -> pl.DataFrame:
    return pl.DataFrame(schema=HEALTH_SCHEMA)


def content_health(summary: pl.DataFrame, results: pl.DataFrame, severity: dict[str, str],
                   bounds: dict[str, str], policies: dict[str, str]) -> pl.DataFrame:
    """One row per source and content check, from the batch suite's summary
    (one row per source) and its GX results (failed source ids per reason)."""
    failed: dict[str, set[str]] = {}
    for row in results.filter((pl.col("suite") == "sources") & ~pl.col("success")).iter_rows(named=True):
        if row["column_name"]:
            failed.setdefault(row["reason"], set()).update(json.loads(row["observed_value"]))
    now = datetime.now(timezone.utc)
    rows = []
    for src in summary.iter_rows(named=True):
        for check, column in (("quarantine_share", "quarantine_share"), ("source_volume", "volume_ratio")):
            bad = src["source_id"] in failed.get(check, set())
            level = severity.get(check, "fail")
            action = "ok" if not bad else "warned" if level == "warn" else \
                "held" if policies.get(src["source_id"]) == "hold" else "degraded"
            rows.append({
                "source_id": src["source_id"], "check_name": check, "observed": src[column],
                "threshold": bounds[check], "severity": level, "passed": not bad, "action": action,
                "detail": f"{src['quarantined']} of {src['records']} extracted records quarantined"
                if check == "quarantine_share" else f"{src['rows']} rows against a median of {src['history_median']}",
                "checked_at": now,
            })
    return pl.DataFrame(rows, schema=HEALTH_SCHEMA)


def answered(stats: dict) -> bool:
    """The source's listings named something this run could act on (or it
    has no listings: a plain list of URLs)."""
    return bool(stats.get("articles") or stats.get("skipped_known") or stats.get("not_modified")
                or stats.get("skipped_outside_window") or stats.get("refetched_pending") or not stats.get("seeds"))


def crawl_health(stats: dict[str, dict | None]) -> pl.DataFrame:
    """One row per source: did its crawl run and its listings answer.

    `stats` maps every source of the run to its crawl_stats.json (None when
    the crawl left none: it crashed before writing its archive)."""
    now = datetime.now(timezone.utc)
    rows = []
    for sid, s in sorted(stats.items()):
        if s is None:
            rows.append({"source_id": sid, "check_name": "crawl", "observed": None, "threshold": "a finished crawl",
                         "severity": "fail", "passed": False, "action": "crawl_failed",
                         "detail": "the crawl left no archive for this date (see its crawl task's log)",
                         "checked_at": now})
            continue
        errors = s.get("errors_by_kind", {})
        dead = not answered(s) and (not s.get("seeds_ok") or "parse_error" in errors)
        rows.append({
            "source_id": sid, "check_name": "listing", "observed": float(s.get("seeds_ok") or 0),
            "threshold": f">= 1 of {s.get('seeds', 0)} feed/sitemap URLs readable", "severity": "fail",
            "passed": not dead, "action": "crawl_failed" if dead else "ok",
            "detail": (f"none of its {s.get('seeds', 0)} feed/sitemap URLs gave a readable listing "
                       f"(responses by status {s.get('responses_by_status', {})}, errors {errors})")
            if dead else None,
            "checked_at": now,
        })
    return pl.DataFrame(rows, schema=HEALTH_SCHEMA)


def failures(health: pl.DataFrame) -> list[str]:
    """One line per failed fail-severity check: source, check, value, what was done."""
    bad = health.filter(~pl.col("passed") & (pl.col("severity") == "fail")).sort("source_id", "check_name")
    return [
        f"source {r['source_id']}: {r['check_name']} failed"
        + (f" (observed {r['observed']:.2f}, bound {r['threshold']})" if r["observed"] is not None
           and r["check_name"] != "listing" else "")
        + (f": {r['detail']}" if r["detail"] else "") + f" -> {r['action']}"
        for r in bad.iter_rows(named=True)
    ]
