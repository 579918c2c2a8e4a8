"""The temporary Prefect API that `dondoc track` and the demo start when no PREFECT_API_URL is
set: Prefect's own server application on Prefect's own SQLite database, as Prefect's
ephemeral mode runs it, with one difference that makes a run of the chain 2× faster.

On SQLite, the server's `create_task_run` and `create_flow_run` read, then write, in a
DEFERRED transaction; when the task-run recorder commits in between, SQLite fails the write
at once (*database is locked*, no busy wait) and the server answers 503. Prefect's client then
sleeps 2 s (then 4, 8…) before trying again: a run of 17 subflows met 2–9 such pauses, a run
of 40 subflows 9–21 (33–40 s instead of 15–18 s, docs/benchmarks.md). The middleware below
retries such a request inside the server after 20 ms, 50 ms, … (a new transaction, exactly
what the client would send again), and only answers 503 when the database stays busy for
about 3 s, leaving the client's own back-off as the last resort.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]

# Waits between the server's own attempts at a request that met a busy database (≈ 3.2 s).
BUSY_RETRY_DELAYS = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
SERVICE_UNAVAILABLE = 503
# How long to wait for the server to answer its health check.
STARTUP_SECONDS = 90.0


class LocalApiUnavailable(RuntimeError):
    """The temporary API did not start: the sentence says why and what to do."""


class RetryBusyDatabase:
    """ASGI middleware: a request the application answers 503 (Prefect's answer to a database
    error a client may retry) is run again inside the server after a short wait; the client
    sees only the last answer. The request body is read once and replayed."""

    def __init__(self, app: Any, delays: tuple[float, ...] = BUSY_RETRY_DELAYS) -> None:
        self.app = app
        self.delays = delays

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        for delay in (*self.delays, None):
            if await self.attempt(scope, body, receive, send, retry_after=delay):
                return
            await asyncio.sleep(delay or 0)

    async def attempt(
        self, scope: Scope, body: bytes, receive: Any, send: Any, retry_after: float | None
    ) -> bool:
        """One run of the request; False when it ended in a 503 that was held back (retried)."""
        replay = [{"type": "http.request", "body": body, "more_body": False}]
        held: list[Message] = []

        async def receive_again() -> Message:
            return replay.pop() if replay else await receive()  # then: the disconnect

        async def send_unless_busy(message: Message) -> None:
            if held:
                return  # the held 503's body
            if (
                retry_after is not None
                and message["type"] == "http.response.start"
                and message["status"] == SERVICE_UNAVAILABLE
            ):
                held.append(message)
                return
            await send(message)

        try:
            # A copy: Starlette's mounts rewrite the scope's path as they route it.
            await self.app(dict(scope), receive_again, send_unless_busy)
        except Exception:
            if not held:  # Starlette re-raises after its error handler has answered
                raise
        return not held


async def read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def create_app() -> Any:
    """Uvicorn's factory in the server process: Prefect's application, busy retries added."""
    from prefect.server.api.server import create_app as prefect_app

    return RetryBusyDatabase(prefect_app())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment() -> dict[str, str]:
    """What Prefect's ephemeral server gets: the settings in force here (so LOCAL_RUN_SETTINGS
    reach the server's services), no UI, ephemeral services only."""
    from prefect.settings import get_current_settings

    return {
        **os.environ,
        **get_current_settings().to_environment_variables(exclude_unset=True),
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
    }


def start(port: int, log: Any) -> subprocess.Popen[bytes]:
    root = Path(__file__).resolve().parents[1]
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(root),
        "--factory", "flows.local_api:create_app",
        "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ]  # fmt: skip
    return subprocess.Popen(command, env=server_environment(), stdout=log, stderr=log)


def wait_healthy(url: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalApiUnavailable(
                f"API tạm thời của Prefect dừng khi khởi động (mã {process.returncode})."
            )
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise LocalApiUnavailable(f"API tạm thời của Prefect không trả lời sau {seconds:.0f} giây.")


def drain_prefect_workers() -> None:
    """Send the logs and events Prefect's background workers still hold, as Prefect's test
    harness does before stopping its server: once the server is gone they would be retried
    at the process's exit for a minute (2, 4, 8… s) and then lost."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        for drained in (lambda: APILogWorker.instance().drain(), EventsWorker.drain_all):
            try:
                result = drained()
            except RuntimeError:  # a worker never started
                continue
            if inspect.isawaitable(result):
                await result

    run_coro_as_sync(drain())


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def temporary_api(startup_seconds: float = STARTUP_SECONDS) -> Iterator[str]:
    """Start the server on a free loopback port, yield its API URL, stop it at the end. Its
    output (errors only) goes to a log file next to Prefect's database, named in any error."""
    from prefect.settings import get_current_settings

    home = Path(get_current_settings().home)
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "dondoc-temporary-api.log"
    with log_path.open("ab") as log:
        port = free_port()
        process = start(port, log)
        url = f"http://127.0.0.1:{port}/api"
        try:
            try:
                wait_healthy(url, process, startup_seconds)
            except LocalApiUnavailable as error:
                raise LocalApiUnavailable(f"{error} Nhật ký: {log_path}") from None
            yield url
        finally:
            stop(process)
