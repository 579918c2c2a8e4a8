"""Fixtures for the reliability tests: the seed plan in a fresh database, coordinators racing in
their own processes, and the shared SMTP fixtures of
tests/notifications (Prefect's server and `seeded` come from tests/conftest.py)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from flows import task_policy
from models.loader import LoadedPlan
from models.storage.engine import session_scope
from models.storage.store import save_plan
from tests.notifications.conftest import smtp_controller, smtp_server  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
RACER = Path(__file__).with_name("racer.py")
PLAN = "gap-mat-2023"
FAST_DELAYS = [0.05, 0.1, 0.2]


@pytest.fixture
def fast_retries() -> Iterator[None]:
    """Shorter backoff for a test (same number of retries); the tasks hold the policy's list
    itself, so it is edited in place."""
    kept = list(task_policy.DB_RETRY_DELAYS)
    assert len(kept) == len(FAST_DELAYS)
    task_policy.DB_RETRY_DELAYS[:] = FAST_DELAYS
    yield
    task_policy.DB_RETRY_DELAYS[:] = kept


@pytest.fixture
def seeded_engine(engine: Engine, seed: LoadedPlan) -> Engine:
    """A migrated database (SQLite, and PostgreSQL when it answers) holding the seed plan."""
    with session_scope(engine) as session:
        save_plan(session, seed)
    return engine


def child_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a dondoc process on `database_url`, run from the repository root."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PREFECT_"))}
    env.update(
        DONDOC_DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        COLUMNS="160",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
    )
    env.update(extra)
    return env


@dataclass(frozen=True)
class Outcome:
    via: str
    code: int
    message: str


Race = Callable[[Sequence[dict[str, Any]]], list[Outcome]]


@pytest.fixture
def race(tmp_path: Path) -> Race:
    """Start one process per order (see racer.py), release them together, collect outcomes.

    Every order needs `env` (child_env); the others are racer.py's."""

    def run(orders: Sequence[dict[str, Any]]) -> list[Outcome]:
        go = tmp_path / f"go-{time.monotonic_ns()}"
        processes = []
        for i, order in enumerate(orders):
            ready = tmp_path / f"ready-{go.name}-{i}"
            spec = {k: v for k, v in order.items() if k != "env"}
            spec.update(ready=str(ready), go=str(go), plan=spec.get("plan", PLAN))
            processes.append(
                (
                    ready,
                    subprocess.Popen(
                        [str(PYTHON), str(RACER), json.dumps(spec)],
                        env=order["env"],
                        cwd=ROOT,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    ),
                )
            )
        deadline = time.monotonic() + 90
        while not all(ready.exists() for ready, _ in processes):
            assert time.monotonic() < deadline, "a racer never got ready"
            assert all(p.poll() is None for _, p in processes), "a racer died before the start"
            time.sleep(0.01)
        go.touch()
        outcomes = []
        for _, process in processes:
            stdout, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr
            outcomes.append(Outcome(**json.loads(stdout.strip().splitlines()[-1])))
        return outcomes

    return run
