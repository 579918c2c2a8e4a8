"""The Prefect UI as a coordinator meets it: a real `prefect server start` (the test harness's
server is ephemeral and serves no UI) and `dondoc serve` running the deployments its Run
button starts, each a process of its own, plus a few reads of the REST API.

Shared by the browser tests of this folder and scripts/screenshot_prefect.py."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from flows.local_api import free_port
from models.storage.engine import parse_url
from tests.databases import LOCAL_POSTGRES, postgres_database
from tests.paths import ROOT
from tests.processes import child_env

PREFECT = ROOT / ".venv" / "bin" / "prefect"
DONDOC = ROOT / ".venv" / "bin" / "dondoc"
PLAN = "gap-mat-2023"
DEPLOYMENTS = ("track-plan/track-plan", "record-submission/record-submission")
# A busy 2-core machine: the server migrates its SQLite database and copies the UI first.
STARTUP_SECONDS = 120
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@dataclass(frozen=True)
class PrefectUI:
    """Where the UI and its API answer, and the environment a Prefect client of it needs."""

    base: str
    home: Path

    @property
    def api(self) -> str:
        return f"{self.base}/api"

    def env(self, database_url: str, folder: Path, **extra: str) -> dict[str, str]:
        """A dondoc process on `database_url` talking to this server; its e-mails and boards
        stay under `folder`."""
        return child_env(
            database_url,
            PREFECT_HOME=str(self.home),
            PREFECT_API_URL=self.api,
            DONDOC_MAIL_TRANSPORT="file",
            DONDOC_OUTBOX_DIR=str(folder / "outbox"),
            DONDOC_BOARD_DIR=str(folder / "board"),
            **extra,
        )


@dataclass(frozen=True)
class Served:
    """The Prefect UI, the database its served deployments write, and their folder."""

    ui: PrefectUI
    database_url: str
    folder: Path


def server_env(home: Path, api: str, database: str | None = None) -> dict[str, str]:
    """`prefect server start` on its own home and database (`database`, else SQLite under
    `home`); the scheduler is off, so no cron run of track-plan starts in the middle of a test
    (the Run button still works)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PREFECT_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=api,
        PREFECT_UI_API_URL=api,
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
    )
    if database:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database
    return env


@contextmanager
def prefect_database() -> Iterator[str | None]:
    """A throw-away PostgreSQL database for the Prefect server when the test PostgreSQL
    answers, as docs/deploy.md runs it; None (SQLite) otherwise. On SQLite a busy server
    answers 503 "database is locked" and its UI, which does not retry, shows "Oops. Something
    went wrong." instead of starting the run (seen on a loaded CI machine)."""
    if os.environ.get("DONDOC_TEST_POSTGRES") == "0":
        yield None
        return
    url = parse_url(os.environ.get("DONDOC_TEST_POSTGRES_URL") or LOCAL_POSTGRES)
    with postgres_database(url, "postgresql+asyncpg") as database:
        yield database


@contextmanager
def prefect_server(home: Path, log: Path, database: str | None = None) -> Iterator[PrefectUI]:
    """`prefect server start` on a free loopback port with PREFECT_HOME `home` (and its
    database at `database`, else SQLite); yields once /api/health answers, stops it (and its
    children) after. Its output goes to `log`."""
    port = free_port()
    ui = PrefectUI(f"http://127.0.0.1:{port}", home)
    command = [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, server_env(home, ui.api, database), log) as process:
        wait_until(lambda: answers(f"{ui.api}/health"), process, log, "the Prefect server")
        yield ui


@contextmanager
def dondoc_serving(
    ui: PrefectUI, database_url: str, folder: Path, plan: str = PLAN
) -> Iterator[None]:
    """`dondoc serve --plan <plan>` against `ui`: yields once both deployments are registered.
    The runner polls every second (default 10 s) so a click on Run starts within a second."""
    env = ui.env(database_url, folder, PREFECT_RUNNER_POLL_FREQUENCY="1")
    command = [str(DONDOC), "serve", "--plan", plan]
    with running(command, env, folder / "serve.log") as process:
        wait_until(lambda: deployments_ready(ui), process, folder / "serve.log", "dondoc serve")
        yield


@contextmanager
def running(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`command` in a session of its own (so its flow-run children stop with it)."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group this helper started, SIGKILL after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def wait_until(
    ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, what: str
) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited: {log.read_text(errors='replace')[-3000:]}")
        if ready():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what} was not ready in {STARTUP_SECONDS} s")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def api_post(ui: PrefectUI, path: str, body: dict[str, Any]) -> Any:
    response = httpx.post(f"{ui.api}{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def api_get(ui: PrefectUI, path: str) -> Any:
    response = httpx.get(f"{ui.api}{path}", timeout=30)
    response.raise_for_status()
    return response.json()


def deployments_ready(ui: PrefectUI) -> bool:
    try:
        found = api_post(ui, "/deployments/filter", {})
    except httpx.HTTPError:
        return False
    return {d["name"] for d in found} >= {name.split("/")[1] for name in DEPLOYMENTS}


def deployment_id(ui: PrefectUI, name: str) -> str:
    """The id of deployment `flow/deployment`."""
    return str(api_get(ui, f"/deployments/name/{name}")["id"])


def start_run(ui: PrefectUI, name: str, parameters: dict[str, Any]) -> str:
    """A run of deployment `name` now, as the scheduler would create it; its id."""
    body = {"parameters": parameters}  # merged over the deployment's own by the server
    return str(api_post(ui, f"/deployments/{deployment_id(ui, name)}/create_flow_run", body)["id"])


def finished_run(ui: PrefectUI, run_id: str, seconds: float = 120) -> dict[str, Any]:
    """The flow run once its state is terminal."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run: dict[str, Any] = api_get(ui, f"/flow_runs/{run_id}")
        if run["state_type"] in TERMINAL:
            return run
        time.sleep(0.5)
    raise AssertionError(f"flow run {run_id} did not finish in {seconds} s")


def run_logs(ui: PrefectUI, run_id: str) -> list[str]:
    """Every log line of a flow run and of its task runs, as stored by the server."""
    body = {"logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC", "limit": 200}
    return [entry["message"] for entry in api_post(ui, "/logs/filter", body)]
