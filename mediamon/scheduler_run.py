"""`mediamon run` on the running scheduler: when `mediamon airflow` is up for
this data dir, the run is triggered through its REST API and runs like any
other (true durations, task logs in the UI, the run note), and this process
only waits for it and says how it went. Without a scheduler, `mediamon run`
runs the DAG in process (dag.test) as before; mediamon.cli chooses."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from core.settings import DAG_ID, airflow_home

STARTUP_WAIT_S = 180  # `mediamon airflow` takes about a minute to answer after it starts


@dataclass
class RemoteRun:
    """What mediamon.cli._finish reads of a DagRun."""
    run_id: str
    state: str
    url: str


class SchedulerUnusable(RuntimeError):
    """The scheduler is up but cannot take this run; one line says why."""


def find_scheduler(echo=print, wait_s: float = STARTUP_WAIT_S):
    """An API client for the scheduler `mediamon airflow` runs for this data
    dir, logged in; None when none runs. Waits while it is still starting."""
    from mediamon.airflow_api import AirflowApi, ApiError, credentials
    from mediamon.airflow_env import configure
    from mediamon.airflow_services import running_server

    url = running_server()
    if url is None:
        return None
    configure()  # the password file's location, as the components were given it
    creds = credentials(url, use_connection=False)
    if creds is None:
        raise SchedulerUnusable(f"the scheduler at {url} is running, but its password file is missing; "
                                "stop it and start `mediamon airflow` again")
    api = AirflowApi(creds)
    deadline, said = time.monotonic() + wait_s, False
    while True:
        try:
            health = api.health()
            if health.get("scheduler", {}).get("status") == "healthy":
                api.login()
                api.call("GET", f"/api/v2/dags/{DAG_ID}")  # parsed: a just-started server needs a moment
                return api
        except ApiError:
            pass
        if time.monotonic() > deadline:
            raise SchedulerUnusable(f"`mediamon airflow` is running but its API at {url} did not answer "
                                    f"within {wait_s:.0f} s; see {airflow_home() / 'logs' / 'components'}")
        if not said:
            echo(f"waiting for the scheduler at {url} to finish starting...")
            said = True
        time.sleep(2)
        if running_server() is None:
            return None


def _runs_of(api, day: date) -> list[dict]:
    stamp = f"{day.isoformat()}T00:00:00Z"
    return api.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns?logical_date_gte={stamp}&logical_date_lte={stamp}")[
        "dag_runs"]


def trigger_and_wait(api, day: date, sources_file: str, retries: int, echo=print, poll_s: float = 3) -> RemoteRun:
    """Trigger the daily DAG for `day` on the scheduler behind `api` and wait
    for it to finish, printing each task as it ends. A finished run of the same
    date is replaced (as in process); one still running is left alone."""
    from mediamon.run_note import note_file
    from mediamon.runlock import RunInProgress, clear_failures

    dag = api.call("GET", f"/api/v2/dags/{DAG_ID}")
    if dag.get("is_paused"):
        raise SchedulerUnusable(f"{DAG_ID} is paused on the scheduler at {api.base_url}: unpause it in the UI "
                                "(the toggle beside its name) and run again")
    for old in _runs_of(api, day):
        if old["state"] in ("queued", "running"):
            raise RunInProgress(f"the scheduler is running {day} as {old['dag_run_id']}; wait for it or mark it "
                                f"failed in the UI ({api.base_url})")
        clear_failures(old["dag_run_id"])
        note_file(old["dag_run_id"]).unlink(missing_ok=True)
        api.call("DELETE", api.dag_run_path(DAG_ID, old["dag_run_id"]))
    run = api.call("POST", f"/api/v2/dags/{DAG_ID}/dagRuns", {
        "logical_date": f"{day.isoformat()}T00:00:00Z",
        "conf": {"sources_file": sources_file, "retries": retries},
    })
    run_id = run["dag_run_id"]
    link = f"{api.base_url}/dags/{DAG_ID}/runs/{run_id}"
    echo(f"triggered on the running scheduler at {api.base_url}: run {run_id} for {day}")
    echo(f"follow it in the UI: {link}")
    seen: set[tuple[str, int]] = set()
    while True:
        state = api.call("GET", api.dag_run_path(DAG_ID, run_id))["state"]
        tis = api.call("GET", api.dag_run_path(DAG_ID, run_id) + "/taskInstances?limit=1000")["task_instances"]
        for ti in sorted(tis, key=lambda t: t.get("end_date") or ""):
            key = (ti["task_id"], ti["map_index"])
            if key not in seen and ti["state"] in ("success", "failed", "skipped", "upstream_failed"):
                seen.add(key)
                label = ti["task_id"] + (f"[{ti.get('rendered_map_index') or ti['map_index']}]"
                                         if ti["map_index"] >= 0 else "")
                took = f" in {ti['duration']:.0f} s" if ti.get("duration") else ""
                echo(f"  {label}: {ti['state']}{took}")
        if state in ("success", "failed"):
            return RemoteRun(run_id, state, link)
        time.sleep(poll_s)
