"""One run of a date at a time, and the reason a run failed, for the CLI.

Two `mediamon run`s of one date would each replace the other's partitions
and Airflow DagRun; the second one now says the first is running and leaves
it alone. A lock file per date under the data dir does it, so it holds for
every process on this machine whatever started it."""
from __future__ import annotations

import fcntl
import json
import os
import re
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

from core.settings import data_dir


class RunInProgress(RuntimeError):
    """Another run of the same date is going on."""


def _lock_path(day: date) -> Path:
    return data_dir() / "locks" / f"run-{day.isoformat()}.lock"


@contextmanager
def date_lock(day: date) -> Iterator[None]:
    path = _lock_path(day)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                who = json.loads(path.read_text() or "{}")
            except ValueError:
                who = {}
            raise RunInProgress(f"a run of {day} is already in progress (pid {who.get('pid', '?')}, "
                                f"started {who.get('started_at', '?')}); wait for it to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "started_at": datetime.now(timezone.utc).isoformat(
            timespec="seconds")}).encode(), 0)
        yield
    finally:
        os.close(fd)


def _failures_file(run_id: str) -> Path:
    return data_dir() / "airflow" / "failures" / (re.sub(r"[^A-Za-z0-9_.-]", "_", run_id) + ".jsonl")


def record_failure(context) -> None:
    """Airflow on_failure_callback: keep the error line of each failed task
    instance, so `mediamon run` can end with why, not only that, it failed."""
    ti = context["ti"]
    label = ti.task_id + (f"[{ti.map_index}]" if getattr(ti, "map_index", -1) not in (-1, None) else "")
    rendered = getattr(ti, "rendered_map_index", None)
    if rendered:
        label = f"{ti.task_id}[{rendered}]"
    error = str(context.get("exception") or "failed").strip().splitlines()
    path = _failures_file(context["run_id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"task": label, "error": error[-1] if error else "failed"}, ensure_ascii=False) + "\n")


def failures(run_id: str) -> list[str]:
    path = _failures_file(run_id)
    if not path.exists():
        return []
    return [f"{r['task']}: {r['error']}" for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


def clear_failures(run_id: str) -> None:
    _failures_file(run_id).unlink(missing_ok=True)
