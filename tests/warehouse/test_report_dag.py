"""The report DAG: scheduled on the warehouse Asset the daily load emits, wiring only."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from types import SimpleNamespace

from core.settings import DAGS_DIR, PROJECT_ROOT
from warehouse.report_days import days_loaded

PROBE = r"""
import json, sys
from mediamon.airflow_env import configure
configure()
from airflow.dag_processing.dagbag import DagBag
before = set(sys.modules)
bag = DagBag(sys.argv[1])
heavy = sorted(m for m in set(sys.modules) - before
               if m.split(".")[0] in {"polars", "duckdb", "vl_convert", "jinja2", "pandas", "great_expectations"})
daily, report = bag.dags["media_monitoring_daily"], bag.dags["media_monitoring_report"]
emitted = [o.uri for o in daily.get_task("load").outlets]
print(json.dumps({"errors": {k: str(v) for k, v in bag.import_errors.items()}, "heavy": heavy,
                  "tasks": sorted(t.task_id for t in report.tasks), "emitted": emitted,
                  "schedule": [a.uri for a in report.schedule]}, default=str))
"""


def test_report_dag_runs_on_the_asset_the_load_emits(tmp_path):
    env = {**os.environ, "MEDIAMON_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(DAGS_DIR)], env=env, cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=180, check=True).stdout
    info = json.loads(out.strip().splitlines()[-1])
    assert info["errors"] == {} and info["heavy"] == []
    assert info["tasks"] == ["write_report"]
    assert info["emitted"] == ["mediamon://warehouse/articles"]
    assert info["schedule"] == info["emitted"]


def test_days_come_from_the_loading_runs():
    run = lambda d: SimpleNamespace(source_dag_run=SimpleNamespace(logical_date=d))  # noqa: E731
    events = {"mediamon://warehouse/articles": [run(datetime(2026, 11, 20, tzinfo=timezone.utc)),
                                                run(datetime(2026, 11, 19, tzinfo=timezone.utc))]}
    assert days_loaded(events) == [date(2026, 11, 19), date(2026, 11, 20)]
    assert days_loaded({}) == [None] and days_loaded(None) == [None]
