"""The warehouse writer against other processes holding the file: readers never
block it, a stuck writer makes it wait a bounded time and then say who, a
killed writer leaves the live file as it was, and reruns do not grow the file."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_load import article, batch, snapshot
from warehouse.db import WarehouseBusy
from warehouse.load import load_batch
from warehouse.writer import writing

ROOT = Path(__file__).resolve().parents[2]


def hold(db: Path, read_only: bool, seconds: float = 60) -> subprocess.Popen:
    """Another process that opens the warehouse and keeps it open."""
    code = (f"import duckdb, sys, time\ncon = duckdb.connect({str(db)!r}, read_only={read_only})\n"
            "print(con.execute(\"SELECT COUNT(*) FROM articles\").fetchone()[0], flush=True)\n"
            f"time.sleep({seconds})\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip().isdigit()  # it has the file open now
    return proc


def test_a_reader_holding_the_file_does_not_block_the_load(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    load_batch(batch([article("a")]), test_vocab, db)
    reader = hold(db, read_only=True)
    try:
        started = time.monotonic()
        load_batch(batch([article("a"), article("b")]), test_vocab, db)
        assert time.monotonic() - started < 20
    finally:
        reader.kill()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2


def test_a_writer_holding_the_file_makes_the_load_wait_then_name_it(tmp_path, test_vocab, monkeypatch):
    db = tmp_path / "w.duckdb"
    load_batch(batch([article("a")]), test_vocab, db)
    # someone left a read-write session open on the live file (the DuckDB CLI without -readonly)
    holder = hold(db, read_only=False)
    try:
        monkeypatch.setenv("MEDIAMON_WRITE_WAIT_S", "2")
        with pytest.raises(WarehouseBusy, match=rf"readers of the warehouse held by python\S* \(PID {holder.pid}\)"):
            load_batch(batch([article("a"), article("b")]), test_vocab, db)
    finally:
        holder.kill()
        holder.wait()
    # ... and waits it out when the holder goes within the configured time
    holder = hold(db, read_only=False, seconds=3)
    monkeypatch.setenv("MEDIAMON_WRITE_WAIT_S", "60")
    load_batch(batch([article("a"), article("b")]), test_vocab, db)
    holder.wait()
    assert snapshot(db)["articles"].__len__() == 2


def test_writers_queue_on_the_lock(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    load_batch(batch([article("a")]), test_vocab, db)
    with writing(db, purpose="first writer"):
        with pytest.raises(WarehouseBusy, match=rf"writer lock held by pid {os.getpid()} \(first writer"):
            load_batch(batch([article("b")]), test_vocab, db, wait_s=1)


def test_a_killed_writer_leaves_the_live_file_as_it_was(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    load_batch(batch([article("a")]), test_vocab, db)
    before = snapshot(db)
    code = (f"import time\nfrom warehouse.writer import writing\n"
            f"with writing(__import__('pathlib').Path({str(db)!r})) as con:\n"
            "    con.execute(\"DELETE FROM articles\")\n    print('written', flush=True)\n    time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(db) == before
    assert (tmp_path / "w.duckdb.next").exists()  # the dead writer's copy ...
    load_batch(batch([article("a"), article("b")]), test_vocab, db)
    assert not (tmp_path / "w.duckdb.next").exists()  # ... is cleared by the next one
    assert len(snapshot(db)["articles"]) == 2


def test_identical_reruns_do_not_grow_the_file(tmp_path, test_vocab):
    db = tmp_path / "w.duckdb"
    arts = [article(f"a{i}", text=f"body {i} " * 400) for i in range(300)]
    sizes = []
    for _ in range(6):
        load_batch(batch(arts), test_vocab, db)
        sizes.append(db.stat().st_size)
    assert sizes[-1] <= sizes[1] * 1.1, sizes


def test_sql_while_the_file_is_written_says_so_in_one_line(tmp_path, test_vocab):
    data = tmp_path / "data"
    db = data / "warehouse" / "mediamon.duckdb"
    db.parent.mkdir(parents=True)
    load_batch(batch([article("a")]), test_vocab, db)
    holder = hold(db, read_only=False)
    try:
        res = subprocess.run([sys.executable, "-m", "mediamon.cli", "sql", "SELECT COUNT(*) FROM articles"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60,
                             env={**os.environ, "MEDIAMON_DATA_DIR": str(data), "MEDIAMON_READ_WAIT_S": "1"})
    finally:
        holder.kill()
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "is being written" in res.stderr and "Traceback" not in res.stderr
