"""The DagRun note the person on call reads first, and how a run finds its day
and its retries. The note's delivery to a real Airflow is in
tests/e2e/test_deployment.py."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from core.dates import run_day
from mediamon.run_note import NOTE_LIMIT, RunFacts, compose_note

DAY = date(2026, 11, 25)
SOURCES = ["alwasat", "huaxia", "ledger"]


def facts(**over) -> RunFacts:
    base = dict(
        day=DAY, sources=SOURCES, loaded={"alwasat": 31, "huaxia": 29, "ledger": 30}, quarantined=12,
        top_reasons=[("length_out_of_bounds", 5), ("empty_text", 4), ("http_status:404", 2)],
        report="/data/reports/date=2026-11-25/report.html",
    )
    return RunFacts(**(base | over))


def test_a_healthy_day_names_every_source_with_its_articles():
    note = compose_note(facts())
    first = note.splitlines()[0]
    # the UI shows the first line beside the run; the rest opens on a click
    assert first == "**2026-11-25: 90 articles from 3 of 3 sources, 12 quarantined, sources healthy**"
    assert "- Articles per source: alwasat 31, huaxia 29, ledger 30" in note
    assert "- Quarantined: 12 (length_out_of_bounds 5, empty_text 4, http_status:404 2)" in note
    assert "- Degraded or failed sources: none" in note and "- Spikes: none" in note
    assert "- Report: `/data/reports/date=2026-11-25/report.html`" in note


def test_degraded_and_failed_sources_spikes_and_failed_tasks_are_named():
    note = compose_note(facts(
        loaded={"alwasat": 31, "huaxia": 0, "ledger": 30},
        unhealthy=[{"source_id": "huaxia", "check_name": "listing", "action": "crawl_failed", "observed": 0.0,
                    "threshold": ">= 1 of 1 feed/sitemap URLs readable"},
                   {"source_id": "ledger", "check_name": "quarantine_share", "action": "degraded",
                    "observed": 0.412, "threshold": "<= 0.3"}],
        spikes=[{"dimension": "topic", "key": "semiconductors", "articles": 12, "baseline": 2.14, "z_score": 4.18}],
        failed_tasks=["crawl[huaxia]: source huaxia: none of its 1 feed/sitemap URLs gave a readable listing"],
    ))
    assert note.startswith("**2026-11-25: 61 articles from 2 of 3 sources, 12 quarantined, "
                           "2 sources degraded or failed, 1 spike**")
    assert "huaxia 0" in note  # a source without articles is named, not dropped
    assert ("- Degraded or failed sources: huaxia crawl_failed (listing), "
            "ledger degraded (quarantine_share 0.41, bound <= 0.3)") in note
    assert "- Spikes: topic semiconductors 12 articles against a mean of 2.1 (z 4.2)" in note
    assert "- Failed tasks: `crawl[huaxia]: source huaxia: none of its" in note


def test_a_run_that_loaded_nothing_says_so_and_why():
    note = compose_note(facts(loaded=None, report=None,
                              failed_tasks=["validate: BatchRejected: empty_batch: no source gave a single article"]))
    assert note.splitlines()[0] == "**2026-11-25: nothing loaded by this run**"
    assert "Articles per source" not in note
    assert "- Failed tasks: `validate: BatchRejected: empty_batch" in note
    assert "- Report: not written; `mediamon report --date 2026-11-25`" in note


def test_the_note_fits_airflows_limit_and_says_what_it_left_out():
    many = [f"outlet_{i:03d}" for i in range(120)]
    note = compose_note(facts(
        sources=many, loaded={s: i for i, s in enumerate(many)},
        unhealthy=[{"source_id": s, "check_name": "source_volume", "action": "degraded", "observed": 0.1,
                    "threshold": ">= 0.5"} for s in many[:30]],
        spikes=[{"dimension": "entity", "key": f"e{i}", "articles": 9, "baseline": 1.0, "z_score": 5.0}
                for i in range(20)],
        failed_tasks=["x" * 500] * 5))
    assert len(note) <= NOTE_LIMIT
    assert "more sources" in note and note.splitlines()[0].startswith("**2026-11-25: ")
    assert note.rstrip().endswith("`")  # shortened lists, not a cut in the middle of the report path


def test_a_run_without_a_logical_date_works_on_the_day_it_ran():
    after = datetime(2026, 11, 25, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 04:30 UTC on the 26th
    assert run_day(None, after) == "2026-11-26"
    assert run_day(datetime(2026, 11, 25, tzinfo=timezone.utc), after) == "2026-11-25"


@pytest.mark.parametrize("conf, try_number, action", [
    ({"retries": 0}, 1, "fail"),       # mediamon run: the failure now
    ({"retries": 1}, 1, "default"),
    ({"retries": 1}, 2, "fail"),
    ({}, 1, "default"),                # scheduled runs keep the DAG's retries
    (None, 3, "default"),
])
def test_a_runs_conf_can_only_lower_its_retries(conf, try_number, action):
    from mediamon.run_retries import RunRetries

    ctx = {"dag_run": SimpleNamespace(conf=conf)}
    decision = RunRetries().evaluate(RuntimeError("feed down"), try_number, 3, ctx)
    assert decision.action.value == action


@pytest.fixture
def passwords(tmp_path, monkeypatch):
    for var in ("AIRFLOW__API__BASE_URL", "AIRFLOW_CONN_MEDIAMON_API", "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "passwords.json"
    path.write_text('{"viewer1": "v", "admin": "s3cret-pw"}')
    monkeypatch.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", str(path))
    monkeypatch.setenv("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "viewer1:viewer,admin:admin")
    return path


def test_without_an_api_server_there_are_no_credentials(passwords):
    from mediamon.airflow_api import credentials

    assert credentials() is None  # dag.test: nothing to send the note to


def test_the_local_api_server_is_reached_with_the_password_file(passwords, monkeypatch):
    from mediamon.airflow_api import credentials

    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "http://127.0.0.1:8089/")
    creds = credentials()
    assert (creds.base_url, creds.username, creds.password) == ("http://127.0.0.1:8089", "admin", "s3cret-pw")
    assert "s3cret" not in repr(creds)  # never in a log line


@pytest.mark.parametrize("uri, expected", [
    ("http://ops:pw-123@api.internal:8080", ("http://api.internal:8080", "ops", "pw-123")),
    ("http://airflow-apiserver:8080", ("http://airflow-apiserver:8080", "admin", "s3cret-pw")),  # compose
])
def test_the_mediamon_api_connection_names_a_server_elsewhere(passwords, monkeypatch, uri, expected):
    from mediamon.airflow_api import credentials

    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "http://127.0.0.1:8089")
    monkeypatch.setenv("AIRFLOW_CONN_MEDIAMON_API", uri)
    creds = credentials()
    assert (creds.base_url, creds.username, creds.password) == expected


def test_an_undeliverable_note_is_kept_and_never_raises(passwords, monkeypatch):
    from mediamon.run_note import publish, saved_note

    assert publish("**note**", "media_monitoring_daily", "manual__2026-11-25T00:00:00+00:00") == "file"
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    assert publish("**note 2**", "media_monitoring_daily", "manual__2026-11-25T00:00:00+00:00") == "file"
    assert saved_note("manual__2026-11-25T00:00:00+00:00") == "**note 2**"
