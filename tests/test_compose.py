"""docker-compose.yml + Dockerfile: Airflow on CeleryExecutor for several machines.

There is no Docker daemon in the test environment, so these tests read the files
and check what a user of `docker compose up` relies on: the services exist, all
run the CeleryExecutor, nothing but the UI is published and only on loopback,
every Airflow container shares one data dir, the DAGs folder is where the image
holds the DAGs, and the image's Airflow is the one uv.lock pins."""
from __future__ import annotations

import ast
import posixpath
import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.specifiers import SpecifierSet

from mediamon.airflow_env import POOL
from core.settings import DAGS_DIR, PROJECT_ROOT

REQUIRED = {"postgres", "redis", "airflow-apiserver", "airflow-scheduler",
            "airflow-dag-processor", "airflow-worker", "airflow-triggerer", "airflow-init"}
PROJECT_PARTS = ("core", "mediamon", "crawlers", "transforms", "quality", "warehouse",
                 "config", "dags", "scrapy.cfg")


# ---------------------------------------------------------------- helpers

@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def airflow(compose) -> dict[str, dict]:
    """Every service that runs the project's Airflow image."""
    return {name: svc for name, svc in compose["services"].items()
            if name.startswith("airflow") or "build" in svc}


def env_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def url(value: str):
    """urlsplit of a URL whose ${VAR:?message} parts compose fills in."""
    return urlsplit(re.sub(r"\$\{[^}]*\}", "secret", value))


def mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) of each volume, short or long syntax."""
    out = []
    for v in service.get("volumes") or []:
        if isinstance(v, dict):
            out.append((v.get("source", ""), v["target"]))
        else:
            parts = v.split(":")
            out.append((parts[0], parts[1]) if len(parts) > 1 else ("", parts[0]))
    return out


def host_ip(port) -> str | None:
    """The host address a `ports` entry binds; None means all interfaces."""
    if isinstance(port, dict):
        return port.get("host_ip")
    spec = str(port).split("/")[0]
    if spec.startswith("["):
        return spec[1:spec.index("]")]
    parts = spec.split(":")
    return parts[0] if len(parts) == 3 else None


def dockerfile_final_stage() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the last build stage, continuations joined."""
    text = (PROJECT_ROOT / "Dockerfile").read_text()
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    stage: list[tuple[str, str]] = []
    for line in joined.splitlines():
        if not line.strip():
            continue
        instr, _, rest = line.strip().partition(" ")
        if instr.upper() == "FROM":
            stage = []
        stage.append((instr.upper(), rest.strip()))
    return stage


def image_paths() -> dict[str, str]:
    """Repo path -> where the final stage's COPY puts it in the image."""
    out, workdir = {}, "/"
    for instr, rest in dockerfile_final_stage():
        if instr == "WORKDIR":
            workdir = posixpath.join(workdir, rest)
        if instr not in ("COPY", "ADD"):
            continue
        args = shlex.split(rest)
        if any(a.startswith("--from") for a in args):
            continue
        *sources, dest = [a for a in args if not a.startswith("--")]
        dest = posixpath.join(workdir, dest)
        for src in sources:
            name = src.rstrip("/")
            if (PROJECT_ROOT / name).is_dir():
                target = dest  # a directory's contents land in dest
            elif dest.endswith("/") or len(sources) > 1:
                target = posixpath.join(dest, posixpath.basename(name))
            else:
                target = dest
            out[name] = posixpath.normpath(target)
    return out


def image_env() -> dict[str, str]:
    env = {}
    for instr, rest in dockerfile_final_stage():
        if instr == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


# ---------------------------------------------------------------- compose

def test_services_exist(compose, airflow):
    assert REQUIRED <= set(compose["services"])
    assert {"postgres", "redis"}.isdisjoint(airflow)


