"""Scale-out check (a script): docs/deploy.md's "many machines" steps, run for real on loopback.

A fresh PostgreSQL database for Prefect's server and another for dondoc (same PostgreSQL),
`prefect server start` on the first, the `dondoc` process work pool, `prefect deploy --all`
from prefect.yaml, a process worker, the seed plan loaded, then `prefect deployment run` of
record-submission and track-plan: both must end Completed, and dondoc's database must show
what they did. Everything it started is stopped and both databases dropped, whatever happens.

Run: `.venv/bin/python scripts/scale_out_check.py [--postgres postgresql://postgres@127.0.0.1:5432]`
(a role that may create databases). Prints each step with its time; exits 1 on failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.local_api import free_port  # noqa: E402

BIN = ROOT / ".venv" / "bin"
PLAN = "gap-mat-2023"
AS_OF = "2023-03-10T08:00:00+07:00"  # two days after most deadlines: late units, e-mails
RUN_TIMEOUT = 300.0
FLOW_RUN_ID = re.compile(r"UUID:\s*([0-9a-f-]{36})")


class CheckFailed(Exception):
    """A step did not do what docs/deploy.md says it does."""


@contextmanager
def step(name: str, timings: dict[str, float]) -> Iterator[None]:
    started = time.perf_counter()
    print(f"… {name}", flush=True)
    yield
    timings[name] = time.perf_counter() - started
    print(f"✓ {name} ({timings[name]:.1f} s)", flush=True)


@contextmanager
def databases(server: str, names: list[str]) -> Iterator[None]:
    """Fresh databases, dropped on the way out (FORCE: a crashed worker may hold a session)."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def background(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A long-running process in its own process group, stopped (TERM, then KILL) at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise CheckFailed(
            f"{' '.join(args[:4])}… exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def api_get(api: str, path: str) -> object:
    with urllib.request.urlopen(f"{api}{path}", timeout=10) as response:
        return json.loads(response.read())


