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


def test_mediamon_run_finds_the_scheduler_only_while_all_its_processes_live(tmp_path, monkeypatch):
    """`mediamon run` hands its run to `mediamon airflow` when the pid files it
    left name live Airflow processes; stale pid files (a SIGKILLed starter, a
    reused pid) send it in-process."""
    import json
    import signal

    from mediamon.airflow_services import NAMES, running_server

    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(tmp_path))
    run = tmp_path / "airflow" / "run"
    run.mkdir(parents=True)
    assert running_server() is None  # never started
    procs = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "airflow", name])
             for name in ("starter", *NAMES)]
    other = subprocess.Popen(["sleep", "60"])
    try:
        (run / "api.json").write_text(json.dumps({"url": "http://127.0.0.1:8089", "pid": procs[0].pid}))
        for name, p in zip(NAMES, procs[1:]):
            (run / f"{name}.pid").write_text(f"{p.pid}\n")
        assert running_server() == "http://127.0.0.1:8089"
        (run / "scheduler.pid").write_text(f"{other.pid}\n")  # a live pid, but not Airflow's
        assert running_server() is None
        (run / "scheduler.pid").write_text(f"{procs[2].pid}\n")
        procs[4].send_signal(signal.SIGKILL)
        procs[4].wait()
        assert running_server() is None
    finally:
        for p in (*procs, other):
            p.kill()
            p.wait()
