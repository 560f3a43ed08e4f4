"""The daily HTML report over the demo newsroom, opened in headless Chromium."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.warehouse.demo_warehouse import ANCHOR

CHARTS = {"topic-volume", "tone-topic", "tone-lang", "entities", "framing", "comentions", "quality"}


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    return exe


def browse(html: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with console messages on stderr; no network is needed."""
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                           "--v=0", "--window-size=1200,5200", *args, html.as_uri()],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(demo_data_dir, spiked_warehouse):
    import os

    from warehouse.report_html import write_report

    old = os.environ.get("MEDIAMON_DATA_DIR")
    os.environ["MEDIAMON_DATA_DIR"] = str(demo_data_dir)
    try:
        return write_report(ANCHOR)
    finally:
        os.environ["MEDIAMON_DATA_DIR"] = old or ""


def test_report_is_written_where_the_contract_says(report, demo_data_dir):
    assert report == demo_data_dir / "reports" / f"date={ANCHOR.isoformat()}" / "report.html"


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    # nothing loaded from elsewhere: links to articles are the only URLs
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", html)
    assert "url(http" not in html and "@import" not in html
    assert html.count("<svg") == len(CHARTS)


def test_report_sections_carry_the_numbers(report):
    html = report.read_text(encoding="utf-8")
    for section in ("Headline", "Topic volume, 30 days", "Tone", "Top entities and movers", "Spikes",
                    "three languages", "Co-mentions", "Data quality per source"):
        assert section in html
    assert '<div lang="ar" dir="rtl">' in html  # Arabic headlines in the framing table
    assert re.search(r'<div lang="zh">[^<]*[\u4e00-\u9fff]', html)


def test_chromium_draws_every_chart_without_console_errors(report, tmp_path):
    shot = report.with_name("report.png")
    res = browse(report, f"--screenshot={shot}")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "CONSOLE" not in res.stderr, [line for line in res.stderr.splitlines() if "CONSOLE" in line]
    assert shot.stat().st_size > 50_000  # a page with charts, not a blank one
    dom = browse(report, "--dump-dom").stdout
    assert f'data-charts="{len(CHARTS)}/{len(CHARTS)}"' in dom
    drawn = dict(re.findall(r'<figure class="chart" id="([^"]+)" data-drawn="(\w+)"', dom))
    assert drawn == {c: "yes" for c in CHARTS}
    print(f"screenshot: {shot}")


def test_spikes_link_to_their_causes(spiked_warehouse, tmp_path, monkeypatch):
    from tests.warehouse.fixtures import SPIKE
    from warehouse.report_html import write_report

    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(tmp_path))
    path = write_report(SPIKE.day, spiked_warehouse[1])
    html = path.read_text(encoding="utf-8")
    assert "topic Stock markets</b> on 2026-10-30: 8 articles" in html
    assert 'href="https://ledger.example/sp000"' in html and "and 2 near-copies" in html
    assert 'href="https://alwasat.example/sp001" lang="ar" dir="rtl"' in html
    # data quality of that crawl date: quarantine reasons and crawl errors by kind
    day_of_crawl = write_report(date(2026, 11, 4), spiked_warehouse[1]).read_text(encoding="utf-8")
    assert "too_short" in day_of_crawl and "timeout 1" in day_of_crawl


def test_report_command_prints_the_path(demo_data_dir, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from mediamon.cli import app

    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(demo_data_dir))
    res = CliRunner().invoke(app, ["report", "--date", ANCHOR.isoformat()])
    assert res.exit_code == 0, res.stderr
    assert Path(res.stdout.strip()).is_file()
    res = CliRunner().invoke(app, ["report", "--date", "yesterday"])
    assert res.exit_code == 2 and "--date" in res.stderr
    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(tmp_path))
    res = CliRunner().invoke(app, ["report"])
    assert res.exit_code == 2 and "no warehouse" in res.stderr
