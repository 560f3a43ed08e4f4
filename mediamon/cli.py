"""The `mediamon` command."""
from __future__ import annotations

import json
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="mediamon: daily media monitoring of Chinese AI and economy coverage (ar, zh, en).")


@app.command()
def run(
    date_: Optional[str] = typer.Option(None, "--date", help="Logical date YYYY-MM-DD (default: today, UTC)"),
    sources: Optional[Path] = typer.Option(None, "--sources", help="sources.yaml to crawl"),
    retries: int = typer.Option(0, "--retries", min=0,
                                help="Task retries (scheduled runs use 2; on the running scheduler at most 2)"),
):
    """One run of the daily DAG through Airflow; exit 1 if the run failed.

    With `mediamon airflow` running for this data dir, the run goes to its
    scheduler (the UI shows it like any other); otherwise it runs in this
    process (dag.test)."""
    from mediamon.airflow_api import ApiError
    from mediamon.airflow_env import run_daily
    from mediamon.preflight import preflight
    from mediamon.runlock import RunInProgress, date_lock
    from mediamon.scheduler_run import SchedulerUnusable, find_scheduler, trigger_and_wait
    from core.settings import default_sources_file
    from core.sources import ConfigError

    try:
        day = date.fromisoformat(date_) if date_ else datetime.now(timezone.utc).date()
    except ValueError:
        typer.echo(f"error: --date must be YYYY-MM-DD, got {date_!r}", err=True)
        raise typer.Exit(2)
    sources_file = (sources or default_sources_file()).resolve()
    try:
        # every config file and the warehouse directory, before Airflow starts or a request is sent
        preflight(sources_file)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    try:
        api = find_scheduler(echo=typer.echo)
        if api is not None:
            try:
                with date_lock(day):
                    dr = trigger_and_wait(api, day, str(sources_file), retries, echo=typer.echo)
            except KeyboardInterrupt:
                typer.echo("stopped waiting; the run goes on on the scheduler (see the UI)", err=True)
                raise typer.Exit(130)
        else:
            typer.echo("no scheduler running: running in-process (dag.test); "
                       "with `mediamon airflow` up, runs go to its scheduler")
            dr = run_daily(day, str(sources_file) if sources else None, retries)
    except RunInProgress as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3)
    except (SchedulerUnusable, ApiError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    _finish(dr, f"DAG run {dr.run_id} for {day}")


def _finish(dr, what: str) -> None:
    """Say how an Airflow run ended; exit 1 with each failed task's error line."""
    from core.settings import airflow_home
    from mediamon.runlock import failures

    state = str(getattr(dr, "state", "unknown"))
    typer.echo(f"{what}: {state}")
    if state != "success":
        for line in failures(dr.run_id) or [f"no task recorded an error; see the task logs under {airflow_home()}"]:
            typer.echo(f"failed: {line}", err=True)
        raise typer.Exit(1)


@app.command()
def reprocess(
    start: str = typer.Argument(..., help="First date YYYY-MM-DD"),
    end: str = typer.Argument(..., help="Last date YYYY-MM-DD"),
    sources: Optional[Path] = typer.Option(None, "--sources", help="sources.yaml the dates were crawled with"),
):
    """Extract, enrich, validate and load a date range again from the raw archive (no network)."""
    from mediamon.airflow_env import run_reprocess

    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        typer.echo(f"error: dates must be YYYY-MM-DD, got {start!r} {end!r}", err=True)
        raise typer.Exit(2)
    if first > last:
        typer.echo(f"error: {first} is after {last}", err=True)
        raise typer.Exit(2)
    dr = run_reprocess(first, last, str(sources.resolve()) if sources else None)
    _finish(dr, f"reprocess run {dr.run_id} for {first}..{last}")


@app.command()
def enrich(
    infile: Path = typer.Argument(..., help="JSONL records: id, text, optional title, lang, url, published_at"),
    outfile: Path = typer.Argument(..., help="Parquet file to write"),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 2, nothing written) on any bad record"),
):
    """Enrich arbitrary records (no crawl, no warehouse). Bad records are
    reported with their line number and skipped; a given `lang` is used as is."""
    from mediamon.enrich_cli import enrich_jsonl

    if not infile.is_file():
        typer.echo(f"error: {infile}: no such file", err=True)
        raise typer.Exit(2)
    try:
        summary = enrich_jsonl(infile, outfile, strict=strict)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    for line, _, reason in summary.bad:
        typer.echo(f"skipped {infile}:{line}: {reason}", err=True)
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(summary.counts().items()))
    typer.echo(f"enriched {summary.enriched} records -> {outfile}; "
               f"skipped {len(summary.bad)} bad record(s){': ' + kinds if kinds else ''}")


