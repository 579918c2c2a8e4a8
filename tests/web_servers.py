"""`dondoc web` as a user starts it, in a process of its own, a database for it, and raw
sockets to talk to it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from flows.local_api import free_port
from models.files.arrivals_csv import read_arrivals_csv
from models.loader import LoadedPlan
from models.storage.engine import make_engine, migrate, session_scope
from models.storage.store import append_submission, save_plan
from tests.paths import ROOT
from tests.processes import child_env

DONDOC = ROOT / ".venv" / "bin" / "dondoc"
STARTUP_SECONDS = 30


def seed_database(folder: Path, seed: LoadedPlan, arrivals: Path | None = None) -> str:
    """The URL of a SQLite file in `folder` holding the seed plan (and `arrivals`, a CSV)."""
    url = f"sqlite:///{folder / 'dondoc.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        save_plan(session, seed)
        for arrival in read_arrivals_csv(arrivals, seed.plan.tz) if arrivals else []:
            append_submission(
                session,
                seed.plan.code,
                deliverable=arrival.deliverable,
                unit=arrival.unit,
                kind="received",
                received_at=arrival.received_at,
                recorded_at=arrival.received_at,
            )
    engine.dispose()
    return url


@contextmanager
def dondoc_web(
    database_url: str, log: Path, port: int | None = None, /, **settings: str
) -> Iterator[str]:
    """`dondoc web --port <port, else a free one>` on `database_url` with DONDOC_WEB_*
    `settings`; yields its base URL once /healthz answers, and stops it after. Its output goes
    to `log`. Give `port` when the settings must name the address (DONDOC_WEB_BASE_URL)."""
    port = port or free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(DONDOC), "web", "--port", str(port)],
            env=child_env(database_url, **settings),
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"dondoc web exited: {log.read_text(errors='replace')}"
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"dondoc web did not answer in {STARTUP_SECONDS} s")


def address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


def read_until_closed(connection: socket.socket, limit: float) -> tuple[bytes, float | None]:
    """What the server sends on `connection` until it closes it, and after how many seconds
    (None: still open after `limit`)."""
    started = time.monotonic()
    received = b""
    while (left := limit - (time.monotonic() - started)) > 0:
        connection.settimeout(left)
        try:
            chunk = connection.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            return received, time.monotonic() - started
        if not chunk:
            return received, time.monotonic() - started
        received += chunk
    return received, None
