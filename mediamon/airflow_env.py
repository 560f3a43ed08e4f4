"""Airflow, configured for this project: AIRFLOW_HOME inside the data dir (never
~/airflow), the project's dags folder, no examples, and a one-slot pool for the
warehouse writer."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from core.settings import DAG_ID, DAGS_DIR, PROJECT_ROOT, airflow_home

POOL = "warehouse_writer"


def configure() -> dict[str, str]:
    """Set the environment Airflow reads at import; returns what was set."""
    home = airflow_home()
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "GX_ANALYTICS_ENABLED": "False",
        "SCARF_ANALYTICS": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONPATH": os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    # `airflow standalone` starts each component as a bare `airflow`: the
    # venv's bin must be on PATH even when nobody activated the venv.
    bin_dir, path = os.path.dirname(sys.executable), os.environ.get("PATH", "")
    env["PATH"] = path if bin_dir in path.split(os.pathsep) else os.pathsep.join(p for p in (bin_dir, path) if p)
    # Explicit settings from the user win over ours.
    for k, v in env.items():
        if k in ("PYTHONPATH", "PATH") or k not in os.environ:
            os.environ[k] = v
    return env


def airflow_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    configure()
    return subprocess.run([sys.executable, "-m", "airflow", *args], check=check,
                          capture_output=True, text=True)


def ensure_db() -> None:
    """Create or upgrade the metadata DB and the writer pool (both idempotent).

    The pool is checked in this process: a second `airflow pools set` process
    cost every run 15 s of start-up for nothing."""
    configure()
    marker = airflow_home() / ".migrated"
    if not marker.exists():
        airflow_cli("db", "migrate")
        marker.write_text("ok")
    from airflow.models.pool import Pool

    pool = Pool.get_pool(POOL)
    if pool is None or pool.slots != 1:
        Pool.create_or_update_pool(POOL, 1, "DuckDB has a single writer", include_deferred=False)


def run_daily(day: date, sources_file: str | None = None, retries: int = 0):
    """One run of the daily DAG through Airflow (dag.test: real DagRun and task
    instances in the metadata DB, all tasks in this process). Returns the DagRun.

    Retries default to 0 here: someone waiting at a terminal wants the failure
    now, not after the scheduler's retry delays."""
    from mediamon.runlock import date_lock

    configure()
    os.environ["MEDIAMON_TASK_RETRIES"] = str(retries)
    with date_lock(day):
        ensure_db()
        import pendulum
        from airflow.dag_processing.dagbag import DagBag

        bag = DagBag(str(DAGS_DIR))
        if bag.import_errors:
            raise RuntimeError(f"DAG import errors: {bag.import_errors}")
        dag = bag.dags[DAG_ID]
        logical_date = pendulum.datetime(day.year, day.month, day.day, tz="UTC")
        _forget_runs(logical_date)
        conf = {"sources_file": str(sources_file)} if sources_file else {}
        dr = dag.test(logical_date=logical_date, run_conf=conf)
        _record_note(dr.run_id)
        return dr


def _record_note(run_id: str) -> None:
    """In process there is no API server for the run_note task to send its
    note to: it left the note in a file, and it goes onto the run here."""
    from sqlalchemy import select

    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    from mediamon.run_note import saved_note

    note = saved_note(run_id)
    if not note:
        return
    with create_session() as session:
        run = session.scalar(select(DagRun).where(DagRun.dag_id == DAG_ID, DagRun.run_id == run_id))
        if run is not None:
            run.note = note


def _forget_runs(logical_date) -> None:
    """dag.test() replaces an earlier run of the same date inside its own session,
    which trips over leftovers of a run that crashed half-way (SQLite reuses the
    row id). Removing it first, in a session of its own, avoids that.

    Called under the date's lock, so an unfinished run that `mediamon run`
    made is a dead one; an unfinished run the scheduler (or the UI, or the
    API) made is alive, and is left alone."""
    from sqlalchemy import select

    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunTriggeredByType

    from mediamon.run_note import note_file
    from mediamon.runlock import RunInProgress, clear_failures

    with create_session() as session:
        for dr in session.scalars(
            select(DagRun).where(DagRun.dag_id == DAG_ID, DagRun.logical_date == logical_date)
        ):
            if dr.state in (DagRunState.RUNNING, DagRunState.QUEUED) and dr.triggered_by != DagRunTriggeredByType.TEST:
                raise RunInProgress(f"the scheduler is running {logical_date.date()} as {dr.run_id} "
                                    f"(triggered by {getattr(dr.triggered_by, 'value', dr.triggered_by)}); wait for it or mark it failed in the UI")
            clear_failures(dr.run_id)
            note_file(dr.run_id).unlink(missing_ok=True)
            session.delete(dr)


def run_reprocess(start: date, end: date, sources_file: str | None = None):
    """One run of the reprocess DAG over start..end, in this process (dag.test)."""
    configure()
    ensure_db()
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(str(DAGS_DIR))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    conf = {"start": start.isoformat(), "end": end.isoformat(), "sources_file": sources_file}
    return bag.dags["media_monitoring_reprocess"].test(run_conf=conf)
