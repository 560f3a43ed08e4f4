"""The daily DAG on more than one worker: Airflow's CeleryExecutor on the
machine's PostgreSQL (a database of its own, dropped afterwards) and Redis (a
database number of its own, flushed afterwards), two Celery workers that each
run one task at a time, and the API server, scheduler and DAG processor as
separate processes on 127.0.0.1. The run is triggered through the REST API
and must load exactly what `mediamon run` (LocalExecutor, dag.test) loads for
the same date from the same newsroom.

Both workers run on this machine, so the hostname Airflow records for a task
(TaskInstance.hostname, from [core] hostname_callable) would be the same for
both; each worker names itself through `worker_hostname` below instead."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ANCHOR = date(2026, 11, 25)
DAG = "media_monitoring_daily"
PG = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)
WORKERS = ("mediamon-worker-a", "mediamon-worker-b")
RUN_TIMEOUT_S = 900
WORKER_ENV = "MEDIAMON_TEST_WORKER"


def worker_hostname() -> str:
    """[core] hostname_callable of the test's workers (imported by Airflow)."""
    return os.environ[WORKER_ENV]


# ---------------------------------------------------------------- services of this machine

def reachable(addr) -> bool:
    try:
        with socket.create_connection(addr, timeout=2):
            return True
    except OSError:
        return False


def unavailable(reason: str):
    """CI machines run PostgreSQL and Redis before every run: there a missing
    service is a failure, not a reason to pass quietly. Elsewhere, one line."""
    if os.environ.get("CI"):
        pytest.fail(f"CI without its services: {reason}")
    pytest.skip(reason)


def pg_user() -> str:
    import psycopg2

    for user in ("postgres", "root"):
        try:
            psycopg2.connect(host=PG[0], port=PG[1], user=user, dbname="postgres").close()
            return user
        except psycopg2.OperationalError:
            continue
    unavailable(f"PostgreSQL on {PG[0]}:{PG[1]} accepts neither user postgres nor root without a password")


def pg_admin(user: str, sql: str) -> None:
    import psycopg2

    con = psycopg2.connect(host=PG[0], port=PG[1], user=user, dbname="postgres")
    con.autocommit = True
    try:
        con.cursor().execute(sql)
    finally:
        con.close()


def free_redis_db():
    """A Redis database number nobody uses (they are 0..15 by default)."""
    import redis

    for n in secrets.SystemRandom().sample(range(1, 16), 15):
        client = redis.Redis(host=REDIS[0], port=REDIS[1], db=n)
        if client.dbsize() == 0:
            return n, client
    unavailable("every Redis database 1..15 holds keys")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- Airflow

def project_env(data_dir: Path) -> dict[str, str]:
    """mediamon.airflow_env.configure()'s settings for data_dir, computed on a
    clean copy of the environment (configure lets explicit settings win, and
    other tests of this process may have configured another data dir)."""
    from mediamon.airflow_env import configure

    saved = os.environ.copy()
    try:
        os.environ.clear()
        os.environ.update({k: v for k, v in saved.items() if not k.startswith(("AIRFLOW", "MEDIAMON_"))})
        os.environ["MEDIAMON_DATA_DIR"] = str(data_dir)
        configure()
        return dict(os.environ)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def celery_env(data_dir: Path, pg_url: str, redis_db: int, port: int) -> dict[str, str]:
    return {
        **project_env(data_dir),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{pg_url}",
        "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://{pg_url}",
        "AIRFLOW__CELERY__BROKER_URL": f"redis://{REDIS[0]}:{REDIS[1]}/{redis_db}",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "1",
        # as docker-compose.yml: the prefork pool's children are daemonic, and a
        # daemonic process may not start the process pool extract runs on; the
        # threads pool breaks the task supervisor (signals in a non-main thread)
        "AIRFLOW__CELERY__POOL": "solo",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        # every component must sign and check the tasks' tokens with one key
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_hex(32),
        # only the run the test triggers: no scheduled run of the real sources
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "MEDIAMON_TASK_RETRIES": "0",
    }


class Stack:
    """Processes started by the test, each in its own process group."""

    def __init__(self, logs: Path):
        self.logs, self.procs = logs, {}
        logs.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        out = (self.logs / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "airflow", *args], env=env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)

    def check(self) -> None:
        for name, p in self.procs.items():
            if p.poll() is not None:
                raise AssertionError(f"{name} exited with {p.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, n: int = 4000) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")[-n:]

    def stop(self) -> None:
        for p in self.procs.values():
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 20
        for p in self.procs.values():
            try:
                p.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
        for p in self.procs.values():  # the group: task processes and pool children too
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


