"""SQL that feels like SQL: `mediamon sql` prints what the DuckDB CLI prints,
and the DuckDB CLI itself (a dev dependency) opens the warehouse read-only."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from typer.testing import CliRunner

from mediamon.cli import app
from tests.test_cli import mediamon
from tests.warehouse.fixtures import SPIKE, spiked_warehouse  # noqa: F401


@pytest.fixture(scope="module")
def home(tmp_path_factory, spiked_warehouse):
    """A data dir whose warehouse is the generated one."""
    root = tmp_path_factory.mktemp("data")
    (root / "warehouse").mkdir()
    shutil.copy(spiked_warehouse[1], root / "warehouse" / "mediamon.duckdb")
    return root


def duckdb_cli() -> str:
    exe = Path(sys.executable).with_name("duckdb")
    if not exe.exists():
        pytest.skip("duckdb-cli is not installed (it is a dev dependency: make install)")
    return str(exe)


def test_sql_prints_a_duckdb_table(home):
    res = mediamon("sql", "SELECT topic_id, articles FROM topic_spikes", data_dir=home)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("┌") and "topic_id" in lines[1] and "varchar" in lines[2]
    assert any(SPIKE.topic in line and f"{SPIKE.articles}" in line for line in lines)
    assert "shape:" not in res.stdout


@pytest.fixture
def sql(home, monkeypatch):
    """In-process, for speed; the table test above runs the real command."""
    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(home))
    return lambda *args: CliRunner().invoke(app, ["sql", *args])


def test_sql_json_and_csv_carry_dates_and_nulls(sql):
    q = "SELECT day, articles, avg_tone FROM topic_daily WHERE topic_id = 'stock_markets' ORDER BY day LIMIT 2"
    rows = json.loads(sql(q, "--format", "json").stdout)
    assert rows[0] == {"day": "2026-10-01", "articles": 0, "avg_tone": None}
    assert sql(q, "--format", "csv").stdout.splitlines()[:2] == ["day,articles,avg_tone", "2026-10-01,0,"]


def test_sql_error_is_one_line(sql):
    res = sql("SELECT nope FROM articles")
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1
    assert "nope" in res.stderr and "Traceback" not in res.stderr


def test_the_duckdb_cli_reads_the_warehouse_views_and_macros(home):
    db = home / "warehouse" / "mediamon.duckdb"
    res = subprocess.run(
        [duckdb_cli(), "-readonly", "-csv", str(db), "-c",
         f"SELECT key, articles FROM spikes WHERE dimension = 'topic'; "
         f"SELECT COUNT(*) AS causes FROM spike_causes('topic', '{SPIKE.topic}', DATE '{SPIKE.day}');"],
        capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert f"{SPIKE.topic},{SPIKE.articles}" in res.stdout.splitlines()
    assert f"{SPIKE.articles}" in res.stdout.splitlines()[-1]
    # and it cannot write
    res = subprocess.run([duckdb_cli(), "-readonly", str(db), "-c", "DELETE FROM articles"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode != 0 and "read-only" in (res.stderr + res.stdout).lower()
