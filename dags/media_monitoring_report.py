"""Daily report: runs whenever the daily DAG's load has updated the warehouse.

Wiring only; the report is warehouse.report_html.write_report. The day is the
logical date of the run that loaded (the latest crawl date if Airflow does not
say), so a reprocessed date gets its report rewritten too."""
from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

WAREHOUSE = Asset("mediamon://warehouse/articles")


@dag(
    dag_id="media_monitoring_report",
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["mediamon", "media-monitoring", "report"],
    doc_md=__doc__,
)
def media_monitoring_report():
    @task
    def write_report(triggering_asset_events=None) -> list[str]:
        from warehouse.report_days import days_loaded
        from warehouse.report_html import write_report

        return [str(write_report(day)) for day in days_loaded(triggering_asset_events)]

    write_report()


media_monitoring_report()
