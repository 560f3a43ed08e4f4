"""mediamon tested like a deployment: the real components started by the
project's own starter (`mediamon airflow`, no dag.test), the demo newsroom as
the sources, a run triggered through the REST API the way an outside system
triggers one, the run's note read back, the UI driven in headless Chromium,
`mediamon run` handing its run to the running scheduler, and SIGTERM leaving
nothing behind.

One deployment serves every test of the module (module-scoped fixture); the
tests run in the order written and the last one stops it."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest

from core.settings import PROJECT_ROOT
from tests.conftest import seed_airflow
from tests.e2e.test_celery import Api, free_port, unavailable, wait_for

pytestmark = pytest.mark.e2e
DAG = "media_monitoring_daily"
RUN_TIMEOUT_S = 600
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


class Starter:
    """`mediamon airflow` as a person starts it, in a process group of its own."""

    def __init__(self, port: int, env: dict[str, str], log: Path):
        self.log = log
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "mediamon"), "airflow", "--port", str(port)],
            cwd=PROJECT_ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)

    def check(self) -> None:  # what test_celery.wait_for asks of a stack
        if self.proc.poll() is not None:
            raise AssertionError(f"mediamon airflow exited with {self.proc.returncode}:\n{self.tail()}")

    def tail(self, n: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-n:]


def processes_of(data_dir: Path) -> list[str]:
    """Every process on the machine working for this data dir (starter,
    components, task processes, executor workers), by its environment."""
    marker = f"MEDIAMON_DATA_DIR={data_dir}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker in (proc / "environ").read_bytes().split(b"\0"):
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append(f"{proc.name}: {cmdline[:120]}")
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def finished(api: Api, run_id: str):
    run = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}")
    return run if run["state"] in ("success", "failed") else None


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, airflow_home_template):
    from mediamon.demo.newsroom import Newsroom

    root = tmp_path_factory.mktemp("deployment")
    data = root / "data"
    seed_airflow(airflow_home_template, data)  # a migrated metadata DB, as after a first start
    # A run triggered without a logical date works on the UTC day it runs: the newsroom dates its articles so.
    today = datetime.now(timezone.utc).date()
    port = free_port()
    started = time.monotonic()
    with Newsroom(anchor=today) as newsroom:
        sources = newsroom.write_sources(root / "sources.yaml")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "MEDIAMON_"))}
        env.update({
            "MEDIAMON_DATA_DIR": str(data),
            "MEDIAMON_SOURCES": str(sources),  # the deployment's sources: what a run without conf crawls
            "MEDIAMON_TASK_RETRIES": "0",
            # only the runs the tests trigger: no scheduled run of yesterday
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        })
        starter = Starter(port, env, root / "mediamon-airflow.log")
        try:
            pw_file = data / "airflow" / "passwords.json"
            wait_for("the password file", pw_file.exists, starter, 120, every=0.5)
            api = Api(port, json.loads(pw_file.read_text())["admin"])

            def healthy():
                health = api.call("GET", "/api/v2/monitor/health", auth=False)
                return health.get("scheduler", {}).get("status") == "healthy" and api.login() is None

            wait_for("the API server and the scheduler", healthy, starter, 240)
            dag = wait_for(f"{DAG} to be parsed", lambda: api.call("GET", f"/api/v2/dags/{DAG}"), starter, 180)
            up = time.monotonic()
            # as an outside system triggers it: no logical date, no conf
            run_id = api.call("POST", f"/api/v2/dags/{DAG}/dagRuns", {"logical_date": None})["dag_run_id"]
            run = wait_for(f"run {run_id}", lambda: finished(api, run_id), starter, RUN_TIMEOUT_S, every=3)
            done = time.monotonic()
            tis = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances?limit=100")["task_instances"]
            timings = {"start": up - started, "api_run": done - up}
            print(f"deployment timings (s): {json.dumps({k: round(v, 1) for k, v in timings.items()})}")
            yield {"api": api, "port": port, "data": data, "env": env, "sources": sources, "today": today,
                   "starter": starter, "dag": dag, "run_id": run_id, "run": run, "tis": tis, "root": root,
                   "timings": timings, "pids": {p.stem: int(p.read_text()) for p in (data / "airflow" / "run").glob("*.pid")}}
        finally:
            if starter.proc.poll() is None:  # the last test stops it; this is for when it did not run
                os.killpg(starter.proc.pid, signal.SIGTERM)
                try:
                    starter.proc.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    os.killpg(starter.proc.pid, signal.SIGKILL)
                    starter.proc.wait()


def test_a_run_triggered_through_the_rest_api_succeeds(deployment):
    assert deployment["dag"]["is_paused"] is False  # unpaused on first start, as the README says
    failed = [(t["task_id"], t["rendered_map_index"], t["state"]) for t in deployment["tis"] if t["state"] != "success"]
    assert deployment["run"]["state"] == "success", (failed, deployment["starter"].tail())
    run = deployment["run"]
    assert run["logical_date"] is None and run["triggered_by"] == "rest_api"
    crawls = sorted(t["rendered_map_index"] for t in deployment["tis"] if t["task_id"] == "crawl")
    assert crawls == ["alwasat", "huaxia", "ledger"]  # mapped crawl tasks carry their source's name


def test_the_run_note_names_every_source_with_its_articles(deployment):
    api, run_id, today = deployment["api"], deployment["run_id"], deployment["today"]
    note = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}")["note"]
    print(f"run note of {run_id}:\n{note}")
    con = duckdb.connect(str(deployment["data"] / "warehouse" / "mediamon.duckdb"), read_only=True)
    try:
        per_source = dict(con.execute(
            "SELECT source_id, COUNT(*) FROM articles WHERE crawl_date = ? GROUP BY 1", [today]).fetchall())
        quarantined = con.execute("SELECT COUNT(*) FROM quarantine WHERE crawl_date = ?", [today]).fetchone()[0]
    finally:
        con.close()
    assert set(per_source) == {"alwasat", "huaxia", "ledger"} and all(per_source.values())
    assert note and note.startswith(f"**{today}: {sum(per_source.values())} articles from 3 of 3 sources")
    listed = ", ".join(f"{s} {n}" for s, n in sorted(per_source.items()))
    assert f"- Articles per source: {listed}" in note
    assert f"- Quarantined: {quarantined} (" in note  # the demo newsroom has broken pages, with reasons
    assert "- Degraded or failed sources: none" in note
    assert f"reports/date={today}/report.html" in note


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        unavailable(f"{CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver; "
                    ".ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000"):
        opts.add_argument(arg)
    # An explicit driver path: Selenium Manager never runs, so nothing is downloaded.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    yield driver
    driver.quit()


def test_the_ui_shows_the_last_successful_run_and_its_note(deployment, browser, capsys):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    base, api, run_id = f"http://127.0.0.1:{deployment['port']}", deployment["api"], deployment["run_id"]
    shots = Path(os.environ.get("MEDIAMON_ARTIFACTS_DIR") or deployment["root"] / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    wait = WebDriverWait(browser, 30)

    def visible(xpath):
        return wait.until(lambda d: next((e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()), None))

    browser.get(base + "/")
    visible("//input[@name='username']").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(api.password + Keys.ENTER)
    wait.until(lambda d: "/auth/login" not in d.current_url)
    # the DAG, as a person finds it: the Dags list, then its name
    browser.get(base + "/dags")
    visible(f"//a[normalize-space()='{DAG}']").click()
    wait.until(lambda d: d.current_url.rstrip("/").endswith(f"/dags/{DAG}"))
    # its runs, filtered to the successful ones: the newest is ours
    visible("//a[normalize-space()='Runs']").click()
    browser.get(browser.current_url.split("?")[0] + "?state=success")
    visible(f"//a[normalize-space()='{run_id}']").click()
    today = deployment["today"]
    headline = visible(f"//strong[starts-with(normalize-space(), '{today}:')]")
    assert "articles from 3 of 3 sources" in headline.text
    browser.save_screenshot(str(shots / "run.png"))
    # the whole note opens from the note's button
    browser.find_element(By.CSS_SELECTOR, "button[aria-label='Edit note']").click()
    dialog = wait.until(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, "[role=dialog]")
                                        if "Articles per source" in e.text), None))
    note = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}")["note"]
    per_source = note.split("Articles per source: ", 1)[1].splitlines()[0]
    assert per_source in dialog.text and all(s in per_source for s in ("alwasat", "huaxia", "ledger"))
    browser.save_screenshot(str(shots / "run-note.png"))
    assert (shots / "run-note.png").stat().st_size > 20_000
    with capsys.disabled():
        print(f"\nAirflow UI screenshots: {shots / 'run.png'} and {shots / 'run-note.png'}")


def test_mediamon_run_hands_its_run_to_the_running_scheduler(deployment):
    api, today, port = deployment["api"], deployment["today"], deployment["port"]
    res = subprocess.run([str(Path(sys.executable).parent / "mediamon"), "run", "--date", today.isoformat(),
                          "--sources", str(deployment["sources"])],
                         cwd=PROJECT_ROOT, env=deployment["env"], capture_output=True, text=True,
                         timeout=RUN_TIMEOUT_S)
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-3000:]
    assert f"triggered on the running scheduler at http://127.0.0.1:{port}: run " in out
    assert "running in-process" not in out
    run_id = out.split(": run ", 1)[1].split()[0]
    assert f"DAG run {run_id} for {today}: success" in out
    assert "  crawl[huaxia]: success" in out  # each task as it ends
    run = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}")
    assert run["logical_date"].startswith(today.isoformat()) and run["triggered_by"] == "rest_api"
    assert run["conf"]["retries"] == 0
    assert run["duration"] < 600  # its own duration, not the hours since midnight dag.test shows
    assert run["note"].startswith(f"**{today}: ")
    # its task logs are where the UI reads them
    log = api.call("GET", f"/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances/load/logs/1")
    assert "load:" in json.dumps(log)


def test_sigterm_stops_every_process_it_started(deployment):
    starter = deployment["starter"]
    assert processes_of(deployment["data"]), "the deployment was not running"
    started = time.monotonic()
    starter.proc.send_signal(signal.SIGTERM)  # the starter only, as a person's kill or systemd sends it
    code = starter.proc.wait(timeout=60)
    took = time.monotonic() - started
    assert code == 0 and took < 30, (code, took, starter.tail())
    time.sleep(1)
    assert processes_of(deployment["data"]) == []
    assert not list((deployment["data"] / "airflow" / "run").glob("*.pid"))