def wait_healthy(api: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CheckFailed(f"prefect server exited with {server.returncode}")
        try:
            if api_get(api, "/health") is True:
                return
        except (URLError, OSError, ValueError):
            pass
        time.sleep(0.5)
    raise CheckFailed("prefect server did not become healthy")


def wait_for_worker(api: str, worker: subprocess.Popen, timeout: float = 60) -> None:
    """Until the pool has a worker online (the worker's first heartbeat)."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        f"{api}/work_pools/dondoc/workers/filter", data=b"{}", method="POST"
    )
    request.add_header("Content-Type", "application/json")
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise CheckFailed(f"the worker exited with {worker.returncode}")
        with urllib.request.urlopen(request, timeout=10) as response:
            if json.loads(response.read()):
                return
        time.sleep(0.5)
    raise CheckFailed("no worker came online")


def deployment_run(name: str, params: dict[str, str], env: dict[str, str]) -> str:
    args = [str(BIN / "prefect"), "deployment", "run", name]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    found = FLOW_RUN_ID.search(run(args, env))
    if found is None:
        raise CheckFailed(f"no flow run id in the output of {name}")
    return found.group(1)


def wait_for_run(api: str, flow_run_id: str) -> dict:
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        flow_run = api_get(api, f"/flow_runs/{flow_run_id}")
        assert isinstance(flow_run, dict)
        state = flow_run.get("state") or {}
        if state.get("type") in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return flow_run
        time.sleep(1)
    raise CheckFailed(f"flow run {flow_run_id} did not finish in {RUN_TIMEOUT:.0f} s")


def expect_completed(flow_run: dict) -> str:
    state = flow_run["state"]
    print(f"  {flow_run['name']}: {state['type']} — {state.get('message')}")
    if state["type"] != "COMPLETED":
        raise CheckFailed(f"{flow_run['name']} ended {state['type']}: {state.get('message')}")
    return state.get("message") or ""


def dondoc_counts(url: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    with psycopg.connect(url) as connection:
        for table in ("submission", "assignment_state", "notification"):
            row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert row is not None  # count(*) always answers one row
            counts[table] = row[0]
    return counts


def check(server_url: str, scratch: Path, timings: dict[str, float]) -> None:
    suffix = secrets.token_hex(4)
    dondoc_db, prefect_db = f"dondoc_scale_{suffix}", f"prefect_scale_{suffix}"
    host = server_url.split("://", 1)[1]
    dondoc_url = f"postgresql+psycopg://{host}/{dondoc_db}"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DONDOC_"))}
    env.update(
        PREFECT_HOME=str(scratch / "prefect-home"),  # no profile of this machine is touched
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PWD=str(ROOT),  # prefect.yaml's pull step: {{ $PWD }}
        DONDOC_DATABASE_URL=dondoc_url,
        DONDOC_MAIL_TRANSPORT="file",
        DONDOC_OUTBOX_DIR=str(scratch / "outbox"),
        DONDOC_BOARD_DIR=str(scratch / "board"),
    )
    server_env = dict(
        env, PREFECT_API_DATABASE_CONNECTION_URL=f"postgresql+asyncpg://{host}/{prefect_db}"
    )
    client_env = dict(env, PREFECT_API_URL=api)
    with databases(server_url, [dondoc_db, prefect_db]):
        print(f"  databases {dondoc_db}, {prefect_db}")
        server_args = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1"]
        server_args += ["--port", str(port)]
        with background(server_args, server_env, scratch / "server.log") as server:
            with step("prefect server start (PostgreSQL)", timings):
                wait_healthy(api, server)
            run_deployments(api, client_env, scratch, timings, dondoc_url)


def run_deployments(
    api: str, env: dict[str, str], scratch: Path, timings: dict[str, float], dondoc_url: str
) -> None:
    prefect = str(BIN / "prefect")
    with step("work pool + prefect deploy --all", timings):
        run([prefect, "work-pool", "create", "dondoc", "--type", "process"], env)
        run([prefect, "--no-prompt", "deploy", "--all"], env)
    with step("dondoc plan load (migrates the schema)", timings):
        run([str(BIN / "dondoc"), "plan", "load", str(ROOT / "plans" / f"{PLAN}.yaml")], env)
    worker_args = [prefect, "worker", "start", "--pool", "dondoc"]
    with background(worker_args, env, scratch / "worker.log") as worker:
        with step("prefect worker start", timings):
            wait_for_worker(api, worker)
        timings_of_runs(api, env, timings, dondoc_url)


def timings_of_runs(api: str, env: dict[str, str], timings: dict[str, float], url: str) -> None:
    params = {
        "plan": PLAN,
        "deliverable": "bc-huyen",
        "unit": "huong-khe",
        "recorded_by": "scale-out-check",
        "received_at": "2023-03-07T10:00:00+07:00",
    }
    with step("record-submission run", timings):
        recorded = expect_completed(
            wait_for_run(api, deployment_run("record-submission/record-submission", params, env))
        )
    if not recorded.startswith("Đã ghi nhận"):
        raise CheckFailed(f"record-submission said: {recorded}")
    with step("track-plan run", timings):
        flow_run = wait_for_run(
            api, deployment_run("track-plan/track-plan", {"plan": PLAN, "as_of": AS_OF}, env)
        )
        expect_completed(flow_run)
    counts = dondoc_counts(url.replace("postgresql+psycopg", "postgresql"))
    print(f"  dondoc database: {counts}")
    if counts["submission"] != 1 or counts["assignment_state"] != 81 or not counts["notification"]:
        raise CheckFailed(f"unexpected rows in dondoc's database: {counts}")
    if "quá hạn" not in flow_run["name"]:
        raise CheckFailed(f"the run was not renamed with its late count: {flow_run['name']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dondoc-scale-") as folder:
        try:
            check(args.postgres.rstrip("/"), Path(folder), timings)
        except CheckFailed as failure:
            print(f"FAIL: {failure}")
            for log in sorted(Path(folder).glob("*.log")):
                print(f"--- {log.name} (last lines)\n{log.read_text(errors='replace')[-3000:]}")
            return 1
    print(
        f"OK in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
