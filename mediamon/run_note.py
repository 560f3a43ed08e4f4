"""The note on each daily DagRun: what the person on call reads in the Airflow
UI before opening any log. Articles per source, what was quarantined and why,
sources that were degraded or failed, the day's spikes, the report.

How it reaches the run (Airflow 3.3 has no task-side API for it):
- a Task SDK that offers `update_dagrun_note` on the running task instance
  (apache/airflow#69403, merged after 3.3) is used when present;
- otherwise the task PATCHes the run through the public REST API, with the
  credentials of mediamon.airflow_api (connection `mediamon_api`, or this
  machine's API server and its password file);
- with no API server at all (`mediamon run` and `make demo` run the DAG in
  process, with dag.test) the note is kept in a file, and `mediamon run`
  writes it onto the run when the run ends.
A note that cannot be delivered is one log line: it never fails the run."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.settings import Partition, airflow_home

log = logging.getLogger(__name__)
NOTE_LIMIT = 1000  # characters: Airflow's dag_run_note column and its API both stop there


@dataclass
class RunFacts:
    day: date
    sources: list[str]                    # every source of the run, in the sources file's order
    loaded: dict[str, int] | None         # articles per source; None when this run loaded nothing
    quarantined: int = 0
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    unhealthy: list[dict] = field(default_factory=list)  # failed source checks: source_id, check_name, action, observed, threshold
    spikes: list[dict] = field(default_factory=list)     # dimension, key, articles, baseline, z_score
    failed_tasks: list[str] = field(default_factory=list)
    report: str | None = None


def _items(items: list[str], keep: int, what: str) -> str:
    shown = ", ".join(items[:keep])
    return shown + (f", … and {len(items) - keep} more {what}" if len(items) > keep else "")


def _code(text: str, width: int = 160) -> str:
    text = text.replace("`", "'")
    return f"`{text[:width] + '…' if len(text) > width else text}`"


def _render(f: RunFacts, keep: int) -> str:
    if f.loaded is None:
        head = f"**{f.day}: nothing loaded by this run**"
    else:
        total, with_articles = sum(f.loaded.values()), sum(1 for s in f.sources if f.loaded.get(s))
        bad = sorted({u["source_id"] for u in f.unhealthy})
        head = (f"**{f.day}: {total} articles from {with_articles} of {len(f.sources)} sources, "
                f"{f.quarantined} quarantined, "
                + (f"{len(bad)} source{'s' if len(bad) != 1 else ''} degraded or failed" if bad else "sources healthy")
                + (f", {len(f.spikes)} spike{'s' if len(f.spikes) != 1 else ''}" if f.spikes else "") + "**")
    lines = [head, ""]
    if f.loaded is not None:
        per_source = [f"{s} {f.loaded.get(s, 0)}" for s in f.sources]
        lines.append(f"- Articles per source: {_items(per_source, keep * 4, 'sources')}")
        reasons = [f"{r} {n}" for r, n in f.top_reasons]
        lines.append(f"- Quarantined: {f.quarantined}" + (f" ({', '.join(reasons)})" if reasons else ""))
        if f.unhealthy:
            checks = [f"{u['source_id']} {u['action']} ({u['check_name']}"
                      + (f" {u['observed']:.2f}, bound {u['threshold']}" if u.get("observed") is not None
                         and u["check_name"] != "listing" else "") + ")" for u in f.unhealthy]
            lines.append(f"- Degraded or failed sources: {_items(checks, keep, 'checks')}")
        else:
            lines.append("- Degraded or failed sources: none")
        spikes = [f"{s['dimension']} {s['key']} {s['articles']} articles against a mean of {s['baseline']:.1f} "
                  f"(z {s['z_score']:.1f})" for s in f.spikes]
        lines.append(f"- Spikes: {_items(spikes, keep, 'spikes')}" if spikes else "- Spikes: none")
    if f.failed_tasks:
        lines.append(f"- Failed tasks: {_items([_code(t) for t in f.failed_tasks], keep, 'tasks')}")
    lines.append(f"- Report: {_code(f.report, 300)}" if f.report
                 else f"- Report: not written; `mediamon report --date {f.day}`")
    return "\n".join(lines)


def compose_note(facts: RunFacts, limit: int = NOTE_LIMIT) -> str:
    """The note as Markdown, at most `limit` characters: lists are shortened
    (naming how many were left out) before anything is cut."""
    for keep in (50, 20, 10, 5, 3, 2, 1):
        text = _render(facts, keep)
        if len(text) <= limit:
            return text
    return text[:limit - 1] + "…"


def _loaded_by(con, day: date, run_id: str) -> bool:
    """Did `run_id` load `day`? The load replaces the date's dq_results, which carry the run id."""
    return con.execute("SELECT COUNT(*) FROM dq_results WHERE crawl_date = ? AND run_id = ?",
                       [day, run_id]).fetchone()[0] > 0


