"""Alerts that reach a person: a failed task, a source gone silent, a
data-quality failure, a spike. Each is one short text that names the source or
topic, the figure, and links to the run in the Airflow UI.

They go through Airflow's notifier mechanism (WebhookNotifier, a BaseNotifier)
to the webhook that the Airflow connection `mediamon_alerts` points at, e.g.
    AIRFLOW_CONN_MEDIAMON_ALERTS='http://127.0.0.1:9000/hooks/mediamon'
or one made in the UI (Admin > Connections). Nothing secret lives in the repo;
without the connection, alerts are only logged."""
from __future__ import annotations

import json
import logging
import os
import urllib.parse
import urllib.request
from datetime import date, timedelta

from airflow.sdk import BaseNotifier

log = logging.getLogger(__name__)
CONN_ID = "mediamon_alerts"


def run_link(dag_id: str, run_id: str) -> str:
    base = os.environ.get("AIRFLOW__API__BASE_URL") or "http://127.0.0.1:8080"
    return f"{base.rstrip('/')}/dags/{dag_id}/runs/{urllib.parse.quote(run_id, safe='')}"


def _webhook_url() -> str | None:
    from airflow.sdk import BaseHook

    try:
        conn = BaseHook.get_connection(CONN_ID)
    except Exception:  # no such connection: alerts are logged only
        return None
    if not conn.host:
        return None
    if conn.host.startswith(("http://", "https://")):  # a full URL typed into the host field
        return conn.host
    scheme = "https" if conn.conn_type == "https" else "http"
    return f"{scheme}://{conn.host}{f':{conn.port}' if conn.port else ''}/{conn.schema or ''}"


class WebhookNotifier(BaseNotifier):
    """Posts {"text": ...} to the `mediamon_alerts` connection."""

    template_fields = ("text",)

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def notify(self, context) -> None:
        send(self.text)


def send(text: str) -> bool:
    """Deliver one alert; False (and a log line) where no webhook is configured
    or it did not answer: an alert must never fail the run it reports on."""
    log.warning("ALERT: %s", text)
    url = _webhook_url()
    if not url:
        return False
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return 200 <= resp.status < 300
    except OSError as exc:
        log.warning("alert not delivered to %s: %s", url, exc)
        return False


def task_failed(context) -> None:
    ti = context["ti"]
    error = str(context.get("exception") or "failed").strip().splitlines()
    label = ti.task_id + (f"[{ti.rendered_map_index}]" if getattr(ti, "rendered_map_index", None) else "")
    WebhookNotifier(f"mediamon: task {label} failed in {ti.dag_id} run {context['run_id']}: "
                    f"{error[-1] if error else 'failed'} | {run_link(ti.dag_id, context['run_id'])}").notify(context)


def silent_sources(con, day: date, source_ids: list[str], silent_days: int, history_days: int = 14) -> list[str]:
    """Sources with no article loaded for the last `silent_days` crawl dates up to
    `day`, that had articles in the `history_days` before that."""
    quiet_from = day - timedelta(days=silent_days - 1)
    rows = con.execute("""
        SELECT source_id,
               COUNT(*) FILTER (WHERE crawl_date >= ?) AS recent,
               COUNT(*) FILTER (WHERE crawl_date < ? AND crawl_date >= ?) AS before
        FROM articles WHERE source_id IN (SELECT unnest(?)) GROUP BY source_id""",
                       [quiet_from, quiet_from, quiet_from - timedelta(days=history_days), source_ids]).fetchall()
    return [f"source {sid}: no article for {silent_days} days (since {quiet_from}); {before} in the "
            f"{history_days} days before" for sid, recent, before in sorted(rows) if recent == 0 and before > 0]


def daily_alerts(day: date, source_ids: list[str], health_lines: list[str], dag_id: str, run_id: str,
                 silent_days: int = 2) -> list[str]:
    """The alerts of one daily run, after its load: silent sources, data-quality
    failures, spikes. Returns what was sent."""
    from warehouse.db import connect_reader
    from warehouse.spikes import find_spikes

    link = run_link(dag_id, run_id)
    texts = [f"mediamon data quality {day}: {line} | {link}" for line in health_lines]
    con = connect_reader()
    try:
        texts += [f"mediamon silent source {day}: {line} | {link}"
                  for line in silent_sources(con, day, source_ids, silent_days)]
        for s in find_spikes(con, day, day):
            top = s.causes[0] if s.causes else None
            texts.append(f"mediamon spike {day}: {s.dimension} {s.key}: {s.articles} articles against a "
                         f"14-day mean of {s.baseline:.1f} (z {s.z_score:.1f})"
                         + (f"; top story \"{top['title']}\" {top['url']}" if top else "") + f" | {link}")
    finally:
        con.close()
    for text in texts:
        send(text)
    return texts