def test_every_airflow_service_runs_the_celery_executor(compose, airflow):
    services = set(compose["services"])
    for name, svc in airflow.items():
        env = env_of(svc)
        assert env.get("AIRFLOW__CORE__EXECUTOR") == "CeleryExecutor", name
        # the executor's backends are the services of this file
        assert url(env["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis", name
        assert url(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]).hostname == "postgres", name
        assert url(env["AIRFLOW__CELERY__RESULT_BACKEND"]).hostname == "postgres", name
        api = urlsplit(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
        assert api.hostname in services and api.path.rstrip("/").endswith("/execution"), name
    commands = {name: str(svc.get("command")) for name, svc in airflow.items()}
    assert commands["airflow-apiserver"] == "api-server"
    assert commands["airflow-worker"] == "celery worker"
    assert commands["airflow-dag-processor"] == "dag-processor"


def test_published_ports_bind_loopback_only(compose):
    for name, svc in compose["services"].items():
        for port in svc.get("ports") or []:
            assert host_ip(port) == "127.0.0.1", f"{name} publishes {port!r} beyond 127.0.0.1"
    assert "ports" not in compose["services"]["postgres"]
    assert "ports" not in compose["services"]["redis"]
    ui = compose["services"]["airflow-apiserver"]["ports"]
    assert any(str(p).endswith(":8080") for p in ui), "the UI is published"


def test_every_airflow_service_shares_the_data_dir(compose, airflow):
    data_dirs, sources = set(), set()
    for name, svc in airflow.items():
        data_dir = env_of(svc).get("MEDIAMON_DATA_DIR", "")
        assert data_dir.startswith("/"), f"{name}: MEDIAMON_DATA_DIR not set to an absolute path"
        data_dirs.add(data_dir)
        mounted = [src for src, target in mounts(svc) if target.rstrip("/") == data_dir.rstrip("/")]
        assert mounted, f"{name} does not mount a volume at {data_dir}"
        sources.update(mounted)
    assert len(data_dirs) == 1 and len(sources) == 1, "one data dir, one volume, for all"
    (source,) = sources
    assert source.startswith((".", "/")) or source in (compose.get("volumes") or {})


def test_dags_folder_is_where_the_image_holds_the_dags(airflow):
    copied = image_paths()
    assert "dags" in copied, "the Dockerfile copies dags/ into the image"
    for name, svc in airflow.items():
        folder = env_of(svc).get("AIRFLOW__CORE__DAGS_FOLDER") or image_env().get("AIRFLOW__CORE__DAGS_FOLDER")
        assert folder and posixpath.normpath(folder) == copied["dags"], name
        for _, target in mounts(svc):  # no volume hides the baked-in code
            assert not (copied["dags"] + "/").startswith(target.rstrip("/") + "/"), f"{name} mounts over {target}"


def test_the_image_holds_the_project_as_one_tree_on_pythonpath(airflow):
    """PROJECT_ROOT is core/..: DAGS_DIR, config/ and the crawl's cwd (scrapy.cfg)
    all hang off it, so the parts must be siblings, named as in the repo."""
    copied = image_paths()
    assert DAGS_DIR == PROJECT_ROOT / "dags"
    roots = set()
    for part in PROJECT_PARTS:
        assert part in copied, f"the Dockerfile does not copy {part}"
        assert posixpath.basename(copied[part]) == part
        roots.add(posixpath.dirname(copied[part]))
    assert len(roots) == 1, roots
    (root,) = roots
    for name, svc in airflow.items():
        pythonpath = env_of(svc).get("PYTHONPATH") or image_env().get("PYTHONPATH", "")
        assert root in pythonpath.split(":"), f"{name}: {root} not on PYTHONPATH"


def test_init_migrates_and_creates_the_pools_the_dag_uses(compose, airflow):
    tree = ast.parse((DAGS_DIR / "media_monitoring_daily.py").read_text())
    used = {kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "pool" and isinstance(kw.value, ast.Constant)}
    assert POOL in used
    init = compose["services"]["airflow-init"]
    command = init["command"] if isinstance(init["command"], str) else "\n".join(init["command"])
    created = dict(re.findall(r"airflow pools set (\S+) (\d+)", command))
    assert used <= set(created), f"pools used by the DAG but not created: {used - set(created)}"
    assert created[POOL] == "1", "DuckDB has a single writer"
    assert "airflow db migrate" in command or env_of(init).get("_AIRFLOW_DB_MIGRATE")
    assert init.get("restart", "no") in ("no", "on-failure"), "init must run once and exit"
    for name, svc in airflow.items():
        if name != "airflow-init":
            cond = (svc.get("depends_on") or {}).get("airflow-init", {}).get("condition")
            assert cond == "service_completed_successfully", name


def test_airflow_settings_mirror_the_project(airflow):
    for name, svc in airflow.items():
        env = env_of(svc)
        assert env.get("AIRFLOW__CORE__LOAD_EXAMPLES", "").lower() == "false", name
        assert env.get("AIRFLOW__API__HOST", "0.0.0.0") != "127.0.0.1", \
            f"{name}: a loopback API host is unreachable from the other containers"


# ---------------------------------------------------------------- Dockerfile

def test_image_airflow_and_python_match_the_lock():
    froms = [rest for instr, rest in dockerfile_final_stage() if instr == "FROM"]
    match = re.fullmatch(r"apache/airflow:(\d+\.\d+\.\d+)-python(\d+\.\d+)", froms[0].split()[0])
    assert match, f"the final stage is built FROM the official Airflow image, not {froms[0]!r}"
    airflow_version, python_version = match.groups()

    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text())
    pinned = {p["name"]: p["version"] for p in lock["package"]}
    assert airflow_version == pinned["apache-airflow"]
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    for spec in (pyproject["project"]["requires-python"], lock["requires-python"]):
        assert SpecifierSet(spec).contains(f"{python_version}.0"), spec


def test_image_installs_the_lock_without_moving_airflow():
    text = re.sub(r"\\\n", " ", (PROJECT_ROOT / "Dockerfile").read_text())
    runs = [ln for ln in text.splitlines() if ln.strip().startswith("RUN")]
    assert any(re.search(r"\buv (export|sync)\b", r) and "--frozen" in r and "--no-dev" in r
               for r in runs), "dependencies come from uv.lock, without the dev group"
    for instr, rest in dockerfile_final_stage():
        if instr == "RUN" and re.search(r"\bpip install\b", rest):
            assert re.search(r"apache-airflow==(\$\{?AIRFLOW_VERSION\}?|\d)", rest), \
                f"pip may swap the image's Airflow: {rest}"


def test_dockerignore_keeps_local_state_out():
    ignored = {ln.strip().rstrip("/") for ln in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", "data", ".git"} <= ignored


# ---------------------------------------------------------------- secrets

SECRET_VARS = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "AIRFLOW__API_AUTH__JWT_SECRET",
               "AIRFLOW__API__SECRET_KEY", "AIRFLOW__CORE__FERNET_KEY")


def required_var(value: str) -> str | None:
    """NAME when value is exactly `${NAME:?message}`: compose refuses to start without it."""
    m = re.fullmatch(r"\$\{(\w+):\?[^}]*\}", value)
    return m.group(1) if m else None


def test_no_secret_has_a_default(compose, airflow):
    """Workers on other machines reach Postgres, Redis and the API over the
    network: a password everyone can read in this file is no password."""
    pg = env_of(compose["services"]["postgres"])
    assert required_var(pg["POSTGRES_PASSWORD"]) == "POSTGRES_PASSWORD"
    redis = compose["services"]["redis"]
    assert required_var(env_of(redis)["REDIS_PASSWORD"]) == "REDIS_PASSWORD"
    assert "--requirepass" in str(redis["command"])
    for name, svc in airflow.items():
        env = env_of(svc)
        for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__API__SECRET_KEY", "AIRFLOW__CORE__FERNET_KEY"):
            assert required_var(env[key]) == key, f"{name}: {key}={env[key]!r}"
        for key, var in (("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "POSTGRES_PASSWORD"),
                         ("AIRFLOW__CELERY__RESULT_BACKEND", "POSTGRES_PASSWORD"),
                         ("AIRFLOW__CELERY__BROKER_URL", "REDIS_PASSWORD")):
            password = re.fullmatch(r"[\w+]+://[^:@/]*:(\$\{[^}]*\})@.*", env[key])
            assert password and required_var(password.group(1)) == var, f"{name}: {key} has no required password"
    # and every secret is a variable the header tells the user to set
    header = (PROJECT_ROOT / "docker-compose.yml").read_text().split("\n---", 1)[0]
    assert all(f"{var}=" in header for var in SECRET_VARS)


def test_result_backend_names_a_driver_in_the_lock(airflow):
    """SQLAlchemy 2.1's default Postgres driver is psycopg 3: a bare
    db+postgresql:// would fail in every worker unless it is installed."""
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text())
    pinned = {p["name"] for p in lock["package"]}
    drivers = {"psycopg2": "psycopg2-binary", "asyncpg": "asyncpg", "psycopg": "psycopg"}
    for name, svc in airflow.items():
        env = env_of(svc)
        for key in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CELERY__RESULT_BACKEND"):
            scheme = url(env[key].removeprefix("db+")).scheme
            dialect, _, driver = scheme.partition("+")
            assert dialect == "postgresql" and driver in drivers, f"{name}: {key} scheme {scheme}"
            assert drivers[driver] in pinned, f"{name}: {driver} is not in uv.lock"


def test_workers_do_not_run_tasks_in_daemonic_processes(airflow):
    """Celery's default prefork pool runs each task under a daemonic child, and
    extract starts a process pool, which a daemonic process may not; the Celery
    e2e test (tests/e2e/test_celery.py) runs with the same pool. The threads
    pool is no way out: Airflow's task supervisor sets signal handlers, which
    only the main thread may do."""
    pool = env_of(airflow["airflow-worker"]).get("AIRFLOW__CELERY__POOL", "prefork")
    assert pool == "solo", pool
