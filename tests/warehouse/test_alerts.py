"""Alerts reach a local webhook with the source or topic, the figure and a link to the run."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from core.settings import warehouse_path
from mediamon.alerts import daily_alerts
from tests.localserver import webhook_receiver
from tests.warehouse.corpus import SOURCES
from tests.warehouse.fixtures import SPIKE

RUN = "scheduled__2026-10-30T00:00:00+00:00"


@pytest.fixture
def hook(spiked_warehouse, monkeypatch):
    warehouse_path().parent.mkdir(parents=True)
    shutil.copy(spiked_warehouse[1], warehouse_path())
    with webhook_receiver() as (url, received):
        monkeypatch.setenv("AIRFLOW_CONN_MEDIAMON_ALERTS", url)
        yield received


def test_a_spike_alert_names_the_topic_the_figure_the_top_story_and_the_run(hook):
    sent = daily_alerts(SPIKE.day, sorted(SOURCES.values()), [], "media_monitoring_daily", RUN)
    texts = [m["text"] for m in hook]
    assert texts == sent and len(texts) == 3  # the topic, deepseek and china
    topic = next(t for t in texts if f"topic {SPIKE.topic}:" in t)
    assert f"{SPIKE.articles} articles against a 14-day mean of 0.0" in topic
    assert "top story \"Spike story 0\"" in topic
    assert topic.endswith("/dags/media_monitoring_daily/runs/scheduled__2026-10-30T00%3A00%3A00%2B00%3A00")


def test_a_source_gone_silent_is_named_with_its_history(hook):
    # the corpus ends on 4 Nov: two days later every source has been quiet for two days
    daily_alerts(date(2026, 11, 6), sorted(SOURCES.values()), [], "media_monitoring_daily", RUN, silent_days=2)
    silent = [m["text"] for m in hook if m["text"].startswith("mediamon silent source")]
    assert len(silent) == len(set(SOURCES.values()))
    assert all("no article for 2 days (since 2026-11-05)" in t and "in the 14 days before" in t for t in silent)
    hook.clear()
    daily_alerts(date(2026, 11, 5), sorted(SOURCES.values()), [], "media_monitoring_daily", RUN, silent_days=2)
    assert not [m for m in hook if m["text"].startswith("mediamon silent source")]  # one quiet day is not silence


def test_data_quality_lines_are_sent_as_they_are(hook):
    daily_alerts(date(2026, 11, 1), ["x"], ["source x: quarantine_share failed (observed 0.80, bound <= 0.5)"],
                 "media_monitoring_daily", RUN)
    assert any(m["text"].startswith("mediamon data quality 2026-11-01: source x: quarantine_share failed")
               for m in hook)
