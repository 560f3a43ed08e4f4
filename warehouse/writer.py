"""The one way to write the warehouse: on a copy, swapped in whole.

An analyst's DuckDB CLI, a report or `mediamon sql` holds the live file's
lock for as long as it is open; a writer that opened the live file would have
to wait for every one of them. Instead the writer copies the live file, writes
the copy, checkpoints it and renames it over the live one. Readers keep the
version they opened; the next one they open is the new one. A crash at any
point leaves the live file as it was (and a stale copy the next writer removes).

Writers queue on a lock file beside the warehouse (one machine; Celery workers
on several machines share the data dir and its lock), for a bounded time."""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb

from core.settings import warehouse_path
from warehouse.db import WarehouseBusy, is_lock_error, lock_holder, migrate

log = logging.getLogger(__name__)
# Free blocks above this share of the file after a write: rebuild it compact.
COMPACT_ABOVE = 0.4


def writer_wait_s() -> float:
    """How long a writer queues for the warehouse (MEDIAMON_WRITE_WAIT_S, default 10 minutes)."""
    return float(os.environ.get("MEDIAMON_WRITE_WAIT_S", "600"))


class _Backoff:
    def __init__(self, wait_s: float, what: str):
        self.deadline = time.monotonic() + wait_s
        self.wait_s, self.what, self.delay, self.last_log = wait_s, what, 0.2, 0.0

    def sleep_or_give_up(self, holder: str) -> None:
        now = time.monotonic()
        if now + self.delay > self.deadline:
            raise WarehouseBusy(f"gave up after {self.wait_s:.0f} s waiting for {self.what}"
                                f"{' held by ' + holder if holder else ''}; set MEDIAMON_WRITE_WAIT_S to wait longer")
        if now - self.last_log > 30:
            log.warning("waiting for %s%s", self.what, f" held by {holder}" if holder else "")
            self.last_log = now
        time.sleep(self.delay)
        self.delay = min(self.delay * 2, 10.0)


@contextmanager
def _writer_lock(path: Path, backoff: _Backoff, purpose: str) -> Iterator[None]:
    lock = path.with_name(f".{path.name}.writer.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                try:
                    who = json.loads(Path(lock).read_text() or "{}")
                except ValueError:
                    who = {}
                backoff.sleep_or_give_up(f"pid {who.get('pid', '?')} ({who.get('purpose', '?')}, "
                                         f"since {who.get('since', '?')})" if who else "")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "purpose": purpose,
                                  "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the flock


def _open(path: Path, backoff: _Backoff, read_only: bool) -> duckdb.DuckDBPyConnection:
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise
            backoff.sleep_or_give_up(lock_holder(exc))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_live(live: Path, nxt: Path, backoff: _Backoff) -> None:
    wal = live.with_name(live.name + ".wal")
    if wal.exists():
        # Someone wrote the live file in place (an old writer, a read-write CLI
        # session) and left a log: fold it in first, or the copy would lack it.
        con = _open(live, backoff, read_only=False)
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
    # A read-only connection proves no writer is mid-transaction on the live file.
    con = _open(live, backoff, read_only=True)
    try:
        shutil.copyfile(live, nxt)
    finally:
        con.close()


def _compact(nxt: Path, total: int, free: int) -> None:
    compact = nxt.with_name(nxt.name + ".compact")
    compact.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{nxt}' AS src (READ_ONLY)")
        con.execute(f"ATTACH '{compact}' AS dst")
        con.execute("COPY FROM DATABASE src TO dst")
    finally:
        con.close()
    os.replace(compact, nxt)
    log.info("warehouse rebuilt compact: %d of %d blocks were free", free, total)


@contextmanager
def writing(path: Path | None = None, purpose: str = "load",
            wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated read-write connection to a copy of the warehouse, swapped in
    when the block exits without an error and discarded otherwise."""
    live = Path(path or warehouse_path())
    live.parent.mkdir(parents=True, exist_ok=True)
    backoff = _Backoff(writer_wait_s() if wait_s is None else wait_s, "the warehouse writer lock")
    nxt = live.with_name(live.name + ".next")
    with _writer_lock(live, backoff, purpose):
        for stale in (nxt, nxt.with_name(nxt.name + ".wal"), nxt.with_name(nxt.name + ".compact")):
            stale.unlink(missing_ok=True)  # a writer that died before its swap
        backoff.what = "readers of the warehouse"
        if live.exists():
            _copy_live(live, nxt, backoff)
        con = duckdb.connect(str(nxt))
        try:
            migrate(con)
            yield con
            con.execute("CHECKPOINT")
            total, free = con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size()").fetchone()
        except BaseException:
            con.close()
            nxt.unlink(missing_ok=True)
            nxt.with_name(nxt.name + ".wal").unlink(missing_ok=True)
            raise
        con.close()
        if total and free / total > COMPACT_ABOVE:
            _compact(nxt, total, free)
        _fsync(nxt)
        os.replace(nxt, live)
        _fsync(live.parent)
