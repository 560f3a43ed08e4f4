"""The DuckDB file: connections and migrations.

Only the load writes, and it writes a copy that is swapped in whole
(warehouse/writer.py), so readers never block it. Readers open read-only and,
in the rare moment a writer holds the live file, wait briefly and then say so
in one line (WarehouseBusy) instead of a traceback."""
from __future__ import annotations

import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from core.settings import warehouse_path

MIGRATIONS = Path(__file__).with_name("migrations")
_HOLDER = re.compile(r"Conflicting lock is held in (.+?) \(PID (\d+)\)")


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse file's lock for longer than we wait."""


class NoWarehouse(FileNotFoundError):
    """No warehouse file yet."""


def lock_holder(exc: BaseException) -> str:
    """'PROGRAM (PID N)' from DuckDB's lock error, or '' when it does not say."""
    m = _HOLDER.search(str(exc))
    return f"{Path(m.group(1)).name} (PID {m.group(2)})" if m else ""


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def reader_wait_s() -> float:
    """How long a reader waits for a writer's lock (MEDIAMON_READ_WAIT_S, default 5 s)."""
    return float(os.environ.get("MEDIAMON_READ_WAIT_S", "5"))


def connect(path: Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path or warehouse_path())
    if read_only and not path.exists():
        raise NoWarehouse(f"no warehouse at {path}: run `mediamon run` or `make demo` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def connect_reader(path: Path | None = None, wait_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection for the CLI, reports and searches.

    Retries with backoff for `wait_s` seconds while a writer holds the file,
    then raises WarehouseBusy with one line a person can act on."""
    path = Path(path or warehouse_path())
    deadline = time.monotonic() + (reader_wait_s() if wait_s is None else wait_s)
    delay = 0.1
    while True:
        try:
            return connect(path, read_only=True)
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise
            if time.monotonic() + delay > deadline:
                who = lock_holder(exc)
                raise WarehouseBusy(
                    f"the warehouse {path} is being written{' by ' + who if who else ''}; try again in a moment"
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations in order, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ)"
    )
    done = {r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        if path.name in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?)", [path.name, datetime.now(timezone.utc)])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(path.name)
    return applied