def gather(day: date, sources: list[str], run_id: str) -> RunFacts:
    """What the warehouse holds for `day` after this run's load."""
    from mediamon.runlock import failures
    from warehouse.db import NoWarehouse, connect_reader
    from warehouse.spikes import find_spikes

    report = Partition.for_day(day).reports_dir / "report.html"
    facts = RunFacts(day, sources, None, failed_tasks=failures(run_id),
                     report=str(report) if report.exists() else None)
    try:
        con = connect_reader()
    except NoWarehouse:
        return facts
    try:
        if not _loaded_by(con, day, run_id):
            return facts
        facts.loaded = dict(con.execute(
            "SELECT source_id, COUNT(*) FROM articles WHERE crawl_date = ? GROUP BY 1", [day]).fetchall())
        facts.quarantined = con.execute("SELECT COUNT(*) FROM quarantine WHERE crawl_date = ?", [day]).fetchone()[0]
        facts.top_reasons = con.execute("""
            SELECT reason, COUNT(*) AS n FROM (SELECT unnest(reasons) AS reason FROM quarantine WHERE crawl_date = ?)
            GROUP BY reason ORDER BY n DESC, reason LIMIT 3""", [day]).fetchall()
        cur = con.execute("""
            SELECT source_id, check_name, action, observed, threshold FROM source_health
            WHERE crawl_date = ? AND NOT passed ORDER BY source_id, check_name""", [day])
        cols = [d[0] for d in cur.description]
        facts.unhealthy = [dict(zip(cols, row)) for row in cur.fetchall()]
        facts.spikes = [vars(s) for s in find_spikes(con, day, day, with_causes=False)]
    finally:
        con.close()
    return facts


def note_file(run_id: str) -> Path:
    return airflow_home() / "notes" / (re.sub(r"[^A-Za-z0-9_.-]", "_", run_id) + ".md")


def saved_note(run_id: str) -> str | None:
    path = note_file(run_id)
    return path.read_text(encoding="utf-8") if path.exists() else None


def publish(note: str, dag_id: str, run_id: str, ti=None) -> str:
    """Put the note on the run; returns how: "task sdk", "rest api" or "file"."""
    from core.atomic import atomic_path
    from mediamon.airflow_api import AirflowApi, ApiError, credentials

    path = note_file(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_text(note, encoding="utf-8")
    if ti is not None and hasattr(ti, "update_dagrun_note"):  # a Task SDK newer than Airflow 3.3's
        ti.update_dagrun_note(note)
        return "task sdk"
    creds = credentials()
    if creds is None:
        log.info("run note kept in %s: no Airflow API server to send it to (an in-process run; "
                 "`mediamon run` puts it on the run when the run ends)", path)
        return "file"
    try:
        AirflowApi(creds).set_note(dag_id, run_id, note)
    except (ApiError, KeyError) as exc:
        log.warning("run note not set on %s (credentials from %s): %s; it is in %s",
                    creds.base_url, creds.source, exc, path)
        return "file"
    log.info("run note set through the REST API at %s (credentials from %s)", creds.base_url, creds.source)
    return "rest api"


def note_for_run(day: str, sources: list[str], dag_id: str, run_id: str, ti=None) -> str:
    """The run_note task: compose the note and put it on the run. Never raises:
    a note is worth less than the run it describes."""
    try:
        note = compose_note(gather(Partition.for_day(day).day, sources, run_id))
    except Exception:
        log.exception("the run note for %s could not be composed", run_id)
        return ""
    log.info("run note:\n%s", note)
    try:
        publish(note, dag_id, run_id, ti)
    except Exception:
        log.exception("the run note for %s could not be published", run_id)
    return note
