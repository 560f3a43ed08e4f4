"""A day's run through the real DAG survives one broken source, a busy
warehouse, a failed yesterday and a second run of the same date; bad config
fails before the first request. Each `mediamon run` is a subprocess with its
own data dir, as a user would run it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml

from core.settings import CONFIG_DIR, PROJECT_ROOT
from tests.e2e.test_quality_gate import page
from tests.conftest import run_notes, seed_airflow
from tests.localserver import serve, webhook_receiver

pytestmark = pytest.mark.e2e
HTML = "text/html; charset=utf-8"


def mediamon_run(data_dir: Path, sources: Path, day: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mediamon.cli", "run", "--date", day, "--sources", str(sources)],
        env={**os.environ, "MEDIAMON_DATA_DIR": str(data_dir), **env}, cwd=PROJECT_ROOT,
        capture_output=True, text=True, timeout=900)


def rss(base: str, paths: list[str]) -> tuple[int, str, bytes]:
    items = "".join(f"<item><title>t</title><link>{base}{p}</link></item>" for p in paths)
    return (200, "application/rss+xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode())


def sources_file(path: Path, base: str, entries: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"sources": [
        {"name": f"Outlet {e['id']}", "lang": "en", "kind": "rss", "urls": [f"{base}/{e['id']}/rss.xml"],
         "allowed_domains": ["127.0.0.1"], **e} for e in entries]}, sort_keys=False))
    return path


def rows(db: Path, sql: str, *params) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


WORDS = ("chip export yuan rates factory output cloud spending model prices robot fleet battery grid port "
         "tariff bond curve property lender smartphone quota subsidy satellite freight rail lithium wafer "
         "foundry server rack token inference startup venture fund regulator license").split()


def prose(seed: str, n: int = 140) -> str:
    """Distinct text per page: the same template twice would be a near-copy."""
    import random

    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + ("." if k % 12 == 11 else "") for k in range(n)).capitalize()


def good(i: int, tag: str) -> tuple[int, str, bytes]:
    return (200, HTML, page(f"{tag} story {i}", prose(f"{tag}-{i}") + "\n\n" + prose(f"{tag}-{i}-b"),
                            date="2026-11-23T08:00:00+00:00"))


# --- one bad source never stops the others ------------------------------------------------

ISO_DAY = "2026-11-25"


@pytest.fixture(scope="module")
def isolation(tmp_path_factory, airflow_home_template):
    tmp = tmp_path_factory.mktemp("isolation")
    data = tmp / "data"
    seed_airflow(airflow_home_template, data)
    routes: dict = {"/robots.txt": (200, "text/plain", b"")}
    with serve(routes) as base:
        for sid in ("good", "flaky", "shaky"):
            n_good = 4 if sid == "good" else 1
            paths = [f"/{sid}/{i}.html" for i in range(5)]
            for i, p in enumerate(paths):
                # flaky and shaky: one real story, four pages that extract to nothing
                routes[p] = good(i, sid) if i < n_good else (200, HTML, page(f"{sid} shell {i}", ""))
            routes[f"/{sid}/rss.xml"] = rss(base, paths)
        routes["/dead/rss.xml"] = (404, "text/plain", b"gone")
        cfg = sources_file(tmp / "sources.yaml", base, [
            {"id": "good"}, {"id": "flaky", "on_unhealthy": "hold"}, {"id": "shaky"}, {"id": "dead"}])
        # a killed earlier run of this date left its temp dirs
        leftovers = [data / "raw" / f"date={ISO_DAY}" / ".source=good.k1ll3d", data / "staging" / f".date={ISO_DAY}.x"]
        for d in leftovers:
            d.mkdir(parents=True)
        with webhook_receiver() as (hook, alerts):
            first = mediamon_run(data, cfg, ISO_DAY, AIRFLOW_CONN_MEDIAMON_ALERTS=hook)
        db = data / "warehouse" / "mediamon.duckdb"
        note_first = run_notes(data)
        after_first = {
            "articles": rows(db, "SELECT source_id, COUNT(*), bool_and(degraded) FROM articles GROUP BY 1 ORDER BY 1"),
            "held": rows(db, "SELECT source_id, reasons FROM quarantine WHERE stage = 'hold' ORDER BY url"),
            "health": rows(db, "SELECT source_id, check_name, round(observed, 2), action FROM source_health "
                               "WHERE NOT passed ORDER BY 1, 2"),
            "counts": rows(db, "SELECT source_id, records, loaded, quarantined, skipped_duplicates "
                               "FROM partition_counts ORDER BY 1"),
            "good_rows": rows(db, "SELECT * EXCLUDE (loaded_at) FROM articles WHERE source_id = 'good' ORDER BY 1"),
        }
        # the outlets fix their pages and their feed; the date is rerun
        for i in range(1, 5):
            routes[f"/flaky/{i}.html"] = good(i, "flaky")
        routes["/dead/rss.xml"] = rss(base, [])
        second = mediamon_run(data, cfg, ISO_DAY)
    return {"first": first, "second": second, "db": db, "after_first": after_first, "leftovers": leftovers,
            "alerts": [a["text"] for a in alerts], "note_first": note_first}


def test_the_good_source_loads_whatever_the_others_do(isolation):
    arts = {sid: (n, deg) for sid, n, deg in isolation["after_first"]["articles"]}
    assert arts["good"] == (4, False)
    # shaky (on_unhealthy: load) is loaded and flagged; flaky (hold) waits in quarantine
    assert arts["shaky"] == (1, True)
    assert "flaky" not in arts
    assert isolation["after_first"]["held"] == [("flaky", ["held:quarantine_share"])]


def test_the_run_ends_red_naming_source_check_and_value(isolation):
    first = isolation["first"]
    assert first.returncode == 1
    assert isolation["after_first"]["health"] == [
        ("dead", "listing", 0.0, "crawl_failed"),
        ("flaky", "quarantine_share", 0.8, "held"),
        ("shaky", "quarantine_share", 0.8, "degraded"),
    ]
    err = first.stderr
    assert "failed: crawl[dead]: source dead: none of its 1 feed/sitemap URLs gave a readable listing" in err
    assert "failed: check_sources: 3 source check(s) failed" in err
    assert "source flaky: quarantine_share failed (observed 0.80, bound <= 0.5)" in err


def test_the_red_runs_note_names_what_loaded_and_what_failed(isolation):
    """The note `mediamon run` puts on the run (no API server: in process)."""
    (note,) = isolation["note_first"].values()
    assert note.startswith(f"**{ISO_DAY}: 5 articles from 2 of 4 sources, ")
    assert "3 sources degraded or failed" in note.splitlines()[0]
    assert "- Articles per source: good 4, flaky 0, shaky 1, dead 0" in note
    assert ("- Degraded or failed sources: dead crawl_failed (listing), flaky held (quarantine_share 0.80, "
            "bound <= 0.5), shaky degraded (quarantine_share 0.80, bound <= 0.5)") in note
    assert "- Failed tasks: `crawl[dead]: source dead: none of its 1 feed/sitemap URLs" in note


def test_failures_reach_a_person_through_the_alerts_webhook(isolation):
    alerts = isolation["alerts"]
    crawl = [a for a in alerts if "task crawl[dead] failed" in a]
    assert crawl and "source dead: none of its 1 feed/sitemap URLs" in crawl[0]
    quality = [a for a in alerts if a.startswith("mediamon data quality 2026-11-25: source flaky")]
    assert quality and "quarantine_share failed (observed 0.80, bound <= 0.5)" in quality[0]
    # each links to its run in the UI
    assert all("/dags/media_monitoring_daily/runs/" in a for a in crawl + quality)


def test_every_record_is_counted_for_every_source(isolation):
    counts = {r[0]: r[1:] for r in isolation["after_first"]["counts"]}
    assert counts["good"] == (5, 4, 1, 0) and counts["flaky"] == (5, 0, 5, 0) and counts["shaky"] == (5, 1, 4, 0)
    assert counts["dead"] == (0, 0, 0, 0)


def test_a_held_source_loads_exactly_once_when_the_date_is_rerun_after_the_fix(isolation):
    second, db = isolation["second"], isolation["db"]
    assert second.returncode == 1  # shaky still serves its empty shells
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT url), bool_or(degraded) FROM articles WHERE source_id = 'flaky'") \
        == [(5, 5, False)]
    assert rows(db, "SELECT COUNT(*) FROM quarantine WHERE stage = 'hold'") == [(0,)]
    assert rows(db, "SELECT * EXCLUDE (loaded_at) FROM articles WHERE source_id = 'good' ORDER BY 1") \
        == isolation["after_first"]["good_rows"]


def test_temp_dirs_of_killed_runs_are_cleaned(isolation):
    assert not any(d.exists() for d in isolation["leftovers"])


# --- nothing is lost between runs; a busy warehouse; two runs of one date ----------------------

def wait_for(path: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert path.exists(), f"{path} never appeared"


def start_run(data: Path, cfg: Path, day: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mediamon.cli", "run", "--date", day, "--sources", str(cfg)],
        env={**os.environ, "MEDIAMON_DATA_DIR": str(data)}, cwd=PROJECT_ROOT, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def days(tmp_path_factory, airflow_home_template):
    from tests.warehouse.test_writer import hold

    tmp = tmp_path_factory.mktemp("days")
    data = tmp / "data"
    seed_airflow(airflow_home_template, data)
    db = data / "warehouse" / "mediamon.duckdb"
    routes: dict = {"/robots.txt": (200, "text/plain", b"")}
    out = {"db": db}
    with serve(routes) as base:
        cfg = sources_file(tmp / "sources.yaml", base, [{"id": "wire"}])
        for i in range(6):
            routes[f"/wire/{i}.html"] = good(i, "wire")
        # day 0 loads a0; a second run of the same date meanwhile is turned away
        routes["/wire/rss.xml"] = rss(base, ["/wire/0.html"])
        first = start_run(data, cfg, "2026-11-24")
        wait_for(data / "locks" / "run-2026-11-24.lock")
        out["second_of_day0"] = mediamon_run(data, cfg, "2026-11-24")
        out["day0"] = subprocess.CompletedProcess(first.args, first.wait(timeout=900), *first.communicate())
        # day 1 fetches a1-a3, then the run is killed before it loads, and nobody reruns it
        routes["/wire/rss.xml"] = rss(base, [f"/wire/{i}.html" for i in (1, 2, 3)])
        run1 = start_run(data, cfg, "2026-11-25")
        wait_for(data / "raw" / "date=2026-11-25" / "source=wire" / "crawl_stats.json")
        os.killpg(run1.pid, signal.SIGKILL)
        run1.wait()
        out["day1_articles"] = rows(db, "SELECT COUNT(*) FROM articles")[0][0]
        # day 2: a1 and a2 are off the feed, a3 is still on it, a4 is new; an analyst
        # keeps the warehouse open read-only all along
        routes["/wire/rss.xml"] = rss(base, ["/wire/3.html", "/wire/4.html"])
        reader = hold(db, read_only=True, seconds=600)
        try:
            out["day2"] = mediamon_run(data, cfg, "2026-11-26")
        finally:
            reader.kill()
            reader.wait()
    return out


def test_a_second_run_of_a_running_date_is_turned_away(days):
    second = days["second_of_day0"]
    assert second.returncode == 3
    assert "a run of 2026-11-24 is already in progress" in second.stderr
    assert days["day0"].returncode == 0, days["day0"].stderr[-2000:]


def test_yesterdays_failure_is_not_todays_loss(days):
    assert days["day1_articles"] == 1  # day 1 was killed before its load: only day 0's article
    # ... and day 2 succeeds with a reader holding the warehouse open throughout
    assert days["day2"].returncode == 0, days["day2"].stderr[-3000:]
    db = days["db"]
    urls = [u.rsplit("/", 1)[1] for (u,) in rows(db, "SELECT url FROM articles ORDER BY url")]
    assert urls == ["0.html", "1.html", "2.html", "3.html", "4.html"]
    assert rows(db, "SELECT refetched_pending, skipped_duplicate_url FROM crawl_runs "
                    "WHERE crawl_date = '2026-11-26'") == [(3, 1)]
    # the ledger balances for every date that loaded: day 1 never did
    assert rows(db, "SELECT crawl_date::VARCHAR, records, loaded, quarantined, skipped_duplicates "
                    "FROM partition_counts ORDER BY 1") == [("2026-11-24", 1, 1, 0, 0), ("2026-11-26", 5, 4, 0, 1)]


# --- bad config fails before the first request ----------------------------------------------

def bad_config_dir(tmp: Path) -> Path:
    cfg = tmp / "config"
    shutil.copytree(CONFIG_DIR, cfg)
    taxonomy = yaml.safe_load((cfg / "taxonomy.yaml").read_text())
    taxonomy["topics"].append(dict(taxonomy["topics"][0]))  # the same id twice
    (cfg / "taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False))
    return cfg


def test_bad_config_or_an_unwritable_warehouse_fails_before_any_request(tmp_path, airflow_home_template):
    hits: list[str] = []
    routes: dict = {"/robots.txt": (200, "text/plain", b"")}
    with serve(routes, hits) as base:
        cfg = sources_file(tmp_path / "sources.yaml", base, [{"id": "wire"}])
        res = mediamon_run(tmp_path / "data", cfg, ISO_DAY, MEDIAMON_CONFIG_DIR=str(bad_config_dir(tmp_path)))
        assert res.returncode == 2 and "duplicate topic id" in res.stderr and "Traceback" not in res.stderr
        blocked = tmp_path / "data2"
        blocked.mkdir()
        (blocked / "warehouse").write_text("not a directory")
        res = mediamon_run(blocked, cfg, ISO_DAY)
        assert res.returncode == 2 and "warehouse directory" in res.stderr and "not writable" in res.stderr
        # the scheduler does not go through the CLI: the DAG's first task checks the same
        seed_airflow(airflow_home_template, tmp_path / "data3")
        code = ("import json; from datetime import date; from mediamon.airflow_env import run_daily; "
                f"dr = run_daily(date.fromisoformat('{ISO_DAY}'), {str(cfg)!r}); "
                "print('STATES' + json.dumps({t.task_id: str(t.state) for t in dr.get_task_instances()}))")
        res = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=600, env={**os.environ, "MEDIAMON_DATA_DIR": str(tmp_path / "data3"),
                                               "MEDIAMON_CONFIG_DIR": str(bad_config_dir(tmp_path / "c3"))})
    import json

    states = json.loads(res.stdout.split("STATES", 1)[1].strip().splitlines()[0])
    assert states["read_sources"] == "failed" and states["crawl"] == "upstream_failed", res.stdout[-2000:]
    failures = tmp_path / "data3" / "airflow" / "failures"
    assert "duplicate topic id" in "".join(p.read_text() for p in failures.glob("*.jsonl"))
    assert hits == []  # not even robots.txt
