"""dondoc's temporary Prefect API (flows/local_api.py): Prefect's own server application, whose
503s for a busy SQLite database are retried inside the server in milliseconds instead of by
the client after 2 s. The failures come from Prefect's real exception handler."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import sqlalchemy.exc
from fastapi import FastAPI, Request
from prefect.server.api.server import custom_internal_exception_handler

from flows.local_api import RetryBusyDatabase

FAST = (0.001, 0.002, 0.004)


def locked() -> sqlalchemy.exc.OperationalError:
    """What the server's SQLAlchemy raises when SQLite refuses a write (no busy wait)."""
    return sqlalchemy.exc.OperationalError(
        "INSERT INTO task_run …", {}, sqlite3.OperationalError("database is locked")
    )


def application(failures: Callable[[int], Exception | None], seen: list[bytes]) -> FastAPI:
    """A route failing as `failures(attempt)` says; errors answered by Prefect's handler (503
    for a retryable database error, else 500), which Starlette re-raises after answering."""
    app = FastAPI(exception_handlers={Exception: custom_internal_exception_handler})

    @app.post("/api/task_runs/")
    async def create(request: Request) -> dict[str, object]:
        seen.append(await request.body())
        error = failures(len(seen))
        if error is not None:
            raise error
        return {"attempt": len(seen), "name": (await request.json())["name"]}

    return app


async def post(app: FastAPI, delays: tuple[float, ...] = FAST) -> httpx.Response:
    transport = httpx.ASGITransport(app=RetryBusyDatabase(app, delays), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://server") as client:
        return await client.post("/api/task_runs/", json={"name": "bc-huyen · Đức Thọ"})


def test_a_request_that_meets_a_busy_database_is_answered_by_a_later_attempt() -> None:
    seen: list[bytes] = []
    app = application(lambda attempt: locked() if attempt <= 2 else None, seen)

    response = asyncio.run(post(app))

    assert response.status_code == 200
    assert response.json() == {"attempt": 3, "name": "bc-huyen · Đức Thọ"}
    assert len(set(seen)) == 1 and len(seen) == 3  # the same body, replayed


def test_a_database_busy_for_longer_than_the_retries_is_left_to_the_client() -> None:
    seen: list[bytes] = []
    response = asyncio.run(post(application(lambda _: locked(), seen)))

    assert response.status_code == 503  # Prefect's client backs off and tries again
    assert len(seen) == len(FAST) + 1


def test_any_other_failure_is_answered_once_as_it_was() -> None:
    seen: list[bytes] = []
    response = asyncio.run(post(application(lambda _: ValueError("bug"), seen)))

    assert response.status_code == 500
    assert len(seen) == 1


def test_a_successful_request_passes_through_untouched() -> None:
    seen: list[bytes] = []
    response = asyncio.run(post(application(lambda _: None, seen)))

    assert (response.status_code, response.json()["attempt"], len(seen)) == (200, 1, 1)


def test_the_temporary_api_runs_a_chain_of_subflows_and_stops(tmp_path: Path) -> None:
    """With no PREFECT_API_URL, `local_api` starts a real server process (here on its own Prefect
    home): a flow with subflows completes against it, its runs are on its API, the logs are
    sent before it stops, and the port is closed once the context ends."""
    from prefect import flow, get_client, task
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.prefect_settings import local_api, local_runs

    @task
    def unit(name: str) -> str:
        return name

    @flow
    def deliverable(code: str) -> list[str]:
        return [unit(f"{code}-{i}") for i in range(3)]

    @flow
    def chain() -> int:
        return sum(len(deliverable(code)) for code in ("giay-moi", "bc-huyen", "tong-hop"))

    home = {  # its own database, not the one of the test session's Prefect server
        "PREFECT_HOME": str(tmp_path),
        "PREFECT_API_URL": None,
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}",
    }
    with temporary_settings(updates=home), local_runs(), local_api():
        port = httpx.URL(PREFECT_API_URL.value()).port
        assert chain() == 9
        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs()
        assert sorted(r.state_type.value for r in runs if r.state_type) == ["COMPLETED"] * 4
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the server still answers"
