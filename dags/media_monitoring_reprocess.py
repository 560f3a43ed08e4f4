"""Reprocess a date range from the raw archive: extract, enrich, validate and
load again, without fetching anything. Run it after the taxonomy, the lexicons
or the models change: every row of those dates then carries the new versions.

Wiring only; see mediamon.pipeline.reprocess."""
from __future__ import annotations

import pendulum
from airflow.sdk import Asset, Param, dag, task

from mediamon.task_docs import REPROCESS as DOC



def _record_failure(context):
    from mediamon.runlock import record_failure

    record_failure(context)


@dag(
    dag_id="media_monitoring_reprocess",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    tags=["mediamon", "media-monitoring", "reprocess"],
    default_args={"retries": 0, "on_failure_callback": _record_failure},
    params={
        "start": Param(type="string", format="date", description="First date to reprocess (YYYY-MM-DD)"),
        "end": Param(type="string", format="date", description="Last date to reprocess (YYYY-MM-DD)"),
        "sources_file": Param(None, type=["null", "string"],
                              description="sources.yaml the dates were crawled with; default as the daily DAG"),
    },
    doc_md=DOC,
)
def media_monitoring_reprocess():
    @task(doc_md="The dates in the range that have a raw archive.")
    def dates(params=None) -> list[str]:
        from mediamon.pipeline import archived_dates

        return archived_dates(params["start"], params["end"])

    # One date at a time, and never beside a daily load: the writer pool.
    @task(pool="warehouse_writer", map_index_template="{{ task.op_kwargs['day'] }}",
          outlets=[Asset("mediamon://warehouse/articles")],
          doc_md="Extract, enrich, validate and load one date from its raw archive. **Failed:** the log says "
                 "which step; the warehouse keeps that date as it was.")
    def reprocess(day: str, params=None, run_id=None) -> dict:
        from core.settings import default_sources_file
        from mediamon.pipeline import reprocess

        return reprocess(day, params.get("sources_file") or str(default_sources_file()), run_id)

    reprocess.expand(day=dates())


media_monitoring_reprocess()
