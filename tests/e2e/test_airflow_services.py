"""`mediamon airflow` as the person on call starts it: from an unactivated shell,
on a port of our choosing, every component its own process bound to
127.0.0.1, and all of them gone within 30 s of SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.conftest import seed_airflow

pytestmark = pytest.mark.e2e
NAMES = ("api-server", "scheduler", "dag-processor", "triggerer")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(pids: set[int]) -> list[str]:
    """Local addresses the given processes (and their children) listen on."""
    out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout
    return [line.split()[3] for line in out.splitlines() if any(f"pid={p}," in line for p in pids)]


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.mark.skipif(subprocess.run(["which", "ss"], capture_output=True).returncode != 0, reason="ss (iproute2) missing")
def test_components_start_bind_locally_and_stop_on_sigterm(tmp_path, airflow_home_template):
    data = tmp_path / "data"
    seed_airflow(airflow_home_template, data)
    port = free_port()
    bin_dir = Path(sys.executable).parent
    proc = subprocess.Popen([str(bin_dir / "mediamon"), "airflow", "--port", str(port), "--paused"],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"),
                                 "MEDIAMON_DATA_DIR": str(data)})
    run_dir = data / "airflow" / "run"
    try:
        deadline, health = time.monotonic() + 300, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=5) as r:
                    health = json.load(r)
                if all(health.get(k, {}).get("status") == "healthy" for k in ("metadatabase", "scheduler")):
                    break
            except OSError:
                pass
            time.sleep(2)
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        assert health and health["scheduler"]["status"] == "healthy", health
        pids = {n: int((run_dir / f"{n}.pid").read_text()) for n in NAMES}
        addresses = listening(set(pids.values()))
        assert f"127.0.0.1:{port}" in addresses
        assert addresses and all(a.startswith("127.0.0.1:") for a in addresses), addresses
    finally:
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        code = proc.wait(timeout=60)
        took = time.monotonic() - started
    out = proc.stdout.read()
    assert code == 0 and took < 30, (code, took, out[-2000:])
    assert f"Airflow UI: http://127.0.0.1:{port}" in out and "passwords.json" in out
    assert not any(group_alive(p) for p in pids.values())
    assert not list(run_dir.glob("*.pid"))


def test_a_component_that_dies_stops_the_rest_and_says_which(tmp_path, airflow_home_template):
    data = tmp_path / "data"
    seed_airflow(airflow_home_template, data)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mediamon.cli", "airflow", "--port", str(port), "--paused"],
                            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "MEDIAMON_DATA_DIR": str(data)})
    pid_file = data / "airflow" / "run" / "triggerer.pid"
    deadline = time.monotonic() + 120
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    pids = {n: int((data / "airflow" / "run" / f"{n}.pid").read_text()) for n in NAMES}
    os.killpg(pids["triggerer"], signal.SIGKILL)
    code = proc.wait(timeout=60)
    out = proc.stdout.read()
    assert code == 1 and "error: triggerer exited with code -9" in out, out[-2000:]
    assert not any(group_alive(p) for p in pids.values())
