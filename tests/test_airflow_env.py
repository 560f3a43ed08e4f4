"""Airflow started from any shell: no activated venv needed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT


def test_components_find_airflow_without_an_activated_venv(tmp_path):
    code = ("import shutil; from mediamon.airflow_env import configure; configure(); configure(); "
            "import os; print(shutil.which('airflow')); print(os.environ['PATH'].count(os.path.dirname(__import__('sys').executable)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "MEDIAMON_DATA_DIR": str(tmp_path),
                              "HOME": os.environ.get("HOME", "/root")}).stdout.split()
    assert Path(out[0]) == Path(sys.executable).parent / "airflow"
    assert out[1] == "1"  # configured twice, on PATH once