@app.command()
def sql(
    query: str = typer.Argument(..., help="SQL to run against the warehouse (read-only)"),
    fmt: str = typer.Option("table", "--format", help="table | csv | json"),
    max_rows: int = typer.Option(1000, "--max-rows", min=1, help="Rows shown in a table (csv/json print all)"),
):
    """Read-only query of the warehouse, printed the way the DuckDB CLI prints it."""
    import duckdb

    from warehouse.db import NoWarehouse, WarehouseBusy, connect_reader

    if fmt not in ("table", "csv", "json"):
        typer.echo("error: --format must be table, csv or json", err=True)
        raise typer.Exit(2)
    try:
        con = connect_reader()
    except (NoWarehouse, WarehouseBusy) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    try:
        rel = con.sql(query)
        if rel is None:  # a statement without a result (SET, PRAGMA ...)
            return
        if fmt == "table":
            rel.show(max_width=_terminal_width(), max_rows=max_rows, null_value="NULL")
        elif fmt == "csv":
            sys.stdout.write(rel.pl().write_csv())
        else:
            sys.stdout.write(json.dumps(rel.pl().to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n")
    except duckdb.Error as exc:
        typer.echo(f"error: {str(exc).splitlines()[0]}", err=True)
        raise typer.Exit(2)
    finally:
        con.close()


def _terminal_width() -> int:
    import shutil

    # piped output is read by people too; DuckDB would squeeze it to 80 columns
    return max(shutil.get_terminal_size((200, 40)).columns, 120)


def _day(value: Optional[str], flag: str) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(f"error: {flag} must be a date YYYY-MM-DD, not {value!r}", err=True)
        raise typer.Exit(2)


@app.command()
def search(
    query: str = typer.Argument(..., help="Words in any of ar, zh, en; an entity's name finds it in all three"),
    lang: Optional[str] = typer.Option(None, "--lang", help="ar | zh | en"),
    since: Optional[str] = typer.Option(None, "--since", help="Published on or after YYYY-MM-DD"),
    until: Optional[str] = typer.Option(None, "--until", help="Published on or before YYYY-MM-DD"),
    source: Optional[str] = typer.Option(None, "--source", help="source_id"),
    topic: Optional[str] = typer.Option(None, "--topic", help="topic_id"),
    entity: Optional[str] = typer.Option(None, "--entity", help="entity_id or any of its names"),
    limit: int = typer.Option(10, "--limit", help="Results to show"),
    fmt: str = typer.Option("table", "--format", help="table | csv | json"),
):
    """Ranked full-text search (BM25) with the best-matching sentence of each article."""
    from warehouse.db import NoWarehouse, WarehouseBusy
    from warehouse.search import Filters, SearchError
    from warehouse.search import search as run_search

    if fmt not in ("table", "csv", "json"):
        typer.echo("error: --format must be table, csv or json", err=True)
        raise typer.Exit(2)
    filters = Filters(lang=lang, since=_day(since, "--since"), until=_day(until, "--until"), source=source,
                      topic=topic, entity=entity)
    try:
        hits = run_search(query, filters, limit)
    except (SearchError, NoWarehouse, WarehouseBusy) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    if fmt == "json":
        sys.stdout.write(json.dumps(hits, ensure_ascii=False, indent=2) + "\n")
        return
    import polars as pl

    frame = pl.DataFrame(hits, schema={k: pl.String for k in ("article_id", "lang", "source_id", "published",
                                                                "title", "url")}
                         | {"copies": pl.Int64, "score": pl.Float64, "snippet": pl.String})
    if fmt == "csv":
        sys.stdout.write(frame.write_csv())
        return
    if not hits:
        typer.echo("no matches")
        return
    for rank, h in enumerate(hits, 1):
        typer.echo(f"{rank:>2}. [{h['lang']}] {h['title']}  ({h['source_id']}, {h['published']}, "
                   f"score {h['score']}{', ' + str(h['copies'] - 1) + ' near-copies' if h['copies'] > 1 else ''})")
        typer.echo(f"    {h['url']}")
        typer.echo(f"    … {h['snippet']}")


@app.command()
def report(
    date_: Optional[str] = typer.Option(None, "--date", help="Day YYYY-MM-DD (default: the latest crawl date)"),
):
    """Write the day's self-contained HTML report under the data dir and print its path."""
    from warehouse.db import NoWarehouse, WarehouseBusy
    from warehouse.report_html import NothingToReport, write_report

    day = _day(date_, "--date")
    try:
        typer.echo(str(write_report(day)))
    except (NoWarehouse, WarehouseBusy, NothingToReport) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)


@app.command()
def airflow(
    port: int = typer.Option(8080, help="Port for the Airflow UI and API on 127.0.0.1"),
    paused: bool = typer.Option(False, "--paused", help="Leave the daily DAG paused when it is first created"),
):
    """Airflow on this machine: API server with the UI, scheduler, DAG processor and
    triggerer, bound to 127.0.0.1; Ctrl-C or SIGTERM stops them all."""
    from mediamon.airflow_services import serve

    raise typer.Exit(serve(port, unpause=not paused, echo=typer.echo))


@app.command()
def demo(
    anchor: Optional[str] = typer.Option(None, help="Date the demo articles are dated back from (default today)"),
):
    """Start the offline demo newsroom, run the daily DAG once against it, print the trend summary."""
    from mediamon.demo_run import run_demo

    raise typer.Exit(run_demo(date.fromisoformat(anchor) if anchor else None))


if __name__ == "__main__":
    app()
