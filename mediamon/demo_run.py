"""`make demo`: the offline newsroom, one real DAG run through Airflow, a summary."""
from __future__ import annotations

import time
from datetime import date, datetime, timezone

from core.settings import data_dir


def run_demo(anchor: date | None = None) -> int:
    from mediamon.airflow_env import run_daily
    from mediamon.demo.newsroom import Newsroom
    from warehouse.report import trend_summary

    import os

    # The demo is read by a person: task logs at INFO would bury the summary.
    # Errors still print; the full logs are in Airflow's log folder.
    os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")
    day = anchor or datetime.now(timezone.utc).date()
    started = time.monotonic()
    with Newsroom(anchor=day) as newsroom:
        for outlet in newsroom.outlets:
            print(f"demo outlet {outlet.id:<8} ({outlet.lang}) at {outlet.base_url}")
        sources = newsroom.write_sources(data_dir() / "demo" / "sources.yaml")
        print(f"running the media_monitoring_daily DAG through Airflow for {day} (about a minute)...", flush=True)
        dr = run_daily(day, str(sources))
    state = str(dr.state)
    print(f"\nDAG run {dr.run_id} for {day}: {state} in {time.monotonic() - started:.0f} s")
    if state != "success":
        print(f"see the task logs under {data_dir() / 'airflow'}")
        return 1
    print(f"warehouse: {data_dir() / 'warehouse' / 'mediamon.duckdb'}\n")
    print(trend_summary())
    print(f"daily report: {data_dir() / 'reports' / f'date={day.isoformat()}' / 'report.html'}")
    return 0
