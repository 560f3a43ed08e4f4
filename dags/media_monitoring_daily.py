"""Daily media monitoring: crawl each source, extract, enrich, validate, load.

Wiring only. Each task is a call into mediamon.pipeline with strings in and
strings out (paths in XCom, never data); heavy imports happen inside tasks so
parsing this file stays cheap."""
from __future__ import annotations

import os

import pendulum
from airflow.sdk import Asset, Param, dag, task

from core.dates import run_day
from mediamon.run_retries import RunRetries
from mediamon.task_docs import DAG as DAG_DOC, TASKS as DOCS

WAREHOUSE = Asset("mediamon://warehouse/articles")
# Scheduled runs retry transient failures; `mediamon run` sets 0 to fail fast
# (in process through this variable, on the running scheduler through the run's conf).
RETRIES = int(os.environ.get("MEDIAMON_TASK_RETRIES", "2"))


def _day(dag_run) -> str:
    """The run's date partition; runs triggered without a logical date take the day they ran."""
    return run_day(dag_run.logical_date, dag_run.run_after)


def _record_failure(context):
    """Keeps each failed task's error line where `mediamon run` reads it, and
    sends it to the alerts webhook (connection mediamon_alerts)."""
    from mediamon.alerts import task_failed
    from mediamon.runlock import record_failure

    record_failure(context)
    task_failed(context)


@dag(
    dag_id="media_monitoring_daily",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["mediamon", "media-monitoring"],
    default_args={"retries": RETRIES, "retry_delay": pendulum.duration(minutes=5),
                  "retry_policy": RunRetries(), "on_failure_callback": _record_failure},
    params={
        "sources_file": Param(
            None, type=["null", "string"],
            description="Path to a sources.yaml; defaults to MEDIAMON_SOURCES or config/sources.yaml",
        ),
    },
    doc_md=DAG_DOC,
)
def media_monitoring_daily():
    @task(doc_md=DOCS["read_sources"])
    def read_sources(params=None, dag_run=None) -> list[dict]:
        from mediamon.pipeline import read_sources
        from core.settings import default_sources_file

        return read_sources(params.get("sources_file") or str(default_sources_file()), _day(dag_run))

    @task(map_index_template="{{ task.op_kwargs['source']['source_id'] }}",
          execution_timeout=pendulum.duration(hours=2), doc_md=DOCS["crawl"])
    def crawl(source: dict, dag_run=None) -> str:
        from mediamon.pipeline import crawl

        return crawl(source["sources_file"], source["source_id"], _day(dag_run))

    # One source's failed crawl must not cost the others their day: extract
    # runs once every crawl has finished, whatever its outcome.
    @task(trigger_rule="all_done_min_one_success", doc_md=DOCS["extract"])
    def extract(sources: list[dict], dag_run=None) -> str:
        from mediamon.pipeline import extract, raw_dirs

        return extract(_day(dag_run), raw_dirs(_day(dag_run), sources))

    @task(doc_md=DOCS["enrich"])
    def enrich(staging_dir: str, dag_run=None) -> str:
        from mediamon.pipeline import enrich

        return enrich(_day(dag_run), staging_dir)

    @task(doc_md=DOCS["validate"])
    def validate(enriched_dir: str, sources: list[dict], dag_run=None) -> str:
        from mediamon.pipeline import validate

        return validate(_day(dag_run), enriched_dir, sources[0]["sources_file"], dag_run.run_id)

    # DuckDB has one writer: the pool keeps loads of concurrent runs apart.
    @task(pool="warehouse_writer", outlets=[WAREHOUSE], retries=0, doc_md=DOCS["load"])
    def load(validated_dir: str, sources: list[dict], dag_run=None) -> dict:
        from mediamon.pipeline import load

        return load(_day(dag_run), validated_dir, sources)

    # Last: red when any source failed a check, after the rest has loaded.
    @task(doc_md=DOCS["check_sources"])
    def check_sources(counts: dict, sources: list[dict], dag_run=None) -> list[str]:
        from mediamon.pipeline import check_sources

        return check_sources(_day(dag_run), sources, dag_run.dag_id, dag_run.run_id)

    @task(doc_md=DOCS["summarize"])
    def summarize(counts: dict, dag_run=None) -> str:
        from mediamon.pipeline import summarize

        return summarize(_day(dag_run))

    # Runs once the sources are known, whatever happened after (and never
    # fails): a red run gets its story too. It cannot turn a red run green:
    # check_sources stays a leaf, failed or upstream_failed whenever anything
    # before it was.
    @task(trigger_rule="all_done_min_one_success", retries=0, doc_md=DOCS["run_note"])
    def run_note(sources: list[dict], dag_run=None, ti=None) -> str:
        from mediamon.run_note import note_for_run

        return note_for_run(_day(dag_run), [s["source_id"] for s in sources], dag_run.dag_id, dag_run.run_id, ti)

    sources = read_sources()
    staged = extract(sources)
    crawl.expand(source=sources) >> staged
    counts = load(validate(enrich(staged), sources), sources)
    summarize(counts) >> run_note(sources)
    check_sources(counts, sources)


media_monitoring_daily()
