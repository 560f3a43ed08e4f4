"""Airflow's public REST API (/api/v2), as a client on this machine uses it:
a token from POST /auth/token, then JSON calls with it.

Where the credentials come from, first found wins:
1. the Airflow connection `mediamon_api` (host as a URL or host/port, login,
   password), e.g. AIRFLOW_CONN_MEDIAMON_API='http://admin:PASSWORD@127.0.0.1:8080'
   or one made in the UI; the way to point at an API server elsewhere. A
   connection with a URL only takes the user and password from the password
   file below (docker-compose.yml: the server's name inside the network);
2. on the single-machine default (`mediamon airflow`), the API server's own
   URL (AIRFLOW__API__BASE_URL) and the simple auth manager's password file
   under AIRFLOW_HOME, which every process of this data dir can read.

Nothing here imports Airflow at module level: the CLI and tasks import it
only when they talk to a server."""
from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
CONN_ID = "mediamon_api"


class ApiError(RuntimeError):
    """The API server answered with an error, or not at all."""


@dataclass(frozen=True)
class Credentials:
    base_url: str
    username: str
    password: str = field(repr=False)
    source: str = ""  # where they came from, for the one line a person reads


def _url_of(conn) -> str | None:
    if not conn.host:
        return None
    if conn.host.startswith(("http://", "https://")):  # a full URL typed into the host field
        return conn.host.rstrip("/")
    scheme = "https" if conn.conn_type == "https" else "http"
    return f"{scheme}://{conn.host}{f':{conn.port}' if conn.port else ''}"


def from_connection(conn_id: str = CONN_ID) -> Credentials | None:
    from airflow.sdk import BaseHook

    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception:  # not defined: the local default may still apply
        return None
    url = _url_of(conn)
    if not url:
        log.warning("connection %s has no host; ignored", conn_id)
        return None
    if conn.login and conn.password:
        return Credentials(url, conn.login, conn.password, f"connection {conn_id}")
    return from_password_file(url)


def passwords_file() -> Path:
    """The simple auth manager's password file: as configured, else its default."""
    configured = os.environ.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE")
    if configured:
        return Path(configured)
    home = Path(os.environ.get("AIRFLOW_HOME", Path.home() / "airflow"))
    return home / "simple_auth_manager_passwords.json.generated"


def _user(passwords: dict[str, str]) -> str | None:
    """The first configured user allowed to change runs (any role but viewer)."""
    spec = os.environ.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "admin:admin")
    for entry in spec.split(","):
        name, _, role = entry.strip().partition(":")
        if name in passwords and role.strip().lower() != "viewer":
            return name
    return None


def from_password_file(base_url: str) -> Credentials | None:
    path = passwords_file()
    try:
        passwords = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    user = _user(passwords)
    return Credentials(base_url.rstrip("/"), user, passwords[user], str(path)) if user else None


def credentials(base_url: str | None = None, use_connection: bool = True) -> Credentials | None:
    """Credentials for the API server at base_url (default: AIRFLOW__API__BASE_URL,
    which `mediamon airflow` sets for every component and task); None when
    there is no server to talk to."""
    if use_connection and (found := from_connection()):
        return found
    base_url = base_url or os.environ.get("AIRFLOW__API__BASE_URL")
    return from_password_file(base_url) if base_url else None


class AirflowApi:
    def __init__(self, creds: Credentials, timeout: float = 30):
        self.creds, self.timeout, self.token = creds, timeout, None

    @property
    def base_url(self) -> str:
        return self.creds.base_url

    def call(self, method: str, path: str, body=None, auth: bool = True):
        if auth and self.token is None:
            self.login()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.base_url + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                raw = r.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:300]
            raise ApiError(f"{method} {path}: HTTP {exc.code} {detail}") from None
        except OSError as exc:
            raise ApiError(f"{method} {path}: {self.base_url} did not answer ({exc})") from None
        return json.loads(raw) if raw else None

    def login(self) -> None:
        self.token = self.call("POST", "/auth/token", {"username": self.creds.username,
                                                       "password": self.creds.password}, auth=False)["access_token"]

    def health(self) -> dict:
        return self.call("GET", "/api/v2/monitor/health", auth=False)

    def dag_run_path(self, dag_id: str, run_id: str) -> str:
        return f"/api/v2/dags/{dag_id}/dagRuns/{urllib.parse.quote(run_id, safe='')}"

    def set_note(self, dag_id: str, run_id: str, note: str) -> None:
        self.call("PATCH", self.dag_run_path(dag_id, run_id), {"note": note})
