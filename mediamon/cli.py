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
    retries: int = typer.Option(0, "--retries", min=0, help="Task retries (scheduled runs use 2)"),
):
    """One run of the daily DAG through Airflow; exit 1 if the run failed."""
    from mediamon.airflow_env import run_daily
    from mediamon.preflight import preflight
    from mediamon.runlock import RunInProgress, failures
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
        dr = run_daily(day, str(sources_file) if sources else None, retries)
    except RunInProgress as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(3)
    state = str(getattr(dr, "state", "unknown"))
    typer.echo(f"DAG run {dr.run_id} for {day}: {state}")
    if state != "success":
        from core.settings import airflow_home

        for line in failures(dr.run_id) or [f"no task recorded an error; see the task logs under {airflow_home()}"]:
            typer.echo(f"failed: {line}", err=True)
        raise typer.Exit(1)


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
):
    """Read-only query of the warehouse."""
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
        df = con.execute(query).pl()
    except duckdb.Error as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    finally:
        con.close()
    if fmt == "csv":
        sys.stdout.write(df.write_csv())
    elif fmt == "json":
        sys.stdout.write(json.dumps(df.to_dicts(), ensure_ascii=False, default=str, indent=2) + "\n")
    else:
        import polars as pl

        with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=200):
            typer.echo(df)


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
