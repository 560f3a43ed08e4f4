"""Daily report: runs whenever the daily DAG's load has updated the warehouse.

Wiring only; the report is warehouse.report_html.write_report. The day is the
logical date of the run that loaded (the latest crawl date if Airflow does not
say), so a reprocessed date gets its report rewritten too."""
from __future__ import annotations

import pendulum
from airflow.sdk import Asset, dag, task

WAREHOUSE = Asset("mediamon://warehouse/articles")
REPORT_DOC = """\
Writes the self-contained HTML report of each day the load just updated, to
`reports/date=D/report.html` under the data dir. **Failed:** the log names the
day; the data is loaded all the same. `mediamon report --date D` writes it by
hand (and shows the error in one line)."""


@dag(
    dag_id="media_monitoring_report",
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["mediamon", "media-monitoring", "report"],
    # a report is cheap to write again; a second failure is a bug, not bad luck
    default_args={"retries": 1, "retry_delay": pendulum.duration(minutes=1)},
    doc_md=__doc__,
)
def media_monitoring_report():
    @task(doc_md=REPORT_DOC)
    def write_report(triggering_asset_events=None) -> list[str]:
        from warehouse.report_days import days_loaded
        from warehouse.report_html import write_report

        return [str(write_report(day)) for day in days_loaded(triggering_asset_events)]

    write_report()


media_monitoring_report()