class Api:
    def __init__(self, port: int, password: str):
        self.base, self.password, self.token = f"http://127.0.0.1:{port}", password, None

    def call(self, method: str, path: str, body=None, auth: bool = True):
        headers = {"Content-Type": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.load(r)

    def login(self) -> None:
        self.token = self.call("POST", "/auth/token", {"username": "admin", "password": self.password},
                               auth=False)["access_token"]


def wait_for(what: str, probe, stack: Stack, timeout: float, every: float = 2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check()
        try:
            result = probe()
            if result:
                return result
        except (OSError, urllib.error.HTTPError, ValueError):
            pass
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def snapshot(db: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "article_ids": [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()],
            "topics": con.execute("SELECT * FROM article_topics ORDER BY ALL").fetchall(),
            "entities": con.execute("SELECT * FROM article_entities ORDER BY ALL").fetchall(),
            "quarantine": con.execute("SELECT record_id, reasons FROM quarantine ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


# ---------------------------------------------------------------- the run

@pytest.fixture(scope="module")
def celery_run(tmp_path_factory, airflow_home_template):
    if not (reachable(PG) and reachable(REDIS)):
        unavailable(f"needs PostgreSQL on {PG[0]}:{PG[1]} and Redis on {REDIS[0]}:{REDIS[1]}")
    from mediamon.demo.newsroom import Newsroom
    from tests.conftest import seed_airflow

    root = tmp_path_factory.mktemp("celery")
    user, db_name = pg_user(), f"mediamon_celery_{secrets.token_hex(4)}"
    redis_db, redis_client = free_redis_db()
    port, password = free_port(), secrets.token_urlsafe(16)
    data_dir, local_dir = root / "data", root / "local" / "data"
    started = time.monotonic()
    with ExitStack() as cleanup, Newsroom(anchor=ANCHOR) as newsroom:
        sources = newsroom.write_sources(root / "sources.yaml")

        # The LocalExecutor run of the same date, alongside (the Celery stack waits on I/O at first).
        seed_airflow(airflow_home_template, local_dir)
        local = subprocess.Popen(
            [sys.executable, "-m", "mediamon.cli", "run", "--date", ANCHOR.isoformat(), "--sources", str(sources)],
            env={**{k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")},
                 "MEDIAMON_DATA_DIR": str(local_dir)},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        cleanup.callback(lambda: local.poll() is None and os.killpg(local.pid, signal.SIGKILL))

        pg_admin(user, f'CREATE DATABASE "{db_name}"')
        cleanup.callback(pg_admin, user, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        cleanup.callback(redis_client.flushdb)
        env = celery_env(data_dir, f"{user}@{PG[0]}:{PG[1]}/{db_name}", redis_db, port)
        home = Path(env["AIRFLOW_HOME"])
        (home / "passwords.json").write_text(json.dumps({"admin": password}))
        # One migration of the new database, and the one-slot writer pool.
        migrate = subprocess.run([sys.executable, "-c", "from mediamon.airflow_env import ensure_db; ensure_db()"],
                                 env=env, capture_output=True, text=True, timeout=600)
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        migrated = time.monotonic()

        stack = Stack(home / "logs" / "components")
        cleanup.callback(stack.stop)
        stack.start("api-server", ["api-server", "--host", "127.0.0.1", "--port", str(port)], env)
        stack.start("scheduler", ["scheduler", "--skip-serve-logs"], env)
        stack.start("dag-processor", ["dag-processor"], env)
        for name in WORKERS:
            stack.start(name, ["celery", "worker", "--celery-hostname", f"{name}@%h", "--concurrency", "1",
                               "--skip-serve-logs", "--without-gossip", "--without-mingle"],
                        {**env, WORKER_ENV: name,
                         "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"{__name__}.worker_hostname"})

        api = Api(port, password)
        wait_for("the API server", lambda: api.login() or True, stack, 180)
        wait_for(f"{DAG} to be parsed", lambda: api.call("GET", f"/api/v2/dags/{DAG}"), stack, 180)
        # Both workers listen before anything is queued, so neither takes all the crawls.
        wait_for("both Celery workers", lambda: all(" ready." in stack.tail(n, 100_000) for n in WORKERS),
                 stack, 180, every=1)
        api.call("PATCH", f"/api/v2/dags/{DAG}", {"is_paused": False})
        run_id = f"celery_{ANCHOR.isoformat()}"
        api.call("POST", f"/api/v2/dags/{DAG}/dagRuns",
                 {"dag_run_id": run_id, "logical_date": f"{ANCHOR.isoformat()}T00:00:00Z",
                  "conf": {"sources_file": str(sources)}})
        triggered = time.monotonic()

        def finished():
            state = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}")["state"]
            return state if state in ("success", "failed") else None

        state = wait_for(f"run {run_id}", finished, stack, RUN_TIMEOUT_S, every=3)
        done = time.monotonic()
        tis = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances?limit=100")["task_instances"]
        pool = api.call("GET", "/api/v2/pools/warehouse_writer")
        logs = {n: stack.tail(n) for n in ("scheduler", *WORKERS)}
        for t in tis:  # a failed task's own log says why
            if t["state"] == "failed":
                for f in (home / "logs" / f"dag_id={DAG}" / f"run_id={run_id}" / f"task_id={t['task_id']}").rglob("*.log"):
                    logs[f"{t['task_id']}[{t['map_index']}]"] = f.read_text(errors="replace")[-4000:]

        local_out, _ = local.communicate(timeout=RUN_TIMEOUT_S)
    timings = {"migrate": migrated - started, "start_to_trigger": triggered - migrated,
               "dag_run": done - triggered, "total": time.monotonic() - started}
    print(f"celery e2e timings (s): {json.dumps({k: round(v, 1) for k, v in timings.items()})}")
    return {"state": state, "tis": tis, "pool": pool, "logs": logs, "timings": timings,
            "db": data_dir / "warehouse" / "mediamon.duckdb", "local_rc": local.returncode,
            "local_out": local_out, "local_db": local_dir / "warehouse" / "mediamon.duckdb",
            "db_name": db_name, "pg_user": user, "redis_db": redis_db}


def test_the_dag_run_succeeds_on_celery(celery_run):
    failed = [(t["task_id"], t["map_index"], t["state"]) for t in celery_run["tis"] if t["state"] != "success"]
    task_logs = {k: v for k, v in celery_run["logs"].items() if "[" in k}
    assert celery_run["state"] == "success", (failed, task_logs or celery_run["logs"])
    assert not failed


def test_the_crawls_ran_on_both_workers(celery_run):
    crawls = {t["map_index"]: t["hostname"] for t in celery_run["tis"] if t["task_id"] == "crawl"}
    print(f"crawl hosts: {crawls}")
    assert len(crawls) >= 2
    assert set(crawls.values()) == set(WORKERS), crawls
    # and every task ran on one of the workers, none in the scheduler
    assert {t["hostname"] for t in celery_run["tis"]} <= set(WORKERS)


def test_the_load_ran_alone_in_the_one_slot_writer_pool(celery_run):
    assert celery_run["pool"]["slots"] == 1
    (load,) = [t for t in celery_run["tis"] if t["task_id"] == "load"]
    assert load["pool"] == "warehouse_writer" and load["state"] == "success"
    others = [t for t in celery_run["tis"] if t is not load and t["start_date"] and t["end_date"]]
    overlapping = [t["task_id"] for t in others
                   if t["start_date"] < load["end_date"] and t["end_date"] > load["start_date"]]
    assert overlapping == []


def test_the_warehouse_equals_a_local_executor_run(celery_run):
    assert celery_run["local_rc"] == 0, celery_run["local_out"][-3000:]
    celery, local = snapshot(celery_run["db"]), snapshot(celery_run["local_db"])
    assert len(celery["article_ids"]) >= 60
    assert celery["article_ids"] == local["article_ids"]
    for table in ("topics", "entities"):
        assert same_rows(celery[table], local[table]), table
    assert celery["quarantine"] == local["quarantine"]


def same_rows(a: list[tuple], b: list[tuple]) -> bool:
    """Equal rows, scores to within a rounding step: two runs of the same
    input on one machine already differ by 0.0001 in a rounded sentiment now
    and then (the order a float sum adds up in is not fixed)."""
    def key(row):
        return tuple(v for v in row if not isinstance(v, float))

    def scores(row):
        return [v for v in row if isinstance(v, float)]

    return len(a) == len(b) and all(
        key(x) == key(y) and scores(x) == pytest.approx(scores(y), abs=1e-3) for x, y in zip(a, b))


def test_the_database_is_dropped_and_redis_flushed(celery_run):
    import psycopg2
    import redis

    con = psycopg2.connect(host=PG[0], port=PG[1], user=celery_run["pg_user"], dbname="postgres")
    try:
        cur = con.cursor()
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (celery_run["db_name"],))
        assert cur.fetchone() is None
    finally:
        con.close()
    assert redis.Redis(host=REDIS[0], port=REDIS[1], db=celery_run["redis_db"]).dbsize() == 0
