from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test writes into the developer's ./data."""
    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="session")
def test_vocab():
    from transforms.vocab import load_vocabulary

    return load_vocabulary(FIXTURES / "config")


@pytest.fixture(scope="session")
def airflow_home_template(tmp_path_factory):
    """One migrated Airflow metadata DB for the session: each e2e data dir
    starts from a copy instead of running `airflow db migrate` (~30 s) again."""
    import subprocess
    import sys

    data = tmp_path_factory.mktemp("airflow-template") / "data"
    subprocess.run([sys.executable, "-c", "from mediamon.airflow_env import ensure_db; ensure_db()"],
                   env={**__import__("os").environ, "MEDIAMON_DATA_DIR": str(data)}, check=True,
                   capture_output=True, timeout=600)
    return data / "airflow"


def seed_airflow(template, data_dir) -> None:
    import shutil

    shutil.copytree(template, data_dir / "airflow")


def run_notes(data_dir, dag_id: str = "media_monitoring_daily") -> dict[str, str]:
    """The DagRun notes in a data dir's Airflow metadata DB, by run id."""
    import sqlite3

    con = sqlite3.connect(data_dir / "airflow" / "airflow.db")
    try:
        return dict(con.execute("SELECT r.run_id, n.content FROM dag_run r JOIN dag_run_note n ON n.dag_run_id = r.id "
                                "WHERE r.dag_id = ?", (dag_id,)).fetchall())
    finally:
        con.close()
