"""The DAG file: parses cleanly, is wired as documented, imports nothing heavy."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from core.settings import DAGS_DIR, PROJECT_ROOT

PROBE = r"""
import json, sys
from mediamon.airflow_env import configure
configure()
from airflow.dag_processing.dagbag import DagBag
before = set(sys.modules)
bag = DagBag(sys.argv[1])
heavy = sorted(m for m in set(sys.modules) - before
               if m.split(".")[0] in {"polars", "great_expectations", "scrapy", "duckdb", "trafilatura", "lingua", "pandas"})
dag = bag.dags["media_monitoring_daily"]
print(json.dumps({
    "errors": {k: str(v) for k, v in bag.import_errors.items()},
    "heavy": heavy,
    "tasks": sorted(t.task_id for t in dag.tasks),
    "catchup": dag.catchup, "tags": sorted(dag.tags), "schedule": str(dag.schedule),
    "params": sorted(dag.params.keys()),
    "retries": dag.default_args.get("retries"),
    "load_pool": dag.get_task("load").pool,
    "upstream_of_load": sorted(dag.get_task("load").upstream_task_ids),
    "upstream_of_extract": sorted(dag.get_task("extract").upstream_task_ids),
    "extract_rule": str(dag.get_task("extract").trigger_rule.value),
    "leaves": sorted(t.task_id for t in dag.leaves),
    "undocumented": sorted(t.task_id for t in dag.tasks if not (t.doc_md or "").strip()),
    "dag_doc": dag.doc_md or "",
}))
"""


def test_dag_parses_and_is_wired(tmp_path):
    env = {**os.environ, "MEDIAMON_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(DAGS_DIR)], env=env, cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=180, check=True).stdout
    info = json.loads(out.strip().splitlines()[-1])
    assert info["errors"] == {}
    assert info["heavy"] == [], "heavy libraries imported at DAG parse time"
    assert info["tasks"] == ["check_sources", "crawl", "enrich", "extract", "load", "read_sources", "summarize",
                             "validate"]
    assert info["catchup"] is False and info["schedule"] == "@daily"
    assert "mediamon" in info["tags"] and info["params"] == ["sources_file"]
    assert info["retries"] == 2 and info["load_pool"] == "warehouse_writer"
    assert info["upstream_of_load"] == ["read_sources", "validate"]
    # a failed crawl of one source lets the others go on; the last task says which failed
    assert info["upstream_of_extract"] == ["crawl", "read_sources"]
    assert info["extract_rule"] == "all_done_min_one_success"
    assert info["leaves"] == ["check_sources", "summarize"]
    # the person on call reads what each task does and what its failure means
    assert info["undocumented"] == [] and "check_sources" in info["dag_doc"]
    # AIRFLOW_HOME stays inside the data dir
    assert (tmp_path / "airflow").is_dir()
    assert not (tmp_path / "airflow" / "dags").exists()


def test_airflow_dags_list_sees_the_dag(tmp_path):
    env = {**os.environ, "MEDIAMON_DATA_DIR": str(tmp_path)}
    code = ("from mediamon.airflow_env import airflow_cli, ensure_db; ensure_db(); "
            "print(airflow_cli('dags', 'list', '--local', '-o', 'plain').stdout)")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True,
                         text=True, timeout=180, check=True).stdout
    assert "media_monitoring_daily" in out
    assert "example_" not in out
