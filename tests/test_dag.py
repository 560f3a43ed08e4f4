"""The DAG files: parse cleanly, are wired as documented, import nothing heavy,
and pass the integrity checks Airflow's best practices recommend (imports
without errors, no database or connection access at parse time, tags,
retries, docs on every task)."""
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
    "run_note_rule": str(dag.get_task("run_note").trigger_rule.value),
    "upstream_of_run_note": sorted(dag.get_task("run_note").upstream_task_ids),
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
    assert info["tasks"] == ["check_sources", "crawl", "enrich", "extract", "load", "read_sources", "run_note",
                             "summarize", "validate"]
    assert info["catchup"] is False and info["schedule"] == "@daily"
    assert "mediamon" in info["tags"] and info["params"] == ["sources_file"]
    assert info["retries"] == 2 and info["load_pool"] == "warehouse_writer"
    assert info["upstream_of_load"] == ["read_sources", "validate"]
    # a failed crawl of one source lets the others go on; the last task says which failed
    assert info["upstream_of_extract"] == ["crawl", "read_sources"]
    assert info["extract_rule"] == "all_done_min_one_success"
    # the note is written even after a failed load, and a red check_sources keeps the run red
    assert info["leaves"] == ["check_sources", "run_note"]
    assert info["upstream_of_run_note"] == ["read_sources", "summarize"]
    assert info["run_note_rule"] == "all_done_min_one_success"
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


# Every DAG file parsed as the DAG processor parses it, with a metadata DB that
# cannot be reached and every Connection/Variable lookup recorded: a DAG that
# touches either while parsing shows up in "lookups" or as an import error.
INTEGRITY = r"""
import json, sys
from mediamon.airflow_env import configure
configure()
import airflow.sdk as sdk
lookups = []
def record(kind):
    def lookup(*args, **kwargs):
        lookups.append(kind)
        raise RuntimeError(f"{kind} looked up at parse time")
    return lookup
sdk.BaseHook.get_connection = classmethod(record("connection"))
sdk.Connection.get = classmethod(record("connection"))
sdk.Variable.get = staticmethod(record("variable"))
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(sys.argv[1])
print(json.dumps({
    "errors": {k: str(v).splitlines()[-1] for k, v in bag.import_errors.items()},
    "lookups": lookups,
    "dags": {d.dag_id: {
        "tags": sorted(d.tags),
        "dag_doc": bool((d.doc_md or "").strip()),
        "retries_chosen": "retries" in (d.default_args or {}),
        "undocumented": sorted(t.task_id for t in d.tasks if not (t.doc_md or "").strip()),
    } for d in bag.dags.values()},
}))
"""
UNREACHABLE_DB = "postgresql+psycopg2://nobody@127.0.0.1:9/nowhere"


def integrity(dags_dir, tmp_path) -> dict:
    env = {**os.environ, "MEDIAMON_DATA_DIR": str(tmp_path), "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": UNREACHABLE_DB}
    out = subprocess.run([sys.executable, "-c", INTEGRITY, str(dags_dir)], env=env, cwd=PROJECT_ROOT,
                         capture_output=True, text=True, timeout=180, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_every_dag_passes_airflows_integrity_checks(tmp_path):
    info = integrity(DAGS_DIR, tmp_path)
    assert info["errors"] == {}
    assert info["lookups"] == [], "a DAG file reads a Connection or Variable while it is parsed"
    assert sorted(info["dags"]) == ["media_monitoring_daily", "media_monitoring_report", "media_monitoring_reprocess"]
    for dag_id, d in info["dags"].items():
        assert "mediamon" in d["tags"], dag_id
        assert d["dag_doc"], f"{dag_id} has no doc_md"
        assert d["undocumented"] == [], f"{dag_id}: tasks without doc_md"
        assert d["retries_chosen"], f"{dag_id}: nobody chose its tasks' retries (default_args)"


def test_the_integrity_check_catches_parse_time_lookups(tmp_path):
    """The check above would pass vacuously if lookups went unseen."""
    bad = tmp_path / "dags"
    bad.mkdir()
    (bad / "bad_dag.py").write_text(
        "import pendulum\n"
        "from airflow.sdk import BaseHook, Variable, dag, task\n"
        "TARGET = Variable.get('target', default='x')\n"
        "@dag(dag_id='bad', schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz='UTC'))\n"
        "def bad():\n"
        "    @task\n"
        "    def t():\n"
        "        pass\n"
        "    t()\n"
        "bad()\n")
    info = integrity(bad, tmp_path / "data")
    assert info["lookups"] == ["variable"] and list(info["errors"]) == [str(bad / "bad_dag.py")]
