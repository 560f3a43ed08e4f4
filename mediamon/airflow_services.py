"""Airflow on one machine, unattended: the API server (with the UI), the
scheduler, the DAG processor and the triggerer, each its own process with a
pid file and a log file, all with this project's configuration.

`airflow standalone` was not fit for it: it launched a bare `airflow` that
was not on PATH from an unactivated venv, left components running on SIGTERM,
ignored SIGINT when started in the background, and its log servers listened
on every interface. Here every component binds 127.0.0.1 (the log servers are
off: LocalExecutor's logs are files the API server reads itself), a component
that dies stops the rest and the exit code says which, and SIGTERM or Ctrl-C
stops everything within 30 s."""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from core.settings import airflow_home

log = logging.getLogger(__name__)
STOP_GRACE_S = 20  # then SIGKILL: everything is gone within 30 s
NAMES = ("api-server", "scheduler", "dag-processor", "triggerer")


@dataclass
class Component:
    name: str
    args: list[str]
    proc: subprocess.Popen | None = None


def components(port: int) -> list[Component]:
    return [
        Component("api-server", ["api-server", "--host", "127.0.0.1", "--port", str(port)]),
        Component("scheduler", ["scheduler", "--skip-serve-logs"]),
        Component("dag-processor", ["dag-processor"]),
        Component("triggerer", ["triggerer", "--skip-serve-logs"]),
    ]


def environment(port: int, unpause: bool) -> dict[str, str]:
    """Settings every component needs, on top of mediamon.airflow_env.configure()."""
    env = {
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        # tasks talk to the execution API of *this* server, not localhost:8080
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        # 2 cores: two task processes at a time (an orphaned scheduler once kept 32)
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False" if unpause else "True",
    }
    return {k: os.environ.get(k, v) if k != "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION" else v
            for k, v in env.items()}


def _run_dir() -> Path:
    d = airflow_home() / "run"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _alive(pid: int) -> bool:
    """A live process of ours: pid files outlive a SIGKILLed starter, and pids get reused."""
    try:
        os.kill(pid, 0)
        return b"airflow" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except PermissionError:
        return True
    except (ProcessLookupError, FileNotFoundError):
        return False


def running_server() -> str | None:
    """The URL of the API server that `mediamon airflow` runs for this data dir
    when it and every component it started are alive (their pid files); None
    otherwise. Whether the API answers is the caller's question."""
    run = airflow_home() / "run"
    try:
        info = json.loads((run / "api.json").read_text())
        pids = [int(info["pid"])] + [int((run / f"{n}.pid").read_text()) for n in NAMES]
    except (OSError, ValueError, KeyError):
        return None
    return info["url"] if all(_alive(p) for p in pids) else None


def _stop(comps: list[Component]) -> None:
    running = [c for c in comps if c.proc and c.proc.poll() is None]
    for c in running:
        try:
            os.killpg(c.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_GRACE_S
    for c in running:
        try:
            c.proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in %d s: killed", c.name, STOP_GRACE_S)
    for c in comps:  # whatever a component left in its group goes too
        if c.proc:
            try:
                os.killpg(c.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            c.proc.wait()
        (_run_dir() / f"{c.name}.pid").unlink(missing_ok=True)


def serve(port: int, unpause: bool = True, echo=print) -> int:
    """Start every component and watch them; returns the exit code."""
    from mediamon.airflow_env import configure, ensure_db

    os.environ.update(environment(port, unpause))
    configure()
    ensure_db()
    comps = components(port)
    stopping = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logs = airflow_home() / "logs" / "components"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        for c in comps:
            out = (logs / f"{c.name}.log").open("ab")
            c.proc = subprocess.Popen([sys.executable, "-m", "airflow", *c.args], stdout=out,
                                      stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      start_new_session=True)
            (_run_dir() / f"{c.name}.pid").write_text(f"{c.proc.pid}\n")
        # where `mediamon run` finds this server (mediamon.scheduler_run)
        (_run_dir() / "api.json").write_text(json.dumps({"url": f"http://127.0.0.1:{port}", "pid": os.getpid()}))
        echo(f"Airflow UI: http://127.0.0.1:{port}  (user admin; password in "
             f"{airflow_home() / 'passwords.json'})")
        echo(f"components: {', '.join(f'{c.name} (pid {c.proc.pid})' for c in comps)}; logs in {logs}")
        echo("the daily DAG is " + ("unpaused on first start" if unpause else "left paused (--paused)"))
        while stopping["signal"] is None:
            for c in comps:
                code = c.proc.poll()
                if code is not None:
                    echo(f"error: {c.name} exited with code {code}; see {logs / (c.name + '.log')}")
                    return 1
            time.sleep(0.5)
        echo(f"stopping on {signal.Signals(stopping['signal']).name}")
        return 0
    finally:
        _stop(comps)
